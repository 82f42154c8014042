"""Views over result pages and Kolada key figures (registered in `db.views.VIEWS`; they hold no data).

- `published_page_agreement`: every figure a harvested web page states (the municipality's own page,
  `published_page`, or a news page, `news`: `page_source`) beside the same figure in the hand-made
  published-scores CSV (`csv_source`), with `agree` 1 or 0 (the CSV is the seed and the test of the
  statement reader; a 0 is a disagreement to look into).
- `evaluation_kpi_values`: each evaluation beside the Kolada values of its own year, one row per
  KPI and gender, with the total and the chosen area scores of `evaluation_areas` (each area's name and
  theme beside its score: area N differs between generations).
- `evaluation_kpi_years`: each evaluation beside the Kolada values of the years around it (long form,
  `kpi_year` and `year_offset`), what `kompass kolada fetch` asks for (years_before/years_after).
"""
from __future__ import annotations

_STATED = """
  SELECT s.evaluation, s.area, s.score AS value, s.source_url AS url, d.kind, s.document, s.source
  FROM area_scores s JOIN documents d ON d.sha256 = s.document
  WHERE s.source IN ('published_page', 'news') AND d.kind IN ('result_page', 'published_scores')
  UNION ALL
  SELECT es.evaluation, NULL, es.total, es.source_url, d.kind, es.document, es.source
  FROM evaluation_sources es JOIN documents d ON d.sha256 = es.document
  WHERE es.source IN ('published_page', 'news') AND es.total IS NOT NULL
    AND d.kind IN ('result_page', 'published_scores')
"""

PUBLISHED_PAGE_AGREEMENT = f"""
WITH stated AS ({_STATED})
SELECT e.id AS evaluation, e.kommunkod, e.kommun, e.year, p.area,
  CASE WHEN p.area IS NULL THEN 'total' ELSE 'area' END AS figure,
  c.value AS csv_value, p.value AS page_value, CAST(c.value = p.value AS INTEGER) AS agree,
  p.url AS page_url, c.url AS csv_url, p.source AS page_source, c.source AS csv_source,
  (SELECT f.excerpt FROM page_figures f WHERE f.document = p.document AND f.evaluation = p.evaluation
     AND f.area IS p.area ORDER BY f.seq LIMIT 1) AS page_excerpt
FROM stated p
JOIN stated c ON c.evaluation = p.evaluation AND c.area IS p.area AND c.kind = 'published_scores'
JOIN evaluations e ON e.id = p.evaluation
WHERE p.kind = 'result_page'
"""

_AREAS = ", ".join(f"a.area_{n}, a.area_{n}_name, a.area_{n}_theme" for n in range(1, 9))

EVALUATION_KPI_VALUES = f"""
SELECT a.evaluation, a.kommunkod, a.kommun, a.county, a.skr_group, a.year, a.framework, a.total, a.total_source,
  {_AREAS},
  v.kpi, k.title AS kpi_title, v.gender, v.value, v.status, v.fetched_at AS kpi_fetched_at
FROM evaluation_areas a
JOIN kolada_values v ON v.kommunkod = a.kommunkod AND v.year = a.year AND v.is_deleted = 0
LEFT JOIN kolada_kpis k ON k.id = v.kpi
"""

# How many years on either side of an evaluation `evaluation_kpi_years` shows (`kompass kolada fetch` asks for
# years_before/years_after of corpus/kolada.yml, 1 by default; this bounds what the view pairs).
YEARS_AROUND = 5

# Long form: one row per evaluation, KPI, gender and Kolada year near the evaluation (`year_offset` = the KPI's
# year minus the evaluation's year: -1 the year before, 0 the evaluation's year, 1 the year after). Driven by
# the evaluations so a filter on the municipality reaches the index on kolada_values (kommunkod, year).
EVALUATION_KPI_YEARS = f"""
SELECT e.id AS evaluation, e.label, e.kommunkod, e.kommun, m.county, m.skr_group, e.year, e.framework, e.total,
  v.kpi, k.title AS kpi_title, v.gender, v.year AS kpi_year, v.year - e.year AS year_offset, v.value, v.count,
  v.status, v.fetched_at AS kpi_fetched_at
FROM evaluations e
JOIN kolada_values v ON v.kommunkod = e.kommunkod AND v.year BETWEEN e.year - {YEARS_AROUND} AND e.year + {YEARS_AROUND}
  AND v.is_deleted = 0
LEFT JOIN kolada_kpis k ON k.id = v.kpi
LEFT JOIN municipalities m ON m.kommunkod = e.kommunkod
"""

OUTCOME_VIEWS: dict[str, str] = {
    "published_page_agreement": PUBLISHED_PAGE_AGREEMENT,
    "evaluation_kpi_values": EVALUATION_KPI_VALUES,
    "evaluation_kpi_years": EVALUATION_KPI_YEARS,
}
