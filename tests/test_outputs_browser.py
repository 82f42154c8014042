"""The served dashboard in a real headless browser (Debian's chromium): the charts drew their marks.

Vega-Lite renders SVG (see outputs/dashboards.yml), and every mark carries an aria-label with its data,
so the test reads the numbers the browser drew and compares them with the database. A screenshot is
saved under test-artifacts/. Without chromium the test skips, except in CI (CI set), where it fails.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.outputs_support import ROOT, outputs_db, query  # noqa: F401  (fixture)

ARTIFACTS = ROOT / "test-artifacts"
FILTERS = {"framework": "2002-2009", "kommun": "Fagersta", "q": "medborgardialog"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("chromium is not installed (apt-get install -y chromium); CI runs this test")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(outputs_db):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "kompass", "serve", "--db", str(outputs_db), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/-/versions.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read().decode()
                time.sleep(0.2)
        else:
            pytest.fail("kompass serve did not answer within 30 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_chromium(tmp_path: Path, url: str, *extra: str) -> str:
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / 'chromium-profile'}", "--virtual-time-budget=20000",
               "--window-size=1400,2000", *extra, url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def chart_sections(dom: str) -> dict[str, str]:
    """The DOM of each dashboard chart, by its slug (from its `chart-<slug>` element to the next)."""
    marks = list(re.finditer(r'id="chart-([a-z_]+)"', dom))
    ends = [m.start() for m in marks[1:]] + [len(dom)]
    return {m.group(1): dom[m.end():end] for m, end in zip(marks, ends)}


def drawn(section: str, role: str) -> list[dict[str, str]]:
    """The data of every mark of a role (point, bar, line) as vega's aria-label states it."""
    marks = []
    for element in re.findall(r"<path\b[^>]*>", section):
        attributes = dict(re.findall(r'([a-z-]+)="([^"]*)"', element))
        if attributes.get("aria-roledescription") == role and "aria-label" in attributes:
            label = html.unescape(attributes["aria-label"])
            marks.append(dict(part.split(": ", 1) for part in label.split("; ")))
    return marks


def test_dashboard_charts_draw_their_marks(server, outputs_db, tmp_path):
    url = f"{server}/-/dashboards/kommunkompassen?{urlencode(FILTERS)}"
    sections = chart_sections(run_chromium(tmp_path, url, "--dump-dom"))
    assert {"kommun_status", "distribution", "history", "evaluations", "good_examples", "search"} <= set(sections)

    points = drawn(sections["distribution"], "point")
    ranks = query(outputs_db, "SELECT score FROM area_ranks WHERE framework = '2002-2009'")
    assert sorted(float(p["Poäng (max 100)"]) for p in points) == sorted(r["score"] for r in ranks)
    marked = [p for p in points if p["markering"] == "vald kommun"]
    fagersta = query(outputs_db, "SELECT score FROM chosen_area_scores WHERE evaluation = '1982-2009'")
    assert sorted(float(p["Poäng (max 100)"]) for p in marked) == sorted(r["score"] for r in fagersta)

    history = drawn(sections["history"], "point")
    assert sorted(float(p["Poäng (max 100)"]) for p in history) == sorted(r["score"] for r in fagersta)

    good = query(outputs_db, "SELECT kind_label, COUNT(*) AS n FROM good_examples_by_area WHERE framework = '2002-2009' "
                             "AND area IS NOT NULL GROUP BY area, kind_label")
    bars = drawn(sections["good_examples"], "bar")
    assert sorted((b["Slag"], int(b["Antal goda exempel"])) for b in bars) == sorted((g["kind_label"], g["n"])
                                                                                    for g in good)
    assert "<svg" in sections["good_examples"]  # the axes draw even when no example is loaded yet

    assert sections["evaluations"].count("/-/kompass/chart/") == query(
        outputs_db, "SELECT COUNT(*) AS n FROM evaluation_areas WHERE areas_known > 0")[0]["n"]
    assert "medborgardialogen" in sections["search"]


def test_dashboard_screenshot(server, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"
    shot.unlink(missing_ok=True)
    run_chromium(tmp_path, f"{server}/-/dashboards/kommunkompassen?{urlencode(FILTERS)}", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_findings_search_box_and_a_pdf_link_in_the_browser(server, outputs_db, tmp_path):
    """Datasette's own search box on `findings` finds inflected forms; a page number opens the report PDF."""
    dom = run_chromium(tmp_path, f"{server}/kommunkompassen/findings?_search=medborgardialog", "--dump-dom")
    want = query(outputs_db, "SELECT text, page, document FROM findings WHERE text LIKE '%medborgardialog%'")
    assert want and all(html.escape(row["text"], quote=False) in dom for row in want)
    assert "medborgardialogen" in dom  # the inflected form, found through the lemmas
    links = re.findall(r'href="(/-/kompass/pdf/([0-9a-f]{64})\.pdf#page=(\d+))"', dom)
    assert {(sha, int(page)) for _, sha, page in links} >= {(r["document"], r["page"]) for r in want}
    link = links[0][0]
    response = httpx.get(server + link.split("#")[0], timeout=30)
    assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")
    viewer = run_chromium(tmp_path, server + link, "--dump-dom")
    assert "rgb(40,40,40)" in viewer.replace(" ", "")  # Chromium opened it in its PDF viewer
    missing = run_chromium(tmp_path, f"{server}/-/kompass/pdf/{'0' * 64}.pdf#page=1", "--dump-dom")
    assert "rgb(40,40,40)" not in missing.replace(" ", "") and "Inget sådant dokument" in missing


def test_dashboard_names_a_misspelt_municipality(server, tmp_path):
    url = f"{server}/-/dashboards/kommunkompassen?{urlencode({**FILTERS, 'kommun': 'Fagerstra'})}"
    sections = chart_sections(run_chromium(tmp_path, url, "--dump-dom"))
    assert "Ingen kommun" in sections["kommun_status"] and "menade du Fagersta?" in sections["kommun_status"]
    assert drawn(sections["history"], "point") == []
