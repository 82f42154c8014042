"""Writers take the database one at a time, and no file is ever left out.

Two `kompass load` runs start at once on one new database with overlapping files: every file ends
up loaded or in `load_errors`, nothing twice. A loader that cannot get the lock within its wait
stops, says why, and lists the file in hand and every file it did not reach as not loaded; if
even that cannot be written, it says so on stderr with each file's name. Paths that are not
regular files (a directory, a FIFO) get one line and a row each, and never stop the batch.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import threading

import pytest

from tests.synthetic.generate import generate
from db.batch import load_files
from db.schema import open_database
from extractors.pdftext import sha256_of
from tests.serving_support import KOMPASS, ROOT
from tests.test_db_support import integrity
from tests.test_robustness import table_contents


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("writers"), 8, seed=21)


def _rows(db_path, sql, params=()):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.mark.timeout(400)
def test_two_loads_at_once_leave_every_file_loaded_or_recorded(reports, tmp_path):
    odd = tmp_path / "odd"
    odd.mkdir()
    folder = odd / "a-folder.pdf"
    folder.mkdir()
    fifo = odd / "pipe.pdf"
    os.mkfifo(fifo)
    first = [*reports[:5]]
    second = [*reports[3:], folder, fifo]
    db_path = tmp_path / "shared.db"  # does not exist yet: both runs create it at the same moment
    runs = [subprocess.Popen([*KOMPASS, "load", *map(str, files), "--db", str(db_path)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for files in (first, second)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 1], "\n".join(out + err for out, err in outputs)
    for stdout, stderr in outputs:
        assert "Traceback" not in stderr and "database is locked" not in stderr
    assert outputs[1][1].splitlines() == [
        "Error: a-folder.pdf: is a directory, not a PDF file; skipped",
        "Error: pipe.pdf: is a FIFO (named pipe), not a PDF file; skipped"]
    loaded = {row[0] for row in _rows(db_path, "SELECT sha256 FROM documents WHERE kind = 'report'")}
    assert loaded == {sha256_of(path) for path in reports}, "every report loaded exactly once"
    assert sorted(_rows(db_path, "SELECT filename FROM load_errors")) == [("a-folder.pdf",), ("pipe.pdf",)]
    assert integrity(db_path) == "ok"
    reference = tmp_path / "alone.db"
    subprocess.run([*KOMPASS, "load", *map(str, reports), "--db", str(reference)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    ours, alone = table_contents(db_path), table_contents(reference)
    ours.pop("load_errors")
    alone.pop("load_errors")
    assert ours == alone, "the interleaved loads wrote exactly what one load writes"


class Locker:
    """Another writer: holds the write lock from `take()` until `release()`."""

    def __init__(self, db_path) -> None:
        self.conn = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)

    def take(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.release()
        self.conn.close()


def _locked_after_first(db_path, files, wait_s, release_when_recording: bool):
    """Load `files` into a new database; another writer takes the lock once the first is loaded (and, if
    asked, lets go while the loader is recording what it did not load)."""
    db = open_database(db_path, wait_s)
    locker = Locker(db_path)
    begins = []

    def on_statement(sql: str) -> None:
        if sql.startswith("BEGIN IMMEDIATE") and locker.conn.in_transaction:
            begins.append(sql)
            if len(begins) == 2 and release_when_recording:  # the first waited in vain; this one records
                threading.Timer(wait_s / 2, locker.release).start()

    def on_done(path, outcome) -> None:
        if len(done) == 0:
            locker.take()
            db.conn.set_trace_callback(on_statement)
        done.append((path.name, outcome))

    done = []
    try:
        summary = load_files(db, files, on_done)
    finally:
        db.close()
        locker.close()
    return summary, done


@pytest.mark.timeout(120)
def test_a_loader_that_cannot_get_the_lock_lists_every_file_it_did_not_reach(reports, tmp_path):
    db_path, files = tmp_path / "locked.db", reports[:5]
    summary, done = _locked_after_first(db_path, files, wait_s=1.5, release_when_recording=True)
    assert [name for name, _ in done] == [p.name for p in files], "every file has an outcome, in order"
    assert len(summary.loaded) == 1 and len(summary.failed) == 4 and summary.unrecorded == []
    assert "locked by another writer (waited 1.5 s)" in summary.busy
    errors = dict(_rows(db_path, "SELECT filename, message FROM load_errors"))
    assert sorted(errors) == sorted(p.name for p in files[1:])
    assert all(message == f"{name}: not loaded: {summary.busy}" for name, message in errors.items())
    assert _rows(db_path, "SELECT sha256 FROM load_errors") == [("",)] * 4, \
        "not judged: a later process run must not skip these documents as failed"
    assert integrity(db_path) == "ok"
    # The next run loads the rest and clears their rows.
    db = open_database(db_path)
    again = load_files(db, files)
    db.close()
    assert (len(again.loaded), len(again.unchanged), len(again.failed)) == (4, 1, 0)
    assert _rows(db_path, "SELECT count(*) FROM load_errors") == [(0,)]


@pytest.mark.timeout(120)
def test_when_even_the_record_cannot_be_written_the_loader_says_so(reports, tmp_path):
    db_path, files = tmp_path / "stuck.db", reports[:3]
    summary, _ = _locked_after_first(db_path, files, wait_s=0.5, release_when_recording=False)
    assert [p.name for p in summary.unrecorded] == [p.name for p in files[1:]]
    assert _rows(db_path, "SELECT count(*) FROM load_errors") == [(0,)]


@pytest.mark.timeout(120)
def test_kompass_load_on_a_locked_database_names_every_file(reports, tmp_path):
    db_path = tmp_path / "held.db"
    open_database(db_path).close()
    locker = Locker(db_path)
    locker.take()
    try:
        result = subprocess.run([*KOMPASS, "load", *map(str, reports[:3]), "--db", str(db_path), "--wait", "1"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        locker.close()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in lines[:3]] == [p.name for p in reports[:3]]
    assert all("not loaded" in line and "locked by another writer (waited 1 s)" in line for line in lines[:3])
    assert lines[-1].startswith("Error: ") and "none of the 3 files was loaded" in lines[-1]
