"""`kompass process` end to end, plus the decisions it takes before any flow starts.

The CLI runs in a subprocess (as a user runs it) on a corpus with the real Fagersta report as a
harvested document, a damaged PDF and an HTML page named `.pdf`. The second run must find that
nothing is new without starting a Prefect flow; a third run into an empty database must take
the analysis from Prefect's persisted cache. The same corpus run without Prefect (`--runner plain`)
must write the same rows as the flow, and a corpus with one new document runs so by itself.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from corpus.store import STORED, CorpusStore, ProvenanceRecord
from db.load import load_analysis
from db.schema import open_database
from extractors.pdftext import sha256_of
from extractors.pipeline import analyse
from flows.plan import analysis_version, plan_processing

ROOT = Path(__file__).resolve().parent.parent
FAGERSTA = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"
SOURCE_URL = "https://www.fagersta.se/download/kommunkompassen-2009.pdf"


def kompass(*args: str) -> subprocess.CompletedProcess:
    """Run the real CLI in a fresh process (Prefect's home comes from conftest's environment)."""
    return subprocess.run([sys.executable, "-m", "kompass", *args], capture_output=True, text=True,
                          env=dict(os.environ, COLUMNS="200"), timeout=300, cwd=ROOT)


def make_corpus(root: Path) -> tuple[CorpusStore, str]:
    """The real report stored by hash with provenance, a damaged PDF and an HTML page named .pdf."""
    store = CorpusStore(root)
    root.mkdir()
    sha = sha256_of(FAGERSTA)
    store.path_for(sha).write_bytes(FAGERSTA.read_bytes())
    store.record(ProvenanceRecord(url=SOURCE_URL, fetched_at="2024-05-06T04:00:00+00:00", outcome=STORED,
                                  status=200, sha256=sha, etag='"abc"'))
    (root / "trasig.pdf").write_bytes(FAGERSTA.read_bytes()[:20000])
    (root / "felsida.pdf").write_text("<!DOCTYPE html><html><body>Sidan saknas</body></html>", encoding="utf-8")
    return store, sha


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    work = tmp_path_factory.mktemp("process")
    store, sha = make_corpus(work / "corpus")
    db_path = work / "kompass.db"
    first = kompass("process", "--corpus", str(store.root), "--db", str(db_path))
    errors_after_first = list(sqlite_utils.Database(db_path)["load_errors"].rows)
    second = kompass("process", "--corpus", str(store.root), "--db", str(db_path))
    elsewhere = work / "elsewhere"  # the same report found again under another name
    elsewhere.mkdir()
    (elsewhere / "kommunkompassen-fagersta.pdf").write_bytes(FAGERSTA.read_bytes())
    cached = kompass("process", "--corpus", str(elsewhere), "--db", str(work / "fresh.db"), "--runner", "prefect")
    plain = kompass("process", "--corpus", str(store.root), "--db", str(work / "plain.db"), "--runner", "plain")
    one = kompass("process", "--corpus", str(elsewhere), "--db", str(work / "one.db"))  # one new: no Prefect
    return dict(first=first, second=second, cached=cached, db=sqlite_utils.Database(db_path), sha=sha,
                errors_after_first=errors_after_first, fresh=sqlite_utils.Database(work / "fresh.db"),
                plain=plain, plain_db=work / "plain.db", flow_db=db_path, one=one, one_db=work / "one.db",
                fresh_db=work / "fresh.db")


def test_first_run_loads_the_report_and_records_failures(runs):
    first = runs["first"]
    assert first.returncode == 0, first.stderr
    assert "1 loaded" in first.stdout and "2 failed" in first.stdout
    [document] = runs["db"]["documents"].rows
    assert document["sha256"] == runs["sha"] and document["extractor_version"] == analysis_version()
    assert document["source_url"] == SOURCE_URL and document["fetched_at"] == "2024-05-06T04:00:00+00:00"
    errors = {row["filename"]: row for row in runs["errors_after_first"]}
    assert set(errors) == {"trasig.pdf", "felsida.pdf"}
    assert "damaged" in errors["trasig.pdf"]["message"] and "HTML" in errors["felsida.pdf"]["message"]
    assert all(row["attempts"] == 1 for row in errors.values())


def test_second_run_skips_every_document_without_starting_a_flow(runs):
    second = runs["second"]
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("Nothing new: 0 to process, 1 already loaded, 2 failed before")
    assert "Flow run" not in second.stdout + second.stderr, "no Prefect flow may start when nothing is new"
    assert [row["attempts"] for row in runs["db"]["load_errors"].rows] == [1, 1]
    assert runs["db"]["documents"].count == 1


def test_a_new_database_takes_the_analysis_from_the_cache(runs):
    cached = runs["cached"]
    assert cached.returncode == 0, cached.stderr
    log = cached.stdout + cached.stderr
    pattern = rf"Task run 'analyse {runs['sha'][:12]}' - Finished in state Cached"
    assert re.search(pattern, log), "the analysis of an unchanged document must come from the persisted cache"
    assert [row["sha256"] for row in runs["fresh"]["documents"].rows] == [runs["sha"]]
    assert [row["filename"] for row in runs["fresh"]["documents"].rows] == ["kommunkompassen-fagersta.pdf"], \
        "a cached analysis takes the name of the file it is loaded from"


# columns that say when a row was written, not what was read
WHEN_WRITTEN = {"build_info": {"value"}, "documents": {"loaded_at"}}


def database_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (full-text index shadows aside), sorted, without the columns of WHEN_WRITTEN."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'")]
        rows = {}
        for table in tables:
            columns = [c for (_, c, *_) in conn.execute(f"PRAGMA table_info([{table}])")
                       if c not in WHEN_WRITTEN.get(table, set())]
            rows[table] = sorted(map(repr, conn.execute(f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{table}]")))
        return rows
    finally:
        conn.close()


def test_a_run_without_prefect_writes_the_rows_the_flow_writes(runs):
    plain = runs["plain"]
    assert plain.returncode == 0, plain.stderr
    assert "Flow run" not in plain.stdout + plain.stderr and "prefect" not in plain.stderr.lower()
    assert plain.stdout.splitlines()[-1] == "1 loaded, 0 unchanged, 2 failed, 0 skipped"
    assert "Error: trasig.pdf (" in plain.stderr and "DamagedPdf" in plain.stderr
    flow, without = database_rows(runs["flow_db"]), database_rows(runs["plain_db"])
    assert sorted(flow) == sorted(without)
    assert len(flow["documents"]) == 1 and len(flow["load_errors"]) == 2 and len(flow["sentences"]) > 100
    for table in flow:
        assert flow[table] == without[table], f"{table}: the plain run wrote other rows than the flow"


def test_one_new_document_is_processed_without_starting_prefect(runs):
    one = runs["one"]
    assert one.returncode == 0, one.stderr
    assert "Flow run" not in one.stdout + one.stderr and "temporary server" not in one.stderr
    assert one.stdout.splitlines()[-1] == "1 loaded, 0 unchanged, 0 failed, 0 skipped"
    with_flow, alone = database_rows(runs["fresh_db"]), database_rows(runs["one_db"])
    assert with_flow == alone  # the same file name, loaded by the flow (from its cache) and without it


def test_plain_runner_refuses_workers(tmp_path):
    result = kompass("process", "--corpus", str(tmp_path), "--db", str(tmp_path / "k.db"), "--runner", "plain",
                     "--workers", "2")
    assert result.returncode == 2 and "--runner plain analyses here" in result.stderr


def test_plan_sorts_new_loaded_and_failed(tmp_path):
    store, sha = make_corpus(tmp_path / "corpus")
    db = open_database(tmp_path / "plan.db")
    plan = plan_processing(store.root, db)
    assert sorted(d.filename for d in plan.pending) == sorted([f"{sha}.pdf", "trasig.pdf", "felsida.pdf"])
    [report] = [d for d in plan.pending if d.sha256 == sha]
    assert report.source_url == SOURCE_URL
    load_analysis(db, analyse(report.path), source_url=report.source_url, fetched_at=report.fetched_at)
    from db.store import record_load_error

    record_load_error(db, "trasig.pdf", sha256_of(store.root / "trasig.pdf"), "DamagedPdf")
    plan = plan_processing(store.root, db)
    assert plan.loaded == [sha] and [d.filename for d in plan.pending] == ["felsida.pdf"]
    assert len(plan.failed_before) == 1
    assert len(plan_processing(store.root, db, retry_failed=True).pending) == 2


def test_cache_key_is_content_and_version():
    from flows.process import analysis_cache_key

    key = analysis_cache_key(None, {"path": "/a/x.pdf", "sha256": "ab" * 32, "version": "3"})
    assert key == analysis_cache_key(None, {"path": "/elsewhere/y.pdf", "sha256": "ab" * 32, "version": "3"})
    assert key != analysis_cache_key(None, {"path": "/a/x.pdf", "sha256": "ab" * 32, "version": "4"})


def test_without_a_cluster_the_analysis_stays_here_and_failures_name_their_worker():
    from flows.cluster import analysis_cluster, analysis_slots
    from flows.stages import failure_message

    with analysis_cluster() as scheduler, analysis_cluster(workers=1) as one:
        assert scheduler is None and one is None and analysis_slots(None) == 1
    error = ValueError("x.pdf: broken")
    assert failure_message(error) == "ValueError: x.pdf: broken"
    error.kompass_worker = "dask worker tcp://10.0.0.5:4100 (node5 pid 77)"
    assert failure_message(error) == "ValueError: x.pdf: broken [on dask worker tcp://10.0.0.5:4100 (node5 pid 77)]"


def test_schedule_is_cron_in_stockholm_time_and_rejects_nonsense():
    from flows.schedule import BadSchedule, build_schedule, pipeline_deployment

    deployment = pipeline_deployment("0 6 * * 1", "corpus", "var/k.db", sources=["https://skr.se/"])
    [schedule] = [entry.schedule for entry in deployment.schedules]
    assert (schedule.cron, schedule.timezone) == ("0 6 * * 1", "Europe/Stockholm")
    assert deployment.parameters == {"corpus": "corpus", "db_path": "var/k.db", "sources": ["https://skr.se/"],
                                     "config_path": None}
    assert deployment.entrypoint.endswith("flows/schedule.py:pipeline_flow")
    with pytest.raises(BadSchedule):
        build_schedule("every monday")


def test_missing_corpus_is_a_one_line_error(tmp_path):
    result = kompass("process", "--corpus", str(tmp_path / "saknas"), "--db", str(tmp_path / "k.db"))
    assert result.returncode == 1 and result.stderr.startswith("Error: ") and "no such corpus directory" in result.stderr


def test_bad_cron_is_a_one_line_error():
    result = kompass("schedule", "--cron", "every monday", "--corpus", "c", "--db", "x.db")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: 'every monday' is not a cron expression") and "Traceback" not in result.stderr


@pytest.mark.slow
def test_process_on_a_local_dask_cluster(tmp_path, prefect_harness):
    """The analysis runs in a Dask worker process reached by address (what --dask-address does)."""
    from distributed import LocalCluster

    from flows.process import run_process

    store, sha = make_corpus(tmp_path / "corpus")
    db_path = tmp_path / "dask.db"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        counts = run_process(str(store.root), str(db_path), dask_address=cluster.scheduler_address)
    assert counts == {"loaded": 1, "unchanged": 0, "failed": 2, "skipped": 0}
    assert [row["sha256"] for row in sqlite_utils.Database(db_path)["documents"].rows] == [sha]


def test_next_run_follows_stockholm_daylight_saving():
    from datetime import datetime, timezone

    from flows.schedule import next_run

    spring = next_run("0 6 * * 1", datetime(2025, 3, 29, 12, 0, tzinfo=timezone.utc))
    autumn = next_run("0 6 * * 1", datetime(2025, 10, 25, 12, 0, tzinfo=timezone.utc))
    assert spring.astimezone(timezone.utc) == datetime(2025, 3, 31, 4, 0, tzinfo=timezone.utc)  # CEST
    assert autumn.astimezone(timezone.utc) == datetime(2025, 10, 27, 5, 0, tzinfo=timezone.utc)  # CET


def test_local_schedule_sleeps_until_the_cron_time_then_harvests_and_processes(tmp_path, prefect_harness):
    """Without PREFECT_API_URL the schedule runs in-process: one scheduled run, end to end."""
    from datetime import datetime, timedelta, timezone

    from flows.schedule import run_on_schedule

    store, sha = make_corpus(tmp_path / "corpus")
    config = tmp_path / "sources.yml"
    config.write_text("settings:\n  retries: 0\n  per_host_delay: 0\n  timeout_seconds: 2\n", encoding="utf-8")
    clock = [datetime(2025, 3, 31, 3, 30, tzinfo=timezone.utc)]  # Monday 05:30 in Stockholm
    slept = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += timedelta(seconds=seconds)

    parameters = {"corpus": str(store.root), "db_path": str(tmp_path / "k.db"),
                  "sources": ["http://127.0.0.1:9/"], "config_path": str(config)}
    run_on_schedule("0 6 * * 1", parameters, sleep=sleep, now=lambda: clock[0], runs=1)
    assert slept == [30 * 60]
    assert [row["sha256"] for row in sqlite_utils.Database(tmp_path / "k.db")["documents"].rows] == [sha]


def test_auto_runs_plain_only_for_one_document_without_workers_or_a_named_server(tmp_path, monkeypatch):
    from flows.plain import prefect_server_configured, runs_plain
    from flows.plan import PendingDocument, ProcessPlan

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    one = ProcessPlan("v", pending=[PendingDocument("/c/a.pdf", "a" * 64)])
    two = ProcessPlan("v", pending=[PendingDocument("/c/a.pdf", "a" * 64), PendingDocument("/c/b.pdf", "b" * 64)])
    assert not prefect_server_configured()
    assert runs_plain("auto", one, distributed=False)
    assert not runs_plain("auto", two, distributed=False) and not runs_plain("auto", one, distributed=True)
    assert runs_plain("plain", two, distributed=False) and not runs_plain("prefect", one, distributed=False)
    (tmp_path / "profiles.toml").write_text('active = "work"\n[profiles.work]\n'
                                            'PREFECT_API_URL = "http://127.0.0.1:4200/api"\n', encoding="utf-8")
    assert prefect_server_configured() and not runs_plain("auto", one, distributed=False)
    monkeypatch.setenv("PREFECT_PROFILE", "ephemeral")
    assert not prefect_server_configured()
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert prefect_server_configured()
