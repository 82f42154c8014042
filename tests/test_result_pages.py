"""Municipal result pages: read by shape, harvested from a real HTTP server on 127.0.0.1, loaded twice.

The pages in tests/fixtures/result_pages are written like the municipalities' own pages: a list
(Grästorp 2014, Örebro 2012 with changes in parentheses), a table with a column per evaluation and a
change column (Enköping 2016/2018), a table with the municipality's name and Sverigesnitt as headers
(Vallentuna 2021, whose first version had a typing error corrected later), prose with totals only
(Höganäs, Karlskoga — the latter also quoting Nacka's total and the previous evaluation) and a page
that explains Kommunkompassen without any result. The figures the published-scores CSV also has are
the real ones; the rest (Enköping areas 3, 5, 6, 7) are made up so that the tables add up.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from corpus.harvest import harvest
from extractors.statements import PROSE, TABLE, name_area
from corpus.page_text import page_text
from corpus.web_pages import PageCollector, read_web_page as read_result_page
from corpus.sources import HarvestSettings, Source, SourcesConfig
from corpus.store import CorpusStore
from db.pages import load_pages
from db.published import load_published
from db.schema import open_database
from tests.test_db_support import dump, integrity, rows

PAGES = Path(__file__).parent / "fixtures" / "result_pages"
GRASTORP = {1: 61, 2: 60, 3: 73, 4: 53, 5: 70, 6: 56, 7: 65, 8: 68}
OREBRO = {1: 68, 2: 85, 3: 86, 4: 74, 5: 70, 6: 74, 7: 71, 8: 87}
ENKOPING_2016 = {1: 54, 2: 55, 3: 55, 4: 42, 5: 50, 6: 57, 7: 55, 8: 66}
ENKOPING_2018 = {1: 71, 2: 62, 3: 64, 4: 67, 5: 58, 6: 63, 7: 63, 8: 71}
VALLENTUNA = {1: 73, 2: 75, 3: 80, 4: 83, 5: 86, 6: 82, 7: 86, 8: 83}
SVERIGESNITT = {1: 63, 2: 65, 3: 73, 4: 64, 5: 61, 6: 59, 7: 68, 8: 64}


def page(name: str) -> str:
    """A fixture page; `vallentuna-tabell-v1.html` is the first version of Vallentuna's page, whose area 7
    had a typing error (85, total 647) corrected later (86, total 648)."""
    if name == "vallentuna-tabell-v1.html":
        return page("vallentuna-tabell.html").replace("<td>86</td>\n      <td>68</td>", "<td>85</td>\n      <td>68</td>") \
            .replace("<td>648</td>", "<td>647</td>").replace("2021-06-14", "2021-05-03")
    return (PAGES / name).read_text(encoding="utf-8")


def read(name: str, url: str | None = None):
    return read_result_page(page(name), url or f"http://127.0.0.1/{name}", "2026-01-01T10:00:00+00:00")


def stated(reading) -> dict:
    return {e.year: ({n: f.value for n, f in e.areas.items()}, e.total.value if e.total else None, e.framework)
            for e in reading.evaluations}


# --- reading, shape by shape ---------------------------------------------------------------------------

def test_list_with_a_total_in_prose():
    reading = read("grastorp-lista.html")
    assert (reading.kommun, reading.kommunkod) == ("Grästorp", "1444")
    assert stated(reading) == {2014: (GRASTORP, 506, "2010-2019")}
    [evaluation] = reading.evaluations
    assert evaluation.areas[6].excerpt == "6. Kommunen som arbetsgivare – personalpolitik 56"
    assert evaluation.total.excerpt == "Totalt fick Grästorp 506 av totalt 800 poäng."
    assert reading.checks == [("2014: areas sum to total", True, "506 = 506")]
    assert reading.warnings == []


def test_list_with_changes_in_parentheses():
    reading = read("orebro-lista.html")
    assert (reading.kommun, stated(reading)) == ("Örebro", {2012: (OREBRO, 615, "2010-2019")})
    assert reading.evaluations[0].areas[1].excerpt == "Område 1 – Offentlighet och demokrati: 68 poäng (+16)"


def test_table_with_a_column_per_evaluation_and_a_change_column():
    reading = read("enkoping-tabell.html")
    assert stated(reading) == {2016: (ENKOPING_2016, 434, "2010-2019"), 2018: (ENKOPING_2018, 519, "2010-2019")}
    later = reading.evaluations[1]
    assert later.areas[4].excerpt == "4. Ledarskap, ansvar och delegation | 42 | 67 | +25"
    assert later.areas[4].shape == TABLE and later.total.excerpt == "Totalt | 434 | 519 | +85"


def test_table_headed_by_the_municipality_with_sverigesnitt_as_reference():
    reading = read("vallentuna-tabell.html")
    assert stated(reading) == {2021: (VALLENTUNA, 648, "2020-")}
    areas = reading.evaluations[0].areas
    assert {n: (f.reference, f.reference_kind) for n, f in areas.items()} == {
        n: (value, "Sverigesnitt") for n, value in SVERIGESNITT.items()}
    assert areas[1].area_name == "Offentlighet och demokrati", "the page's own wording is kept"


def test_previous_evaluation_column_is_never_this_years_score():
    html = """<html><head><title>Kommunkompassen - Strängnäs kommun</title></head><body>
    <h2>Resultat i Kommunkompassen 2016</h2>
    <table><tr><th>Område</th><th>Poäng</th><th>Föregående utvärdering</th><th>Nationellt medelvärde</th></tr>
    <tr><td>Offentlighet och demokrati</td><td>63</td><td>54</td><td>55</td></tr>
    <tr><td>Tillgänglighet och brukarorientering</td><td>60</td><td>57</td><td>61</td></tr></table>
    <table><tr><th>Område</th><th>Förra utvärderingen (2014)</th><th>Senaste utvärderingen (2016)</th></tr>
    <tr><td>Offentlighet och demokrati</td><td>54</td><td>63</td></tr>
    <tr><td>Politisk styrning och kontroll</td><td>49</td><td>58</td></tr></table></body></html>"""
    reading = read_result_page(html, "http://127.0.0.1/strangnas", "2026-01-01T10:00:00+00:00")
    assert stated(reading) == {2014: ({1: 54, 3: 49}, None, "2010-2019"),
                               2016: ({1: 63, 2: 60, 3: 58}, None, "2010-2019")}
    assert reading.evaluations[1].areas[1].reference == 55 and \
        reading.evaluations[1].areas[1].reference_kind == "nationellt medelvärde"
    assert any("previous evaluation without naming its year" in w for w in reading.warnings)


def test_prose_totals_of_two_evaluations_and_not_the_benchmark():
    reading = read("hoganas-prosa.html")
    assert stated(reading) == {2020: ({}, 611, "2020-"), 2023: ({}, 679, "2020-")}
    assert reading.evaluations[0].total.excerpt == \
        "Vid utvärderingen i december 2020 fick kommunen 611 av 800 möjliga poäng."
    assert reading.evaluations[0].total.shape == PROSE


def test_prose_total_beside_another_municipality_and_the_previous_evaluation():
    reading = read("karlskoga-prosa.html")
    assert stated(reading) == {2014: ({}, 450, "2010-2019")}, "Nacka's 644 and the 2010 comparison are not read"


@pytest.mark.parametrize("sentence, year, total", [
    ("I Kommunkompassen 2019 fick kommunen totalt 603 poäng.", 2019, 603),
    ("Resultatet blev 497 poäng av 800 möjliga när Tomelilla utvärderades 2020.", 2020, 497),
    ("Vid förra utvärderingen 2017 fick kommunen 555 av 800 poäng.", 2017, 555),
    ("Kommunen har ökat från 438 poäng 2022 till 510 av 800 poäng i år.", None, 510),
    ("Snittet för alla kommuner är 475 av 800 poäng.", None, None),
    ("Varje område kan ge högst 100 poäng, totalt 800 poäng.", None, None),
    ("Vid förra utvärderingen fick kommunen 384 av 800 poäng.", None, None),
])
def test_prose_wordings(sentence, year, total):
    from extractors.statements import Statements, TextLine, prose_statements

    figures, _ = prose_statements([TextLine(sentence)], lambda s: None)
    read = [(f.year, f.value) for f in Statements(figures).own]
    earlier = [(2022, 438)] if "438" in sentence else []  # an earlier total is read with its year, as that year's
    assert read == earlier + ([(year, total)] if total else [])


def test_a_page_without_a_result_and_a_page_without_kommunkompassen():
    reading = read("ingen-resultat.html")
    assert reading is not None and reading.evaluations == [] and not reading.has_result
    assert read_result_page("<html><body><p>1. Offentlighet och demokrati 61</p></body></html>",
                            "http://127.0.0.1/x", "t") is None


def test_areas_that_do_not_add_up_are_not_stored():
    html = page("grastorp-lista.html").replace("Verksamhetsutveckling 65",
                                                                                "Verksamhetsutveckling 56")
    reading = read_result_page(html, "http://127.0.0.1/g", "t")
    assert stated(reading) == {2014: ({}, 506, "2010-2019")}
    assert reading.checks == [("2014: areas sum to total", False, "497 ≠ 506")]


def test_scripts_and_markup_are_not_read_and_area_names_must_match():
    html = """<html><head><title>Kommunkompassen Grästorp</title>
    <script>var t = "1. Offentlighet och demokrati 99<br>2. Tillgänglighet och brukarorientering 99";</script></head>
    <body><p>Kommunkompassen 2014</p><!-- 3. Politisk styrning och kontroll 99 -->
    <p>1. Offentlig upphandling 40<br>2. Trafiksäkerhet 50</p></body></html>"""
    reading = read_result_page(html, "http://127.0.0.1/s", "t")
    assert reading.evaluations == []
    assert name_area("Område 9 Arbetsliv") is None and name_area("3. Arbetsliv") is None
    assert page_text("<div>" * 5000 + "Kommunkompassen").lines == [], "depth is bounded by the parser"


# --- harvest and load ----------------------------------------------------------------------------------

LISTING = """<html><head><title>Kommunkompassen i Sverige</title></head><body>
<h1>Kommuner som publicerat sina resultat</h1>
<ul><li><a href="/grastorp/kommunkompassen.html">Grästorp</a></li><li><a href="/enkoping/kk-2018">Enköping</a></li>
<li><a href="/hoganas/kommunkompassen">Höganäs</a></li><li><a href="/karlskoga/kommunkompassen">Karlskoga</a></li>
<li><a href="/orebro/blogg/2013/01/24/orebro-i-toppskiktet">Örebro</a></li>
<li><a href="/vallentuna/kommunkompassen/">Vallentuna</a></li><li><a href="/tomelilla/kommunkompassen">Tomelilla</a></li>
<li><a href="/nyheter">Nyheter</a></li></ul></body></html>"""
ROUTES = {
    "/": LISTING,
    "/grastorp/kommunkompassen.html": "grastorp-lista.html",
    "/enkoping/kk-2018": "enkoping-tabell.html",
    "/hoganas/kommunkompassen": "hoganas-prosa.html",
    "/karlskoga/kommunkompassen": "karlskoga-prosa.html",
    "/orebro/blogg/2013/01/24/orebro-i-toppskiktet": "orebro-lista.html",
    "/tomelilla/kommunkompassen": "ingen-resultat.html",
    "/nyheter": "<html><body><h1>Nyheter</h1><p>Inga nyheter just nu.</p></body></html>",
}


class Site:
    def __init__(self) -> None:
        self.vallentuna = "vallentuna-tabell-v1.html"
        self.requests: list[str] = []


class Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.site.requests.append(self.path)
        route = self.site.vallentuna if self.path == "/vallentuna/kommunkompassen/" else ROUTES.get(self.path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = (route if route.startswith("<") else page(route)).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("PagesHandler", (Handler,), {"site": state}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield state
    server.shutdown()
    server.server_close()


def run_harvest(site: Site, corpus: Path, db_path: Path, clock: str) -> list:
    settings = HarvestSettings(user_agent="kommunkompassen-test/1.0", max_depth=1, retries=1, retry_delays=(0.01,),
                               per_host_delay=0.0, timeout_seconds=5)
    collector = PageCollector(clock=lambda: clock)
    harvest(SourcesConfig(settings, (Source(url=site.url),)), CorpusStore(corpus), pages=collector)
    db = open_database(db_path)
    try:
        return load_pages(db, collector.readings)
    finally:
        db.close()


@pytest.fixture(scope="module")
def runs(site, tmp_path_factory):
    """The CSV seed, then three harvests: Vallentuna's page unchanged in the second, corrected in the third."""
    root = tmp_path_factory.mktemp("pages")
    db_path = root / "kommunkompassen.db"
    db = open_database(db_path)
    load_published(db)
    db.close()
    site.vallentuna = "vallentuna-tabell-v1.html"
    first = run_harvest(site, root / "corpus", db_path, "2026-01-01T10:00:00+00:00")
    after_first = dump(db_path)
    agreement_first = rows(db_path, "SELECT evaluation, area, csv_value, page_value FROM published_page_agreement "
                                    "WHERE agree = 0 ORDER BY evaluation, area")
    second = run_harvest(site, root / "corpus", db_path, "2026-01-08T10:00:00+00:00")
    after_second = dump(db_path)
    site.vallentuna = "vallentuna-tabell.html"
    third = run_harvest(site, root / "corpus", db_path, "2026-01-15T10:00:00+00:00")
    yield dict(db=db_path, first=first, second=second, third=third, after_first=after_first,
               after_second=after_second, agreement_first=agreement_first, url=site.url)
    assert integrity(db_path) == "ok"


