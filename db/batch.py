"""Loading many PDFs: each analysed and loaded on its own; a failure is recorded and the run goes on."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from db.load import LoadResult, load_analysis
from db.store import record_load_error
from extractors.pipeline import analyse
from kompass.errors import KompassError


@dataclass
class FileFailure:
    path: Path
    sha256: str | None
    message: str


@dataclass
class BatchSummary:
    loaded: list[LoadResult] = field(default_factory=list)
    unchanged: list[LoadResult] = field(default_factory=list)
    failed: list[FileFailure] = field(default_factory=list)


def _sha256_or_none(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or "(no message)"


def load_file(db: sqlite_utils.Database, path: Path) -> LoadResult | FileFailure:
    """Analyse and load one PDF; any error becomes a FileFailure recorded in `load_errors`."""
    try:
        return load_analysis(db, analyse(path))
    except Exception as error:  # noqa: BLE001 — one bad file must not stop the run; it is recorded
        message = _one_line(error)
        if not isinstance(error, KompassError):  # unexpected: name the exception's type
            message = f"{type(error).__name__}: {message}"
        failure = FileFailure(path, _sha256_or_none(path), message)
        record_load_error(db, path.name, failure.sha256, failure.message)
        return failure


def load_files(db: sqlite_utils.Database, paths: Iterable[Path],
               on_done: Callable[[Path, LoadResult | FileFailure], None] | None = None) -> BatchSummary:
    summary = BatchSummary()
    for path in paths:
        outcome = load_file(db, Path(path))
        if isinstance(outcome, FileFailure):
            summary.failed.append(outcome)
        elif outcome.status == "loaded":
            summary.loaded.append(outcome)
        else:
            summary.unchanged.append(outcome)
        if on_done:
            on_done(Path(path), outcome)
    return summary
