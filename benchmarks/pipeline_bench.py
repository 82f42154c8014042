"""The whole pipeline over a generated corpus, as a user runs it: `kompass load --workers 2`.

The first run extracts, tags and loads every report (each in a bounded worker process); the
second run over the same files must find nothing to do. Both are timed as wall-clock time of the
real command, Python start-up included.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

from tests.synthetic.generate import generate

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"(\d+) loaded, (\d+) unchanged, (\d+) failed")


def generate_corpus(folder: Path, count: int = 100, seed: int = 0) -> tuple[list[Path], float]:
    """Write `count` synthetic reports into `folder`; returns their paths and the seconds it took."""
    start = time.perf_counter()
    pdfs = generate(folder, count, seed=seed, wording="seed")
    return pdfs, time.perf_counter() - start


def page_count(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        document = pdfium.PdfDocument(str(path))
        total += len(document)
        document.close()
    return total


def run_load(pdfs: list[Path], db_path: Path, workers: int) -> tuple[float, tuple[int, int, int]]:
    """Wall time of `kompass load` over the files, and its (loaded, unchanged, failed) counts."""
    command = [sys.executable, "-m", "kompass", "load", *map(str, pdfs), "--db", str(db_path),
               "--workers", str(workers)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    found = SUMMARY.search(result.stdout)
    if not found:
        raise RuntimeError(f"kompass load gave no summary (exit {result.returncode}): {result.stderr[-500:]}")
    return seconds, tuple(int(n) for n in found.groups())


def bench_pipeline(pdfs: list[Path], db_path: Path, workers: int = 2) -> dict[str, float]:
    """First run (everything new) and second run (nothing new) of the real command."""
    pages = page_count(pdfs)
    first_s, (loaded, _, failed) = run_load(pdfs, db_path, workers)
    noop_s, (reloaded, unchanged, _) = run_load(pdfs, db_path, workers)
    return {
        "reports": len(pdfs), "report_pages": pages, "workers": workers,
        "pipeline_s": round(first_s, 2), "pipeline_pages_per_s": round(pages / first_s, 1),
        "pipeline_loaded": loaded, "pipeline_failed": failed,
        "noop_s": round(noop_s, 2), "noop_reloaded": reloaded, "noop_unchanged": unchanged,
    }
