"""Tabell 1: the municipality's score per area beside the reference value (median or mean)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.layout import Line, Word
from extractors.tables import column_of_header, header_phrases, is_year_word, trailing_numbers, values

TOTAL_LABEL = re.compile(r"^(totalt?|summa|total\s*poäng|poäng\s*totalt|sammanlagt)\b", re.I)
REFERENCE_KINDS = [
    ("nationellt medelvärde", "nationellt medelvärde"),
    ("sverigesnitt", "Sverigesnitt"),
    ("median", "median"),
    ("medelvärde", "medelvärde"),
    ("genomsnitt", "genomsnitt"),
    ("snitt", "snitt"),
]


@dataclass
class SummaryRow:
    label: str
    score: float
    reference: float | None
    page: int


@dataclass
class SummaryTable:
    rows: list[SummaryRow] = field(default_factory=list)
    total: SummaryRow | None = None
    reference_kind: str | None = None
    reference_first: bool = False


def reference_kind_of(header: str) -> str | None:
    folded = header.casefold()
    for key, kind in REFERENCE_KINDS:
        if key in folded:
            return kind
    return None


def _without_extra_columns(number_words: list[Word]) -> list[Word]:
    """Drop a 'max' column before the scores (100, 800) or a difference column after them."""
    if len(number_words) != 3:
        return number_words
    first, second, third = values(number_words)
    if number_words[0].text in ("100", "800"):
        return number_words[1:]
    if abs(abs(first - second) - abs(third)) < 0.001:
        return number_words[:2]
    return number_words


def _score_row(line: Line) -> tuple[str, list[Word]] | None:
    """An area row: a label and one or two scores. A row whose label stands on the lines around
    its numbers (a vertically centred cell) has an empty label here."""
    label_words, number_words = trailing_numbers(line)
    number_words = _without_extra_columns(number_words)
    if not 1 <= len(number_words) <= 2 or any(is_year_word(w) for w in number_words):
        return None
    label = " ".join(w.text for w in label_words)
    if label_words and not re.search(r"[A-Za-zÅÄÖåäö]{3}", label):
        return None
    if not label_words and len(number_words) < 2:
        return None
    return label, number_words


def _reference_first(header_lines: list[Line], number_words: list) -> bool:
    """True when the reference column stands left of the municipality's own column."""
    if len(number_words) < 2:
        return False
    edges = [w.x1 for w in number_words]
    for line in header_lines:
        for phrase in header_phrases(line.words):
            if reference_kind_of(" ".join(w.text for w in phrase)):
                return column_of_header(phrase, edges) == 0
    return False


def read_summary_table(lines: list[Line], start: int = 0) -> SummaryTable | None:
    """Read the first run of up to eight area rows and the total row at or after `lines[start]`."""
    table = SummaryTable()
    header: list[Line] = []
    for line in lines[start:]:
        parsed = _score_row(line)
        if parsed is None:
            if not table.rows:
                header.append(line)
                header = header[-4:]
            elif len(line.text) > 75:  # running prose: what came before was not the table
                table, header = SummaryTable(), [line]
            elif len(table.rows) < 8 and re.match(r"^[A-ZÅÄÖa-zåäö]", line.text) and not TOTAL_LABEL.match(line.text):
                table.rows[-1].label += " " + line.text  # a wrapped area name
            continue
        label, number_words = parsed
        numbers = values(number_words)
        if TOTAL_LABEL.match(label):
            if table.rows:
                table.total = SummaryRow(label, *(numbers + [None])[:2], line.page)
                break
            continue
        if len(table.rows) == 8 or any(n > 100 for n in numbers):
            break
        table.rows.append(SummaryRow(label, *(numbers + [None])[:2], line.page))
        if len(table.rows) == 1:
            table.reference_kind = reference_kind_of(" ".join(h.text for h in header))
            table.reference_first = _reference_first(header, number_words)
    if len(table.rows) < 8:
        return None
    if table.reference_first:
        for row in [*table.rows, table.total] if table.total else table.rows:
            if row.reference is not None:
                row.score, row.reference = row.reference, row.score
    return table
