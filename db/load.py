"""Loading one analysed report into the database: one transaction per document, idempotent.

A document is keyed by its sha256 and the extractor version that read it: loading the same pair
again changes nothing; a new extractor version replaces every row the document gave before.
Scores the report quotes for other municipalities (Tabell 2) become their own evaluations with
source `comparison_table` and this document as provenance.

One evaluation per report (db/identity.py): a second, different report of the same municipality and
year becomes its own evaluation (`1982-2009-2`, "Fagersta 2009 (2)"); the same report found again as
another file (re-saved, from another site) is recognised by its content and recorded as a second
document of the same evaluation, with no rows of its own, so nothing is counted twice. Of the files of
one report, the one with the smallest sha256 holds the rows, whatever order they were loaded in.
"""
from __future__ import annotations

import json

from collections import defaultdict
from dataclasses import dataclass, field

import sqlite_utils

from db.identity import content_fingerprint, demote, note_build, report_evaluation
from db.schema import COMPARISON_TABLE, REPORT
from db.search import parts_words
from db.store import (InvalidExtract, clear_load_errors, drop_orphan_evaluations, ensure_evaluation,
                      forget_document, is_loaded, record_load_error, refresh_totals, write_transaction)
from extractors.lemmas import lemma_words
from extractors.pipeline import Analysis
from kompass.inputs import shown
from extractors.number_status import AREA_NUMBERS, COMPARISON_NUMBERS, QUESTION_NUMBERS, REPORT_NUMBERS, status_of
from extractors.records import CITED, IMPROVEMENT, NUMBER_STATUSES, OWN, STRENGTH, ReportExtract

LOADED, UNCHANGED = "loaded", "unchanged"

__all__ = ["LoadResult", "load_analysis", "load_published", "is_loaded", "record_load_error", "InvalidExtract"]


@dataclass
class LoadResult:
    sha256: str
    filename: str
    evaluation: str | None
    status: str  # LOADED or UNCHANGED
    rows: dict[str, int] = field(default_factory=dict)


def load_analysis(db: sqlite_utils.Database, analysis: Analysis, *, source_url: str | None = None,
                  fetched_at: str | None = None, path: str | None = None) -> LoadResult:
    """Load one analysed document in a single transaction (nothing is written if any row fails).

    `path` is where the PDF was read from (kept so `kompass serve` can show it at a page). The
    transaction holds the write lock from its start; DatabaseBusy when another writer holds it for
    longer than the connection's busy_timeout.
    """
    analysis = _safe_names(analysis)
    path = shown(path) if path else path
    extract = analysis.extract
    source = extract.source
    version = str(analysis.extractor_version)
    if is_loaded(db, source.sha256, version):
        if path and db.execute("SELECT 1 FROM documents WHERE sha256 = ? AND path IS NOT ?",
                               [source.sha256, path]).fetchone():
            with write_transaction(db):  # committed at once: an open write would hold the lock
                db.execute("UPDATE documents SET path = ? WHERE sha256 = ?", [path, source.sha256])
        return LoadResult(source.sha256, source.filename, _own_evaluation(db, source.sha256), UNCHANGED)
    validate(extract)
    fingerprint = content_fingerprint(extract)
    with write_transaction(db):
        if is_loaded(db, source.sha256, version):  # another writer loaded it while this one waited
            return LoadResult(source.sha256, source.filename, _own_evaluation(db, source.sha256), UNCHANGED)
        source_url, fetched_at, path = _keep_provenance(db, source.sha256, source_url, fetched_at, path)
        touched = forget_document(db, source.sha256)
        db["documents"].insert({
            "sha256": source.sha256, "kind": "report", "filename": source.filename, "source_url": source_url,
            "fetched_at": fetched_at, "pages": source.pages, "extractor_version": version,
            "content_hash": fingerprint, "path": path, "loaded_at": note_build(db),
            "ocr_pages": json.dumps(source.ocr_pages) if source.ocr_pages else None})
        own, same_as = report_evaluation(db, extract, fingerprint)
        if same_as is not None and source.sha256 < same_as:  # the smallest sha256 of a report holds its rows
            touched |= demote(db, same_as, source.sha256)
            same_as = None
        if same_as is not None:  # the same report in another file: a second document, no rows of its own
            db["documents"].update(source.sha256, {"evaluation": own, "same_report_as": same_as})
            _insert(db, "checks", _check_rows(extract))  # what the extractor saw in this file stays with it,
            _insert(db, "warnings", _warning_rows(extract))  # as when it is demoted (db.identity.demote)
            refresh_totals(db, touched)
            drop_orphan_evaluations(db, touched)
            clear_load_errors(db, source.sha256, source.filename)
            return LoadResult(source.sha256, source.filename, own, LOADED, {"same_report_as": 1})
        _describe_own_evaluation(db, extract, own)
        db["documents"].update(source.sha256, {"evaluation": own})
        rows = _load_report_rows(db, extract, own)
        rows["sentences"] = _insert(db, "sentences", [
            {"document": source.sha256, "seq": i, "evaluation": own, "page": s.page, "area": s.area,
             "text": s.text, "lemmas": s.lemmas, "parts": parts_words(s.text)}
            for i, s in enumerate(analysis.sentences, 1)])
        compared = _load_comparisons(db, extract)
        rows["comparison_evaluations"] = len(compared)
        touched |= compared | {own}
        refresh_totals(db, touched)
        drop_orphan_evaluations(db, touched)
        clear_load_errors(db, source.sha256, source.filename)
    return LoadResult(source.sha256, source.filename, own, LOADED, rows)


