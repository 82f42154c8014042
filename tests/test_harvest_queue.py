"""Report links on one listing page, a per-run cap on downloads, and a run killed with kill -9:
each run fetches at most its cap, the rest waits in the corpus's harvest queue, and the next run
continues where the last one stopped (or died) instead of starting again from the first link.

The default run uses 100 links (cap 20, killed after 15 downloads); the same test at full scale, 2,000
links (cap 400, killed after 300), is marked slow (`make test-slow`)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from corpus.harvest import harvest
from corpus.queue import QUEUE_FILE
from corpus.sources import HarvestSettings, Source, SourcesConfig
from corpus.store import DEFERRED, DUPLICATE, STORED, CorpusStore
from tests.hostile_site import Site, html, report_pdf, timed

ROOT = Path(__file__).resolve().parent.parent
PDF = report_pdf("Mångby kommun")
CHILD = """
import json, sys
from corpus.harvest import harvest
from corpus.sources import HarvestSettings, Source, SourcesConfig
from corpus.store import CorpusStore
settings = HarvestSettings(**json.loads(sys.argv[3]))
harvest(SourcesConfig(settings=settings, sources=(Source(url=sys.argv[1]),)), CorpusStore(sys.argv[2]))
"""


def link(n: int) -> str:
    return f"/rapporter/kommunkompassen-{n:04d}.pdf"


# (links on the page, per-run cap, downloads of the second run before it is killed, seconds allowed the first run)
SCALES = [pytest.param((100, 20, 15, 60), id="100-links"),
          pytest.param((2000, 400, 300, 120), id="2000-links", marks=pytest.mark.slow)]


@pytest.fixture(params=SCALES)
def scale(request) -> tuple[int, int, int, float]:
    return request.param


@pytest.fixture
def site(scale):
    links = scale[0]
    routes = {"/": html("".join(f'<a href="{link(n)}">Kommunkompassen {n}</a>' for n in range(links)))}
    routes.update({link(n): (lambda h: h.answer(200, "application/pdf", PDF)) for n in range(links)})
    site = Site(routes)
    yield site
    site.close()


def options(**overrides) -> dict:
    values = dict(user_agent="kommunkompassen-test/1.0", max_depth=1, retries=0, per_host_delay=0.0,
                  timeout_seconds=5)
    values.update(overrides)
    return values


def config(site: Site, **overrides) -> SourcesConfig:
    return SourcesConfig(settings=HarvestSettings(**options(**overrides)), sources=(Source(url=site.url + "/"),))


@pytest.mark.timeout(300)
def test_a_capped_run_defers_the_rest_and_the_next_runs_continue_even_after_kill_9(site, scale, tmp_path):
    links, cap, kill_after, first_run_s = scale
    store = CorpusStore(tmp_path)
    first, elapsed = timed(lambda: harvest(config(site, max_downloads=cap), store))
    print(f"first run: {len(first.records)} downloads in {elapsed:.1f} s")
    assert elapsed < first_run_s
    assert len(first.records) == cap and first.deferred == links - cap
    assert [r.url for r in first.records] == [site.url + link(n) for n in range(cap)]
    assert Counter(r.outcome for r in first.records) == {STORED: 1, DUPLICATE: cap - 1}
    queued = json.loads((tmp_path / QUEUE_FILE).read_text())
    assert len(queued["candidates"]) == links and queued["frontier"] == []
    deferred = [r for r in store.records() if r.outcome == DEFERRED]
    assert len(deferred) == links - cap and all("max_downloads" in r.reason for r in deferred)

    # A second run, uncapped, killed with SIGKILL in the middle of its downloads.
    before = len(site.requests)
    child = subprocess.Popen([sys.executable, "-c", CHILD, site.url + "/", str(tmp_path),
                              json.dumps(options(max_downloads=links))], cwd=ROOT)
    deadline = time.monotonic() + 120
    while sum(path.startswith("/rapporter/") for path in site.requests[before:]) < kill_after:
        assert child.poll() is None and time.monotonic() < deadline, "the second run made no progress"
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    killed_run = [path for path in site.requests[before:] if path.startswith("/rapporter/")]
    assert kill_after <= len(killed_run) < links - cap

    third, _ = timed(lambda: harvest(config(site, max_downloads=links), store))
    fetched = [path for path in site.requests if path.startswith("/rapporter/")]
    repeated = [path for path, n in Counter(fetched).items() if n > 1]
    assert len(repeated) <= 1, f"links fetched twice in one round: {repeated[:5]}"  # at most the one in flight
    assert set(fetched) == {link(n) for n in range(links)}, "every link fetched in the round"
    assert len(third.records) in (links - cap - len(killed_run), links - cap - len(killed_run) + 1)
    assert site.count("/") == 1, "the listing page is read once per round, not once per run"
    assert not (tmp_path / QUEUE_FILE).exists(), "a finished round leaves no queue"
    assert third.deferred == 0 and not (tmp_path / ".incoming").exists()
    attempted = {r.url for r in store.records() if r.outcome != DEFERRED}
    assert attempted == {site.url + link(n) for n in range(links)}, "every link has its record in provenance.jsonl"
