"""List markers — bullet glyphs, dashes, numbers, drawn bullets — defined once for every reader."""
from __future__ import annotations

import re

from extractors.layout import Line, Word

GLYPHS = "•▪■◦●○*➢►▸→✓✔◆◇♦"
MARKER = re.compile(rf"^\s*(?:[{GLYPHS}]|[-–—](?=\s)|o(?=\s+[A-ZÅÄÖ])|\d{{1,2}}[.)](?=\s+[A-ZÅÄÖ”\"]))\s*")
MARKER_ONLY = re.compile(rf"^(?:[{GLYPHS}\-–—o]|\d{{1,2}}[.)])$")
DRAWN = "•"  # the word a drawn bullet becomes, so that every reader sees a bullet


def marker(text: str) -> re.Match | None:
    """The list marker that opens `text` ('• ', '– ', '3. '), or None."""
    return MARKER.match(text)


def strip_marker(text: str) -> str:
    found = MARKER.match(text)
    return text[found.end():] if found else text


def is_marker_only(text: str) -> bool:
    return bool(MARKER_ONLY.match(text.strip()))


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
    height = max(text.height, 1.0)
    return 0 <= text.x0 - bullet.x1 <= 4 * height and abs((bullet.top + bullet.bottom) / 2 -
                                                           (text.top + text.bottom) / 2) <= 0.8 * height


def attach_drawn_bullets(lines: list[Line], shapes, max_em: float, reach_em: float) -> None:
    """A small drawn mark just left of a line's first word is that line's bullet: it becomes a '•' word."""
    free = list(shapes)
    for line in lines:
        if not free or line.marker:
            continue
        first = line.words[0]
        height = max(first.height, 1.0)
        for shape in free:
            if max(shape.x1 - shape.x0, shape.bottom - shape.top) > max_em * height:
                continue
            if shape.x1 <= first.x0 + 0.5 and first.x0 - shape.x1 <= reach_em * height and \
                    first.top <= shape.middle <= first.bottom:
                line.words.insert(0, Word(DRAWN, shape.x0, shape.x1, first.top, first.bottom))
                line.marker = "shape"
                free.remove(shape)
                break
