"""What an OCR'd number may really have said: the confusions Tesseract makes on printed digits.

`readings(text)` gives the values a token may stand for, each with a short description, from:
- letters read for digits ('l' for 1, 'O' for 0, 'S' for 5 …) and stray edge marks ('2)' '60.');
- one digit read as a look-alike (8↔3/6/0, 1↔7, 5↔6 …);
- the decimal comma dropped ('25' for 2,5), added, or read as a digit ('255', '2235' for 2,5 and 22,5);
- (weaker) a digit too many anywhere (a speck, a doubled stroke, a border) or one lost at either end;
- '%' read as '90', '96', '20', '940' … (Swedish model);
- and the alternatives Tesseract itself gave.
The arithmetic check picks among them; this module only says what is plausible.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LETTER_DIGITS = {"l": "1", "I": "1", "|": "1", "i": "1", "!": "1", "]": "1", "[": "1", "O": "0", "o": "0",
                 "D": "0", "Q": "0", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "b": "6",
                 "g": "9", "q": "9", "A": "4", "T": "7"}
LOOK_ALIKES = {"0": "869", "1": "74", "2": "73", "3": "8592", "4": "19", "5": "6389", "6": "5809",
               "7": "12", "8": "36095", "9": "80345"}
DECIMAL_MARKS = ",.:;"
PERCENT_READINGS = ("%", "90", "96", "9o", "%o", "%0", "20", "940", "240", "920", "960", "260", "900", "00",
                    "0", "9", "6", "o")
_EDGE_JUNK = re.compile(r"^[^\d]+|[^\d%]+$")
_NUMERAL = re.compile(r"^\d+(?:[,.]\d+)?$")


@dataclass(frozen=True)
class Candidate:
    value: float
    how: str  # e.g. "'25' as 2,5"
    weak: bool = False  # a digit too many or lost: plausible, but only taken where a percent confirms it
    plain: bool = False  # the digits as printed, marks around or between them read as what they stand for


def value_of(text: str) -> float | None:
    """A clean numeral's value ('2,5' → 2.5, '65%' → 65.0); None for anything else."""
    text = text.strip().rstrip("%")
    if not _NUMERAL.match(text):
        return None
    return float(text.replace(",", "."))


def spoken(value: float) -> str:
    """A value as the report prints it: '2,5', '61', '463,5'."""
    return f"{value:g}".replace(".", ",")


def clean_numeral(text: str) -> str:
    """Letters that stand for digits replaced, marks stuck to either end removed, decimal marks as ','."""
    text = "".join(text.split())
    text = "".join(LETTER_DIGITS.get(ch, ch) for ch in text)
    text = _EDGE_JUNK.sub("", text)
    for mark in DECIMAL_MARKS:
        text = text.replace(mark, ",")
    return text


def _variants(digits: str) -> tuple[set[str], set[str]]:
    """Spellings one OCR slip away from `digits` (a numeral, perhaps with one decimal comma): those of
    a misread glyph, and — weaker, as they change the number's length — a digit too many or lost."""
    glyphs, length = set(), set()
    for position, ch in enumerate(digits):
        for other in LOOK_ALIKES.get(ch, ""):
            glyphs.add(digits[:position] + other + digits[position + 1:])
    if "," in digits:
        glyphs.add(digits.replace(",", ""))  # a comma that was not there
    else:
        if len(digits) >= 2:
            glyphs.add(digits[:-1] + "," + digits[-1])  # the comma lost: '25' for 2,5
        if len(digits) >= 3:
            glyphs.add(digits[:-2] + "," + digits[-1])  # the comma read as a digit: '255' for 2,5
    for position, ch in enumerate(digits):
        if ch.isdigit():
            length.add(digits[:position] + digits[position + 1:])  # a speck or doubled stroke read as a digit
    for digit in "0123456789":  # a digit lost at either end, against a cell border
        length.add(digit + digits)
        length.add(digits + digit)
    keep = {spelling for spelling in glyphs if _NUMERAL.match(spelling)}
    return keep, {spelling for spelling in length if _NUMERAL.match(spelling)} - keep


def readings(text: str, alternatives: tuple[str, ...] = (), percent: bool = False) -> list[Candidate]:
    """Every value `text` may stand for, the plain reading first (if it parses), then by kind of slip;
    a change of length is `weak` (the arithmetic takes it only where a question's percent confirms it)."""
    found: dict[float, Candidate] = {}

    def add(spelling: str, how: str, weak: bool = False, plain: bool = False) -> None:
        value = value_of(spelling)
        if value is not None and value not in found:
            found[value] = Candidate(value, how, weak, plain)

    cleaned = clean_numeral(text)
    bases = [cleaned]
    if percent:
        for suffix in PERCENT_READINGS:
            if cleaned.endswith(suffix) and len(cleaned) > len(suffix):
                bases.append(cleaned[: -len(suffix)])
    bases = [base.rstrip("%") for base in bases]
    add(bases[0], f"'{text}'", plain=True)
    for base in bases[1:]:
        add(base, f"'{text}' as {base}%")
    for alternative in alternatives:
        spelling = clean_numeral(alternative).rstrip("%")
        add(spelling, f"'{text}' as {spelling} (Tesseract's alternative)")
    variants = [_variants(base) for base in bases]
    for glyphs, _ in variants:
        for spelling in sorted(glyphs):
            add(spelling, f"'{text}' as {spelling}")
    for _, length in variants:
        for spelling in sorted(length):
            add(spelling, f"'{text}' as {spelling}", weak=True)
    return list(found.values())
