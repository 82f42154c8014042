"""Extraction speed beside pdfplumber's and pypdfium2's plain text extraction of every page."""
from __future__ import annotations

import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from extractors.report import extract_report


def _best_of(repeats: int, func) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def pdfplumber_all_pages(paths: list[Path]) -> None:
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()


def pypdfium2_all_pages(paths: list[Path]) -> None:
    for path in paths:
        document = pdfium.PdfDocument(str(path))
        for index in range(len(document)):
            document[index].get_textpage().get_text_range()
        document.close()


def extract_all(paths: list[Path]) -> None:
    from extractors.swedish import forget_tagged

    for path in paths:
        forget_tagged()  # each report read as a worker's first: no sentence of it in the cache of tagged ones
        extract_report(path)


def bench_extraction(paths: list[Path], repeats: int = 3) -> dict[str, float]:
    """Best-of-N seconds for our extraction, pdfplumber text and pypdfium2 text on the same files."""
    extract_all(paths[:1])  # warm imports and caches
    ours = _best_of(repeats, lambda: extract_all(paths))
    plumber = _best_of(repeats, lambda: pdfplumber_all_pages(paths))
    floor = _best_of(repeats, lambda: pypdfium2_all_pages(paths))
    pages = 0
    for path in paths:
        document = pdfium.PdfDocument(str(path))
        pages += len(document)
        document.close()
    return {
        "files": len(paths),
        "pages": pages,
        "extract_s": round(ours, 3),
        "pdfplumber_text_s": round(plumber, 3),
        "pypdfium2_text_s": round(floor, 3),
        "ratio_to_pdfplumber": round(ours / plumber, 3),
        "ratio_to_pypdfium2": round(ours / floor, 1),
        "pages_per_s": round(pages / ours, 1),
    }
