"""The one reader of stated results: whatever a PDF or a web page states about a Kommunkompassen result.

A statement is (municipality, year, area or total, role, value, where it was read). The reader takes
lines and grids, whatever made them — a PDF's lines (`pdf_lines`) and an HTML page's paragraphs, list
items and tables (`corpus.page_text`) are the same input — and reads three shapes by content:
- lists: one line per area, `1. Offentlighet och demokrati 61` or `Arbetsliv: 86 poäng (+5)`;
- grids (tables in either orientation): an area column or an area row, then score columns (rows) told
  apart by their headers — a year, "Poäng", the municipality's name, a reference value ("Sverigesnitt"),
  a change ("Förändring") or the previous evaluation ("Föregående utvärdering"), never this year's score;
- chart data labels: the numbers over a vector bar chart's bars, matched to the category names under the
  axis (`extractors.statement_charts`; in PDFs);
- sentences: a total, `fick 611 av 800 möjliga poäng`. Each total gets a role: the subject's own, a
  reference (a benchmark: "snittet …"), an earlier evaluation ("jämfört med 497 poäng 2020"), or another
  municipality's ("… jämföras med Örebros 615 poäng": the municipality named nearest before it in its
  clause). Only own statements (and earlier ones that name their year) become an evaluation's figures.
The wordings are data (`extractors/data/statement_words.yml`, area names and reference labels from
`vocabulary.yml`). A statement's year is None when the document's own year applies.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

from extractors.frameworks import detect_framework
from extractors.tables.matcher import area_score, split_number
from extractors.vocabulary import VOCABULARY, Phrases

WORDS_FILE = Path(__file__).parent / "data" / "statement_words.yml"
FIRST_YEAR = 2002
AREA_NAME_THRESHOLD = 0.8
AREA, TOTAL = "area", "total"
LIST, TABLE, PROSE, CHART = "list", "table", "prose", "chart"
OWN, REFERENCE, EARLIER, OTHER = "own", "reference", "earlier", "other"


@dataclass(frozen=True)
class StatementWords:
    previous_headers: Phrases
    earlier_words: Phrases
    benchmark_words: Phrases
    score_headers: Phrases
    clause_breaks: Phrases


@lru_cache(maxsize=1)
def statement_words(path: Path = WORDS_FILE) -> StatementWords:
    """The statement words, checked: every key present, no unknown key, lists of non-empty strings."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    names = [f.name for f in dataclasses.fields(StatementWords)]
    unknown, missing = sorted(set(data) - set(names)), [n for n in names if n not in data]
    if unknown or missing:
        raise ValueError(f"{path.name}: unknown key(s) {unknown or 'none'}, missing key(s) {missing or 'none'}")
    for name in names:
        if not isinstance(data[name], list) or not all(isinstance(w, str) and w.strip() for w in data[name]):
            raise ValueError(f"{path.name}: {name} must be a list of non-empty strings")
    return StatementWords(**{name: Phrases(w.strip() for w in data[name]) for name in names})


@dataclass(frozen=True)
class TextLine:
    """One line of running text (a PDF line, a paragraph, list item or heading) and the heading above it."""

    text: str
    heading: str = ""
    is_heading: bool = False
    page: int | None = None


@dataclass(frozen=True)
class Grid:
    """A table's rows of cell texts (spans repeated), its caption and the heading above it."""

    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 0
    caption: str = ""
    heading: str = ""
    page: int | None = None

    def row_text(self, index: int) -> str:
        """A row as it reads: its cells separated by ` | ` (the quotation stored with a number)."""
        return " | ".join(cell for cell in self.rows[index] if cell)

    def transposed(self) -> "Grid":
        width = max(len(row) for row in self.rows)
        return Grid(tuple(tuple(row[c] if c < len(row) else "" for row in self.rows) for c in range(width)),
                    0, self.caption, self.heading, self.page)


