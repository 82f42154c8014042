"""List markers — bullet glyphs, dashes, numbers, drawn bullets — defined once for every reader."""
from __future__ import annotations

import re

from extractors.layout import Line, Word

GLYPHS = "•▪■◦●○*➢►▸→✓✔◆◇♦"
# Numbered items: "3.", "3)", and Word's lettered lists "a)", "b." (lower case: "A. Andersson" is a name).
NUMBERING = r"(?:\d{1,2}|[a-zåäö])[.)]"
MARKER = re.compile(rf"^\s*(?:[{GLYPHS}]|[-–—](?=\s)|o(?=\s+[A-ZÅÄÖ])|{NUMBERING}(?=\s+[A-ZÅÄÖ”\"]))\s*")
MARKER_ONLY = re.compile(rf"^(?:[{GLYPHS}\-–—o]|{NUMBERING})$")
DRAWN = "•"  # the word a drawn bullet becomes, so that every reader sees a bullet
INLINE_NUMBERING = re.compile(r"(?<=\s)(\d{1,2}|[a-zåäö])\)(?=\s+[A-ZÅÄÖ])")


def marker(text: str) -> re.Match | None:
    """The list marker that opens `text` ('• ', '– ', '3. '), or None."""
    return MARKER.match(text)


def strip_marker(text: str) -> str:
    found = MARKER.match(text)
    return text[found.end():] if found else text


def is_marker_only(text: str) -> bool:
    return bool(MARKER_ONLY.match(text.strip()))


def _rank(label: str) -> int:
    return int(label) if label.isdigit() else ord(label) - ord("a") + 1


def run_together_numbering(text: str) -> list[str]:
    """Labels of numbered items inside a text ("b)", "c)") that count on from each other, or from a first
    item ("b)" or "2)" first): a numbered list whose items were read as one. Empty for a text that only
    mentions a "a)" in passing."""
    labels = [m.group(1) for m in INLINE_NUMBERING.finditer(text)]
    ranks = [_rank(label) for label in labels]
    counts_on = all(b == a + 1 for a, b in zip(ranks, ranks[1:]))
    if ranks and counts_on and (ranks[0] == 2 or len(ranks) >= 2):
        return [f"{label})" for label in labels]
    return []


def join_lone_markers(lines: list[Line]) -> list[Line]:
    """A bullet the PDF put on a line of its own joins the text line beside it."""
    joined: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and is_marker_only(line.text) and _beside(line, following):
            joined.append(Line(following.page, line.words + following.words, marker="glyph"))
            index += 2
            continue
        if marker(line.text):
            line.marker = "glyph"
        joined.append(line)
        index += 1
    return joined


def _beside(bullet: Line, text: Line) -> bool:
    """The text the bullet opens: just right of it on its line, or starting on the line below it
    (a bullet the PDF put a line above its text)."""
    height = max(text.height, 1.0)
    below = (text.top + text.bottom) / 2 - (bullet.top + bullet.bottom) / 2
    if is_marker_only(text.text):
        return False
    if -0.8 * height <= below <= 0.8 * height:
        return 0 <= text.x0 - bullet.x1 <= 4 * height
    return 0 < below <= 1.8 * height and bullet.x0 - 2 <= text.x0 <= bullet.x1 + 4 * height


def attach_drawn_bullets(lines: list[Line], shapes, max_em: float, reach_em: float, cell_gap_em: float = 1.0) -> None:
    """A small drawn mark just left of a line's first word (or of a word after a wide gap: the first
    word of a table cell) is that text's bullet: it becomes a '•' word before it."""
    free = list(shapes)
    for line in lines:
        if not free:
            return
        position = 0
        while position < len(line.words):
            word = line.words[position]
            starts_cell = position == 0 or word.x0 - line.words[position - 1].x1 > cell_gap_em * max(word.height, 1.0)
            if starts_cell and word.text != DRAWN:
                shape = _bullet_before(word, free, max_em, reach_em)
                if shape is not None:
                    line.words.insert(position, Word(DRAWN, shape.x0, shape.x1, word.top, word.bottom))
                    free.remove(shape)
                    if position == 0 and not line.marker:
                        line.marker = "shape"
                    position += 1
            position += 1


