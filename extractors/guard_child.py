"""A guard worker started with `subprocess` instead of `multiprocessing`, for daemonic processes.

A daemonic process (a Dask nanny's worker, a multiprocessing pool's worker) may not start children
with `multiprocessing`: `Process.start()` refuses ("daemonic processes are not allowed to have
children"). It may run a program, though. There the guard runs `python -m extractors.guard_child FD`,
hands it one end of a socket pair as file descriptor FD, and speaks the same protocol as with a
forked worker: the child first receives (target, memory bound, progress flag, modules to import), then
serves paths until told to stop. The bounds are the same: the child caps its own address space
(RLIMIT_AS) before it reads anything, the parent kills it at the deadline, and the kernel kills it
when the thread that started it ends (PR_SET_PDEATHSIG), so a stopped Dask worker leaves nothing.

Starting a child costs a Python start and the imports (about 1.5 s with the Swedish model) instead of
a fork from the fork server, so callers keep it for the next document (`extractors.remote`).
"""
from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
from multiprocessing.connection import Connection


class ChildProcess:
    """A `subprocess.Popen` with the part of `multiprocessing.Process`'s interface the guard uses."""

    def __init__(self, popen: subprocess.Popen):
        self.popen = popen
        self.pid = popen.pid

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()

    def join(self, timeout: float | None = None) -> None:
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            pass

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()  # negative for a signal, as multiprocessing has it


def child_environment() -> dict[str, str]:
    """This process's environment, with its import path (the child finds the same modules: a target from
    a test module, a project run from its folder) and one BLAS thread per reader."""
    env = dict(os.environ)
    entries = [entry for entry in sys.path if entry and os.path.isdir(entry)]
    entries += [entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(entries))
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    return env


def start_child(child_end: Connection, target, memory_mb: int, progress: bool, preload: list[str],
                parent: Connection) -> ChildProcess:
    """Run a guard worker as a program serving on `child_end`; `parent` (the other end) gets its setup."""
    setup = pickle.dumps((target, memory_mb, progress, preload))  # an unpicklable target fails before any start
    fd = child_end.fileno()
    popen = subprocess.Popen([sys.executable, "-m", "extractors.guard_child", str(fd), str(os.getpid())],
                             pass_fds=(fd,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             env=child_environment(), close_fds=True)
    parent.send_bytes(setup)
    return ChildProcess(popen)


def main(argv: list[str]) -> None:
    from kompass.lifetime import die_with_parent

    fd, parent_pid = int(argv[0]), int(argv[1])
    die_with_parent(parent_pid)  # before anything slow: a parent gone meanwhile means exit now
    conn = Connection(fd)
    try:
        target, memory_mb, progress, preload = conn.recv()
    except (EOFError, OSError):
        return
    for module in preload:
        importlib.import_module(module)
    from extractors.guard import _serve

    _serve(conn, target, memory_mb, progress)


if __name__ == "__main__":
    main(sys.argv[1:])
