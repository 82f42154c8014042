"""Migration 10: aggregates the canned queries read instead of grouping over every row, kept by triggers.

- `chosen_cells`: the chosen score of each cell (evaluation, area), the first of the cell's `area_scores` rows
  in the source precedence of db/views.py, with its generation. `area_ranks` (and so
  `top_and_bottom_per_area`) ranks these rows instead of choosing among every quoted score on each query.
- `cited_municipalities`: each municipality cited as a good example (kommunkod, kommun) with its citations,
  the reports citing it and the areas it is cited in. `most_cited_municipalities` reads it when no area is
  asked for; `cited_areas`, the same per area of a generation, when areas are asked for (at most one area
  of each generation: a report's good examples are all of its one generation, so its reports add up).

Each is kept by triggers on its source table, so every writer (a load, a re-load of a new extractor version,
a removed document, a demoted duplicate file, a published page) updates it in the same transaction as its
write: a changed row recomputes its key from its source rows, so nothing can drift by counting up and down.
`rebuild_aggregates` recomputes everything (the migration, and `aggregate_differences` for the tests).
"""
from __future__ import annotations

from collections import Counter

import sqlite_utils

from db.views import precedence_sql

CHOSEN_OF_CELL = ("SELECT o.id FROM area_scores o WHERE o.evaluation = {ref}.evaluation AND o.area = {ref}.area "
                  f"ORDER BY {precedence_sql('o.source')}, COALESCE(o.provenance, ''), o.source LIMIT 1")
CITED_KEY = "g.kind = 'cited' AND g.kommunkod IS {ref}.kommunkod AND g.kommun = {ref}.kommun"
CITED_AREA_KEY = CITED_KEY + " AND g.framework IS {ref}.framework AND g.area IS {ref}.area"

# From scratch: what each aggregate table must hold (the same expressions the triggers use).
CHOSEN_CELLS_SQL = f"""
SELECT s.evaluation, s.area, s.framework, s.score
FROM (SELECT DISTINCT evaluation, area FROM area_scores WHERE evaluation IS NOT NULL) cell
JOIN area_scores s ON s.id = ({CHOSEN_OF_CELL.format(ref='cell')})
"""
# The areas in a fixed order (sorted), so that the same rows give the same value whatever order they came in.
CITED_MUNICIPALITIES_SQL = """
SELECT g.kommunkod, g.kommun, count(*) AS citations, count(DISTINCT g.evaluation) AS reports,
  (SELECT group_concat(a) FROM (SELECT DISTINCT x.framework || ' ' || x.area AS a FROM good_examples x
   WHERE x.kind = 'cited' AND x.kommunkod IS g.kommunkod AND x.kommun = g.kommun ORDER BY a)) AS areas
FROM good_examples g WHERE g.kind = 'cited' {where}
GROUP BY g.kommunkod, g.kommun
"""
CITED_AREAS_SQL = """
SELECT g.kommunkod, g.kommun, g.framework, g.area, count(*) AS citations, count(DISTINCT g.evaluation) AS reports
FROM good_examples g WHERE g.kind = 'cited' {where}
GROUP BY g.kommunkod, g.kommun, g.framework, g.area
"""
AGGREGATES = {"chosen_cells": CHOSEN_CELLS_SQL, "cited_municipalities": CITED_MUNICIPALITIES_SQL.format(where=""),
              "cited_areas": CITED_AREAS_SQL.format(where="")}


def _recompute_cell(ref: str) -> str:
    return (f"DELETE FROM chosen_cells WHERE evaluation = {ref}.evaluation AND area = {ref}.area; "
            "INSERT INTO chosen_cells (evaluation, area, framework, score) "
            f"SELECT s.evaluation, s.area, s.framework, s.score FROM area_scores s "
            f"WHERE s.id = ({CHOSEN_OF_CELL.format(ref=ref)}); ")


def _recompute_cited(ref: str) -> str:
    return (f"DELETE FROM cited_municipalities WHERE kommunkod IS {ref}.kommunkod AND kommun = {ref}.kommun; "
            "INSERT INTO cited_municipalities (kommunkod, kommun, citations, reports, areas) "
            + " ".join(CITED_MUNICIPALITIES_SQL.format(where="AND " + CITED_KEY.format(ref=ref)).split()) + "; ")


