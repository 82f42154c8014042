"""A result stated anywhere is read by one statement reader (`extractors.statements`): short PDFs printed by
several producers, news items, municipal web pages harvested from a real HTTP server on 127.0.0.1.

The documents (`tests/stated_documents.py`) are written here: Nora's 2016 one-page summary (a numbered list
and the total in a sentence beside Lindesberg's total and the median) with the municipality named in a
different way in each rendering, Sala's 2019 total in a local paper beside its neighbours' totals and its
previous total, Lindesberg's areas as the columns of a table, and a page that only links the report.
"""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from corpus.harvest import harvest
from corpus.page_text import page_text
from corpus.sources import HarvestSettings, Source, SourcesConfig
from corpus.store import CorpusStore
from corpus.web_pages import NEWS, PUBLISHED_PAGE, PageCollector, page_subject, read_web_page
from db.pages import load_pages
from db.schema import open_database
from extractors.document import read_document
from extractors.errors import NotAReport
from extractors.places import find_subject, lookup_place, mentioned
from extractors.report import extract_report, extract_tables
from extractors.statements import EARLIER, OTHER, OWN, REFERENCE, document_result
from tests.stated_documents import (AREAS_2010, NORA, NORA_TOTAL, NORA_YEAR, SALA_TOTAL, SALA_YEAR, link_only_html,
                                    news_html, print_pdf, summary_html)
from tests.synthetic.producers.tools import has_tool
from tests.test_db_support import rows


def _available(producer: str) -> bool:
    if producer == "weasyprint":
        try:
            import weasyprint  # noqa: F401
        except ImportError:
            return False
        return True
    return producer == "reportlab" or has_tool({"libreoffice": "soffice"}.get(producer, producer))


def _printed(tmp_path: Path, html: str, producer: str, name: str = "doc") -> Path:
    if not _available(producer):
        pytest.skip(f"{producer} is not installed")
    return print_pdf(html, tmp_path / f"{name}-{producer}.pdf", producer)


# --- PDFs: a one-page summary, the municipality named in each way, by each producer -------------------

RENDERINGS = [("chromium", "body-sentence"), ("wkhtmltopdf", "footer-address"), ("weasyprint", "genitive"),
              ("libreoffice", "title"), ("reportlab", "body-sentence"), ("chromium", "footer-address"),
              ("reportlab", "genitive")]


@pytest.mark.parametrize("producer, naming", RENDERINGS)
def test_one_page_summary_extracts_exactly(tmp_path, producer, naming):
    report = extract_report(_printed(tmp_path, summary_html(naming), producer)).to_json()
    assert (report["kommun"], report["kommunkod"], report["year"]) == ("Nora", "1884", NORA_YEAR)
    assert {a["area"]: a["score"] for a in report["areas"]} == NORA
    assert (report["total"], report["framework"]) == (NORA_TOTAL, "2010-2019"), "never Lindesberg's or the median"
    assert [c["name"] for c in report["checks"] if not c["ok"]] == []
    assert any("no area table: the result is read from what the text states" in w for w in report["warnings"])


@pytest.mark.parametrize("producer", ["chromium", "wkhtmltopdf", "reportlab"])
def test_news_item_gives_its_subjects_total_only(tmp_path, producer):
    report = extract_tables(_printed(tmp_path, news_html(), producer, "news"))
    assert (report.kommun, report.kommunkod, report.year, report.total, report.areas) == \
        ("Sala", "1981", SALA_YEAR, SALA_TOTAL, [])
    said = " ".join(report.warnings)
    assert "488 is Heby's total" in said and "512 is Nora's total" in said
    assert "497 is a reference total" in said and "471 is an earlier evaluation's total" in said
    assert "only the total is stated" in said


def _key(statement):
    return (statement.kind, statement.area, statement.value, statement.role, statement.kommun)


@pytest.mark.parametrize("producer", ["chromium", "weasyprint", "reportlab"])
@pytest.mark.parametrize("naming", ["body-sentence", "genitive"])
def test_the_same_statements_from_a_pdf_and_from_the_page(tmp_path, producer, naming):
    html = summary_html(naming)
    from_page = read_web_page(html, "https://www.nora.se/kommunkompassen", "2026-01-01T10:00:00+00:00")
    from_pdf = document_result(read_document(_printed(tmp_path, html, producer)), None, None)
    assert sorted(map(_key, from_pdf.statements)) == sorted(map(_key, from_page.statements))
    [evaluation] = from_page.evaluations
    assert (evaluation.year, {n: s.value for n, s in evaluation.areas.items()}, evaluation.total.value) == \
        (from_pdf.evaluation.year, {n: s.value for n, s in from_pdf.evaluation.areas.items()},
         from_pdf.evaluation.total.value)
    assert from_pdf.subject.name == from_page.kommun == "Nora"