def _bullet_before(word: Word, shapes, max_em: float, reach_em: float):
    height = max(word.height, 1.0)
    for shape in shapes:
        if max(shape.x1 - shape.x0, shape.bottom - shape.top) > max_em * height:
            continue
        if shape.x1 <= word.x0 + 0.5 and word.x0 - shape.x1 <= reach_em * height and word.top <= shape.middle <= word.bottom:
            return shape
    return None


OCR_BULLET_READINGS = {"e", "o", "oe", "eo", "ee", "oo", "«", "»", "*", "©", "@", "®", "°", "•", "·", "«e", "e«", "+",
                       "»e", "e»", "°e", "¢", "Ø", "ø", "®e", "."}
_GLUED_BULLET = re.compile(r"^[«»•·*°]+(?=[A-ZÅÄÖ”\"])")
_DASHES = {"-", "–", "—", "_"}
_SPECK_CHARS = "\"'”“’‘`-–—_~.,:;|"  # ink OCR reads beside a bullet ('"ee', "'e", 'e-', '-e')


def _bullet_reading(text: str) -> bool:
    """A reading of a bullet: one of OCR's usual readings, with specks read beside it or not."""
    return text in OCR_BULLET_READINGS or text.strip(_SPECK_CHARS) in OCR_BULLET_READINGS


def without_leading_baseline_period(words: list[Word]) -> list[Word]:
    """A period OCR read before a line's first word, low on the line, is a speck: a bullet stands at
    mid-height. (Run on Tesseract's own boxes, before a line's words are given one height.)"""
    if len(words) > 1 and words[0].text == ".":
        first, second = words[0], words[1]
        if (first.top + first.bottom) / 2 > second.top + 0.7 * second.height:
            return words[1:]
    return words


def _shadow(word: Word, after: Word) -> bool:
    """A lone digit or mark between a bullet and an item's capital ('» 2 God förmåga'): the bullet's
    shadow, not text (an item may start with a number, but not a number and then a capital)."""
    return len(word.text) == 1 and not word.text.isalpha() and after.text[:1].isupper()


def mark_ocr_bullets(lines: list[Line]) -> None:
    """OCR reads a bullet as 'e', 'oe', '«', '.' …: a small first word standing apart from the text after it
    becomes '•' (and a dash OCR saw in the bullet's shadow goes)."""
    for line in lines:
        if len(line.words) < 2:
            continue
        first, second = line.words[0], line.words[1]
        height = max(first.height, second.height, 1.0)
        small = (first.x1 - first.x0) <= 0.9 * height
        apart = second.x0 - first.x1 >= 0.3 * height or (first.text in ("e", "«", "»", "+") and second.text[:1].isupper())
        opens = next((ch for ch in second.text if ch.isalnum()), "")
        # a mark OCR doubted: one character, or two with a symbol among them ('$s': a bullet and a speck)
        doubted_mark = (len(first.text) == 1 or (len(first.text) == 2 and not first.text.isalnum())) and \
            (first.conf or 100) < 40 and opens.isupper()
        if (_bullet_reading(first.text) or doubted_mark) and small and apart:
            line.words[0] = Word(DRAWN, first.x0, first.x1, first.top, first.bottom, conf=first.conf)
            if len(line.words) > 2 and (line.words[1].text in _DASHES or _shadow(line.words[1], line.words[2])):
                del line.words[1]
            text = line.words[1].text
            if text[:1] in _DASHES and text.lstrip("".join(_DASHES))[:1].isalnum():
                second = line.words[1]  # '--3.3': the bullet's shadow read into the word after it
                line.words[1] = Word(text.lstrip("".join(_DASHES)), second.x0, second.x1, second.top, second.bottom,
                                     conf=second.conf, alternatives=second.alternatives)
            line.marker = "glyph"
        elif _GLUED_BULLET.match(first.text):  # '«Regelbundna': the bullet read into the word
            rest = _GLUED_BULLET.sub("", first.text)
            line.words[0:1] = [Word(DRAWN, first.x0, first.x0 + 0.4 * height, first.top, first.bottom, conf=first.conf),
                               Word(rest, first.x0 + 0.5 * height, first.x1, first.top, first.bottom, conf=first.conf)]
            line.marker = "glyph"
