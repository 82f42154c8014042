"""One way to find a municipality from what a person types, for the CLI, canned queries and dashboard.

Case does not matter ("fagersta", "FAGERSTA"); every name form counts ("Fagersta kommun", "Göteborgs
stad"); a kommunkod may lose its leading zero ("686" is Eksjö, 0686). Places outside Sweden that a
report's comparison table quotes (no kommunkod) are matched by name among the evaluations. A name
that matches nothing gets a "did you mean" from the closest names.
"""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from extractors.municipalities import all_municipalities, lookup, name_forms
from kompass.errors import KompassError


class UnknownMunicipality(KompassError):
    """No municipality (nor any place the database holds) goes by the name the user gave."""


@dataclass(frozen=True)
class Resolved:
    """A municipality as the user meant it: its kommunkod (None for a place outside Sweden) and name."""

    kommunkod: str | None
    name: str


def fold(text: str) -> str:
    """Casefolded, NFC, single-spaced: how names are compared."""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


@lru_cache(maxsize=1)
def _by_code() -> dict[str, str]:
    return {m.kommunkod: m.name for m in all_municipalities()}


@lru_cache(maxsize=1)
def _all_forms() -> dict[str, str]:
    """Every folded name form → the municipality's name (for suggestions)."""
    forms: dict[str, str] = {}
    for m in all_municipalities():
        for form in name_forms(m):
            forms.setdefault(fold(form), m.name)
    return forms


def normalise_code(text: str) -> str | None:
    """A kommunkod with its leading zero ("686" → "0686"), when the text is one of the 290 codes."""
    digits = text.strip()
    if digits.isdigit() and len(digits) <= 4:
        code = digits.zfill(4)
        return code if code in _by_code() else None
    return None


@lru_cache(maxsize=4096)
def resolve_code(text: str | None) -> str | None:
    """The kommunkod the text names (name, any name form or kommunkod, any case), or None."""
    if text is None or not str(text).strip():
        return None
    text = str(text)
    code = normalise_code(text)
    if code:
        return code
    found = lookup(text)
    return found.kommunkod if found else None


def suggestions(text: str, others: tuple[str, ...] = (), limit: int = 3) -> list[str]:
    """The closest municipality names (and other known places) to a misspelt name."""
    forms = dict(_all_forms())
    forms.update({fold(name): name for name in others})
    close = difflib.get_close_matches(fold(text), list(forms), n=limit * 3, cutoff=0.72)
    return list(dict.fromkeys(forms[form] for form in close))[:limit]


def unknown_message(text: str, others: tuple[str, ...] = (), swedish: bool = True) -> str:
    """`ingen kommun "X"` with a "did you mean" when a name is close (one line; in English for the CLI)."""
    close = suggestions(text, others)
    if not swedish:
        hint = f"; did you mean {' or '.join(close)}?" if close else \
            " (give a name such as Fagersta or a kommunkod such as 1982)"
        return f'no municipality "{text.strip()}"{hint}'
    hint = f"; menade du {' eller '.join(close)}?" if close else \
        " (ange ett namn som Fagersta eller en kommunkod som 1982)"
    return f'ingen kommun "{text.strip()}"{hint}'


def resolve(text: str, places: tuple[str, ...] = ()) -> Resolved:
    """The municipality the user meant, or a place among `places` (names without a kommunkod).

    Raises UnknownMunicipality with a "did you mean" when nothing matches.
    """
    code = resolve_code(text)
    if code:
        return Resolved(code, _by_code()[code])
    wanted = fold(text)
    for place in places:
        if fold(place) == wanted:
            return Resolved(None, place)
    raise UnknownMunicipality(unknown_message(text, places, swedish=False))


def status_line(text: str | None) -> str:
    """What the dashboard says about the municipality filter: the one found, or that there is none."""
    if text is None or not str(text).strip():
        return "Ingen kommun vald: skriv ett namn eller en kommunkod."
    code = resolve_code(text)
    if code is None:
        message = unknown_message(str(text))
        return message[0].upper() + message[1:] + ("" if message.endswith("?") else ".")
    municipality = next(m for m in all_municipalities() if m.kommunkod == code)
    return f"{municipality.name} (kommunkod {code}, {municipality.county})"