def page_url(runs, path: str) -> str:
    return runs["url"].rstrip("/") + path


def test_every_shape_loads_exact_scores_with_url_and_sentence(runs):
    db = runs["db"]
    got = rows(db, "SELECT e.kommun, e.year, s.area, s.score, s.source_url FROM area_scores s "
                   "JOIN documents d ON d.sha256 = s.document AND d.kind = 'result_page' "
                   "JOIN evaluations e ON e.id = s.evaluation ORDER BY e.kommun, e.year, s.area")
    want = [("Enköping", 2016, n, v, page_url(runs, "/enkoping/kk-2018")) for n, v in ENKOPING_2016.items()]
    want += [("Enköping", 2018, n, v, page_url(runs, "/enkoping/kk-2018")) for n, v in ENKOPING_2018.items()]
    want += [("Grästorp", 2014, n, v, page_url(runs, "/grastorp/kommunkompassen.html")) for n, v in GRASTORP.items()]
    want += [("Vallentuna", 2021, n, v, page_url(runs, "/vallentuna/kommunkompassen/")) for n, v in VALLENTUNA.items()]
    want += [("Örebro", 2012, n, v, page_url(runs, "/orebro/blogg/2013/01/24/orebro-i-toppskiktet"))
             for n, v in OREBRO.items()]
    assert got == [(k, y, n, float(v), u) for k, y, n, v, u in want]
    totals = rows(db, "SELECT e.kommun, e.year, s.total FROM evaluation_sources s "
                      "JOIN documents d ON d.sha256 = s.document AND d.kind = 'result_page' "
                      "JOIN evaluations e ON e.id = s.evaluation ORDER BY e.kommun, e.year")
    assert totals == [("Enköping", 2016, 434.0), ("Enköping", 2018, 519.0), ("Grästorp", 2014, 506.0),
                      ("Höganäs", 2020, 611.0), ("Höganäs", 2023, 679.0), ("Karlskoga", 2014, 450.0),
                      ("Vallentuna", 2021, 648.0), ("Örebro", 2012, 615.0)]
    # every number with the sentence or table row it came from, which holds the number
    for value, excerpt, kind in rows(db, "SELECT value, excerpt, kind FROM page_figures"):
        assert f"{value:g}" in excerpt
    assert rows(db, "SELECT excerpt, fetched_at FROM page_figures f JOIN evaluations e ON e.id = f.evaluation "
                    "WHERE e.kommun = 'Karlskoga'") == [
        ("I Kommunkompassen 2014 fick Karlskoga kommun 450 av 800 poäng.", "2026-01-01T10:00:00+00:00")]


