"""Scale-out: the analysis on Dask workers of every kind gives what one process gives (issue 26).

A Dask nanny's worker process is daemonic, and a daemonic process may not start `multiprocessing`
children: the guard starts its bounded reader there as a program instead (`extractors.guard_child`).
These tests use real processes: a daemonic process running the guard with misbehaving readers, the
real `kompass process --workers 2` (a local cluster of nanny processes) on PDFs no cache has seen, and
a real `dask scheduler` and `dask worker --nworkers 2` started here and stopped by their process ids.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlite_utils

from extractors.guard import DocumentTimeout, Limits, MemoryLimitExceeded, WorkerCrashed, analyse_guarded
from tests import hostile

ROOT = Path(__file__).resolve().parent.parent
FAGERSTA = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"
COPIES = 3
VOLATILE = {"id", "sha256", "path", "loaded_at", "same_report_as"}  # differ by run, or by which copy loaded first
ERROR_TYPE = re.compile(r"^\w+: (?=\S+\.pdf: )")
WORKER_NOTE = re.compile(r" \[on dask worker tcp://127\.0\.0\.1:\d+ \([^)]*pid \d+\)\]$")


def _guard_in_a_daemon(answers) -> None:
    """Run in a daemonic process: whether early tagging would fork here, and each misbehaving reader's outcome,
    as (type name, message)."""
    from extractors.early_tagging import worth_starting

    early = worth_starting()  # spaCy not loaded, one thread: on two CPUs only the daemonic flag says no
    runs = [(["stuck.pdf"], Limits(timeout_s=1, memory_mb=256), hostile.hang, 1),
            (["bomb.pdf"], Limits(timeout_s=30, memory_mb=256), hostile.exhaust_memory, 1),
            (["a.pdf", "b.pdf"], Limits(timeout_s=10, memory_mb=256), hostile.crash, 1),
            (["c.pdf", "d.pdf", "e.pdf"], Limits(timeout_s=10, memory_mb=256), hostile.echo, 2)]
    outcomes = []
    for paths, limits, target, workers in runs:
        outcomes += [(type(o).__name__, str(o)) for _, o in analyse_guarded(paths, limits, workers, target)]
    answers.put((multiprocessing.current_process().daemon, early, outcomes))


def test_the_guard_bounds_a_reader_the_same_way_in_a_daemonic_process():
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    process = context.Process(target=_guard_in_a_daemon, args=(answers,), daemon=True)
    process.start()
    try:
        daemonic, early_tagging, outcomes = answers.get(timeout=120)
    finally:
        process.join(10)
        process.kill()
    assert daemonic and not early_tagging, "early tagging must stay off in a daemonic process"
    kinds = [kind for kind, _ in outcomes]
    assert kinds[0] == DocumentTimeout.__name__ and "stuck.pdf" in outcomes[0][1]
    assert kinds[1] in (MemoryLimitExceeded.__name__, WorkerCrashed.__name__) and "256 MB" in outcomes[1][1]
    assert kinds[2:4] == [WorkerCrashed.__name__] * 2 and "SIGABRT" in outcomes[2][1]
    assert outcomes[4:] == [("str", "c.pdf"), ("str", "d.pdf"), ("str", "e.pdf")]


def test_plain_dask_work_in_a_threads_worker_reads_the_bytes_and_names_the_worker():
    """A worker of threads in this (non-daemonic) process: the readers fork from the fork server, one per thread,
    kept for the next document, and gone once the worker's threads are."""
    import hashlib

    import psutil
    from distributed import Client, LocalCluster

    from extractors.errors import DamagedPdf
    from extractors.pipeline import analysis_version
    from extractors.remote import BytesChanged, OtherVersion, analyse_pdf_bytes

    report = FAGERSTA.read_bytes() + b"% threads worker\n"
    damaged = report[:20000]
    limits, version = Limits(timeout_s=60, memory_mb=1024), analysis_version()
    jobs = [(report, "kopia.pdf", hashlib.sha256(report).hexdigest(), limits, version),
            (damaged, "trasig.pdf", hashlib.sha256(damaged).hexdigest(), limits, version),
            (report, "annan.pdf", hashlib.sha256(damaged).hexdigest(), limits, version),
            (report, "nyare.pdf", hashlib.sha256(report).hexdigest(), limits, "99+0123456789")]
    before = {child.pid for child in psutil.Process().children(recursive=True)}
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        outcomes = client.gather([client.submit(analyse_pdf_bytes, *job, pure=False) for job in jobs], errors="raise")
        again = client.submit(analyse_pdf_bytes, *jobs[0], pure=False).result(timeout=120)
        readers = [child for child in psutil.Process().children(recursive=True)
                   if child.pid not in before and child.ppid() != os.getpid()]  # forked by the fork server
    analysis, failure, mismatch, other_version = outcomes
    assert analysis.value.extract.source.filename == "kopia.pdf" and analysis.value.extract.kommun == "Fagersta"
    assert analysis.value.extract.source.sha256 == jobs[0][2] and again.value.extract == analysis.value.extract
    assert isinstance(failure.value, DamagedPdf) and "trasig.pdf" in str(failure.value)
    assert isinstance(mismatch.value, BytesChanged)
    assert isinstance(other_version.value, OtherVersion) and "99+0123456789" in str(other_version.value)
    assert all(o.worker.startswith("dask worker inproc://") and f"pid {os.getpid()}" in o.worker for o in outcomes)
    assert 1 <= len(readers) <= 2, "one reader per thread, kept for the next document"
    _, alive = psutil.wait_procs(readers, timeout=20)
    assert not alive, "a stopped worker's readers must end"


