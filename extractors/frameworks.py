"""The three generations of the Kommunkompassen framework and how to recognise them from area names."""
from __future__ import annotations

import re
from functools import lru_cache

from extractors.hyphenation import join_lines
from extractors.tables.matcher import area_score, best_area, similarity  # noqa: F401 - similarity re-exported
from extractors.vocabulary import VOCABULARY, AreaWording

GEN_2002 = "2002-2009"
GEN_2010 = "2010-2019"
GEN_2020 = "2020-"
GENERATIONS = tuple(g.id for g in VOCABULARY.generations)
assert GENERATIONS == (GEN_2002, GEN_2010, GEN_2020), "vocabulary.yml must list the three generations in order"


AreaDef = AreaWording  # one area's canonical name and its wording variants

# The generations and their area names come from the vocabulary file (extractors/data/vocabulary.yml).
FRAMEWORKS: dict[str, tuple[AreaWording, ...]] = {g.id: g.areas for g in VOCABULARY.generations}


def area_match(generation: str, number: int, text: str) -> float:
    """How well `text` names area `number` of `generation` (0–1): the one area matcher's score."""
    return area_score(text, number, generation)


def generation_by_year(year: int | None) -> str | None:
    """The generation in use in `year` (None for a year before the first or when unknown)."""
    generation = VOCABULARY.generation_of_year(year)
    return generation.id if generation else None


def detect_framework(area_titles: dict[int, list[str]], year: int | None) -> tuple[str | None, dict[str, float]]:
    """The generation whose area names best match the titles seen for each area number.

    `area_titles` maps an area number to the titles the report gives it (headings, table rows).
    Returns the generation (or the one implied by the year when the names say nothing) and the scores.
    """
    scores = {}
    for generation in GENERATIONS:
        total = 0.0
        for number, titles in area_titles.items():
            if 1 <= number <= 8 and titles:
                total += max(area_match(generation, number, title) for title in titles)
        scores[generation] = round(total, 3)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not area_titles or ranked[0][1] - ranked[1][1] < 0.5:
        by_year = generation_by_year(year)
        if by_year is not None:
            return by_year, scores
    return (ranked[0][0] if area_titles else None), scores


def area_name(generation: str, number: int) -> str:
    return FRAMEWORKS[generation][number - 1].name


@lru_cache(maxsize=8192)
def heading_area(text: str, threshold: float = 0.82) -> int | None:
    """The area a heading like 'Område 3 …', '3.3 Politisk styrning och kontroll' or '3 Personalpolitik' names."""
    match = re.match(r"^(?:(?:Huvud)?[Oo]mråde\s+|HUVUDOMRÅDE\s+|OMRÅDE\s+|\d\.)?([1-8])\.?\s*[:.–-]?\s+(\S.{2,80})$",
                     text.strip())
    if not match:
        return None
    number, title = int(match.group(1)), match.group(2)
    prefixed = text.strip()[:1].isupper() and text.strip().casefold().startswith(("område", "huvudområde"))
    if prefixed and len(title.split()) <= 12 and not title.rstrip().endswith((".", ",", ";")):
        return number  # 'Område 3 …' with any title (a sentence that mentions "område 3" is not one)
    return number if names_area(title, number, threshold) else None


def names_area(title: str, number: int, threshold: float) -> bool:
    """Whether `title` is like a name of area `number` (of any generation) by at least `threshold`: the same
    verdict as `area_score(title, number) >= threshold`, but only that area's names are compared, each
    given up early when it cannot reach the threshold."""
    return any(similarity(title, name, threshold) >= threshold
               for generation in GENERATIONS for name in FRAMEWORKS[generation][number - 1].all_names)


_NUMBERED_START = re.compile(r"^(?:(?:Huvud)?[Oo]mråde\s+|HUVUDOMRÅDE\s+|OMRÅDE\s+|\d\.)?[1-8]\.?\s*[:.–-]?\s+\S")


def wrapped_heading_area(text: str, next_text: str | None, threshold: float = 0.82) -> tuple[int | None, bool]:
    """The area a heading names, and whether its title went on to the next line ('3.2 Tillgänglighet och' /
    'brukarorientering'): a numbered line whose title names no area alone, but does with the next line."""
    area = heading_area(text, threshold)
    if area or not next_text or not _NUMBERED_START.match(text.strip()) or text.rstrip().endswith(("?", ".")) \
            or len(text.split()) > 9:
        return area, False
    following = next_text.strip()
    if len(following) > 60 or following.endswith((".", ";", "?")) or _NUMBERED_START.match(following):
        return None, False
    area = heading_area(join_lines(text.strip(), following), threshold)
    return area, area is not None


@lru_cache(maxsize=8192)
def name_only_area(text: str, threshold: float = 0.9) -> int | None:
    """The area a heading names by its name alone ('Personalpolitik', 'Kommunen som samhällsbyggare'), for
    reports whose area chapters carry no number; None for a line with a digit, a full stop or many words."""
    title = text.strip().rstrip(":").strip()
    if not title[:1].isupper() or len(title.split()) > 9 or any(ch.isdigit() for ch in title) \
            or title.endswith((".", ",", ";", "?")):
        return None
    score, number, _ = best_area(title)
    return number if score >= threshold else None


def named_area_start(text: str, before: str | None, after: str | None, current: int | None) -> int | None:
    """In a report whose area chapters carry no number: the area a line starts by its name alone, if that
    area comes after the one now read and the line is not one of a list of names (an introduction's)."""
    area = name_only_area(text)
    if area is None or (current is not None and area <= current):
        return None
    if any(other and name_only_area(other) for other in (before, after)):
        return None
    return area


def has_numbered_area_headings(lines: list[str]) -> bool:
    """Whether any line is a numbered area heading ('Område 3 …', '3.3 Politisk styrning och kontroll')."""
    return any(heading_area(line) for line in lines)


_AREA_HEADING = re.compile(r"^(?:Område|Huvudområde)\s+([1-8])\s*[:.–-]?\s*(.+)$")


def area_headings(lines: list[str]) -> dict[int, list[str]]:
    """Titles the report gives its areas in headings ('Område 3: Politisk styrning och kontroll')."""
    titles: dict[int, list[str]] = {}
    for line in lines:
        match = _AREA_HEADING.match(line.strip())
        if match:
            titles.setdefault(int(match.group(1)), []).append(match.group(2))
    return titles
