"""The headings of the findings lists: "Styrkor", "Kommunens förbättringsområden", a run-in "Styrka:",
"Sammanfattning område 3", the score summary's heading — recognised by the vocabulary's wordings."""
from __future__ import annotations

import re
from functools import lru_cache

from extractors.layout import Line
from extractors.records import IMPROVEMENT, STRENGTH
from extractors.vocabulary import VOCABULARY

_SUMMARY_NUMBER = re.compile(r"\b([1-8])\b")


@lru_cache(maxsize=8192)
def list_kind(text: str) -> str | None:
    """STRENGTH or IMPROVEMENT when `text` is a list heading and nothing else: a wording of the vocabulary,
    perhaps opened by an owner ("Kommunens", "Fagersta kommuns", "Viktiga") or closed by a qualifier
    ("i kommunen")."""
    text = text.strip().strip("*").strip()
    core = _heading_core(text)
    words = VOCABULARY.findings
    if words.strengths.whole(text) or words.strengths.whole(core):
        return STRENGTH
    if words.improvements.whole(text) or words.improvements.whole(core):
        return IMPROVEMENT
    return None


# "Fagerstas", "Fagersta kommuns", "Upplands Väsby kommuns": a capitalised genitive of up to three words.
_GENITIVE = re.compile(r"^[A-ZÅÄÖ][\wåäöÅÄÖ-]*(?:\s+[A-ZÅÄÖ][\wåäöÅÄÖ-]*){0,2}(?:s|\s+kommuns|\s+stads)\s+(?=\S)")
_TRAILING_COLON = re.compile(r"\s*:\s*$")


def _heading_core(text: str) -> str:
    """A heading without the owner that opens it and the qualifier that closes it."""
    words = VOCABULARY.findings
    core = _TRAILING_COLON.sub("", text)
    opener = words.heading_openers.starts(core) or _GENITIVE.match(core)
    if opener:
        core = core[opener.end():].strip()
    closer = words.heading_closers.search(core)
    if closer and not core[closer.end():].strip():
        core = core[:closer.start()].strip()
    return core


def lines_before_score_summary(pages) -> list[str]:
    """The texts of the unmarked lines the findings are read from: up to the score summary (whose area
    headers are numbered whatever the chapters are)."""
    texts = []
    for page in pages:
        for line in page.lines:
            text = line.text.strip()
            if page.number > 2 and is_score_summary_heading(text):  # "4. Poängsammanställning" reads as an item
                return texts
            if line.marker is None:
                texts.append(text)
    return texts


def run_in_label(line: Line) -> tuple[str, int] | None:
    """(kind, words of the label) when the line opens with a list wording and a colon, then text
    ("Styrka: Kommunen har …", "Förbättringsområde: Öka …")."""
    for count, word in enumerate(line.words[:4], start=1):
        if word.text.endswith(":"):
            if count == len(line.words):
                return None
            label = " ".join(w.text for w in line.words[:count])[:-1]
            kind = list_kind(label)
            return (kind, count) if kind else None
    return None


def summary_heading_area(text: str, current: int | None) -> tuple[bool, int | None]:
    """('Sammanfattning område 3' → (True, 3)); a bare 'Sammanfattning' keeps the current area."""
    found = VOCABULARY.findings.summary_headings.starts(text)
    if not found or len(text) > 80:
        return False, current
    rest = text[found.end():].strip()
    number = _SUMMARY_NUMBER.match(rest)
    if number:
        return True, int(number.group(1))
    return (not rest or len(rest) < 3), current


_CHAPTER_NUMBER = re.compile(r"^\d\.?\s*")


def is_score_summary_heading(text: str) -> bool:
    return bool(text.strip()) and VOCABULARY.score_summary.headings.whole(_CHAPTER_NUMBER.sub("", text))
