"""Kolada key figures from a Kolada-shaped API on 127.0.0.1, joined with the evaluations by kommunkod and year.

The database holds the published scores (db/data/published_scores.csv: 25 evaluations of 15
municipalities). The server (tests/kolada_server.py) pages 3 objects at a time, fails the first data
request with a 500, answers 400 to over-long URLs and has one null value. Two fetches run: the second
asks only for changes (from_date) after one value changed and one was deleted.
"""
from __future__ import annotations

import csv
from datetime import date

import pytest
from click.testing import CliRunner

from corpus.kolada import KoladaClient, KoladaError
from corpus.kolada_config import KpiChoice, load_kolada_config
from db.kolada import fetch_kolada, wanted_cells
from db.published import PUBLISHED_CSV, load_published
from db.schema import open_database
from kompass.cli import cli
from tests import kolada_server
from tests.kolada_server import KoladaState, value_of
from tests.test_db_support import canned, integrity, rows

TODAY = date.today().isoformat()


@pytest.fixture(scope="module")
def server():
    state = KoladaState(per_page=7)
    running = kolada_server.start(state)
    yield state
    running.shutdown()
    running.server_close()


def write_config(path, server, **overrides) -> str:
    settings = {"base_url": f"{server.url}v2/", "per_page": 3, "cache_dir": str(path.parent / "cache"),
                "years_before": 1, "years_after": 1, **overrides}
    lines = [f"{key}: {value}" for key, value in settings.items()]
    lines += ["http:", "  user_agent: kommunkompassen-test/1.0", "  retries: 2", "  retry_delays: [0.01]",
              "  per_host_delay: 0", "  timeout_seconds: 5",
              "kpis:", '  - title: "Invånare totalt, antal"', "  - id: N00901"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def expected_cells(db_path) -> dict[str, set[int]]:
    """Each published evaluation's municipality with its year and the years on either side (from the CSV)."""
    from extractors.municipalities import kommunkod

    cells: dict[str, set[int]] = {}
    with PUBLISHED_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            year = int(row["year"])
            cells.setdefault(kommunkod(row["kommun"]), set()).update({year - 1, year, year + 1})
    db = open_database(db_path)
    try:
        assert wanted_cells(db, 1, 1) == cells
    finally:
        db.close()
    return cells


@pytest.fixture(scope="module")
def fetched(server, tmp_path_factory):
    root = tmp_path_factory.mktemp("kolada")
    db_path = root / "kommunkompassen.db"
    db = open_database(db_path)
    load_published(db)
    config = load_kolada_config(write_config(root / "kolada.yml", server))
    with KoladaClient(config) as client:
        first = fetch_kolada(db, client, list(config.kpis))
    first_requests = list(server.requests)
    first_rows = rows(db_path, "SELECT * FROM kolada_values ORDER BY kpi, kommunkod, year, gender")
    server.changes[("N01951", "1880", 2012, "T")] = {"value": 123456.0, "changed_on": TODAY}
    server.changes[("N01951", "1444", 2013, "T")] = {"value": None, "changed_on": TODAY, "is_deleted": 1}
    with KoladaClient(config) as client:
        second = fetch_kolada(db, client, list(config.kpis))
    db.close()
    yield dict(db=db_path, root=root, config=config, first=first, second=second, first_rows=first_rows,
               first_requests=first_requests, second_requests=server.requests[len(first_requests):])
    server.changes.clear()
    assert integrity(db_path) == "ok"


def test_both_tables_filled_with_every_page_followed(fetched):
    db, cells = fetched["db"], expected_cells(fetched["db"])
    assert fetched["first"].errors == [] and fetched["first"].kpis == ["N01951", "N00901"]
    assert rows(db, "SELECT id, title, is_divided_by_gender FROM kolada_kpis ORDER BY id") == [
        ("N00901", "Skattesats till kommun, %", 0), ("N01951", "Invånare totalt, antal", 1)]
    want = sorted((kpi, k, y, g, value_of(kpi, k, y, g)) for k, years in cells.items() for y in years
                  for kpi, genders in (("N01951", "KMT"), ("N00901", "T")) for g in genders)
    got = [row[:5] for row in fetched["first_rows"]]
    assert sorted(got) == want and len(want) == 4 * sum(len(y) for y in cells.values())
    assert len(cells) == 14 and sum(len(y) for y in cells.values()) == 69
    assert fetched["first"].values == {"new": len(want)}
    data = [path for path, status in fetched["first_requests"] if "/data/" in path and status == 200]
    assert any("page=3" in path for path in data), "an answer of more than 6 objects is paged by 3"
    assert fetched["first"].pages == len(data) and fetched["first"].pages > fetched["first"].batches


def test_a_null_value_is_kept_as_null(fetched):
    assert rows(fetched["db"], "SELECT value, is_deleted FROM kolada_values WHERE kpi = 'N00901' "
                               "AND kommunkod = '1444' AND year = 2014") == [(None, 0)]


def test_a_500_is_retried_and_4xx_never(fetched, server):
    first = fetched["first_requests"]
    [(failed, _)] = [(p, s) for p, s in first if s == 500]
    assert (failed, 200) in first, "the same data URL succeeded on its retry"
    assert not [p for p, s in first if 400 <= s < 500 and p != "/robots.txt"]


def test_second_fetch_asks_only_for_changes(fetched):
    second, db = fetched["second"], fetched["db"]
    data = [path for path, _ in fetched["second_requests"] if "/data/" in path]
    assert data and all(f"from_date={TODAY}" in path for path in data)
    assert not [p for p, _ in fetched["second_requests"] if "/kpi" in p and "/data/" not in p], \
        "KPI search and metadata come from the cache"
    assert second.values == {"changed": 1, "deleted": 1} and second.errors == []
    assert rows(db, "SELECT value FROM kolada_values WHERE kpi = 'N01951' AND kommunkod = '1880' AND year = 2012 "
                    "AND gender = 'T'") == [(123456.0,)]
    assert rows(db, "SELECT value, is_deleted FROM kolada_values WHERE kpi = 'N01951' AND kommunkod = '1444' "
                    "AND year = 2013 AND gender = 'T'") == [(None, 1)]
    assert rows(db, "SELECT count(*) FROM kolada_values") == [(len(fetched["first_rows"]),)]


def test_over_long_urls_are_split_on_400_and_never_retried(server, tmp_path):
    config = load_kolada_config(write_config(tmp_path / "kolada.yml", server, max_url_length=2000))
    server.url_limit = 400
    before = len(server.requests)
    try:
        with KoladaClient(config) as client:
            ids = [f"{n:04d}" for n in range(100, 400)]
            batches = list(client.data("N00901", ids, [2014]))
            assert client.max_url_length < 2000, "the limit learnt from the 400s"
            with pytest.raises(KoladaError, match="400.*for municipality 0114"):
                list(client.data("N00901", ["0114"], list(range(2002, 2027)) + list(range(1900, 1990))))
    finally:
        server.url_limit = 100_000
    asked = server.requests[before:]
    too_long = [path for path, status in asked if status == 400]
    assert too_long and all(len(path) > 400 for path in too_long)
    assert len(too_long) == len(set(too_long)), "a 400 is final: never asked twice"
    assert sorted(v.kommunkod for b in batches for v in b.values) == ids
    assert all(len(client.data_url("N00901", b.ids, b.years, None)) - len(server.url) + 1 <= 400 for b in batches)


def test_bad_kpis_are_clear_errors_and_the_rest_goes_on(server, fetched, tmp_path):
    config = load_kolada_config(write_config(tmp_path / "kolada.yml", server))
    db = open_database(fetched["db"])
    try:
        with KoladaClient(config) as client:
            summary = fetch_kolada(db, client, [KpiChoice(id="X99999"), KpiChoice(title="Invånare"),
                                                KpiChoice(id="U00002")])
    finally:
        db.close()
    assert summary.kpis == ["U00002"]
    assert summary.errors[0].startswith("KPI title 'Invånare': 2 KPIs match, none exactly")
    assert summary.errors[1] == "KPI X99999: Kolada knows no such KPI"


def test_cli_fetch_and_search(server, fetched, tmp_path, monkeypatch):
    monkeypatch.setenv("KOMPASS_KOLADA_URL", f"{server.url}v2/")
    config = write_config(tmp_path / "kolada.yml", server, base_url="https://api.kolada.se/v2/")
    runner = CliRunner()
    found = runner.invoke(cli, ["kolada", "search", "invånare", "--config", config])
    assert found.exit_code == 0, found.output
    assert found.stdout.splitlines() == ["N01951\tInvånare totalt, antal",
                                         "U00002\tInvånare 65+ som bor i särskilt boende, andel (%)"]
    again = runner.invoke(cli, ["kolada", "fetch", "--kpi", "n01951", "--db", str(fetched["db"]), "--config", config])
    assert again.exit_code == 0, again.output
    assert "1 KPIs (N01951)" in again.stdout and "unchanged" in again.stdout
    bad = runner.invoke(cli, ["kolada", "fetch", "--kpi", "X99999", "--db", str(fetched["db"]), "--config", config])
    assert bad.exit_code == 1 and "Error: KPI X99999: Kolada knows no such KPI" in bad.stderr


def csv_area_scores(area: int, framework: str) -> list[tuple[str, int, float]]:
    with PUBLISHED_CSV.open(encoding="utf-8", newline="") as handle:
        return sorted((r["kommun"], int(r["year"]), float(r["score"])) for r in csv.DictReader(handle)
                      if r["area_no"] == str(area) and r["framework"] == framework)


def test_view_sets_each_evaluation_beside_its_years_values(fetched):
    got = rows(fetched["db"], "SELECT evaluation, year, total, area_1, value FROM evaluation_kpi_values "
                              "WHERE kpi = 'N01951' AND gender = 'T' AND kommun = 'Grästorp'")
    assert got == [("1444-2014", 2014, 506.0, 61.0, value_of("N01951", "1444", 2014))]
    count = rows(fetched["db"], "SELECT count(*) FROM evaluation_kpi_values WHERE kpi = 'N01951' AND gender = 'T'")
    assert count == [(25,)], "every evaluation has its own year's value"


def test_canned_query_through_datasette(fetched):
    got = canned(fetched["db"], "scores_beside_kpi", kpi="n00901", area="1")
    assert len(got) == 25
    grastorp = [r for r in got if r["kommun"] == "Grästorp"]
    assert [(r["year"], r["area_score"], r["kpi_value"], r["kpi_title"]) for r in grastorp] == [
        (2014, 61.0, None, "Skattesats till kommun, %")]
    vallentuna = [r for r in got if r["kommun"] == "Vallentuna" and r["year"] == 2021]
    assert [(r["area_score"], r["kpi_value"]) for r in vallentuna] == [(73.0, value_of("N00901", "0115", 2021))]


def test_chart_numbers_are_the_joined_values(fetched, tmp_path):
    from extractors.municipalities import kommunkod
    from outputs.charts import KPI_SCATTER, kpi_scatter_data, save_chart

    db = open_database(fetched["db"])
    try:
        data = kpi_scatter_data(db, "N01951", 1)
        taxes = kpi_scatter_data(db, "N00901", 1)
    finally:
        db.close()
    points = csv_area_scores(1, "2010")
    assert data.kind == KPI_SCATTER and len(points) == 6
    assert data.labels == [f"{k} {y}" for k, y, _ in points]
    values = {("Örebro", 2012): 123456.0}  # changed by the second fetch
    assert data.series[0].values == [values.get((k, y), value_of("N01951", kommunkod(k), y)) for k, y, _ in points]
    assert data.series[1].values == [s for _, _, s in points]
    assert data.title == "Område 1 (Offentlighet och demokrati), ramverk 2010-2019, mot Invånare totalt, antal"
    assert data.caption.startswith("Källa: Kolada (RKA), nyckeltal N01951 «Invånare totalt, antal»")
    assert "Poäng: sida som kommunen publicerat (https://enkoping.se/" in data.caption
    assert "sida som kommunen publicerat (https://www.grastorp.se/" in data.caption
    assert "Grästorp 2014" not in taxes.labels and "; 1 utvärdering utan värde i Kolada" in taxes.caption
    out = save_chart(data, tmp_path / "scatter.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000


def test_chart_command_and_export(fetched, tmp_path):
    runner = CliRunner()
    out = tmp_path / "kpi.png"
    result = runner.invoke(cli, ["chart", "--kpi", "N01951", "--area", "1", "--db", str(fetched["db"]),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"\x89PNG" and "Källa: Kolada (RKA)" in result.stderr  # stdout is for data
    assert runner.invoke(cli, ["chart", "--kpi", "N01951", "--db", str(fetched["db"])]).exit_code == 2
    missing = runner.invoke(cli, ["chart", "--kpi", "N99999", "--area", "1", "--db", str(fetched["db"])])
    assert missing.exit_code == 1 and "kompass kolada fetch --kpi N99999" in missing.stderr

    from outputs.export import export_frames

    db = open_database(fetched["db"])
    try:
        frame = export_frames(db)["evaluation_kpi_values"]
    finally:
        db.close()
    assert len(frame) == rows(fetched["db"], "SELECT count(*) FROM evaluation_kpi_values")[0][0] > 0
    assert str(frame["kommunkod"].dtype) == "string" and "0115" in set(frame["kommunkod"])


def test_metadata_names_kolada_and_its_licence(fetched):
    from db.datasette import database_name, metadata_for

    tables = metadata_for(fetched["db"])["databases"][database_name(fetched["db"])]["tables"]
    for table in ("kolada_kpis", "kolada_values", "evaluation_kpi_values"):
        assert "CC BY 4.0" in tables[table]["license"] and "creativecommons.org/licenses/by/4.0" in \
            tables[table]["license_url"]
    assert "Kolada (RKA)" in tables["kolada_values"]["source"]
