"""`kill -9` of `kompass process` and `kompass harvest` leaves no process behind: not Prefect's temporary
API server, not the PDF workers, not their fork server. Every process the run starts inherits a
marker in its environment; after the kill, none with the marker may remain (bound: 15 s). The next
run then completes.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.synthetic.generate import generate
from tests.hostile_site import Site, html, trickling_pdf
from tests.serving_support import KOMPASS, ROOT, processes_marked

GONE_WITHIN_S = 15


def marked_env(marker: str) -> dict:
    return dict(os.environ, KOMPASS_TEST_MARKER=marker)


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {seconds:g} s"
        time.sleep(0.1)


def assert_no_strays(marker: str, victim: subprocess.Popen) -> None:
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(10)
    try:
        wait_until(lambda: not processes_marked(marker), GONE_WITHIN_S, "every process of the killed run ends")
    finally:
        for pid, _ in processes_marked(marker):  # never leave them to the rest of the suite
            os.kill(pid, signal.SIGKILL)


def _documents(db_path: Path) -> int:
    try:
        with sqlite3.connect(db_path, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.timeout(600)
def test_kill_9_of_process_leaves_no_process_behind(tmp_path):
    corpus = tmp_path / "corpus"
    generate(corpus, 4, seed=31)
    for expected in corpus.glob("*.expected.json"):
        expected.unlink()
    db_path = tmp_path / "k.db"
    marker = uuid.uuid4().hex
    victim = subprocess.Popen([*KOMPASS, "process", "--corpus", str(corpus), "--db", str(db_path)], cwd=ROOT,
                              env=marked_env(marker), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Mid-run: the temporary API server and the PDF workers are up, and a document is loaded.
    wait_until(lambda: _documents(db_path) >= 1 or victim.poll() is not None, 300, "the first document loads")
    assert victim.poll() is None, "process finished before it could be killed"
    assert len(processes_marked(marker)) >= 3, processes_marked(marker)  # kompass, its API server, its workers
    assert_no_strays(marker, victim)
    again = subprocess.run([*KOMPASS, "process", "--corpus", str(corpus), "--db", str(db_path)], cwd=ROOT,
                           env=marked_env(marker), capture_output=True, text=True, timeout=400)
    assert again.returncode == 0, again.stderr[-2000:]
    assert _documents(db_path) == 4
    wait_until(lambda: not processes_marked(marker), GONE_WITHIN_S, "a finished run leaves nothing either")


@pytest.mark.timeout(300)
def test_kill_9_of_harvest_leaves_no_process_behind(tmp_path):
    site = Site({"/": html('<a href="/kommunkompassen-droppe.pdf">Kommunkompassen</a>'),
                 "/kommunkompassen-droppe.pdf": trickling_pdf(every_s=0.5)})
    marker = uuid.uuid4().hex
    try:
        victim = subprocess.Popen([*KOMPASS, "harvest", "--source", site.url + "/", "--corpus", str(tmp_path / "c")],
                                  cwd=ROOT, env=marked_env(marker), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        wait_until(lambda: site.count("/kommunkompassen-droppe.pdf") == 1 or victim.poll() is not None, 200,
                   "the harvest reaches the report link")
        assert victim.poll() is None
        assert len(processes_marked(marker)) >= 2, processes_marked(marker)  # kompass and its API server
        assert_no_strays(marker, victim)
    finally:
        site.close()


@pytest.mark.timeout(300)
def test_kill_9_of_a_run_without_prefect_leaves_no_process_behind(tmp_path):
    """One new document runs without Prefect: its reader (forked from `kompass process`) and the reader's
    tagging process end with it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kommunkompassen-fagersta-2009.pdf").write_bytes((ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf")
                                                               .read_bytes())
    db_path = tmp_path / "k.db"
    marker = uuid.uuid4().hex
    victim = subprocess.Popen([*KOMPASS, "process", "--corpus", str(corpus), "--db", str(db_path)], cwd=ROOT,
                              env=marked_env(marker), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: len(processes_marked(marker)) >= 3 or victim.poll() is not None, 200,
               "the reader and its tagging process start")
    assert victim.poll() is None, "process finished before it could be killed"
    assert_no_strays(marker, victim)
    again = subprocess.run([*KOMPASS, "process", "--corpus", str(corpus), "--db", str(db_path)], cwd=ROOT,
                           env=marked_env(marker), capture_output=True, text=True, timeout=200)
    assert again.returncode == 0 and again.stdout.splitlines()[-1] == "1 loaded, 0 unchanged, 0 failed, 0 skipped", \
        again.stderr[-2000:]