# --- what is not a report, and text that is not Swedish ----------------------------------------------

def _reportlab_text(pdf: Path, pages: list[list[str]]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(pdf), pagesize=A4, invariant=1)
    for lines in pages:
        y = A4[1] - 70
        page.setFont("Helvetica", 11)
        for line in lines:
            page.drawString(60, y, line)
            y -= 16
        page.showPage()
    page.save()
    return pdf


def test_a_short_text_budget_is_not_a_report_and_needs_no_ocr(tmp_path):
    pdf = _reportlab_text(tmp_path / "budget.pdf", [["Lindesbergs kommun - Driftbudget 2017",
                                                     "Barn- och utbildningsnämnden 412 300 tkr; Tekniska nämnden 61 800"]])
    with pytest.raises(NotAReport) as raised:
        extract_report(pdf)
    message = str(raised.value)
    assert "not a Kommunkompassen report" in message and "OCR" not in message and "\n" not in message


def test_readable_english_is_refused_in_under_a_second_and_never_ocrd(tmp_path):
    paragraph = ("The council of the municipality has published its annual report on the services it provides to "
                 "residents, and this chapter describes how the work was organised over the year and what was "
                 "learned from it. The figures are presented for each department in the tables that follow.")
    words = paragraph.split()
    lines = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    pdf = _reportlab_text(tmp_path / "english.pdf", [lines * 6 for _ in range(17)])
    started = time.monotonic()
    with pytest.raises(NotAReport) as raised:
        extract_report(pdf)
    assert time.monotonic() - started < 1.0
    assert "not Swedish (en)" in str(raised.value)
    assert read_document(pdf).ocr_pages() == []


def test_a_finland_swedish_report_keeps_its_municipality_with_a_short_title_page(tmp_path):
    title = ["Pargas stad", "Kommunkompassen 2019", "Utvärdering av Pargas stad", "Kommunförbundet i Finland",
             "Åbo Akademi", "Christina Lindholm, Mikael Sjöberg"]
    body = ["Resultat 2019"] + [f"{n}. {name} {NORA[n]}" for n, name in enumerate(AREAS_2010, 1)] + \
        ["", "Totalt fick Pargas 512 av 800 möjliga poäng, vilket kan jämföras med Borgås 530 poäng."]
    report = extract_tables(_reportlab_text(tmp_path / "pargas.pdf", [title, body])).to_json()
    assert (report["kommun"], report["kommunkod"], report["country"], report["national_code"]) == \
        ("Pargas", None, "FI", "445")
    assert (report["year"], report["total"], {a["area"]: a["score"] for a in report["areas"]}) == (2019, 512, NORA)


# --- the municipality, wherever it is named -----------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("Kommunkompassen, som är en utvärdering av Grästorps kommun, genomfördes i oktober 2014.", "Grästorp"),
    ("Vallentuna kommun utvärderades i februari 2021.", "Vallentuna"),
    ("Totalt fick Nora 512 poäng.", "Nora"),
    ("Sidan publiceras av kommunen. Box 123, 467 80 Grästorp. Telefon 0514-580 00.", "Grästorp"),
    ("Rapporten är en analys av Jakobstads stad i Finland.", "Jakobstad"),
])
def test_the_subject_is_found_in_body_sentences_and_addresses(text, name):
    assert find_subject("Kommunkompassen", [], [text]).name == name


def test_when_several_are_named_the_subject_of_the_result_is_chosen():
    lines = ["Kommunkompassen gjordes även i Heby, Sala och Lindesberg samma höst.",
             "Nora kommun utvärderades i mars 2016 och fick 512 av 800 poäng, medan Lindesberg fick 547 poäng."]
    assert find_subject("Nyheter", [], lines).name == "Nora"


def test_nordic_municipalities_carry_country_and_national_code():
    larvik = mentioned("Ett gott exempel är Larvik i Norge.")[0]
    assert (larvik.name, larvik.country, larvik.code, larvik.kommunkod) == ("Larvik", "NO", "3909", None)
    assert (lookup_place("Parainen").name, lookup_place("Åbo").code, lookup_place("Aarhus").country) == \
        ("Pargas", "853", "DK")
    assert mentioned("Vasa är ett skepp.") == [], "a Nordic name counts only as a municipality, with its context"
    assert lookup_place("Fagersta").country == "SE"


