"""`kompass serve` under load (issue 22): the figures of tests/test_reliability_floods.py, printed.

A database of the bundled report and a 50 MB copy of it (made in a temporary folder) served by the real
`kompass serve` on 127.0.0.1; then, one after the other: 20 parallel downloads of the 50 MB PDF, 20 clients
sending 16,000-letter words (findings_with_word and kompass_fts), and 50 clients on a mixed load of pages
and queries (one request in three with a cookie, so the page cache cannot answer it). For each: the
server's RSS before, at peak and after, and the p95 of `select 1` during it.

BENCH_SERVER_SECONDS (default 20) sets how long the search flood and the mixed load run; the reliability
suite runs the mixed load for 60 s. `python -m benchmarks.server_bench [SECONDS]` runs it alone.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.flood_support import mixed_pages, padded_pdf, run_flood, sha256_of
from tests.serving_support import KOMPASS, ROOT, kompass_serve

BUNDLED = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"
SECONDS = float(os.environ.get("BENCH_SERVER_SECONDS", "20"))
PDF_BYTES = 50_000_000
DATABASE = "kommunkompassen"


def _rss(figures: dict) -> str:
    return (f"RSS {figures['rss_before_mb']:.0f} → peak {figures['rss_peak_mb']:.0f} → after "
            f"{figures['rss_after_mb']:.0f} MB, select 1 p95 {figures['probe_p95_s']} s (load {figures['load_1min']})")


def server_figures(seconds: float = SECONDS) -> dict:
    from db.bench import sample_parameters

    with tempfile.TemporaryDirectory(prefix="kompass-serve-bench-") as tmp:
        folder = Path(tmp)
        big = padded_pdf(BUNDLED, folder / "stor-rapport.pdf", PDF_BYTES)
        db_path = folder / f"{DATABASE}.db"
        subprocess.run([*KOMPASS, "load", str(BUNDLED), str(big), "--db", str(db_path)], cwd=ROOT, check=True,
                       capture_output=True, timeout=600)
        with kompass_serve(db_path, output=folder / "serve.log") as (base, process):
            pdf = run_flood("pdf", base, process.pid, database=DATABASE, sha=sha256_of(big),
                            size=big.stat().st_size, clients=20)
            print(f"server, 20 parallel downloads of a 50 MB PDF: {pdf['downloads']} whole, {pdf['errors']} errors, "
                  f"{pdf['busy_503']} × 503, {pdf['elapsed_s']} s; {_rss(pdf)}")
            search = run_flood("search", base, process.pid, database=DATABASE, clients=20, seconds=seconds)
            print(f"server, 20 clients × {seconds:g} s sending 16,000-letter words: {search['requests']} requests, "
                  f"{search['errors']} errors; {_rss(search)}")
            pages = mixed_pages(DATABASE, "1982-2009", sample_parameters(db_path))
            mixed = run_flood("mixed", base, process.pid, database=DATABASE, pages=pages, clients=50,
                              seconds=seconds)
            print(f"server, 50 clients × {seconds:g} s mixed pages and queries: {mixed['requests']} requests "
                  f"({mixed['requests_per_s']}/s, {mixed['cache_hits']} from the page cache), {mixed['errors']} "
                  f"errors, p50 {mixed['p50_s']} s, p95 {mixed['p95_s']} s; {_rss(mixed)}")
            print("  slowest pages (p95 s): " + ", ".join(f"{page} {p95}" for p95, page in mixed["slowest_pages_p95"]))
        said = (folder / "serve.log").read_text(errors="replace")
        tracebacks = said.count("Traceback")
    figures = {"serve_tracebacks": tracebacks}
    for name, flood in (("pdf", pdf), ("search", search), ("mixed", mixed)):
        figures.update({f"serve_{name}_rss_before_mb": flood["rss_before_mb"],
                        f"serve_{name}_rss_peak_mb": flood["rss_peak_mb"],
                        f"serve_{name}_rss_after_mb": flood["rss_after_mb"],
                        f"serve_{name}_select1_p95_s": flood["probe_p95_s"], f"serve_{name}_load": flood["load_1min"]})
    figures.update(serve_mixed_p50_s=mixed["p50_s"], serve_mixed_p95_s=mixed["p95_s"],
                   serve_mixed_errors=mixed["errors"], serve_mixed_requests_per_s=mixed["requests_per_s"],
                   serve_search_errors=search["errors"], serve_pdf_errors=pdf["errors"])
    return figures


if __name__ == "__main__":
    result = server_figures(float(sys.argv[1]) if len(sys.argv) > 1 else SECONDS)
    print(" ".join(f"{key}={value}" for key, value in result.items()))
