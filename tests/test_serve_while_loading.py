"""Serving while the schedule writes: `kompass serve` answers every query while `kompass load` writes
30 generated reports into the same file, and shows each new evaluation once its transaction commits.

Real processes on 127.0.0.1: the server, the loader, and a bounded query loop in two threads here.
Readers must never see a half-written database: within one answer, every loaded document has its
evaluation, and the document count a reader sees never goes down.
"""
from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.synthetic.generate import generate
from tests.outputs_support import REAL_REPORT, build_database
from tests.serving_support import KOMPASS, ROOT, kompass_serve

REPORTS = 30
LOAD_DEADLINE_S = 400  # the loader's bound; the whole test is bounded by the timeout mark below

# One consistent snapshot per answer: documents, evaluations naming their document, documents
# without their evaluation (inserted and linked in one transaction, so always 0 for a reader).
SNAPSHOT = ("select (select count(*) from documents where kind = 'report') as documents, "
            "(select count(*) from evaluations where document is not null) as own, "
            "(select count(*) from documents where kind = 'report' and evaluation is null) as unlinked, "
            "(select count(*) from question_scores) as questions")
PAGES = ("/kommunkompassen/evaluations.json?_shape=array&_size=20",
         "/kommunkompassen/municipality_history.json?kommun=Fagersta&_shape=array",
         "/kommunkompassen/area_ranks.json?_shape=array&_size=50",
         "/kommunkompassen/findings?_search=information",
         "/kommunkompassen/search_sentences.json?q=medborgardialog&_shape=array")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list[Path]:
    return generate(tmp_path_factory.mktemp("thirty"), REPORTS, seed=12)


class QueryLoop:
    """Threads querying the server until stopped; every answer that is not a clean 200 is an error."""

    def __init__(self, base: str, threads: int = 2) -> None:
        self.base = base
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.snapshots: list[tuple[float, dict]] = []
        self.by_thread: dict[int, list[int]] = {}  # document counts each thread saw, in its own order
        self.queries = 0
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def _run(self, index: int) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            turn = index
            while not self.stop.is_set():
                turn += 1
                url = (f"/kommunkompassen.json?_shape=array&sql={SNAPSHOT}" if turn % 2
                       else PAGES[turn // 2 % len(PAGES)])
                try:
                    response = client.get(url)
                    ok = response.status_code == 200 and "malformed" not in response.text
                    if ok and "sql=" in url:
                        snapshot = response.json()[0]
                        with self.lock:
                            self.snapshots.append((time.monotonic(), snapshot))
                            self.by_thread.setdefault(index, []).append(snapshot["documents"])
                    elif not ok:
                        with self.lock:
                            self.errors.append(f"{url}: {response.status_code} {response.text[:200]}")
                except (httpx.HTTPError, ValueError) as error:
                    with self.lock:
                        self.errors.append(f"{url}: {type(error).__name__}: {error}")
                with self.lock:
                    self.queries += 1

    def __enter__(self) -> "QueryLoop":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


@pytest.mark.timeout(600)
def test_serve_answers_every_query_and_shows_new_rows_while_30_reports_load(reports, tmp_path):
    db_path = build_database(tmp_path / "kommunkompassen.db")  # the bundled report, served from the start
    with kompass_serve(db_path) as (base, _), QueryLoop(base) as loop:
        time.sleep(1)
        before = loop.snapshots[-1][1]
        started = time.monotonic()
        loader = subprocess.run([*KOMPASS, "load", *map(str, reports), "--db", str(db_path)], cwd=ROOT,
                                capture_output=True, text=True, timeout=LOAD_DEADLINE_S)
        loaded_at = time.monotonic()
        time.sleep(1)
        after = httpx.get(f"{base}/kommunkompassen.json", params={"sql": SNAPSHOT, "_shape": "array"},
                          timeout=30).json()[0]
    assert loader.returncode == 0, loader.stderr[-2000:]
    assert f"{REPORTS} loaded" in loader.stdout
    print(f"loading {REPORTS} reports took {loaded_at - started:.0f} s; {loop.queries} queries, "
          f"{len(loop.errors)} errors; document counts seen: {sorted({s['documents'] for _, s in loop.snapshots})}")
    assert loop.errors == [], f"{len(loop.errors)} of {loop.queries} queries failed, e.g. {loop.errors[:3]}"
    assert loop.queries > 200
    assert before["documents"] == 1 and after["documents"] == 1 + REPORTS, "fresh data without a restart"
    for counts in loop.by_thread.values():  # one reader's queries, one after another
        assert counts == sorted(counts), "a reader saw the number of documents go down"
    counts = [snapshot["documents"] for _, snapshot in loop.snapshots]
    assert all(s["unlinked"] == 0 and s["own"] == s["documents"] for _, s in loop.snapshots), \
        "a reader saw a document without its evaluation (a half-written transaction)"
    assert len(set(counts)) >= REPORTS // 2, "each evaluation shows as soon as it commits, not at the end"
    assert max(t for t, s in loop.snapshots if s["documents"] < 1 + REPORTS) < loaded_at
