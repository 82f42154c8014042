"""Loading many PDFs: each analysed and loaded on its own; a failure is recorded and the run goes on."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from db.load import UNCHANGED, LoadResult, load_analysis
from db.store import is_loaded, record_load_error
from extractors.guard import Limits, analyse_guarded
from extractors.pipeline import Analysis, analyse, analysis_version
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


def load_file(db: sqlite_utils.Database, path: Path,
              analysis: Analysis | BaseException | None = None) -> LoadResult | FileFailure:
    """Analyse (unless given its analysis or the error it raised) and load one PDF.

    Any error becomes a FileFailure recorded in `load_errors`.
    """
    try:
        if isinstance(analysis, BaseException):
            raise analysis
        return load_analysis(db, analysis or analyse(path), path=str(Path(path).resolve()))
    except Exception as error:  # noqa: BLE001 — one bad file must not stop the run; it is recorded
        message = _one_line(error)
        if not isinstance(error, KompassError):  # unexpected: name the exception's type
            message = f"{type(error).__name__}: {message}"
        failure = FileFailure(path, _sha256_or_none(path), message)
        record_load_error(db, path.name, failure.sha256, failure.message)
        return failure


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

    def note(path: Path, outcome: LoadResult | FileFailure) -> None:
        if isinstance(outcome, FileFailure):
            summary.failed.append(outcome)
        elif outcome.status == "loaded":
            summary.loaded.append(outcome)
        else:
            summary.unchanged.append(outcome)
        if on_done:
            on_done(path, outcome)

    def to_analyse():
        for path in map(Path, paths):
            unchanged = already_loaded(db, path)
            if unchanged:
                note(path, unchanged)
            else:
                yield path

    if limits is None:
        for path in to_analyse():
            note(path, load_file(db, path))
    else:
        for path, outcome in analyse_guarded(to_analyse(), limits, workers):
            note(path, load_file(db, path, outcome))
    return summary