def test_a_cms_page_named_only_in_its_footer_address():
    reading = read_web_page(summary_html("footer-address", cms=True), "http://127.0.0.1/nora", "t")
    assert (reading.kommun, reading.source_kind) == ("Nora", NEWS), "no own domain and no site name: not its own"
    owned = read_web_page(summary_html("footer-address", cms=True), "http://127.0.0.1/nora", "t",
                          own_domains=("127.0.0.1",))
    assert owned.source_kind == PUBLISHED_PAGE
    assert page_subject(page_text(summary_html("genitive", cms=True)), "http://127.0.0.1/x").name == "Nora"


# --- a harvest of local pages ---------------------------------------------------------------------------

LINDESBERG = {1: 70, 2: 66, 3: 74, 4: 68, 5: 69, 6: 64, 7: 67, 8: 69}
LINDESBERG_SNITT = {1: 63, 2: 64, 3: 70, 4: 62, 5: 60, 6: 58, 7: 61, 8: 66}


def lindesberg_columns_html() -> str:
    """Lindesberg's areas as the columns of a table, named only in a body sentence."""
    head = "".join(f"<th>{n}. {name}</th>" for n, name in enumerate(AREAS_2010, 1))
    own = "".join(f"<td>{LINDESBERG[n]}</td>" for n in range(1, 9))
    snitt = "".join(f"<td>{LINDESBERG_SNITT[n]}</td>" for n in range(1, 9))
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Resultat 2016</title></head><body>
<nav><a href="/">Hem</a> <a href="/kontakt">Kontakt</a></nav><main><h1>Resultat i Kommunkompassen 2016</h1>
<p>Lindesbergs kommun utvärderades i oktober 2016.</p>
<table><tr><th>Område</th>{head}</tr><tr><th>Poäng</th>{own}</tr><tr><th>Sverigesnitt</th>{snitt}</tr></table>
<p>Totalt blev det 547 poäng.</p></main></body></html>"""


MUNICIPAL = {"/": '<html><body><h1>Kommunens sidor</h1><a href="/nora/kommunkompassen">Nora</a> '
                  '<a href="/lindesberg/resultat">Lindesberg</a> <a href="/heby/kommunkompassen">Heby</a></body></html>',
             "/nora/kommunkompassen": summary_html("footer-address", cms=True),
             "/lindesberg/resultat": lindesberg_columns_html(),
             "/heby/kommunkompassen": link_only_html()}
NEWS_SITE = {"/": '<html><body><h1>Bergslagsbladet</h1><a href="/nyheter/sala-klattrar">Sala klättrar</a></body></html>',
             "/nyheter/sala-klattrar": news_html()}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        host = (self.headers.get("Host") or "").split(":")[0]
        body = (NEWS_SITE if host == "localhost" else MUNICIPAL).get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def harvested(tmp_path_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    root = tmp_path_factory.mktemp("stated")
    settings = HarvestSettings(user_agent="kommunkompassen-test/1.0", max_depth=1, retries=1, retry_delays=(0.01,),
                               per_host_delay=0.0, timeout_seconds=5)
    sources = (Source(url=f"http://127.0.0.1:{port}/", own_domains=("127.0.0.1",)),
               Source(url=f"http://localhost:{port}/"))
    collector = PageCollector(clock=lambda: "2026-01-01T10:00:00+00:00")
    try:
        harvest(SourcesConfig(settings, sources), CorpusStore(root / "corpus"), pages=collector)
    finally:
        server.shutdown()
        server.server_close()
    db = open_database(root / "kk.db")
    loads = load_pages(db, collector.readings)
    db.close()
    yield dict(db=root / "kk.db", loads=loads, collector=collector, port=port)


def test_harvest_stores_exactly_the_stated_scores_with_their_source_kind(harvested):
    db = harvested["db"]
    scores = rows(db, "SELECT e.kommun, e.year, s.area, s.score, s.reference, s.source FROM area_scores s "
                      "JOIN evaluations e ON e.id = s.evaluation ORDER BY e.kommun, s.area")
    assert scores == [("Lindesberg", 2016, n, float(LINDESBERG[n]), float(LINDESBERG_SNITT[n]), PUBLISHED_PAGE)
                      for n in range(1, 9)] + [("Nora", 2016, n, float(NORA[n]), None, PUBLISHED_PAGE)
                                               for n in range(1, 9)]
    totals = rows(db, "SELECT e.kommun, e.kommunkod, e.year, s.total, s.source FROM evaluation_sources s "
                      "JOIN evaluations e ON e.id = s.evaluation ORDER BY e.kommun, e.year")
    assert totals == [("Lindesberg", "1885", 2016, 547.0, PUBLISHED_PAGE), ("Nora", "1884", 2016, 512.0, PUBLISHED_PAGE),
                      ("Sala", "1981", 2015, 471.0, NEWS), ("Sala", "1981", 2019, 533.0, NEWS)]


def test_every_stored_number_keeps_its_sentence_or_row(harvested):
    excerpts = rows(harvested["db"], "SELECT e.kommun, f.kind, f.area, f.value, f.excerpt FROM page_figures f "
                                     "JOIN evaluations e ON e.id = f.evaluation ORDER BY e.kommun, e.year, f.seq")
    for _, _, _, value, excerpt in excerpts:
        assert f"{value:g}" in excerpt
    assert ("Nora", "total", None, 512.0, "Sammanlagt blev det 512 av 800 möjliga poäng.") in excerpts
    assert ("Sala", "total", None, 533.0, "Sala kommun fick 533 av 800 möjliga poäng när Kommunkompassen gjordes "
            "hösten 2019, jämfört med 471 poäng vid förra utvärderingen 2015.") in excerpts
    assert ("Lindesberg", "area", 3, 74.0, "3. Politisk styrning och kontroll | 74 | 70") in excerpts, \
        "a table with the areas as columns: the area's column, header first"


def test_pages_without_a_result_store_nothing(harvested):
    port = harvested["port"]
    status = {load.url: load.status for load in harvested["loads"]}
    assert status[f"http://127.0.0.1:{port}/heby/kommunkompassen"] == "nothing"
    assert rows(harvested["db"], "SELECT count(*) FROM evaluations WHERE kommun = 'Heby'") == [(0,)]
    news = next(r for r in harvested["collector"].readings if r.url.endswith("/nyheter/sala-klattrar"))
    roles = {(s.value, s.role, s.kommun) for s in news.statements}
    assert {(488.0, OTHER, "Heby"), (512.0, OTHER, "Nora"), (497.0, REFERENCE, None), (471.0, EARLIER, None),
            (533.0, OWN, None)} == roles


# --- chart data labels ------------------------------------------------------------------------------------

@pytest.mark.parametrize("rotation, inside", [(0, False), (45, True), (90, False)])
def test_scores_only_in_a_charts_data_labels(tmp_path, rotation, inside):
    from tests.stated_documents import SALA_2022, chart_pdf

    report = extract_tables(chart_pdf(tmp_path / "chart.pdf", rotation, inside)).to_json()
    assert (report["kommun"], report["year"], report["total"], report["framework"]) == ("Sala", 2022, 607, "2020-")
    assert {a["area"]: a["score"] for a in report["areas"]} == SALA_2022, "the axis ticks are never values"
    assert [c["name"] for c in report["checks"] if not c["ok"]] == []
    assert any("page 1: chart" in w for w in report["warnings"])


def test_text_quality_never_condemns_a_page_for_being_short():
    from extractors.settings import DEFAULT_SETTINGS
    from extractors.textquality import judge_words

    title = ("Kommunkompassen 2019 Pargas stad Utvärdering genomförd av Kommunförbundet i Finland Helena Sjöholm "
             "Jukka Lehtinen Tove Lindqvist Nagu Korpo Houtskär Iniö Väståboland Skärgårdshavet Rapport Juni")
    quality = judge_words([title], DEFAULT_SETTINGS)
    assert quality.words < DEFAULT_SETTINGS.short_page_words and quality.known_share < DEFAULT_SETTINGS.min_known_share
    assert quality.readable
    garbage = judge_words(["6HNWLRQHQI¶U'HPRNUDWLRFKVW\\UQLQJ .RPP XQNRPSDVVHQ $QDO \\V DY)D JHUVWD.RPPXQ ,QQHK•"
                           " 9DG§U.RPPXQNRPSDVVHQ .RP PXQNRPSDVVHQ§UHWWYHUNW\\JI¶UXWY§UGHULQJ"], DEFAULT_SETTINGS)
    assert not garbage.readable, "a font without a Unicode map is still unreadable"
