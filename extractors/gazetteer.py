"""The municipality gazetteer: Sweden's 290 (kommuner.csv) and any further lists of other countries.

A further list is any CSV in extractors/data (or passed to `load_places`) whose header has `country`,
`code` and `name` (optionally `other_names`, separated by ";"), such as a list of Nordic municipalities.
`lookup_place("Mölndals stad")` gives the municipality with its country and code; a name with a country
("Larvik" in "Larvik i Norge") is looked up in that country's list only, and is still a place of that
country without a code when no list knows it.
"""
from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from extractors.municipalities import DATA_FILE, lookup

DATA_DIR = DATA_FILE.parent
SWEDEN = "SE"
REQUIRED_COLUMNS = {"country", "code", "name"}
# What stands after a name in running text in the Nordic languages ("Larvik kommune", "Vasa stad").
SUFFIXES = ("kommun", "kommune", "stad", "by", "kaupunki", "kunta", "Kommune", "Kommun", "Stad")


@dataclass(frozen=True)
class Place:
    """A municipality of some country: its name, country (ISO code) and national code (None: unknown)."""

    name: str
    country: str
    code: str | None
    other_names: tuple[str, ...] = field(default=(), compare=False)  # other languages' names ("Parainen")

    @property
    def kommunkod(self) -> str | None:
        """The Swedish kommunkod (only a Swedish municipality has one)."""
        return self.code if self.country == SWEDEN else None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def extra_lists(folder: Path = DATA_DIR) -> list[Path]:
    """CSV files beside kommuner.csv whose header names a country, a code and a name."""
    found = []
    for path in sorted(folder.glob("*.csv")):
        if path == DATA_FILE:
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
        if REQUIRED_COLUMNS <= set(header):
            found.append(path)
    return found


def read_list(path: Path) -> list[tuple[Place, tuple[str, ...]]]:
    """(place, other names) of every row of a further list."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        found = []
        for row in reader:
            if not row["name"].strip():
                continue
            others = tuple(n.strip() for n in (row.get("other_names") or "").split(";") if n.strip())
            found.append((Place(row["name"].strip(), row["country"].strip().upper(), row["code"].strip() or None,
                                others), others))
        return found


def _forms(name: str) -> list[str]:
    base = [name, name + "s" if not name.endswith(("s", "x", "z")) else name]
    return base + [f"{b} {suffix}" for b in base for suffix in SUFFIXES]


@lru_cache(maxsize=4)
def _index(paths: tuple[Path, ...]) -> dict[tuple[str, str], Place]:
    index: dict[tuple[str, str], Place] = {}
    for path in paths:
        for place, others in read_list(path):
            for name in (place.name, *others):
                for form in _forms(name):
                    index.setdefault((place.country, _fold(form)), place)
    return index


@lru_cache(maxsize=4)
def _by_form(paths: tuple[Path, ...]) -> dict[str, Place]:
    index: dict[str, Place] = {}
    for (_, form), place in _index(paths).items():
        index.setdefault(form, place)
    return index


def load_places(paths: list[Path] | None = None) -> dict[tuple[str, str], Place]:
    """The further lists' index: (country, folded name form) → place."""
    return _index(tuple(extra_lists() if paths is None else paths))


def lookup_listed(text: str, paths: list[Path] | None = None) -> Place | None:
    """A municipality of the further lists (not Sweden's) by any name form ("Pargas stad", "Larviks")."""
    return _by_form(tuple(extra_lists() if paths is None else paths)).get(_fold(text))


def _swedish(text: str) -> Place | None:
    found = lookup(text)
    return Place(found.name, SWEDEN, found.kommunkod) if found else None


def lookup_place(text: str, country: str | None = None, paths: list[Path] | None = None) -> Place | None:
    """The municipality a name refers to, in `country` when given (else Sweden first, then any list)."""
    text = " ".join(text.replace("\u00ad", "").split()).strip(" ,.:;()\"”")
    if not text:
        return None
    if country in (None, SWEDEN):
        found = _swedish(text)
        if found or country == SWEDEN:
            return found
    if country:
        return load_places(paths).get((country, _fold(text)))
    return lookup_listed(text, paths)


def place_in_country(text: str, country: str, paths: list[Path] | None = None) -> Place:
    """The place named `text` in `country`: from a list when one knows it, else with no code."""
    found = lookup_place(text, country, paths)
    if found:
        return found
    name = text.strip()
    for suffix in SUFFIXES:
        if name.endswith(" " + suffix):
            name = name[: -len(suffix) - 1]
    return Place(name, country, None)
