"""Hostile sites against the harvester, each on real HTTP servers on 127.0.0.1, each within a stated
time bound, and nothing partial kept: a trickling PDF (body and headers), a slow robots.txt, gzip
bombs (robots.txt, a page, a PDF), a redirect to another host whose robots.txt disallows the
address, a redirect loop, and a run's own deadline. Every skip and failure is in provenance.jsonl.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.harvest import harvest
from corpus.sources import HarvestSettings, Source, SourcesConfig
from corpus.store import CUT, DEFERRED, FAILED, PAGE, REJECTED, SKIPPED, STORED, CorpusStore
from tests.hostile_site import (Site, encoded, gzip_bomb, html, html_then_trickle, pdf_bomb, redirect, report_pdf, robots,
                                slow_pdf, stalled, timed, trickling_headers, trickling_pdf)

ROOT = Path(__file__).resolve().parent.parent
USER_AGENT = "kommunkompassen-test/1.0"
GOOD = report_pdf("Godby kommun")
BOMB_EXPANDED = 1024 ** 3  # 1 GiB of decoded body from about 1 MB on the wire


def settings(**overrides) -> HarvestSettings:
    values = dict(user_agent=USER_AGENT, max_depth=1, retries=2, retry_delays=(0.05,), per_host_delay=0.0,
                  timeout_seconds=5, page_deadline_seconds=3, download_deadline_seconds=4, max_bytes=10_000_000)
    values.update(overrides)
    return HarvestSettings(**values)


def run(site: Site, corpus: Path, **overrides):
    config = SourcesConfig(settings=settings(**overrides), sources=(Source(url=site.url + "/"),))
    return timed(lambda: harvest(config, CorpusStore(corpus)))


def provenance(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in (corpus / "provenance.jsonl").read_text(encoding="utf-8").splitlines()]


def assert_nothing_partial(corpus: Path, stored: set[str] = frozenset()) -> None:
    names = {p.name for p in corpus.iterdir()}
    assert not (corpus / ".incoming").exists()
    assert {n for n in names if n.endswith(".pdf")} == set(stored)


@pytest.fixture
def sites():
    made: list[Site] = []

    def make(routes: dict) -> Site:
        made.append(Site(routes))
        return made[-1]

    yield make
    for site in made:
        site.close()


@pytest.mark.timeout(60)
def test_a_trickling_pdf_is_cut_at_its_deadline_and_not_retried(sites, tmp_path):
    site = sites({
        "/": html('<a href="/kommunkompassen-droppe.pdf">Kommunkompassen</a>'
                  '<a href="/kommunkompassen-huvud.pdf">Kommunkompassen (långsamma rubriker)</a>'
                  '<a href="/kommunkompassen-bra.pdf">Kommunkompassen 2016</a>'),
        "/kommunkompassen-droppe.pdf": trickling_pdf(every_s=0.5),
        "/kommunkompassen-huvud.pdf": trickling_headers(every_s=0.5),
        "/kommunkompassen-bra.pdf": lambda h: h.answer(200, "application/pdf", GOOD),
    })
    report, elapsed = run(site, tmp_path)
    assert elapsed < 2 * 4 + 5, f"two trickling links took {elapsed:.1f} s (deadline 4 s each)"
    by_url = {r.url.rsplit("/", 1)[1]: r for r in report.records}
    for name in ("kommunkompassen-droppe.pdf", "kommunkompassen-huvud.pdf"):
        assert by_url[name].outcome == FAILED and "deadline" in by_url[name].reason
        assert site.count("/" + name) == 1, "an overrun is not retried"
    assert by_url["kommunkompassen-bra.pdf"].outcome == STORED
    assert_nothing_partial(tmp_path, {f"{by_url['kommunkompassen-bra.pdf'].sha256}.pdf"})


@pytest.mark.timeout(60)
def test_a_slow_robots_txt_closes_its_host_without_stalling_the_run(sites, tmp_path):
    slow = sites({"/robots.txt": stalled(120, html("User-agent: *\nAllow: /\n")),
                  "/kommunkompassen.pdf": lambda h: h.answer(200, "application/pdf", GOOD)})
    site = sites({"/": html(f'<a href="/flytt.pdf">Kommunkompassen</a>'),
                  "/flytt.pdf": redirect(slow.url + "/kommunkompassen.pdf")})
    report, elapsed = run(site, tmp_path)
    assert elapsed < 3 + 5, f"the run took {elapsed:.1f} s behind a robots.txt that never answers (deadline 3 s)"
    [record] = report.records
    assert record.outcome == SKIPPED and "robots.txt of " + slow.url in record.reason and "unreachable" in record.reason
    assert slow.count("/kommunkompassen.pdf") == 0
    assert_nothing_partial(tmp_path)


@pytest.mark.timeout(60)
def test_a_slow_listing_page_is_recorded_and_the_run_ends(sites, tmp_path):
    site = sites({"/": stalled(120, html("<p>för sent</p>"))})
    report, elapsed = run(site, tmp_path)
    assert elapsed < 3 + 5
    [page] = report.page_records
    assert page.outcome == FAILED and page.kind == PAGE and "deadline" in page.reason
    assert [r["outcome"] for r in provenance(tmp_path)] == [FAILED]


@pytest.mark.timeout(60)
def test_a_redirect_to_a_host_whose_robots_txt_disallows_it_is_skipped(sites, tmp_path):
    other = sites({"/robots.txt": lambda h: h.answer(200, "text/plain", b"User-agent: *\nDisallow: /rapporter/\n"),
                   "/rapporter/kommunkompassen.pdf": lambda h: h.answer(200, "application/pdf", GOOD)})
    site = sites({"/": html('<a href="/kommunkompassen-2016.pdf">Kommunkompassen</a>'),
                  "/kommunkompassen-2016.pdf": redirect(other.url + "/rapporter/kommunkompassen.pdf", 301)})
    report, elapsed = run(site, tmp_path)
    assert elapsed < 10
    [record] = report.records
    assert record.outcome == SKIPPED
    assert f"disallowed by robots.txt of {other.url}" in record.reason and "reached by redirect" in record.reason
    assert other.requests == ["/robots.txt"], "the disallowed address itself is never requested"
    assert provenance(tmp_path)[-1]["outcome"] == SKIPPED
    assert_nothing_partial(tmp_path)


@pytest.mark.timeout(60)
def test_a_redirect_loop_is_a_permanent_failure(sites, tmp_path):
    site = sites({"/": html('<a href="/a/kommunkompassen.pdf">Kommunkompassen</a>'),
                  "/a/kommunkompassen.pdf": redirect("/b/kommunkompassen.pdf"),
                  "/b/kommunkompassen.pdf": redirect("/a/kommunkompassen.pdf")})
    report, elapsed = run(site, tmp_path)
    assert elapsed < 10
    [record] = report.records
    assert record.outcome == FAILED and record.reason.startswith("redirect loop: ")
    assert (site.count("/a/kommunkompassen.pdf"), site.count("/b/kommunkompassen.pdf")) == (1, 1), "never retried"
    assert_nothing_partial(tmp_path)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(b"User-agent: *\nDisallow: /privat/\n", BOMB_EXPANDED)


# The child's own peak (VmHWM of its address space): ru_maxrss would also count the parent's memory,
# which Linux carries over into a child across fork/vfork and exec.
HARVEST_CHILD = """
import json, sys
from corpus.harvest import harvest
from corpus.sources import HarvestSettings, Source, SourcesConfig
from corpus.store import CorpusStore
settings = HarvestSettings(**json.loads(sys.argv[3]))
report = harvest(SourcesConfig(settings=settings, sources=(Source(url=sys.argv[1]),)), CorpusStore(sys.argv[2]))
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"max_rss_mb": peak / 1024,
                  "records": [[r.url, r.outcome, r.reason] for r in report.records],
                  "pages": [[r.url, r.outcome, r.reason] for r in report.page_records]}))
