"""One document through extraction and tagging: what `load` and the flows consume."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from extractors.records import ReportExtract, SentenceRecord
from extractors.report import EXTRACTOR_VERSION, extract_with_prose

PACKAGE = Path(__file__).parent


@lru_cache(maxsize=1)
def analysis_version() -> str:
    """The extractor's declared version plus a fingerprint of its code and model.

    Caches and loads are keyed by this, so a change to the extraction or tagging code or model
    re-analyses documents even if nobody remembered to bump EXTRACTOR_VERSION.
    """
    digest = hashlib.sha256()
    sources = sorted(PACKAGE.glob("*.py")) + sorted(PACKAGE.glob("ocr/*.py")) + sorted(PACKAGE.glob("tables/*.py")) + \
        sorted(PACKAGE.glob("data/*.csv")) + \
        sorted(PACKAGE.glob("data/*.yml")) + \
        sorted(PACKAGE.glob("nlp/model/**/*.json"))
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return f"{EXTRACTOR_VERSION}+{digest.hexdigest()[:10]}"


@dataclass
class Analysis:
    """The extract of one PDF plus its tagged prose sentences."""

    extract: ReportExtract
    sentences: list[SentenceRecord] = field(default_factory=list)
    extractor_version: str = field(default_factory=analysis_version)


def analyse(path: str | Path, progress=None) -> Analysis:
    """Extract a report (with its good examples) and its prose sentences with lemmas, split once.

    `progress(step)` is called for each page OCR'd, if any."""
    extract, sentences = extract_with_prose(path, progress=progress)
    return Analysis(extract=extract, sentences=sentences)
