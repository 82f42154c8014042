"""Columns of table cells by word position (the `text` strategy): clustering numbers, their alignment, each cell's x-range."""
from __future__ import annotations

from dataclasses import dataclass

from extractors.layout import Word


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


def alignment(column: Column, tolerance: float = 0.6) -> str:
    """'left', 'right' or 'centre': which edge of the column's cells lines up; 'unknown' when all
    its cells are as wide (then every edge lines up)."""
    if len(column.words) < 2:
        return "unknown"
    spreads = {
        "left": max(w.x0 for w in column.words) - min(w.x0 for w in column.words),
        "right": max(w.x1 for w in column.words) - min(w.x1 for w in column.words),
        "centre": max(w.xc for w in column.words) - min(w.xc for w in column.words),
    }
    best = min(spreads, key=spreads.get)
    others = [v for k, v in spreads.items() if k != best]
    if spreads[best] <= tolerance and min(others) > spreads[best] + 0.5:
        return best
    return "unknown"


def column_bounds(columns: list[Column]) -> list[tuple[float, float]]:
    """The x-range of each column's cells, inferred from how its numbers are aligned.

    Between two columns the cell boundary lies just after a right-aligned column's numbers, just
    before a left-aligned column's numbers, and in the middle of the gap otherwise; a header word
    belongs to the cell its centre falls in, however the header itself is aligned.
    """
    aligned = [alignment(c) for c in columns]
    known = [a for a in aligned if a != "unknown"]
    if known:  # cells all as wide as each other: aligned like the rest of the table
        usual = max(set(known), key=known.count)
        aligned = [usual if a == "unknown" else a for a in aligned]
    cuts = []
    for index in range(len(columns) - 1):
        here, after = columns[index], columns[index + 1]
        middle = (here.x1 + after.x0) / 2
        right_edge = aligned[index] == "right"
        left_edge = aligned[index + 1] == "left"
        if right_edge and not left_edge:
            cuts.append(min(here.x1 + 2, middle))
        elif left_edge and not right_edge:
            cuts.append(max(after.x0 - 2, middle))
        else:
            cuts.append(middle)
    edges = [float("-inf"), *cuts, float("inf")]
    return [(edges[i], edges[i + 1]) for i in range(len(columns))]


def column_at(x: float, bounds: list[tuple[float, float]]) -> int | None:
    for index, (low, high) in enumerate(bounds):
        if low <= x < high:
            return index
    return None
