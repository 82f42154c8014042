"""Views for comparison across evaluations; recreated on every open (views hold no data).

Precedence when several sources give the same evaluation and area:
report (the evaluation's own report) > comparison_table (quoted in another report) > published_page
(the municipality's own page) > news (a page elsewhere quoting the result).
"""
from __future__ import annotations

import sqlite_utils

from db.outcome_views import OUTCOME_VIEWS

SOURCE_PRECEDENCE = ("report", "comparison_table", "published_page", "news")
_PRECEDENCE_SQL = "CASE {col} " + " ".join(
    f"WHEN '{source}' THEN {rank}" for rank, source in enumerate(SOURCE_PRECEDENCE, 1)) + " ELSE 9 END"


def precedence_sql(column: str) -> str:
    """SQL expression ranking a source column (1 = preferred)."""
    return _PRECEDENCE_SQL.format(col=column)


_SAME_CELL = "o.evaluation = s.evaluation AND o.area = s.area"
AREA_NUMBERS = "json_each('[1,2,3,4,5,6,7,8]')"

# Driven by the evaluation and the eight area numbers, so that a filter on the evaluation or the
# municipality reaches the evaluations table (SQLite flattens the view) and each cell costs one ordered
# look-up in the area_scores index, however many reports quote that evaluation (a cell quoted by 1,000
# comparison tables used to cost a million comparisons). Minimum and maximum come from the index on
# (evaluation, area, score).
CHOSEN_AREA_SCORES = f"""
SELECT e.id AS evaluation, e.label, e.kommunkod, e.kommun, e.year, s.framework, s.area, fa.name AS area_name,
  fa.theme, t.name AS theme_name, fa.approximate, s.score, s.reference, s.reference_kind, s.source, s.provenance,
  s.document, s.page, s.source_url,
  (SELECT COUNT(*) FROM area_scores o WHERE {_SAME_CELL}) AS sources,
  CAST((SELECT MIN(o.score) FROM area_scores o WHERE {_SAME_CELL})
    <> (SELECT MAX(o.score) FROM area_scores o WHERE {_SAME_CELL}) AS INTEGER) AS disagreement,
  (SELECT MIN(o.score) FROM area_scores o WHERE {_SAME_CELL}) AS min_score,
  (SELECT MAX(o.score) FROM area_scores o WHERE {_SAME_CELL}) AS max_score
FROM evaluations e
JOIN {AREA_NUMBERS} n
JOIN area_scores s ON s.id = (
  SELECT o.id FROM area_scores o WHERE o.evaluation = e.id AND o.area = n.value
  ORDER BY {precedence_sql('o.source')}, COALESCE(o.provenance, ''), o.source LIMIT 1)
LEFT JOIN framework_areas fa ON fa.framework = s.framework AND fa.area = s.area
LEFT JOIN themes t ON t.id = fa.theme
"""


def _of_evaluation(aggregate: str, condition: str = "1") -> str:
    return f"(SELECT {aggregate} FROM chosen_area_scores c WHERE c.evaluation = e.id AND {condition})"


def area_names_sql(area: int, framework: str = "e.framework") -> str:
    """`area_N_name` and `area_N_theme`: what area N is in the evaluation's framework generation (its name and its
    theme's name), beside `area_N` wherever generations mix (area N means different areas in each)."""
    where = f"fa.framework = {framework} AND fa.area = {area}"
    return (f"(SELECT fa.name FROM framework_areas fa WHERE {where}) AS area_{area}_name,\n  "
            f"(SELECT t.name FROM framework_areas fa JOIN themes t ON t.id = fa.theme WHERE {where}) "
            f"AS area_{area}_theme")


def _wide(columns: list[tuple[str, str]], extra: str, names: bool = False) -> str:
    """One row per evaluation with a column per area (or theme); `names`: each area's name and theme beside it.

    Scalar subqueries rather than a grouped join, so that a filter on the municipality or year
    reaches the evaluations table and only that municipality's scores are looked up.
    """
    pivots = ",\n  ".join(f"{_of_evaluation('MAX(c.score)', cond)} AS {name}"
                          + (f",\n  {area_names_sql(int(name[5:]))}" if names else "") for name, cond in columns)
    return f"""
SELECT e.id AS evaluation, e.label, e.kommunkod, e.kommun, m.county, m.skr_group, e.year, e.report_no,
  e.framework, e.total, e.total_source,
  {pivots},
  {_of_evaluation('COUNT(c.area)')} AS areas_known,
  {_of_evaluation('COALESCE(SUM(c.disagreement), 0)')} AS disagreements{extra}
FROM evaluations e
LEFT JOIN municipalities m ON m.kommunkod = e.kommunkod
"""


