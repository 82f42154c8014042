"""Stored XSS: markup in text from a PDF, through `kompass load` → `kompass serve` → the dashboard
and Datasette's pages in headless Chromium.

The markup `X"><img src=y onerror=title=7>` comes as a strength in a generated report (loaded by
`kompass load`, as a harvest would), and as the name of a municipality in a report's comparison
table. Today's extractor keeps only known municipalities there, so that evaluation is loaded with
`load_analysis` from the report's own analysis plus the hostile comparison, as a source that
accepts unknown names would give it: the name then is part of the evaluation's id, the attack
surface of issue 12. If any page inserted it as markup, the browser would create an <img> whose
failing load runs `title=7`, leaving title="7" on it in the DOM. The test asserts that no such
element exists, that the text shows as text, and that the pages carry a Content-Security-Policy; a
control page with the same markup unescaped proves the check sees a script that runs.
"""
from __future__ import annotations

import dataclasses
import http.server
import re
import subprocess
import threading
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest

from tests.synthetic.render import render
from tests.synthetic.spec import seed_spec
from tests.synthetic.synth import synthetic_spec
from db.load import load_analysis
from db.schema import open_database
from extractors.pipeline import analyse
from extractors.records import Comparison
from tests.outputs_support import REAL_REPORT, query
from tests.serving_support import KOMPASS, ROOT, kompass_serve
from tests.test_outputs_browser import run_chromium

PAYLOAD = 'X"><img src=y onerror=title=7>'
YEAR = 2014
INJECTED = re.compile(r"<img\b[^>]*\bsrc=\"y\"")  # the payload's element, created from the text
RAN = re.compile(r"<img\b[^>]*\btitle=\"7\"")      # ... and its handler ran
SHOWN_AS_TEXT = 'X"&gt;&lt;img src=y onerror=title=7&gt;'


def hostile_report(folder: Path) -> Path:
    """A generated report with the markup in a strength and, as a municipality, in its comparison table."""
    base = seed_spec()
    spec = next(s for s in (synthetic_spec(i, 5, base) for i in range(40))
                if s.has_comparison_table and len(s.comparisons) >= 2)
    spec.areas[0].strengths[0] = f"Kommunen har {PAYLOAD} som styrka."
    spec.comparisons[0].kommun, spec.comparisons[0].kommunkod, spec.comparisons[0].year = PAYLOAD, None, YEAR
    spec.name = "hostile"
    return render(spec, folder / "hostile.pdf", "ruled_side_by_side")


def load_hostile_comparison(db_path: Path, pdf: Path) -> None:
    """The report's analysis with the hostile municipality in its comparison table, as another report
    (the next year's: the same report again would be recognised and hold no rows of its own)."""
    analysis = analyse(pdf)
    extract = analysis.extract
    hostile = [Comparison(PAYLOAD, None, YEAR, area, 50.0 + area, 4) for area in range(1, 9)]
    extract = dataclasses.replace(extract, comparisons=[*extract.comparisons, *hostile], year=extract.year + 1,
                                  source=dataclasses.replace(extract.source, sha256="f" * 64, filename="hostile-2.pdf"))
    db = open_database(db_path)
    try:
        load_analysis(db, dataclasses.replace(analysis, extract=extract))
    finally:
        db.close()


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("xss")
    db_path = folder / "kommunkompassen.db"
    pdf = hostile_report(folder)
    result = subprocess.run([*KOMPASS, "load", str(REAL_REPORT), str(pdf), "--db", str(db_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert query(db_path, "SELECT count(*) AS n FROM findings WHERE text LIKE ?", [f"%{PAYLOAD}%"]) == [{"n": 1}]
    load_hostile_comparison(db_path, pdf)
    [evaluation] = [r["id"] for r in query(db_path, "SELECT id FROM evaluations WHERE kommun = ?", [PAYLOAD])]
    assert evaluation == f"{PAYLOAD}-{YEAR}", "the name is part of the id: the attack surface"
    return db_path


@pytest.fixture(scope="module")
def server(hostile_db):
    with kompass_serve(hostile_db) as (base, _):
        yield base


def _framework(db_path: Path) -> str:
    return query(db_path, "SELECT framework FROM evaluations WHERE kommun = ?", [PAYLOAD])[0]["framework"]


def _pages(base: str, db_path: Path) -> dict[str, str]:
    evaluation = quote(f"{PAYLOAD}-{YEAR}", safe="")
    filters = {"framework": _framework(db_path), "kommun": PAYLOAD, "q": "img"}
    return {
        "dashboard": f"{base}/-/dashboards/kommunkompassen?{urlencode(filters)}",
        "evaluations table": f"{base}/kommunkompassen/evaluations?_sort=kommun",
        "evaluation row": f"{base}/kommunkompassen/evaluations/{evaluation}",
        "area ranks view": f"{base}/kommunkompassen/area_ranks?{urlencode({'kommun': PAYLOAD})}",
        "sql": f"{base}/kommunkompassen?{urlencode({'sql': 'select id, kommun from evaluations'})}",
        "findings search": f"{base}/kommunkompassen/findings?_search=img",
    }


@pytest.mark.timeout(600)
def test_a_name_carrying_markup_never_runs_in_the_browser(server, hostile_db, tmp_path):
    for name, url in _pages(server, hostile_db).items():
        dom = run_chromium(tmp_path, url, "--dump-dom")
        assert not RAN.search(dom), f"{name}: the script in the name ran"
        assert not INJECTED.search(dom), f"{name}: the name became markup"
        assert SHOWN_AS_TEXT in dom, f"{name}: the name is not shown as text"
    dashboard = run_chromium(tmp_path, _pages(server, hostile_db)["dashboard"], "--dump-dom")
    assert "/-/kompass/chart/" in dashboard and "<svg" in dashboard, "the dashboard still draws and links"


def test_every_served_page_carries_a_content_security_policy(server, hostile_db):
    for name, url in _pages(server, hostile_db).items():
        response = httpx.get(url, timeout=30, follow_redirects=True)
        policy = response.headers.get("content-security-policy", "")
        assert response.status_code == 200, name
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0], (name, policy)
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy, name


def test_the_chart_of_the_hostile_evaluation_is_drawn_with_the_name_as_text(server):
    response = httpx.get(f"{server}/-/kompass/chart/{quote(f'{PAYLOAD}-{YEAR}', safe='')}.svg", timeout=60)
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert "<img" not in response.text and SHOWN_AS_TEXT in response.text  # matplotlib writes it escaped
    assert response.headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.timeout(300)
def test_control_the_check_sees_a_script_that_runs(tmp_path):
    """The same markup unescaped on a plain page: the handler runs and the test above would see it."""
    (tmp_path / "page.html").write_text(f"<html><body><p>{PAYLOAD}</p></body></html>", encoding="utf-8")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        dom = run_chromium(tmp_path, f"http://127.0.0.1:{httpd.server_address[1]}/page.html", "--dump-dom")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert INJECTED.search(dom) and RAN.search(dom)
