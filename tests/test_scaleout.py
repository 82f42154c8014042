"""Scale-out: the analysis on Dask workers of every kind gives what one process gives (issue 26).

A Dask nanny's worker process is daemonic, and a daemonic process may not start `multiprocessing`
children: the guard starts its bounded reader there as a program instead (`extractors.guard_child`).
These tests use real processes: a daemonic process running the guard with misbehaving readers, the
real `kompass process --workers 2` (a local cluster of nanny processes) on PDFs no cache has seen, and
a real `dask scheduler` and `dask worker --nworkers 2` started here and stopped by their process ids.
"""
from __future__ import annotations

import multiprocessing
from pathlib import Path

from extractors.guard import DocumentTimeout, Limits, MemoryLimitExceeded, WorkerCrashed, analyse_guarded
from tests import hostile

ROOT = Path(__file__).resolve().parent.parent


def _guard_in_a_daemon(answers) -> None:
    """Run in a daemonic process: each misbehaving reader's outcome, as (type name, message)."""
    runs = [(["stuck.pdf"], Limits(timeout_s=1, memory_mb=256), hostile.hang, 1),
            (["bomb.pdf"], Limits(timeout_s=30, memory_mb=256), hostile.exhaust_memory, 1),
            (["a.pdf", "b.pdf"], Limits(timeout_s=10, memory_mb=256), hostile.crash, 1),
            (["c.pdf", "d.pdf", "e.pdf"], Limits(timeout_s=10, memory_mb=256), hostile.echo, 2)]
    outcomes = []
    for paths, limits, target, workers in runs:
        outcomes += [(type(o).__name__, str(o)) for _, o in analyse_guarded(paths, limits, workers, target)]
    answers.put((multiprocessing.current_process().daemon, outcomes))


def test_the_guard_bounds_a_reader_the_same_way_in_a_daemonic_process():
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    process = context.Process(target=_guard_in_a_daemon, args=(answers,), daemon=True)
    process.start()
    try:
        daemonic, outcomes = answers.get(timeout=120)
    finally:
        process.join(10)
        process.kill()
    assert daemonic
    kinds = [kind for kind, _ in outcomes]
    assert kinds[0] == DocumentTimeout.__name__ and "stuck.pdf" in outcomes[0][1]
    assert kinds[1] in (MemoryLimitExceeded.__name__, WorkerCrashed.__name__) and "256 MB" in outcomes[1][1]
    assert kinds[2:4] == [WorkerCrashed.__name__] * 2 and "SIGABRT" in outcomes[2][1]
    assert outcomes[4:] == [("str", "c.pdf"), ("str", "d.pdf"), ("str", "e.pdf")]
