"""The 290 Swedish municipalities (kommuner.csv) and the forms their names take in text."""
from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "kommuner.csv"

# Municipalities that call themselves "stad" (SKR list; see kommuner_SOURCE.md).
STAD = {
    "Stockholm", "Göteborg", "Malmö", "Borås", "Haparanda", "Helsingborg", "Landskrona",
    "Lidingö", "Mölndal", "Solna", "Sundbyberg", "Trollhättan", "Vaxholm", "Västerås",
}
# Irregular "X kommun" forms.
KOMMUN_FORM_EXCEPTIONS = {"Falun": "Falu", "Kalmar": "Kalmar"}
# Older or alternative spellings seen in reports.
ALIASES = {
    "Upplands-Väsby": "Upplands Väsby",
    "Malung": "Malung-Sälen",
    "Region Gotland": "Gotland",
}


@dataclass(frozen=True)
class Municipality:
    kommunkod: str
    name: str
    county: str
    county_code: str
    group: str

    country = "SE"

    @property
    def code(self) -> str:
        """The national code: for Sweden the kommunkod."""
        return self.kommunkod


def genitive(name: str) -> str:
    """Swedish genitive of a municipality name as used before "kommun"/"stad"."""
    if name in KOMMUN_FORM_EXCEPTIONS:
        return KOMMUN_FORM_EXCEPTIONS[name]
    last = name[-1].lower()
    if last in "sxz" or last in "aeiouyåäö":
        return name
    return name + "s"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


@lru_cache(maxsize=1)
def all_municipalities() -> tuple[Municipality, ...]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Municipality(row["kommunkod"], row["kommun"], row["lan"], row["lan_kod"], row["kommungrupp"])
            for row in csv.DictReader(handle)
        )


def name_forms(m: Municipality) -> list[str]:
    """Every surface form of the municipality's name: bare, genitive, "X kommun", "Xs stad"."""
    gen = genitive(m.name)
    forms = [m.name, m.name + "s" if not m.name.endswith(("s", "x", "z")) else m.name,
             f"{gen} kommun", f"{gen} Kommun"]
    if m.name in STAD:
        forms += [f"{gen} stad", f"{gen} Stad"]
    if m.name == "Gotland":
        forms += ["Region Gotland", "Gotlands kommun"]
    forms += [alias for alias, target in ALIASES.items() if target == m.name]
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=1)
def _index() -> dict[str, Municipality]:
    index: dict[str, Municipality] = {}
    for m in all_municipalities():
        for form in name_forms(m):
            index.setdefault(_fold(form), m)
    for m in all_municipalities():  # the bare name always wins over another's genitive
        index[_fold(m.name)] = m
    return index


def lookup(name: str) -> Municipality | None:
    """The municipality a name refers to ("Fagersta", "Fagersta kommun", "Göteborgs stad"), or None."""
    text = " ".join(name.replace("\u00ad", "").split())
    found = _index().get(_fold(text))
    if found is None and "-" in text:  # "Karl- skoga" rejoined from a wrapped cell
        found = _index().get(_fold(text.replace("- ", "").replace("-", "")))
    return found


def kommunkod(name: str) -> str | None:
    m = lookup(name)
    return m.kommunkod if m else None
