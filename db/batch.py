"""Loading many PDFs: each analysed and loaded on its own; a failure is recorded and the run goes on.

A path that is not a regular file (a directory, FIFO or device), is unreadable or too large gets
a one-line error and a row in `load_errors` before any reader opens it. When the database stays
locked by another writer past the wait, or the disk holding it is full, the run stops: the file in
hand and every file it did not reach are listed in `load_errors` as not loaded (or, if even that
cannot be written, reported as unrecorded), and each is named to the caller, so nothing is silently
left out. A file name with bytes that are not UTF-8 is stored and shown with those bytes as `\\xNN`.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from db.load import UNCHANGED, LoadResult, load_analysis
from db.store import (DatabaseBusy, DiskFull, database_file, disk_full, is_disk_full, is_loaded, is_lock_error,
                      record_load_error, record_not_loaded)
from extractors.guard import Limits, analyse_guarded
from extractors.pipeline import Analysis, analyse, analysis_version
from kompass.errors import KompassError
from kompass.inputs import InputMissing, UnreadableInput, check_input, sha256_of_input


@dataclass
class FileFailure:
    path: Path
    sha256: str | None
    message: str
    recorded: bool = True  # False for a missing path, or when the database stayed locked even for `load_errors`


@dataclass
class BatchSummary:
    loaded: list[LoadResult] = field(default_factory=list)
    unchanged: list[LoadResult] = field(default_factory=list)
    failed: list[FileFailure] = field(default_factory=list)
    busy: str | None = None  # why the run stopped early (the database stayed locked, the disk is full), if it did
    unrecorded: list[Path] = field(default_factory=list)  # not loaded, and not in load_errors either


def _sha256_or_none(path: Path) -> str | None:
    try:
        return sha256_of_input(path)
    except (KompassError, OSError):
        return None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or "(no message)"


class _Busy(Exception):
    """The database stayed locked: stop the run (carries the file in hand)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


def load_file(db: sqlite_utils.Database, path: Path,
              analysis: Analysis | BaseException | None = None) -> LoadResult | FileFailure:
    """Analyse (unless given its analysis or the error it raised) and load one PDF.

    Any error becomes a FileFailure recorded in `load_errors`; a database that stays locked
    raises DatabaseBusy, a full disk DiskFull (nothing about this file could be written).
    """
    try:
        if isinstance(analysis, BaseException):
            raise analysis
        return load_analysis(db, analysis or analyse(path), path=str(Path(path).resolve()))
    except (DatabaseBusy, DiskFull):
        raise
    except Exception as error:  # noqa: BLE001 — one bad file must not stop the run; it is recorded
        if is_lock_error(error):
            raise DatabaseBusy(_one_line(error)) from None
        if is_disk_full(error, Path(database_file(db)).parent):
            raise disk_full(database_file(db), error) from None
        message = _one_line(error)
        if not isinstance(error, KompassError):  # unexpected: name the exception's type
            message = f"{type(error).__name__}: {message}"
        failure = FileFailure(path, _sha256_or_none(path), message)
        _record(db, path.name, failure.sha256, failure.message)
        return failure


def _record(db: sqlite_utils.Database, name: str, sha256: str | None, message: str) -> None:
    """record_load_error, with a full disk raised as DiskFull (it stops the run)."""
    try:
        record_load_error(db, name, sha256, message)
    except sqlite3.DatabaseError as unrecorded:
        if is_disk_full(unrecorded, Path(database_file(db)).parent):
            raise disk_full(database_file(db), unrecorded) from None
        raise


def already_loaded(db: sqlite_utils.Database, path: Path) -> LoadResult | None:
    """The UNCHANGED result when this file's bytes were loaded by this extractor version (no analysis needed)."""
    sha = _sha256_or_none(path)
    if sha is None or not is_loaded(db, sha, analysis_version()):
        return None
    row = db.execute("SELECT evaluation FROM documents WHERE sha256 = ?", [sha]).fetchone()
    return LoadResult(sha, path.name, row[0] if row else None, UNCHANGED)


def load_files(db: sqlite_utils.Database, paths: Iterable[Path],
               on_done: Callable[[Path, LoadResult | FileFailure], None] | None = None, *,
               limits: Limits | None = None, workers: int = 1) -> BatchSummary:
    """Load every file; with `limits`, each is read in a bounded worker process, `workers` at a time."""
    summary = BatchSummary()
    source = iter(map(Path, paths))
    in_flight: dict[Path, None] = {}  # taken from `source`, outcome not yet noted (insertion-ordered)

    def note(path: Path, outcome: LoadResult | FileFailure) -> None:
        in_flight.pop(path, None)
        if isinstance(outcome, FileFailure):
            summary.failed.append(outcome)
        elif outcome.status == "loaded":
            summary.loaded.append(outcome)
        else:
            summary.unchanged.append(outcome)
        if on_done:
            on_done(path, outcome)

    def guarded(action: Callable[[], LoadResult | FileFailure | None], path: Path):
        try:
            return action()
        except (DatabaseBusy, DiskFull) as busy:
            raise _Busy(path, str(busy)) from None

    def to_analyse() -> Iterator[Path]:
        for path in source:
            in_flight[path] = None
            outcome = guarded(lambda: _precheck(db, path), path)
            if outcome is None:
                yield path
            else:
                note(path, outcome)

    try:
        if limits is None:
            for path in to_analyse():
                note(path, guarded(lambda: load_file(db, path), path))
        else:
            outcomes = analyse_guarded(to_analyse(), limits, workers)
            try:
                for path, outcome in outcomes:
                    note(path, guarded(lambda: load_file(db, path, outcome), path))
            finally:
                outcomes.close()  # stops the workers at once when the run ends early
    except _Busy as busy:
        _stop_not_loaded(db, summary, [busy.path, *(p for p in in_flight if p != busy.path), *source],
                         busy.reason, note)
    return summary


def _precheck(db: sqlite_utils.Database, path: Path) -> LoadResult | FileFailure | None:
    """Refuse what is not a readable regular file (recorded); UNCHANGED when already loaded; else None."""
    try:
        check_input(path)
    except UnreadableInput as error:
        failure = FileFailure(path, None, str(error), recorded=not isinstance(error, InputMissing))
        if failure.recorded:  # a missing path says nothing about a document: no row for it
            _record(db, path.name, None, failure.message)
        return failure
    return already_loaded(db, path)


def _stop_not_loaded(db: sqlite_utils.Database, summary: BatchSummary, not_reached: list[Path], reason: str,
                     note: Callable[[Path, FileFailure], None]) -> None:
    """List every file the run did not load as not loaded, in one transaction if the lock allows."""
    summary.busy = reason
    names = list(dict.fromkeys(path.name for path in not_reached))
    try:
        record_not_loaded(db, names, reason)
        recorded = True
    except (DatabaseBusy, DiskFull, sqlite3.DatabaseError):  # still locked, or no room even for these rows
        recorded = False
    for path in dict.fromkeys(not_reached):
        note(path, FileFailure(path, None, f"{path.name}: not loaded: {reason}", recorded=recorded))
        if not recorded:
            summary.unrecorded.append(path)
