"""Reading untrusted PDFs in worker processes bounded in time and memory.

A hostile or broken PDF can make a PDF library loop, allocate without end or crash. Each document
is therefore analysed in a worker process whose address space is capped (RLIMIT_AS) and whose
answer is awaited for at most `timeout_s`; a worker that overruns is killed, one that dies is
replaced, and the document gets a named error instead of stopping the run. Workers come from a
fork server that imported the extractor once, so starting one costs milliseconds. A daemonic process
(a Dask nanny's worker) may not start `multiprocessing` children: there each worker is started as a
program instead (`extractors.guard_child`), under the same bounds.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import inspect
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from extractors.errors import ExtractionError
from kompass.inputs import InputMissing, UnreadableInput, check_input
from kompass.lifetime import die_with_parent

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MEMORY_MB = 2048
Outcome = object  # what the target returned, or the exception it raised
STILL_WORKING = object()  # a worker reported progress; its answer is still to come
SUBPROCESS = "subprocess"  # start workers as programs (extractors.guard_child): allowed in a daemonic process


class DocumentTimeout(ExtractionError):
    """Reading the document took longer than the time bound; its worker was stopped."""


class MemoryLimitExceeded(ExtractionError):
    """Reading the document needed more memory than the bound allows."""


class WorkerCrashed(ExtractionError):
    """The worker process died while reading the document (a crash inside the PDF library)."""


@dataclass(frozen=True)
class Limits:
    """Per-document bounds: wall-clock seconds and megabytes of address space a worker may add.

    A reader that reports progress (a page OCR'd) is given `page_grace_s` from that report if its bound
    would stop it sooner, up to `grace_ceiling` times the bound in all: a long scan is slow, not hostile.
    """

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    page_grace_s: float = 60.0
    grace_ceiling: float = 10.0

    def __post_init__(self):
        if not self.timeout_s > 0:
            raise ValueError(f"timeout_s must be positive, got {self.timeout_s!r}")
        if not self.memory_mb >= 64:
            raise ValueError(f"memory_mb must be at least 64, got {self.memory_mb!r}")
        if not self.page_grace_s >= 0 or not self.grace_ceiling >= 1:
            raise ValueError(f"page_grace_s must be ≥ 0 and grace_ceiling ≥ 1, got {self.page_grace_s!r}, "
                             f"{self.grace_ceiling!r}")


def _default_target(path: Path, progress=None):
    from extractors.pipeline import analyse

    return analyse(path, progress=progress)


def _limit_address_space(memory_mb: int) -> None:
    """Cap the address space at what the worker uses now plus `memory_mb` (Linux; elsewhere a no-op)."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return
    limit = current + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def portable_error(error: BaseException) -> BaseException:
    """The exception itself if it survives pickling, else a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001 — any pickling failure
        return RuntimeError(f"{type(error).__name__}: {error}")


def _quiet_stderr() -> None:
    """Send what C libraries print on a worker's stderr to /dev/null: a hostile PDF or the memory cap makes
    pdfium or OpenBLAS print there, and the user is owed one line per file. Python errors travel back
    to the parent through the pipe, with their traceback when unexpected."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _accepts_progress(target: Callable) -> bool:
    """Whether `target` takes a `progress=` keyword (a partial's underlying function counts)."""
    try:
        parameters = inspect.signature(target).parameters
    except (TypeError, ValueError):
        return False
    return "progress" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def _serve(conn: Connection, target: Callable, memory_mb: int, progress: bool = False) -> None:
    """Worker loop: receive a path, send back ("ok", result) or ("error", exception); None stops.

    With `progress`, the target is called with `progress=` a function that sends ("progress", page
    number) for each step it reports (OCR'd pages), so the parent can show it while it waits.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    die_with_parent()  # the fork server ends with the run, even on kill -9; its workers end with it
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one reader per worker: no per-thread BLAS buffers
    _quiet_stderr()
    _limit_address_space(memory_mb)
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        try:
            if progress:
                conn.send(("ok", target(path, progress=lambda step: conn.send(("progress", getattr(step, "page", step))))))
            else:
                conn.send(("ok", target(path)))
        except Exception as error:  # noqa: BLE001 — every failure goes back to the parent
            if _out_of_memory(error):
                message = f"{Path(path).name}: reading it needed more than the {memory_mb} MB memory bound"
                conn.send(("error", MemoryLimitExceeded(message)))
                return  # a fresh worker for the next document
            if not isinstance(error, ExtractionError):
                error.add_note(traceback.format_exc())
            conn.send(("error", portable_error(error)))


def _out_of_memory(error: BaseException) -> bool:
    """MemoryError, or the address-space cap met while loading a library (mmap of a shared object fails)."""
    if isinstance(error, MemoryError):
        return True
    if isinstance(error, (ImportError, OSError)):
        text = str(error)
        return "failed to map segment" in text or "Cannot allocate memory" in text
    return False


class _Worker:
    """One worker process and the document it is busy with."""

    def __init__(self, context, target: Callable, limits: Limits, on_progress: Callable[[int], None] | None = None):
        self.limits = limits
        self.on_progress = on_progress
        progress = _accepts_progress(target)
        if context is SUBPROCESS:  # a daemonic process: the worker is a program, not a multiprocessing child
            from extractors.guard_child import start_child

            self.conn, child = multiprocessing.Pipe()
            self.process = start_child(child, target, limits.memory_mb, progress, _preload(target), self.conn)
        else:
            self.conn, child = context.Pipe()
            self.process = context.Process(target=_serve, args=(child, target, limits.memory_mb, progress),
                                           daemon=False)  # not daemonic: OCR may run its pages in parallel processes
            self.process.start()
        child.close()
        self.job: tuple[int, Path] | None = None
        self.deadline = self.ceiling = float("inf")

    def assign(self, index: int, path: Path) -> None:
        self.job = (index, path)
        now = time.monotonic()
        self.deadline = now + self.limits.timeout_s
        self.ceiling = now + self.limits.timeout_s * self.limits.grace_ceiling
        self.conn.send(str(path))

    def receive(self) -> tuple[Outcome, bool]:
        """The job's outcome (STILL_WORKING after a progress message), and whether this worker can take another job."""
        try:
            status, value = self.conn.recv()
        except (EOFError, OSError):
            return self._died(), False
        if status == "progress":
            self.deadline = min(self.ceiling, max(self.deadline, time.monotonic() + self.limits.page_grace_s))
            if self.on_progress is not None:
                self.on_progress(value)
            return STILL_WORKING, True
        alive = not isinstance(value, MemoryLimitExceeded)
        return value, alive

    def _died(self) -> WorkerCrashed:
        self.process.join(5)
        code = self.process.exitcode
        name = self.job[1].name
        if code is not None and code < 0:
            how = f"killed by {signal.Signals(-code).name}"
        else:
            how = f"exited with status {code}"
        return WorkerCrashed(f"{name}: the PDF reader crashed ({how}; memory bound "
                             f"{self.limits.memory_mb} MB); the file is probably damaged or hostile")

    def expire(self) -> DocumentTimeout:
        self.kill()
        return DocumentTimeout(f"{self.job[1].name}: reading took longer than its bound ({self.limits.timeout_s:g} s, "
                               f"up to {self.limits.page_grace_s:g} s more after each OCR'd page); stopped "
                               "(the file is probably damaged or hostile)")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(2)
        self.kill()


def _preload(target: Callable) -> list[str]:
    """The modules a worker imports before its first document: the target's, and the Swedish model for analysis."""
    preload = {"extractors.pipeline", getattr(getattr(target, "func", target), "__module__", "extractors.pipeline")}
    if target is _default_target:
        preload.add("extractors.guard_preload")  # the Swedish model, loaded once for every worker
    return sorted(preload)


def may_fork_workers() -> bool:
    """Whether this process may start `multiprocessing` children: a daemonic one (a Dask nanny's worker, a pool's
    worker) may not, and the guard then starts its workers as programs (`extractors.guard_child`)."""
    return not multiprocessing.current_process().daemon


def _context(target: Callable, one_document: bool = False):
    """A fork-server context whose server has imported the target's module once; for one document in a
    process that runs no other thread, a plain fork (the reader starts with what the caller imported);
    in a daemonic process, SUBPROCESS."""
    if not may_fork_workers():
        return SUBPROCESS
    methods = multiprocessing.get_all_start_methods()
    if one_document and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_preload(target))
    return context


