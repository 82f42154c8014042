"""Every prose sentence of a report with its page, area and lemmas (for full-text search)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

import extractors.spacy_light  # noqa: F401  (before spaCy: leaves its command line out)
from spacy.language import Language
from spacy.tokens import Span

from extractors.prose import Section
from extractors.records import SentenceRecord
from extractors.swedish import fast_doc

MIN_LETTERS = 3
HEADING_MAX_WORDS = 5
SENTENCE_END = ".!?:;…"


@dataclass
class ProseSentence:
    """One sentence found by the fast path: its section, character offset there, and the span."""

    section: Section
    offset: int
    span: Span

    @cached_property
    def page(self) -> int:
        return self.section.page_at(self.offset)

    @cached_property
    def text(self) -> str:
        return " ".join(self.span.text.split())


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, paragraph) for each line of a section's text."""
    offset = 0
    for paragraph in text.split("\n"):
        if paragraph.strip():
            yield offset, paragraph
        offset += len(paragraph) + 1


def prose_sentences(sections: list[Section], nlp: Language | None = None) -> Iterator[ProseSentence]:
    """Sentences of every section (rule-based boundaries; abbreviations never end a sentence)."""
    for section in sections:
        for offset, paragraph in paragraphs(section.text):
            doc = fast_doc(paragraph, nlp)
            for sent in doc.sents:
                if sum(ch.isalpha() for ch in sent.text) >= MIN_LETTERS:
                    yield ProseSentence(section, offset + sent.start_char, sent)


def is_heading(sentence: ProseSentence) -> bool:
    """A heading, not a sentence: a short line of its own without a closing mark ("Medborgardialog",
    "Sammanfattning område 1"). Kept out of the sentence records, where one word would rank first."""
    span = sentence.span
    if span.start != 0 or span.end != len(span.doc):
        return False
    text = sentence.text.rstrip(" )\"”'")
    words = [t for t in span if t.is_alpha or t.like_num]
    return bool(text) and text[-1] not in SENTENCE_END and len(words) <= HEADING_MAX_WORDS


def lemma_string(span: Span) -> str:
    """Space-joined lemmas of a span's words (punctuation left out), lower-cased."""
    return " ".join(t.lemma_.lower() for t in span if not (t.is_punct or t.is_space))


def sentence_records(sections: list[Section], nlp: Language | None = None,
                     sentences: list[ProseSentence] | None = None) -> list[SentenceRecord]:
    """Every prose sentence with page, area, text and its lemmas (space-joined); headings left out.

    Pass `sentences` (from `prose_sentences`) to reuse a split already made for good examples.
    """
    if sentences is None:
        sentences = list(prose_sentences(sections, nlp))
    return [SentenceRecord(page=s.page, area=s.section.area, text=s.text, lemmas=lemma_string(s.span))
            for s in sentences if not is_heading(s)]
