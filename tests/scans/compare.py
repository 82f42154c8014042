"""OCR words against the original text layer, word by word, matched by position on the page."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.ocr.words import OcrPage, OcrWord
from extractors.pdftext import normalise
from tests.scans import TruthWord

NUMBER = re.compile(r"^\(?[−-]?\d+(?:[,.]\d+)*%?\)?$")


def is_number(text: str) -> bool:
    return bool(NUMBER.match(text))


def overlapping(truth: TruthWord, words: list[OcrWord], slack: float = 1.5) -> list[OcrWord]:
    """OCR words whose vertical middle lies in the truth word's band and whose middle or most of whose
    width lies within its horizontal extent."""
    found = []
    for word in words:
        middle_y = (word.top + word.bottom) / 2
        if not truth.top - slack <= middle_y <= truth.bottom + slack:
            continue
        middle_x = (word.x0 + word.x1) / 2
        shared = min(word.x1, truth.x1) - max(word.x0, truth.x0)
        if truth.x0 - slack <= middle_x <= truth.x1 + slack or shared > 0.5 * (word.x1 - word.x0):
            found.append(word)
    return sorted(found, key=lambda w: w.x0)


@dataclass
class Accuracy:
    """How many truth words OCR read exactly, all words and number tokens apart."""

    words: int = 0
    words_exact: int = 0
    numbers: int = 0
    numbers_exact: int = 0
    number_errors: list[tuple[int, str, str]] = field(default_factory=list)  # page, truth, read

    @property
    def word_rate(self) -> float:
        return self.words_exact / self.words if self.words else 0.0

    @property
    def number_rate(self) -> float:
        return self.numbers_exact / self.numbers if self.numbers else 0.0

    def add(self, other: "Accuracy") -> None:
        self.words += other.words
        self.words_exact += other.words_exact
        self.numbers += other.numbers
        self.numbers_exact += other.numbers_exact
        self.number_errors += other.number_errors

    def summary(self) -> str:
        return (f"words {self.words_exact}/{self.words} = {100 * self.word_rate:.1f} %, "
                f"numbers {self.numbers_exact}/{self.numbers} = {100 * self.number_rate:.1f} %")


def accuracy(pages: list[OcrPage], truth: list[TruthWord],
             region: dict[int, tuple[float, float]] | None = None) -> Accuracy:
    """Compare page by page; `region` limits the truth words to a band (top, bottom) per 1-based page."""
    by_page = {page.page: page for page in pages}
    result = Accuracy()
    for word in truth:
        page = by_page.get(word.page)
        if page is None:
            continue
        if region is not None:
            band = region.get(word.page)
            if band is None or not band[0] <= word.top <= band[1]:
                continue
        expected = normalise(word.text)
        read = "".join(w.text for w in overlapping(word, page.words))
        result.words += 1
        result.words_exact += read == expected
        if is_number(expected):
            result.numbers += 1
            if read == expected:
                result.numbers_exact += 1
            else:
                result.number_errors.append((word.page, expected, read))
    return result