def validate(extract: ReportExtract) -> None:
    """Raise InvalidExtract when the extract lacks what an evaluation needs or holds impossible values."""
    name = extract.source.filename
    if not extract.kommun or not extract.year:
        raise InvalidExtract(f"{name}: no municipality or year found in the title block; cannot load")
    problems = [f"area {a.area}" for a in extract.areas if not 1 <= a.area <= 8]
    problems += [f"finding kind {f.kind!r}" for f in extract.findings if f.kind not in (STRENGTH, IMPROVEMENT)]
    problems += [f"good example kind {g.kind!r}" for g in extract.good_examples if g.kind not in (CITED, OWN)]
    problems += [f"number status {s.status!r}" for record in [extract, *extract.areas, *extract.questions,
                                                              *extract.comparisons]
                 for s in record.number_status.values() if s.status not in NUMBER_STATUSES]
    if problems:
        raise InvalidExtract(f"{name}: impossible values in the extract: {', '.join(problems[:5])}")


def _safe_names(analysis: Analysis) -> Analysis:
    """The analysis with its file name as text SQLite takes (a name's non-UTF-8 bytes as `\\xNN`)."""
    from dataclasses import replace

    source = analysis.extract.source
    if shown(source.filename) == source.filename:
        return analysis
    return replace(analysis, extract=replace(analysis.extract, source=replace(source, filename=shown(source.filename))))


