"""A page's geometric rows parsed into label and number cells, and the `AreaMatrix` a table reading gives.

`parse_row` splits a row into an area-number prefix, label words and trailing number cells (a bullet
before the label and a doubted OCR speck after it dropped); the `text` strategy
(`tables.text_strategy`) builds cell grids from these rows and the comparison table's
municipality rows are read from them. `AreaMatrix` is eight area rows by their number columns, with
each column's header: what a reading of a grid (`tables.reading`) gives, whichever strategy made it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.layout import Line, Word
from extractors.markers import GLYPHS
from extractors.numbers import bare_number, is_empty_cell, is_number_token, is_unreadable_cell, without_units
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings
from extractors.vocabulary import VOCABULARY

_AREA_NUMBER = re.compile(r"^([1-8])[.:)]?$")
_LETTER = re.compile(r"[A-Za-zÅÄÖåäöÉé]")


@dataclass
class Row:
    """One geometric row of a page split into an area-number prefix, label words and number cells."""

    line: Line
    prefix: int | None
    label: list[Word]
    cells: list[Word]  # trailing numbers and empty-cell dashes, left to right
    dropped: list[Word] = field(default_factory=list)  # a bullet before the label, a doubted speck after it

    @property
    def kept_words(self) -> list[Word]:
        """The row's words but a bullet before its label and a doubted speck after it."""
        if not self.dropped:
            return self.line.words
        dropped = {id(w) for w in self.dropped}
        return [w for w in self.line.words if id(w) not in dropped]

    @property
    def label_text(self) -> str:
        return " ".join(w.text for w in self.label)

    @property
    def page(self) -> int:
        return self.line.page


@dataclass
class AreaMatrix:
    """Eight area rows by some number columns, with the header text over each column."""

    kind: str  # "names" (rows labelled by area names) or "numbers" (rows labelled 1–8)
    generation: str | None  # the generation whose names the labels are (None for numbered rows)
    labels: dict[int, str]
    columns: list[str]  # header text of each number column ("" when none)
    values: dict[int, list[float | None]]  # area → one value per column
    signed: list[bool]  # a column written with signs (+16, -3): changes
    total: list[float | None] | None
    pages: dict[int, int]  # area → page of its numbers
    first_page: int
    caption: str | None = None
    label_similarity: float = 1.0
    boxes: dict[int, tuple[float, float, float, float]] = field(default_factory=dict)  # page → x0, top, x1, bottom
    column_ranges: list[tuple[float, float]] = field(default_factory=list)
    cell_words: dict[int, list[Word | None]] = field(default_factory=dict)  # area → the word of each value
    total_words: list[Word | None] | None = None


def parse_row(line: Line) -> Row:
    """A row's area number, label and number cells; a bullet before the label (a table row set as a list
    item, or a speck OCR took for one) and a doubted word far after it are no part of it."""
    dropped: list[Word] = []
    if len(line.words) > 1 and len(line.words[0].text) == 1 and line.words[0].text in GLYPHS:
        dropped.append(line.words[0])
        line = Line(line.page, line.words[1:])
    words = [w for w in line.words if w.text != "%"]
    words = [_bare(words[i]) for i in without_units([w.text for w in words])]
    cut = len(words)
    while cut > 0 and (is_number_token(words[cut - 1].text) or is_empty_cell(words[cut - 1].text)
                       or (is_unreadable_cell(words[cut - 1]) and cut >= 2
                           and is_number_token(words[cut - 2].text))):  # an OCR'd cell between numbers
        cut -= 1
    label, cells = words[:cut], words[cut:]
    while len(label) > 1 and _stray_after(label[-2], label[-1]):
        dropped.append(label[-1])
        label = label[:-1]
    prefix = None
    if label and _AREA_NUMBER.match(label[0].text) and len(label) > 1 and _LETTER.match(label[1].text):
        prefix, label = int(_AREA_NUMBER.match(label[0].text).group(1)), label[1:]
    elif len(label) >= 2 and VOCABULARY.area_prefixes.whole(label[0].text) and _AREA_NUMBER.match(label[1].text):
        prefix, label = int(_AREA_NUMBER.match(label[1].text).group(1)), label[2:]
    elif len(label) == 1 and VOCABULARY.area_prefixes.whole(label[0].text) and cells and _AREA_NUMBER.match(cells[0].text):
        prefix, label, cells = int(cells[0].text[0]), [], cells[1:]
    return Row(line, prefix, label, cells, dropped)


def _bare(word: Word) -> Word:
    text = bare_number(word.text)
    return word if text == word.text else replace(word, text=text)


def _stray_after(before: Word, word: Word, settings: ExtractionSettings = DEFAULT_SETTINGS) -> bool:
    """A word OCR doubted, standing a cell's width away from the label it would end ('politiker och
    tjänstemän … se'): a speck in the gap before the numbers, not part of the label."""
    return word.conf is not None and word.conf < settings.ocr_doubt_confidence and \
        word.x0 - before.x1 > settings.segment_gap_em * max(word.height, before.height, 1.0)


def document_rows(pages) -> list[Row]:
    """Every page's geometric rows, in page order, parsed."""
    rows = []
    for page in pages:
        rows.extend(parse_row(line) for line in page.rows)
    return rows


def is_caption(text: str) -> bool:
    return bool(VOCABULARY.area_table.captions.starts(text) or VOCABULARY.comparison_table.captions.starts(text))


def is_prose(line: Line) -> bool:
    """A running line of text, not a row of header cells: long, mostly lower-case words, and no gap
    wider than a couple of spaces."""
    words = line.words
    if sum(len(w.text) for w in words) + len(words) - 1 <= 60:
        return False
    if sum(1 for w in words if w.text[:1].islower()) < 0.5 * len(words):
        return False
    height = line.height
    return all(b.x0 - a.x1 < 1.2 * height for a, b in zip(words, words[1:]))
