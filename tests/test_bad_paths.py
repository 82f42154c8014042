"""Paths that are not report files: a FIFO (blocks whoever opens it), a 2 GB sparse file, a directory,
a character device and a missing file. `kompass extract` and `tag` answer each with one line and
read nothing; in a `kompass load` batch each gets one line and a row in `load_errors` (a missing
path only the line), and the real report among them still loads. Each command has a time bound.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from db.batch import load_files
from db.schema import open_database
from kompass.inputs import sha256_of_input
from tests.outputs_support import REAL_REPORT
from tests.serving_support import KOMPASS, ROOT


@pytest.fixture
def bad_paths(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "bad"
    folder.mkdir()
    fifo = folder / "pipe.pdf"
    os.mkfifo(fifo)
    sparse = folder / "sparse.pdf"
    with open(sparse, "wb") as handle:
        handle.truncate(2 * 1024 ** 3)
    directory = folder / "folder.pdf"
    directory.mkdir()
    device = folder / "zero.pdf"
    device.symlink_to("/dev/zero")
    return {"fifo": fifo, "sparse": sparse, "directory": directory, "device": device,
            "missing": folder / "missing.pdf"}


EXPECTED = {
    "fifo": "pipe.pdf: is a FIFO (named pipe), not a PDF file; skipped",
    "sparse": "sparse.pdf: 2.0 GB is over the 256 MB limit for one report; skipped",
    "directory": "folder.pdf: is a directory, not a PDF file; skipped",
    "device": "zero.pdf: is a character device, not a PDF file; skipped",
    "missing": "missing.pdf: no such file",
}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("command, kinds", [("extract", tuple(EXPECTED)), ("tag", ("fifo", "directory"))])
def test_extract_and_tag_refuse_what_is_not_a_report_file_in_one_line(bad_paths, command, kinds):
    for kind, path in ((k, bad_paths[k]) for k in kinds):
        started = time.monotonic()
        result = subprocess.run([*KOMPASS, command, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60)
        if kind == "missing":  # a usage error, as for any command given a path that does not exist
            assert result.returncode == 2 and "does not exist" in result.stderr
            continue
        assert result.returncode == 1 and "Traceback" not in result.stderr, (kind, result.stderr[-500:])
        [line] = result.stderr.splitlines()
        assert line.startswith(f"Error: {EXPECTED[kind]}"), line
        assert time.monotonic() - started < 60


@pytest.mark.timeout(300)
def test_extract_reads_under_the_same_bounds_as_load():
    result = subprocess.run([*KOMPASS, "extract", str(REAL_REPORT), "--memory-mb", "64"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    [line] = result.stderr.splitlines()  # what a library prints in the worker stays there
    assert result.returncode == 1 and line.startswith(f"Error: {REAL_REPORT.name}: ") and "memory bound" in line and "64 MB" in line
    ok = subprocess.run([*KOMPASS, "extract", str(REAL_REPORT), "--format", "json", "--timeout", "120"], cwd=ROOT,
                        capture_output=True, text=True, timeout=180)
    assert ok.returncode == 0 and '"kommun": "Fagersta"' in ok.stdout


@pytest.mark.timeout(300)
def test_one_bad_path_never_stops_a_load_batch(bad_paths, tmp_path):
    db_path = tmp_path / "k.db"
    run = [bad_paths["fifo"], bad_paths["sparse"], REAL_REPORT, bad_paths["directory"], bad_paths["device"],
           bad_paths["missing"]]
    result = subprocess.run([*KOMPASS, "load", *map(str, run), "--db", str(db_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {bad_paths['missing']}: no such file"  # named before anything is read
    assert [line.split(": ", 1)[1] for line in lines[1:]] == [EXPECTED[k] for k in ("fifo", "sparse", "directory",
                                                                                      "device")]
    assert "1 loaded, 0 unchanged, 5 failed" in result.stdout
    with sqlite3.connect(db_path) as conn:
        errors = sorted(row[0] for row in conn.execute("SELECT filename FROM load_errors"))
        assert errors == ["folder.pdf", "pipe.pdf", "sparse.pdf", "zero.pdf"]
        assert conn.execute("SELECT count(*) FROM documents WHERE kind = 'report'").fetchone() == (1,)


def test_the_library_batch_without_worker_bounds_also_skips_them(bad_paths, tmp_path):
    db = open_database(tmp_path / "k.db")
    try:
        summary = load_files(db, [bad_paths["fifo"], bad_paths["directory"], REAL_REPORT])
    finally:
        db.close()
    assert [f.message for f in summary.failed] == [EXPECTED["fifo"], EXPECTED["directory"]]
    assert len(summary.loaded) == 1


HASH_CHILD = """
import sys
from kompass.inputs import sha256_of_input
digest = sha256_of_input(sys.argv[1]) if len(sys.argv) > 1 else ""
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(peak // 1024, digest)
"""  # VmHWM: this process's own peak (ru_maxrss would include the parent's, carried over across exec)


def test_hashing_streams_the_file(tmp_path):
    import hashlib
    import sys

    big = tmp_path / "big.pdf"
    with open(big, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    baseline = subprocess.run([sys.executable, "-c", HASH_CHILD], cwd=ROOT, capture_output=True, text=True,
                              check=True, timeout=60).stdout.split()
    hashed = subprocess.run([sys.executable, "-c", HASH_CHILD, str(big)], cwd=ROOT, capture_output=True, text=True,
                            check=True, timeout=60).stdout.split()
    grown_mb = int(hashed[0]) - int(baseline[0])
    assert grown_mb < 20, f"hashing a 200 MB file took {grown_mb} MB more memory than not hashing it"
    expected = hashlib.sha256()
    for _ in range(200):
        expected.update(bytes(1024 * 1024))
    assert hashed[1] == expected.hexdigest()
