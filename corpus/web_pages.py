"""A fetched web page that states a Kommunkompassen result, read through the statement reader.

A page is read only when its text names Kommunkompassen. Its lines and tables (`corpus.page_text`) go to
`extractors.statements`, the one reader of stated results (PDFs use it too); its municipality is found
wherever the page names it (`extractors.places`: title, main heading, subject sentences, footer address,
the site's name, the source's name); its year is the one a figure's line or sentence states, else the
page's own (title and headings first). A page is `published_page` only on the municipality's own site
(its domain configured for the source in `sources.yml`, or the site named after it); any other site's
page is `news`. A page whose figures cannot be placed (no municipality, no year) states nothing.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from corpus.page_text import PageText, page_text
from extractors.places import Place, find_subject, forms_of, host_municipality, key, lookup_place, nearest_named
from extractors.statements import EvaluationFigures, Statement, evaluations, own_years, read_statements

log = logging.getLogger(__name__)
READER_VERSION = "statements-1"
REPORT_NAME = re.compile(r"(?i)kommun-?\s?kompass")
PUBLISHED_PAGE, NEWS = "published_page", "news"


@dataclass
class PageReading:
    """One fetched page read: its address, fetch time, content hash, kind and the evaluations it states."""

    url: str
    fetched_at: str
    content_sha256: str
    kommun: str | None = None
    kommunkod: str | None = None
    country: str | None = None
    national_code: str | None = None
    source_kind: str = PUBLISHED_PAGE
    evaluations: list[EvaluationFigures] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    reader_version: str = READER_VERSION

    @property
    def has_result(self) -> bool:
        return bool(self.evaluations)


def read_web_page(html: str, url: str, fetched_at: str, hint: str | None = None,
                  own_domains: tuple[str, ...] = ()) -> PageReading | None:
    """Read a page; None when it does not name Kommunkompassen at all."""
    page = page_text(html)
    if not REPORT_NAME.search(page.text):
        return None
    reading = PageReading(url=url, fetched_at=fetched_at, content_sha256=page.content_sha256())
    subject = page_subject(page, url, hint)
    forms = forms_of(subject)
    stated = read_statements(page.lines, page.tables, forms, lambda text: _named(text))
    reading.statements = stated.statements
    reading.warnings.extend(stated.warnings)
    if not stated.own:
        return reading
    if subject is None:
        reading.warnings.append("figures found, but the page does not say which municipality; nothing stored")
        return reading
    reading.kommun, reading.kommunkod = subject.name, subject.kommunkod
    reading.country, reading.national_code = subject.country, subject.code
    reading.source_kind = source_kind(url, subject, own_domains, page)
    reading.evaluations = evaluations(stated.statements, page_year_of(page), reading.warnings, reading.checks)
    return reading


def _named(text: str) -> str | None:
    place = nearest_named(text)
    return place.name if place is not None else None


def page_subject(page: PageText, url: str, hint: str | None = None) -> Place | None:
    """The municipality a page is about (`extractors.places.find_subject`)."""
    headings = [page.h1] + [line.text for line in page.lines if line.is_heading][:3]
    return find_subject(page.title, headings, [line.text for line in page.lines], url, hint)


def source_kind(url: str, subject: Place, own_domains: tuple[str, ...] = (), page: PageText | None = None) -> str:
    """`published_page` on the municipality's own site — a domain configured for the source, a site named
    after it (grastorp.se), or a page whose site name (`og:site_name`, the title's last part: "… – Grästorps
    kommun") is the municipality's — else `news` (a newspaper, a blog, another organisation's page)."""
    host = (urlsplit(url).hostname or "").lower()
    if any(host == d.lower().strip(".") or host.endswith("." + d.lower().strip(".")) for d in own_domains):
        return PUBLISHED_PAGE
    site = host_municipality(url)
    if site is not None:
        return PUBLISHED_PAGE if key(site) == key(subject) else NEWS
    owner = site_owner(page) if page is not None else None
    return PUBLISHED_PAGE if owner is not None and key(owner) == key(subject) else NEWS


_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")
_OWNER_FORM = re.compile(r"\b(?:kommun|stad|Region|kaupunki|kommune)\b")


def site_owner(page: PageText) -> Place | None:
    """The municipality a page's site belongs to by the site's own name: `og:site_name` or the last part
    of the title, written as a municipality's name ("Grästorps kommun", "Pargas stad", "Region Gotland")."""
    for name in (page.site_name, _TITLE_PARTS.split(page.title)[-1] if _TITLE_PARTS.search(page.title) else ""):
        name = name.strip()
        if name and _OWNER_FORM.search(name) and (place := lookup_place(name)) is not None:
            return place
    return None


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

    `reader(source name, own domains)` gives the callback for one source's crawl (the name helps place the
    page; the domains are the municipality's own). A page that cannot be read is logged and skipped.
    """

    clock: Callable[[], str] | None = None
    readings: list[PageReading] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def reader(self, hint: str | None = None, own_domains: tuple[str, ...] = ()) -> Callable[[str, str], None]:
        def read(url: str, html: str) -> None:
            from corpus.store import utc_now

            try:
                reading = read_web_page(html, url, (self.clock or utc_now)(), hint, own_domains)
            except Exception as error:  # an unreadable page is one logged line, never a stopped harvest
                log.warning("result page %s not read: %s", url, error)
                self.errors.append(f"{url}: {type(error).__name__}: {error}")
                return
            if reading is not None:
                self.readings.append(reading)

        return read
