"""The figures a municipal result page states: area scores and totals, each with the words it came from.

Three shapes are read, by content rather than by site:
- lists: one line per area, `1. Offentlighet och demokrati 61` or `Arbetsliv: 86 poäng (+5)`;
- tables: an area column, then score columns told apart by their headers — a year, "Poäng", the
  municipality's name, a reference value ("Sverigesnitt"), a change ("Förändring") or the previous
  evaluation ("Föregående utvärdering"), which is never read as this year's score;
- prose: a total in a sentence, `fick 611 av 800 möjliga poäng`.
A figure's year is None when the page's own year applies (decided in `corpus.result_pages`).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from corpus.page_text import Line, Table
from extractors.frameworks import GENERATIONS, area_match
from extractors.vocabulary import VOCABULARY, Phrases

WORDS_FILE = Path(__file__).parent / "data" / "result_page_words.yml"
FIRST_YEAR = 2002
AREA_NAME_THRESHOLD = 0.8
AREA, TOTAL = "area", "total"
LIST, TABLE, PROSE = "list", "table", "prose"


@dataclass(frozen=True)
class PageWords:
    previous_headers: Phrases
    earlier_words: Phrases
    benchmark_words: Phrases
    score_headers: Phrases


@lru_cache(maxsize=1)
def page_words(path: Path = WORDS_FILE) -> PageWords:
    """The result-page words, checked: every key present, no unknown key, lists of non-empty strings."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    names = [f.name for f in dataclasses.fields(PageWords)]
    unknown, missing = sorted(set(data) - set(names)), [n for n in names if n not in data]
    if unknown or missing:
        raise ValueError(f"{path.name}: unknown key(s) {unknown or 'none'}, missing key(s) {missing or 'none'}")
    for name in names:
        if not isinstance(data[name], list) or not all(isinstance(w, str) and w.strip() for w in data[name]):
            raise ValueError(f"{path.name}: {name} must be a list of non-empty strings")
    return PageWords(**{name: Phrases(w.strip() for w in data[name]) for name in names})


@dataclass(frozen=True)
class Figure:
    """One number a page states, where it stands, and the sentence or table row it was read from."""

    kind: str                    # AREA or TOTAL
    value: float
    excerpt: str
    shape: str                   # LIST, TABLE or PROSE
    year: int | None = None      # None: the page's year
    area: int | None = None
    area_name: str | None = None
    reference: float | None = None
    reference_kind: str | None = None


@dataclass(frozen=True)
class AreaName:
    number: int
    name: str
    match: float


_NUMBER = r"\d{1,3}(?:[.,]\d{1,2})?"
_YEAR = re.compile(r"(?<![\d.,])(20[0-4]\d)(?![\d.,]\d)")
_LABEL = re.compile(r"^\s*(?:(?:huvud|del)?område|kriteri(?:um|e))?\s*(?P<num>[1-8])?\s*[.):]?\s*(?P<name>.*?)\s*$",
                    re.I)
_LIST_LINE = re.compile(
    rf"^(?P<label>[^\d(]*?(?:\b[1-8]\b[^\d(]*?)?)\s*[:=–—-]?\s*(?P<score>{_NUMBER})\s*"
    r"(?:poäng|p)?\.?\s*(?:av\s+100(?:\s+(?:möjliga\s+)?poäng)?)?\s*(?P<rest>\(.*\))?\s*[.;,]?\s*$", re.I)
_SIGNED = re.compile(r"^\s*[+±−–-]\s*\d")
_TOTAL_PHRASES = (
    re.compile(rf"(?P<value>{_NUMBER})\s*(?:poäng\s*)?av\s+(?:(?:totalt|maximalt|max|möjliga|de)\s+)*800\b", re.I),
    re.compile(rf"\btotal(?:t|poäng(?:en)?|a\s+poängen|resultatet?)\b[^.\d]{{0,40}}?(?P<value>{_NUMBER})"
               r"(?:\s*poäng|(?=\s*[.,;)]|\s*$))", re.I),
)
MIN_TOTAL, MAX_TOTAL = 150, 800   # a stated total outside (150, 800) is a maximum or not a total at all
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])")


def number(text: str) -> float | None:
    """`61`, `61,5`, `61 p` or `61 poäng` → the number; anything else → None."""
    match = re.fullmatch(rf"\s*({_NUMBER})\s*(?:p|poäng|p\.)?\s*", text or "", re.I)
    return float(match.group(1).replace(",", ".")) if match else None


def valid_years(text: str) -> list[int]:
    """Years from the first evaluation (2002) to this year mentioned in the text, in order."""
    return [int(y) for y in _YEAR.findall(text or "") if FIRST_YEAR <= int(y) <= date.today().year]


def own_years(text: str) -> list[int]:
    """Years in the text that are not the previous evaluation's ("förra utvärderingen 2010")."""
    earlier = page_words().earlier_words
    years = []
    for match in _YEAR.finditer(text or ""):
        year = int(match.group(1))
        before = text[max(0, match.start() - 40):match.start()]
        if FIRST_YEAR <= year <= date.today().year and not earlier.search(before):
            years.append(year)
    return years


