"""Framework generations, their areas and the shared themes that make them comparable.

Area names and wording variants come from `extractors.frameworks` (the one place the extractor
also uses to recognise a generation); the crosswalk from each area to a shared theme lives here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from extractors.frameworks import FRAMEWORKS, GEN_2002, GEN_2010, GEN_2020, GENERATIONS, generation_by_year

# The shared themes, in the order the wide views show them: code → description (Swedish).
THEMES: dict[str, str] = {
    "democracy": "Offentlighet, demokrati och samspelet mellan förtroendevalda och medborgare",
    "user_focus": "Tillgänglighet, bemötande och brukarnas fokus",
    "steering": "Politisk styrning och kontroll, politikers och tjänstemäns roller",
    "leadership": "Ledning, ledarskap, delegering och medarbetarskap",
    "results": "Resultat, rapportering och effektivitet",
    "employer": "Kommunen som arbetsgivare: personalpolitik och arbetsliv",
    "development": "Verksamhets- och kvalitetsutveckling",
    "community": "Kommunen som samhällsbyggare och samhällsutveckling",
}
# The themes' short Swedish names, shown wherever a theme is (the code stays in machine formats).
THEME_NAMES: dict[str, str] = {
    "democracy": "Demokrati och öppenhet",
    "user_focus": "Tillgänglighet och brukarfokus",
    "steering": "Styrning och kontroll",
    "leadership": "Ledarskap och delegering",
    "results": "Resultat och effektivitet",
    "employer": "Kommunen som arbetsgivare",
    "development": "Verksamhets- och kvalitetsutveckling",
    "community": "Samhällsbyggande",
}

# (generation, area number) -> (theme, approximate). Approximate: the area's content only
# partly overlaps the theme across generations (the 2020 revision regrouped several areas).
THEME_OF_AREA: dict[tuple[str, int], tuple[str, bool]] = {
    (GEN_2002, 1): ("democracy", False),
    (GEN_2002, 2): ("user_focus", False),
    (GEN_2002, 3): ("steering", True),
    (GEN_2002, 4): ("leadership", False),
    (GEN_2002, 5): ("results", True),
    (GEN_2002, 6): ("employer", False),
    (GEN_2002, 7): ("development", False),
    (GEN_2002, 8): ("community", False),
    (GEN_2010, 1): ("democracy", False),
    (GEN_2010, 2): ("user_focus", False),
    (GEN_2010, 3): ("steering", False),
    (GEN_2010, 4): ("leadership", False),
    (GEN_2010, 5): ("results", False),
    (GEN_2010, 6): ("employer", False),
    (GEN_2010, 7): ("development", False),
    (GEN_2010, 8): ("community", False),
    (GEN_2020, 1): ("democracy", True),
    (GEN_2020, 2): ("community", True),
    (GEN_2020, 3): ("steering", False),
    (GEN_2020, 4): ("results", True),
    (GEN_2020, 5): ("user_focus", False),
    (GEN_2020, 6): ("development", True),
    (GEN_2020, 7): ("employer", True),
    (GEN_2020, 8): ("leadership", True),
}

FIRST_YEAR = {GEN_2002: 2002, GEN_2010: 2010, GEN_2020: 2020}
LAST_YEAR = {GEN_2002: 2009, GEN_2010: 2019, GEN_2020: None}
# Spellings of a generation seen in sources ("2010" in published_scores.csv).
GENERATION_ALIASES = {"2002": GEN_2002, "2010": GEN_2010, "2020": GEN_2020}


class UnknownFramework(ValueError):
    """A framework generation that is none of the three known ones."""


@dataclass(frozen=True)
class AreaRow:
    framework: str
    area: int
    name: str
    variants: str  # JSON list
    theme: str
    approximate: int


def normalise_generation(value: str | None, year: int | None = None) -> str | None:
    """`2010` or `2010-2019` → `2010-2019`; None falls back to the generation of the year."""
    if value is None or str(value).strip() == "":
        return generation_by_year(year)
    text = str(value).strip()
    if text in GENERATIONS:
        return text
    if text in GENERATION_ALIASES:
        return GENERATION_ALIASES[text]
    raise UnknownFramework(f"unknown framework generation {text!r} (known: {', '.join(GENERATIONS)})")


def framework_rows() -> list[dict]:
    return [
        {"id": gen, "first_year": FIRST_YEAR[gen], "last_year": LAST_YEAR[gen], "areas": len(FRAMEWORKS[gen])}
        for gen in GENERATIONS
    ]


def theme_rows() -> list[dict]:
    return [{"id": theme, "position": i, "description": text, "name": THEME_NAMES[theme]}
            for i, (theme, text) in enumerate(THEMES.items(), 1)]


def area_rows() -> list[dict]:
    rows = []
    for gen in GENERATIONS:
        for area in FRAMEWORKS[gen]:
            theme, approximate = THEME_OF_AREA[(gen, area.number)]
            rows.append(AreaRow(gen, area.number, area.name, json.dumps(list(area.variants), ensure_ascii=False),
                                theme, int(approximate)).__dict__)
    return rows
