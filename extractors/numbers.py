"""Numbers as Swedish reports write them: decimal comma, percent signs, signs on changes, thin spaces."""
from __future__ import annotations

import re

_MINUS = "\u2212\u2013\u2012"  # minus sign, en dash, figure dash used as minus before a digit
NUMBER = re.compile(r"^[−-]?\d{1,3}(?:[ \u00a0\u2009]?\d{3})*(?:[,.]\d+)?$")
NUMBER_TOKEN = re.compile(rf"^\(?(?:[+±{_MINUS}-])?\d+(?:[,.]\d+)?\)?%?$")
SIGNED_TOKEN = re.compile(rf"^\(?[+±{_MINUS}-]\d")
EMPTY_CELL = re.compile(r"^(?:[-–—]|x|\.\.|n/a|saknas)$", re.I)
# What a table may print after a number: a unit ("64 p", "59,5 poäng") and footnote marks ("466*", "64¹").
UNIT = re.compile(r"^(?:p|p\.|poäng|pkt|pkt\.|pts)[*¹²³⁴†]*$", re.I)
FOOTNOTE_MARKS = "*¹²³⁴⁵†"


def parse_number(token: str) -> float | None:
    """'2,5' → 2.5, '65%' → 65.0, '+16' → 16.0, '–3' → -3.0, '±0' → 0.0; None if the token is not a number."""
    cleaned = token.strip().strip("()").rstrip("%").strip()
    cleaned = cleaned.replace("\u00a0", "").replace("\u2009", "").replace(" ", "")
    for minus in _MINUS:
        cleaned = cleaned.replace(minus, "-")
    cleaned = cleaned.lstrip("+±")
    if not re.fullmatch(r"-?\d+(?:[,.]\d+)?", cleaned):
        return None
    return float(cleaned.replace(",", "."))


def is_number_token(token: str) -> bool:
    return bool(NUMBER_TOKEN.match(token.strip())) or token.strip() == "%"


def is_signed(token: str) -> bool:
    """A number written with its sign ('+16', '-3', '±0'): a change, never a score."""
    return bool(SIGNED_TOKEN.match(token.strip()))


def is_empty_cell(token: str) -> bool:
    """A dash or similar standing for a missing value in a table cell."""
    return bool(EMPTY_CELL.match(token.strip()))


def is_year(value: float | None) -> bool:
    return value is not None and value == int(value) and 1990 <= value <= 2100


def round_half_up(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def is_unreadable_cell(word) -> bool:
    """An OCR'd token where a number should stand that does not read as one ('22:95', 'BLS', '6O', a
    letter OCR had no confidence in): kept as a cell whose value OCR could not read, for the report's
    sums to settle or leave empty."""
    text = word.text.strip()
    if word.conf is None or not text or is_number_token(text) or len(text) > 8:
        return False
    # 'W:s' over a smudged '22,5'; 'p' (confidence 0) over a smudged '75%'
    doubted_mark = word.conf < 60 and len(text) <= 4 and (not text.isalpha() or word.conf < 20)
    return any(ch.isdigit() for ch in text) or (text.isupper() and len(text) <= 4) or doubted_mark


def without_units(texts: list[str]) -> list[int]:
    """Positions of the tokens to keep in a table row: a unit or a lone footnote mark right after a number
    is left out. (`bare_number` takes the marks off a number itself.)"""
    kept = []
    for index, text in enumerate(texts):
        after_number = index > 0 and is_number_token(bare_number(texts[index - 1]))
        if after_number and (UNIT.match(text) or (text and all(ch in FOOTNOTE_MARKS for ch in text))):
            continue
        kept.append(index)
    return kept


def bare_number(text: str) -> str:
    """A number token without the footnote marks printed after it ('466*' → '466', '64¹' → '64')."""
    stripped = text.rstrip(FOOTNOTE_MARKS)
    return stripped if stripped != text and is_number_token(stripped) else text
