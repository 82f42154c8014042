"""Reading a municipal web page that reports a Kommunkompassen result: `read_result_page`.

A page is read only when its text names Kommunkompassen. Its municipality comes from the title,
the main heading, the address (grastorp.se) and the source's name; its year from the line or
heading above the figures, the sentence of a total, or else the page's own year (title and
headings first). The generation comes from the area names through the extractor's vocabulary.
When the eight areas and the total are all stated, they must add up, or the area scores are not
kept. A page whose figures cannot be placed (no municipality, no year) gives a reading with
warnings and no evaluations: it stores nothing.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable
from urllib.parse import urlsplit

from corpus.page_figures import AREA, TOTAL, Figure, list_figures, own_years, prose_figures, table_figures
from corpus.page_text import PageText, page_text
from extractors.frameworks import detect_framework
from extractors.municipalities import Municipality, all_municipalities, lookup, name_forms

log = logging.getLogger(__name__)
READER_VERSION = "result-page-1"
REPORT_NAME = re.compile(r"(?i)kommun-?\s?kompass")
_CAPITALISED = re.compile(r"\b[A-ZÅÄÖ][a-zåäöéü]+(?:[- ][A-ZÅÄÖ][a-zåäöéü]+)?s?\b")


def generation_of(area_names: dict[int, list[str]], year: int | None) -> str | None:
    """The framework generation named by the area names (the extractor's vocabulary), else by the year."""
    return detect_framework(area_names, year)[0]


@dataclass
class EvaluationFigures:
    """What a page states about one evaluation (municipality and year)."""

    year: int
    framework: str | None
    areas: dict[int, Figure] = field(default_factory=dict)
    total: Figure | None = None


@dataclass
class PageReading:
    """One fetched page read: its address, fetch time, content hash and the evaluations it states."""

    url: str
    fetched_at: str
    content_sha256: str
    kommun: str | None = None
    kommunkod: str | None = None
    evaluations: list[EvaluationFigures] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    reader_version: str = READER_VERSION

    @property
    def has_result(self) -> bool:
        return bool(self.evaluations)


def read_result_page(html: str, url: str, fetched_at: str, hint: str | None = None) -> PageReading | None:
    """Read a page; None when it does not name Kommunkompassen at all."""
    page = page_text(html)
    if not REPORT_NAME.search(page.text):
        return None
    reading = PageReading(url=url, fetched_at=fetched_at, content_sha256=page.content_sha256())
    municipality = page_municipality(page, url, hint)
    figures, warnings = _figures(page, municipality)
    reading.warnings.extend(warnings)
    if not figures:
        return reading
    if municipality is None:
        reading.warnings.append("figures found, but the page does not say which municipality; nothing stored")
        return reading
    reading.kommun, reading.kommunkod = municipality.name, municipality.kommunkod
    page_year = page_year_of(page)
    by_year: dict[int, list[Figure]] = {}
    for figure in figures:
        year = figure.year or page_year
        if year is None:
            reading.warnings.append(f"no year for {figure.excerpt!r}; not stored")
            continue
        by_year.setdefault(year, []).append(figure)
    for year in sorted(by_year):
        evaluation = _evaluation(year, by_year[year], reading)
        if evaluation.areas or evaluation.total:
            reading.evaluations.append(evaluation)
    return reading


def _figures(page: PageText, municipality: Municipality | None) -> tuple[list[Figure], list[str]]:
    own = set(name_forms(municipality)) if municipality else set()
    figures, warnings = [], []
    for found, said in [list_figures(page.lines),
                        *(table_figures(table, own) for table in page.tables),
                        prose_figures(page.lines, lambda s: names_another(s, municipality))]:
        figures.extend(found)
        warnings.extend(said)
    return figures, warnings


def _evaluation(year: int, figures: list[Figure], reading: PageReading) -> EvaluationFigures:
    """One evaluation's figures: one value per area and for the total; conflicting values are dropped."""
    areas: dict[int, list[Figure]] = {}
    totals: list[Figure] = []
    for figure in figures:
        (areas.setdefault(figure.area, []) if figure.kind == AREA else totals).append(figure)
    chosen: dict[int, Figure] = {}
    for number, found in sorted(areas.items()):
        if len({f.value for f in found}) > 1:
            reading.warnings.append(f"{year}: area {number} is given as "
                                    f"{' and '.join(sorted({f'{f.value:g}' for f in found}))}; not stored")
        else:
            chosen[number] = next((f for f in found if f.reference is not None), found[0])
    total = None
    if len({f.value for f in totals}) > 1:
        reading.warnings.append(f"{year}: the total is given as "
                                f"{' and '.join(sorted({f'{f.value:g}' for f in totals}))}; not stored")
    elif totals:
        total = totals[0]
    framework = generation_of({n: [f.area_name] for n, f in chosen.items() if f.area_name}, year)
    if len(chosen) == 8 and total is not None:
        summed = sum(f.value for f in chosen.values())
        ok = abs(summed - total.value) < 0.51
        reading.checks.append((f"{year}: areas sum to total", ok, f"{summed:g} {'=' if ok else '≠'} {total.value:g}"))
        if not ok:
            reading.warnings.append(f"{year}: the eight areas sum to {summed:g}, not to the total {total.value:g}; "
                                    "area scores not stored")
            chosen = {}
    return EvaluationFigures(year, framework, chosen, total)


# --- municipality and year -----------------------------------------------------------------------------

def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c)))


