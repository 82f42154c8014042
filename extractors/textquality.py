"""Is a page's text layer readable Swedish? A PDF whose fonts have no Unicode map decodes to garbage.

A page with enough words is readable when a fair share of them are known Swedish words (the word
forms of the Talbanken treebank plus the report's own vocabulary); a page with few words is judged by
its characters. pdfium also says which characters had no Unicode mapping.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.layout import Line
from extractors.settings import ExtractionSettings
from extractors.vocabulary import VOCABULARY

LEXICON_FILE = Path(__file__).parent / "nlp" / "model" / "lexicon.json"
_LETTERS = re.compile(r"[^\W\d_]+")
_SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
_MOJIBAKE = re.compile(r"[À-ÃÈ-ÏÒ-ÕÙ-ÛÝà-ãè-ëì-ïò-õù-ûý±¼½¾Ì]")
_LETTER = re.compile(r"[^\W\d_]")
_PLAUSIBLE = re.compile(r"[A-Za-zÅÄÖåäöÉéÜüÆæØø0-9\s.,:;!?%()\-–—/•\"'”“’+&§]")


OTHER_LANGUAGES_FILE = Path(__file__).parent / "data" / "other_languages.yml"


@dataclass(frozen=True)
class TextQuality:
    readable: bool
    words: int  # alphabetic words on the page
    known_share: float
    reason: str  # why unreadable, or "" when readable
    language: str = "sv"  # the language of a readable page ("en", "no" … for readable text not in Swedish)


@lru_cache(maxsize=1)
def other_language_words() -> dict[str, frozenset[str]]:
    """Common words of other languages (`data/other_languages.yml`), Swedish words left out."""
    import yaml

    data = yaml.safe_load(OTHER_LANGUAGES_FILE.read_text(encoding="utf-8")) or {}
    swedish = known_words()
    return {language: frozenset(w.casefold() for w in words.split()) - swedish for language, words in data.items()}


def other_language(letters: list[str], settings: ExtractionSettings) -> str | None:
    """The other language whose common words are a fair share of the page's words, or None."""
    if not letters:
        return None
    shares = {language: sum(1 for w in letters if w in words) / len(letters)
              for language, words in other_language_words().items()}
    language, share = max(shares.items(), key=lambda item: item[1])
    return language if share >= settings.min_other_language_share else None


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Swedish word forms: the treebank's frequent forms, every word of the vocabulary file, place names."""
    words = {w.casefold() for w in json.loads(LEXICON_FILE.read_text(encoding="utf-8"))}
    for name in VOCABULARY.all_area_names:
        words.update(w.casefold() for w in _LETTERS.findall(name))
    words.update(_place_names())
    return frozenset(words)


def _place_names() -> set[str]:
    """The municipalities' names (Swedish and Nordic, with genitives): a title page is mostly names."""
    from extractors.municipalities import all_municipalities
    from extractors.places import nordic_municipalities

    names = [m.name for m in all_municipalities()] + [n for m in nordic_municipalities() for n in (m.name, *m.other_names)]
    found = set()
    for name in names:
        for word in _LETTERS.findall(name):
            found.update((word.casefold(), word.casefold() + "s"))
    return found


def _unmapped_share(textpage: pdfium.PdfTextPage) -> float:
    count = textpage.count_chars()
    if count == 0:
        return 0.0
    errors = sum(1 for index in range(count) if pdfium_c.FPDFText_HasUnicodeMapError(textpage.raw, index) == 1)
    return errors / count


def _repairable(words: list[str], lexicon: frozenset[str]) -> int:
    """Unknown words that become known Swedish words with one å, ä or ö put back ('fr' → 'för')."""
    count = 0
    for word in words:
        if word in lexicon or not word.isalpha():
            continue
        if any(word[:i] + letter + word[i:] in lexicon for i in range(len(word) + 1) for letter in "åäö"):
            count += 1
    return count


def _lost_letters(text: str, words: list[str], settings: ExtractionSettings) -> str:
    """Why a page's Swedish letters are wrong: decoded as other accented letters, or missing (no å, ä or
    ö in a long text — about one letter in 25 is one of them — and words that read right with one put
    back); "" when they look right."""
    letters = len(_LETTER.findall(text))
    if letters < settings.min_letters_for_swedish:
        return ""
    wrong = len(_MOJIBAKE.findall(text))
    if wrong > 0.01 * letters:
        return f"{wrong} of its {letters} letters decode to wrong accented letters (å, ä, ö mis-mapped)"
    if len(_SWEDISH_LETTERS.findall(text)) < 0.005 * letters:
        repairable = _repairable(words, known_words())
        if repairable >= 3:
            return (f"no å, ä or ö in {letters} letters, and {repairable} words read right with one put back "
                    "(the fonts lost them)")
    return ""


_CID = re.compile(r"\(cid:\d+\)")  # pdfplumber's (pdfminer's) mark for a glyph with no Unicode mapping


def judge_words(texts: list[str], settings: ExtractionSettings) -> TextQuality:
    """Readability of a page from its words alone (also used for OCR'd and re-read pages). A glyph
    pdfminer could not map ('f(cid:2)r') is a letter lost, as if the font had dropped it."""
    texts = [_CID.sub("", text) for text in texts]
    letters = [w.casefold() for text in texts for w in _LETTERS.findall(text) if len(w) >= 2]
    if not letters and not any(texts):
        return TextQuality(False, 0, 0.0, "no text")
    lexicon = known_words()
    known = sum(1 for w in letters if w in lexicon)
    share = known / len(letters) if letters else 0.0
    if len(letters) >= settings.min_words_to_judge:
        lost = _lost_letters("".join(texts), letters, settings)
        if lost:
            return TextQuality(False, len(letters), share, lost)
        # a short page (a title page, a summary) is held to half the share: never condemned for being short
        required = settings.min_known_share / (2 if len(letters) < settings.short_page_words else 1)
        if share >= required:
            return TextQuality(True, len(letters), share, "")
        if (language := other_language(letters, settings)) is not None:
            return TextQuality(True, len(letters), share, "", language)
        return TextQuality(False, len(letters), share, f"only {share:.0%} of {len(letters)} words are Swedish")
    joined = "".join(texts)
    plausible = len(_PLAUSIBLE.findall(joined)) / max(len(joined), 1)
    if plausible >= 0.9:
        return TextQuality(True, len(letters), share, "")
    return TextQuality(False, len(letters), share, f"{1 - plausible:.0%} of its characters are not Swedish text")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def judge_page(lines: list[Line], raw: str, textpage: pdfium.PdfTextPage | None,
               settings: ExtractionSettings) -> TextQuality:
    """Readability of one page of the text layer: its words, and the characters pdfium decoded to
    control codes or could not map (fonts without a Unicode map)."""
    control = len(_CONTROL.findall(raw)) / max(len(raw), 1)
    if control > settings.max_unmapped_share:
        return TextQuality(False, 0, 0.0, f"{control:.0%} of its characters decode to control codes")
    quality = judge_words([w.text for line in lines for w in line.words], settings)
    if textpage is not None and quality.readable and (quality.known_share < 2 * settings.min_known_share
                                                      or quality.words < settings.min_words_to_judge):
        unmapped = _unmapped_share(textpage)
        if unmapped > settings.max_unmapped_share:
            return TextQuality(False, quality.words, quality.known_share,
                               f"{unmapped:.0%} of its characters have no Unicode mapping")
    return quality
