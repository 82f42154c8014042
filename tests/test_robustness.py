"""Bad input never stops a run: ≥ 500 hostile files through extraction and loading, under real limits
(each kind's first files in the default run, the whole set and a larger one under `slow`).

Each file is read in a worker process bounded in time and memory (`extractors.guard`), loaded with
`db.batch.load_files` into a real SQLite file, with the real report placed among them. Every hostile
file must end up either loaded (a bit-flipped copy may still be readable) or recorded in
`load_errors` with its reason; kinds that cannot be a report must all be errors.
"""
from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.batch import load_files
from db.schema import open_database
from extractors.errors import DamagedPdf, EncryptedPdf, NotAPdf, NotAReport, NoTextLayer, TooLarge
from extractors.guard import (DocumentTimeout, Limits, MemoryLimitExceeded, WorkerCrashed, analyse_guarded,
                              extract_in_subprocess)
from extractors.pdftext import sha256_of
from extractors.report import extract_report
from tests import hostile
from tests.test_db_support import integrity
from tests.test_db_support import rows as _rows

ROOT = Path(__file__).resolve().parent.parent
LIMITS = Limits(timeout_s=30, memory_mb=1024)


# --- the guard itself, with readers that misbehave on purpose -------------------------------------

def test_guard_stops_a_reader_that_never_returns():
    [(_, outcome)] = analyse_guarded(["stuck.pdf"], Limits(timeout_s=1, memory_mb=256), target=hostile.hang)
    assert isinstance(outcome, DocumentTimeout) and "stuck.pdf" in str(outcome) and "1 s" in str(outcome)


def test_guard_gives_a_reader_reporting_pages_more_time_but_not_for_ever():
    seen = []
    [(_, outcome)] = analyse_guarded(["long-scan.pdf"], Limits(timeout_s=1, memory_mb=256, page_grace_s=1.5),
                                     target=hostile.slow_pages, on_progress=seen.append)
    assert outcome == "long-scan.pdf" and seen == [1, 2, 3, 4, 5, 6]  # 3 s of pages under a 1-s bound
    [(_, outcome)] = analyse_guarded(["endless.pdf"], Limits(timeout_s=1, memory_mb=256, page_grace_s=1.5,
                                                             grace_ceiling=3), target=hostile.endless_pages)
    assert isinstance(outcome, DocumentTimeout) and "endless.pdf" in str(outcome)


def test_guard_bounds_memory():
    [(_, outcome)] = analyse_guarded(["bomb.pdf"], Limits(timeout_s=30, memory_mb=256), target=hostile.exhaust_memory)
    assert isinstance(outcome, (MemoryLimitExceeded, WorkerCrashed)) and "256 MB" in str(outcome)


def test_guard_survives_a_crashing_reader_and_goes_on():
    outcomes = list(analyse_guarded(["a.pdf", "b.pdf"], Limits(timeout_s=10, memory_mb=256), target=hostile.crash))
    assert [type(o) for _, o in outcomes] == [WorkerCrashed, WorkerCrashed]
    assert "SIGABRT" in str(outcomes[0][1])
    after = list(analyse_guarded(["c.pdf", "d.pdf", "e.pdf"], LIMITS, workers=2, target=hostile.echo))
    assert after == [(Path("c.pdf"), "c.pdf"), (Path("d.pdf"), "d.pdf"), (Path("e.pdf"), "e.pdf")]


def test_extract_in_subprocess_returns_the_analysis_or_raises(real_report, expected_seed, tmp_path):
    analysis = extract_in_subprocess(real_report, timeout_s=60, memory_mb=1024)
    got = (analysis.extract.kommun, analysis.extract.year, analysis.extract.total)
    assert got == (expected_seed["kommun"], expected_seed["year"], expected_seed["total"])
    html = tmp_path / "sida.pdf"
    html.write_text("<!DOCTYPE html><html><body>404</body></html>")
    with pytest.raises(NotAPdf, match="sida.pdf: is an HTML page"):
        extract_in_subprocess(html, timeout_s=60, memory_mb=1024)


# --- the hostile sweep ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_set(tmp_path_factory, real_report):
    inputs = hostile.hostile_inputs(real_report)
    folder = tmp_path_factory.mktemp("hostile")
    return inputs, hostile.write_inputs(inputs, folder)


def _sweep(inputs, paths, real_report, db_path):
    middle = len(paths) // 2
    run = paths[:middle] + [real_report] + paths[middle:]
    db = open_database(db_path)
    try:
        summary = load_files(db, run, limits=LIMITS, workers=2)
    finally:
        db.close()
    return run, summary