# --- kompass process on Dask: the same rows as one process, for PDFs no cache has seen ----------------


def new_corpus(folder: Path, mark: str) -> Path:
    """Copies of the bundled report with a comment appended after %%EOF (new bytes, the same report; every
    copy opens), and a damaged one: names alike in every corpus, bytes unlike any run before."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True)
    report = FAGERSTA.read_bytes()
    for number in range(COPIES):
        path = folder / f"fagersta-kopia-{number}.pdf"
        path.write_bytes(report + f"% kompass scale-out test {mark} {number}\n".encode())
        assert len(pdfium.PdfDocument(str(path))) == 28
    (folder / "trasig.pdf").write_bytes(report[:20000] + f"% {mark}\n".encode())
    return folder


def kompass(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kompass", *args], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, COLUMNS="200"), timeout=timeout)


def canonical_rows(db_path: Path) -> dict[str, list]:
    """Every table's rows, order-free: a document's sha256 read as its content (copies of one report are one
    report, whichever loaded first), run-specific columns left out, the worker's name cut from errors."""
    db = sqlite_utils.Database(db_path)
    content = {row["sha256"]: row["content_hash"] for row in db["documents"].rows}
    tables = {}
    for table in db.table_names():
        if "_fts" in table:
            continue
        rows = []
        for row in db[table].rows:
            if table == "build_info" and row["key"] == "built_at":
                continue
            kept = {key: content.get(value, value) if isinstance(value, str) else value
                    for key, value in row.items() if key not in VOLATILE}
            if table == "load_errors":
                kept["message"] = ERROR_TYPE.sub("", WORKER_NOTE.sub("", kept["message"]))  # load leaves out the type
            rows.append(repr(sorted(kept.items())))
        tables[table] = sorted(rows)
    return tables


@pytest.fixture(scope="module")
def single_process(tmp_path_factory) -> dict[str, list]:
    """The reference: `kompass load` of a new corpus, one bounded reader, no Prefect, no Dask."""
    work = tmp_path_factory.mktemp("single")
    corpus = new_corpus(work / "corpus", "single")
    result = kompass("load", *map(str, sorted(corpus.glob("*.pdf"))), "--db", str(work / "single.db"))
    assert "3 loaded" in result.stdout and "1 failed" in result.stdout, result.stdout + result.stderr[-2000:]
    return canonical_rows(work / "single.db")


def assert_loaded_like_one_process(result, db_path: Path, reference: dict) -> None:
    assert result.returncode == 0, result.stderr[-3000:]
    assert "3 loaded, 0 unchanged, 1 failed" in result.stdout, result.stdout + result.stderr[-3000:]
    db = sqlite_utils.Database(db_path)
    assert db["documents"].count == COPIES
    [error] = db["load_errors"].rows
    assert error["filename"] == "trasig.pdf" and error["message"].startswith("DamagedPdf: trasig.pdf")
    assert WORKER_NOTE.search(error["message"]), f"the failure must name its worker: {error['message']}"
    got = canonical_rows(db_path)
    assert got.keys() == reference.keys()
    for table in reference:
        assert got[table] == reference[table], f"{table} differs from what one process loads"


