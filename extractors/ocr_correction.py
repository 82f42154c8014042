"""OCR's slips in Swedish words mended where a dictionary settles them: 'orgänisationen' → 'organisationen',
'inläninade' → 'inlämnade', 'enl igt' → 'enligt'.

A word OCR doubted (confidence below `settings.ocr_correct_confidence`) that is not a Swedish word form is
replaced by the one word form that the fewest of OCR's usual confusions (ä for a, ri for n, é for e …, or
a speck glued on: 'ochi') make of it, when exactly one does (a compound the dictionary lacks counts
when only a dot a speck added stands between: 'kostnädsbudgetering'); a word in capitals (an acronym)
and a compound of two word forms are kept. Two doubted pieces of one word split by a false space are
joined when the whole is a word and the pieces are not. A lone quote or a doubted period inside a
sentence is a speck. Numbers are never touched here: they are held to the report's sums
(`extractors.arithmetic`).
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
DOTS_ADDED = (("ä", "a"), ("ö", "o"), ("é", "e"))  # a speck on a letter reads as its dots (a ring is no speck)
SPECK_LETTERS = "il|"  # a speck beside a word is read as one of these, glued to it ('ochi')
# words Swedish writes with a period inside a sentence: a period after them is never a speck
ABBREVIATIONS = frozenset({"ca", "avd", "kap", "ev", "tom", "dvs", "osv", "etc", "forts", "alt", "ex", "resp", "bl",
                           "tel", "inkl", "exkl", "fr", "jfr", "mm", "st", "nr", "kl", "tfn", "ang", "enl", "betr",
                           "obs", "sid", "s", "f", "ff", "kr", "milj", "mdkr", "tkr", "proc", "uppl", "nov", "dec",
                           "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "prof", "dr", "bla"})


def _one_edit(word: str, confusions: tuple[tuple[str, str], ...] = CONFUSIONS) -> set[str]:
    found = set()
    for wrong, right in confusions:
        start = word.find(wrong)
        while start != -1:
            found.add(word[:start] + right + word[start + len(wrong):])
            start = word.find(wrong, start + 1)
    return found


@lru_cache(maxsize=20_000)
def candidates(word: str) -> frozenset[str]:
    """Words one or two confusions away, and the word without a speck glued to either end."""
    first = _one_edit(word)
    second = set()
    if MAX_EDITS > 1:
        for variant in first:
            second |= _one_edit(variant)
    return frozenset((first | second | _speck_trimmed(word)) - {word})


def _speck_trimmed(word: str) -> set[str]:
    """The word without a speck glued to either end ('ochi' → 'och')."""
    return {trimmed for trimmed, glued in ((word[:-1], word[-1:]), (word[1:], word[:1])) if glued and glued in SPECK_LETTERS}


def _nearest_fits(word: str, is_word) -> list[str]:
    """Word forms one confusion (or a glued speck) away; if none, two away."""
    def fitting(found) -> list[str]:
        return sorted(c for c in found if c != word and c.isalpha() and len(c) >= 2 and is_word(c))

    return fitting(_one_edit(word) | _speck_trimmed(word)) or fitting(candidates(word))


def is_compound(word: str, is_word) -> bool:
    """Two word forms written together, as Swedish does ('kompetens|utveckling', 'medarbetar|undersökningar'):
    a head of at least three letters that is a word, or a word without its final e or a (medarbetare →
    medarbetar-), with or without a linking s, and a tail word of at least three letters."""
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        heads = (head, head[:-1]) if head.endswith("s") and len(head) > 3 else (head,)
        if is_word(tail) and any(is_word(h) or is_word(h + "e") or is_word(h + "a") for h in heads):
            return True
    return False


def _case_like(original: str, corrected: str) -> str:
    return corrected[:1].upper() + corrected[1:] if original[:1].isupper() else corrected


def correct_word(word: Word, is_word, threshold: float) -> tuple[Word, str | None]:
    """The word, mended if OCR doubted it and exactly one confusion-near word form exists."""
    text = word.text
    core = text.strip(".,:;!?”\"()")
    if "-" in core and core.rsplit("-", 1)[1].isalpha():
        core = core.rsplit("-", 1)[1]  # 'IT-satsriingen': the word after the hyphen
    if word.conf is None or word.conf >= threshold or len(core) < 2 or not core.isalpha() or core.isupper():
        return word, None
    lower = core.casefold()
    if is_word(lower) or (len(lower) >= 8 and is_compound(lower, is_word)):
        return word, None
    fits = _nearest_fits(lower, is_word)
    if not fits and len(lower) >= 8:  # a compound the dictionary lacks, with a dot a speck put on a letter
        fits = sorted(c for c in _one_edit(lower, DOTS_ADDED) if is_compound(c, is_word))
    if len(fits) != 1:
        return word, None
    mended = text.replace(core, _case_like(core, fits[0]), 1)
    return _retexted(word, mended), f"{text} → {mended}"


_QUOTES = "\"'”“’‘«»"


def without_stray_quotes(words: list[Word], is_word) -> tuple[list[Word], list[str]]:
    """A straight quote OCR read before a word ('"Styrkor') is a speck when the line holds no other quote
    and the word without it is a Swedish word: quotes in print come in pairs."""
    quotes = sum(ch in _QUOTES for word in words for ch in word.text)
    if quotes != 1:
        return words, []

    def speck(word: Word, _after: Word | None) -> str | None:
        core = word.text[1:]
        return core if word.text[:1] in "\"'" and core.isalpha() and is_word(core.casefold()) else None

    return _without_specks(words, speck)


def without_stray_periods(words: list[Word], is_word, threshold: float) -> tuple[list[Word], list[str]]:
    """A period OCR doubted after a Swedish word that is no abbreviation, with the sentence going on in
    lower case after it ('till. e-postadresser'), is a speck."""
    def speck(word: Word, after: Word | None) -> str | None:
        core = word.text[:-1]
        stray = after is not None and word.conf is not None and word.conf < threshold and word.text.endswith(".") \
            and core.isalpha() and len(core) >= 2 and core.casefold() not in ABBREVIATIONS \
            and is_word(core.casefold()) and after.text[:1].islower()
        return core if stray else None

    return _without_specks(words, speck)


def _without_specks(words: list[Word], speck) -> tuple[list[Word], list[str]]:
    """Each word for which `speck(word, next word)` gives the text without the speck, retexted."""
    kept, notes = [], []
    for word, after in zip(words, words[1:] + [None]):
        core = speck(word, after)
        kept.append(word if core is None else _retexted(word, core))
        if core is not None:
            notes.append(f"{word.text} → {core}")
    return kept, notes


def _retexted(word: Word, text: str) -> Word:
    return Word(text, word.x0, word.x1, word.top, word.bottom, word.conf, word.alternatives)


def correct_line(words: list[Word], is_word, threshold: float,
                 is_name=lambda text: False) -> tuple[list[Word], list[str]]:
    """Every doubted word of one line mended where a dictionary settles it; pieces of one word joined. A
    capitalised word inside a sentence may be a name ('Morten'): it is mended only to a name (`is_name`)."""
    words, notes = without_stray_quotes(words, is_word)
    words, period_notes = without_stray_periods(words, is_word, threshold)
    notes += period_notes
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
    for index, word in enumerate(joined):
        corrected, note = correct_word(word, is_word, threshold)
        before = joined[index - 1].text if index else ""  # a bullet or a sentence's end before: a first word
        inside = any(ch.isalnum() for ch in before) and not before.endswith((".", "!", "?", ":"))
        if note and inside and word.text[:1].isupper() and not is_name(corrected.text.strip(".,:;!?”\"()")):
            corrected, note = word, None
        mended.append(corrected)
        if note:
            notes.append(note)
    return mended, notes