def _assert_run(inputs, run, summary, real_report, db_path, expected_seed):
    kinds = {item.name: item.kind for item in inputs}
    assert len(summary.loaded) + len(summary.unchanged) + len(summary.failed) == len(run)
    loaded = {r.filename for r in summary.loaded + summary.unchanged}
    failed = {f.path.name: f.message for f in summary.failed}
    assert real_report.name in loaded
    must_fail = {name for name, kind in kinds.items() if kind in hostile.MUST_FAIL}
    assert must_fail <= set(failed), f"loaded though unreadable: {sorted(must_fail - set(failed))[:5]}"
    errors = dict(_rows(db_path, "SELECT filename, message FROM load_errors"))
    assert set(errors) == set(failed)  # every failure recorded, nothing else
    for name, message in errors.items():
        assert re.match(rf"^(\w+: )?{re.escape(name)}: \S", message), message  # names the file and the reason
    assert not [m for m in errors.values() if "Traceback" in m or "\n" in m]
    questions = _rows(db_path, """SELECT count(*) FROM question_scores q JOIN documents d ON d.sha256 = q.document
        WHERE d.content_hash = (SELECT content_hash FROM documents WHERE sha256 = ?)""", [sha256_of(real_report)])
    assert questions == [(len(expected_seed["questions"]),)]  # the report's content once, whichever file holds it
    assert integrity(db_path) == "ok"
    return failed


def representative(inputs, paths, per_kind: int, whole_reports: int):
    """The first `per_kind` files of each kind (`whole_reports` of the bit-flipped whole reports, each a
    full extraction): every kind and its path through extraction and loading, in a fraction of the time."""
    taken: dict[str, int] = {}
    chosen = []
    for item, path in zip(inputs, paths):
        taken[item.kind] = taken.get(item.kind, 0) + 1
        if taken[item.kind] <= (whole_reports if item.kind == "flipped" else per_kind):
            chosen.append((item, path))
    return [item for item, _ in chosen], [path for _, path in chosen]


# The default run sweeps each kind's first 16 files (97 of them); the whole set (≥ 500) is marked slow.
SWEEPS = [pytest.param((16, 3, 90, 74), id="each-kind"),
          pytest.param((None, None, 500, 300), id="whole-set", marks=pytest.mark.slow)]


@pytest.mark.parametrize("sweep", SWEEPS)
def test_hostile_inputs_are_recorded_and_the_run_completes(hostile_set, sweep, real_report, expected_seed, tmp_path):
    per_kind, whole_reports, at_least, failing = sweep
    inputs, paths = hostile_set
    if per_kind is not None:
        inputs, paths = representative(inputs, paths, per_kind, whole_reports)
    assert len(inputs) >= at_least and {item.kind for item in inputs} == {item.kind for item in hostile_set[0]}
    db_path = tmp_path / "k.db"
    run, summary = _sweep(inputs, paths, real_report, db_path)
    failed = _assert_run(inputs, run, summary, real_report, db_path, expected_seed)
    assert len(failed) >= failing  # most hostile files cannot be read at all
    # A second run reads nothing already loaded and records each failure again (attempts counted).
    db = open_database(db_path)
    try:
        again = load_files(db, run, limits=LIMITS, workers=2)
    finally:
        db.close()
    assert len(again.loaded) == 0 and len(again.failed) == len(failed)
    assert _rows(db_path, "SELECT min(attempts), max(attempts) FROM load_errors") == [(2, 2)]


# Each kind's reason, read in a fresh process so no earlier document can colour the message.
REASONS = {
    "truncated-005.pdf": DamagedPdf, "encrypted-000.pdf": EncryptedPdf, "encrypted-001.pdf": EncryptedPdf,
    "encrypted-006.pdf": NotAReport, "zero_pages-000.pdf": DamagedPdf, "zero_pages-001.pdf": DamagedPdf,
    "many_pages-000.pdf": TooLarge, "many_pages-001.pdf": TooLarge, "nested-003.pdf": DamagedPdf,
    "nested-000.pdf": NoTextLayer, "cyclic-000.pdf": DamagedPdf, "huge_image-000.pdf": NoTextLayer,
    "huge_image-001.pdf": NoTextLayer, "not_pdf-000.pdf": NotAPdf, "html-000.pdf": NotAPdf,
    "empty-000.pdf": DamagedPdf, "blank_page-000.pdf": NoTextLayer,
}


@pytest.mark.parametrize("name", sorted(REASONS))
def test_each_kind_fails_with_its_reason(hostile_set, name):
    _, paths = hostile_set
    [path] = [p for p in paths if p.name == name]
    with pytest.raises(REASONS[name]) as raised:
        extract_in_subprocess(path, timeout_s=30, memory_mb=1024, target=extract_report)
    assert str(raised.value).startswith(f"{name}: ")


