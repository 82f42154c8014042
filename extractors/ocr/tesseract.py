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
ALTERNATIVE_MIN_CONFIDENCE = 5.0
DISAGREEING_CONFIDENCE = 50.0  # a character reading Tesseract gave at least this much is an alternative


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
    """Tesseract's version and the models' digests: a cache written by another engine is not reused."""
    import tesserocr

    folder = find_tessdata(languages)
    digest = hashlib.sha256(tesserocr.tesseract_version().split("\n")[0].encode())
    digest.update(getattr(tesserocr, "__version__", "").encode())
    for language in languages:
        digest.update(Path(folder, f"{language}.traineddata").read_bytes())
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
        self.text_api.SetImage(image)
        if not self.text_api.Recognize(timeout=max(1, int(timeout_s * 1000))):
            raise TimeoutError(f"Tesseract did not finish within {timeout_s:.0f} s")
        words = _page_words(self.text_api.GetIterator())
        if self.number_api is not None:
            words = self._reread_numbers(image, words)
        return words

    def _reread_numbers(self, image: Image.Image, words: list[PixelWord]) -> list[PixelWord]:
        """Each number-like word cut out (a little margin, a white border) and read as one line of
        digits; a second, tighter cut gives a second opinion kept among the alternatives."""
        result = []
        for word in words:
            if not is_numberlike(word.text):
                result.append(word)
                continue
            readings = [self._read_cut(image, word, margin, border) for margin, border in NUMBER_CUTS]
            result.append(_choose(word, readings))
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
        return PixelWord(text, word.left, word.top, word.right, word.bottom,
                         min(part.confidence for part in read), alternatives)


def _trim_marks(text: str) -> str:
    """A number's reading without the specks and border bits read around it (':16', '16:', '.26')."""
    return text.lstrip(".,:;'\"").rstrip(":;'\"")


def _value(text: str) -> float | None:
    from extractors.ocr.confusion import _cleaned, value_of

    return value_of(_cleaned(text))


def _choose(word: PixelWord, readings: list[PixelWord | None]) -> PixelWord:
    """The first cut's reading wins if it holds a digit; every other reading becomes an alternative.
    Its confidence drops to DISAGREEING_CONFIDENCE when the page pass or the second cut read another value."""
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
    rereads = [word.text] + [reading.text for reading in readings[1:] if reading is not None]
    if any(_value(text) != _value(first.text) for text in rereads):
        confidence = min(confidence, DISAGREEING_CONFIDENCE)  # the independent readings differ
    unique = tuple(dict.fromkeys(alt for alt in others if alt and alt != first.text))
    return PixelWord(first.text, word.left, word.top, word.right, word.bottom, round(confidence, 1), unique[:8])


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
    word's text, box, confidence and, for words with digits, its characters' alternative readings."""
    from tesserocr import RIL, iterate_level

    if iterator is None:
        return []
    words: list[PixelWord] = []
    current: list | None = None  # [text, box, confidence, choices per symbol]

    def finish():
        if current and current[0] and current[1]:
            text, box, confidence, choices = current
            words.append(PixelWord(text, *box, confidence=round(confidence, 1),
                                   alternatives=_alternatives_from(choices, text)))

    for symbol in iterate_level(iterator, RIL.SYMBOL):
        if symbol.IsAtBeginningOf(RIL.WORD):
            finish()
            text = (symbol.GetUTF8Text(RIL.WORD) or "").strip()
            current = [text, symbol.BoundingBox(RIL.WORD), symbol.Confidence(RIL.WORD), []]
        if current is not None and any(ch.isdigit() for ch in current[0]):
            current[3].append([(choice.GetUTF8Text(), choice.Confidence()) for choice in symbol.GetChoiceIterator()])
    finish()
    return words
