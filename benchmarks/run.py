"""`make bench`: every benchmark in one run; the last line carries the figures as key=value pairs.

1. The bundled real report: extraction beside pdfplumber and pypdfium2 text of every page.
2. 100 generated reports (in a temporary folder): `kompass load --workers 2` end to end
   (extract, tag, load), then the same command again (nothing new); beside it `kompass process
   --workers 2` (the Prefect flow, the analysis on a local Dask cluster) into a database of its own.
3. Extraction beside pdfplumber / pypdfium2 text on a sample of those reports (one process each).
4. Databases of 1,000 and 10,000 evaluations (BENCH_QUERY_SIZES): the 95th-percentile time of each canned
   query, the SQL before the precomputed aggregates beside the SQL now, and through Datasette
   (`benchmarks/query_scale.py`).
5. The Swedish NLP on the bundled report's prose: tagger words per second, and the tagger-free path;
   good examples' precision and recall on the hand-marked development set (tests/data/good_examples_dev.tsv)
   and on the held-out set (tests/data/good_examples_holdout.tsv, never used to tune the cues).
6. OCR (Tesseract): pages per second of a whole-process `kompass extract` of the external 150-dpi scan
   (a scan of the bundled report made here when ../shared/external is absent), cold and from the cache.
   Beside it, the per-stage profile of that report (read, rows, grids, tables, summary, findings,
   assemble, tagging, load; `benchmarks/stage_bench.py`).
7. Start-up as whole processes: `kompass --help`, and `kompass extract` of the bundled report beside
   pdfplumber's text of every page (median of interleaved runs).
8. `kompass serve` under floods (benchmarks/server_bench.py): 20 downloads of a 50 MB PDF, 20 clients sending
   16,000-letter words, 50 clients on mixed pages (p50/p95); RSS before/peak/after and `select 1` p95 under
   each (BENCH_SERVER_SECONDS, default 20 s per flood).
9. The test suite as `make test` runs it: wall time (target ≤ 5 min), the sum of test durations and the
   15 slowest tests (`benchmarks/suite_bench.py`); BENCH_SUITE=0 leaves it out.
"""
from __future__ import annotations

import json
import os
import platform
import tempfile
from pathlib import Path

from benchmarks.extract_bench import bench_extraction
from benchmarks.good_examples_bench import good_example_figures
from benchmarks.nlp_bench import bench_report_nlp, bench_tagging, report_texts
from benchmarks.ocr_bench import ocr_figures
from benchmarks.pipeline_bench import bench_pipeline, bench_process, generate_corpus
from benchmarks.query_bench import build_database
from benchmarks.query_scale import report
from benchmarks.server_bench import server_figures
from benchmarks.stage_bench import print_profile, stage_profile
from benchmarks.startup_bench import bench_startup
from benchmarks.suite_bench import bench_suite

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"
REPORTS = int(os.environ.get("BENCH_REPORTS", "100"))
EVALUATIONS = int(os.environ.get("BENCH_EVALUATIONS", "1000"))
# Canned queries are timed at these sizes (10,000 takes about ten times as long to build as 1,000).
QUERY_SIZES = [int(n) for n in os.environ.get("BENCH_QUERY_SIZES", f"{EVALUATIONS} 10000").split()]
TEXT_SAMPLE = 6  # pdfplumber reads 6–15 pages/s: every page of 100 reports would take minutes
WORKERS = 2


def machine() -> str:
    return f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def bundled_figures() -> dict:
    figures = bench_extraction([BUNDLED], repeats=5)
    print(f"bundled report ({figures['pages']} pages): extraction {figures['extract_s']} s, "
          f"pdfplumber text of every page {figures['pdfplumber_text_s']} s, "
          f"pypdfium2 text {figures['pypdfium2_text_s']} s = {figures['ratio_to_pdfplumber']}× pdfplumber "
          f"(target ≤ 0.25×), {figures['ratio_to_pypdfium2']}× pypdfium2 (target ≤ 5×)")
    stages = stage_profile(BUNDLED)
    print_profile("bundled report", stages)
    figures.update({f"stage_{name}_ms": round(seconds * 1000, 1) for name, seconds in stages.items()})
    return figures


