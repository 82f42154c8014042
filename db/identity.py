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

from db.store import evaluation_id
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
    number = 1
    while True:
        key = base if number == 1 else f"{base}-{number}"
        row = db.execute("""SELECT e.document, d.content_hash FROM evaluations e
            LEFT JOIN documents d ON d.sha256 = e.document WHERE e.id = ?""", [key]).fetchone()
        if row is None:
            db["evaluations"].insert({
                "id": key, "kommunkod": extract.kommunkod, "kommun": extract.kommun, "year": int(extract.year),
                "framework": extract.framework or generation_by_year(extract.year), "report_no": number})
            return key, None
        document, their_fingerprint = row
        if document is None:
            return key, None
        if fingerprint is not None and their_fingerprint == fingerprint:
            return key, document
        number += 1


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
