"""The whole pipeline over a generated corpus, as a user runs it: `kompass load --workers 2`, and beside
it `kompass process --workers 2` (the Prefect flow, the analysis on a local Dask cluster).

The first run extracts, tags and loads every report (each in a bounded worker process); the
second run over the same files must find nothing to do. Each is timed as wall-clock time of the
real command, Python start-up included (for `process`: Prefect's temporary server and the cluster's start).
"""
from __future__ import annotations

import os
import re
import shutil
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


def run_process(corpus: Path, db_path: Path, workers: int, results: Path) -> tuple[float, tuple[int, int, int]]:
    """Wall time of `kompass process --workers N` over a corpus folder, and its (loaded, unchanged, failed) counts.

    Prefect's results go to a fresh folder, so no analysis cached by an earlier run (of `make bench` or of the
    user) is found: every report is analysed on the cluster. Prefect's own home stays as it is (a fresh one
    would add the creation of its database to the figure)."""
    command = [sys.executable, "-m", "kompass", "process", "--corpus", str(corpus), "--db", str(db_path),
               "--workers", str(workers)]
    env = dict(os.environ, PREFECT_RESULTS_LOCAL_STORAGE_PATH=str(results))
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    seconds = time.perf_counter() - start
    found = SUMMARY.search(result.stdout)
    if not found:
        raise RuntimeError(f"kompass process gave no summary (exit {result.returncode}): {result.stderr[-500:]}")
    return seconds, tuple(int(n) for n in found.groups())


def bench_process(pdfs: list[Path], folder: Path, workers: int = 2) -> dict[str, float]:
    """`kompass process --workers N` over the same reports, in a corpus folder of their own and a fresh database."""
    corpus = folder / "process-corpus"
    corpus.mkdir(parents=True)
    for pdf in pdfs:
        try:
            os.link(pdf, corpus / pdf.name)
        except OSError:
            shutil.copyfile(pdf, corpus / pdf.name)
    pages = page_count(pdfs)
    seconds, (loaded, _, failed) = run_process(corpus, folder / "process.db", workers, folder / "prefect-results")
    return {"process_workers": workers, "process_s": round(seconds, 2),
            "process_pages_per_s": round(pages / seconds, 1), "process_loaded": loaded, "process_failed": failed}
