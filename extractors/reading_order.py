"""Lines in reading order for words that come without one (OCR): rows, cut into cells at wide gaps,
and a page of two text columns read column by column.

A text layer has its producer's order; Tesseract's words only have positions. Rows are found as for
tables (`words_to_lines`); where one vertical gutter separates two columns of text over most of the
page, the left column is read before the right.
"""
from __future__ import annotations

from extractors.layout import Line, Word, words_to_lines
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings


def _gutter(segments: list[Line], width: float) -> float | None:
    """x of a gutter between two text columns: a strip in the page's middle half that no segment
    crosses, with text on both sides on many rows; None for a one-column page."""
    if len(segments) < 12:
        return None
    best = None
    for step in range(int(width * 0.3), int(width * 0.7), 2):
        x = float(step)
        if any(s.x0 < x < s.x1 for s in segments):
            continue
        left = sum(1 for s in segments if s.x1 <= x)
        right = sum(1 for s in segments if s.x0 >= x)
        if left >= 0.3 * len(segments) and right >= 0.3 * len(segments):
            best = x if best is None or abs(x - width / 2) < abs(best - width / 2) else best
    return best


def lines_in_reading_order(words: list[Word], page: int, width: float,
                           settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[Line]:
    rows = words_to_lines(words, page, settings)
    segments = [segment for row in rows for segment in row.segments(settings)]
    gutter = _gutter(segments, width)
    if gutter is None:
        return rows
    left = [s for s in segments if s.x1 <= gutter]
    right = [s for s in segments if s.x0 >= gutter]
    spanning = [s for s in segments if s.x0 < gutter < s.x1]
    return sorted(left + spanning, key=lambda s: s.top) + sorted(right, key=lambda s: s.top)