EVALUATION_AREAS = _wide([(f"area_{n}", f"c.area = {n}") for n in range(1, 9)], "", names=True)
THEME_COLUMNS = ("democracy", "user_focus", "steering", "leadership", "results", "employer", "development",
                 "community")
EVALUATION_THEMES = _wide([(t, f"c.theme = '{t}'") for t in THEME_COLUMNS],
                          f",\n  {_of_evaluation('COALESCE(MAX(c.approximate), 0)')} AS approximate")

# The chosen score of each cell (evaluation and area) of one framework generation, read from `chosen_cells`
# (db/aggregates_schema.py: kept by triggers on area_scores), so a filter on framework and area reaches its
# index and no cell's quoted scores are sorted on a query. A cell whose chosen row has no generation is left
# out, as before.
AREA_RANKS = """
SELECT c.framework, c.area, c.area_name, c.theme, c.theme_name, c.evaluation, c.label, c.kommunkod, c.kommun,
  c.year, c.score,
  RANK() OVER (PARTITION BY c.framework, c.area ORDER BY c.score DESC) AS rank,
  RANK() OVER (PARTITION BY c.framework, c.area ORDER BY c.score ASC) AS rank_from_bottom,
  COUNT(*) OVER (PARTITION BY c.framework, c.area) AS evaluations,
  ROUND(100.0 * PERCENT_RANK() OVER (PARTITION BY c.framework, c.area ORDER BY c.score), 1) AS percentile
FROM (
  SELECT cell.framework, cell.area, fa.name AS area_name, fa.theme, t.name AS theme_name, cell.evaluation,
    e.label, e.kommunkod, e.kommun, e.year, cell.score
  FROM chosen_cells cell
  JOIN evaluations e ON e.id = cell.evaluation
  LEFT JOIN framework_areas fa ON fa.framework = cell.framework AND fa.area = cell.area
  LEFT JOIN themes t ON t.id = fa.theme
  WHERE cell.framework IS NOT NULL
) c
"""

AREA_MEDIANS_BY_YEAR = """
WITH ordered AS (
  SELECT c.year, c.framework, c.area, c.area_name, c.score,
    ROW_NUMBER() OVER (PARTITION BY c.year, c.framework, c.area ORDER BY c.score) AS i,
    COUNT(*) OVER (PARTITION BY c.year, c.framework, c.area) AS n,
    AVG(c.score) OVER (PARTITION BY c.year, c.framework, c.area) AS mean
  FROM chosen_area_scores c
)
SELECT year, framework, area, area_name, n AS evaluations, AVG(score) AS median, ROUND(mean, 2) AS mean
FROM ordered WHERE i IN ((n + 1) / 2, (n + 2) / 2)
GROUP BY year, framework, area
"""

REPEAT_EVALUATIONS = """
WITH ev AS (
  SELECT e.*, COALESCE(e.kommunkod, e.kommun) AS who,
    LAG(e.id) OVER (PARTITION BY COALESCE(e.kommunkod, e.kommun) ORDER BY e.year, e.report_no, e.id) AS previous
  FROM evaluations e
)
SELECT later.kommunkod, later.kommun,
  earlier.id AS earlier, earlier.label AS earlier_label, earlier.year AS earlier_year,
  earlier.framework AS earlier_framework, earlier.total AS earlier_total,
  later.id AS later, later.label AS later_label, later.year AS later_year, later.framework AS later_framework,
  later.total AS later_total,
  later.total - earlier.total AS total_change,
  CAST(earlier.framework IS later.framework AS INTEGER) AS same_framework
FROM ev later JOIN evaluations earlier ON earlier.id = later.previous
"""

