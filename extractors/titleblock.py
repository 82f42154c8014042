"""The title block: municipality, evaluation dates and year, evaluators with organisation."""
from __future__ import annotations

import datetime as dt
import re

from dataclasses import dataclass, field

from extractors.municipalities import Municipality, lookup
from extractors.records import Evaluator

MONTHS = {name: number for number, name in enumerate(
    ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
     "november", "december"], start=1)}
_MONTH = "|".join(MONTHS)
ISO_RANGE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:\s*(?:--|–|—|-|till)\s*(?:(\d{4})-(\d{2})-)?(\d{1,2}))?(?!\d)")
WORD_RANGE = re.compile(rf"(?<!\d)(\d{{1,2}})(?:\s*(?:-|–|—|och)\s*(\d{{1,2}}))?\s+({_MONTH})\s+(\d{{4}})", re.I)
REPORT_DATE = re.compile(r"(rapport|daterad|publicerad|tryckt|datum)\W*$", re.I)
_NAME = r"([A-ZÅÄÖ][\w-]+(?:[ -][A-ZÅÄÖ][\w-]+)?)"
NAME_CANDIDATES = [
    re.compile(rf"(?i:analys)\s+(?i:av)\s+{_NAME}"),
    re.compile(rf"(?i:utvärdering)\s+(?i:av)\s+{_NAME}"),
    re.compile(rf"(?i:kommunkompassen)\s*[–—-]\s*{_NAME}\s+(?i:kommun|stad)"),
    re.compile(rf"{_NAME}\s+(?i:kommun|stad)\b"),
]
ORGANISATION_HINT = re.compile(
    r"Kommuner|Landsting|Regioner|kommun|stad|Stad|Region|SKL|SKR|\bAB\b|[Kk]onsult|[Uu]niversitet|Akademi|"
    r"[Ff]örvaltning|Institut")
EVALUATOR_LINE = re.compile(r"^([A-ZÅÄÖÉ][\w'-]+(?:\s+[A-ZÅÄÖÉ][\w'-]+){1,3})\s*(?:,|–|—|-|\()\s*(.+?)\)?$")


def find_municipality(lines: list[str]) -> Municipality | None:
    """The evaluated municipality named in the title block (first pages' lines)."""
    text = "\n".join(lines)
    for pattern in NAME_CANDIDATES:
        for match in pattern.finditer(text):
            candidate = match.group(1)
            words = candidate.replace("-", " - ").split()
            for attempt in (candidate, re.sub(r"\s+(kommun|stad)$", "", candidate, flags=re.I), words[0]):
                found = lookup(attempt)
                if found:
                    return found
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _expand(year: int, month: int, first: int, last: int | None) -> list[str]:
    if last is None or last < first or last - first > 14:
        days = [first]
    else:
        days = list(range(first, last + 1))
    return [d for d in (_iso(year, month, day) for day in days) if d]


def find_dates(lines: list[str]) -> list[str]:
    """The evaluation dates in the title block ('2009-10-07--09', '4–6 december 2006')."""
    for line in lines:
        for match in ISO_RANGE.finditer(line):
            if REPORT_DATE.search(line[: match.start()]):
                continue
            year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
            if match.group(4):  # a full second date: keep both ends when the months differ
                end = _iso(int(match.group(4)), int(match.group(5)), int(match.group(6)))
                start = _iso(year, month, day)
                if start and end and start[:7] != end[:7]:
                    return [start, end]
            last = int(match.group(6)) if match.group(6) else None
            dates = _expand(year, month, day, last)
            if dates:
                return dates
        for match in WORD_RANGE.finditer(line):
            if REPORT_DATE.search(line[: match.start()]):
                continue
            last = int(match.group(2)) if match.group(2) else None
            dates = _expand(int(match.group(4)), MONTHS[match.group(3).lower()], int(match.group(1)), last)
            if dates:
                return dates
    return []


_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d{2})(?![\d-])")
_EARLIER = re.compile(r"föregående|förra|tidigare|senast|jämfört med", re.I)
_YEAR_CONTEXT = re.compile(r"kommunkompass|utvärder|analys|resultat|kommun\b|stad\b", re.I)


def find_year(lines: list[str], dates: list[str], kommun: str | None = None) -> int | None:
    """The evaluation year: from the dates, else a year on a title line that names the report, the
    municipality or the evaluation (not one that speaks of an earlier evaluation)."""
    if dates:
        return int(dates[0][:4])
    named_at = None  # the last title line that names the report or the municipality without a year
    for index, line in enumerate(lines[:40]):
        if _EARLIER.search(line) or REPORT_DATE.search(line):
            continue
        match = _YEAR.search(line)
        if _YEAR_CONTEXT.search(line) or (kommun and kommun in line):
            if match:
                return int(match.group(1))
            named_at = index
        elif match and named_at is not None and index - named_at <= 2 and _LONE_YEAR.fullmatch(line.strip()):
            return int(match.group(1))  # 'Analys av Sigtuna kommun' / '2013': the year on a line of its own
    return None


_LONE_YEAR = re.compile(r"(?:[A-Za-zÅÄÖåäö]+\s+)?(?:19|20)\d{2}", re.I)  # '2013', 'februari 2021'


def find_evaluators(lines: list[str], kommun: str | None) -> list[Evaluator]:
    """Lines 'Name Surname, Organisation' in the title block; or names under an 'Utvärderare' heading."""
    evaluators: list[Evaluator] = []
    under_heading = False
    for line in lines:
        stripped = line.strip().rstrip(".")
        if re.match(r"^(Utvärderare|Utvärderingen genomfördes av|Granskare)\b", stripped, re.I):
            under_heading = True
            stripped = re.sub(r"^[^:]*:\s*", "", stripped) if ":" in stripped else ""
            if not stripped:
                continue
        match = EVALUATOR_LINE.match(stripped)
        if match and ORGANISATION_HINT.search(match.group(2)) and not re.search(r"\d", match.group(1)):
            name = match.group(1)
            if lookup(name) is None and (kommun is None or kommun not in name):
                evaluators.append(Evaluator(name=name, organisation=match.group(2).strip()))
                continue
        if under_heading and re.fullmatch(r"[A-ZÅÄÖÉ][\w'-]+(?:\s+[A-ZÅÄÖÉ][\w'-]+){1,3}", stripped):
            evaluators.append(Evaluator(name=stripped, organisation=None))
        elif under_heading and stripped:
            under_heading = False
    return evaluators


@dataclass
class TitleBlock:
    """What the first pages say about the evaluation."""

    kommun: str | None = None
    kommunkod: str | None = None
    year: int | None = None
    dates: list[str] = field(default_factory=list)
    evaluators: list[Evaluator] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def printed_lines(page) -> list[str]:
    """A page's lines as printed, running headers and footers included (a footer may name the municipality)."""
    return [line.text for line in sorted(page.lines + page.removed, key=lambda l: (l.top, l.x0))]


def read_title_block(pages) -> TitleBlock:
    """Municipality, dates, year and evaluators from the first pages."""
    lines = [text for page in pages for text in printed_lines(page)]
    title = TitleBlock()
    municipality = find_municipality(lines)
    if municipality is None:
        title.warnings.append("the evaluated municipality was not recognised in the title block")
    else:
        title.kommun, title.kommunkod = municipality.name, municipality.kommunkod
    title.dates = find_dates(lines)
    title.year = find_year(lines, title.dates, title.kommun)
    if not title.dates:
        title.warnings.append("no evaluation dates found in the title block")
    title.evaluators = find_evaluators(lines, title.kommun)
    if not title.evaluators:
        title.warnings.append("no evaluators found in the title block")
    return title
