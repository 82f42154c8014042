"""The tagging stage, after extraction: the report's prose as sections and sentences, and the good
examples it cites. It is the only stage that loads the Swedish pipeline (spaCy)."""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.document import Document
from extractors.records import GoodExample, SentenceRecord


@dataclass
class TaggedProse:
    """What the tagging stage gives a report: its good examples, and its sentence records if asked for."""

    good_examples: list[GoodExample]
    sentences: list[SentenceRecord] = field(default_factory=list)


def prose_lines(document: Document) -> list[list[str]]:
    """Each page's lines in reading order (running headers and footers left out); unreadable pages empty."""
    return [[line.text for line in page.lines] if page.readable else [] for page in document.pages]


def tag_prose(lines_by_page: list[list[str]], kommun: str | None, kommunkod: str | None,
              with_sentences: bool = True) -> TaggedProse:
    """Split the prose into sections and sentences once; find the good examples, and (with
    `with_sentences`) every prose sentence with its lemmas."""
    from extractors.good_examples import find_good_examples
    from extractors.prose import prose_sections
    from extractors.sentences import prose_sentences, sentence_records

    sections = prose_sections(lines_by_page)
    sentences = list(prose_sentences(sections))
    examples = find_good_examples(sections, kommun, kommunkod, sentences=sentences)
    records = sentence_records(sections, sentences=sentences) if with_sentences else []
    return TaggedProse(examples, records)
