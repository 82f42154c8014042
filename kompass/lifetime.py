"""Child processes that end with the process that started them, however it ends (Linux).

`kill -9` gives a process no chance to stop its children: a temporary API server or a PDF worker
would go on running, orphaned. PR_SET_PDEATHSIG asks the kernel to send SIGKILL to a child the
moment its parent dies. Called in the child, between fork and exec (`preexec_fn`) or first thing
in a forked worker; elsewhere than Linux it does nothing.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None  # loaded before any fork


def die_with_parent(parent_pid: int | None = None) -> None:
    """Have the kernel kill this process when its parent dies; exit now if the parent already has."""
    if _LIBC is None:
        return
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent_pid is not None and os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
