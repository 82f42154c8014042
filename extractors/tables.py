"""Helpers shared by the table readers: numeric cells, column clusters, header words."""
from __future__ import annotations

from dataclasses import dataclass

from extractors.layout import Line, Word
from extractors.numbers import is_number_token, is_year, parse_number


def numeric_words(line: Line) -> list[Word]:
    return [w for w in line.words if is_number_token(w.text) and w.text != "%"]


def trailing_numbers(line: Line) -> tuple[list[Word], list[Word]]:
    """Split a line into its label words and the run of number words that ends it."""
    words = [w for w in line.words if w.text != "%"]
    cut = len(words)
    while cut > 0 and is_number_token(words[cut - 1].text):
        cut -= 1
    return words[:cut], words[cut:]


def values(words: list[Word]) -> list[float]:
    return [parse_number(w.text) for w in words]


@dataclass
class Column:
    """A cluster of cells sharing an x-position."""

    x0: float
    x1: float
    words: list[Word]

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


def cluster_columns(words: list[Word], tolerance: float = 10.0) -> list[Column]:
    """Group words into columns by overlapping (or nearly overlapping) x-extent, left to right."""
    columns: list[Column] = []
    for word in sorted(words, key=lambda w: w.x0):
        for column in columns:
            if word.x0 <= column.x1 + tolerance and word.x1 >= column.x0 - tolerance and abs(word.xc - column.xc) < 3 * tolerance:
                column.words.append(word)
                column.x0, column.x1 = min(column.x0, word.x0), max(column.x1, word.x1)
                break
        else:
            columns.append(Column(word.x0, word.x1, [word]))
    return sorted(columns, key=lambda c: c.x0)


def nearest_column(word: Word, columns: list[Column]) -> int:
    return min(range(len(columns)), key=lambda i: abs(columns[i].xc - word.xc))


def is_year_word(word: Word) -> bool:
    return is_year(parse_number(word.text)) and "," not in word.text and "%" not in word.text


def header_phrases(words: list[Word], gap: float = 6.0) -> list[list[Word]]:
    """Words of one header line that stand together (separated by a space, not a column gutter)."""
    phrases: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.x0):
        if phrases and word.x0 - phrases[-1][-1].x1 <= gap:
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return phrases


def column_of_header(phrase: list[Word], column_right_edges: list[float]) -> int | None:
    """The number column a header phrase stands over: the first whose right edge lies right of the
    phrase's start. Works for headers left-aligned, centred or right-aligned over their numbers."""
    start = phrase[0].x0
    for index, right in enumerate(column_right_edges):
        if right >= start + 2:
            return index
    return None