@dataclass(frozen=True)
class Statement:
    """One number a text states, whose it is, and the sentence, line or table row it was read from."""

    kind: str                    # AREA or TOTAL
    value: float
    excerpt: str
    shape: str                   # LIST, TABLE or PROSE
    year: int | None = None      # None: the document's own year
    area: int | None = None
    area_name: str | None = None
    reference: float | None = None
    reference_kind: str | None = None
    role: str = OWN              # OWN, REFERENCE, EARLIER or OTHER
    kommun: str | None = None    # the municipality an OTHER statement is about
    page: int | None = None      # the PDF page it was read on (None on a web page)



@dataclass(frozen=True)
class AreaName:
    number: int
    name: str
    match: float


@dataclass
class Statements:
    """What a text states, with the warnings of what was seen and not read."""

    statements: list[Statement] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def own(self) -> list[Statement]:
        return [s for s in self.statements if s.role in (OWN, EARLIER) and not (s.role == EARLIER and s.year is None)]


_NUMBER = r"\d{1,3}(?:[.,]\d{1,2})?"
_YEAR = re.compile(r"(?<![\d.,])(20[0-4]\d)(?![\d.,]\d)")
_LIST_LINE = re.compile(
    rf"^(?P<label>[^\d(]*?(?:\b[1-8]\b[^\d(]*?)?)\s*[:=–—-]?\s*(?P<score>{_NUMBER})\s*"
    r"(?:poäng|p)?\.?\s*(?:av\s+100(?:\s+(?:möjliga\s+)?poäng)?)?\s*(?P<rest>\(.*\))?\s*[.;,]?\s*$", re.I)
