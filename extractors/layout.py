"""Positioned words and lines: the one representation every stage of extraction reads.

Coordinates are PDF points with the origin at the top left of the page as displayed (pdfplumber's
convention), whatever produced the words: the PDF's text layer or OCR.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    conf: float | None = None  # OCR confidence 0–100; None for a text layer
    alternatives: tuple[str, ...] = ()  # other readings OCR considered (number-like words)

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    """Words of one line, left to right. `marker` says what opened it as a list item, if anything."""

    page: int
    words: list[Word] = field(default_factory=list)
    marker: str | None = None  # "glyph" (a bullet character), "shape" (a drawn bullet) or None

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def height(self) -> float:
        return max(w.height for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def segments(self, settings: ExtractionSettings = DEFAULT_SETTINGS) -> list["Line"]:
        """The line cut at gaps wider than `segment_gap_em` text heights (cells, columns)."""
        parts: list[Line] = []
        for word in self.words:
            if parts and word.x0 - parts[-1].words[-1].x1 <= settings.segment_gap_em * max(word.height, 1.0):
                parts[-1].words.append(word)
            else:
                parts.append(Line(page=self.page, words=[word]))
        if parts:
            parts[0].marker = self.marker
        return parts


def same_line(a: Word, b: Word, settings: ExtractionSettings = DEFAULT_SETTINGS) -> bool:
    """Two words share a line when they overlap vertically by a good part of the smaller height."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= settings.line_overlap * max(min(a.height, b.height), 0.5)


def words_to_lines(words: list[Word], page: int, settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[Line]:
    """Group words into geometric lines (rows), top to bottom.

    A word joins the line whose first word it overlaps vertically by `line_overlap` of the smaller
    height; the band does not grow as words join, so a cell centred between two lines of its
    neighbour does not glue those two lines together.
    """
    share = settings.line_overlap
    lines: list[Line] = []
    anchors: list[tuple[float, float, float]] = []  # (top, bottom, height) of each line's first word
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        top, bottom = word.top, word.bottom
        height = bottom - top
        best, best_overlap = -1, 0.0
        for index in range(max(0, len(lines) - 4), len(lines)):
            anchor_top, anchor_bottom, anchor_height = anchors[index]
            overlap = min(anchor_bottom, bottom) - max(anchor_top, top)
            if overlap >= share * max(min(anchor_height, height), 0.5) and overlap > best_overlap:
                best, best_overlap = index, overlap
        if best < 0:
            lines.append(Line(page=page, words=[word]))
            anchors.append((top, bottom, height))
        else:
            lines[best].words.append(word)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    order = sorted(range(len(lines)), key=lambda i: anchors[i][0])
    return [lines[i] for i in order]
