"""Where the page is and which way up: a photo's dark surround cropped to the sheet, and the page
turned upright (0/90/180/270) — found on the page's own pixels, not assumed.

- `crop_to_sheet`: a photographed sheet lies on a darker desk. The sheet is the bright region the
  rows and columns of a reduced copy show (Otsu's threshold between desk and paper); the image is
  cut to it when the surround is more than a sliver, and the desk a turned sheet leaves in the cut's
  corners (dark cells joined to its border) is made white. The sheet's own resolution is then its short
  side over an A4/Letter page's (8.27 in), so it is read at the same size as a scan of the page.
- `reads_upright`: the cheap test first — a page whose reading as it lies gives confidently read
  words (three letters or more, confidence UPRIGHT_WORD_CONFIDENCE) is upright; the same page turned
  reads as low-confidence letter salad or nothing. Only a page in doubt is given to `upright_turn`.
- `upright_turn`: Tesseract's orientation and script detection (`osd.traineddata`, OSD) when it is
  installed, taken when its confidence is at least MIN_OSD_CONFIDENCE; without it, each of the four
  turns of a reduced copy is read with the page's language and the one giving the most confident
  words wins.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

SHEET_SHORT_SIDE_IN = 8.27  # A4's short side (Letter's is 8.5): a report page
MIN_SURROUND = 0.04  # a border darker than the sheet on at least this share of the width or height
BRIGHT_ROW = 0.5  # a row (column) of the sheet is at least this much paper in a reduced copy
MIN_OSD_CONFIDENCE = 5.0  # below this OSD guesses (a page with a line or two of text): left as it is
FALLBACK_DPI = 100  # the four turns are read at this resolution when OSD is not installed
UPRIGHT_WORD_CONFIDENCE = 80.0  # a word of three letters or more read this surely …
UPRIGHT_MIN_WORDS = 3  # … at least this many of them …
UPRIGHT_SHARE = 0.5  # … and at least this share of the page's words of three letters or more: read upright


def crop_to_sheet(image: Image.Image, dpi: float) -> tuple[Image.Image, float, bool]:
    """The sheet cut out of a darker surround: (image, the sheet's own dpi, whether it was cut)."""
    from extractors.ocr.prepare import ink_threshold

    factor = max(1, int(round(dpi / 25)))
    small = np.asarray(image.resize((max(1, image.width // factor), max(1, image.height // factor)), Image.BOX),
                       dtype=np.uint8)
    if small.shape[0] < 8 or small.shape[1] < 8:
        return image, dpi, False
    bright = small > ink_threshold(small)
    rows = np.nonzero(bright.mean(axis=1) >= BRIGHT_ROW)[0]
    columns = np.nonzero(bright.mean(axis=0) >= BRIGHT_ROW)[0]
    if len(rows) < 4 or len(columns) < 4:
        return image, dpi, False
    top, bottom, left, right = rows[0], rows[-1] + 1, columns[0], columns[-1] + 1
    height, width = small.shape
    if (height - (bottom - top)) < MIN_SURROUND * height and (width - (right - left)) < MIN_SURROUND * width:
        return image, dpi, False
    if bright[top:bottom, left:right].mean() < 0.75:  # not a sheet: a dark page (a photo, a cover)
        return image, dpi, False
    box = (left * factor, top * factor, min(image.width, right * factor), min(image.height, bottom * factor))
    desk = _reached_from_border(~bright[top:bottom, left:right])  # the desk's corners a turned sheet leaves
    sheet = np.asarray(image.crop(box), dtype=np.uint8).copy()
    if desk.any():
        mask = Image.fromarray((desk * 255).astype(np.uint8), mode="L").resize(
            (sheet.shape[1], sheet.shape[0]), Image.NEAREST)
        sheet[np.asarray(mask) > 0] = 255
    return Image.fromarray(sheet, mode="L"), min(sheet.shape) / SHEET_SHORT_SIDE_IN, True


def _reached_from_border(dark: np.ndarray) -> np.ndarray:
    """The dark cells connected to the image's border through dark cells (the sheet's white margin
    stops the spread, so the print on it is never reached)."""
    reached = np.zeros_like(dark)
    reached[0, :], reached[-1, :], reached[:, 0], reached[:, -1] = dark[0, :], dark[-1, :], dark[:, 0], dark[:, -1]
    while True:
        grown = reached.copy()
        grown[1:, :] |= reached[:-1, :]
        grown[:-1, :] |= reached[1:, :]
        grown[:, 1:] |= reached[:, :-1]
        grown[:, :-1] |= reached[:, 1:]
        grown &= dark
        if (grown == reached).all():
            return reached
        reached = grown


def reads_upright(words: list[tuple[str, float]]) -> bool:
    """Whether a page's reading as it lies (text, confidence per word) shows it upright: enough words of
    three letters or more read confidently, and they are most of such words. (Measured on the external
    scan: upright pages 0.95 of them at 80 or more, the same pages turned 0.05 at most.)"""
    lettered = [confidence for text, confidence in words if sum(ch.isalpha() for ch in text) >= 3]
    sure = sum(confidence >= UPRIGHT_WORD_CONFIDENCE for confidence in lettered)
    return sure >= UPRIGHT_MIN_WORDS and sure >= UPRIGHT_SHARE * len(lettered)


@lru_cache(maxsize=2)
def _osd_api(folder: str):
    import tesserocr

    return tesserocr.PyTessBaseAPI(path=folder, lang="osd", psm=tesserocr.PSM.OSD_ONLY)


@lru_cache(maxsize=2)
def _text_api(folder: str, language: str):
    import tesserocr

    return tesserocr.PyTessBaseAPI(path=folder, lang=language, psm=tesserocr.PSM.AUTO)


def osd_folder() -> str | None:
    from extractors.ocr.tesseract import tessdata_candidates

    for folder in tessdata_candidates():
        if Path(folder, "osd.traineddata").is_file():
            return folder.rstrip("/") + "/"
    return None


def upright_turn(image: Image.Image, dpi: float, language: str = "swe") -> int:
    """Degrees (0, 90, 180, 270) to turn the page counter-clockwise so its text stands upright."""
    folder = osd_folder()
    if folder is not None:
        api = _osd_api(folder)
        api.SetImage(image)
        try:
            found = api.DetectOrientationScript()
        except RuntimeError:  # too little text to judge
            return 0
        if not found or found.get("orient_conf", 0.0) < MIN_OSD_CONFIDENCE:
            return 0
        return int(found.get("orient_deg", 0)) % 360
    return _most_confident_turn(image, dpi, language)


def _most_confident_turn(image: Image.Image, dpi: float, language: str) -> int:
    """Without OSD: the turn whose reading holds the most confidently read words of three letters or more."""
    from extractors.ocr.tesseract import find_tessdata

    from tesserocr import RIL, iterate_level

    api = _text_api(find_tessdata((language,)), language)
    scale = min(1.0, FALLBACK_DPI / dpi)
    small = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))), Image.BILINEAR)
    best, best_score = 0, -1.0
    for turn in (0, 90, 180, 270):
        api.SetImage(small.rotate(turn, expand=True, fillcolor=255) if turn else small)
        api.Recognize()
        score = 0.0
        iterator = api.GetIterator()
        if iterator is not None:
            for word in iterate_level(iterator, RIL.WORD):
                text = (word.GetUTF8Text(RIL.WORD) or "").strip()
                confidence = word.Confidence(RIL.WORD)
                if sum(ch.isalpha() for ch in text) >= 3 and confidence >= 80:
                    score += confidence
        if score > best_score:
            best, best_score = turn, score
    return best