_SIGNED = re.compile(r"^\s*[+±−–-]\s*\d")
_TOTAL_PHRASES = (
    re.compile(rf"(?P<value>{_NUMBER})\s*(?:poäng\s*)?av\s+(?:(?:totalt|maximalt|max|möjliga|de)\s+)*800\b", re.I),
    re.compile(rf"\btotal(?:t|poäng(?:en)?|a\s+poängen|resultatet?)\b[^.\d]{{0,40}}?(?P<value>{_NUMBER})"
               r"(?:\s*poäng|(?=\s*[.,;)]|\s*$))", re.I),
    re.compile(rf"(?P<value>{_NUMBER})\s*poäng\b", re.I),   # a bare "497 poäng": a total only beside another
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
    earlier = statement_words().earlier_words
    years = []
    for match in _YEAR.finditer(text or ""):
        year = int(match.group(1))
        before = text[max(0, match.start() - 40):match.start()]
        if FIRST_YEAR <= year <= date.today().year and not earlier.search(before):
            years.append(year)
    return years


def name_area(label: str) -> AreaName | None:
    """The area a label names ("3. Politisk styrning och kontroll", "Område 7 Arbetsliv"), or None: the one
    area matcher's reading (`extractors.tables.matcher`), held closer here: the name must be clearly more
    like one area than any other, and a number written beside it must agree."""
    number_, name = split_number(label or "")
    name = name.strip(" –—-:")
    if len(name) < 4 or len(name) > 90 or re.search(r"\d", name):
        return None
    ranked = sorted(((area_score(name, n), n) for n in range(1, 9)), reverse=True)
    (score, top), (second, _) = ranked[0], ranked[1]
    if score < AREA_NAME_THRESHOLD or (second >= AREA_NAME_THRESHOLD and score - second < 0.05):
        return None
    if number_ is not None and number_ != top:
        return None
    return AreaName(top, name, score)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def strong_totals(sentence: str) -> list[int]:
    """Where the totals a sentence states ("512 av 800 poäng", "totalt 603 poäng") begin."""
    return sorted({m.start("value") for pattern in _TOTAL_PHRASES[:2] for m in pattern.finditer(sentence)
                   if _plausible_total(sentence, m)})


def generation_of(area_names: dict[int, list[str]], year: int | None) -> str | None:
    """The framework generation named by the area names (the extractor's vocabulary), else by the year."""
    return detect_framework(area_names, year)[0]


# --- the reader ----------------------------------------------------------------------------------------

def read_statements(lines: list[TextLine], grids: list[Grid], own_names: set[str] = frozenset(),
                    subject_of: Callable[[str], str | None] | None = None) -> Statements:
    """Every statement of lines and grids. `own_names`: the forms of the subject municipality's name (to
    recognise its column); `subject_of(text)`: the municipality a clause names nearest its end — None, the
    subject's own name, or another's (whose total it then is)."""
    from extractors.statement_grids import grid_statements

    result = Statements()
    for found, said in [list_statements(lines), *(grid_statements(grid, own_names) for grid in grids),
                        prose_statements(lines, subject_of or (lambda text: None), own_names)]:
        result.statements.extend(found)
        result.warnings.extend(said)
    return result


# --- lists ---------------------------------------------------------------------------------------------

def list_statements(lines: list[TextLine]) -> tuple[list[Statement], list[str]]:
    """Area scores written one per line; a year in the line opening the list (or its heading) is theirs."""
    found_all, warnings = [], []
    group: list[Statement] = []
    context_year = None
    for line in lines:
        found = _list_line(line)
        if found is None:
            _close_group(group, found_all, warnings)
            group = []
            years = set(own_years(line.text))
            if line.is_heading or len(years) > 1:
                context_year = years.pop() if len(years) == 1 else None
            elif len(years) == 1 and len(line.text) <= 120:
                context_year = years.pop()
            continue
        group.append(dataclasses.replace(found, year=context_year))
    _close_group(group, found_all, warnings)
    return found_all, warnings


def _list_line(line: TextLine) -> Statement | None:
    match = _LIST_LINE.match(line.text)
    if not match:
        return None
    area = name_area(match["label"])
    score = number(match["score"])
    if area is None or score is None or not 0 <= score <= 100:
        return None
    reference, kind = _parenthesised_reference(match["rest"] or "")
    return Statement(AREA, score, line.text, LIST, area=area.number, area_name=area.name, reference=reference,
                     reference_kind=kind, page=line.page)


def _parenthesised_reference(rest: str) -> tuple[float | None, str | None]:
    """`(Sverigesnitt 63)` → (63, 'Sverigesnitt'); a change such as `(+16)` or anything else → nothing."""
    kind = VOCABULARY.reference_kind(rest)
    found = re.search(rf"({_NUMBER})", rest)
    if kind and found and not _SIGNED.match(rest.strip("() ")):
        return float(found.group(1).replace(",", ".")), kind
    return None, None


def _close_group(group: list[Statement], found: list[Statement], warnings: list[str]) -> None:
    """Keep a list of at least two areas with distinct numbers; a repeated number makes the list doubtful."""
    if len(group) < 2:
        return
    numbers = [f.area for f in group]
    if len(set(numbers)) != len(numbers):
        warnings.append(f"a list names an area twice ({group[0].excerpt!r} …); not read")
        return
    found.extend(group)


# --- sentences -----------------------------------------------------------------------------------------

def paragraphs(lines: list[TextLine]) -> list[TextLine]:
    """Lines joined into paragraphs (a PDF wraps a sentence over lines; a list item or heading stands alone):
    a line is joined to the one before on its page when that one ends no sentence, neither is a list line,
    and the line goes on in lower case or a number, or the one before is a full line (it wrapped)."""
    longest: dict[int | None, int] = {}
    for line in lines:
        longest[line.page] = max(longest.get(line.page, 0), len(line.text))
    joined: list[TextLine] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if previous is not None and previous.page == line.page and line.page is not None \
                and not previous.is_heading and not line.is_heading \
                and not re.search(r"[.!?:]\s*$", previous.text) and _list_line(previous) is None \
                and _list_line(line) is None \
                and (not re.match(r"\s*[A-ZÅÄÖ]", line.text) or len(previous.text) >= 0.7 * longest[line.page]):
            joined[-1] = dataclasses.replace(previous, text=f"{previous.text} {line.text}")
        else:
            joined.append(line)
    return joined


def prose_statements(lines: list[TextLine], subject_of: Callable[[str], str | None],
                     own_names: set[str] = frozenset()) -> tuple[list[Statement], list[str]]:
    """Totals stated in sentences, each with its role (own, reference, earlier, another municipality's)."""
    found_all, warnings = [], []
    words = statement_words()
    own = {name.casefold() for name in own_names}
    for line in paragraphs(lines):
        for sentence in sentences(line.text):
            found: dict[int, tuple[int, re.Match]] = {}
            for i, pattern in enumerate(_TOTAL_PHRASES):
                for m in pattern.finditer(sentence):
                    found.setdefault(m.start("value"), (i, m))  # the strongest wording of a number wins
            matches = [(i, m) for _, (i, m) in sorted(found.items()) if _plausible_total(sentence, m)]
            if not any(i < 2 for i, _ in matches):
                continue  # a bare "NNN poäng" is read only in a sentence stating a total
            stated = [_role(sentence, m, words, subject_of, own) for i, m in matches]
            owns = [s for s in stated if s.role == OWN]
            if len({s.value for s in owns}) > 1:
                warnings.append(f"several totals in one sentence, none read: {sentence!r}")
                stated = [s for s in stated if s.role != OWN]
            for statement in stated:
                if statement.role == EARLIER and statement.year is None and statement.value is not None:
                    warnings.append(f"a total of the previous evaluation without its year, not read: {sentence!r}")
                if statement.role == OWN:
                    statement = dataclasses.replace(statement, year=_own_year(sentence, line.text, words))
                found_all.append(dataclasses.replace(statement, page=line.page))
    return found_all, warnings


def _plausible_total(sentence: str, match: re.Match) -> bool:
    """A plausible total: not the maximum, not per area."""
    value = number(match["value"])
    after = sentence[match.end("value"):match.end("value") + 30]
    return value is not None and MIN_TOTAL < value < MAX_TOTAL \
        and not re.match(r"\s*(?:poäng\s*)?(?:per|i varje|för varje)\s+område", after, re.I)


def _clause_before(sentence: str, start: int, words: StatementWords) -> str:
    """The clause a number stands in, up to the number: from the last clause break (`clause_breaks`) before it."""
    before = sentence[:start]
    last = _last_match(words.clause_breaks, before)
    return before[last[0] if last else 0:]


def _role(sentence: str, match: re.Match, words: StatementWords, subject_of, own: set[str]) -> Statement:
    value = number(match["value"])
    before = sentence[:match.start("value")]
    clause = _clause_before(sentence, match.start("value"), words)
    statement = Statement(TOTAL, value, sentence, PROSE)
    named = subject_of(clause)
    if named is not None and named.casefold() not in own:
        return dataclasses.replace(statement, role=OTHER, kommun=named)
    if words.benchmark_words.search(clause):
        return dataclasses.replace(statement, role=REFERENCE)
    last = _last_match(words.earlier_words, before)
    if last is not None and not re.search(r"\d|\btill\b", _YEAR.sub("", before[last[1]:])):
        years = valid_years(sentence[last[0]:])
        return dataclasses.replace(statement, role=EARLIER, year=years[0] if len(set(years)) == 1 else None)
    return statement


def _own_year(sentence: str, paragraph: str, words: StatementWords) -> int | None:
    """The year of an own total: a year of its own sentence or paragraph; None when only the document can tell."""
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


# --- from statements to evaluations ---------------------------------------------------------------------

@dataclass
class EvaluationFigures:
    """What a document states about one evaluation (its subject municipality and one year)."""

    year: int
    framework: str | None
    areas: dict[int, Statement] = field(default_factory=dict)
    total: Statement | None = None


def evaluations(statements: list[Statement], document_year: int | None, warnings: list[str],
                checks: list[tuple[str, bool, str]]) -> list[EvaluationFigures]:
    """The subject's evaluations: own statements by year (the document's year where none is stated), one
    value per area and for the total (conflicting values are dropped), eight areas held to the total."""
    by_year: dict[int, list[Statement]] = {}
    for statement in statements:
        if statement.role not in (OWN, EARLIER) or (statement.role == EARLIER and statement.year is None):
            continue
        year = statement.year or document_year
        if year is None:
            warnings.append(f"no year for {statement.excerpt!r}; not stored")
            continue
        by_year.setdefault(year, []).append(statement)
    found = [_evaluation(year, by_year[year], warnings, checks) for year in sorted(by_year)]
    return [e for e in found if e.areas or e.total]


def _evaluation(year: int, stated: list[Statement], warnings: list[str],
                checks: list[tuple[str, bool, str]]) -> EvaluationFigures:
    areas: dict[int, list[Statement]] = {}
    totals: list[Statement] = []
    for statement in stated:
        (areas.setdefault(statement.area, []) if statement.kind == AREA else totals).append(statement)
    chosen: dict[int, Statement] = {}
    for number_, found in sorted(areas.items()):
        if len({f.value for f in found}) > 1:
            warnings.append(f"{year}: area {number_} is given as "
                            f"{' and '.join(sorted({f'{f.value:g}' for f in found}))}; not stored")
        else:
            chosen[number_] = next((f for f in found if f.reference is not None), found[0])
    total = None
    if len({f.value for f in totals}) > 1:
        warnings.append(f"{year}: the total is given as "
                        f"{' and '.join(sorted({f'{f.value:g}' for f in totals}))}; not stored")
    elif totals:
        total = totals[0]
    framework = generation_of({n: [f.area_name] for n, f in chosen.items() if f.area_name}, year)
    if len(chosen) == 8 and total is not None:
        summed = sum(f.value for f in chosen.values())
        ok = abs(summed - total.value) < 0.51
        checks.append((f"{year}: areas sum to total", ok, f"{summed:g} {'=' if ok else '≠'} {total.value:g}"))
        if not ok:
            warnings.append(f"{year}: the eight areas sum to {summed:g}, not to the total {total.value:g}; "
                            "area scores not stored")
            chosen = {}
    return EvaluationFigures(year, framework, chosen, total)


# --- a PDF's text as lines and grids ---------------------------------------------------------------------

def pdf_lines(document) -> list[TextLine]:
    """A read PDF's lines (running headers and footers left out) as the reader's lines, page by page."""
    return [TextLine(line.text, page=page.number) for page in document.pages if page.readable
            for line in page.lines]


@dataclass
class DocumentResult:
    """The result a PDF states outside an area table: its subject, the evaluation of the document's year
    (areas and total, each statement with its page) and every statement read, with warnings and checks."""

    subject: object | None = None          # extractors.places.Place
    evaluation: EvaluationFigures | None = None
    statements: list[Statement] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)


