"""Tesseract through tesserocr: words with pixel boxes, confidences and the readings it also considered.

Why tesserocr (and not pytesseract or OCRmyPDF): it calls libtesseract in-process, so a worker loads
the model once instead of once per page and reads the result through Tesseract's own iterators —
word boxes, word confidences and, per character, the alternative readings the LSTM considered
(`lstm_choice_mode`), which the arithmetic check uses; pytesseract parses TSV from a new
`tesseract` process per call and has no alternatives; OCRmyPDF writes a text layer, losing the
confidences. tesserocr installs from PyPI as a manylinux wheel that carries libtesseract, so a fresh
Debian needs only the language data from apt (`tesseract-ocr-swe`).
"""
from __future__ import annotations

import glob
import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageOps

from extractors.errors import ExtractionError

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-swe"
NUMBER_CHARACTERS = "0123456789,.%-+()"
_NUMBERLIKE = re.compile(r"^[(\-−+]?\d[\d.,]*%?\)?$|^[(\-−+]?\d[\d.,%°'’]*[\w%]{0,3}$")
NUMBER_CUTS = ((0.15, 4), (0.1, 6))  # (margin as a share of the word's height, white border in pixels)
ALTERNATIVE_MIN_CONFIDENCE = 5.0  # a character reading Tesseract gave at least this much is an alternative
DISAGREEING_CONFIDENCE = 50.0
UNSURE_WORD_CONFIDENCE = 50.0  # a short word read with less than this is read again as digits …
SURE_DIGITS_CONFIDENCE = 85.0  # … and taken as a number if the digits are read with at least this
UNREADABLE_CONFIDENCE = 40.0  # a stray in a number cell that does not read as digits either: doubted so


class OcrUnavailable(ExtractionError):
    """Tesseract or its Swedish model is not installed."""


@dataclass(frozen=True)
class PixelWord:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float
    alternatives: tuple[str, ...] = ()
    line: int = 0  # Tesseract's text line the word belongs to, counted down the page


def tessdata_candidates() -> list[str]:
    found = [os.environ.get("TESSDATA_PREFIX", "")]
    found += sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"), reverse=True)
    found += ["/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata"]
    return [folder for folder in found if folder]