def _recompute_cited_area(ref: str) -> str:
    return (f"DELETE FROM cited_areas WHERE kommunkod IS {ref}.kommunkod AND kommun = {ref}.kommun "
            f"AND framework IS {ref}.framework AND area IS {ref}.area; "
            "INSERT INTO cited_areas (kommunkod, kommun, framework, area, citations, reports) "
            + " ".join(CITED_AREAS_SQL.format(where="AND " + CITED_AREA_KEY.format(ref=ref)).split()) + "; ")


def _recompute_citations(ref: str) -> str:
    return _recompute_cited(ref) + _recompute_cited_area(ref)


TRIGGERS = {
    "chosen_cells_ai": f"AFTER INSERT ON area_scores BEGIN {_recompute_cell('new')}END",
    "chosen_cells_ad": f"AFTER DELETE ON area_scores BEGIN {_recompute_cell('old')}END",
    "chosen_cells_au": f"AFTER UPDATE ON area_scores BEGIN {_recompute_cell('old')}{_recompute_cell('new')}END",
    "citations_ai": f"AFTER INSERT ON good_examples WHEN new.kind = 'cited' BEGIN "
                    f"{_recompute_citations('new')}END",
    "citations_ad": f"AFTER DELETE ON good_examples WHEN old.kind = 'cited' BEGIN "
                    f"{_recompute_citations('old')}END",
    "citations_au": "AFTER UPDATE OF kind, kommunkod, kommun, evaluation, framework, area ON good_examples "
                    f"BEGIN {_recompute_citations('old')}{_recompute_citations('new')}END",
}


def precomputed_aggregates(db: sqlite_utils.Database) -> None:
    """The aggregate tables, their indexes and triggers, filled from the rows already loaded."""
    db.execute("CREATE TABLE chosen_cells (evaluation TEXT NOT NULL, area INTEGER NOT NULL, framework TEXT, "
               "score REAL, PRIMARY KEY (evaluation, area))")
    db.execute("CREATE INDEX chosen_cells_framework_area ON chosen_cells (framework, area, score)")
    db.execute("CREATE TABLE cited_municipalities (kommunkod TEXT, kommun TEXT NOT NULL, citations INTEGER NOT NULL, "
               "reports INTEGER NOT NULL, areas TEXT)")
    db.execute("CREATE INDEX cited_municipalities_key ON cited_municipalities (kommunkod, kommun)")
    db.execute("CREATE TABLE cited_areas (kommunkod TEXT, kommun TEXT NOT NULL, framework TEXT, area INTEGER, "
               "citations INTEGER NOT NULL, reports INTEGER NOT NULL)")
    db.execute("CREATE INDEX cited_areas_area ON cited_areas (framework, area, kommunkod, kommun)")
    # The good examples of some areas counted and paged by kind (good_examples_for_area) without reading the rows.
    db.execute("CREATE INDEX good_examples_area_kind ON good_examples (framework, area, kind, evaluation)")
    for name, body in TRIGGERS.items():
        db.execute(f"CREATE TRIGGER [{name}] {body}")
    rebuild_aggregates(db)


def rebuild_aggregates(db: sqlite_utils.Database) -> None:
    """Every aggregate table recomputed from its source rows."""
    for table, sql in AGGREGATES.items():
        db.execute(f"DELETE FROM [{table}]")
        columns = ", ".join(f"[{c}]" for c in _columns(db, table))
        db.execute(f"INSERT INTO [{table}] ({columns}) {sql}")


def aggregate_differences(db: sqlite_utils.Database) -> dict[str, int]:
    """Rows by which each aggregate table differs from its from-scratch query (missing, extra or changed); all 0
    when right."""
    differences = {}
    for table, sql in AGGREGATES.items():
        columns = _columns(db, table)
        picked = ", ".join(f"[{c}]" for c in columns)
        stored = Counter(db.execute(f"SELECT {picked} FROM [{table}]").fetchall())
        fresh = Counter(db.execute(f"SELECT {picked} FROM ({sql})").fetchall())
        differences[table] = sum(((stored - fresh) + (fresh - stored)).values())
    return differences


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info([{table}])")]
