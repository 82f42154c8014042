"""Candidate readings of cell grids as area tables, scored; the best kept, the others shown.

A grid (or a chain of grids continued over a page break with the same columns) is read with the areas
as rows and, transposed, with the areas as columns. For each orientation, generation and label column,
areas 1–8 are assigned in order to label cells by the one area matcher (`matcher.match_area`); a
loosely worded name is allowed between two well-named areas. The other columns' cells give the
numbers, the cells above the first area (left of it, transposed) name the columns, a row labelled as a
total after area 8 gives the totals. Every attempt that failed says why (`Reading.rejected`), for
`--debug-page`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractors.area_matrix import AreaMatrix
from extractors.layout import Word
from extractors.numbers import (bare_number, is_empty_cell, is_number_token, is_unreadable_cell, is_year,
                                parse_number, without_units)
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings
from extractors.tables.grid import Cell, CellGrid
from extractors.tables.matcher import match_area
from extractors.vocabulary import VOCABULARY

ROWS, COLUMNS = "rows", "columns"
_SIGNED = re.compile(r"^\(?[+±\u2212\u2013-]\d")


@dataclass
class Reading:
    """One way of reading a table: the matrix it gives (None when rejected), its score and why."""

    grids: list[CellGrid]
    orientation: str
    generation: str | None
    score: float
    matrix: AreaMatrix | None = None
    rejected: str | None = None

    @property
    def page(self) -> int:
        return self.grids[0].page

    def describe(self) -> str:
        head = f"{self.grids[0].name} grid p.{self.page} ({self.orientation}, {self.generation or 'numbered'})"
        return f"{head}: score {self.score:.2f}" + (f", rejected: {self.rejected}" if self.rejected else "")


@dataclass
class _Line:
    """A row of a table (a column, transposed): its cells in order, and the page it stands on."""

    cells: list[Cell | None]
    page: int
    grid: CellGrid


def _lines(grids: list[CellGrid], orientation: str) -> list[_Line]:
    found = []
    for grid in grids:
        if orientation == ROWS:
            found.extend(_Line(list(row), grid.page, grid) for row in grid.cells)
        else:
            found.extend(_Line([grid.cells[r][c] for r in range(grid.row_count)], grid.page, grid)
                         for c in range(grid.column_count))
    return found


def _number_word(cell: Cell | None) -> tuple[Word | None, bool]:
    """The one number a cell holds (None for an empty or dashed cell); False when it holds more than a number."""
    if cell is None or not cell.words:
        return None, True
    texts = [w.text for w in cell.words]
    kept = [cell.words[i] for i in without_units(texts)]
    numbers = [w for w in kept if is_number_token(bare_number(w.text)) and w.text != "%"]
    others = [w for w in kept if w not in numbers and w.text != "%" and not is_empty_cell(w.text)]
    if len(numbers) > 1 or (numbers and others):
        return None, False
    if not numbers:
        if len(others) == 1 and is_unreadable_cell(others[0]):
            return others[0], True  # OCR's reading of a cell that should hold a number: kept for the sums
        return None, not others or all(is_empty_cell(w.text) for w in others)
    word = numbers[0]
    text = bare_number(word.text)
    return (word if text == word.text else replace(word, text=text)), True


def _holds_number(cell: Cell | None) -> bool:
    return cell is not None and any(is_number_token(bare_number(w.text)) and w.text != "%" for w in cell.words)


def _assign(lines: list[_Line], column: int, generation: str | None,
            settings: ExtractionSettings) -> tuple[list[int], list[float], list[str]] | None:
    """Indexes of the lines labelled area 1 … 8 in order (in `column`), their scores and titles."""
    labels = [line.cells[column].text if column < len(line.cells) and line.cells[column] is not None else ""
              for line in lines]
    strong = [match_area(text, generation, settings) if text else None for text in labels]
    strong = [m if m is not None and (m.generation is None) == (generation is None) else None for m in strong]
    if not any(m is not None and m.area == 1 for m in strong):
        return None
    weak_cache: dict[int, object] = {}

    def weak_match(index: int):
        if index not in weak_cache:
            m = match_area(labels[index], generation, settings, weak=True) if labels[index] else None
            weak_cache[index] = m if m is not None and (m.generation is None) == (generation is None) else None
        return weak_cache[index]

    def extend(area: int, start: int, chosen: list, scores: list, titles: list, weak_used: int, after_weak: bool):
        if area > 8:
            return chosen, scores, titles
        for index in range(start, len(lines)):
            if chosen and index > chosen[-1] + 1 and lines[index].grid is lines[chosen[-1]].grid:
                return None  # within one grid the area rows follow each other
            for weak in (False, True):
                if weak and (area in (1, 8) or after_weak or weak_used >= settings.area_name_weak_links):
                    continue
                match = weak_match(index) if weak else strong[index]
                if match is None or match.area != area:
                    continue
                found = extend(area + 1, index + 1, chosen + [index], scores + [match.score], titles + [match.title],
                               weak_used + weak, weak)
                if found is not None:
                    return found
            if chosen and lines[index].grid is lines[chosen[-1]].grid:
                return None
        return None

    for first, match in enumerate(strong):
        if match is not None and match.area == 1:
            found = extend(1, first, [], [], [], 0, False)
            if found is not None:
                return found
    return None


def _header(lines: list[_Line], first: int, column: int) -> str:
    """A value column's header: the distinct cells over the first area's line in its grid, top to bottom."""
    texts: list[str] = []
    seen: set[int] = set()
    grid = lines[first].grid
    for index in range(first):
        line = lines[index]
        if line.grid is not grid or column >= len(line.cells):
            continue
        cell = line.cells[column]
        if cell is not None and id(cell) not in seen and cell.text:
            seen.add(id(cell))
            texts.append(cell.text)
    return "\n".join(texts)


def _total_line(lines: list[_Line], after: int, column: int, settings: ExtractionSettings) -> int | None:
    """The line labelled as a total right after the last area (past a header repeated over a page break)."""
    limit = after + 2
    for index in range(after + 1, min(after + 2 + int(settings.header_max_rows), len(lines))):
        if lines[index].grid is not lines[after].grid:
            limit = index + 1 + int(settings.header_max_rows)
        if index >= limit:
            break
        cell = lines[index].cells[column] if column < len(lines[index].cells) else None
        if cell is not None and VOCABULARY.total_labels.starts(cell.text.replace("\n", " ")):
            return index
    return None


def _caption(pages: dict, grid: CellGrid, settings: ExtractionSettings) -> str | None:
    page = pages.get(grid.page)
    if page is None:
        return None
    above = [line for line in page.lines if line.bottom <= grid.ys[0] + 1
             and grid.ys[0] - line.bottom < settings.header_max_distance]
    for line in sorted(above, key=lambda l: l.bottom, reverse=True)[:int(settings.header_max_rows) + 2]:
        if VOCABULARY.area_table.captions.starts(line.text) or VOCABULARY.comparison_table.captions.starts(line.text):
            return line.text
    return None


def read_as_area_table(grids: list[CellGrid], orientation: str, generation: str | None, pages: dict,
                       settings: ExtractionSettings = DEFAULT_SETTINGS) -> Reading:
    """One reading: the grids' lines (rows, or columns) as areas 1–8 of `generation` (None: numbered 1–8)."""
    lines = _lines(grids, orientation)
    width = max((len(line.cells) for line in lines), default=0)
    for label_column in range(min(2, width)):
        assigned = _assign(lines, label_column, generation, settings)
        if assigned is not None:
            break
    else:
        return Reading(grids, orientation, generation, 0.0, rejected="no cells name areas 1–8 in order")
    chosen, scores, titles = assigned
    value_columns = []
    for column in range(width):
        if column == label_column:
            continue
        cells = [lines[i].cells[column] if column < len(lines[i].cells) else None for i in chosen]
        words = [_number_word(cell) for cell in cells]
        if any(not ok for _, ok in words):
            if column < label_column or not any(_holds_number(cell) for cell in cells):
                continue  # text beside the numbering, or a column of remarks: not a column of values
            return Reading(grids, orientation, generation, 0.0,
                           rejected=f"a cell of column {column + 1} holds more than one number, or text with it")
        if [w.text.rstrip(".:)") if w is not None else None for w, _ in words] == [str(a) for a in range(1, 9)]:
            continue  # the areas' numbering in a column of its own, not values
        if any(w is not None for w, _ in words):
            distinct = {id(c) for c in cells if c is not None}
            if len(distinct) < sum(1 for c in cells if c is not None):
                return Reading(grids, orientation, generation, 0.0, rejected="a value cell spans two areas")
            value_columns.append((column, [w for w, _ in words]))
    if not 0 < len(value_columns) <= 12:
        return Reading(grids, orientation, generation, 0.0, rejected="no column of numbers beside the areas")
    values = {a: [None if word is None else parse_number(word.text) for _, col in value_columns for word in [col[a - 1]]]
              for a in range(1, 9)}
    cell_words = {a: [col[a - 1] for _, col in value_columns] for a in range(1, 9)}
    if all(all(v is not None and is_year(v) for v in values[a]) for a in range(1, 9)):
        return Reading(grids, orientation, generation, 0.0, rejected="only years beside the areas")
    signed = [any(w is not None and _SIGNED.match(w.text) for w in col) for _, col in value_columns]
    total_index = _total_line(lines, chosen[-1], label_column, settings)
    total = total_words = None
    if total_index is not None:
        total_words = []
        for column, _ in value_columns:
            cell = lines[total_index].cells[column] if column < len(lines[total_index].cells) else None
            word, ok = _number_word(cell)
            total_words.append(word if ok else None)
        total = [None if w is None else parse_number(w.text) for w in total_words]
    headers = [_header(lines, chosen[0], column) for column, _ in value_columns]
    kind = "numbers" if generation is None else "names"
    used = sorted({id(lines[i].grid): lines[i].grid for i in chosen}.values(), key=lambda g: g.page)
    boxes: dict[int, tuple[float, float, float, float]] = {}
    for grid in used:
        x0, top, x1, bottom = grid.box
        old = boxes.get(grid.page)
        boxes[grid.page] = (x0, top, x1, bottom) if old is None else (
            min(old[0], x0), min(old[1], top), max(old[2], x1), max(old[3], bottom))
    first_grid = lines[chosen[0]].grid
    ranges = [(first_grid.xs[c], first_grid.xs[c + 1]) if orientation == ROWS and c + 1 < len(first_grid.xs)
              else first_grid.box[0:3:2] for c, _ in value_columns]
    matrix = AreaMatrix(kind=kind, generation=generation,
                        labels={a: titles[a - 1] for a in range(1, 9)}, columns=headers, values=values,
                        signed=signed, total=total, pages={a: lines[chosen[a - 1]].page for a in range(1, 9)},
                        first_page=lines[chosen[0]].page, caption=_caption(pages, first_grid, settings),
                        label_similarity=sum(scores) / len(scores), boxes=boxes, column_ranges=ranges,
                        cell_words=cell_words, total_words=total_words)
    return Reading(grids, orientation, generation, table_score(matrix), matrix=matrix)