@lru_cache(maxsize=8)
def find_tessdata(languages: tuple[str, ...]) -> str:
    """The folder holding every named model, or OcrUnavailable naming the packages to install."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        raise OcrUnavailable("OCR needs Tesseract: pip install tesserocr and "
                             f"{INSTALL_HINT}") from None
    for folder in tessdata_candidates():
        if all(Path(folder, f"{language}.traineddata").is_file() for language in languages):
            return folder.rstrip("/") + "/"
    missing = "+".join(languages)
    raise OcrUnavailable(f"OCR needs Tesseract with its Swedish model ({missing} not found): {INSTALL_HINT}")


@lru_cache(maxsize=8)
def engine_fingerprint(languages: tuple[str, ...]) -> str:
    """Tesseract's version, the models' and this package's digests: a cache written by other code or
    another engine is not reused."""
    import tesserocr

    folder = find_tessdata(languages)
    digest = hashlib.sha256(tesserocr.tesseract_version().split("\n")[0].encode())
    digest.update(getattr(tesserocr, "__version__", "").encode())
    for language in languages:
        digest.update(Path(folder, f"{language}.traineddata").read_bytes())
    for source in sorted(Path(__file__).parent.glob("*.py")):  # this package's code: a change re-reads
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def is_numberlike(text: str) -> bool:
    """A word that is (mostly) a number: digits with separators, perhaps a misread '%' or a unit."""
    digits = sum(ch.isdigit() for ch in text)
    return digits >= 1 and digits >= 0.5 * len(text) and bool(_NUMBERLIKE.match(text))


class Recogniser:
    """One Tesseract instance for text and one for numbers, kept for the life of a worker process."""

    def __init__(self, language: str, number_language: str, page_segmentation: int, number_pass: bool):
        import tesserocr

        self._tesserocr = tesserocr
        languages = tuple(sorted({language, number_language} if number_pass else {language}))
        folder = find_tessdata(languages)
        self.text_api = tesserocr.PyTessBaseAPI(path=folder, lang=language, psm=page_segmentation,
                                                oem=tesserocr.OEM.LSTM_ONLY)
        self.number_api = None
        if number_pass:
            self.number_api = tesserocr.PyTessBaseAPI(path=folder, lang=number_language,
                                                      psm=tesserocr.PSM.SINGLE_LINE, oem=tesserocr.OEM.LSTM_ONLY)
            self.number_api.SetVariable("tessedit_char_whitelist", NUMBER_CHARACTERS)
            self.number_api.SetVariable("lstm_choice_mode", "2")
        self.text_api.SetVariable("lstm_choice_mode", "2")

    def close(self) -> None:
        self.text_api.End()
        if self.number_api is not None:
            self.number_api.End()

    def read(self, image: Image.Image, timeout_s: float) -> list[PixelWord]:
        """Every word on the page; number-like words read a second time on their own."""
        return self.read_numbers(image, self.read_page(image, timeout_s))

    def read_page(self, image: Image.Image, timeout_s: float) -> list[PixelWord]:
        """The page pass: every word as the text model reads it on the whole page."""
        self.text_api.SetImage(image)
        if not self.text_api.Recognize(timeout=max(1, int(timeout_s * 1000))):
            raise TimeoutError(f"Tesseract did not finish within {timeout_s:.0f} s")
        return _page_words(self.text_api.GetIterator())

    def read_numbers(self, image: Image.Image, words: list[PixelWord]) -> list[PixelWord]:
        """The number pass over the page pass's words: number-like ones cut out and read again as
        digits, and table cells the page pass left empty read (when the recogniser has a number model)."""
        if self.number_api is not None:
            words = tighten_number_boxes(image, words)
            words = self._reread_numbers(image, words)
            found = self._read_missing_cells(image, words)  # drops the strays it read over from `words`
            words = words + found
        return words

    def _read_missing_cells(self, image: Image.Image, words: list[PixelWord]) -> list[PixelWord]:
        """Numbers the page pass left out of a table's cells (`extractors.ocr.cells`), read as digits; a
        stray letter the page pass read in such a cell ('ö' for a 6) is replaced by the number read
        there (it stays among the number's alternatives)."""
        from extractors.ocr.cells import ANCHOR_CONFIDENCE, Box, is_stray, missing_cells

        boxes = [(w.text, Box(w.left, w.top, w.right, w.bottom), w.confidence) for w in words]
        found, replaced, doubted = [], [], []
        for cell in missing_cells(boxes, is_numberlike):
            empty = PixelWord("", cell.left, cell.top, cell.right, cell.bottom, 0.0)
            reading = self._read_cut(image, empty, 0.0, NUMBER_CUTS[1][1])
            strays = [w for w in words if is_stray(w.text) and w.left < cell.right and w.right > cell.left
                      and w.top < cell.bottom and w.bottom > cell.top]
            if reading is None or not is_numberlike(reading.text) or reading.confidence < ANCHOR_CONFIDENCE:
                # Not read as digits either: what stands there is a cell OCR could not read, and says so.
                doubted.extend(w for w in strays if w.confidence > UNREADABLE_CONFIDENCE)
                continue
            row = [w for w in words if is_numberlike(w.text) and w.top <= cell.middle <= w.bottom]
            line = min(row, key=lambda w: abs((w.left + w.right) / 2 - cell.centre)).line if row else 0
            found.append(PixelWord(reading.text, reading.left, reading.top, reading.right, reading.bottom,
                                   reading.confidence, (*reading.alternatives, *(w.text for w in strays))[:8], line))
            replaced.extend(strays)
        words[:] = [w for w in words if not any(w is r for r in replaced)]
        words[:] = [PixelWord(w.text, w.left, w.top, w.right, w.bottom, UNREADABLE_CONFIDENCE, w.alternatives, w.line)
                    if any(w is d for d in doubted) else w for w in words]
        return found

    def _reread_numbers(self, image: Image.Image, words: list[PixelWord]) -> list[PixelWord]:
        """Each number-like word cut out (a little margin, a white border) and read as one line of
        digits; a second, tighter cut gives a second opinion kept among the alternatives."""
        result = []
        for word in words:
            if is_numberlike(word.text):
                readings = [self._read_cut(image, word, margin, border) for margin, border in NUMBER_CUTS]
                result.append(_choose(word, readings))
            elif len(word.text) <= 4 and word.confidence < UNSURE_WORD_CONFIDENCE:
                # A short word the page pass barely read ('då', 'v', 'JE') may be a number in a cell.
                reading = self._read_cut(image, word, *NUMBER_CUTS[0])
                confident = reading is not None and reading.confidence >= SURE_DIGITS_CONFIDENCE
                if confident and _value(reading.text) is not None and not any(c.isalpha() for c in reading.text):
                    result.append(PixelWord(reading.text, reading.left, reading.top, reading.right, reading.bottom,
                                            reading.confidence, (word.text, *reading.alternatives), word.line))
                else:
                    result.append(word)
            else:
                result.append(word)
        return result

    def _read_cut(self, image: Image.Image, word: PixelWord, margin: float, border: int) -> PixelWord | None:
        pad = int(margin * (word.bottom - word.top))
        box = (max(0, word.left - pad), max(0, word.top - pad),
               min(image.width, word.right + pad), min(image.height, word.bottom + pad))
        self.number_api.SetImage(ImageOps.expand(image.crop(box), border, fill=255))
        self.number_api.Recognize()
        read = _page_words(self.number_api.GetIterator())
        if not read:
            return None
        text = _trim_marks("".join(part.text for part in read))
        alternatives = read[0].alternatives if len(read) == 1 else ()
        shift_x, shift_y = box[0] - border, box[1] - border  # the cut's pixels → the page's
        return PixelWord(text, min(p.left for p in read) + shift_x, min(p.top for p in read) + shift_y,
                         max(p.right for p in read) + shift_x, max(p.bottom for p in read) + shift_y,
                         min(part.confidence for part in read), alternatives)


SPECK_GAP = 0.5  # ink this far (in word heights) from the rest of a word's ink …
SPECK_SHARE = 0.1  # … and this small a share of it is a speck the word's box took in, not the word


def _tight(image, word: PixelWord) -> PixelWord:
    """The word's box drawn round its own ink: a speck or the stub of an erased rule standing apart at
    either end of the box (further than half the word's height, a tenth of its ink at most) is left
    out, so the number is cut out again without it and its column is placed by its digits."""
    import numpy as np

    region = np.asarray(image.crop((word.left, word.top, word.right, word.bottom)), dtype=np.uint8)
    if region.size == 0:
        return word
    columns = (region < 128).sum(axis=0)
    inked = np.nonzero(columns)[0]
    if len(inked) < 2:
        return word
    gap = max(2, SPECK_GAP * (word.bottom - word.top))
    groups, start = [], inked[0]
    for previous, current in zip(inked, inked[1:]):
        if current - previous > gap:
            groups.append((start, previous))
            start = current
    groups.append((start, inked[-1]))
    if len(groups) == 1:
        left, right = groups[0]
    else:
        total = columns.sum()
        kept = [(a, b) for a, b in groups if columns[a:b + 1].sum() > SPECK_SHARE * total]
        if not kept:
            return word
        left, right = kept[0][0], kept[-1][1]
    if left == 0 and right == len(columns) - 1:
        return word
    return PixelWord(word.text, word.left + int(left), word.top, word.left + int(right) + 1, word.bottom,
                     word.confidence, word.alternatives, word.line)


def tighten_number_boxes(image, words: list[PixelWord]) -> list[PixelWord]:
    """Number-like words' boxes drawn round their own ink (see `_tight`)."""
    return [_tight(image, word) if is_numberlike(word.text) else word for word in words]


def _trim_marks(text: str) -> str:
    """A number's reading without the specks and border bits read around it (':16', '16:', '.26', '40.')."""
    return text.lstrip(".,:;'\"").rstrip(".,:;'\"")


def _value(text: str) -> float | None:
    from extractors.ocr.confusion import clean_numeral, value_of

    return value_of(clean_numeral(text))


def _choose(word: PixelWord, readings: list[PixelWord | None]) -> PixelWord:
    """The first cut's reading wins if it holds a digit; every other reading becomes an alternative.
    Its confidence drops to DISAGREEING_CONFIDENCE when the page pass or the second cut read another value,
    unless that one reading was unsure and the other two agree surely (57,5 · 57,5 · 57,9 at 67)."""
    first = readings[0]
    if first is None or not any(ch.isdigit() for ch in first.text):
        return word
    others = [word.text, *word.alternatives, *first.alternatives]
    for reading in readings[1:]:
        if reading is not None:
            others += [reading.text, *reading.alternatives]
    confidence = first.confidence
    if first.text == word.text:
        confidence = max(confidence, word.confidence)
    rereads = [(word.text, word.confidence)] + [(r.text, r.confidence) for r in readings[1:] if r is not None]
    agreeing = [conf for text, conf in rereads if _value(text) == _value(first.text)]
    dissent = [conf for text, conf in rereads if _value(text) != _value(first.text)]
    outvoted = bool(agreeing) and min(agreeing + [first.confidence]) >= SURE_DIGITS_CONFIDENCE and \
        max(dissent, default=0.0) < SURE_DIGITS_CONFIDENCE  # two sure readings against one unsure
    if dissent and not outvoted:
        confidence = min(confidence, DISAGREEING_CONFIDENCE)  # the independent readings differ
    unique = tuple(dict.fromkeys(alt for alt in others if alt and alt != first.text))
    return PixelWord(first.text, first.left, first.top, first.right, first.bottom, round(confidence, 1), unique[:8],
                     word.line)


def _alternatives_from(choices: list[list[tuple[str, float]]], text: str) -> tuple[str, ...]:
    """Readings that swap one character for one Tesseract also gave a real confidence."""
    if len(choices) != len(text):
        return ()
    found = []
    for position, options in enumerate(choices):
        for option, confidence in options[1:]:
            if option and option != text[position] and confidence >= ALTERNATIVE_MIN_CONFIDENCE:
                found.append(text[:position] + option + text[position + 1:])
    return tuple(dict.fromkeys(found))[:6]


def _page_words(iterator) -> list[PixelWord]:
    """Walk the result symbol by symbol (one iterator: nested walks would advance it), gathering each
    word's text, box, confidence and, for words with digits, its characters' alternative readings and
    a box drawn round its characters alone (Tesseract's word box may take in a rule or speck it read
    as nothing)."""
    from tesserocr import RIL, iterate_level

    if iterator is None:
        return []
    words: list[PixelWord] = []
    current: list | None = None  # [text, box, confidence, choices per symbol, symbol boxes, line]
    line = 0

    def finish():
        if current and current[0] and current[1]:
            text, box, confidence, choices, boxes, number = current
            if boxes and any(ch.isdigit() for ch in text):
                box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                       max(b[3] for b in boxes))
            words.append(PixelWord(text, *box, confidence=round(confidence, 1),
                                   alternatives=_alternatives_from(choices, text), line=number))

    for symbol in iterate_level(iterator, RIL.SYMBOL):
        if symbol.IsAtBeginningOf(RIL.TEXTLINE):
            line += 1
        if symbol.IsAtBeginningOf(RIL.WORD):
            finish()
            text = (symbol.GetUTF8Text(RIL.WORD) or "").strip()
            current = [text, symbol.BoundingBox(RIL.WORD), symbol.Confidence(RIL.WORD), [], [], line]
        if current is not None and any(ch.isdigit() for ch in current[0]):
            current[3].append([(choice.GetUTF8Text(), choice.Confidence()) for choice in symbol.GetChoiceIterator()])
            box = symbol.BoundingBox(RIL.SYMBOL)
            if box is not None:
                current[4].append(box)
    finish()
    return words
