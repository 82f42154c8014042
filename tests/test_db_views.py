"""Comparison views over several sources: precedence, disagreement, ranks, medians, repeat evaluations."""
from __future__ import annotations

import pytest

from db.load import load_analysis, load_published
from db.schema import open_database
from tests.test_db_support import fixture_extract, integrity, real_analysis, rows

# Web pages that repeat two of Fagersta's 2009 scores (one of them wrongly), one of Västerås's, and give
# later evaluations of Fagersta under the 2010 and 2020 frameworks.
PAGES_CSV = """kommun,year,framework,area_no,area_name,score,total,source_url,note
Fagersta,2009,2002,1,Offentlighet och demokratisk kontroll,63,466,https://example.org/fagersta-2009,
Fagersta,2009,2002,2,Tillgänglighet och brukarorientering,59,466,https://example.org/fagersta-2009,
Västerås,2009,2002,1,Offentlighet och demokratisk kontroll,70,,https://example.org/vasteras,
Fagersta,2013,2010,1,Offentlighet och demokrati,70,520,https://www.fagersta.se/kommunkompassen-2013,
Fagersta,2013,2010,6,Kommunen som arbetsgivare,50,520,https://www.fagersta.se/kommunkompassen-2013,
Fagersta,2021,2020,1,Samspel mellan förtroendevalda och medborgare,72,600,https://www.fagersta.se/kommunkompassen-2021,
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("views") / "kommunkompassen.db"
    pages = path.parent / "pages.csv"
    pages.write_text(PAGES_CSV, encoding="utf-8")
    db = open_database(path)
    load_analysis(db, real_analysis())
    load_published(db, pages)
    db.close()
    yield path
    assert integrity(path) == "ok"


def test_report_wins_and_disagreement_is_flagged(built):
    assert rows(built, "SELECT area, score, source, sources, disagreement, min_score, max_score "
                       "FROM chosen_area_scores WHERE evaluation = '1982-2009' AND area <= 3 ORDER BY area") == [
        (1, 64.0, "report", 2, 1, 63.0, 64.0),
        (2, 59.0, "report", 2, 0, 59.0, 59.0),
        (3, 59.5, "report", 1, 0, 59.5, 59.5)]
    assert rows(built, "SELECT score, source, sources, disagreement FROM chosen_area_scores "
                       "WHERE evaluation = '1980-2009' AND area = 1") == [(70.0, "comparison_table", 2, 0)]


def test_one_row_per_evaluation_with_eight_areas(built):
    expected = fixture_extract()
    assert rows(built, "SELECT total, total_source, area_1, area_2, area_3, area_4, area_5, area_6, area_7, "
                       "area_8, areas_known, disagreements FROM evaluation_areas WHERE evaluation = '1982-2009'") == [
        (466.0, "report", *[a.score for a in expected.areas], 8, 1)]
    assert rows(built, "SELECT total, total_source, area_1, area_2, area_6, areas_known FROM evaluation_areas "
                       "WHERE evaluation = '1982-2013'") == [(520.0, "published_page", 70.0, None, 50.0, 2)]
    assert rows(built, "SELECT count(*) FROM evaluation_areas") == [(8,)]  # 3 of Fagersta + 5 compared
    assert rows(built, "SELECT democracy, employer, community, approximate FROM evaluation_themes "
                       "WHERE evaluation = '1982-2021'") == [(72.0, None, None, 1)]


def test_rank_and_percentile_within_the_generation(built):
    expected = fixture_extract()
    area_1 = {expected.kommun: expected.areas[0].score}
    area_1.update({c.kommun: c.score for c in expected.comparisons if c.area == 1})
    ordered = sorted(area_1.values())
    got = rows(built, "SELECT kommun, score, rank, rank_from_bottom, evaluations, percentile FROM area_ranks "
                      "WHERE framework = '2002-2009' AND area = 1 ORDER BY rank")
    assert [(k, s) for k, s, *_ in got] == sorted(area_1.items(), key=lambda kv: -kv[1])
    assert [(r[2], r[3], r[4]) for r in got] == [(i, 7 - i, 6) for i in range(1, 7)]
    fagersta = next(r for r in got if r[0] == "Fagersta")
    assert fagersta[5] == round(100 * ordered.index(64.0) / 5, 1) == 60.0


def test_median_per_area_per_year(built):
    assert rows(built, "SELECT evaluations, median, mean FROM area_medians_by_year "
                       "WHERE year = 2009 AND framework = '2002-2009' AND area = 1") == [(2, 67.0, 67.0)]
    assert rows(built, "SELECT evaluations, median FROM area_medians_by_year "
                       "WHERE year = 2003 AND area = 8") == [(1, 66.0)]


def test_repeat_evaluations_side_by_side(built):
    assert rows(built, "SELECT earlier, later, earlier_total, later_total, total_change, same_framework "
                       "FROM repeat_evaluations WHERE kommunkod = '1982' ORDER BY earlier_year") == [
        ("1982-2009", "1982-2013", 466.0, 520.0, 54.0, 0),
        ("1982-2013", "1982-2021", 520.0, 600.0, 80.0, 0)]
    assert rows(built, "SELECT theme, earlier_year, earlier_area, earlier_score, later_year, later_area, "
                       "later_score, change, approximate FROM repeat_area_changes WHERE kommunkod = '1982' "
                       "ORDER BY theme, earlier_year") == [
        ("democracy", 2009, 1, 64.0, 2013, 1, 70.0, 6.0, 0),
        ("democracy", 2013, 1, 70.0, 2021, 1, 72.0, 2.0, 1),
        ("employer", 2009, 6, 44.5, 2013, 6, 50.0, 5.5, 0)]