def test_the_page_without_a_result_stores_nothing(runs):
    url = page_url(runs, "/tomelilla/kommunkompassen")
    assert [load.status for load in runs["first"] if load.url == url] == ["nothing"]
    assert rows(runs["db"], "SELECT count(*) FROM documents WHERE source_url = ?", [url]) == [(0,)]
    assert rows(runs["db"], "SELECT count(*) FROM result_page_history WHERE url = ?", [url]) == [(0,)]
    assert rows(runs["db"], "SELECT count(*) FROM evaluation_sources s JOIN evaluations e ON e.id = s.evaluation "
                            "WHERE e.kommun = 'Tomelilla' AND s.document IN "
                            "(SELECT sha256 FROM documents WHERE kind = 'result_page')") == [(0,)]


def test_second_run_changes_nothing(runs):
    assert {load.status for load in runs["second"]} == {"unchanged", "nothing"}
    assert runs["after_second"] == runs["after_first"]


def test_changed_page_updates_its_rows_and_keeps_history(runs):
    db, url = runs["db"], page_url(runs, "/vallentuna/kommunkompassen/")
    assert [(load.status, load.evaluations) for load in runs["third"] if load.url == url] == [
        ("loaded", ("0115-2021",))]
    history = rows(db, "SELECT fetched_at, evaluations, figures FROM result_page_history WHERE url = ? "
                       "ORDER BY fetched_at", [url])
    assert [(when, n, json.loads(figures)[0]["areas"]["7"], json.loads(figures)[0]["total"])
            for when, n, figures in history] == [
        ("2026-01-01T10:00:00+00:00", 1, 85.0, 647.0), ("2026-01-15T10:00:00+00:00", 1, 86.0, 648.0)]
    assert rows(db, "SELECT count(*) FROM documents WHERE source_url = ?", [url]) == [(1,)]
    assert rows(db, "SELECT score FROM area_scores WHERE source_url = ? AND area = 7", [url]) == [(86.0,)]
    others = {load.url: load.status for load in runs["third"] if load.url != url}
    assert set(others.values()) == {"unchanged", "nothing"}