def analyse_guarded(paths: Iterable[str | Path], limits: Limits = Limits(), workers: int = 1,
                    target: Callable = _default_target, one_document: bool = False,
                    on_progress: Callable[[int], None] | None = None) -> Iterator[tuple[Path, Outcome]]:
    """Run `target(path)` for each path in bounded workers; yield (path, result or exception) in input order.

    Paths are pulled from `paths` only when a worker is free, so a generator may decide lazily. A path
    that is not a readable regular file of a bounded size (a FIFO, device, directory…) never reaches a
    worker: its outcome is the UnreadableInput error.
    """
    context = _context(target, one_document)
    source = iter(paths)
    pool: list[_Worker | None] = [None] * max(1, workers)
    done: dict[int, tuple[Path, Outcome]] = {}
    next_index = next_out = 0
    exhausted = False

    def assign_free_workers() -> None:
        nonlocal next_index, exhausted
        for slot, worker in enumerate(pool):
            if exhausted or (worker is not None and worker.job is not None):
                continue
            while (path := next(source, None)) is not None and (refusal := _refusal(path)) is not None:
                done[next_index] = (Path(path), refusal)
                next_index += 1
            if path is None:
                exhausted = True
                break
            if worker is None:
                worker = pool[slot] = _Worker(context, target, limits, on_progress)
            worker.assign(next_index, Path(path))
            next_index += 1

    try:
        while True:
            assign_free_workers()
            busy = [w for w in pool if w is not None and w.job is not None]
            if busy:
                _collect(pool, busy, done)
                if next_out in done:  # a worker that just answered starts its next document before the
                    assign_free_workers()  # caller handles this one (loads it): workers never wait for the caller
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if not busy:
                break
    finally:
        for worker in pool:
            if worker is not None:
                worker.stop()