def _chart_statements(document, stated_areas: set[int]) -> list[Statement]:
    """The areas a page's bar chart labels state, where no line or sentence has stated them."""
    from extractors.statement_charts import chart_statements

    found: list[Statement] = []
    for page in document.pages:
        if page.readable:
            found.extend(s for s in chart_statements(page) if s.area not in stated_areas)
    return found


def document_result(document, title_kommun: str | None, title_year: int | None) -> DocumentResult:
    """What a read PDF states: the subject found wherever it is named (the title block's municipality a
    vote among them), and the subject's own evaluation — the latest year its own statements name, else
    the title block's year. Another municipality's, a benchmark's or an earlier evaluation's figures are
    statements of their own role, never this evaluation's."""
    from extractors.places import find_subject, forms_of, nearest_named

    lines = pdf_lines(document)
    first = [line.text for line in lines if line.page == lines[0].page][:3] if lines else []
    subject = find_subject(" ".join(first), [], [line.text for line in lines], hint=title_kommun)
    result = DocumentResult(subject)
    stated = read_statements(lines, [], forms_of(subject),
                             lambda text: (p.name if (p := nearest_named(text)) is not None else None))
    result.statements, result.warnings = stated.statements, list(stated.warnings)
    result.statements.extend(_chart_statements(document, {s.area for s in stated.statements if s.kind == AREA}))
    own_years = sorted({s.year for s in stated.statements if s.role == OWN and s.year is not None})
    year = own_years[-1] if own_years else title_year
    found = evaluations([s for s in stated.statements if s.role == OWN], year, result.warnings, result.checks)
    result.evaluation = next((e for e in found if e.year == year), None)
    others = [s for s in stated.statements if s.role in (OTHER, REFERENCE, EARLIER)]
    for statement in others:
        whose = {OTHER: f"{statement.kommun}'s", REFERENCE: "a reference", EARLIER: "an earlier evaluation's"}
        result.warnings.append(f"page {statement.page}: {statement.value:g} is {whose[statement.role]} total "
                               f"({statement.excerpt!r}); not this evaluation's")
    return result
