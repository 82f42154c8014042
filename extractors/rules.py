"""The page's drawn rules: horizontal and vertical lines and the edges of rectangles.

A table's ruling is what makes it a table of cells: a word processor draws each cell's border (or its
shading) as a rectangle or a line, a browser as thin filled rectangles, LaTeX as filled rules. Every
straight, axis-parallel segment of a stroked or filled path becomes a `Rule` in page points, origin
top left (the words' convention); curves are no rules. The count per page is bounded (a PDF bomb of
paths costs no more than a few thousand rules).
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Callable

import pypdfium2.raw as pdfium_c

HORIZONTAL, VERTICAL = "h", "v"
MAX_SEGMENTS_PER_PAGE = 20_000  # path segments read per page; the rest of a page's paths is not read
AXIS_SLACK = 0.8  # points a segment may lean and still be horizontal or vertical
MIN_RULE_LENGTH = 1.0  # shorter segments are no rules (dots, curve pieces)
BACKGROUND_SHARE = 0.6  # a rectangle over this share of the page is its background, not a cell


@dataclass(frozen=True, slots=True)
class Rule:
    """One horizontal (`at` = y, from `start` to `end` in x) or vertical (`at` = x, `start`..`end` in y) rule."""

    orientation: str
    at: float
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom)"""
        if self.orientation == HORIZONTAL:
            return self.start, self.at, self.end, self.at
        return self.at, self.start, self.at, self.end


def _segments(path) -> list[tuple[float, float, float, float]]:
    """The straight segments of one path object, in its own space: (x0, y0, x1, y1)."""
    raw = path.raw
    count = pdfium_c.FPDFPath_CountSegments(raw)
    x, y = ctypes.c_float(), ctypes.c_float()
    found = []
    start = current = None
    for index in range(max(count, 0)):
        segment = pdfium_c.FPDFPath_GetPathSegment(raw, index)
        if not segment or not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = (x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = current = point
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            found.append((*current, *point))
        current = point  # a Bézier's control points move the pen but draw no rule
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None and current != start:
            found.append((*current, *start))
            current = start
    return found


def _drawn(path) -> bool:
    """A path that is filled or stroked (a clipping path is neither)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(path.raw, fill, stroke):
        return True
    return bool(fill.value) or bool(stroke.value)


def page_rules(paths, to_page: Callable[[float, float], tuple[float, float]], width: float, height: float,
               limit: int = MAX_SEGMENTS_PER_PAGE) -> tuple[list[Rule], bool]:
    """The axis-parallel rules of a page's path objects (already filtered to paths), on the displayed page;
    and whether the segment limit cut the reading short."""
    rules: list[Rule] = []
    read = 0
    page_area = max(width * height, 1.0)
    for path in paths:
        if not _drawn(path):
            continue
        left, bottom, right, top = path.get_bounds()
        if (right - left) * (top - bottom) > BACKGROUND_SHARE * page_area:
            continue
        a, b, c, d, e, f = path.get_matrix().get()
        for x0, y0, x1, y1 in _segments(path):
            read += 1
            if read > limit:
                return rules, True
            px0, py0 = to_page(a * x0 + c * y0 + e, b * x0 + d * y0 + f)
            px1, py1 = to_page(a * x1 + c * y1 + e, b * x1 + d * y1 + f)
            if abs(py0 - py1) <= AXIS_SLACK and abs(px1 - px0) >= MIN_RULE_LENGTH:
                rules.append(Rule(HORIZONTAL, (py0 + py1) / 2, min(px0, px1), max(px0, px1)))
            elif abs(px0 - px1) <= AXIS_SLACK and abs(py1 - py0) >= MIN_RULE_LENGTH:
                rules.append(Rule(VERTICAL, (px0 + px1) / 2, min(py0, py1), max(py0, py1)))
    return rules, False
