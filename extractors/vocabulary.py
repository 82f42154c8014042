"""The report's vocabulary (extractors/data/vocabulary.yml) as frozen, validated dataclasses.

Loaded once (`VOCABULARY`); an unknown or missing key is an error naming the key and the file, so a
typo in the data cannot silently switch a wording off. `Phrases` turns a list of wordings into one
case-insensitive pattern that allows any whitespace between words — the one place where report
wording becomes a regular expression.
"""
from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

VOCABULARY_FILE = Path(__file__).parent / "data" / "vocabulary.yml"


class VocabularyError(ValueError):
    """The vocabulary file does not have the expected shape."""


class Phrases(tuple):
    """Wordings of one thing ("Styrkor", "Starka sidor"), matched as whole words, case-insensitively."""

    @cached_property
    def _body(self) -> str:
        alternatives = sorted(self, key=len, reverse=True)
        return "(?:" + "|".join(_phrase_regex(phrase) for phrase in alternatives) + ")"

    @cached_property
    def _start(self) -> re.Pattern:
        return re.compile(rf"^\s*(?P<phrase>{self._body})(?![\wåäöÅÄÖ])", re.I)

    @cached_property
    def _whole(self) -> re.Pattern:
        return re.compile(rf"^\s*(?P<phrase>{self._body})\s*:?\s*$", re.I)

    @cached_property
    def _anywhere(self) -> re.Pattern:
        return re.compile(rf"(?<![\wåäöÅÄÖ])(?P<phrase>{self._body})(?![\wåäöÅÄÖ])", re.I)

    def starts(self, text: str) -> re.Match | None:
        """The wording that opens `text` (a whole word), or None."""
        return self._start.match(text)

    def whole(self, text: str) -> bool:
        """`text` is one of the wordings and nothing else (a trailing colon allowed)."""
        return self._whole.match(text) is not None

    def search(self, text: str) -> re.Match | None:
        """A wording anywhere in `text`, as whole words."""
        return self._anywhere.search(text)


def _phrase_regex(phrase: str) -> str:
    """Words of a wording with any whitespace (a line break, several spaces) between them."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


@dataclass(frozen=True)
class AreaWording:
    number: int
    name: str
    variants: tuple[str, ...]

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


@dataclass(frozen=True)
class Generation:
    id: str
    first_year: int
    last_year: int | None
    areas: tuple[AreaWording, ...]

    def area(self, number: int) -> AreaWording:
        return self.areas[number - 1]

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


@dataclass(frozen=True)
class AreaTableWords:
    captions: Phrases
    score_headers: Phrases
    max_headers: Phrases


@dataclass(frozen=True)
class ComparisonTableWords:
    captions: Phrases
    area_headers: Phrases


@dataclass(frozen=True)
class ScoreSummaryWords:
    headings: Phrases
    max_headers: Phrases
    points_headers: Phrases
    percent_headers: Phrases
    sum_labels: Phrases
    question_prefixes: Phrases


@dataclass(frozen=True)
class FindingsWords:
    summary_headings: Phrases
    strengths: Phrases
    improvements: Phrases
    heading_openers: Phrases
    heading_closers: Phrases


@dataclass(frozen=True)
class ReferenceLabel:
    kind: str
    words: Phrases
    average: bool  # a mean over the municipalities: the areas' values add up to the total's (within rounding)


@dataclass(frozen=True)
class Vocabulary:
    generations: tuple[Generation, ...]
    report_names: Phrases
    area_prefixes: Phrases
    area_table: AreaTableWords
    comparison_table: ComparisonTableWords
    score_summary: ScoreSummaryWords
    findings: FindingsWords
    reference_labels: tuple[ReferenceLabel, ...]
    change_labels: Phrases
    total_labels: Phrases

    def generation(self, generation_id: str) -> Generation:
        for generation in self.generations:
            if generation.id == generation_id:
                return generation
        raise KeyError(f"no framework generation {generation_id!r}; known: "
                       + ", ".join(g.id for g in self.generations))

    def generation_of_year(self, year: int | None) -> Generation | None:
        if year is None:
            return None
        return next((g for g in self.generations if g.covers(year)), None)

    def reference_kind(self, header: str) -> str | None:
        """The kind of reference value a column header names ('Median för alla …' → 'median')."""
        for label in self.reference_labels:
            if label.words.search(header):
                return label.kind
        return None

    def is_average(self, kind: str | None) -> bool:
        """Whether a reference kind is a mean (its area values add up to its total, within rounding)."""
        return any(label.kind == kind and label.average for label in self.reference_labels)

    @cached_property
    def all_area_names(self) -> tuple[str, ...]:
        return tuple(sorted({name for g in self.generations for a in g.areas for name in a.all_names}))


def _build(cls: type, data: object, where: str):
    """Build `cls` from YAML data, refusing unknown and missing keys (named with their place)."""
    hints = typing.get_type_hints(cls)
    if not isinstance(data, dict):
        raise VocabularyError(f"{where}: expected a mapping for {cls.__name__}, got {type(data).__name__}")
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise VocabularyError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(names)}")
    missing = [name for name in names if name not in data]
    if missing:
        raise VocabularyError(f"{where}: missing key(s) {', '.join(missing)}")
    return cls(**{name: _value(hints[name], data[name], f"{where}.{name}") for name in names})


def _value(hint, value, where: str):
    origin = typing.get_origin(hint)
    if hint is Phrases:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise VocabularyError(f"{where}: expected a list of non-empty strings")
        return Phrases(v.strip() for v in value)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise VocabularyError(f"{where}: expected a list")
        return tuple(_value(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, where)
    if hint is int or hint == (int | None):
        if value is None and hint != int:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise VocabularyError(f"{where}: expected a whole number, got {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise VocabularyError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str) or not value.strip():
            raise VocabularyError(f"{where}: expected a non-empty string")
        return value.strip()
    raise VocabularyError(f"{where}: unsupported type {hint}")  # pragma: no cover - a programming error


def _validate(vocabulary: Vocabulary, where: str) -> Vocabulary:
    for generation in vocabulary.generations:
        numbers = [area.number for area in generation.areas]
        if numbers != list(range(1, 9)):
            raise VocabularyError(f"{where}: generation {generation.id} must list areas 1–8 in order, has {numbers}")
    return vocabulary


def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    """Read and validate a vocabulary file."""
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: a tenth of the time
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as error:
        raise VocabularyError(f"{path}: not valid YAML ({error})") from None
    return _validate(_build(Vocabulary, data, path.name), path.name)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The project's vocabulary, loaded once."""
    return load_vocabulary()


VOCABULARY = vocabulary()
