"""One document through extraction and tagging: what `load` and the flows consume."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extractors.records import ReportExtract, SentenceRecord
from extractors.report import EXTRACTOR_VERSION, extract_report


@dataclass
class Analysis:
    """The extract of one PDF plus its tagged prose sentences."""

    extract: ReportExtract
    sentences: list[SentenceRecord] = field(default_factory=list)
    extractor_version: str = EXTRACTOR_VERSION


def analyse(path: str | Path) -> Analysis:
    """Extract a report and tag its sentences (tagging lands with the NLP stage)."""
    return Analysis(extract=extract_report(path))