"""


@pytest.mark.timeout(120)
def test_gzip_bombs_are_cut_while_decompressing_and_memory_stays_under_500_mb(sites, bomb, tmp_path):
    site = sites({
        "/robots.txt": encoded(bomb, "text/plain"),
        "/": html('<a href="/privat/kommunkompassen.pdf">Kommunkompassen</a>'
                  '<a href="/kommunkompassen-bomb.pdf">Kommunkompassen</a><a href="/arkiv">Arkiv</a>'),
        "/privat/kommunkompassen.pdf": lambda h: h.answer(200, "application/pdf", GOOD),
        "/kommunkompassen-bomb.pdf": encoded(bomb, "application/pdf"),
        "/arkiv": encoded(bomb, "text/html"),
    })
    options = dict(user_agent=USER_AGENT, max_depth=1, retries=0, per_host_delay=0, page_deadline_seconds=20,
                   download_deadline_seconds=20, max_bytes=10_000_000)
    child, elapsed = timed(lambda: subprocess.run(
        [sys.executable, "-c", HARVEST_CHILD, site.url + "/", str(tmp_path), json.dumps(options)],
        cwd=ROOT, capture_output=True, text=True, timeout=100))
    assert child.returncode == 0, child.stderr[-2000:]
    result = json.loads(child.stdout)
    print(f"harvest of three gzip bombs: {result['max_rss_mb']:.0f} MB peak, {elapsed:.1f} s")
    assert result["max_rss_mb"] < 500, f"the harvest reached {result['max_rss_mb']:.0f} MB"
    records = {url.rsplit("/", 1)[1]: (outcome, reason) for url, outcome, reason in result["records"]}
    assert records["kommunkompassen.pdf"][0] == SKIPPED, "the rules at the head of the bomb are obeyed"
    assert records["kommunkompassen-bomb.pdf"][0] == REJECTED and "size limit" in records["kommunkompassen-bomb.pdf"][1]
    [(page, outcome, reason)] = result["pages"]
    assert page.endswith("/arkiv") and outcome == FAILED and "larger than" in reason
    assert_nothing_partial(tmp_path)


@pytest.mark.timeout(60)
def test_the_run_deadline_leaves_the_rest_queued_for_the_next_run(sites, tmp_path):
    links = "".join(f'<a href="/kommunkompassen-{n}.pdf">Kommunkompassen {n}</a>' for n in range(8))
    routes = {"/": html(links)}
    routes.update({f"/kommunkompassen-{n}.pdf": slow_pdf(report_pdf(f"Kommun {n}"), 1.0) for n in range(8)})
    site = sites(routes)
    report, elapsed = run(site, tmp_path, run_deadline_seconds=3.5)
    assert elapsed < 3.5 + 4 + 2, "the download under way when the deadline passes is cut at it"
    fetched = [r for r in report.records if r.outcome == STORED]
    assert 2 <= len(fetched) <= 4 and report.deferred == 8 - len(report.records)
    deferred = [r for r in provenance(tmp_path) if r["outcome"] == DEFERRED]
    assert len(deferred) == report.deferred and all("deadline" in r["reason"] for r in deferred)
    again, _ = run(site, tmp_path)
    assert sorted(r.url for r in again.records + report.records) == sorted(
        f"{site.url}/kommunkompassen-{n}.pdf" for n in range(8)), "the next run fetches exactly the rest"
    assert site.count("/") == 1, "the listing page is not read again while its round is unfinished"


@pytest.mark.timeout(60)
def test_a_listing_page_cut_at_its_deadline_is_recorded_as_cut_with_what_was_read(sites, tmp_path):
    head = "<html><body>" + "".join(f'<a href="/kommunkompassen-{n}.pdf">Kommunkompassen {n}</a>' for n in range(2))
    tail = '<a href="/kommunkompassen-2.pdf">Kommunkompassen 2</a>' * 50 + "</body></html>"
    routes = {"/": html_then_trickle(head, tail, every_s=0.5)}
    routes.update({f"/kommunkompassen-{n}.pdf": (lambda n: lambda h: h.answer(
        200, "application/pdf", report_pdf(f"Kommun {n}")))(n) for n in range(3)})
    site = sites(routes)
    report, elapsed = run(site, tmp_path)
    assert elapsed < 3 + 5
    assert report.pages == [], "a page cut at its deadline is not counted as read"
    [page] = report.page_records
    assert page.outcome == CUT and page.kind == PAGE and "deadline" in page.reason
    received = int(re.search(r"after ([\d,]+) bytes", page.reason)[1].replace(",", ""))
    assert len(head.encode()) <= received < len(head.encode()) + 12 and received == page.size, page.reason
    assert "2 report links" in page.reason, page.reason
    assert sorted(r.url.rsplit("/", 1)[1] for r in report.records) == [
        "kommunkompassen-0.pdf", "kommunkompassen-1.pdf"], "the links read before the cut are followed"
    assert report.summary().startswith("0 pages read (1 page cut at its deadline)")
    assert [r["outcome"] for r in provenance(tmp_path) if r.get("kind") == PAGE] == [CUT]
    assert report.pages_cut == [page] and report.page_errors == [], "cut, not 'not read'"


@pytest.mark.timeout(60)
def test_a_long_crawl_delay_is_capped_with_a_warning_and_never_passes_the_run_deadline(sites, tmp_path, caplog):
    site = sites({"/robots.txt": robots("User-agent: *\nCrawl-delay: 3600\n"),
                  "/": html('<a href="/sida">Sida</a>'), "/sida": html("<p>Ingen rapport</p>")})
    with caplog.at_level("WARNING"):
        report, elapsed = run(site, tmp_path, max_crawl_delay=1.0, run_deadline_seconds=30)
    assert elapsed < 1 * 3 + 3, f"a capped Crawl-delay of 1 s took {elapsed:.1f} s for three requests"
    assert [p.rsplit("/", 1)[1] for p in report.pages] == ["", "sida"]
    assert any("Crawl-delay of 3,600 s; capped at 1 s" in r.getMessage() for r in caplog.records)

    report, elapsed = run(site, tmp_path / "kort", max_crawl_delay=60.0, run_deadline_seconds=3)
    assert elapsed < 3 + 2, f"the run slept {elapsed:.1f} s past its 3 s deadline for a Crawl-delay"
    [page] = report.page_records
    assert page.outcome == FAILED and "Crawl-delay" in page.reason and "3 s deadline" in page.reason


@pytest.mark.timeout(60)
def test_an_absurd_crawl_delay_neither_crashes_nor_stops_the_other_sources(sites, tmp_path):
    absurd = sites({"/robots.txt": robots("User-agent: *\nCrawl-delay: 99999999999\n"),
                    "/": html('<a href="/kommunkompassen.pdf">Kommunkompassen</a>')})
    good = sites({"/": html('<a href="/kommunkompassen-bra.pdf">Kommunkompassen</a>'),
                  "/kommunkompassen-bra.pdf": lambda h: h.answer(200, "application/pdf", GOOD)})
    config = SourcesConfig(settings=settings(run_deadline_seconds=5),
                           sources=(Source(url=absurd.url + "/"), Source(url=good.url + "/")))
    report, elapsed = timed(lambda: harvest(config, CorpusStore(tmp_path)))
    assert elapsed < 5 + 3
    assert [r.outcome for r in report.records] == [STORED], "the source after the absurd host is still crawled"
    [page] = report.page_records
    assert page.url == absurd.url + "/" and "Crawl-delay" in page.reason


@pytest.mark.timeout(120)
def test_prefect_server_that_does_not_start_is_retried_then_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="0")
    child = subprocess.run([str(ROOT / ".venv" / "bin" / "kompass"), "harvest", "--source", "http://127.0.0.1:9/",
                            "--corpus", str(tmp_path / "corpus")], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=100)
    assert child.returncode == 1 and "Traceback" not in child.stderr, child.stderr[-3000:]
    errors = [line for line in child.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "temporary server did not start after 3 attempts" in errors[0], child.stderr
    assert sum("; retry " in line for line in child.stderr.splitlines()) == 2, "retried twice before giving up"


# The harvest under a 3 GB address-space cap of its own (the soft limit: a guarded worker sets its own
# lower one): before the check ran in a worker, pdfium aborted the whole run on the bomb.
HARVEST_CAPPED = "import resource; resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, resource.RLIM_INFINITY))\n" \
    + HARVEST_CHILD


@pytest.mark.timeout(180)
def test_a_pdf_bomb_is_checked_in_a_guarded_worker_and_the_harvest_stays_under_600_mb(sites, tmp_path):
    site = sites({"/": html('<a href="/kommunkompassen-bomb.pdf">Kommunkompassen</a>'
                            '<a href="/kommunkompassen-bra.pdf">Kommunkompassen 2016</a>'),
                  "/kommunkompassen-bomb.pdf": lambda h: h.answer(200, "application/pdf", pdf_bomb()),
                  "/kommunkompassen-bra.pdf": lambda h: h.answer(200, "application/pdf", GOOD)})
    assert len(pdf_bomb()) < 5000
    options = dict(user_agent=USER_AGENT, max_depth=1, retries=0, per_host_delay=0, page_deadline_seconds=20,
                   download_deadline_seconds=60, max_bytes=10_000_000)
    child, elapsed = timed(lambda: subprocess.run(
        [sys.executable, "-c", HARVEST_CAPPED, site.url + "/", str(tmp_path), json.dumps(options)],
        cwd=ROOT, capture_output=True, text=True, timeout=150))
    assert child.returncode == 0, f"exit {child.returncode}: {child.stderr[-2000:]}"
    result = json.loads(child.stdout)
    print(f"harvest of a PDF bomb: {result['max_rss_mb']:.0f} MB peak, {elapsed:.1f} s")
    assert result["max_rss_mb"] <= 600, f"the harvest reached {result['max_rss_mb']:.0f} MB"
    records = {url.rsplit("/", 1)[1]: (outcome, reason) for url, outcome, reason in result["records"]}
    outcome, reason = records["kommunkompassen-bomb.pdf"]
    assert outcome == REJECTED and ("memory" in reason or "crashed" in reason), reason
    assert records["kommunkompassen-bra.pdf"][0] == STORED
    assert_nothing_partial(tmp_path, {f"{hashlib.sha256(GOOD).hexdigest()}.pdf"})
