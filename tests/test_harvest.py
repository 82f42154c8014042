"""Harvesting against a real web site on 127.0.0.1 with everything that goes wrong in practice.

The site has listing pages two levels deep, real report PDFs (the bundled Fagersta report and
reportlab reports naming Kommunkompassen), a redirect, a 404, 500s that succeed on retry, ETag
and Last-Modified validators answering 304, an HTML error page under a `.pdf` address, a PDF that
is not a report, a body cut off mid-transfer, a robots.txt exclusion and a link deeper than the
crawl depth. The harvest runs twice through `corpus.harvest.harvest` (no Prefect).
"""
from __future__ import annotations

import hashlib
import io
import json
import threading
from collections import Counter
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from corpus.harvest import harvest
from corpus.sources import HarvestSettings, Source, SourcesConfig
from corpus.store import DUPLICATE, FAILED, NOT_MODIFIED, REJECTED, SKIPPED, STORED, CorpusStore

ROOT = Path(__file__).resolve().parent.parent
FAGERSTA = (ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf").read_bytes()
USER_AGENT = "kommunkompassen-test/1.0"
FAGERSTA_ETAG = '"fagersta-v1"'
TESTKOPING_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"


def reportlab_pdf(lines: list[str]) -> bytes:
    """A small real PDF with the given lines on page 1."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for row, line in enumerate(lines):
        pdf.drawString(72, 760 - 18 * row, line)
    pdf.showPage()
    pdf.drawString(72, 760, "Sammanfattning område 1. Styrkor och förbättringsområden.")
    pdf.save()
    return buffer.getvalue()


TESTKOPING = reportlab_pdf(["Kommunkompassen", "Analys av Testköpings kommun", "2015-03-10--12"])
EXEMPELBY = reportlab_pdf(["Kommunkompassen", "Analys av Exempelby kommun", "2012-05-02--04"])
ARSREDOVISNING = reportlab_pdf(["Årsredovisning 2014", "Testköpings kommun", "Förvaltningsberättelse"])
DEEP = reportlab_pdf(["Kommunkompassen", "Analys av Djupby kommun", "2010-01-01"])

LISTING = """<html><head><title>Kommunkompassen</title></head><body>
<h1>Kommunkompassen i Testköping</h1>
<a href="/files/kommunkompassen-fagersta-2009.pdf">Kommunkompassen Fagersta 2009 (pdf)</a>
<a href="/old/rapport-2015.pdf">Kommunkompassen 2015</a>
<a href="/files/kommunkompassen-testkoping-2015.pdf#page=2">Rapporten direkt</a>
<a href="/files/saknas.pdf">Kommunkompassen 2011</a>
<a href="/files/kommunkompassen-fel.pdf">Kommunkompassen 2013</a>
<a href="/files/arsredovisning-2014.pdf">Kommunkompassen och årsredovisningen 2014</a>
<a href="/files/kommunkompassen-2016.pdf">Kommunkompassen 2016</a>
<a href="/privat/kommunkompassen-2017.pdf">Kommunkompassen 2017</a>
<a href="/files/budget.pdf">Budget 2016</a>
<a href="https://example.invalid/kommunkompassen.pdf">Annan webbplats</a>
<a href="/arkiv/">Arkiv</a>
</body></html>"""
ARCHIVE = """<html><body><a href="/dokument?id=12">Utvärdering 2012</a>
<a href="/arkiv/sida2">Äldre utvärderingar</a></body></html>"""
ARCHIVE_2 = '<html><body><a href="/arkiv/sida3">Ännu äldre</a></body></html>'
ARCHIVE_3 = '<html><body><a href="/files/kommunkompassen-djupby.pdf">Kommunkompassen 2010</a></body></html>'
ERROR_PAGE = "<!DOCTYPE html><html><body><h1>Sidan kunde inte visas</h1></body></html>"


class Site:
    """The test site's state: what was requested, and which answers have been given."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.answers: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        self.failed_once: set[str] = set()

    def count(self, path: str, status: int | None = None) -> int:
        return sum(1 for p, s in self.answers if p == path and (status is None or s == status))


class Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        with self.site.lock:
            self.site.requests.append((self.path, dict(self.headers)))
        route = ROUTES.get(self.path.split("#")[0])
        if route is None:
            self.answer(404, "text/html", b"<html><body>Hittades inte</body></html>")
        else:
            route(self)

    def answer(self, status: int, content_type: str | None, body: bytes = b"", headers: dict | None = None,
               declared: int | None = None) -> None:
        with self.site.lock:
            self.site.answers.append((self.path, status))
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(declared if declared is not None else len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True


def html(body: str):
    return lambda h: h.answer(200, "text/html; charset=utf-8", body.encode("utf-8"))


def fagersta(h: Handler) -> None:
    if h.headers.get("If-None-Match") == FAGERSTA_ETAG:
        h.answer(304, None, headers={"ETag": FAGERSTA_ETAG})
    else:
        h.answer(200, "application/pdf", FAGERSTA, {"ETag": FAGERSTA_ETAG})


def serve_testkoping(h: Handler) -> None:
    if h.headers.get("If-Modified-Since") == TESTKOPING_MODIFIED:
        h.answer(304, None, headers={"Last-Modified": TESTKOPING_MODIFIED})
    else:
        h.answer(200, "application/pdf", TESTKOPING, {"Last-Modified": TESTKOPING_MODIFIED})


def fails_every_other(h: Handler) -> None:
    """500 on every odd request, the report (no validators) on every even one: each GET needs a retry."""
    if h.site.count(h.path) % 2 == 0:
        h.answer(500, "text/html", b"<html>Internt fel</html>")
    else:
        h.answer(200, "application/pdf", EXEMPELBY)


def not_a_report(h: Handler) -> None:
    if h.headers.get("If-None-Match") == '"arsred"':
        h.answer(304, None, headers={"ETag": '"arsred"'})
    else:
        h.answer(200, "application/pdf", ARSREDOVISNING, {"ETag": '"arsred"'})


ROUTES = {
    "/robots.txt": lambda h: h.answer(200, "text/plain", b"User-agent: *\nDisallow: /privat/\n"),
    "/": html(LISTING),
    "/arkiv/": html(ARCHIVE),
    "/arkiv/sida2": html(ARCHIVE_2),
    "/arkiv/sida3": html(ARCHIVE_3),
    "/files/kommunkompassen-fagersta-2009.pdf": fagersta,
    "/old/rapport-2015.pdf": lambda h: h.answer(301, "text/html", b"", {
        "Location": "/files/kommunkompassen-testkoping-2015.pdf"}),
    "/files/kommunkompassen-testkoping-2015.pdf": serve_testkoping,
    "/dokument?id=12": fails_every_other,
    "/files/kommunkompassen-fel.pdf": lambda h: h.answer(200, "text/html", ERROR_PAGE.encode()),
    "/files/arsredovisning-2014.pdf": not_a_report,
    "/files/kommunkompassen-2016.pdf": lambda h: h.answer(200, "application/pdf", FAGERSTA[:5000],
                                                          declared=len(FAGERSTA)),
    "/files/kommunkompassen-djupby.pdf": lambda h: h.answer(200, "application/pdf", DEEP),
    "/privat/kommunkompassen-2017.pdf": lambda h: h.answer(200, "application/pdf", DEEP),
    "/files/budget.pdf": lambda h: h.answer(200, "application/pdf", ARSREDOVISNING),
}


@pytest.fixture(scope="module")
def site():
    state = Site()
    handler = type("SiteHandler", (Handler,), {"site": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield state
    server.shutdown()
    server.server_close()


def harvest_settings(**overrides) -> HarvestSettings:
    values = dict(user_agent=USER_AGENT, max_depth=2, retries=2, retry_delays=(0.01,), per_host_delay=0.0,
                  timeout_seconds=5)
    values.update(overrides)
    return HarvestSettings(**values)





def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def two_runs(site, tmp_path_factory):
    """Harvest the site twice into one corpus; keep both reports and the corpus listing after each."""
    corpus = tmp_path_factory.mktemp("corpus")
    config = SourcesConfig(settings=harvest_settings(), sources=(Source(url=site.url, name="Testköping"),))
    store = CorpusStore(corpus)
    first = harvest(config, store)
    after_first = sorted(p.name for p in corpus.iterdir())
    answers_before_second = len(site.answers)
    second = harvest(config, store)
    return dict(store=store, first=first, second=second, after_first=after_first,
                second_answers=site.answers[answers_before_second:], answers=list(site.answers),
                requests=list(site.requests))


def by_url(report, site, path):
    return [r for r in report.records if r.url == site.url.rstrip("/") + path]


def test_each_real_report_is_stored_once_under_its_hash(two_runs):
    stored = sorted(p.name for p in two_runs["store"].root.iterdir())
    expected = sorted([f"{sha(data)}.pdf" for data in (FAGERSTA, TESTKOPING, EXEMPELBY)] + ["provenance.jsonl"])
    assert two_runs["after_first"] == expected
    assert stored == expected, "the second run must not add, remove or leave anything partial"
    for data in (FAGERSTA, TESTKOPING, EXEMPELBY):
        assert two_runs["store"].path_for(sha(data)).read_bytes() == data


def test_first_run_outcomes_and_provenance(two_runs, site):
    first = two_runs["first"]
    assert first.outcomes() == Counter({STORED: 3, DUPLICATE: 1, REJECTED: 2, FAILED: 2, SKIPPED: 1})
    [fagersta] = by_url(first, site, "/files/kommunkompassen-fagersta-2009.pdf")
    assert (fagersta.outcome, fagersta.status, fagersta.etag) == (STORED, 200, FAGERSTA_ETAG)
    assert fagersta.sha256 == sha(FAGERSTA) and fagersta.size == len(FAGERSTA)
    assert fagersta.found_on == site.url and fagersta.link_text == "Kommunkompassen Fagersta 2009 (pdf)"
    assert datetime.fromisoformat(fagersta.fetched_at).tzinfo is not None
    [redirected] = by_url(first, site, "/old/rapport-2015.pdf")
    assert redirected.outcome == STORED and redirected.sha256 == sha(TESTKOPING)
    assert redirected.final_url == site.url + "files/kommunkompassen-testkoping-2015.pdf"
    assert redirected.last_modified == TESTKOPING_MODIFIED
    [direct] = by_url(first, site, "/files/kommunkompassen-testkoping-2015.pdf")
    assert direct.outcome == DUPLICATE and direct.sha256 == sha(TESTKOPING)
    [retried] = by_url(first, site, "/dokument?id=12")
    assert retried.outcome == STORED and retried.sha256 == sha(EXEMPELBY)
    assert retried.found_on == site.url + "arkiv/"


def test_wrong_files_are_rejected_with_a_reason(two_runs, site):
    first = two_runs["first"]
    [missing] = by_url(first, site, "/files/saknas.pdf")
    assert (missing.outcome, missing.status) == (FAILED, 404) and "404" in missing.reason
    [error_page] = by_url(first, site, "/files/kommunkompassen-fel.pdf")
    assert error_page.outcome == REJECTED and "text/html" in error_page.reason
    [annual] = by_url(first, site, "/files/arsredovisning-2014.pdf")
    assert annual.outcome == REJECTED and "do not name Kommunkompassen" in annual.reason
    assert annual.sha256 == sha(ARSREDOVISNING)
    [cut_off] = by_url(first, site, "/files/kommunkompassen-2016.pdf")
    assert cut_off.outcome == FAILED and cut_off.sha256 is None
    assert "cut off" in cut_off.reason or "complete body" in cut_off.reason
    [private] = by_url(first, site, "/privat/kommunkompassen-2017.pdf")
    assert private.outcome == SKIPPED and "robots.txt" in private.reason


def test_retries_only_where_the_network_may_recover(two_runs):
    answers = Counter(two_runs["answers"])
    assert answers["/files/saknas.pdf", 404] == 2, "a 404 is asked once per run, never retried"
    assert answers["/files/kommunkompassen-2016.pdf", 200] == 2 * 3, "a cut-off body: 1 try + 2 retries per run"
    assert answers["/dokument?id=12", 500] == 4 and answers["/dokument?id=12", 200] == 4


def test_crawl_stays_within_depth_robots_and_report_links(two_runs):
    asked = {path for path, _ in two_runs["requests"]}
    assert "/arkiv/sida3" not in asked and "/files/kommunkompassen-djupby.pdf" not in asked
    assert not any(path.startswith("/privat/") for path in asked)
    assert "/files/budget.pdf" not in asked, "a PDF link not naming Kommunkompassen is not a candidate"
    assert all(headers.get("User-Agent") == USER_AGENT for _, headers in two_runs["requests"])


def test_second_run_downloads_nothing_new(two_runs, site):
    second = two_runs["second"]
    outcomes = second.outcomes()
    assert STORED not in outcomes
    assert outcomes[NOT_MODIFIED] == 4, "fagersta (ETag), both Testköping links (Last-Modified), the annual report"
    assert outcomes[DUPLICATE] == 1, "the report served without validators is fetched again but not stored again"
    statuses = Counter(status for path, status in two_runs["second_answers"] if path.startswith("/files/"))
    assert statuses[304] == 4
    [fagersta] = by_url(second, site, "/files/kommunkompassen-fagersta-2009.pdf")
    assert fagersta.sha256 == sha(FAGERSTA) and fagersta.status == 304


def test_provenance_log_holds_every_attempt(two_runs):
    lines = two_runs["store"].provenance_path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(two_runs["first"].records) + len(two_runs["second"].records)
    assert all({"url", "fetched_at", "outcome"} <= set(record) for record in records)
    origins = two_runs["store"].origins()
    assert set(origins) == {sha(FAGERSTA), sha(TESTKOPING), sha(EXEMPELBY)}


def test_harvest_flow_twice_through_prefect(site, tmp_path, prefect_harness):
    """The Prefect flow (local mode) gives the same result as the library, run after run."""
    from flows.harvest import harvest_flow

    config = tmp_path / "sources.yml"
    config.write_text(f"""settings:
  user_agent: {USER_AGENT}
  retries: 2
  retry_delays: [0.01]
  per_host_delay: 0
  timeout_seconds: 5
sources:
  - url: {site.url}
""", encoding="utf-8")
    corpus = tmp_path / "corpus"
    first = harvest_flow(corpus=str(corpus), config_path=str(config))
    second = harvest_flow(corpus=str(corpus), config_path=str(config))
    assert first["outcomes"] == {STORED: 3, DUPLICATE: 1, REJECTED: 2, FAILED: 2, SKIPPED: 1}
    assert second["outcomes"] == {NOT_MODIFIED: 4, DUPLICATE: 1, REJECTED: 1, FAILED: 2, SKIPPED: 1}
    stored = sorted(p.name for p in corpus.iterdir())
    assert stored == sorted([f"{sha(d)}.pdf" for d in (FAGERSTA, TESTKOPING, EXEMPELBY)] + ["provenance.jsonl"])


def test_size_limit_rejects_before_storing(site, tmp_path):
    config = SourcesConfig(settings=harvest_settings(max_bytes=10_000), sources=(Source(url=site.url),))
    report = harvest(config, CorpusStore(tmp_path))
    [fagersta] = by_url(report, site, "/files/kommunkompassen-fagersta-2009.pdf")
    assert fagersta.outcome == REJECTED and "size limit" in fagersta.reason
    assert not CorpusStore(tmp_path).has(sha(FAGERSTA))
    assert all(p.stat().st_size <= 10_000 for p in tmp_path.glob("*.pdf")) and not (tmp_path / ".incoming").exists()


def test_per_host_delay_waits_between_requests():
    from corpus.http import PoliteClient

    now, slept = [100.0], []
    client = PoliteClient(harvest_settings(per_host_delay=2.0), sleep=slept.append, clock=lambda: now[0])
    client.wait_turn("http://a.se/1")
    now[0] += 0.5
    client.wait_turn("http://a.se/2")
    client.wait_turn("http://b.se/1")
    client.close()
    assert slept == [1.5], "only the second request to a.se waits, for what is left of 2 s"


def test_interrupted_downloads_are_cleared(tmp_path):
    store = CorpusStore(tmp_path)
    incoming = store.begin()
    incoming.write(b"%PDF-1.4 half")
    incoming.handle.close()
    assert store.clear_incoming() == 1
    assert list(tmp_path.iterdir()) == []


def test_sources_file_rejects_unknown_keys(tmp_path):
    from corpus.sources import SourcesConfigError, load_config

    assert len(load_config().sources) >= 1, "the shipped sources file is valid"
    bad = tmp_path / "sources.yml"
    bad.write_text("settings:\n  max_dept: 3\nsources: []\n", encoding="utf-8")
    with pytest.raises(SourcesConfigError, match="unknown key.*max_dept.*valid keys"):
        load_config(bad)


def test_bad_sources_file_is_a_one_line_error(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "sources.yml"
    bad.write_text("sources:\n  - url: ftp://example.se/\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kompass", "harvest", "--corpus", str(tmp_path / "c"),
                             "--config", str(bad)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert "not an http(s) address" in result.stderr
