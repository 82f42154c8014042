"""A justified paragraph that hyphenates words at line ends, as a word processor does.

Only words made of letters alone are split (never at an existing hyphen, never leaving fewer
than three letters on either side, never leaving a tail that reads as a conjunction), before a
consonant that is followed by a vowel ("för-bättringsområden", "kompe-tensutveckling").
"""
from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

VOWELS = set("aeiouyåäöéAEIOUYÅÄÖÉ")
_TAIL_STOPWORDS = {"och", "som", "men", "till", "samt", "eller"}
_TRAILING = ".,:;!?)”\""
MIN_WORD = 7
ONSETS = {"bl", "br", "dr", "fl", "fr", "gl", "gr", "kl", "kr", "kv", "pl", "pr", "sk", "sl", "sm", "sn", "sp",
          "st", "sv", "tr", "tj"}


def hyphen_points(word: str) -> list[int]:
    """Indices where `word` may be split (head = word[:i]), shortest head first."""
    core = word.rstrip(_TRAILING)
    if len(core) < MIN_WORD or not core.isalpha():
        return []
    points = []
    for i in range(3, len(core) - 2):
        if core[i] in VOWELS or core[i + 1] not in VOWELS:
            continue
        if core[i - 1] not in VOWELS and core[i - 1:i + 1].lower() in ONSETS:
            i -= 1  # keep "pr", "st", … together: "service-produktion", not "servicep-roduktion"
        if i >= 3:
            tail = word[i:]
            if tail.rstrip(_TRAILING).casefold() not in _TAIL_STOPWORDS and i not in points:
                points.append(i)
    return points


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy line breaking; a word that does not fit is hyphenated when a split fits."""
    words = text.split()
    lines: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if measure(" ".join(current + [word])) <= width:
            current.append(word)
            i += 1
            continue
        head = _fitting_head(word, current, width, measure)
        if head:
            lines.append(" ".join(current + [word[:head] + "-"]))
            words[i] = word[head:]
            current = []
            continue
        if not current:  # a single word wider than the line
            lines.append(word)
            i += 1
            continue
        lines.append(" ".join(current))
        current = []
    if current:
        lines.append(" ".join(current))
    return lines


def _fitting_head(word: str, current: list[str], width: float, measure: Callable[[str], float]) -> int:
    best = 0
    for point in hyphen_points(word):
        if measure(" ".join(current + [word[:point] + "-"])) <= width:
            best = point
    return best


class HyphenatedParagraph(Flowable):
    """Justified, hyphenated text; optional hanging bullet. Splits across frames by lines."""

    def __init__(self, text: str, font: str, size: float, leading: float, *, bullet: str | None = None,
                 indent: float = 0, space_after: float = 4, justify: bool = True, lines: list[str] | None = None,
                 ends_paragraph: bool = True):
        super().__init__()
        self.text, self.font, self.size, self.leading = text, font, size, leading
        self.bullet, self.indent, self.space_after, self.justify = bullet, indent, space_after, justify
        self.lines = lines
        self.ends_paragraph = ends_paragraph
        self._width = 0.0

    def _measure(self, text: str) -> float:
        return stringWidth(text, self.font, self.size)

    def wrap(self, avail_width, avail_height):
        self._width = avail_width
        if self.lines is None:
            self.lines = break_lines(self.text, avail_width - self.indent, self._measure)
        extra = self.space_after if self.ends_paragraph else 0
        self.height = len(self.lines) * self.leading + extra
        return avail_width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.leading)
        if fit < 2 or fit >= len(self.lines):
            return []
        first = self._copy(self.lines[:fit], self.bullet, ends=False)
        rest = self._copy(self.lines[fit:], None, ends=self.ends_paragraph)
        return [first, rest]

    def _copy(self, lines: list[str], bullet: str | None, ends: bool) -> HyphenatedParagraph:
        part = HyphenatedParagraph(self.text, self.font, self.size, self.leading, bullet=bullet, indent=self.indent,
                                   space_after=self.space_after, justify=self.justify, lines=lines, ends_paragraph=ends)
        part._last_is_end = ends
        return part

    def draw(self):
        canvas = self.canv
        y = self.height - (self.space_after if self.ends_paragraph else 0) - self.size
        if self.bullet:
            canvas.setFont(self.font, self.size)
            canvas.drawString(0, y, self.bullet)
        available = self._width - self.indent
        for index, line in enumerate(self.lines):
            last = index == len(self.lines) - 1 and self.ends_paragraph
            text = canvas.beginText(self.indent, y)
            text.setFont(self.font, self.size)
            gaps = line.count(" ")
            if self.justify and not last and gaps:
                text.setWordSpace((available - self._measure(line)) / gaps)
            text.textLine(line)
            canvas.drawText(text)
            y -= self.leading
