"""Rejoining lines of Swedish text: words hyphenated at line ends are mended."""
from __future__ import annotations

import re

# A hyphen before these words is a Swedish compound ellipsis ("mål- och resultatstyrning").
_CONJUNCTIONS = {"och", "eller", "samt", "respektive", "resp.", "som", "men", "till", "i", "&"}
_KEEP_HYPHEN_BEFORE = re.compile(r"[(\"”]?(?:[A-ZÅÄÖ0-9]{2,}|[A-ZÅÄÖ]|e)-")


def join_lines(first: str, second: str) -> str:
    """Join two wrapped lines, mending a word that was hyphenated at the end of the first."""
    first = first.rstrip()
    second = second.lstrip()
    if not first:
        return second
    if not second:
        return first
    if first.endswith("-") and len(first) > 1 and first[-2].isalpha():
        next_word = second.split(" ", 1)[0]
        if next_word.casefold() in _CONJUNCTIONS or next_word[:1].isupper():
            return f"{first} {second}"  # "medborgar- och", "Karl- Skoga" stays apart
        last_word = first.rsplit(" ", 1)[-1]
        if _KEEP_HYPHEN_BEFORE.fullmatch(last_word):
            return first + second  # "IT-\nstödet" → "IT-stödet"
        return first[:-1] + second  # "förbättringsom-\nråden" → "förbättringsområden"
    if first.endswith("/") and len(first) > 1 and (first[-2].isalnum() or first[-2] == "-"):
        return first + second  # "avdelningar/\nenheter" → "avdelningar/enheter"
    return f"{first} {second}"


def join_all(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text = join_lines(text, line)
    return " ".join(text.split())
