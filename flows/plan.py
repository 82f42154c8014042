"""Which corpus documents need processing: decided from the database before any flow starts.

Prefect's local mode costs seconds per flow start, so `kompass process` asks this module first
and starts the flow only when something is new or changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from corpus.store import CorpusNotFound, CorpusStore


def analysis_version() -> str:
    """The version a document's analysis is cached and loaded under (extraction + tagging)."""
    from extractors.pipeline import analysis_version as version_of_analysis

    return version_of_analysis()


@dataclass(frozen=True)
class PendingDocument:
    """One document to analyse and load, with where it came from (None for bundled files)."""

    path: str
    sha256: str
    source_url: str | None = None
    fetched_at: str | None = None

    @property
    def filename(self) -> str:
        return Path(self.path).name


@dataclass
class ProcessPlan:
    version: str
    pending: list[PendingDocument] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    failed_before: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)   # "name: why" of files that could not be read

    def summary(self) -> str:
        unreadable = f", {len(self.unreadable)} unreadable" if self.unreadable else ""
        return (f"{len(self.pending)} to process, {len(self.loaded)} already loaded, "
                f"{len(self.failed_before)} failed before{unreadable} (version {self.version})")


def failed_before(db: sqlite_utils.Database, sha256: str) -> bool:
    """Whether this content already failed to load (recorded in `load_errors`)."""
    if "load_errors" not in db.table_names():
        return False
    return db.execute("SELECT 1 FROM load_errors WHERE sha256 = ?", [sha256]).fetchone() is not None


def plan_processing(corpus_dir: str | Path, db: sqlite_utils.Database, retry_failed: bool = False) -> ProcessPlan:
    """Sort the corpus into documents to process, already loaded, and failed before (skipped)."""
    from db.load import is_loaded

    store = CorpusStore(corpus_dir)
    if not store.root.is_dir():
        raise CorpusNotFound(f"{store.root}: no such corpus directory (harvest into it first, or give --corpus)")
    origins = store.origins()
    plan = ProcessPlan(version=analysis_version())
    seen: set[str] = set()
    documents = store.documents()
    hashes = store.sha256s(documents)
    for path in documents:
        sha256 = hashes[path]
        if isinstance(sha256, BaseException):
            from kompass.inputs import shown

            message = str(sha256) if str(sha256).startswith(path.name) else f"{path.name}: {sha256}"
            plan.unreadable.append(shown(message))
            continue
        if sha256 in seen:
            continue
        seen.add(sha256)
        if is_loaded(db, sha256, plan.version):
            plan.loaded.append(sha256)
        elif not retry_failed and failed_before(db, sha256):
            plan.failed_before.append(sha256)
        else:
            origin = origins.get(sha256)
            url = origin and (origin.final_url or origin.url)
            plan.pending.append(PendingDocument(str(path), sha256, url, origin and origin.fetched_at))
    return plan
