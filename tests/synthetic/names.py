"""Area names per framework generation (from the vocabulary), and renaming municipalities inside seed prose."""
from __future__ import annotations

import re

from extractors.municipalities import STAD, genitive
from extractors.vocabulary import VOCABULARY

GEN_2002, GEN_2010, GEN_2020 = "2002-2009", "2010-2019", "2020-"
GENERATIONS = (GEN_2002, GEN_2010, GEN_2020)
YEARS = {GEN_2002: (2003, 2009), GEN_2010: (2010, 2019), GEN_2020: (2020, 2024)}

# Canonical names and the wordings seen in published reports, from the vocabulary file.
AREA_NAMES = {g.id: tuple(a.name for a in g.areas) for g in VOCABULARY.generations}
AREA_VARIANTS = {g.id: {a.number: a.variants for a in g.areas if a.variants} for g in VOCABULARY.generations}
# Which seed area's prose, questions and findings stand in for each area (by theme).
SEED_AREA_FOR = {
    GEN_2002: (1, 2, 3, 4, 5, 6, 7, 8),
    GEN_2010: (1, 2, 3, 4, 5, 6, 7, 8),
    GEN_2020: (1, 8, 3, 5, 2, 7, 6, 4),
}


def generation_of(year: int) -> str:
    return GEN_2002 if year <= 2009 else GEN_2010 if year <= 2019 else GEN_2020


def possessive(name: str) -> str:
    """"Fagerstas", "Västerås" (no extra s after s, x, z)."""
    return name if name[-1] in "sxz" else name + "s"


def _forms(old: str, new: str) -> dict[str, str]:
    forms = {}
    for word in ("kommuns", "kommun", "Kommun", "stads", "stad"):
        new_word = word if new in STAD or not word.startswith("stad") else word.replace("stad", "kommun")
        forms[f"{genitive(old)} {word}"] = f"{genitive(new)} {new_word}"
        forms[f"{possessive(old)} {word}"] = f"{genitive(new)} {new_word}"
    forms[possessive(old)] = possessive(new)
    forms[old] = new
    return forms


def renamer(mapping: dict[str, str]):
    """A function replacing every form of each old name by the same form of its new name, at once."""
    forms: dict[str, str] = {}
    for old, new in mapping.items():
        forms.update(_forms(old, new))
    if not forms:
        return lambda text: text
    alternatives = sorted(forms, key=len, reverse=True)
    pattern = re.compile(r"(?<![\wÅÄÖåäö])(" + "|".join(re.escape(a) for a in alternatives)
                         + r")(?=bor|-Posten|[^\wÅÄÖåäö]|$)")

    def rename(text: str) -> str:
        return pattern.sub(lambda match: forms[match.group(1)], text)

    return rename


def mentions(text: str, name: str) -> bool:
    """Whether `name` (or its possessive / kommun form) occurs as a word in `text`."""
    alternatives = {name, possessive(name), genitive(name)}
    pattern = r"(?<![\wÅÄÖåäö])(" + "|".join(re.escape(a) for a in alternatives) + r")(?![\wÅÄÖåäö])"
    return re.search(pattern, text) is not None