def test_csv_and_pages_agree_where_both_exist_and_disagreements_are_flagged(runs):
    assert runs["agreement_first"] == [("0115-2021", None, 648.0, 647.0), ("0115-2021", 7, 86.0, 85.0)]
    db = runs["db"]
    both = rows(db, "SELECT count(*), sum(agree) FROM published_page_agreement")
    assert both == [(both[0][0], both[0][0])] and both[0][0] >= 40, "after the correction every figure agrees"
    pairs = set(rows(db, "SELECT evaluation, area FROM published_page_agreement"))
    assert {("1444-2014", n) for n in range(1, 9)} | {("1444-2014", None), ("1284-2020", None),
                                                      ("1284-2023", None), ("1883-2014", None)} <= pairs
    assert ("0381-2016", 3) not in pairs, "the CSV has no 2016 score for area 3: nothing to compare"


def test_first_run_flags_the_disagreement_in_the_chosen_scores(runs, tmp_path):
    from db.pages import load_page

    path = tmp_path / "kk.db"
    db = open_database(path)
    load_published(db)
    load_page(db, read("vallentuna-tabell-v1.html"))
    got = db.execute("SELECT area, sources, disagreement, min_score, max_score FROM chosen_area_scores "
                     "WHERE evaluation = '0115-2021' AND disagreement = 1").fetchall()
    db.close()
    assert got == [(7, 2, 1, 85.0, 86.0)]


