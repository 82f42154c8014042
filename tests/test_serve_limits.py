"""`kompass serve` under hostile queries: bounded memory per query, charts that cannot starve the
SQL threads, and a 404 (not a 500) for any path nothing answers. A real server on 127.0.0.1."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.synthetic.generate import generate
from tests.outputs_support import REAL_REPORT
from tests.serving_support import KOMPASS, ROOT, kompass_serve, rss_mb

FRAMEWORKS = ("2002-2009", "2010-2019", "2020-")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    import subprocess

    folder = tmp_path_factory.mktemp("limits")
    reports = generate(folder / "reports", 6, seed=3)
    db_path = folder / "kommunkompassen.db"
    subprocess.run([*KOMPASS, "load", str(REAL_REPORT), *map(str, reports), "--db", str(db_path)], cwd=ROOT,
                   check=True, capture_output=True, timeout=400)
    with kompass_serve(db_path) as (base, process):
        yield base, process


def _sql(base: str, sql: str, timeout: float = 30) -> httpx.Response:
    return httpx.get(f"{base}/kommunkompassen.json", params={"sql": sql, "_shape": "array"}, timeout=timeout)


@pytest.mark.timeout(120)
def test_huge_values_are_refused_and_memory_stays_bounded(served):
    base, process = served
    before = rss_mb(process.pid)
    blob = _sql(base, "select zeroblob(400000000)")
    assert blob.status_code == 400 and "too big" in blob.json()["error"]
    many = _sql(base, "with recursive r(i) as (select 1 union all select i + 1 from r where i < 2000) "
                      "select zeroblob(999000) a, zeroblob(999000) b, zeroblob(999000) c from r")
    assert many.status_code == 400 and "larger than 50 MB" in many.json()["error"]
    endless = _sql(base, "with recursive r(i) as (select 1 union all select i + 1 from r) select count(*) from r")
    assert endless.status_code == 400 and "too long" in endless.json()["error"]
    assert _sql(base, "select count(*) as n from documents").json() == [{"n": 7}], "the server still answers"
    assert rss_mb(process.pid) - before < 150, "memory of the refused queries stays bounded"


@pytest.mark.timeout(300)
def test_sixteen_clients_drawing_charts_leave_queries_answering(served):
    base, _ = served
    charts = [f"/-/kompass/area/{framework}/{area}.{kind}" for framework in FRAMEWORKS for area in range(1, 9)
              for kind in ("png", "svg")]
    latencies: list[float] = []
    stop = threading.Event()

    def probe() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                started = time.monotonic()
                assert client.get(f"{base}/kommunkompassen.json", params={"sql": "select 1"}).status_code == 200
                latencies.append(time.monotonic() - started)
                time.sleep(0.05)

    def client(index: int) -> list[httpx.Response]:
        with httpx.Client(timeout=120) as http:
            return [http.get(base + path) for path in charts[index::16]]

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    with ThreadPoolExecutor(16) as pool:
        answers = [r for batch in pool.map(client, range(16)) for r in batch]
    stop.set()
    prober.join(60)
    statuses = {r.status_code for r in answers}
    assert statuses <= {200, 404, 503}, statuses  # 404: a generation without evaluations in that area
    assert sum(r.status_code == 200 for r in answers) >= 8
    assert all(r.headers.get("retry-after") for r in answers if r.status_code == 503)
    print(f"select 1 while 16 clients draw: {len(latencies)} probes, max {max(latencies) * 1000:.0f} ms")
    assert latencies and max(latencies) < 3.0, f"select 1 waited {max(latencies):.1f} s behind chart drawing"


def test_a_chart_asked_again_comes_from_the_cache(served):
    base, _ = served
    path = f"{base}/-/kompass/chart/1982-2009.png"
    first, second = httpx.get(path, timeout=60), httpx.get(path, timeout=60)
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert first.content[:8] == b"\x89PNG\r\n\x1a\n" and second.headers["x-kompass-chart"] == "cached"


@pytest.mark.parametrize("path", ["/-/kompass/", "/-/kompass/nothing", "/-/kompass/chart/1982-2009.gif",
                                  "/-/kompass/area/2002-2009/9.svg", "/-/kompass/chart/no-such-evaluation.svg",
                                  "/-/kompass/area/1999-2001/1.png", "/no/such/page", "/kommunkompassen/nosuchtable"])
def test_paths_nothing_answers_are_404(served, path):
    base, _ = served
    response = httpx.get(base + path, timeout=30, follow_redirects=True)  # "/x/" → "/x" first
    assert response.status_code == 404, response.text[:300]
    assert "Traceback" not in response.text


def test_the_served_file_is_read_only(served):
    base, _ = served
    response = _sql(base, "insert into warnings (document, seq, message) values ('x', 1, 'y')")
    assert response.status_code in (400, 403)
    assert _sql(base, "select count(*) as n from warnings where document = 'x'").json() == [{"n": 0}]


def test_a_database_missing_its_file_is_one_line(tmp_path: Path):
    import subprocess

    (tmp_path / "notes.db").write_text("not sqlite at all " * 100)
    result = subprocess.run([*KOMPASS, "serve", "--db", str(tmp_path / "notes.db")], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stderr.startswith("Error: ") and "not an SQLite database" in result.stderr
