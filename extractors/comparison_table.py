"""Comparisons: the eight scores of other evaluations that a report quotes, in either orientation.

Orientation A — a row per area, a column per municipality and year — is an `AreaMatrix` whose column
headers name other municipalities (`area_table.column_roles`). Orientation B — a row per municipality
and year, columns 1–8 (and a total) — is found here by its rows: a municipality's name, a year, and
eight or nine numbers; a row headed by a reference label ("Sverigesnitt") is the reference.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.area_matrix import AreaMatrix, Row
from extractors.area_table import OTHER, UNKNOWN, column_roles, municipality_in
from extractors.layout import Word
from extractors.numbers import is_empty_cell, is_year, parse_number
from extractors.records import Check, Comparison
from extractors.vocabulary import VOCABULARY


@dataclass
class ComparedEvaluation:
    """One municipality-year of a comparison table: eight scores and, when printed, a total."""

    label: str
    kommun: str | None
    kommunkod: str | None
    year: int | None
    scores: dict[int, float | None] = field(default_factory=dict)
    total: float | None = None
    page: int | None = None
    words: dict[int, Word] = field(default_factory=dict)  # area (0: the total) → the word it was read from


@dataclass
class ReferenceRow:
    kind: str
    scores: dict[int, float]
    total: float | None
    page: int


@dataclass
class MunicipalityRows:
    """What orientation-B tables hold: other evaluations, the report's own row, a reference row."""

    evaluations: list[ComparedEvaluation] = field(default_factory=list)
    own_rows: list[ComparedEvaluation] = field(default_factory=list)
    reference: ReferenceRow | None = None


@dataclass
class ComparisonResult:
    comparisons: list[Comparison] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    own_rows: list[ComparedEvaluation] = field(default_factory=list)  # the report's own row, when a table has one
    reference: ReferenceRow | None = None
    found_table: bool = False
    words: dict[tuple, Word] = field(default_factory=dict)  # ("comparison", kommun, year, area) … → its word
    totals: dict[tuple[str, int], float] = field(default_factory=dict)  # (kommun, year) → its printed total


def from_matrix(matrix: AreaMatrix, kommun: str | None, year: int | None) -> list[ComparedEvaluation]:
    """The other municipalities' columns of an area-rows table."""
    found = []
    for index, role in enumerate(column_roles(matrix, kommun, year)):
        if role.role != OTHER:
            continue
        scores = {a: matrix.values[a][index] for a in range(1, 9) if _kept(matrix, a, index)}
        total = matrix.total[index] if matrix.total is not None else None
        words = {a: matrix.cell_words[a][index] for a in range(1, 9) if matrix.cell_words[a][index] is not None}
        if matrix.total_words is not None and matrix.total_words[index] is not None:
            words[0] = matrix.total_words[index]
        found.append(ComparedEvaluation(" ".join(matrix.columns[index].split()), role.kommun, role.kommunkod,
                                        role.year, scores, total, matrix.pages[1], words))
    return found


def unread_columns(matrix: AreaMatrix, kommun: str | None, year: int | None) -> list[str]:
    """Warnings for the columns of numbers a comparison table leaves out because their header names no known
    municipality (a header misread, 'Ņksjö 2008'): the evaluation they hold is lost, and it is said."""
    roles = column_roles(matrix, kommun, year)
    if not any(role.role == OTHER for role in roles):
        return []
    return [f"page {matrix.pages[1]}: comparison table column '{' '.join(matrix.columns[index].split())}' names no "
            "known municipality; its scores are left out"
            for index, role in enumerate(roles)
            if role.role == UNKNOWN and any(matrix.values[a][index] is not None for a in range(1, 9))]


def _kept(matrix: AreaMatrix, area: int, index: int) -> bool:
    """A cell with a number; or one OCR could not read (kept empty, for the sums to settle). A printed dash
    ('–': no value) gives no comparison for that area."""
    word = matrix.cell_words[area][index]
    if matrix.values[area][index] is not None:
        return True
    return word is not None and word.conf is not None and not is_empty_cell(word.text)


def _municipality_row(row: Row) -> tuple[str, int | None, list[float], list[Word]] | None:
    """'Eksjö 2008 59 37 60 …' → ('Eksjö 2008', 2008, scores, their words); the year may be its own cell."""
    numbers = [parse_number(w.text) for w in row.cells]
    words = list(row.cells)
    if any(n is None for n in numbers):
        return None
    label = row.label_text
    year = None
    if numbers and is_year(numbers[0]) and "," not in row.cells[0].text:
        year, numbers, words = int(numbers[0]), numbers[1:], words[1:]
    if len(numbers) not in (8, 9) or not label:
        return None
    return label, year, numbers, words


