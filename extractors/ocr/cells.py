"""Table cells the page pass of Tesseract left out, found by the table's own columns.

On a speckled low-resolution scan Tesseract's page segmentation can drop a number standing alone in a
table cell ('20' of '4.3 … 20 16 80%'), so the row reaches the extraction with a number missing and
is left out. The numbers the page pass did read show where the table's columns are: a row that has
a number in one column but nothing at all in the next column of the same table gets that cell cut
out and read as a line of digits. What is read there is an ordinary OCR'd number (its confidence and
alternatives kept), held to the report's sums like every other; a blank cell reads as nothing.

Pure geometry on pixel boxes; the caller reads the cells (`Recogniser._read_missing_cells`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

MIN_NUMBERS = 12  # a page with fewer numbers has no table worth the search
MIN_COLUMN_CELLS = 4  # a column is a column when this many rows have a number in it
ANCHOR_CONFIDENCE = 50.0  # numbers surer than this place the columns (and a cell read is kept from it up)
CELL_MARGIN = 0.15  # how far a cell is cut beyond its column's numbers, in number widths (rules stand further)


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2

    @property
    def height(self) -> int:
        return self.bottom - self.top


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def columns_of(numbers: list[Box]) -> list[tuple[int, int]]:
    """Number columns, left to right: x-ranges where at least MIN_COLUMN_CELLS numbers stand."""
    if not numbers:
        return []
    tolerance = _median([b.height for b in numbers])
    clusters: list[list[Box]] = []
    for box in sorted(numbers, key=lambda b: b.right):  # numbers in tables are right- or centre-aligned
        for cluster in clusters:
            if abs(box.right - _median([b.right for b in cluster])) <= tolerance or \
                    abs(box.centre - _median([b.centre for b in cluster])) <= tolerance:
                cluster.append(box)
                break
        else:
            clusters.append([box])
    found = [(min(b.left for b in c), max(b.right for b in c)) for c in clusters if len(c) >= MIN_COLUMN_CELLS]
    return sorted(found)


def missing_cells(words: list[tuple[str, Box, float]], is_number: Callable[[str], bool]) -> list[Box]:
    """Boxes of table cells with nothing read in them but a stray letter (`is_stray`), in rows
    that have a number in the next column of the same table (no word of the row between the two
    columns)."""
    anchors = [box for text, box, confidence in words if is_number(text) and confidence >= ANCHOR_CONFIDENCE]
    if len(anchors) < MIN_NUMBERS:
        return []
    columns = columns_of(anchors)
    if len(columns) < 2:
        return []
    height = _median([b.height for b in anchors])
    width = _median([b.right - b.left for b in anchors])
    numbers = [box for text, box, _ in words if is_number(text)]
    found = []
    for row in _rows(numbers, height):
        middle = _median([b.middle for b in row])
        band = [box for _, box, _ in words if abs(box.middle - middle) <= 0.8 * height]
        filled = {index for index, column in enumerate(columns) for b in row if _overlaps(b, column)}
        for index, (left, right) in enumerate(columns):
            beside = [other for other in (index - 1, index + 1) if other in filled]
            if index in filled or not any(_nothing_between(columns[index], columns[other], band) for other in beside):
                continue
            cell = Box(left - int(CELL_MARGIN * width), int(middle - 0.8 * height),
                       right + int(CELL_MARGIN * width), int(middle + 0.8 * height))
            if all(is_stray(text) for text, box, _ in words if _touches(box, cell)):
                found.append(cell)
    return found


def is_stray(text: str) -> bool:
    """What a page pass may make of a number in a cell: a letter or two ('ö' for 6, 'l' for 1), or a
    short token of letters and marks no word is ('ee,', 'W:s' over a smudge). A dash is no stray: a
    table prints it for 'no value'."""
    if any(ch.isdigit() for ch in text) or not text.strip("-–—"):
        return False
    return (len(text) <= 2 and text.isalpha()) or (len(text) <= 4 and any(ch in ",;:'\"" for ch in text))


def _rows(numbers: list[Box], height: float) -> list[list[Box]]:
    rows: list[list[Box]] = []
    for box in sorted(numbers, key=lambda b: b.middle):
        if rows and abs(box.middle - _median([b.middle for b in rows[-1]])) <= 0.5 * height:
            rows[-1].append(box)
        else:
            rows.append([box])
    return rows


def _overlaps(box: Box, column: tuple[int, int]) -> bool:
    return box.left < column[1] and box.right > column[0]


def _nothing_between(a: tuple[int, int], b: tuple[int, int], band: list[Box]) -> bool:
    """No word of the row stands between two columns: they are cells of one table, not a table and the
    text beside it."""
    low, high = min(a[1], b[1]), max(a[0], b[0])
    return not any(box.left < high and box.right > low for box in band)


def _touches(box: Box, cell: Box) -> bool:
    return box.left < cell.right and box.right > cell.left and box.top < cell.bottom and box.bottom > cell.top
