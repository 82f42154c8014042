"""Which evaluation a report is: one evaluation per report, the same report recognised in any file.

A report's content fingerprint hashes what it says (municipality, year, evaluation dates, scores,
sub-question points and findings, with text reduced to letters and digits so that line breaks,
hyphenation and spacing of another rendering do not count); the file's bytes do not enter it.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from functools import lru_cache

import sqlite_utils

from db.store import DOCUMENT_TABLES, evaluation_id
from extractors.frameworks import generation_by_year
from extractors.records import ReportExtract


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def content_fingerprint(extract: ReportExtract) -> str | None:
    """sha256 of what the report says, or None when it says too little to recognise it again."""
    if not (extract.areas or extract.questions or extract.findings):
        return None
    payload = {
        "kommun": extract.kommunkod or _letters(extract.kommun or ""), "year": extract.year,
        "dates": sorted(extract.evaluation_dates), "total": extract.total,
        "areas": sorted((a.area, a.score) for a in extract.areas),
        "questions": sorted((q.question, q.points) for q in extract.questions),
        "findings": sorted((f.area, f.kind, _letters(f.text)) for f in extract.findings),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def report_evaluation(db: sqlite_utils.Database, extract: ReportExtract,
                      fingerprint: str | None) -> tuple[str, str | None]:
    """The evaluation this report is, and the document already loaded for the same report (or None).

    The first report of a municipality and year takes `kommunkod-year` (also when a comparison table or
    a web page named that evaluation first); a different report of the same year takes `…-2`, `…-3`.
    """
    base = evaluation_id(extract.kommunkod, extract.kommun, extract.year)
    slots = db.execute("""SELECT e.id, e.document, d.content_hash FROM evaluations e
        LEFT JOIN documents d ON d.sha256 = e.document
        WHERE e.id = ? OR (e.id LIKE ? AND e.report_no > 1) ORDER BY e.report_no, e.id""",
                       [base, base + "-%"]).fetchall()
    for key, document, their_fingerprint in slots:
        if document is not None and fingerprint is not None and their_fingerprint == fingerprint:
            return key, document
    for key, document, _ in slots:
        if document is None:  # named before by a comparison table or a web page: the report takes it
            db.execute("UPDATE evaluations SET report_no = ? WHERE id = ?", [_number(key, base), key])
            return key, None
    number = max([_number(key, base) for key, _, _ in slots] or [0]) + 1
    key = base if number == 1 else f"{base}-{number}"
    db["evaluations"].insert({
        "id": key, "kommunkod": extract.kommunkod, "kommun": extract.kommun, "year": int(extract.year),
        "framework": extract.framework or generation_by_year(extract.year), "report_no": number})
    return key, None


def _number(key: str, base: str) -> int:
    tail = key[len(base) + 1:]
    return int(tail) if key != base and tail.isdigit() else 1


def demote(db: sqlite_utils.Database, primary: str, successor: str) -> set[str]:
    """Let `successor` (the same report, smaller sha256) hold the report's rows instead of `primary`, so
    which file of a report holds the rows never depends on the order they were loaded in. Returns the
    evaluations whose sources changed."""
    touched = {row[0] for row in db.execute("SELECT evaluation FROM evaluation_sources WHERE document = ?", [primary])}
    for table in [t for t in DOCUMENT_TABLES if db[t].exists()]:  # number_status: from migration 11
        if table not in ("checks", "warnings"):  # what the extractor saw in that file stays with it
            db.execute(f"DELETE FROM [{table}] WHERE document = ?", [primary])
    db.execute("UPDATE documents SET same_report_as = ? WHERE sha256 = ? OR same_report_as = ?",
               [successor, primary, primary])
    db.execute("UPDATE evaluations SET document = NULL WHERE document = ?", [primary])
    return touched


@lru_cache(maxsize=1)
def program_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kommunkompassen")
    except PackageNotFoundError:
        return "0+unknown"


def note_build(db: sqlite_utils.Database) -> str:
    """Record that the database changed now, by this program version; returns the time (UTC, ISO 8601)."""
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    if db["build_info"].exists():
        db["build_info"].upsert_all([{"key": "built_at", "value": now},
                                     {"key": "program_version", "value": program_version()}], pk="key")
    return now