def _continued(before: CellGrid, after: CellGrid, settings: ExtractionSettings) -> bool:
    """`after` goes on with `before`'s table on the next page: made the same way, with the same columns
    (a ruled table's borders where they were; a table of words, as many columns)."""
    if after.page != before.page + 1 or after.strategy != before.strategy or after.variant != before.variant \
            or len(after.xs) != len(before.xs):
        return False
    if before.strategy == "text":
        return True
    return all(abs(a - b) <= settings.rule_snap_tolerance for a, b in zip(after.xs, before.xs))


def chains(grids: list[CellGrid], settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[list[CellGrid]]:
    """Every grid alone, and every run of grids continued over page breaks (each the first table of its
    page after the first)."""
    ordered = sorted(grids, key=lambda g: (g.page, g.ys[0]))
    tops: dict[tuple[int, str], float] = {}
    for grid in ordered:
        key = (grid.page, grid.strategy)
        tops[key] = min(tops.get(key, grid.ys[0]), grid.ys[0])
    found = [[grid] for grid in ordered]
    for index, grid in enumerate(ordered):
        run = [grid]
        for later in ordered[index + 1:]:
            if later.page > run[-1].page + 1:
                break
            if _continued(run[-1], later, settings) and later.ys[0] == tops[(later.page, later.strategy)]:
                run.append(later)
                found.append(list(run))
    return found


def grid_readings(grids: list[CellGrid], pages: dict, settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[Reading]:
    """Every reading of every grid (and chain of grids), best first."""
    from extractors.frameworks import GENERATIONS

    readings = []
    for chain in chains(grids, settings):
        for orientation in (ROWS, COLUMNS):
            for generation in (*GENERATIONS, None):
                readings.append(read_as_area_table(chain, orientation, generation, pages, settings))
    return sorted(readings, key=lambda r: (-r.score, r.grids[0].strategy == "text"))  # a ruled grid on a tie


def same_table(a: AreaMatrix, b: AreaMatrix) -> bool:
    """Two readings cover the same cells: their boxes overlap on a page."""
    for page, box in a.boxes.items():
        other = b.boxes.get(page)
        if other is not None and box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]:
            return True
    return False


def best_readings(readings: list[Reading]) -> tuple[list[AreaMatrix], list[Reading]]:
    """The accepted matrices (the best reading of each table; no two covering the same cells) and the rest."""
    accepted: list[AreaMatrix] = []
    others: list[Reading] = []
    for reading in readings:
        if reading.matrix is None or any(same_table(reading.matrix, kept) for kept in accepted):
            others.append(reading)
            continue
        accepted.append(reading.matrix)
    return accepted, others


def table_score(matrix: AreaMatrix) -> float:
    """How good a reading of an area table is, whichever strategy made it: how like the area names its labels
    are, the share of its cells with a number, the share of its columns with a header, and a total row."""
    columns = max(len(matrix.columns), 1)
    filled = sum(1 for a in range(1, 9) for v in matrix.values[a] if v is not None) / (8 * columns)
    named = sum(1 for h in matrix.columns if h.strip()) / columns
    total = 0.25 if matrix.total is not None and any(v is not None for v in matrix.total) else 0.0
    return matrix.label_similarity + filled + 0.5 * named + total
