"""The one column classifier of area tables: what a column holds, from its header words and its numbers.

Used for tables read from PDF cell grids and from HTML pages alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.municipalities import lookup
from extractors.vocabulary import VOCABULARY

OWN, REFERENCE, MAXIMUM, CHANGE, OTHER, EARLIER, UNKNOWN = "own", "reference", "max", "change", "other", "earlier", "unknown"
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


@dataclass
class ColumnRole:
    role: str
    kind: str | None = None  # the reference kind ("median", "Sverigesnitt" …)
    kommun: str | None = None
    kommunkod: str | None = None
    year: int | None = None


def municipality_in(header: str) -> tuple[str | None, str | None, int | None]:
    """(name, kommunkod, year) a column header names ('Eksjö 2008', 'Fagersta\nkommun\n2009', a name
    broken over two lines without a hyphen: 'Valdemars\nvik 2020', a name under a merged group cell:
    'Jämförelse med andra kommuner\nEslöv 2018')."""
    year_match = _YEAR.search(header)
    year = int(year_match.group(1)) if year_match else None
    lines = [" ".join(_YEAR.sub(" ", line).split()) for line in header.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return None, None, year
    spaced = re.sub(r"(\w)- (\w)", lambda m: m.group(1) + m.group(2) if m.group(2).islower() else m.group(0),
                    " ".join(lines))
    attempts = [spaced, spaced.replace("- ", "-"), "".join(lines) if len(lines) > 1 and lines[1][:1].islower() else None]
    if len(lines) > 1:  # under a merged group cell ('Jämförelse med andra kommuner' / 'Eslöv 2018'): its own lines
        attempts += [" ".join(lines[start:]) for start in range(1, len(lines))] + lines[:-1]
    for text in filter(None, attempts):
        found = lookup(text) or lookup(re.sub(r"\s+(kommun|stad)$", "", text, flags=re.I))
        if found:
            return found.name, found.kommunkod, year
    return None, None, year


def classify_column(header: str, values: list[float | None], signed: bool, kommun: str | None,
                    year: int | None) -> ColumnRole:
    """What a column of an area table holds, from its header and its numbers (PDF grids and HTML tables
    alike): a change (signed numbers or a change label: never the reference), the reference and its kind,
    a maximum (all 100), another municipality (and year), the evaluated municipality's own score (its
    name, a score header, this year) or an earlier evaluation (another year)."""
    if signed or any(v is not None and v < 0 for v in values) or VOCABULARY.change_labels.search(header):
        return ColumnRole(CHANGE)
    kind = VOCABULARY.reference_kind(header)
    if kind:
        return ColumnRole(REFERENCE, kind=kind)
    if VOCABULARY.area_table.max_headers.search(header) or all(v == 100 for v in values):
        return ColumnRole(MAXIMUM)
    name, code, header_year = municipality_in(header)
    if name is not None and name != kommun:
        return ColumnRole(OTHER, kommun=name, kommunkod=code, year=header_year)
    if name is not None or VOCABULARY.area_table.score_headers.search(header):
        if header_year is None or year is None or header_year == year:
            return ColumnRole(OWN, year=header_year)
        return ColumnRole(EARLIER, year=header_year)
    if header_year is not None and header.strip() == str(header_year):
        return ColumnRole(OWN if year in (None, header_year) else EARLIER, year=header_year)
    if header.strip():
        unknown = lookup(header.split()[0]) if header.split() else None
        if unknown is not None and unknown.name != kommun:
            return ColumnRole(OTHER, kommun=unknown.name, kommunkod=unknown.kommunkod, year=header_year)
    return ColumnRole(UNKNOWN, year=header_year)