def name_area(label: str) -> AreaName | None:
    """The area a label names ("3. Politisk styrning och kontroll", "Område 7 Arbetsliv"), or None.

    The name must match an area name of some generation closely; a number written beside it must agree.
    """
    match = _LABEL.match(label or "")
    if not match or len(match["name"]) < 4 or len(match["name"]) > 90 or re.search(r"\d", match["name"]):
        return None
    name = match["name"].strip(" –—-:")
    best: dict[int, float] = {}
    for generation in GENERATIONS:
        for number_ in range(1, 9):
            best[number_] = max(best.get(number_, 0.0), area_match(generation, number_, name))
    ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
    (top, score), (_, second) = ranked[0], ranked[1]
    if score < AREA_NAME_THRESHOLD or (second >= AREA_NAME_THRESHOLD and score - second < 0.05):
        return None
    if match["num"] and int(match["num"]) != top:
        return None
    return AreaName(top, name, score)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


# --- lists ---------------------------------------------------------------------------------------------

def list_figures(lines: list[Line]) -> tuple[list[Figure], list[str]]:
    """Area scores written one per line; a year in the line opening the list (or its heading) is theirs."""
    figures, warnings = [], []
    group: list[Figure] = []
    context_year = None
    for line in lines:
        found = _list_line(line.text)
        if found is None:
            _close_group(group, figures, warnings)
            group = []
            years = set(own_years(line.text))
            if line.is_heading or len(years) > 1:
                context_year = years.pop() if len(years) == 1 else None
            elif len(years) == 1 and len(line.text) <= 120:
                context_year = years.pop()
            continue
        group.append(dataclasses.replace(found, year=context_year))
    _close_group(group, figures, warnings)
    return figures, warnings


def _list_line(text: str) -> Figure | None:
    match = _LIST_LINE.match(text)
    if not match:
        return None
    area = name_area(match["label"])
    score = number(match["score"])
    if area is None or score is None or not 0 <= score <= 100:
        return None
    reference, kind = _parenthesised_reference(match["rest"] or "")
    return Figure(AREA, score, text, LIST, area=area.number, area_name=area.name, reference=reference,
                  reference_kind=kind)


def _parenthesised_reference(rest: str) -> tuple[float | None, str | None]:
    """`(Sverigesnitt 63)` → (63, 'Sverigesnitt'); a change such as `(+16)` or anything else → nothing."""
    kind = VOCABULARY.reference_kind(rest)
    found = re.search(rf"({_NUMBER})", rest)
    if kind and found and not _SIGNED.match(rest.strip("() ")):
        return float(found.group(1).replace(",", ".")), kind
    return None, None


def _close_group(group: list[Figure], figures: list[Figure], warnings: list[str]) -> None:
    """Keep a list of at least two areas with distinct numbers; a repeated number makes the list doubtful."""
    if len(group) < 2:
        return
    numbers = [f.area for f in group]
    if len(set(numbers)) != len(numbers):
        warnings.append(f"a list names an area twice ({group[0].excerpt!r} …); not read")
        return
    figures.extend(group)


# --- tables --------------------------------------------------------------------------------------------

@dataclass
class _Column:
    index: int
    header: str
    role: str               # score, reference, skip
    year: int | None = None
    reference_kind: str | None = None


def table_figures(table: Table, own_names: set[str]) -> tuple[list[Figure], list[str]]:
    """Area scores and totals from a table whose rows name areas; columns are told apart by their headers."""
    label_column, area_rows = _label_column(table)
    if label_column is None:
        return [], []
    first_area = min(area_rows)
    headers = [" ".join(row[c] for row in table.rows[:first_area] if c < len(row) and row[c]).strip()
               for c in range(max(len(row) for row in table.rows))]
    total_rows = {i: row for i, row in enumerate(table.rows) if i > first_area and label_column < len(row)
                  and VOCABULARY.total_labels.starts(row[label_column])}
    warnings: list[str] = []
    columns = [_classify(c, headers[c], table, area_rows, own_names, warnings)
               for c in range(len(headers)) if c != label_column]
    scores = [c for c in columns if c.role == "score"]
    if sum(1 for c in scores if c.year is None) > 1:
        warnings.append(f"table under {table.heading or table.caption!r}: several score columns without a year; "
                        "not read")
        return [], warnings
    references = [c for c in columns if c.role == "reference"]
    current = max(scores, key=lambda c: (c.year is None, c.year or 0), default=None)
    figures = []
    for column in scores:
        for i, area in area_rows.items():
            value = number(table.rows[i][column.index]) if column.index < len(table.rows[i]) else None
            if value is None or not 0 <= value <= 100:
                continue
            reference, kind = (None, None)
            if column is current and references:
                reference = number(table.rows[i][references[0].index]) if references[0].index < len(table.rows[i]) \
                    else None
                kind = references[0].reference_kind if reference is not None else None
            figures.append(Figure(AREA, value, table.row_text(i), TABLE, column.year, area.number, area.name,
                                  reference, kind))
        for i, row in total_rows.items():
            value = number(row[column.index]) if column.index < len(row) else None
            if value is not None and 0 <= value <= 800:
                figures.append(Figure(TOTAL, value, table.row_text(i), TABLE, column.year))
    return figures, warnings


