"""What OCR gives extraction: a page's words in PDF points, top-left origin (pdfplumber's convention)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OcrWord:
    """One recognised word: text (normalised), box in PDF points, Tesseract's confidence (0–100),
    and other readings Tesseract considered (for number-like words)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float
    alternatives: tuple[str, ...] = ()
    line: int = 0  # Tesseract's text line, counted down the page (its reading order)


@dataclass
class OcrPage:
    """One page as OCR read it. Coordinates are those of the upright, straightened page (turned by
    `turned`, rotated by `skew_degrees` about its centre, cut to the sheet when `cropped`), so the
    lines of a skewed or sideways scan stay level; `width` and `height` are that page's size."""

    page: int  # 1-based
    width: float  # PDF points
    height: float
    words: list[OcrWord] = field(default_factory=list)
    dpi: float = 0.0  # the resolution it was recognised at
    scan_dpi: float | None = None  # the embedded scan's own resolution, if the page is a scan
    skew_degrees: float = 0.0
    turned: int = 0  # degrees (counter-clockwise) the page was turned to stand upright (0/90/180/270)
    cropped: bool = False  # a photo's dark surround was cut off: width and height are the sheet's
    seconds: float = 0.0  # rendering, preparation and recognition, when it was OCR'd
    error: str | None = None  # why the page has no words (deadline passed, Tesseract failed)
    rules: list = field(default_factory=list)  # table rules found on the image: [orientation, at, start, end] in points
    from_cache: bool = False