REPEAT_AREA_CHANGES = """
WITH th AS (
  SELECT c.*, COALESCE(c.kommunkod, c.kommun) AS who,
    LAG(c.evaluation) OVER p AS prev_evaluation, LAG(c.year) OVER p AS prev_year,
    LAG(c.framework) OVER p AS prev_framework, LAG(c.area) OVER p AS prev_area,
    LAG(c.score) OVER p AS prev_score, LAG(c.approximate) OVER p AS prev_approximate
  FROM chosen_area_scores c
  WINDOW p AS (PARTITION BY COALESCE(c.kommunkod, c.kommun), c.theme ORDER BY c.year, c.evaluation)
)
SELECT kommunkod, kommun, theme, theme_name, prev_evaluation AS earlier, prev_year AS earlier_year,
  prev_area AS earlier_area, prev_score AS earlier_score,
  evaluation AS later, year AS later_year, area AS later_area, score AS later_score,
  score - prev_score AS change,
  CAST(prev_framework IS framework AS INTEGER) AS same_framework,
  CAST(prev_framework IS NOT framework AND (approximate OR prev_approximate) AS INTEGER) AS approximate
FROM th WHERE prev_evaluation IS NOT NULL
"""

# `example_kommun` is the municipality held up as an example: another one the report cites (kind `cited`)
# or the evaluated municipality's own practice (kind `own`); `report_*` is the report that says so.
GOOD_EXAMPLES_BY_AREA = """
SELECT g.framework, g.area, fa.name AS area_name, fa.theme, t.name AS theme_name, g.kind,
  CASE g.kind WHEN 'cited' THEN 'citerad kommun' WHEN 'own' THEN 'egen praktik' ELSE g.kind END AS kind_label,
  g.kommun AS example_kommun, g.kommunkod AS example_kommunkod, m.county AS example_county,
  g.country AS example_country, g.code AS example_code,
  g.evaluation AS report_evaluation, e.label AS report_label, e.kommun AS report_kommun, e.year AS report_year,
  g.sentence, g.sentence_no, g.sentence_before, g.sentence_after, g.heading, g.topic, g.document, g.page,
  d.source_url
FROM good_examples g
JOIN evaluations e ON e.id = g.evaluation
LEFT JOIN framework_areas fa ON fa.framework = g.framework AND fa.area = g.area
LEFT JOIN themes t ON t.id = fa.theme
LEFT JOIN municipalities m ON m.kommunkod = g.kommunkod
LEFT JOIN documents d ON d.sha256 = g.document
"""

# Strengths and areas for improvement with the names a reader needs (generation, area name, theme).
FINDINGS_BY_AREA = """
SELECT f.id, f.evaluation, e.label, e.kommunkod, e.kommun, e.year, e.framework, f.area, fa.name AS area_name,
  fa.theme, t.name AS theme_name, f.kind,
  CASE f.kind WHEN 'strength' THEN 'styrka' WHEN 'improvement' THEN 'förbättringsområde' ELSE f.kind END
    AS kind_label,
  f.text, f.document, f.page, d.source_url
FROM findings f
JOIN evaluations e ON e.id = f.evaluation
LEFT JOIN framework_areas fa ON fa.framework = e.framework AND fa.area = f.area
LEFT JOIN themes t ON t.id = fa.theme
LEFT JOIN documents d ON d.sha256 = f.document
"""

# Order matters: later views read earlier ones.
VIEWS: dict[str, str] = {
    "chosen_area_scores": CHOSEN_AREA_SCORES,
    "evaluation_areas": EVALUATION_AREAS,
    "evaluation_themes": EVALUATION_THEMES,
    "area_ranks": AREA_RANKS,
    "area_medians_by_year": AREA_MEDIANS_BY_YEAR,
    "repeat_evaluations": REPEAT_EVALUATIONS,
    "repeat_area_changes": REPEAT_AREA_CHANGES,
    "good_examples_by_area": GOOD_EXAMPLES_BY_AREA,
    "findings_by_area": FINDINGS_BY_AREA,
    **OUTCOME_VIEWS,  # result pages beside the CSV, evaluations beside Kolada key figures
}


def _view_statements() -> dict[str, str]:
    return {name: f"CREATE VIEW [{name}] AS {sql.strip()}" for name, sql in VIEWS.items()}


def create_views(db: sqlite_utils.Database) -> bool:
    """Recreate the views when their SQL differs from the database's; True when anything changed."""
    wanted = _view_statements()
    present = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall())
    if all(present.get(name) == sql for name, sql in wanted.items()):
        return False
    for name in reversed(VIEWS):
        db.execute(f"DROP VIEW IF EXISTS [{name}]")
    for statement in wanted.values():
        db.execute(statement)
    return True
