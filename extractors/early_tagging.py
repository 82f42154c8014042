"""The tagging stage in a process started before the PDF is read.

Loading the Swedish pipeline (importing spaCy, reading the model) takes longer than reading a text
PDF. A process that reads one report and has not loaded spaCy yet (`kompass extract`) therefore forks
a tagging process first: it loads the pipeline while this one reads the PDF, then tags the prose it is
sent. The tagging is `tagging.tag_prose` in either process, so the results are the same. Where it
would not pay (spaCy already loaded, one CPU, other threads running, no fork) nothing is started.

An error the tagging process reports (no model, a bad sentence) is raised here as it would be in
process; if that process dies or overruns its deadline, the prose is tagged here instead.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection

from extractors.tagging import TaggedProse, tag_prose
from kompass.lifetime import die_with_parent

DEADLINE_S = 300.0  # loading the pipeline and tagging one report take about a second
_started: list[int] = []  # pids of processes that started one already


def worth_starting() -> bool:
    """True when a tagging process would overlap work: spaCy not loaded here, two CPUs, fork safe (no other
    thread; not a daemonic process, which may not start children). Once per process: a process that reads
    a second report tags in process, loading the pipeline once for all the reports after the first."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return ("spacy" not in sys.modules and os.getpid() not in _started and cpus >= 2
            and threading.active_count() == 1 and not multiprocessing.current_process().daemon
            and "fork" in multiprocessing.get_all_start_methods())


def _serve(conn: Connection, parent_pid: int) -> None:
    """Load the pipeline, then tag one request (lines by page, kommun, kommunkod, with_sentences)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when this process stops
    die_with_parent(parent_pid)
    from extractors.guard import portable_error

    try:
        from extractors.swedish import load_nlp

        load_nlp()
        failure = None
    except Exception as error:  # noqa: BLE001 — reported when the prose arrives, as in process
        failure = error
    try:
        request = conn.recv()
    except (EOFError, OSError):
        return
    try:
        if failure is not None:
            raise failure
        conn.send(("ok", tag_prose(*request)))
    except Exception as error:  # noqa: BLE001 — every failure goes back to the parent
        conn.send(("error", portable_error(error)))


class TaggingProcess:
    """A forked process loading the Swedish pipeline; `tag()` hands it the prose once."""

    def __init__(self, deadline_s: float = DEADLINE_S):
        context = multiprocessing.get_context("fork")
        self.deadline_s = deadline_s
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, os.getpid()), daemon=True)
        self.process.start()
        child.close()

    def tag(self, lines_by_page: list[list[str]], kommun: str | None, kommunkod: str | None,
            with_sentences: bool = True) -> TaggedProse:
        """The tagged prose from the tagging process; tagged here if that process is gone or overran."""
        request = (lines_by_page, kommun, kommunkod, with_sentences)
        answer = self._ask(request)
        if answer is None:
            self.stop()
            return tag_prose(*request)
        status, value = answer
        if status == "error":
            raise value
        return value

    def _ask(self, request: tuple) -> tuple[str, object] | None:
        """("ok", tagged) or ("error", exception) from the tagging process; None if it died or overran."""
        try:
            self.conn.send(request)
            return self.conn.recv() if self.conn.poll(self.deadline_s) else None
        except (EOFError, OSError):
            return None

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


@contextmanager
def early_tagger() -> Iterator[TaggingProcess | None]:
    """A tagging process if one would pay here, else None; stopped on leaving the block."""
    tagger = None
    if worth_starting():
        _started.append(os.getpid())
        tagger = TaggingProcess()
    try:
        yield tagger
    finally:
        if tagger is not None:
            tagger.stop()
