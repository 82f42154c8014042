"""Swedish lemmas without context, and without spaCy: the treebank lexicon, spaCy's lookup table
(read through `lemma_store`), then compound splitting (`medborgardialogen` → `medborgardialog`).

Kept free of spaCy so that loading and searching (which only need lemmas of words) start fast.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from extractors.lemma_store import LemmaStore

MODEL_DIR = Path(__file__).parent / "nlp" / "model"
WORD = re.compile(r"\w+(?:[-:]\w+)*", re.UNICODE)


@lru_cache(maxsize=1)
def lemma_table() -> LemmaStore:
    """spaCy's Swedish lemma lookup table (spacy-lookups-data), as a cached, indexed store."""
    return LemmaStore()


@lru_cache(maxsize=1)
def treebank_lexicon() -> dict[str, str]:
    """Word form → lemma from the training part of Talbanken (written by `make model`)."""
    path = MODEL_DIR / "lexicon.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@lru_cache(maxsize=1)
def _treebank_lemmas() -> frozenset[str]:
    return frozenset(treebank_lexicon().values())


def is_known_lemma(word: str) -> bool:
    return word in _treebank_lemmas() or lemma_table().is_lemma(word)


def _compound_lemma(lower: str) -> str | None:
    """Lemma of an unknown compound from its longest known tail ("medborgar|dialogen" → "medborgardialog")."""
    tails = [lower[cut:] for cut in range(3, len(lower) - 3)]
    table = lemma_table()
    known = table.known_lemmas(tails) | (set(tails) & _treebank_lemmas())
    found = dict(table.conn.execute(
        f"SELECT form, lemma FROM forms WHERE form IN ({', '.join('?' * len(tails))})", tails).fetchall()) \
        if tails else {}
    for cut, tail in enumerate(tails, start=3):
        if tail in known:
            return lower
        if tail in found:
            return lower[:cut] + found[tail]
    return None


@lru_cache(maxsize=200_000)
def lemma_of(word: str) -> str:
    """Lemma of one word form without context: treebank lexicon, then spaCy's lookup table, then
    compound splitting; unknown words are returned as they are."""
    lower = word.lower()
    lexicon = treebank_lexicon()
    for form in (word, lower):
        if form in lexicon:
            return lexicon[form]
    hit = lemma_table().first_form(dict.fromkeys((word, lower)))
    if hit:
        return hit[1]
    if is_known_lemma(lower):
        return lower
    if lower.isalpha() and len(lower) >= 7:
        return _compound_lemma(lower) or word
    return word


def lemma_words(text: str) -> str:
    """Space-joined, lower-cased lemmas of a text's words (regex words, no spaCy), for full-text search."""
    return " ".join(lemma_of(word).lower() for word in WORD.findall(text))
