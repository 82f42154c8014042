"""Batches go on past bad input and name what they did not reach: file names whose bytes are not UTF-8,
a disk that fills up during `load`, a file whose read fails (EIO), and a corpus file hashed once per
(size, mtime) instead of on every run. Real files, a real tmpfs that really fills, real CLI runs; each
command is time-bound."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from db.batch import load_files
from db.schema import open_database
from tests.outputs_support import REAL_REPORT
from tests.serving_support import KOMPASS, ROOT

ODD_NAME = os.fsdecode(b"r\xe4pport-\xff.pdf")   # Latin-1 bytes: not UTF-8
SHOWN = "r\\xe4pport-\\xff.pdf"


def kompass(*args, cwd: Path, timeout: float = 240, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*KOMPASS, *map(str, args)], cwd=cwd, capture_output=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def text(stream: bytes) -> str:
    return stream.decode("utf-8", errors="strict")  # every line the program prints is UTF-8


def copy_report(folder: Path, name: str, salt: bytes = b"") -> Path:
    target = folder / name
    shutil.copyfile(REAL_REPORT, target)
    if salt:
        with open(target, "ab") as handle:
            handle.write(b"\n%" + salt + b"\n")
    return target


@pytest.mark.timeout(400)
def test_a_file_name_with_non_utf8_bytes_loads_and_processes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    copy_report(corpus, ODD_NAME)
    (corpus / os.fsdecode(b"tr\xe5sig.pdf")).write_bytes(b"<html>inte en pdf</html>")
    load = kompass("load", *sorted(corpus.iterdir()), "--db", tmp_path / "load.db", cwd=tmp_path)
    out, err = text(load.stdout), text(load.stderr)
    assert "Traceback" not in err and load.returncode == 1, err[-3000:]
    assert f"loaded {SHOWN} as evaluation" in out
    assert "Error: tr\\xe5sig.pdf: is an HTML page" in err
    db = sqlite3.connect(tmp_path / "load.db")
    assert db.execute("SELECT filename FROM documents").fetchall() == [(SHOWN,)]
    assert db.execute("SELECT filename FROM load_errors").fetchall() == [("tr\\xe5sig.pdf",)]

    first = kompass("process", "--corpus", corpus, "--db", tmp_path / "process.db", cwd=tmp_path)
    assert first.returncode == 0 and b"Traceback" not in first.stderr, text(first.stderr)[-3000:]
    assert b"Logging error" not in first.stderr
    assert "1 loaded" in text(first.stdout) and "1 failed" in text(first.stdout)
    again = kompass("process", "--corpus", corpus, "--db", tmp_path / "process.db", cwd=tmp_path)
    assert again.returncode == 0 and "Nothing new: 0 to process, 1 already loaded, 1 failed before" in text(again.stdout)


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs (needs root; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        while os.write(descriptor, b"\0" * 4096):
            pass
    except OSError:  # ENOSPC: full
        pass
    finally:
        os.close(descriptor)
    return filler


@pytest.mark.timeout(300)
def test_a_disk_that_fills_during_load_stops_the_batch_and_names_every_file_not_loaded(small_disk, tmp_path):
    pdfs = [copy_report(tmp_path, f"rapport-{n}.pdf", str(n).encode()) for n in range(4)]
    db_path = small_disk / "kompass.db"
    db = open_database(db_path)
    filled = []
    try:
        def after(path, outcome):
            if not filled:  # the first file is in: now the disk is full
                filled.append(fill(small_disk))

        summary = load_files(db, pdfs, after)
    finally:
        db.close()
    assert [r.filename for r in summary.loaded] == ["rapport-0.pdf"]
    assert summary.busy and "is full" in summary.busy and "free space on" in summary.busy
    assert [f.path.name for f in summary.failed] == [p.name for p in pdfs[1:]], "every file not reached is named"
    assert all("not loaded" in f.message and "is full" in f.message for f in summary.failed)

    filled[0].unlink()  # room again: what was loaded is intact, and the rest loads
    assert sqlite3.connect(db_path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    fill(small_disk)
    full = kompass("load", *pdfs[1:], "--db", db_path, cwd=tmp_path)
    err = text(full.stderr)
    assert full.returncode == 1 and "Traceback" not in err, err[-3000:]
    for pdf in pdfs[1:]:
        assert f"Error: {pdf.name}: not loaded: the disk holding" in err, err
    assert "not an SQLite database" not in err


@pytest.mark.timeout(200)
def test_a_read_error_is_one_line_and_the_batch_goes_on(tmp_path):
    unreadable = Path("/proc/self/mem")  # a regular file whose read fails with EIO (for the reader's own process)
    extract = kompass("extract", unreadable, cwd=tmp_path)
    err = text(extract.stderr)
    assert extract.returncode == 1 and "Traceback" not in err, err[-3000:]
    assert err.strip().splitlines() == ["Error: mem: cannot be read (Input/output error); check the disk or copy "
                                        "the file again"]
    good = copy_report(tmp_path, "bra.pdf")
    load = kompass("load", unreadable, good, "--db", tmp_path / "k.db", cwd=tmp_path)
    assert load.returncode == 1 and b"Traceback" not in load.stderr, text(load.stderr)[-3000:]
    assert "Error: mem: cannot be read (Input/output error)" in text(load.stderr)
    assert "loaded bra.pdf as evaluation" in text(load.stdout)


def read_bytes_so_far() -> int:
    return int(next(line.split()[1] for line in open("/proc/self/io") if line.startswith("rchar:")))


@pytest.mark.timeout(120)
def test_a_corpus_file_is_hashed_once_per_size_and_mtime(tmp_path):
    from flows.plan import plan_processing

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    copy_report(corpus, "a.pdf")
    sparse = corpus / "stor.pdf"
    with open(sparse, "wb") as handle:
        handle.truncate(1024 ** 3)
    db = open_database(tmp_path / "k.db")
    try:
        before = read_bytes_so_far()
        first = plan_processing(corpus, db)
        assert read_bytes_so_far() - before >= 1024 ** 3, "the first run reads every file once"
        before = read_bytes_so_far()
        second = plan_processing(corpus, db)
        assert read_bytes_so_far() - before < 1024 ** 2, "an unchanged corpus is not read again"
        assert [d.sha256 for d in second.pending] == [d.sha256 for d in first.pending]
        with open(sparse, "r+b") as handle:  # changed bytes, same size: mtime_ns moves
            handle.write(b"%PDF-1.4")
        os.utime(sparse, ns=(sparse.stat().st_atime_ns, sparse.stat().st_mtime_ns + 10 ** 9))
        third = plan_processing(corpus, db)
        assert {d.sha256 for d in third.pending} != {d.sha256 for d in first.pending}
    finally:
        db.close()
