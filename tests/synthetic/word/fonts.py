"""Widths of text in an installed font (what Word would lay out), via fontconfig and reportlab."""
from __future__ import annotations

import functools
import shutil
import subprocess

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

AVERAGE_ADVANCE = 0.55  # em; a fallback when the font file cannot be found


@functools.lru_cache(maxsize=None)
def _registered(family: str, bold: bool) -> str | None:
    """The reportlab name of `family` registered from its TrueType file, or None."""
    if not shutil.which("fc-match"):
        return None
    pattern = f"{family}:bold" if bold else family
    found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=False)
    path = found.stdout.strip()
    if found.returncode != 0 or not path.lower().endswith(".ttf"):
        return None
    name = f"word-{family}-{'bold' if bold else 'regular'}"
    pdfmetrics.registerFont(TTFont(name, path))
    return name


def text_width(text: str, family: str, size: float, bold: bool = False) -> float:
    """Width of `text` in points."""
    name = _registered(family, bold)
    if name is None:
        return len(text) * size * AVERAGE_ADVANCE
    return pdfmetrics.stringWidth(text, name, size)


def wrap(text: str, family: str, size: float, width: float) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `width` points."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(candidate, family, size) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines
