"""The analysis of one PDF sent as bytes, in whatever process receives it: a Dask worker, here or elsewhere.

A worker on another machine has the project installed but not the corpus, so the document travels as
its bytes; they are written to a private temporary folder under the document's own name, read there by
a bounded reader (`extractors.guard`: address-space cap, deadline; started as a program when the worker
process is daemonic, as a Dask nanny's is), and removed. The answer is the analysis or the error, never
a raised exception, with the name of the worker that produced it, so a failure names where it happened.

Starting a reader costs about 1.5 s (Python, the extractor and the Swedish model), so each thread of a
long-lived process keeps its reader for the next document; a reader that died or overran is replaced.
Readers end with the thread that holds them (the connection closes when the thread's state is freed; a
reader started as a program is also killed by the kernel then, PR_SET_PDEATHSIG) and at exit, so a stopped
worker, in threads or processes, leaves nothing running. Plain functions only: no Prefect here, so a worker never starts an API server.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import socket
import sys
import tempfile
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from extractors.guard import (Limits, Outcome, _collect, _context, _default_target, _refusal, _Worker,
                              portable_error)

_local = threading.local()
_every_reader: weakref.WeakSet[_Worker] = weakref.WeakSet()  # a thread's readers go with it: closing their
# connection ends them (EOF), and those still held are stopped at exit
_registry_lock = threading.Lock()


@dataclass(frozen=True)
class RemoteOutcome:
    """What a worker made of one document: the analysis or the exception, and which worker it was."""

    value: Outcome
    worker: str

    @property
    def failed(self) -> bool:
        return isinstance(self.value, BaseException)


class BytesChanged(Exception):
    """The bytes that reached the worker are not the document the flow sent (their sha256 differs)."""


class OtherVersion(Exception):
    """The worker runs another version of the analysis than the flow (install the same project on both)."""


def worker_name() -> str:
    """This process as a failure should name it: the Dask worker's address (when it is one), host and pid."""
    where = f"{socket.gethostname()} pid {os.getpid()}"
    if "distributed" in sys.modules:  # never import Dask just to ask
        from distributed import get_worker

        try:
            return f"dask worker {get_worker().address} ({where})"
        except ValueError:  # not inside a Dask task
            pass
    return where


def analyse_pdf_bytes(data: bytes, filename: str, sha256: str, limits: Limits = Limits(),
                      version: str | None = None) -> RemoteOutcome:
    """Analyse a PDF given as bytes in this thread's bounded reader; never raises for the document's sake.

    `version`: the analysis version the flow loads under; a worker running other code refuses (its analysis
    would be loaded under a version it was not made with, and analysed again by every run)."""
    name = Path(filename).name or "document.pdf"
    try:
        if version is not None:
            from extractors.pipeline import analysis_version

            if analysis_version() != version:
                raise OtherVersion(f"{name}: this worker runs analysis version {analysis_version()}, the flow "
                                   f"{version}; install the same project version on the workers")
        got = hashlib.sha256(data).hexdigest()
        if got != sha256:
            raise BytesChanged(f"{name}: the bytes received hash to {got[:12]}, not {sha256[:12]}")
        with tempfile.TemporaryDirectory(prefix="kompass-remote-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            value = read_bounded(path, limits)
    except Exception as error:  # noqa: BLE001 — the flow records it against the document
        value = portable_error(error)
    return RemoteOutcome(value, worker_name())


def read_bounded(path: str | Path, limits: Limits = Limits(), target=_default_target) -> Outcome:
    """`target(path)` in this thread's reader for these bounds (started on first use, replaced when it died)."""
    refusal = _refusal(path)
    if refusal is not None:
        return refusal
    worker = _reader(limits, target)
    pool, done = [worker], {}
    try:
        worker.assign(0, Path(path))
        while not done:
            _collect(pool, [worker], done)
    except BaseException:
        _forget(worker)
        worker.kill()
        raise
    if pool[0] is None:  # it died or overran: _collect stopped it; the next document gets a fresh one
        _forget(worker)
    return done[0][1]


def _reader(limits: Limits, target) -> _Worker:
    readers = _local.__dict__.setdefault("readers", {})
    worker = readers.get((limits, target))
    if worker is not None and worker.process.is_alive():
        return worker
    if worker is not None:
        _forget(worker)
        worker.kill()
    worker = readers[(limits, target)] = _Worker(_context(target), target, limits)
    with _registry_lock:
        _every_reader.add(worker)
    return worker


def _forget(worker: _Worker) -> None:
    readers = _local.__dict__.get("readers", {})
    for key in [key for key, held in readers.items() if held is worker]:
        del readers[key]
    with _registry_lock:
        _every_reader.discard(worker)


@atexit.register
def stop_readers() -> None:
    """Stop every reader this process started (each also dies with its thread, even on kill -9)."""
    with _registry_lock:
        readers = list(_every_reader)
        _every_reader.clear()
    for worker in readers:
        worker.stop()
