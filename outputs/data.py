"""Reading what the outputs need from the database views: evaluations, chosen scores, sources.

Everything here reads the views of `db/views.py` (chosen_area_scores, evaluation_areas, area_ranks);
the precedence between sources is decided there, never here.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from extractors.municipalities import lookup
from kompass.errors import KompassError

SOURCE_LABELS = {
    "report": "kommunens egen rapport",
    "comparison_table": "jämförelsetabell i en annan kommuns rapport",
    "published_page": "sida som kommunen publicerat",
}
REFERENCE_LABELS = {"median": "Median", "medelvärde": "Medelvärde", "Sverigesnitt": "Sverigesnitt"}


class DatabaseNotFound(KompassError):
    """The database file named with --db does not exist."""


class UnknownMunicipality(KompassError):
    """No evaluation in the database belongs to the municipality the user named."""


class NoEvaluation(KompassError):
    """The municipality has evaluations, but none for the year asked or none with area scores."""


@dataclass(frozen=True)
class Evaluation:
    id: str
    kommunkod: str | None
    kommun: str
    year: int
    framework: str | None
    total: float | None
    areas_known: int

    @property
    def label(self) -> str:
        return f"{self.kommun} {self.year}"


def open_existing(path: str | Path) -> sqlite_utils.Database:
    """Open a built database (its views brought up to date); a clear error instead of creating a new one."""
    from db.schema import open_database

    path = Path(path)
    if not path.is_file():
        raise DatabaseNotFound(f"{path}: no such database; build it with `kompass load … --db {path}`")
    return open_database(path)


def _rows(db: sqlite_utils.Database, sql: str, params=()) -> list[dict]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def evaluations_of(db: sqlite_utils.Database, kommun: str) -> list[Evaluation]:
    """Every evaluation of a municipality (name, any name form, or kommunkod), oldest first."""
    known = lookup(kommun)
    keys = {kommun.strip(), *( (known.kommunkod, known.name) if known else ())}
    marks = ", ".join("?" * len(keys))
    rows = _rows(db, f"""SELECT evaluation, kommunkod, kommun, year, framework, total, areas_known
        FROM evaluation_areas WHERE kommunkod IN ({marks}) OR kommun COLLATE NOCASE IN ({marks})
        ORDER BY year""", [*keys, *keys])
    if not rows:
        raise UnknownMunicipality(f"{kommun}: no evaluation of this municipality in the database "
                                  "(give a name such as Fagersta or a kommunkod such as 1982)")
    return [Evaluation(r.pop("evaluation"), **r) for r in rows]


def choose_evaluation(evaluations: list[Evaluation], year: int | None = None) -> Evaluation:
    """The evaluation of `year`, or else the latest one with area scores."""
    name = evaluations[0].kommun
    if year is not None:
        for evaluation in evaluations:
            if evaluation.year == year:
                return evaluation
        years = ", ".join(str(e.year) for e in evaluations)
        raise NoEvaluation(f"{name}: no evaluation in {year} (the database has {years})")
    scored = [e for e in evaluations if e.areas_known]
    if not scored:
        raise NoEvaluation(f"{name}: no evaluation with area scores (only totals are known)")
    return scored[-1]


def chosen_scores(db: sqlite_utils.Database, evaluation_id: str) -> list[dict]:
    """The chosen score of each area of one evaluation (view chosen_area_scores), by area."""
    return _rows(db, "SELECT * FROM chosen_area_scores WHERE evaluation = ? ORDER BY area", [evaluation_id])


def scores_in_area(db: sqlite_utils.Database, framework: str, area: int) -> list[dict]:
    """Every evaluation's chosen score in one area of a framework generation (view area_ranks), best first."""
    return _rows(db, """SELECT r.*, c.source, c.provenance, c.page FROM area_ranks r
        JOIN chosen_area_scores c ON c.evaluation = r.evaluation AND c.area = r.area
        WHERE r.framework = ? AND r.area = ? ORDER BY r.score DESC, r.kommun, r.year""", [framework, area])


def database_median(db: sqlite_utils.Database, framework: str, area: int) -> tuple[float | None, int]:
    """Median of the chosen scores in an area over the whole database, and how many it is taken over."""
    scores = [row["score"] for row in scores_in_area(db, framework, area)]
    return (statistics.median(scores) if scores else None), len(scores)


def describe_source(db: sqlite_utils.Database, source: str, provenance: str, page: int | None) -> str:
    """A Swedish phrase naming where a score comes from (report, comparison table or published page)."""
    if source == "published_page":
        return f"{SOURCE_LABELS[source]} ({provenance})"
    citing = db.execute("""SELECT e.kommun, e.year FROM documents d JOIN evaluations e ON e.id = d.evaluation
        WHERE d.sha256 = ?""", [provenance]).fetchone()
    where = f", s. {page}" if page else ""
    if source == "comparison_table" and citing:
        return f"jämförelsetabell i rapporten om {citing[0]} {citing[1]}{where}"
    return f"{SOURCE_LABELS.get(source, source)}{where}"


def sources_caption(db: sqlite_utils.Database, rows: list[dict]) -> str:
    """`Källa: …` for the distinct sources behind a set of chosen score rows."""
    seen = dict.fromkeys(describe_source(db, r["source"], r["provenance"], r["page"]) for r in rows)
    return "Källa: " + "; ".join(seen) if seen else "Källa: okänd"
