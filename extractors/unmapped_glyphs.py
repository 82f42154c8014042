"""Glyphs pdfminer could not map to Unicode ('F(cid:246)rb(cid:228)ttringsomr(cid:229)den'), read by their
font encoding where the page shows that encoding.

TeX's bitmap (Type 3) fonts in T1 encoding carry no Unicode map. pdfminer then gives each glyph as its
character code, and T1 puts å, ä, ö, é and ü at their Latin-1 codes and the ligatures ff, fi, fl, ffi,
ffl at 27–31. A code is a glyph number in other fonts, so the codes are read this way only where that
makes Swedish words: at least a few distinct known words among those that held codes.
"""
from __future__ import annotations

import re

from extractors.textquality import known_words

_CODE = re.compile(r"\(cid:(\d+)\)")
# T1 (Cork) codes of the letters and ligatures Swedish text uses.
T1_CODES = {21: "–", 22: "—", 27: "ff", 28: "fi", 29: "fl", 30: "ffi", 31: "ffl",
            196: "Ä", 197: "Å", 201: "É", 214: "Ö", 220: "Ü", 228: "ä", 229: "å", 233: "é", 246: "ö", 252: "ü"}
MIN_KNOWN_WORDS = 3
MIN_KNOWN_SHARE = 0.25
_LETTERS = re.compile(r"[^\W\d_]+")


def _is_swedish(word: str) -> bool:
    """A word form of the treebank's lexicon or the lemma table (forms of Swedish words), or a lemma."""
    from extractors.lemmas import is_known_lemma, lemma_table

    return word in known_words() or word in lemma_table() or is_known_lemma(word)


def decode_t1(text: str) -> str:
    """The text with each glyph code T1 gives a Swedish letter or ligature read as that."""
    return _CODE.sub(lambda m: T1_CODES.get(int(m.group(1)), m.group(0)), text)


def reads_as_t1(texts: list[str]) -> bool:
    """Whether the glyph codes in these texts, read as T1, make Swedish words (a few distinct known ones)."""
    words = {w.casefold() for text in texts if _CODE.search(text)
             for w in _LETTERS.findall(decode_t1(text)) if len(w) >= 2}
    known = {w for w in words if _is_swedish(w)}
    return len(known) >= MIN_KNOWN_WORDS and len(known) >= MIN_KNOWN_SHARE * len(words)
