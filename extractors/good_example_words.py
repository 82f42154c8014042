"""The cue words of good examples (extractors/data/good_examples.yml) as frozen, validated dataclasses.

Loaded once (`good_example_words()`); an unknown or missing key is an error naming the key and the
file (as extractors/vocabulary.py does for the report's vocabulary), so a typo in the data cannot
silently switch a cue off. Word lists become frozensets, sequences tuples of lemmas.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.vocabulary import VocabularyError, _build

WORDS_FILE = Path(__file__).parent / "data" / "good_examples.yml"


@dataclass(frozen=True)
class SentenceCues:
    lemmas: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    presenting: tuple[tuple[str, ...], ...]
    presenting_gap: int
    negations: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    markers: tuple[str, ...]
    verbs: tuple[str, ...]


@dataclass(frozen=True)
class BeforeName:
    sequences: tuple[tuple[str, ...], ...]
    with_practice: tuple[tuple[str, ...], ...]
    gap: int


@dataclass(frozen=True)
class Subject:
    openers: tuple[str, ...]
    verbs_not_citing: tuple[str, ...]
    partner_after: tuple[str, ...]


@dataclass(frozen=True)
class Partners:
    lemmas: tuple[str, ...]
    window: int


@dataclass(frozen=True)
class Country:
    name: str
    code: str


@dataclass(frozen=True)
class OwnExamples:
    example_nouns: tuple[str, ...]
    self_praising_nouns: tuple[str, ...]
    praising_adjectives: tuple[str, ...]
    negations: tuple[str, ...]
    search_verbs: tuple[str, ...]
    elsewhere_words: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    parts_of_speech: tuple[str, ...]
    stop_lemmas: tuple[str, ...]


@dataclass(frozen=True)
class GoodExampleWords:
    sentence_cues: SentenceCues
    comparison: Comparison
    before_name: BeforeName
    practice_nouns: tuple[str, ...]
    subject: Subject
    example_adverbs: tuple[str, ...]
    partners: Partners
    countries: tuple[Country, ...]
    own: OwnExamples
    topic: Topic

    def country_code(self, name: str) -> str | None:
        """The code of a country written as it stands after "i" ("Norge" → "NO"), or None."""
        return next((c.code for c in self.countries if c.name == name), None)


def _validate(words: GoodExampleWords, where: str) -> GoodExampleWords:
    empty = [name for name, value in (("sentence_cues.lemmas", words.sentence_cues.lemmas),
                                      ("before_name.sequences", words.before_name.sequences),
                                      ("own.example_nouns", words.own.example_nouns)) if not value]
    if empty:
        raise VocabularyError(f"{where}: empty list(s) {', '.join(empty)}")
    lower = [w for w in (*words.sentence_cues.lemmas, *words.practice_nouns, *words.partners.lemmas)
             if w != w.lower()]
    if lower:
        raise VocabularyError(f"{where}: lemmas are written in lower case: {', '.join(lower[:5])}")
    if any(not seq for seq in (*words.sentence_cues.phrases, *words.sentence_cues.presenting,
                               *words.before_name.sequences, *words.before_name.with_practice)):
        raise VocabularyError(f"{where}: an empty sequence")
    if words.sentence_cues.presenting_gap < 0 or words.before_name.gap < 0 or words.partners.window < 0:
        raise VocabularyError(f"{where}: gaps and windows are whole numbers ≥ 0")
    return words


def load_good_example_words(path: Path = WORDS_FILE) -> GoodExampleWords:
    """Read and validate a good-example words file."""
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as error:
        raise VocabularyError(f"{path}: not valid YAML ({error})") from None
    return _validate(_build(GoodExampleWords, data, path.name), path.name)


@lru_cache(maxsize=1)
def good_example_words() -> GoodExampleWords:
    """The project's good-example words, loaded once."""
    return load_good_example_words()