def _label_column(table: Table) -> tuple[int | None, dict[int, AreaName]]:
    best, best_rows = None, {}
    for column in range(max(len(row) for row in table.rows)):
        named = {i: found for i, row in enumerate(table.rows)
                 if column < len(row) and (found := name_area(row[column])) is not None}
        if len(named) > len(best_rows):
            best, best_rows = column, named
    numbers = [a.number for a in best_rows.values()]
    if len(best_rows) < 2 or len(set(numbers)) != len(numbers):
        return None, {}
    return best, best_rows


def _classify(index: int, header: str, table: Table, area_rows: dict[int, AreaName], own_names: set[str],
              warnings: list[str]) -> _Column:
    cells = [table.rows[i][index] for i in area_rows if index < len(table.rows[i]) and table.rows[i][index]]
    numeric = [c for c in cells if number(c) is not None or _SIGNED.match(c)]
    if not cells or len(numeric) * 2 < len(cells):
        return _Column(index, header, "skip")
    words = page_words()
    years = valid_years(header)
    signed = sum(1 for c in cells if _SIGNED.match(c))
    if VOCABULARY.change_labels.search(header) or signed * 2 > len(cells):
        return _Column(index, header, "skip")
    if VOCABULARY.area_table.max_headers.search(header):
        return _Column(index, header, "skip")
    if VOCABULARY.reference_kind(header) and not years:
        return _Column(index, header, "reference", reference_kind=VOCABULARY.reference_kind(header))
    if words.previous_headers.search(header):
        if len(years) == 1:
            return _Column(index, header, "score", years[0])
        warnings.append(f"column {header!r} holds the previous evaluation without naming its year; not read")
        return _Column(index, header, "skip")
    if len(years) == 1:
        return _Column(index, header, "score", years[0])
    if years:
        warnings.append(f"column {header!r} names several years; not read")
        return _Column(index, header, "skip")
    if not header or words.score_headers.search(header) or VOCABULARY.area_table.score_headers.search(header) \
            or any(name.casefold() in header.casefold() for name in own_names):
        return _Column(index, header, "score")
    warnings.append(f"column {header!r} not understood; not read")
    return _Column(index, header, "skip")


# --- prose ---------------------------------------------------------------------------------------------

def prose_figures(lines: list[Line], names_another_municipality) -> tuple[list[Figure], list[str]]:
    """Totals stated in sentences; a sentence about another municipality, a benchmark or the previous
    evaluation (without its year) gives nothing."""
    figures, warnings = [], []
    words = page_words()
    for line in lines:
        for sentence in sentences(line.text):
            found = {m.start("value"): m for pattern in _TOTAL_PHRASES for m in pattern.finditer(sentence)}
            candidates = [m for _, m in sorted(found.items()) if _is_own_total(sentence, m, words)]
            if not candidates:
                continue
            if len(candidates) > 1:
                warnings.append(f"several totals in one sentence, none read: {sentence!r}")
                continue
            if names_another_municipality(sentence):
                continue
            match = candidates[0]
            year = _total_year(sentence, sentence[:match.start("value")], line.text, words)
            if year == "previous":
                warnings.append(f"a total of the previous evaluation without its year, not read: {sentence!r}")
                continue
            figures.append(Figure(TOTAL, number(match["value"]), sentence, PROSE, year))
    return figures, warnings


def _is_own_total(sentence: str, match: re.Match, words: PageWords) -> bool:
    """A plausible total (not the maximum, not per area) that no benchmark word introduces."""
    value = number(match["value"])
    before = sentence[:match.start("value")]
    after = sentence[match.end("value"):match.end("value") + 30]
    return value is not None and MIN_TOTAL < value < MAX_TOTAL and not words.benchmark_words.search(before) \
        and not re.match(r"\s*(?:poäng\s*)?(?:per|i varje|för varje)\s+område", after, re.I)


def _total_year(sentence: str, before: str, paragraph: str, words: PageWords) -> int | None | str:
    """The year a total belongs to: the previous evaluation's when an earlier-word precedes it, else a year
    of its own sentence or paragraph; None when only the page can tell; "previous" when unknowable."""
    last = _last_match(words.earlier_words, before)
    if last is not None and not re.search(r"\d|\btill\b", _YEAR.sub("", before[last[1]:])):
        years = valid_years(sentence[last[0]:])
        return years[0] if len(set(years)) == 1 else "previous"
    for text in (sentence, paragraph):
        years = set(own_years(text))
        if len(years) == 1:
            return years.pop()
        if len(years) > 1:
            return None
    return None


def _last_match(phrases: Phrases, text: str) -> tuple[int, int] | None:
    """(start, end) of the last wording of `phrases` in `text`, or None."""
    last, offset = None, 0
    while (match := phrases.search(text[offset:])) is not None:
        last = (offset + match.start("phrase"), offset + match.end("phrase"))
        offset = last[1]
    return last