def municipality_rows(rows: list[Row], kommun: str | None, year: int | None) -> MunicipalityRows:
    """Orientation B tables: consecutive rows of a municipality (or a reference label) and 8–9 numbers."""
    result = MunicipalityRows()
    run: list[tuple[Row, str, int | None, list[float]]] = []
    for row in rows + [None]:
        parsed = _municipality_row(row) if row is not None else None
        if parsed is not None and (not run or row.page - run[-1][0].page <= 1):
            run.append((row, *parsed))
            continue
        if len(run) >= 2:
            _read_run(run, kommun, year, result)
        run = []
    return result


def _read_run(run: list, kommun: str | None, year: int | None, result: MunicipalityRows) -> None:
    for row, label, row_year, numbers, words in run:
        scores = {area: numbers[area - 1] for area in range(1, 9)}
        total = numbers[8] if len(numbers) == 9 else None
        cell_words = {area: words[area - 1] for area in range(1, 9)}
        if len(words) == 9:
            cell_words[0] = words[8]
        kind = VOCABULARY.reference_kind(label)
        name, code, label_year = municipality_in(label)
        row_year = row_year or label_year
        if kind and name is None:
            if result.reference is None:
                result.reference = ReferenceRow(kind, scores, total, row.page)
            continue
        if name is None:
            continue
        evaluation = ComparedEvaluation(" ".join(label.split()), name, code, row_year, scores, total, row.page,
                                        cell_words)
        if name == kommun:  # the municipality's own row; another year's is an earlier evaluation, no comparison
            if row_year in (year, None):
                result.own_rows.append(evaluation)
        else:
            result.evaluations.append(evaluation)


def collect(matrices: list[AreaMatrix], rows: list[Row], kommun: str | None, year: int | None,
            own_scores: dict[int, float]) -> ComparisonResult:
    """Every quoted evaluation of another municipality, with the check that its areas sum to its total."""
    by_rows = municipality_rows(rows, kommun, year)
    evaluations = list(by_rows.evaluations)
    for matrix in matrices:
        evaluations.extend(from_matrix(matrix, kommun, year))
    result = ComparisonResult(own_rows=by_rows.own_rows, reference=by_rows.reference,
                              found_table=bool(evaluations))
    for matrix in matrices:
        result.warnings.extend(unread_columns(matrix, kommun, year))
    seen: set[tuple[str, int]] = set()
    for evaluation in evaluations:
        if evaluation.year is None:
            result.warnings.append(f"comparison column '{evaluation.label}' has no year; left out")
            continue
        if evaluation.kommun == kommun and evaluation.year == year:
            continue
        if evaluation.year == year and len(own_scores) == 8 and own_scores == evaluation.scores:
            continue  # the evaluated municipality's own column under another label
        key = (evaluation.kommun, evaluation.year)
        if key in seen:
            continue
        seen.add(key)
        if evaluation.kommunkod is None:
            result.warnings.append(f"comparison '{evaluation.label}' is not a Swedish municipality in kommuner.csv")
        for area, word in evaluation.words.items():
            field_key = ("comparison_total", evaluation.kommun, evaluation.year) if area == 0 else \
                ("comparison", evaluation.kommun, evaluation.year, area)
            result.words[field_key] = word
        for area, score in sorted(evaluation.scores.items()):
            result.comparisons.append(Comparison(kommun=evaluation.kommun, kommunkod=evaluation.kommunkod,
                                                 year=evaluation.year, area=area, score=score, page=evaluation.page))
        if evaluation.total is not None:
            result.totals[key] = evaluation.total
    result.checks = comparison_checks(result.comparisons, result.totals)
    return result


def comparison_checks(comparisons: list[Comparison], totals: dict[tuple[str, int], float | None]) -> list[Check]:
    """Each quoted evaluation's eight areas sum to its printed total."""
    checks = []
    for (kommun, year), stated in totals.items():
        scores = [c.score for c in comparisons if (c.kommun, c.year) == (kommun, year)]
        if stated is None or len(scores) != 8 or None in scores:
            continue
        total = sum(scores)
        checks.append(Check(f"comparison {kommun} {year}: areas sum to total", abs(total - stated) < 0.001,
                            f"{total:g} vs {stated:g}"))
    return checks

