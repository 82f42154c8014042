"""The municipality's own area scores, their reference value and its kind, from the area tables found.

Columns are named by the one column classifier (`extractors.tables.columns`): the evaluated municipality
(or this year, or 'Poäng'), a reference label (median, medelvärde, Sverigesnitt …, with its kind), a
maximum (100 per area), a change since the previous evaluation (written with signs: never the reference),
another municipality with its year (a comparison), or the same municipality in another year. A column
without a header is only taken as the score when nothing else can be.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.area_matrix import AreaMatrix
from extractors.frameworks import area_name
from extractors.layout import Word
from extractors.tables.columns import (  # noqa: F401 - the roles, re-exported for the readers
    CHANGE, EARLIER, MAXIMUM, OTHER, OWN, REFERENCE, UNKNOWN, ColumnRole, classify_column, municipality_in)

@dataclass
class AreaTableResult:
    """What the area table says about the evaluated municipality; empty `scores` when none was found."""

    scores: dict[int, float] = field(default_factory=dict)
    references: dict[int, float | None] = field(default_factory=dict)
    reference_kind: str | None = None
    total: float | None = None
    reference_total: float | None = None
    generation: str | None = None
    labels: dict[int, str] = field(default_factory=dict)
    pages: dict[int, int] = field(default_factory=dict)
    matrix: AreaMatrix | None = None
    warnings: list[str] = field(default_factory=list)
    words: dict[tuple, Word] = field(default_factory=dict)  # ("area", 3, "score") … → the word it was read from


def column_role(matrix: AreaMatrix, index: int, kommun: str | None, year: int | None) -> ColumnRole:
    """The role of one column of an area matrix (`classify_column` on its header and values)."""
    return classify_column(matrix.columns[index], [matrix.values[a][index] for a in range(1, 9)],
                           matrix.signed[index], kommun, year)


def column_roles(matrix: AreaMatrix, kommun: str | None, year: int | None) -> list[ColumnRole]:
    roles = [column_role(matrix, i, kommun, year) for i in range(len(matrix.columns))]
    if year is None:  # the report's own year unknown: the latest of the municipality's year columns is its own
        years = [r.year for r in roles if r.role in (OWN, EARLIER) and r.year is not None]
        if years:
            latest = max(years)
            for role in roles:
                if role.role in (OWN, EARLIER) and role.year is not None:
                    role.role = OWN if role.year == latest else EARLIER
    return roles


def _own_column(roles: list[ColumnRole], matrix: AreaMatrix) -> tuple[int | None, str | None]:
    """The municipality's own column, and a warning when it had to be inferred."""
    owns = [i for i, r in enumerate(roles) if r.role == OWN]
    if owns:
        return owns[0], None
    unknown = [i for i, r in enumerate(roles) if r.role == UNKNOWN]
    if matrix.kind == "names" and unknown and unknown[0] == min(
            i for i, r in enumerate(roles) if r.role not in (CHANGE, MAXIMUM)):
        return unknown[0], "the area table's score column has no header naming the municipality; the first column was taken"
    return None, None


def read_area_table(matrices: list[AreaMatrix], kommun: str | None, year: int | None) -> AreaTableResult:
    """The evaluated municipality's scores from the first area table that holds them."""
    result = AreaTableResult()
    ordered = sorted(matrices, key=lambda m: (m.kind != "names", m.caption is None, m.first_page))
    for matrix in ordered:
        roles = column_roles(matrix, kommun, year)
        own, warning = _own_column(roles, matrix)
        if own is None:
            continue
        if any(matrix.values[a][own] is None for a in range(1, 9)):
            result.warnings.append(f"page {matrix.first_page}: the area table lacks a score for an area; not read")
            continue
        result.matrix = matrix
        result.generation = matrix.generation
        result.labels = dict(matrix.labels)
        result.pages = dict(matrix.pages)
        result.scores = {a: matrix.values[a][own] for a in range(1, 9)}
        result.words = {("area", a, "score"): matrix.cell_words[a][own] for a in range(1, 9)}
        if matrix.total_words is not None and matrix.total_words[own] is not None:
            result.words[("total",)] = matrix.total_words[own]
        if warning:
            result.warnings.append(f"page {matrix.first_page}: {warning}")
        references = [i for i, r in enumerate(roles) if r.role == REFERENCE]
        if references:
            reference = references[0]
            result.reference_kind = roles[reference].kind
            result.references = {a: matrix.values[a][reference] for a in range(1, 9)}
            result.words.update({("area", a, "reference"): matrix.cell_words[a][reference] for a in range(1, 9)
                                 if matrix.cell_words[a][reference] is not None})
            if matrix.total is not None:
                result.reference_total = matrix.total[reference]
            missing = [str(a) for a, value in result.references.items() if value is None]
            if missing:
                result.warnings.append(f"page {matrix.first_page}: the reference column has no value for area(s) "
                                       + ", ".join(missing))
        else:
            result.references = {a: None for a in range(1, 9)}
            if matrix.kind != "numbers" and any(r.role == UNKNOWN for i, r in enumerate(roles) if i != own):
                result.warnings.append(f"page {matrix.first_page}: a column of the area table has no header; "
                                       "not read as the reference value")
        if matrix.total is not None:
            result.total = matrix.total[own]
        return result
    return result


def canonical_names(generation: str | None, labels: dict[int, str]) -> dict[int, str]:
    """The generation's own area names, or the labels as printed when the generation is unknown."""
    if generation is None:
        return dict(labels)
    return {a: area_name(generation, a) for a in range(1, 9)}
