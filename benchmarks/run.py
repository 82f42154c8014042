"""`make bench`: every benchmark in one run; the last line carries the figures as key=value pairs."""
from __future__ import annotations

from pathlib import Path

from benchmarks.extract_bench import bench_extraction

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"


def main() -> None:
    figures = bench_extraction([BUNDLED], repeats=5)
    print(f"bundled report ({figures['pages']} pages): extraction {figures['extract_s']} s, "
          f"pdfplumber text of every page {figures['pdfplumber_text_s']} s, "
          f"pypdfium2 text {figures['pypdfium2_text_s']} s")
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