def test_process_with_two_local_workers_loads_new_pdfs_as_one_process_does(tmp_path, single_process):
    """`--workers 2`: a local cluster of nanny (daemonic) processes, each reading in a program it started."""
    corpus = new_corpus(tmp_path / "corpus", "local")
    result = kompass("process", "--corpus", str(corpus), "--db", str(tmp_path / "dask.db"), "--workers", "2")
    assert_loaded_like_one_process(result, tmp_path / "dask.db", single_process)


# --- a real cluster: `dask scheduler` and `dask worker --nworkers 2` (nanny processes) ----------------

def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


@pytest.fixture
def real_cluster(tmp_path):
    """A scheduler on 127.0.0.1 (a free port) and a worker command with two nanny processes of one thread each,
    started in a folder that holds no corpus; the address, and the worker command's process."""
    scheduler_file, log = tmp_path / "scheduler.json", (tmp_path / "dask.log").open("w")
    started = []
    try:
        started.append(subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                                         "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                        cwd=tmp_path, stdout=log, stderr=log))
        _wait_for(scheduler_file.exists, 60, "the scheduler's address")
        address = json.loads(scheduler_file.read_text())["address"]
        started.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nworkers", "2",
                                         "--nthreads", "1", "--no-dashboard", "--local-directory",
                                         str(tmp_path / "workers")], cwd=tmp_path, stdout=log, stderr=log))
        _wait_for(lambda: (tmp_path / "dask.log").read_text().count("Registered to:") >= 2, 90, "two workers")
        yield address, started[1]
    finally:
        for process in started:  # whatever the test did: by process id, never by name
            if process.poll() is None:
                process.kill()
            process.wait(10)
        log.close()


def test_process_on_a_real_cluster_loads_new_pdfs_and_leaves_nothing_running(tmp_path, real_cluster,
                                                                              single_process):
    import psutil

    address, worker_command = real_cluster
    corpus = new_corpus(tmp_path / "corpus", "cluster")
    result = kompass("process", "--corpus", str(corpus), "--db", str(tmp_path / "cluster.db"),
                     "--dask-address", address)
    assert_loaded_like_one_process(result, tmp_path / "cluster.db", single_process)

    spawned = psutil.Process(worker_command.pid).children(recursive=True)
    commands = [" ".join(process.cmdline()) for process in spawned]
    assert sum("extractors.guard_child" in command for command in commands) == 2, commands  # one reader a worker
    assert not [c for c in commands if "uvicorn" in c or "prefect" in c], "a worker started a Prefect server"

    worker_command.kill()  # the worker command dies at once: its nannies' workers and their readers must follow
    _, alive = psutil.wait_procs(spawned, timeout=30)
    for process in alive:
        process.kill()
    assert not alive, f"left running after the worker stopped: {[p.cmdline() for p in alive]}"


@pytest.mark.slow
def test_kill_9_of_process_with_local_workers_leaves_nothing(tmp_path):
    """`kill -9` of `kompass process --workers 2` mid-run: the nannies' workers (parent-alive pipe), their reader
    programs (PR_SET_PDEATHSIG) and Prefect's temporary server (tied to the command) all end."""
    from tests.serving_support import processes_marked

    marker = f"scaleout-{uuid.uuid4().hex}"
    corpus = new_corpus(tmp_path / "corpus", marker)
    command = subprocess.Popen([sys.executable, "-m", "kompass", "process", "--corpus", str(corpus), "--db",
                                str(tmp_path / "killed.db"), "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=dict(os.environ, KOMPASS_TEST_MARKER=marker))
    try:
        _wait_for(lambda: any("extractors.guard_child" in line for _, line in processes_marked(marker)), 180,
                  "a reader program on a worker")
    finally:
        command.kill()
        command.wait(10)
    _wait_for(lambda: not processes_marked(marker), 15, f"the run's processes to end: {processes_marked(marker)}")