def _refusal(path: str | Path) -> UnreadableInput | None:
    """Why a worker must not open this path (it would block or read without bound), or None."""
    try:
        check_input(path)
    except InputMissing:
        return None  # the reader names a missing file itself
    except UnreadableInput as refused:
        return refused
    return None


def _collect(pool: list, busy: list[_Worker], done: dict) -> None:
    """Wait for the first answer or deadline; record outcomes, replace workers that died or overran."""
    timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
    ready = wait([w.conn for w in busy], timeout=timeout)
    now = time.monotonic()
    for worker in busy:
        index, path = worker.job
        if worker.conn in ready:
            outcome, alive = worker.receive()
            if outcome is STILL_WORKING:
                continue
        elif now >= worker.deadline:
            outcome, alive = worker.expire(), False
        else:
            continue
        done[index] = (path, outcome)
        worker.job = None
        if not alive:
            worker.kill()
            pool[pool.index(worker)] = None


def extract_in_subprocess(path: str | Path, timeout_s: float = DEFAULT_TIMEOUT_S,
                          memory_mb: int = DEFAULT_MEMORY_MB, target: Callable = _default_target,
                          fork: bool = False, on_progress: Callable[[int], None] | None = None):
    """Analyse one document in a bounded worker; return its result or raise its error.

    `fork=True` forks the worker straight from this process (no fork server to start): for a command
    that reads one document and has read no PDF before, so the worker inherits no reader's state.
    `on_progress(page)`: the target is called with `progress=` and each step it reports comes here.
    """
    [(_, outcome)] = list(analyse_guarded([path], Limits(timeout_s, memory_mb), 1, target, one_document=fork,
                                          on_progress=on_progress))
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome
