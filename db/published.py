"""Loading `db/data/published_scores.csv`: scores municipalities published on their web pages.

Each row becomes an area score (or only a total) with the page's URL as provenance and source
`published_page` when the URL is the municipality's own site, `news` when it is another site quoting the
result (a newspaper, a press-release service, another municipality's page). The CSV itself is recorded as
a document (kind `published_scores`), so loading the same file again changes nothing and a changed file
replaces the rows of the previous one.
"""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import sqlite_utils

from db.frameworks import normalise_generation
from db.schema import NEWS, PUBLISHED_PAGE
from db.store import (InvalidExtract, drop_orphan_evaluations, ensure_evaluation, forget_document, is_loaded,
                      refresh_totals, write_transaction)
from extractors.municipalities import lookup
from extractors.places import host_municipality

PUBLISHED_CSV = Path(__file__).parent / "data" / "published_scores.csv"
PUBLISHED_LOADER_VERSION = "published-2"  # 2: news told apart from the municipality's own pages
KIND = "published_scores"
# Reference values some notes quote beside an area score.
REFERENCE_PATTERNS = (
    (re.compile(r"Sverigesnitt for area quoted: (?P<value>\d+(?:[.,]\d+)?)"), "Sverigesnitt"),
    (re.compile(r"nationellt medelvärde area (?P<area>\d) = (?P<value>\d+(?:[.,]\d+)?)"), "medelvärde"),
)


def load_published(db: sqlite_utils.Database, csv_path: str | Path | None = None) -> dict[str, int]:
    """Load the published scores in one transaction; returns row counts (empty when unchanged)."""
    path = Path(csv_path or PUBLISHED_CSV)
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if is_loaded(db, sha, PUBLISHED_LOADER_VERSION):
        return {}
    rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
    with write_transaction(db):  # one writer at a time (db/store.py)
        touched = set()
        for old in db.execute("SELECT sha256 FROM documents WHERE kind = ?", [KIND]).fetchall():
            touched |= forget_document(db, old[0])
        db["documents"].insert({"sha256": sha, "kind": KIND, "filename": path.name,
                                "extractor_version": PUBLISHED_LOADER_VERSION})
        counts = _load_rows(db, sha, rows, path.name)
        touched |= counts.pop("_touched")
        refresh_totals(db, touched)
        drop_orphan_evaluations(db, touched)
    return counts


def _load_rows(db: sqlite_utils.Database, sha: str, rows: list[dict], filename: str) -> dict:
    sources: dict[tuple[str, str], dict] = {}
    scores = []
    for line, row in enumerate(rows, 2):
        key, framework = _evaluation_of(db, row, f"{filename}:{line}")
        url = row["source_url"].strip()
        source = sources.setdefault((key, url), {
            "evaluation": key, "source": source_kind_of(url, row["kommun"]), "provenance": url, "document": sha,
            "source_url": url,
            "total": None, "note": row["note"] or None})
        if row["total"].strip() and source["total"] is None:
            source["total"] = float(row["total"])
        if row["area_no"].strip():
            scores.append(_area_row(row, key, framework, sha, url))
    db["evaluation_sources"].insert_all(sources.values())
    if scores:
        db["area_scores"].insert_all(scores)
    return {"evaluation_sources": len(sources), "area_scores": len(scores),
            "evaluations": len({key for key, _ in sources}), "_touched": {key for key, _ in sources}}


def source_kind_of(url: str, kommun: str) -> str:
    """`published_page` when the address is the municipality's own site (grastorp.se, blogg.orebro.se),
    `news` for any other site quoting the result (a newspaper, a press-release service, another
    municipality's page)."""
    site = host_municipality(url)
    return PUBLISHED_PAGE if site is not None and site.name == (lookup(kommun).name if lookup(kommun) else kommun) \
        else NEWS


def _evaluation_of(db: sqlite_utils.Database, row: dict, where: str) -> tuple[str, str]:
    municipality = lookup(row["kommun"])
    if municipality is None:
        raise InvalidExtract(f"{where}: unknown municipality {row['kommun']!r}")
    year = int(row["year"])
    framework = normalise_generation(row["framework"], year)
    key = ensure_evaluation(db, kommunkod=municipality.kommunkod, kommun=municipality.name, year=year,
                            framework=framework)
    return key, framework


def _area_row(row: dict, key: str, framework: str, sha: str, url: str) -> dict:
    area = int(row["area_no"])
    reference, kind = _reference(row["note"] or "", area)
    return {"evaluation": key, "framework": framework, "area": area, "source": source_kind_of(url, row["kommun"]),
            "provenance": url,
            "area_name": row["area_name"] or None, "score": float(row["score"]), "reference": reference,
            "reference_kind": kind, "document": sha, "source_url": url}


def _reference(note: str, area: int) -> tuple[float | None, str | None]:
    """A reference value quoted in the note for this area (national mean or Sverigesnitt), if any."""
    for pattern, kind in REFERENCE_PATTERNS:
        match = pattern.search(note)
        if match and int(match.groupdict().get("area") or area) == area:
            return float(match["value"].replace(",", ".")), kind
    return None, None
