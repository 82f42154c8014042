"""The Datasette dashboard, chart routes and chart links, through Datasette's in-process client."""
from __future__ import annotations

import asyncio
import html
from urllib.parse import urlencode

import pytest
from datasette_dashboards import replace_opts_in_query

from db.datasette import database_name, make_datasette
from outputs.datasette_plugin import dashboards_for
from tests.outputs_support import outputs_db, query  # noqa: F401  (fixture)

FILTERS = {"framework": "2002-2009", "kommun": "Fagersta", "q": "medborgardialog"}


def fetch(db_path, *paths: str) -> list:
    """GET each path from a fresh in-process Datasette serving the database; the responses."""
    datasette = make_datasette(db_path)

    async def run():
        return [await datasette.client.get(path) for path in paths]

    return asyncio.run(run())


def chart_rows(db_path, chart: dict, filters: dict) -> list[dict]:
    sql = replace_opts_in_query(chart["query"], filters)
    (response,) = fetch(db_path, f"/{chart['db']}.json?" + urlencode({"sql": sql, **filters, "_shape": "array"}))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def dashboard(outputs_db) -> dict:
    return dashboards_for(database_name(outputs_db))["kommunkompassen"]


def test_dashboard_page_is_served_with_every_chart(outputs_db, dashboard):
    (page,) = fetch(outputs_db, "/-/dashboards/kommunkompassen?" + urlencode(FILTERS))
    assert page.status_code == 200
    for slug in dashboard["charts"]:
        assert f'id="chart-{slug}"' in page.text
    assert all(chart.get("db") == database_name(outputs_db) for chart in dashboard["charts"].values())


def test_serving_dashboards_leaves_the_shared_configuration_as_it_was(outputs_db):
    """The bound configuration is built once and shared by every metadata lookup; datasette-dashboards
    fills filters and queries in on what it is given, which must be a copy."""
    before = dashboards_for(database_name(outputs_db))
    pages = fetch(outputs_db, "/-/dashboards/kommunkompassen?" + urlencode(FILTERS),
                  "/-/dashboards/kommunkompassen?" + urlencode({**FILTERS, "kommun": "Eksjö"}))
    assert [p.status_code for p in pages] == [200, 200]
    assert dashboards_for(database_name(outputs_db)) == before
    assert "[[" in before["kommunkompassen"]["charts"]["search"]["query"]  # placeholders, not one search filled in


def test_every_dashboard_query_runs_and_shows_the_database(outputs_db, dashboard):
    rows = {slug: chart_rows(outputs_db, chart, FILTERS) for slug, chart in dashboard["charts"].items()}
    ranks = query(outputs_db, "SELECT area, score, kommun, year FROM area_ranks WHERE framework = '2002-2009'")
    assert sorted((r["poäng"], r["utvärdering"]) for r in rows["distribution"]) == sorted(
        (r["score"], f"{r['kommun']} {r['year']}") for r in ranks)
    assert {r["utvärdering"] for r in rows["distribution"] if r["markering"] == "vald kommun"} == {"Fagersta 2009"}
    history = query(outputs_db, "SELECT year, theme_name, score FROM chosen_area_scores WHERE kommun = 'Fagersta'")
    assert sorted((r["år"], r["tema"], r["poäng"]) for r in rows["history"]) == sorted(
        (h["year"], h["theme_name"], h["score"]) for h in history)
    assert len(rows["evaluations"]) == query(outputs_db, "SELECT COUNT(*) AS n FROM evaluations")[0]["n"]
    assert '<a href="/-/kompass/chart/1982-2009.svg">Fagersta 2009</a>' in [r["utvärdering"] for r in rows["evaluations"]]
    found = query(outputs_db, "SELECT text FROM findings WHERE text LIKE '%medborgardialog%'")
    assert found and {r["text"] for r in rows["search"] if r["typ"] != "mening"} == {f["text"] for f in found}
    assert all('href="/-/kompass/pdf/' in r["sida"] and "#page=" in r["sida"] for r in rows["search"])
    good = query(outputs_db, "SELECT area, kind_label, COUNT(*) AS n FROM good_examples_by_area "
                             "WHERE framework = '2002-2009' AND area IS NOT NULL GROUP BY area, kind_label")
    assert sorted((r["slag"], r["exempel"]) for r in rows["good_examples"]) == sorted(
        (g["kind_label"], g["n"]) for g in good)
    assert {r["slag"] for r in rows["good_examples"]} == {"citerad kommun", "egen praktik"}  # said, not mixed
    assert rows["kommun_status"] == [{"kommun": "Fagersta (kommunkod 1982, Västmanlands län)"}]


@pytest.mark.parametrize("typed, code", [("fagersta", "1982"), ("FAGERSTA KOMMUN", "1982"), ("686", "0686"),
                                         ("0686", "0686")])
def test_dashboard_finds_a_municipality_however_it_is_typed(outputs_db, dashboard, typed, code):
    filters = {**FILTERS, "kommun": typed}
    marked = {r["utvärdering"] for r in chart_rows(outputs_db, dashboard["charts"]["distribution"], filters)
              if r["markering"] == "vald kommun"}
    want = {r["label"] for r in query(outputs_db, "SELECT label FROM evaluations WHERE kommunkod = ? "
                                                  "AND framework = '2002-2009'", [code])}
    assert marked == want and want
    assert chart_rows(outputs_db, dashboard["charts"]["history"], filters)


def test_dashboard_says_when_no_municipality_matches(outputs_db, dashboard):
    filters = {**FILTERS, "kommun": "Fagerstra"}
    assert chart_rows(outputs_db, dashboard["charts"]["history"], filters) == []
    (status,) = chart_rows(outputs_db, dashboard["charts"]["kommun_status"], filters)
    assert html.unescape(status["kommun"]) == 'Ingen kommun "Fagerstra"; menade du Fagersta?'
    (escaped,) = chart_rows(outputs_db, dashboard["charts"]["kommun_status"], {"kommun": "<b>x</b>"})
    assert "<b>" not in escaped["kommun"]  # typed text is escaped before the table shows it as HTML


def test_search_without_words_finds_nothing_and_quotes_are_safe(outputs_db, dashboard):
    search = dashboard["charts"]["search"]
    assert chart_rows(outputs_db, search, {}) == []
    assert chart_rows(outputs_db, search, {"q": 'dialog" OR x'}) == []


def test_chart_routes_draw_evaluations_and_areas(outputs_db):
    profile, area, png, only_total = fetch(
        outputs_db, "/-/kompass/chart/1982-2009.svg", "/-/kompass/area/2002-2009/6.svg?kommun=Fagersta",
        "/-/kompass/chart/0686-2008.png", "/-/kompass/chart/0115-2017.svg")
    assert profile.status_code == 200 and profile.headers["content-type"] == "image/svg+xml"
    assert profile.text.lstrip().startswith("<?xml") and "<svg" in profile.text
    assert area.status_code == 200 and "<svg" in area.text
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    assert only_total.status_code == 404 and "only a total" in only_total.text


def test_evaluation_rows_link_to_their_chart(outputs_db):
    name = database_name(outputs_db)
    (page,) = fetch(outputs_db, f"/{name}/evaluation_areas")
    assert page.status_code == 200
    (table,) = fetch(outputs_db, f"/{name}/evaluations")
    for row in query(outputs_db, "SELECT evaluation FROM evaluation_areas"):
        assert f'href="/-/kompass/chart/{row["evaluation"]}.svg"' in page.text
        assert f'href="/-/kompass/chart/{row["evaluation"]}.svg"' in table.text
