"""Reading what the outputs need from the database views: evaluations, chosen scores, sources.

Everything here reads the views of `db/views.py` (chosen_area_scores, evaluation_areas, area_ranks);
the precedence between sources is decided there, never here.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from db.names import UnknownMunicipality, resolve
from kompass.errors import KompassError

SOURCE_LABELS = {
    "report": "kommunens egen rapport",
    "comparison_table": "jämförelsetabell i en annan kommuns rapport",
    "published_page": "sida som kommunen publicerat",
    "news": "nyhet eller annan sida som återger resultatet",
}
REFERENCE_LABELS = {"median": "Median", "medelvärde": "Medelvärde", "Sverigesnitt": "Sverigesnitt"}


class DatabaseNotFound(KompassError):
    """The database file named with --db does not exist."""


__all__ = ["UnknownMunicipality", "NotEvaluated", "NoEvaluation", "DatabaseNotFound", "Evaluation"]


class NotEvaluated(UnknownMunicipality):
    """The municipality exists, but no evaluation of it is in the database."""


class NoEvaluation(KompassError):
    """The municipality has evaluations, but none for the year asked or none with area scores."""


@dataclass(frozen=True)
class Evaluation:
    id: str
    label: str            # "Fagersta 2009", "Fagersta 2009 (2)" for a second report of the same year
    kommunkod: str | None
    kommun: str
    year: int
    framework: str | None
    total: float | None
    areas_known: int


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


def _places(db: sqlite_utils.Database) -> tuple[str, ...]:
    """Names of evaluated places without a kommunkod (municipalities outside Sweden in comparison tables)."""
    return tuple(r[0] for r in db.execute("SELECT DISTINCT kommun FROM evaluations WHERE kommunkod IS NULL"))


def evaluations_of(db: sqlite_utils.Database, kommun: str) -> list[Evaluation]:
    """Every evaluation of a municipality (name in any case or form, or kommunkod with or without its
    leading zero), oldest first; an unknown name gets a "did you mean"."""
    found = resolve(kommun, _places(db))
    where, key = ("kommunkod = ?", found.kommunkod) if found.kommunkod else ("kommunkod IS NULL AND kommun = ?",
                                                                            found.name)
    rows = _rows(db, f"""SELECT evaluation, label, kommunkod, kommun, year, framework, total, areas_known
        FROM evaluation_areas WHERE {where} ORDER BY year, report_no, evaluation""", [key])
    if not rows:
        code = f" ({found.kommunkod})" if found.kommunkod else ""
        raise NotEvaluated(f"{found.name}{code}: no evaluation of this municipality in the database")
    return [Evaluation(r.pop("evaluation"), **r) for r in rows]


def choose_evaluations(evaluations: list[Evaluation], year: int | None = None) -> list[Evaluation]:
    """Every evaluation of `year` (two reports of one year are two evaluations), or else those of the
    latest year with area scores."""
    name = evaluations[0].kommun
    if year is not None:
        chosen = [e for e in evaluations if e.year == year]
        if not chosen:
            years = ", ".join(str(e.year) for e in evaluations)
            raise NoEvaluation(f"{name}: no evaluation in {year} (the database has {years})")
        return chosen
    scored = [e for e in evaluations if e.areas_known]
    if not scored:
        raise NoEvaluation(f"{name}: no evaluation with area scores (only totals are known)")
    return [e for e in scored if e.year == scored[-1].year]


def choose_evaluation(evaluations: list[Evaluation], year: int | None = None) -> Evaluation:
    """The evaluation of `year`, or else the latest one with area scores (the first report of that year)."""
    return choose_evaluations(evaluations, year)[0]


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
    if source in ("published_page", "news"):
        return f"{SOURCE_LABELS[source]} ({provenance})"
    citing = db.execute("""SELECT e.kommun, e.year FROM documents d JOIN evaluations e ON e.id = d.evaluation
        WHERE d.sha256 = ?""", [provenance]).fetchone()
    where = f", s. {page}" if page else ""
    if source == "comparison_table" and citing:
        return f"jämförelsetabell i rapporten om {citing[0]} {citing[1]}{where}"
    return f"{SOURCE_LABELS.get(source, source)}{where}"


SOURCE_COUNTS = {"report": ("kommunens egen rapport", "kommunernas egna rapporter"),
                 "comparison_table": ("jämförelsetabell i en annan kommuns rapport",
                                      "jämförelsetabeller i andra kommuners rapporter"),
                 "published_page": ("sida som kommunen publicerat", "sidor som kommunerna publicerat"),
                 "news": ("nyhet som återger resultatet", "nyheter som återger resultaten")}


def sources_caption(db: sqlite_utils.Database, rows: list[dict], limit: int = 5) -> str:
    """`Källa: …` for the distinct sources behind a set of chosen score rows; more than `limit` are counted
    by kind ("Källa: 12 kommunernas egna rapporter, 5 …") so the caption stays one readable line."""
    distinct = dict.fromkeys((r["source"], r["provenance"], r["page"]) for r in rows)
    if not distinct:
        return "Källa: okänd"
    if len(distinct) > limit:
        counts: dict[str, int] = {}
        for source, _, _ in distinct:
            counts[source] = counts.get(source, 0) + 1
        parts = [f"{n} {SOURCE_COUNTS.get(k, (k, k))[n > 1]}" for k, n in counts.items()]
        return "Källa: " + ", ".join(parts) + " (poäng per utvärdering: kompass compare, kompass export)"
    seen = dict.fromkeys(describe_source(db, *key) for key in distinct)
    return "Källa: " + "; ".join(seen)


def swedish_number(value: float | None) -> str:
    """A number as Swedish text shows it: decimal comma, no trailing zeros ("57,5", "81"); "–" when missing."""
    if value is None or value != value:  # None or NaN
        return "–"
    return f"{value:g}".replace(".", ",").replace("-", "−")


def swedish_tick(value: float, decimals: int | None = None) -> str:
    """An axis or label number in Swedish form: decimal comma, a space between thousands, a true minus sign
    ("12 345,5", "0,25", "−3"); never scientific notation."""
    if value != value:  # NaN
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else min(3, len(f"{abs(value):.3f}".rstrip("0").split(".")[1]))
    text = f"{abs(value):,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return ("−" if value < 0 and text.strip("0,\u00a0") else "") + text
