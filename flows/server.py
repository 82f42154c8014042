"""Prefect's temporary API server, tied to the run that needs it.

Without PREFECT_API_URL, Prefect starts a temporary API server (uvicorn in a subprocess, about
250 MB) and stops it when the Python process exits normally. A run killed with `kill -9` never
exits normally: every killed `kompass process` or `harvest` left its server running (measured on
this machine; the issue counted 20 of them, 4.5 GB, after 15 minutes). Choices: reap leftovers at
the next start (they live until then, and telling ours from someone else's needs bookkeeping),
require PREFECT_API_URL (every user must run a server), or keep Prefect's own server but have the
kernel kill it with its parent (PR_SET_PDEATHSIG). The last is chosen: same startup cost, nothing
for the user to do, nothing left even after `kill -9`. With PREFECT_API_URL set nothing changes.
"""
from __future__ import annotations

import functools
import os
import subprocess
import types
from unittest import mock

from kompass.lifetime import die_with_parent


def _tied_popen():
    """`subprocess` as Prefect's server module sees it, with a Popen whose child dies with this process."""
    popen = functools.partial(subprocess.Popen, preexec_fn=functools.partial(die_with_parent, os.getpid()))
    return types.SimpleNamespace(Popen=popen, PIPE=subprocess.PIPE, STDOUT=subprocess.STDOUT,
                                 TimeoutExpired=subprocess.TimeoutExpired)


def start_tied_server() -> str | None:
    """Start Prefect's temporary server now, from this (main) thread, tied to this process; its API URL.

    None when PREFECT_API_URL names a server (nothing temporary to start). Prefect's own calls later
    find this server as the default one and use it.
    """
    from prefect.server.api import server as prefect_server
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return None
    default = prefect_server.SubprocessASGIServer._instances.get(None)
    if default is None or not default.running:
        prefect_server.SubprocessASGIServer._instances.pop(None, None)
        default = prefect_server.SubprocessASGIServer()  # registered as the default (port None)
        with mock.patch.object(prefect_server, "subprocess", _tied_popen()):
            default.start()
    return default.api_url
