"""Running headers, footers and page numbers: recognised by their place on the page, then removed.

A line is running when the same words (digits folded) stand at the same height in the top or bottom
margin of many pages; a page number ("12", "Sida 12", "12 (28)", "- 12 -", "3/12") is removed where
it stands between the text and the edge of the page. A line that is only a bullet never counts: a
bullet on a line of its own belongs to the list below it, however often that happens at a page top.
"""
from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from extractors.layout import Line
from extractors.settings import ExtractionSettings

if TYPE_CHECKING:
    from extractors.document import Page

PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|sid\.?|s\.|page)\s*)?[-–—]?\s*\d{1,3}\s*[-–—]?"
    r"(?:\s*(?:\(\s*\d{1,3}\s*\)|/\s*\d{1,3}|(?:av|of)\s+\d{1,3}))?$", re.I)
_MARKER_ONLY = re.compile(r"^[•▪■◦●○*·\-–—o]+$")


def line_shape(text: str) -> str:
    """A line with digits folded and only its letters and digits kept, to recognise the same header or
    footer across pages (a dash more or less, as OCR may read one, is the same footer)."""
    folded = re.sub(r"\d+", "#", text.casefold())
    return " ".join(re.sub(r"[^\w#]+", " ", folded).split())


def _edge_order(page: "Page", settings: ExtractionSettings) -> tuple[list[Line], list[Line]]:
    """Lines in the top margin (from the top edge inwards) and the bottom margin (from the bottom up)."""
    top_limit = settings.margin_share * page.height
    bottom_limit = (1 - settings.margin_share) * page.height
    top = sorted((l for l in page.lines if l.bottom <= top_limit), key=lambda l: l.top)
    bottom = sorted((l for l in page.lines if l.top >= bottom_limit), key=lambda l: -l.bottom)
    return top, bottom


def running_shapes(pages: list["Page"], settings: ExtractionSettings) -> set[tuple[str, str, int]]:
    """(edge, shape, height band) of lines that recur in the same margin place on many pages."""
    if len(pages) < settings.running_min_pages:
        return set()
    places: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for page in pages:
        top, bottom = _edge_order(page, settings)
        for edge, lines in (("top", top), ("bottom", bottom)):
            for line in lines:
                shape = line_shape(line.text)
                if shape and not _MARKER_ONLY.match(shape):
                    places[(edge, shape)].append((page.number, line.top if edge == "top" else page.height - line.bottom))
    needed = max(settings.running_min_pages, settings.running_min_share * len(pages))
    running = set()
    for (edge, shape), seen in places.items():
        bands: dict[int, set[int]] = defaultdict(set)
        for number, distance in seen:
            bands[round(distance / max(settings.running_y_tolerance, 0.5))].add(number)
        for band, numbers in bands.items():
            neighbours = numbers | bands.get(band - 1, set()) | bands.get(band + 1, set())
            if len(neighbours) >= needed:
                running.add((edge, shape, band))
    return running


def _is_running(line: Line, edge: str, distance: float, running: set, settings: ExtractionSettings) -> bool:
    shape = line_shape(line.text)
    band = round(distance / max(settings.running_y_tolerance, 0.5))
    bands = (band - 1, band, band + 1)
    if any((edge, shape, b) in running for b in bands):
        return True
    if not any(w.conf is not None for w in line.words):
        return False
    # an OCR'd line: a letter misread still leaves the same footer, if nearly all of it matches
    return any(e == edge and b in bands and len(known) >= 12 and
               SequenceMatcher(None, shape, known).ratio() >= settings.running_ocr_similarity
               for e, known, b in running)


def remove_running_lines(pages: list["Page"], settings: ExtractionSettings) -> None:
    """Move running headers, footers and page numbers of every page into `page.removed`."""
    running = running_shapes(pages, settings)
    for page in pages:
        top, bottom = _edge_order(page, settings)
        removed: list[Line] = []
        for edge, lines in (("top", top), ("bottom", bottom)):
            for line in lines:  # from the edge inwards; stop at the first line of the text itself
                distance = line.top if edge == "top" else page.height - line.bottom
                if _MARKER_ONLY.match(line.text.strip()):
                    break
                if _is_running(line, edge, distance, running, settings) or PAGE_NUMBER.match(line.text.strip()):
                    removed.append(line)
                else:
                    break
        if removed:
            ids = {id(line) for line in removed}
            page.lines = [line for line in page.lines if id(line) not in ids]
            page.removed = removed