def test_harvest_flow_with_a_database_reads_the_pages(site, tmp_path, prefect_harness):
    """`kompass harvest --db` runs the Prefect flow; the second run finds every page unchanged."""
    from flows.harvest import harvest_flow

    site.vallentuna = "vallentuna-tabell.html"
    config = tmp_path / "sources.yml"
    config.write_text(f"""settings:
  user_agent: kommunkompassen-test/1.0
  max_depth: 1
  retries: 1
  retry_delays: [0.01]
  per_host_delay: 0
  timeout_seconds: 5
sources:
  - url: {site.url}
""", encoding="utf-8")
    db_path = tmp_path / "kk.db"
    first = harvest_flow(corpus=str(tmp_path / "corpus"), config_path=str(config), db_path=str(db_path))
    second = harvest_flow(corpus=str(tmp_path / "corpus"), config_path=str(config), db_path=str(db_path))
    assert first["result_pages"] == {"loaded": 6, "nothing": 2}
    assert second["result_pages"] == {"unchanged": 6, "nothing": 2}
    assert rows(db_path, "SELECT count(*) FROM page_figures") == [(8 * 5 + 8,)]  # 5 × 8 areas + 8 totals


def test_page_text_is_escaped_where_datasette_shows_it(tmp_path):
    """A quotation holding markup is stored as text and shown escaped, never run."""
    import asyncio

    from db.datasette import database_name, make_datasette
    from db.pages import load_page

    html = page("grastorp-lista.html").replace(
        "Totalt fick Grästorp 506 av totalt 800 poäng.",
        "Totalt fick Grästorp 506 av totalt 800 poäng &lt;script&gt;alert(1)&lt;/script&gt;.")
    path = tmp_path / "kk.db"
    db = open_database(path)
    load_page(db, read_result_page(html, "http://127.0.0.1/g", "2026-01-01T10:00:00+00:00"))
    db.close()
    assert rows(path, "SELECT excerpt FROM page_figures WHERE kind = 'total'") == [
        ("Totalt fick Grästorp 506 av totalt 800 poäng <script>alert(1)</script>.",)]

    async def table_html() -> str:
        response = await make_datasette(path).client.get(f"/{database_name(path)}/page_figures?kind=total")
        return response.text

    shown = asyncio.run(table_html())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>alert(1)" not in shown


