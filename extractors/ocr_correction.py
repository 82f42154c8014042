"""OCR's slips in Swedish words mended where a dictionary settles them: 'orgänisationen' → 'organisationen',
'inläninade' → 'inlämnade', 'enl igt' → 'enligt'.

A word OCR doubted (confidence below `settings.ocr_correct_confidence`) that is not a Swedish word form is
replaced by the one word form that one or two of OCR's usual confusions (ä for a, ri for n, é for e …)
make of it, when exactly one does; two doubted pieces of one word split by a false space are joined
when the whole is a word and the pieces are not. Numbers are never touched here: they are held to the
report's sums (`extractors.arithmetic`).
"""
from __future__ import annotations

from functools import lru_cache

from extractors.layout import Word

# (what OCR printed, what may have stood there): the confusions of Latin print at low resolution
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("ä", "a"), ("a", "ä"), ("å", "a"), ("a", "å"), ("ö", "o"), ("o", "ö"), ("é", "e"), ("è", "e"), ("e", "é"),
    ("rn", "m"), ("m", "rn"), ("ri", "n"), ("ni", "m"), ("in", "m"), ("li", "h"), ("ii", "n"), ("ii", "u"),
    ("l", "i"), ("i", "l"), ("I", "l"), ("1", "l"), ("0", "o"), ("c", "e"), ("e", "c"), ("d", "a"), ("u", "n"),
    ("n", "u"), ("cl", "d"), ("vv", "w"), ("ü", "ä"), ("õ", "ö"), ("ô", "ö"), ("h", "n"), ("n", "h"),
)
MAX_EDITS = 2


def _one_edit(word: str) -> set[str]:
    found = set()
    for wrong, right in CONFUSIONS:
        start = word.find(wrong)
        while start != -1:
            found.add(word[:start] + right + word[start + len(wrong):])
            start = word.find(wrong, start + 1)
    return found


@lru_cache(maxsize=20_000)
def candidates(word: str) -> frozenset[str]:
    """Words one or two confusions away."""
    first = _one_edit(word)
    second = set()
    if MAX_EDITS > 1:
        for variant in first:
            second |= _one_edit(variant)
    return frozenset((first | second) - {word})


def _case_like(original: str, corrected: str) -> str:
    return corrected[:1].upper() + corrected[1:] if original[:1].isupper() else corrected


def correct_word(word: Word, is_word, threshold: float) -> tuple[Word, str | None]:
    """The word, mended if OCR doubted it and exactly one confusion-near word form exists."""
    text = word.text
    core = text.strip(".,:;!?”\"()")
    if "-" in core and core.rsplit("-", 1)[1].isalpha():
        core = core.rsplit("-", 1)[1]  # 'IT-satsriingen': the word after the hyphen
    if word.conf is None or word.conf >= threshold or len(core) < 3 or not core.isalpha():
        return word, None
    lower = core.casefold()
    if is_word(lower):
        return word, None
    fits = sorted({c for c in candidates(lower) if c.isalpha() and is_word(c)})
    if len(fits) != 1:
        return word, None
    mended = text.replace(core, _case_like(core, fits[0]), 1)
    return Word(mended, word.x0, word.x1, word.top, word.bottom, word.conf, word.alternatives), f"{text} → {mended}"


def correct_line(words: list[Word], is_word, threshold: float) -> tuple[list[Word], list[str]]:
    """Every doubted word of one line mended where a dictionary settles it; pieces of one word joined."""
    notes: list[str] = []
    joined: list[Word] = []
    for word in words:
        previous = joined[-1] if joined else None
        if previous is not None and previous.conf is not None and word.conf is not None and \
                previous.text.isalpha() and word.text.strip(".,:;!?").isalpha() and \
                min(previous.conf, word.conf) < threshold:
            core = word.text.strip(".,:;!?")
            whole = (previous.text + core).casefold()
            if is_word(whole) and not (is_word(previous.text.casefold()) and is_word(core.casefold())):
                text = previous.text + word.text
                notes.append(f"{previous.text} {word.text} → {text}")
                joined[-1] = Word(text, previous.x0, word.x1, min(previous.top, word.top),
                                  max(previous.bottom, word.bottom), min(previous.conf, word.conf))
                continue
        joined.append(word)
    mended = []
    for word in joined:
        word, note = correct_word(word, is_word, threshold)
        mended.append(word)
        if note:
            notes.append(note)
    return mended, notes
