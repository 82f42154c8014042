"""One document through extraction and tagging: what `load` and the flows consume."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extractors.pdftext import page_lines, read_pages
from extractors.prose import prose_sections
from extractors.records import ReportExtract, SentenceRecord
from extractors.report import EXTRACTOR_VERSION, extract_report


@dataclass
class Analysis:
    """The extract of one PDF plus its tagged prose sentences."""

    extract: ReportExtract
    sentences: list[SentenceRecord] = field(default_factory=list)
    extractor_version: str = EXTRACTOR_VERSION


def analyse(path: str | Path) -> Analysis:
    """Extract a report (with its good examples) and split its prose into sentences with lemmas."""
    from extractors.sentences import sentence_records

    extract = extract_report(path)
    sections = prose_sections(page_lines(read_pages(Path(path)).pages))
    return Analysis(extract=extract, sentences=sentence_records(sections))