def test_a_page_that_stops_stating_a_result_removes_its_rows_and_keeps_its_history(tmp_path):
    from db.pages import load_page

    path = tmp_path / "kk.db"
    db = open_database(path)
    url = "http://127.0.0.1/karlskoga"
    first = load_page(db, read_result_page(page("karlskoga-prosa.html"), url, "2026-01-01T10:00:00+00:00"))
    emptied = page("karlskoga-prosa.html").replace("fick Karlskoga kommun 450 av 800 poäng",
                                                   "utvärderades Karlskoga kommun")
    second = load_page(db, read_result_page(emptied, url, "2026-02-01T10:00:00+00:00"))
    third = load_page(db, read_result_page(emptied, url, "2026-03-01T10:00:00+00:00"))
    db.close()
    assert (first.status, second.status, third.status) == ("loaded", "removed", "unchanged")
    assert rows(path, "SELECT count(*) FROM documents WHERE source_url = ?", [url]) == [(0,)]
    assert rows(path, "SELECT fetched_at, evaluations FROM result_page_history ORDER BY fetched_at") == [
        ("2026-01-01T10:00:00+00:00", 1), ("2026-02-01T10:00:00+00:00", 0)]
    assert rows(path, "SELECT count(*) FROM evaluations") == [(0,)], "an evaluation no source names is dropped"


def test_a_page_that_cannot_be_loaded_does_not_stop_the_others(tmp_path):
    import dataclasses

    path = tmp_path / "kk.db"
    db = open_database(path)
    broken = read("karlskoga-prosa.html", "http://127.0.0.1/k")
    broken.evaluations[0] = dataclasses.replace(broken.evaluations[0], framework="1999-")  # no such framework
    loads = load_pages(db, [broken, read("grastorp-lista.html")])
    db.close()
    assert [(load.status, load.reason is not None) for load in loads] == [("failed", True), ("loaded", False)]
    assert rows(path, "SELECT kommun FROM evaluations") == [("Grästorp",)]