def corpus_figures(folder: Path) -> tuple[dict, list[Path]]:
    pdfs, generate_s = generate_corpus(folder / "reports", REPORTS)
    print(f"generated {len(pdfs)} reports in {generate_s:.1f} s")
    figures = bench_pipeline(pdfs, folder / "pipeline.db", WORKERS)
    print(f"pipeline (kompass load --workers {WORKERS}): {figures['reports']} reports, {figures['report_pages']} "
          f"pages in {figures['pipeline_s']} s = {figures['pipeline_pages_per_s']} pages/s "
          f"({figures['pipeline_loaded']} loaded, {figures['pipeline_failed']} failed); "
          f"no-op re-run {figures['noop_s']} s ({figures['noop_unchanged']} unchanged)")
    if figures["noop_reloaded"]:
        print(f"warning: the re-run analysed {figures['noop_reloaded']} reports again: the extractor's code "
              "fingerprint changed between the runs (files edited meanwhile?), so noop_s is not a no-op time")
    figures.update(process_figures(pdfs, folder, figures))
    sample = pdfs[:: max(1, len(pdfs) // TEXT_SAMPLE)][:TEXT_SAMPLE]
    text = bench_extraction(sample, repeats=1)
    print(f"sample of {text['files']} reports ({text['pages']} pages), one process: extraction "
          f"{text['extract_s']} s, pdfplumber text {text['pdfplumber_text_s']} s, "
          f"pypdfium2 text {text['pypdfium2_text_s']} s")
    figures.update({f"corpus_{key}": value for key, value in text.items()})
    return figures, pdfs


def process_figures(pdfs: list[Path], folder: Path, load: dict) -> dict:
    """`kompass process --workers 2` over the same reports, printed beside `kompass load --workers 2`."""
    figures = bench_process(pdfs, folder, WORKERS)
    print(f"pipeline (kompass process --workers {WORKERS}, local Dask cluster): {len(pdfs)} reports in "
          f"{figures['process_s']} s = {figures['process_pages_per_s']} pages/s ({figures['process_loaded']} loaded, "
          f"{figures['process_failed']} failed) beside kompass load --workers {WORKERS}: {load['pipeline_s']} s")
    return figures


def query_figures(folder: Path, pdfs: list[Path]) -> dict:
    """Canned queries at each size of QUERY_SIZES: the old SQL beside the new, and the new through Datasette."""
    templates = [json.loads(pdf.with_name(pdf.stem + ".expected.json").read_text(encoding="utf-8")) for pdf in pdfs]
    figures = {}
    for size in QUERY_SIZES:
        path = folder / f"evaluations-{size}.db"
        built = build_database(path, templates, size)
        print(f"database of {built['db_evaluations_reported']} evaluations ({built['db_evaluations_all']} with those "
              f"quoted in comparison tables, {built['db_sentences']} sentences) built in {built['db_build_s']} s")
        times = report(size, built, path, repeats=40)
        served = {key: value for key, value in times.items() if key.endswith("_datasette_p95_ms")}
        figures.update({f"q{size}_db_build_s": built["db_build_s"], **times,
                        f"q{size}_max_p95_ms": max(served.values(), default=None)})
        if size == EVALUATIONS:  # the figures of earlier rounds, under their old names
            figures.update({**built, "q_max_p95_ms": max(served.values(), default=None),
                            **{f"q_{key[len(f'q{size}_'):-len('_datasette_p95_ms')]}_p95_ms": value
                               for key, value in served.items()}})
    return figures


def nlp_figures() -> dict:
    tagging = bench_tagging(report_texts(BUNDLED))
    per_report = bench_report_nlp(BUNDLED)
    print(f"Swedish NLP on the bundled report ({tagging['words']} words): tagger {tagging['words_per_second']} "
          f"words/s, tagger-free path {tagging['fast_words_per_second']} words/s; sentences and good examples "
          f"{per_report['nlp_s_per_report']} s per report")
    return {"nlp_words": tagging["words"], "nlp_tagger_words_per_s": tagging["words_per_second"],
            "nlp_fast_words_per_s": tagging["fast_words_per_second"],
            "nlp_s_per_report": per_report["nlp_s_per_report"]}


def startup_figures() -> dict:
    figures = bench_startup(BUNDLED)
    print(f"start-up (whole processes, median): kompass --help {figures['help_s']} s (target ≤ 0.3 s); "
          f"kompass extract {figures['extract_process_s']} s vs pdfplumber text of every page "
          f"{figures['pdfplumber_process_s']} s = {figures['extract_process_ratio']}× wall-clock (target ≤ 0.5×), "
          f"{figures['extract_process_cpu_s']} s vs {figures['pdfplumber_process_cpu_s']} s = "
          f"{figures['extract_process_cpu_ratio']}× CPU time")
    return figures


def main() -> None:
    print(f"machine: {machine()}")
    figures = startup_figures()
    figures.update(bundled_figures())
    figures.update(nlp_figures())
    figures.update(good_example_figures())
    figures.update(ocr_figures())
    with tempfile.TemporaryDirectory(prefix="kompass-bench-") as tmp:
        pipeline, pdfs = corpus_figures(Path(tmp))
        figures.update(pipeline)
        figures.update(query_figures(Path(tmp), pdfs))
    figures.update(server_figures())
    if os.environ.get("BENCH_SUITE", "1") != "0":
        figures.update(bench_suite())
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
