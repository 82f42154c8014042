"""Loading what web pages state: `published_page` scores (the municipality's own site) or `news` (another
site quoting the result), with the words they came from.

One page version (its URL and the hash of its visible text) is one document of kind `result_page`,
keyed by sha256(url + content hash); its scores go to `area_scores` and `evaluation_sources` with
that key as provenance and the URL as `source_url`, and every number with its sentence or table row
to `page_figures`. Loading the same version again changes nothing. A new version replaces the
page's rows in one transaction; `result_page_history` keeps one row per version (URL, content hash,
first fetch time) with what it stated then. A page that never stated a result stores nothing.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlite_utils

from corpus.web_pages import PageReading
from extractors.statements import EvaluationFigures
from db.store import (drop_orphan_evaluations, ensure_evaluation, forget_document, is_loaded, refresh_totals,
                      write_transaction)
from kompass.errors import KompassError

KIND = "result_page"
LOADED, UNCHANGED, NOTHING, REMOVED, FAILED = "loaded", "unchanged", "nothing", "removed", "failed"


@dataclass(frozen=True)
class PageLoad:
    url: str
    status: str          # LOADED, UNCHANGED, NOTHING (never stated a result), REMOVED (no longer does), FAILED
    evaluations: tuple[str, ...] = ()
    reason: str | None = None


def page_document_id(url: str, content_sha256: str) -> str:
    """The key of one version of one page."""
    return hashlib.sha256(f"{url}\n{content_sha256}".encode("utf-8")).hexdigest()


def latest_version(db: sqlite_utils.Database, url: str) -> str | None:
    """The content hash the page had when last seen to change (None for a page never recorded)."""
    row = db.execute("SELECT content_sha256 FROM result_page_history WHERE url = ? "
                     "ORDER BY fetched_at DESC, rowid DESC LIMIT 1", [url]).fetchone()
    return row[0] if row else None


def load_page(db: sqlite_utils.Database, reading: PageReading) -> PageLoad:
    """Load one page reading in one transaction (idempotent per page version and reader version)."""
    key = page_document_id(reading.url, reading.content_sha256)
    previous = latest_version(db, reading.url)
    if previous == reading.content_sha256 and (
            is_loaded(db, key, reading.reader_version) if reading.has_result else not _has_rows(db, reading.url)):
        return PageLoad(reading.url, UNCHANGED)
    if previous is None and not reading.has_result:
        return PageLoad(reading.url, NOTHING)
    with write_transaction(db):  # one writer at a time (db/store.py)
        touched = _forget_page(db, reading.url)
        evaluations: list[str] = []
        if reading.has_result:
            evaluations = _insert_version(db, key, reading)
        if previous != reading.content_sha256:
            _record_history(db, reading, evaluations)
        refresh_totals(db, touched | set(evaluations))
        drop_orphan_evaluations(db, touched - set(evaluations))
    return PageLoad(reading.url, LOADED if evaluations else REMOVED, tuple(evaluations))


def load_pages(db: sqlite_utils.Database, readings: list[PageReading]) -> list[PageLoad]:
    """Load each reading in its own transaction (later readings of one URL win); one that cannot be
    loaded is reported as FAILED with its reason and the others go on."""
    loads = []
    for reading in readings:
        try:
            loads.append(load_page(db, reading))
        except (KompassError, sqlite3.DatabaseError, ValueError) as error:
            loads.append(PageLoad(reading.url, FAILED, reason=f"{type(error).__name__}: {error}"))
    return loads


def _has_rows(db: sqlite_utils.Database, url: str) -> bool:
    return db.execute("SELECT 1 FROM documents WHERE kind = ? AND source_url = ?", [KIND, url]).fetchone() is not None


def _forget_page(db: sqlite_utils.Database, url: str) -> set[str]:
    touched: set[str] = set()
    for (sha,) in db.execute("SELECT sha256 FROM documents WHERE kind = ? AND source_url = ?", [KIND, url]).fetchall():
        db.execute("DELETE FROM page_figures WHERE document = ?", [sha])
        touched |= forget_document(db, sha)
    return touched


def _insert_version(db: sqlite_utils.Database, key: str, reading: PageReading) -> list[str]:
    db["documents"].insert({"sha256": key, "kind": KIND, "filename": _filename(reading.url),
                            "source_url": reading.url, "fetched_at": reading.fetched_at,
                            "extractor_version": reading.reader_version})
    keys, sources, scores, figures = [], [], [], []
    for evaluation in reading.evaluations:
        evaluation_key = ensure_evaluation(db, kommunkod=reading.kommunkod, kommun=reading.kommun,
                                           year=evaluation.year, framework=evaluation.framework)
        keys.append(evaluation_key)
        sources.append({"evaluation": evaluation_key, "source": reading.source_kind, "provenance": key, "document": key,
                        "source_url": reading.url, "total": evaluation.total.value if evaluation.total else None,
                        "note": f"read from the page fetched {reading.fetched_at}"})
        for number, figure in sorted(evaluation.areas.items()):
            scores.append({"evaluation": evaluation_key, "framework": evaluation.framework, "area": number,
                           "source": reading.source_kind, "provenance": key, "area_name": figure.area_name,
                           "score": figure.value, "reference": figure.reference,
                           "reference_kind": figure.reference_kind, "document": key, "source_url": reading.url})
        figures.extend(_figure_rows(key, reading, evaluation, evaluation_key, len(figures)))
    db["evaluation_sources"].insert_all(sources)
    if scores:
        db["area_scores"].insert_all(scores)
    db["page_figures"].insert_all(figures)
    db["checks"].insert_all([{"document": key, "name": name, "ok": int(ok), "detail": detail}
                             for name, ok, detail in reading.checks], pk=("document", "name"), replace=True)
    db["warnings"].insert_all([{"document": key, "seq": i, "message": message}
                               for i, message in enumerate(reading.warnings, 1)])
    return keys


def _figure_rows(key: str, reading: PageReading, evaluation: EvaluationFigures, evaluation_key: str,
                 start: int) -> list[dict]:
    stated = [*(f for _, f in sorted(evaluation.areas.items())), *([evaluation.total] if evaluation.total else [])]
    return [{"document": key, "seq": start + i, "url": reading.url, "fetched_at": reading.fetched_at,
             "evaluation": evaluation_key, "year": evaluation.year, "kind": f.kind, "area": f.area, "value": f.value,
             "reference": f.reference, "reference_kind": f.reference_kind, "shape": f.shape, "excerpt": f.excerpt}
            for i, f in enumerate(stated, 1)]


def _record_history(db: sqlite_utils.Database, reading: PageReading, evaluations: list[str]) -> None:
    stated = [{"year": e.year, "framework": e.framework,
               "total": e.total.value if e.total else None,
               "areas": {str(n): f.value for n, f in sorted(e.areas.items())},
               "excerpts": [f.excerpt for f in [*e.areas.values(), *([e.total] if e.total else [])]]}
              for e in reading.evaluations]
    db["result_page_history"].insert(
        {"url": reading.url, "content_sha256": reading.content_sha256, "fetched_at": reading.fetched_at,
         "reader_version": reading.reader_version, "kommunkod": reading.kommunkod, "kommun": reading.kommun,
         "evaluations": len(evaluations), "figures": json.dumps(stated, ensure_ascii=False)},
        pk=("url", "content_sha256", "fetched_at"), ignore=True)


def _filename(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    return path.rsplit("/", 1)[-1] or urlsplit(url).netloc