def _keep_provenance(db: sqlite_utils.Database, sha256: str, source_url: str | None, fetched_at: str | None,
                     path: str | None) -> tuple[str | None, str | None, str | None]:
    """Where and when the file was fetched and where it lies, kept from its previous load unless given anew."""
    row = db.execute("SELECT source_url, fetched_at, path FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    if row is None:
        return source_url, fetched_at, path
    return source_url or row[0], fetched_at or row[1], path or row[2]


def _own_evaluation(db: sqlite_utils.Database, sha256: str) -> str | None:
    row = db.execute("SELECT evaluation FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def _describe_own_evaluation(db: sqlite_utils.Database, extract: ReportExtract, own: str) -> None:
    sha = extract.source.sha256
    dates = sorted(extract.evaluation_dates)
    db["evaluations"].update(own, {
        "kommun": extract.kommun, "framework": extract.framework or db["evaluations"].get(own)["framework"],
        "start_date": dates[0] if dates else None, "end_date": dates[-1] if dates else None, "document": sha})
    db["evaluation_sources"].insert({
        "evaluation": own, "source": REPORT, "provenance": sha, "document": sha, "total": extract.total,
        "median_total": extract.median_total, "reference_kind": extract.reference_kind,
        "page": extract.areas[0].page if extract.areas else None})


def _load_report_rows(db: sqlite_utils.Database, extract: ReportExtract, own: str) -> dict[str, int]:
    sha = extract.source.sha256
    base = {"document": sha, "evaluation": own}
    reference_kind = extract.reference_kind or "median"
    return {
        "area_scores": _insert(db, "area_scores", [
            {"evaluation": own, "framework": extract.framework, "area": a.area, "source": REPORT,
             "provenance": sha, "area_name": a.name, "score": a.score, "reference": a.median,
             "reference_kind": (a.reference_kind or reference_kind) if a.median is not None else None,
             "document": sha, "page": a.page, "ocr_confidence": a.ocr_confidence}
            for a in extract.areas if a.score is not None]),  # an OCR'd score left unverified is no row
        "evaluators": _insert(db, "evaluators", [
            {**base, "seq": i, "name": e.name, "organisation": e.organisation}
            for i, e in enumerate(extract.evaluators, 1)]),
        "question_scores": _insert(db, "question_scores", [
            {**base, "question": q.question, "area": _area_of_question(q.question), "text": q.text,
             "max_points": q.max_points, "points": q.points, "percent": q.percent, "page": q.page,
             "ocr_confidence": q.ocr_confidence}
            for q in extract.questions]),
        "findings": _insert(db, "findings", [
            {**base, "seq": i, "area": f.area, "kind": f.kind, "text": f.text, "page": f.page,
             "lemmas": lemma_words(f.text), "parts": parts_words(f.text), "ocr_confidence": f.ocr_confidence}
            for i, f in enumerate(extract.findings, 1)]),
        "good_examples": _insert(db, "good_examples", [
            {**base, "seq": i, "framework": extract.framework, "area": g.area, "kind": g.kind,
             "kommun": g.kommun, "kommunkod": g.kommunkod, "sentence": g.sentence, "page": g.page,
             "lemmas": lemma_words(g.sentence or ""), "parts": parts_words(g.sentence),
             "country": g.country, "code": g.code if g.code is not None else g.kommunkod,
             "sentence_no": g.sentence_no, "sentence_before": g.sentence_before, "sentence_after": g.sentence_after,
             "heading": g.heading, "topic": g.topic or lemma_words(g.sentence or "")}
            for i, g in enumerate(extract.good_examples, 1)]),
        "checks": _insert(db, "checks", _check_rows(extract)),
        "warnings": _insert(db, "warnings", _warning_rows(extract)),
        "number_status": _insert_status(db, _own_number_status(extract, own)),
    }


STORED_AS = {"median": "reference"}  # a record's number field → the column that stores it, where they differ


def _status_rows(sha: str, evaluation: str, record, names: tuple[str, ...], page: int | None, source: str = REPORT,
                 area: int | None = None, question: str | None = None) -> list[dict]:
    """One number_status row per number of the record (db/number_status_schema.py)."""
    rows = []
    for name in names:
        status = status_of(record, name)
        rows.append({"document": sha, "evaluation": evaluation, "source": source, "area": area, "question": question,
                     "field": STORED_AS.get(name, name), "value": getattr(record, name), "status": status.status,
                     "printed": status.printed, "derived_from": status.derived_from, "warning": status.warning,
                     "page": page})
    return rows


def _own_number_status(extract: ReportExtract, own: str) -> list[dict]:
    sha = extract.source.sha256
    rows = _status_rows(sha, own, extract, REPORT_NUMBERS, extract.areas[0].page if extract.areas else None)
    for a in extract.areas:
        rows += _status_rows(sha, own, a, AREA_NUMBERS, a.page, area=a.area)
    for q in extract.questions:
        rows += _status_rows(sha, own, q, QUESTION_NUMBERS, q.page, area=_area_of_question(q.question),
                             question=q.question)
    return rows


def _warning_rows(extract: ReportExtract) -> list[dict]:
    return [{"document": extract.source.sha256, "seq": i, "message": w} for i, w in enumerate(extract.warnings, 1)]


def _check_rows(extract: ReportExtract) -> list[dict]:
    return [{"document": extract.source.sha256, "name": c.name, "ok": int(c.ok), "detail": c.detail}
            for c in extract.checks]


def _load_comparisons(db: sqlite_utils.Database, extract: ReportExtract) -> set[str]:
    """Evaluations of other municipalities quoted in the report's comparison table."""
    sha = extract.source.sha256
    by_evaluation = defaultdict(list)
    for c in extract.comparisons:
        by_evaluation[(c.kommunkod, c.kommun, c.year)].append(c)
    touched = set()
    for (code, kommun, year), scores in by_evaluation.items():
        key = ensure_evaluation(db, kommunkod=code, kommun=kommun, year=year)
        _insert_status(db, [row for c in scores for row in _status_rows(sha, key, c, COMPARISON_NUMBERS, c.page,
                                                                         COMPARISON_TABLE, area=c.area)])
        page = scores[0].page
        scores = [c for c in scores if c.score is not None]  # an OCR'd score left unverified is no row
        total = sum(c.score for c in scores) if len({c.area for c in scores}) == 8 else None
        db["evaluation_sources"].insert({
            "evaluation": key, "source": COMPARISON_TABLE, "provenance": sha, "document": sha, "total": total,
            "page": page, "note": f"quoted in the report on {extract.kommun} {extract.year}"})
        _insert(db, "area_scores", [
            {"evaluation": key, "framework": extract.framework, "area": c.area, "source": COMPARISON_TABLE,
             "provenance": sha, "score": c.score, "document": sha, "page": c.page,
             "ocr_confidence": c.ocr_confidence} for c in scores])
        touched.add(key)
    return touched


def _area_of_question(question: str) -> int | None:
    head = question.split(".")[0]
    return int(head) if head.isdigit() else None


def _insert_status(db: sqlite_utils.Database, rows: list[dict]) -> int:
    """Number status rows; none in a database a caller keeps below migration 11 (opened without migrating)."""
    return _insert(db, "number_status", rows) if db["number_status"].exists() else 0


def _insert(db: sqlite_utils.Database, table: str, rows: list[dict]) -> int:
    if rows:
        db[table].insert_all(rows)
    return len(rows)


from db.published import load_published  # noqa: E402  (re-exported: the public loading API lives here)
