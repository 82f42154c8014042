"""The `text` strategy: a table's cells from word positions alone (unruled tables, browser prints).

    page rows → blocks (runs of rows between running text, captions and wide gaps)
    → value columns (number cells clustered by position) → anchor rows (anything in the value columns)
    → each row with words only in the label column joined to an anchor as its label's other lines
    → CellGrid

Where a label wraps, geometry alone cannot tell which anchor a label-only line belongs to: the numbers
may stand beside the label's first line, its last line, its middle, or on a line of their own after
it. So each way (`ATTACHMENTS`) that gives a different table is made as a grid of its own, and the
readings (`tables.reading`) score them against the vocabulary: the way that names areas 1–8 wins.
"""
from __future__ import annotations

from extractors.area_matrix import Row, is_caption, is_prose, parse_row
from extractors.layout import Word
from extractors.numbers import is_number_token, is_year, parse_number
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings
from extractors.tables.clusters import Column, cluster_columns, column_bounds
from extractors.tables.grid import Cell, CellGrid

TOP, BOTTOM, MIDDLE, ALONE = "top", "bottom", "middle", "alone"
ATTACHMENTS = (TOP, BOTTOM, MIDDLE, ALONE)  # where a wrapped label's numbers stand: its first line, last, middle


def blocks(rows: list[Row], settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[list[Row]]:
    """Runs of a page's rows that may hold a table: cut at running text, captions and wide gaps."""
    found: list[list[Row]] = []
    current: list[Row] = []
    for row in rows:
        if is_prose(row.line) or is_caption(row.line.text):
            found.append(current)
            current = []
            continue
        if current:
            above = current[-1].line
            if row.line.top - above.bottom > settings.area_row_gap_em * max(above.height, 4.0):
                found.append(current)
                current = []
        current.append(row)
    found.append(current)
    return [block for block in found if sum(1 for row in block if row.cells) >= 2]


def value_columns(block: list[Row], settings: ExtractionSettings) -> list[Column]:
    """The columns of number cells: clustered by position, each as wide as its clean numbers; a column
    holds two numbers, or a number of a row with several (a number ending one line is no column)."""
    counted = [row for row in block if not _years_only(row)]  # a row of years heads the columns
    in_rows = {id(w) for row in counted if len(row.cells) >= 2 for w in row.cells}
    words = [w for row in counted for w in row.cells]
    columns = cluster_columns(words, tolerance=settings.cell_cluster_tolerance)
    kept = []
    for column in columns:
        if len(column.words) < 2 and not any(id(w) in in_rows for w in column.words):
            continue
        clean = [w for w in column.words if is_number_token(w.text)]
        if clean:
            column.words = clean
            column.x0, column.x1 = min(w.x0 for w in clean), max(w.x1 for w in clean)
        kept.append(column)
    return kept


def _years_only(row: Row) -> bool:
    values = [parse_number(w.text) for w in row.cells]
    return bool(values) and all(v is not None and is_year(v) for v in values)


def _label_right(block: list[Row], columns: list[Column]) -> float | None:
    """Where the labels of the rows with numbers end (None: no row has a label)."""
    first = columns[0].x0
    return max((w.x1 for row in block if row.cells and not _years_only(row) for w in _label_words(row) if w.x1 < first),
               default=None)


def _region_start(block: list[Row], columns: list[Column], settings: ExtractionSettings) -> float:
    """Where the value columns begin: between the labels of the rows with numbers and the first column."""
    label_right = _label_right(block, columns)
    if label_right is None:
        return columns[0].x0 - settings.cell_cluster_tolerance
    return (label_right + columns[0].x0) / 2


def _heading_word(word: Word) -> bool:
    """A word of a header: text, or a year."""
    if not is_number_token(word.text):
        return True
    value = parse_number(word.text)
    return value is not None and is_year(value)


def _label_words(row: Row) -> list[Word]:
    cells = {id(w) for w in row.cells}
    return [w for w in row.kept_words if id(w) not in cells]


def _joinable(above: Row, below: Row, settings: ExtractionSettings) -> bool:
    """Two lines close enough to be one wrapped label."""
    return below.line.top - above.line.bottom <= settings.label_line_gap_em * max(above.line.height, 4.0)


def attach(block: list[Row], anchors: list[bool], way: str, settings: ExtractionSettings,
           labelled: list[bool] | None = None) -> list[list[int]]:
    """The block's rows grouped into table rows: each anchor with the label-only rows `way` gives it, up to
    `label_max_lines` lines of label (`labelled`: which rows hold label words; all, by default)."""
    limit = int(settings.label_max_lines)
    labelled = labelled if labelled is not None else [True] * len(block)
    owner: list[int | None] = [i if anchors[i] else None for i in range(len(block))]
    members: dict[int, list[int]] = {i: [i] for i in range(len(block)) if anchors[i]}

    def room(anchor: int) -> bool:
        return sum(1 for i in members[anchor] if labelled[i]) < limit

    def join_after(anchor: int, rows: list[int]) -> None:
        """The label-only rows under `anchor`, top down, for as long as they can be its label's next lines."""
        for i in rows:
            if not (room(anchor) and _joinable(block[members[anchor][-1]], block[i], settings)):
                break
            members[anchor].append(i)
            owner[i] = anchor

    def join_before(anchor: int, rows: list[int]) -> None:
        """The label-only rows over `anchor`, bottom up, for as long as they can be its label's lines before."""
        for i in reversed(rows):
            if not (room(anchor) and _joinable(block[i], block[members[anchor][0]], settings)):
                break
            members[anchor].insert(0, i)
            owner[i] = anchor
    index = 0
    while index < len(block):
        if anchors[index]:
            index += 1
            continue
        end = index
        while end < len(block) and not anchors[end]:
            end += 1
        run = list(range(index, end))
        before = index - 1 if index > 0 else None
        after = end if end < len(block) else None
        if way == TOP and before is not None:
            join_after(before, run)
        elif way == BOTTOM and after is not None:
            join_before(after, run)
        elif way == MIDDLE:
            centre = [(block[i].line.top + block[i].line.bottom) / 2 for i in range(len(block))]
            to_before = [i for i in run if before is not None and
                         (after is None or centre[i] - centre[before] <= centre[after] - centre[i])]
            if to_before:
                join_after(before, to_before)
            if after is not None:
                join_before(after, [i for i in run if i not in to_before])
        index = end
    groups: list[list[int]] = []
    for i in range(len(block)):
        if owner[i] is not None:
            if owner[i] == i:
                groups.append(sorted(members[i]))
            continue
        if groups and owner[groups[-1][-1]] is None and len(groups[-1]) < limit and \
                _joinable(block[groups[-1][-1]], block[i], settings) and way != ALONE:
            groups[-1].append(i)  # label-only lines no anchor took: one row of their own
        else:
            groups.append([i])
    return sorted(groups, key=lambda g: g[0])


def _merge_header_bands(block: list[Row], groups: list[list[int]], in_values, settings) -> list[list[int]]:
    """Consecutive rows with only words (no numbers) in the value columns are one header row: a header
    wrapped over lines ('Samspel mellan / förtroende- / valda'), read as one cell per column."""
    merged: list[list[int]] = []
    last_wordy = False
    for group in groups:
        texts = [w for i in group for w in in_values(block[i])]
        wordy = bool(texts) and not any(is_number_token(w.text) for w in texts)
        if merged and wordy and last_wordy and _joinable(block[merged[-1][-1]], block[group[0]], settings):
            merged[-1] = merged[-1] + group
            continue
        merged.append(list(group))
        last_wordy = wordy
    return merged


def block_grids(block: list[Row], page: int, settings: ExtractionSettings = DEFAULT_SETTINGS,
                columns: list[Column] | None = None) -> list[CellGrid]:
    """The block as a grid for each way of attaching label-only lines that gives a different table."""
    columns = value_columns(block, settings) if columns is None else columns
    if not columns:
        return []
    start = _region_start(block, columns, settings)
    label_right = _label_right(block, columns)
    bounds = column_bounds(columns)

    values: dict[int, int] = {}  # id of a word in a value column → that column
    for row in block:
        right: Word | None = None  # the word after this one on the line, if it is in a value column
        for word in reversed(row.kept_words):
            joined = right is not None and _heading_word(word) and _heading_word(right) and \
                right.x0 - word.x1 <= settings.cell_gap_em * max(word.height, 1.0)
            if word.xc >= start or joined:  # a header phrase wider than its column goes with its last words
                values[id(word)] = values[id(right)] if joined and word.xc < start else _column_of(word.xc, bounds)
                right = word
            else:
                right = None

    def is_value(word: Word) -> bool:
        """In a value column: past the middle of the gap after the labels, or one phrase of a header with such words."""
        return id(word) in values

    def in_values(row: Row) -> list[Word]:
        return [w for w in row.kept_words if is_value(w)]

    anchors = [bool(in_values(row)) for row in block]
    labelled = [any(not is_value(w) for w in row.kept_words) for row in block]
    has_labels = any(labelled)
    x0 = min(row.line.x0 for row in block)
    x1 = max(row.line.x1 for row in block)
    cuts = [high for _, high in bounds[:-1]]
    xs = ([min(x0, start - 1), start] if has_labels else [min(x0, start)]) + cuts + [max(x1, columns[-1].x1) + 1]
    grids: list[CellGrid] = []
    seen: set[tuple] = set()
    for way in ATTACHMENTS:
        groups = attach(block, anchors, way, settings, labelled)
        if way != ALONE:
            groups = _merge_header_bands(block, groups, in_values, settings)
        key = tuple(tuple(g) for g in groups)
        if key in seen:
            continue
        seen.add(key)
        grids.append(_grid(block, groups, page, xs, values, has_labels, way))
    return grids


def _column_of(x: float, bounds: list[tuple[float, float]]) -> int:
    return next((c for c, (low, high) in enumerate(bounds) if low <= x < high), len(bounds) - 1)


def _grid(block: list[Row], groups: list[list[int]], page: int, xs: list[float], values: dict[int, int],
          has_labels: bool, way: str) -> CellGrid:
    tops = [min(block[i].line.top for i in g) for g in groups]
    bottoms = [max(block[i].line.bottom for i in g) for g in groups]
    ys = [tops[0]] + [(bottoms[r] + tops[r + 1]) / 2 for r in range(len(groups) - 1)] + [bottoms[-1]]
    for r in range(1, len(ys)):
        ys[r] = max(ys[r], ys[r - 1])
    first_value = 1 if has_labels else 0
    cells: list[list[Cell | None]] = []
    for r, group in enumerate(groups):
        row_cells = [Cell(r, c, xs[c], ys[r], xs[c + 1], ys[r + 1]) for c in range(len(xs) - 1)]
        for i in group:
            for word in block[i].kept_words:
                column = values.get(id(word))
                if column is not None:
                    row_cells[first_value + column].words.append(word)
                elif has_labels:
                    row_cells[0].words.append(word)
        for cell in row_cells:
            cell.words.sort(key=lambda w: (w.top, w.x0))
        cells.append(row_cells)
    return CellGrid(page, "text", xs, ys, cells, variant=way)


def _same_columns(a: list[Column], b: list[Column], settings: ExtractionSettings) -> bool:
    return len(a) == len(b) and all(abs(x.xc - y.xc) <= 2 * settings.column_align_tolerance for x, y in zip(a, b))


def text_grids(rows: list[Row], settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[CellGrid]:
    """Every grid the document's rows give (`rows`: each page's parsed geometric rows, top to bottom).

    A table continued over a page break keeps its columns: the last block of a page and the first of the
    next with the same value columns are cut into cells by the columns of both together (a few rows
    alone say little of how a column is aligned)."""
    by_page: dict[int, list[Row]] = {}
    for row in rows:
        by_page.setdefault(row.page, []).append(row)
    pages = {page: blocks(by_page[page], settings) for page in sorted(by_page)}
    columns = {(page, i): value_columns(block, settings) for page, found in pages.items() for i, block in enumerate(found)}
    for page, found in pages.items():
        following = pages.get(page + 1)
        if not found or not following:
            continue
        last, first = (page, len(found) - 1), (page + 1, 0)
        if _same_columns(columns[last], columns[first], settings):
            joint = value_columns(found[-1] + following[0], settings)
            if len(joint) == len(columns[last]):
                columns[last] = columns[first] = joint
    return [grid for page, found in pages.items() for i, block in enumerate(found)
            for grid in block_grids(block, page, settings, columns[(page, i)])]