@lru_cache(maxsize=1)
def _by_folded_name() -> dict[str, Municipality]:
    return {_fold(m.name): m for m in all_municipalities()}


def host_municipality(url: str) -> Municipality | None:
    """The municipality whose name is the site's name: grastorp.se → Grästorp, www.hoganas.se → Höganäs."""
    labels = urlsplit(url).hostname or ""
    parts = [p for p in labels.split(".") if p not in ("www", "se", "com", "nu", "org")]
    for part in parts[-1:]:
        found = _by_folded_name().get(_fold(part.removesuffix("kommun").removesuffix("stad")))
        if found:
            return found
    return None


def mentioned(text: str) -> list[Municipality]:
    """Municipalities a text names by a capitalised name form (`Grästorp`, `Grästorps kommun`)."""
    found = []
    for match in _CAPITALISED.finditer(text or ""):
        whole = lookup(match.group(0))
        parts = [whole] if whole else [lookup(part) for part in re.split(r"[- ]", match.group(0))]
        found.extend(m for m in parts if m)
    return found


def page_municipality(page: PageText, url: str, hint: str | None = None) -> Municipality | None:
    """The municipality a page is about: named in its title or main heading, its address or its source's
    name (mentions in the text only break ties). A page that none of these places gives None."""
    votes: Counter[str] = Counter()
    strong: set[str] = set()
    by_code: dict[str, Municipality] = {}

    def vote(municipality: Municipality | None, weight: int, is_strong: bool = True) -> None:
        if municipality:
            votes[municipality.kommunkod] += weight
            by_code[municipality.kommunkod] = municipality
            if is_strong:
                strong.add(municipality.kommunkod)

    for municipality in mentioned(page.title) + mentioned(page.h1):
        vote(municipality, 3)
    vote(host_municipality(url), 4)
    vote(lookup(hint) if hint else None, 2)
    for municipality in mentioned(page.text)[:200]:
        vote(municipality, 1, is_strong=False)
    ranked = [(code, n) for code, n in votes.most_common() if code in strong]
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return by_code[ranked[0][0]]


def names_another(sentence: str, municipality: Municipality | None) -> bool:
    """True when a sentence names a municipality other than the page's own."""
    return any(m != municipality for m in mentioned(sentence))


def page_year_of(page: PageText) -> int | None:
    """The page's own year: from title and main heading, then headings, then lines naming Kommunkompassen."""
    votes: Counter[int] = Counter()
    for text, weight in ((page.title, 3), (page.h1, 3)):
        for year in set(own_years(text)):
            votes[year] += weight
    for line in page.lines:
        weight = 2 if line.is_heading else (1 if REPORT_NAME.search(line.text) else 0)
        for year in set(own_years(line.text)) if weight else ():
            votes[year] += weight
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


# --- the harvest's hook --------------------------------------------------------------------------------

@dataclass
class PageCollector:
    """The harvest's hook: reads each fetched HTML page and keeps the readings of pages naming Kommunkompassen.

    `reader(source name)` gives the callback for one source's crawl (the name helps place the page).
    A page that cannot be read is logged and skipped; it never stops the crawl.
    """

    clock: Callable[[], str] | None = None
    readings: list[PageReading] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def reader(self, hint: str | None = None) -> Callable[[str, str], None]:
        def read(url: str, html: str) -> None:
            from corpus.store import utc_now

            try:
                reading = read_result_page(html, url, (self.clock or utc_now)(), hint)
            except Exception as error:  # an unreadable page is one logged line, never a stopped harvest
                log.warning("result page %s not read: %s", url, error)
                self.errors.append(f"{url}: {type(error).__name__}: {error}")
                return
            if reading is not None:
                self.readings.append(reading)

        return read
