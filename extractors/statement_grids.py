"""Statements read from grids — HTML tables and PDF cell grids alike — in either orientation.

A grid names areas down one column (or across one row, read transposed); its other columns are told
apart by their headers: a year, "Poäng", the municipality's name (a score column), a reference value
("Sverigesnitt"), a change ("Förändring", signed numbers) or the previous evaluation ("Föregående
utvärdering", read only with its year, as that year's). Part of the statement reader
(`extractors.statements`).
"""
from __future__ import annotations

from dataclasses import dataclass

from extractors.statements import (AREA, TABLE, TOTAL, _SIGNED, AreaName, Grid, Statement, name_area, number,
                                   statement_words, valid_years)
from extractors.municipalities import lookup
from extractors.tables.columns import EARLIER, OWN, REFERENCE, UNKNOWN, classify_column
from extractors.vocabulary import VOCABULARY


def grid_statements(grid: Grid, own_names: set[str]) -> tuple[list[Statement], list[str]]:
    """A grid's statements, read with the areas down a column, else (if that finds none) across a row."""
    found, warnings = table_statements(grid, own_names)
    if found or not grid.rows:
        return found, warnings
    return table_statements(grid.transposed(), own_names)


@dataclass
class _Column:
    index: int
    header: str
    role: str               # score, reference, skip
    year: int | None = None
    reference_kind: str | None = None


def table_statements(table: Grid, own_names: set[str]) -> tuple[list[Statement], list[str]]:
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
            figures.append(Statement(AREA, value, table.row_text(i), TABLE, column.year, area.number, area.name,
                                     reference, kind, page=table.page))
        for i, row in total_rows.items():
            value = number(row[column.index]) if column.index < len(row) else None
            if value is not None and 0 <= value <= 800:
                figures.append(Statement(TOTAL, value, table.row_text(i), TABLE, column.year, page=table.page))
    return figures, warnings


def _label_column(table: Grid) -> tuple[int | None, dict[int, AreaName]]:
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


def _own_name(own_names: set[str]) -> str | None:
    """The subject's name as the municipality list spells it (a form such as 'Grästorps kommun' resolved)."""
    for form in sorted(own_names, key=len):
        found = lookup(form)
        if found is not None:
            return found.name
    return min(own_names, key=len) if own_names else None


def _classify(index: int, header: str, table: Grid, area_rows: dict[int, AreaName], own_names: set[str],
              warnings: list[str]) -> _Column:
    """A column's role by the one column classifier (`extractors.tables.columns`), which the PDF area
    tables use too; what only web pages print (a 'Föregående utvärdering' column, 'Vårt resultat') is
    read with the statement words."""
    cells = [table.rows[i][index] for i in area_rows if index < len(table.rows[i]) and table.rows[i][index]]
    numeric = [c for c in cells if number(c) is not None or _SIGNED.match(c)]
    if not cells or len(numeric) * 2 < len(cells):
        return _Column(index, header, "skip")
    words = statement_words()
    years = valid_years(header)
    signed = sum(1 for c in cells if _SIGNED.match(c)) * 2 > len(cells)
    if words.previous_headers.search(header) and not VOCABULARY.change_labels.search(header) and not signed:
        if len(years) == 1:
            return _Column(index, header, "score", years[0])
        warnings.append(f"column {header!r} holds the previous evaluation without naming its year; not read")
        return _Column(index, header, "skip")
    if len(years) > 1:
        warnings.append(f"column {header!r} names several years; not read")
        return _Column(index, header, "skip")
    role = classify_column(header, [number(c) for c in cells], signed, _own_name(own_names), None)
    if role.role == REFERENCE:
        return _Column(index, header, "reference", reference_kind=role.kind)
    if role.role in (OWN, EARLIER):
        return _Column(index, header, "score", role.year)
    if role.role == UNKNOWN and (not header or role.year is not None or words.score_headers.search(header)
                                 or any(name.casefold() in header.casefold() for name in own_names)):
        return _Column(index, header, "score", role.year)
    if role.role == UNKNOWN:
        warnings.append(f"column {header!r} not understood; not read")
    return _Column(index, header, "skip")  # a change, a maximum, another municipality's column
