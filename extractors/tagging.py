"""The tagging stage, after extraction: the report's prose as sections and sentences, and the good
examples it cites. It is the only stage that loads the Swedish pipeline (spaCy)."""
from __future__ import annotations

from extractors.document import Document
from extractors.records import ReportExtract


def prose_lines(document: Document) -> list[list[str]]:
    """Each page's lines in reading order (running headers and footers left out); unreadable pages empty."""
    return [[line.text for line in page.lines] if page.readable else [] for page in document.pages]


def tag_report(report: ReportExtract, document: Document):
    """Split the prose once, find the good examples (set on `report`), return (sections, sentences)."""
    from extractors.good_examples import find_good_examples
    from extractors.prose import prose_sections
    from extractors.sentences import prose_sentences

    sections = prose_sections(prose_lines(document))
    sentences = list(prose_sentences(sections))
    report.good_examples = find_good_examples(sections, report.kommun, report.kommunkod, sentences=sentences)
    return sections, sentences
