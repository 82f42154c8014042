"""The one area matcher: a label → the area of a framework generation it names, with a score.

A label may carry a number ('3.', '3)', 'Område 3 –', the vocabulary's `area_prefixes`), be wrapped
over lines and hyphenated ('Tillgänglighet/medborgar- och\\nbrukarorientering'); the lines are joined
(hyphenation mended) before the name is compared with every wording of the vocabulary. A number
alone names the area by its number. One threshold from the settings decides.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.hyphenation import join_all
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings
from extractors.vocabulary import VOCABULARY

FRAMEWORKS = {g.id: g.areas for g in VOCABULARY.generations}
GENERATIONS = tuple(FRAMEWORKS)
_NUMBER = re.compile(r"^\(?([1-8])(?:\.0)?(?![\d.,]*\d)\s*[.:)–-]?\s*(?=\S|$)")
_LONGEST = {g: max(len(n) for area in areas for n in area.all_names) for g, areas in FRAMEWORKS.items()}


def _norm(text: str) -> str:
    text = text.casefold().replace("–", " ").replace("-", " ").replace("/", " ")
    text = re.sub(r"[^\wåäö ]", " ", text)
    return " ".join(text.split())


def similarity(a: str, b: str, at_least: float = 0.0) -> float:
    """difflib's ratio of the two texts, normalised (case, dashes, slashes, punctuation); 0.0 early when it
    cannot reach `at_least`."""
    matcher = difflib.SequenceMatcher(None, _norm(a), _norm(b), autojunk=False)
    if at_least and (matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least):
        return 0.0
    return matcher.ratio()


def area_score(title: str, area: int, generation: str | None = None, at_least: float = 0.0) -> float:
    """How well `title` names `area` (0–1): of `generation`, or of the generation it names best."""
    generations = [generation] if generation else GENERATIONS
    return max(_title_scores(title, gen, at_least)[area - 1] for gen in generations)


def best_area(title: str, generation: str | None = None) -> tuple[float, int, str]:
    """(score, area, generation) of the area `title` is most like."""
    return max((score, area, gen) for gen in ([generation] if generation else GENERATIONS)
               for area, score in enumerate(_title_scores(title, gen, 0.0), start=1))


@dataclass(frozen=True)
class AreaMatch:
    area: int
    generation: str | None  # None when only a number named the area
    score: float  # 0–1: how like the area's name the title is (1.0 for a number alone)
    number: int | None  # the number the label carried, if any
    title: str  # the label's text without its number


def split_number(label: str) -> tuple[int | None, str]:
    """(the area number a label starts with, the rest): 'Område 3 – Styrning' → (3, 'Styrning')."""
    text = join_all([line.strip() for line in label.split("\n") if line.strip()])
    words = text.split(maxsplit=1)
    if words and VOCABULARY.area_prefixes.whole(words[0].rstrip(":")):
        text = words[1] if len(words) > 1 else ""
    match = _NUMBER.match(text)
    if match:
        return int(match.group(1)), text[match.end():].strip(" –-:")
    return None, text.strip()


@lru_cache(maxsize=16384)
def _title_scores(title: str, generation: str, at_least: float) -> tuple[float, ...]:
    return tuple(max(similarity(title, name, at_least) for name in area.all_names)
                 for area in FRAMEWORKS[generation])


def match_area(label: str, generation: str | None = None, settings: ExtractionSettings = DEFAULT_SETTINGS,
               weak: bool = False) -> AreaMatch | None:
    """The area `label` names (of `generation`, or of whichever generation it names best), or None.

    `weak`: accept a title only loosely like its area's names (`area_name_weak_similarity`), when it is
    still more like that area than any other; a number before the title must agree with it."""
    return _match(label, generation, settings.area_name_similarity, settings.area_name_weak_similarity, weak)


@lru_cache(maxsize=16384)
def _match(label: str, generation: str | None, strong_threshold: float, weak_threshold: float,
           weak: bool) -> AreaMatch | None:
    number, title = split_number(label)
    if not title:
        return AreaMatch(number, None, 1.0, number, "") if number is not None else None
    if not any(ch.isalpha() for ch in title):
        return None
    threshold = weak_threshold if weak else strong_threshold
    best: AreaMatch | None = None
    for gen in ([generation] if generation else GENERATIONS):
        if len(title) > 2 * _LONGEST[gen] + 4:
            continue  # past any name of the generation: a sentence
        scores = _title_scores(title, gen, 0.0 if weak else threshold)
        area = max(range(1, 9), key=lambda a: scores[a - 1])
        if number is not None and area != number:
            if scores[number - 1] < weak_threshold:
                continue
            area = number  # the number decides between two near names
        score = scores[area - 1]
        if score >= threshold and (best is None or score > best.score):
            best = AreaMatch(area, gen, score, number, title)
    return best
