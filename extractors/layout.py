"""Words and lines with their positions: pdfplumber where tables matter, pypdfium2 where it is enough."""
from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium

from extractors.pdftext import normalise


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    """Words sharing a baseline band, left to right."""

    page: int
    words: list[Word] = field(default_factory=list)

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
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def plumber_words(page) -> list[Word]:
    """A pdfplumber page's words, normalised (NFC, bullets, ligatures)."""
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
    result = []
    for w in words:
        text = normalise(w["text"]).strip()
        if text:
            result.append(Word(text, w["x0"], w["x1"], w["top"], w["bottom"]))
    return result


def words_to_lines(words: list[Word], page: int) -> list[Line]:
    """Group words into lines: a word joins the line its vertical middle falls into."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        for line in reversed(lines[-3:]):
            if line.top - 1 <= middle <= line.bottom + 1:
                line.words.append(word)
                break
        else:
            lines.append(Line(page=page, words=[word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


@dataclass
class TextLine:
    """A line of pypdfium2 text with the left and right edge of its characters (PDF points)."""

    text: str
    x0: float
    x1: float
    top: float
    body_x0: float  # left edge of the first letter or digit (after a bullet, if any)


def pdfium_lines(document: pdfium.PdfDocument, index: int) -> tuple[list[TextLine], float]:
    """Lines of one page with positions, and the page height; cheap compared with pdfplumber."""
    page = document[index]
    height = page.get_height()
    textpage = page.get_textpage()
    raw = textpage.get_text_range()
    lines: list[TextLine] = []
    start = 0
    for part in raw.split("\r\n"):
        end = start + len(part)
        first = start + (len(part) - len(part.lstrip()))
        last = start + len(part.rstrip()) - 1
        if part.strip():
            body = next((i for i, ch in enumerate(part) if ch.isalnum() or ch in "\"”“'(«"), first - start)
            try:
                left, _, _, top = textpage.get_charbox(first)
                _, _, right, _ = textpage.get_charbox(last)
                body_left = textpage.get_charbox(start + body)[0]
            except Exception:  # noqa: BLE001 - a char without a box keeps the line without position
                left, right, top, body_left = 0.0, 0.0, 0.0, 0.0
            lines.append(TextLine(normalise(part), left, right, height - top, body_left))
        start = end + 2
    textpage.close()
    page.close()
    return lines, height