def test_reason_does_not_depend_on_the_previous_file(hostile_set):
    _, paths = hostile_set
    by_name = {p.name: p for p in paths}
    run = [by_name["encrypted-000.pdf"], by_name["zero_pages-000.pdf"]]
    outcomes = [o for _, o in analyse_guarded(run, LIMITS, target=extract_report)]
    assert [type(o) for o in outcomes] == [EncryptedPdf, DamagedPdf]


def test_kompass_load_reports_each_bad_file_on_one_line(hostile_set, real_report, tmp_path):
    inputs, paths = hostile_set
    sample = [p for item, p in zip(inputs, paths) if item.kind in hostile.MUST_FAIL][::12]
    db_path = tmp_path / "cli.db"
    result = subprocess.run(
        [sys.executable, "-m", "kompass", "load", *map(str, sample[:10]), str(real_report), *map(str, sample[10:]),
         "--db", str(db_path), "--workers", "2", "--timeout", "30", "--memory-mb", "1024"],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.splitlines()
    assert len(errors) == len(sample) and all(line.startswith("Error: ") for line in errors)
    assert f"1 loaded, 0 unchanged, {len(sample)} failed" in result.stdout
    assert _rows(db_path, "SELECT count(*) FROM load_errors") == [(len(sample),)]
    assert _rows(db_path, "SELECT id FROM evaluations WHERE document IS NOT NULL") == [("1982-2009",)]


@pytest.mark.slow
def test_full_hostile_set_with_many_bit_flipped_reports(real_report, expected_seed, tmp_path):
    inputs = hostile.hostile_inputs(real_report, seed=2009, truncated=400, flipped_small=400, flipped_full=200)
    paths = hostile.write_inputs(inputs, tmp_path / "hostile")
    db_path = tmp_path / "k.db"
    run, summary = _sweep(inputs, paths, real_report, db_path)
    _assert_run(inputs, run, summary, real_report, db_path, expected_seed)


# --- kill -9 in the middle of a load --------------------------------------------------------------

def _distinct_copies(real_report: Path, folder: Path, count: int) -> list[Path]:
    """The real report with a different comment after %%EOF: distinct documents, same content."""
    folder.mkdir()
    data = real_report.read_bytes()
    paths = []
    for number in range(count):
        path = folder / f"kopia-{number:02d}.pdf"
        path.write_bytes(data + b"%% kopia %d\n" % number)
        paths.append(path)
    return paths


def _kompass_load(paths: list[Path], db_path: Path) -> list[str]:
    return [sys.executable, "-m", "kompass", "load", *map(str, paths), "--db", str(db_path), "--workers", "1"]


def _count(db_path: Path, sql: str) -> int:
    try:
        conn = sqlite3.connect(db_path, timeout=0.2)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not created yet, or locked by the writer
        return 0


def table_contents(db_path: Path) -> dict[str, list[tuple]]:
    """Sorted rows of every ordinary table (full-text shadow tables, integer row ids and load times left out)."""
    from tests.test_db_support import content

    return content(db_path)


def test_kill_9_mid_load_then_rerun_completes_without_duplicates(real_report, tmp_path):
    import time

    paths = _distinct_copies(real_report, tmp_path / "pdfs", 6)
    db_path = tmp_path / "killed.db"
    loader = subprocess.Popen(_kompass_load(paths, db_path), cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(db_path, "SELECT count(*) FROM documents") < 2 and loader.poll() is None:
        assert time.monotonic() < deadline, "the loader made no progress"
        time.sleep(0.02)
    loader.kill()  # SIGKILL: no cleanup, possibly mid-transaction
    loader.wait(10)
    assert loader.returncode == -9, "the loader finished before it could be killed"
    partial = _count(db_path, "SELECT count(*) FROM documents")
    assert 2 <= partial < len(paths)
    assert integrity(db_path) == "ok"
    rerun = subprocess.run(_kompass_load(paths, db_path), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(paths) - partial} loaded, {partial} unchanged, 0 failed" in rerun.stdout
    reference = tmp_path / "reference.db"
    subprocess.run([*_kompass_load(paths, reference)[:-1], "2"], cwd=ROOT, check=True, capture_output=True,
                   timeout=300)  # the same command uninterrupted (a fresh process: the same code as the re-run)
    assert table_contents(db_path) == table_contents(reference)  # nothing lost, nothing twice
    with sqlite3.connect(db_path) as conn:
        for fts in ("sentences_fts", "findings_fts"):
            conn.execute(f"INSERT INTO {fts}({fts}) VALUES('integrity-check')")
    assert integrity(db_path) == "ok"
