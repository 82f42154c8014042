"""`CellGrid`: a table as rows × columns of cells, whichever strategy found it.

Each cell holds its words, its box, its row and column and how many of each it spans, and the page.
A cell's text keeps its lines ("1. Samspel mellan\\nförtroendevalda och\\nmedborgare"): a wrapped label
is one cell however far back its continuation lines start.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from extractors.layout import Word, words_to_lines


@dataclass
class Cell:
    row: int
    column: int
    x0: float
    top: float
    x1: float
    bottom: float
    words: list[Word] = field(default_factory=list)
    row_span: int = 1
    column_span: int = 1
    _text: str | None = field(default=None, repr=False, compare=False)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.x0, self.top, self.x1, self.bottom

    @property
    def lines(self) -> list[str]:
        return [line.text for line in words_to_lines(self.words, 0)] if self.words else []

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "\n".join(self.lines)
        return self._text

    def holds(self, word: Word) -> bool:
        return self.x0 <= word.xc <= self.x1 and self.top <= word.middle <= self.bottom


@dataclass
class CellGrid:
    """A table on one page: `cells[r][c]` is the cell covering row r and column c (a spanning cell appears
    in every place it covers); `strategy` says what made it ("lines", "text", "ocr")."""

    page: int
    strategy: str
    xs: list[float]  # column boundaries, left to right (columns + 1)
    ys: list[float]  # row boundaries, top to bottom (rows + 1)
    cells: list[list[Cell | None]]
    variant: str = ""  # which of a strategy's ways made it (`text`: where a wrapped label's numbers stand)

    @property
    def name(self) -> str:
        """What made it: 'lines', or 'text (bottom)' (the way its wrapped labels were joined to their rows)."""
        return f"{self.strategy} ({self.variant})" if self.variant else self.strategy

    @property
    def row_count(self) -> int:
        return len(self.ys) - 1

    @property
    def column_count(self) -> int:
        return len(self.xs) - 1

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def text(self, row: int, column: int) -> str:
        cell = self.cells[row][column]
        return cell.text if cell is not None else ""

    def unique_cells(self) -> list[Cell]:
        seen: set[int] = set()
        found = []
        for row in self.cells:
            for cell in row:
                if cell is not None and id(cell) not in seen:
                    seen.add(id(cell))
                    found.append(cell)
        return found

    def words(self) -> list[Word]:
        return [w for cell in self.unique_cells() for w in cell.words]

    def as_text(self) -> list[list[str]]:
        """Row by row, each cell's text ('' for none; a spanning cell's text in its first place only)."""
        table = []
        for r, row in enumerate(self.cells):
            table.append([cell.text if cell is not None and cell.row == r and cell.column == c else ""
                          for c, cell in enumerate(row)])
        return table


def snap(values: list[float], tolerance: float) -> list[float]:
    """Sorted distinct values, those closer than `tolerance` to the previous one merged (their mean)."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]


def index_of(value: float, boundaries: list[float], tolerance: float) -> int | None:
    for index, boundary in enumerate(boundaries):
        if abs(boundary - value) <= tolerance:
            return index
    return None


def grid_from_boxes(page: int, strategy: str, boxes: list[tuple[float, float, float, float]],
                    words: list[Word], tolerance: float) -> CellGrid:
    """A grid from cell boxes (x0, top, x1, bottom) that tile a table: boundaries from their edges, each
    cell its row/column span, each word the cell its centre falls in."""
    xs = snap([b[0] for b in boxes] + [b[2] for b in boxes], tolerance)
    ys = snap([b[1] for b in boxes] + [b[3] for b in boxes], tolerance)
    cells: list[list[Cell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for x0, top, x1, bottom in sorted(boxes, key=lambda b: (b[1], b[0])):
        c0, c1 = index_of(x0, xs, tolerance), index_of(x1, xs, tolerance)
        r0, r1 = index_of(top, ys, tolerance), index_of(bottom, ys, tolerance)
        if None in (c0, c1, r0, r1) or c1 <= c0 or r1 <= r0:
            continue
        cell = Cell(r0, c0, x0, top, x1, bottom, row_span=r1 - r0, column_span=c1 - c0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if cells[r][c] is None:
                    cells[r][c] = cell
    placed = [cell for cell in {id(c): c for row in cells for c in row if c is not None}.values()]
    left, right, top_edge, bottom_edge = xs[0] - tolerance, xs[-1] + tolerance, ys[0] - tolerance, ys[-1] + tolerance
    for word in words:
        if not (left <= word.xc <= right and top_edge <= word.middle <= bottom_edge):
            continue  # outside the table
        r = min(max(bisect_right(ys, word.middle) - 1, 0), len(ys) - 2)
        c = min(max(bisect_right(xs, word.xc) - 1, 0), len(xs) - 2)
        near = [cells[rr][cc] for rr in (r - 1, r, r + 1) for cc in (c - 1, c, c + 1)
                if 0 <= rr < len(cells) and 0 <= cc < len(cells[0]) and cells[rr][cc] is not None]
        holder = next((cell for cell in near if cell.holds(word)), None)
        if holder is None:  # a cell whose box lies off the snapped boundaries
            holder = next((cell for cell in placed if cell.holds(word)), None)
        if holder is not None:
            holder.words.append(word)
    for cell in placed:
        cell.words.sort(key=lambda w: (w.top, w.x0))
        cell._text = None
    return CellGrid(page, strategy, xs, ys, cells)


def _header_key(text: str) -> str:
    return " ".join(text.replace("-\n", "").split()).casefold()


def side_by_side(grid: CellGrid) -> list[CellGrid]:
    """A grid whose first row repeats its column headers (two half-tables set side by side in one ruling,
    as a landscape score summary is) as that many grids; other grids as they are."""
    width = grid.column_count
    if grid.row_count < 2 or width < 4:
        return [grid]
    headers = [_header_key(grid.text(0, c)) for c in range(width)]
    for parts in (2, 3):
        if width % parts:
            continue
        step = width // parts
        pieces = [headers[i * step:(i + 1) * step] for i in range(parts)]
        if not any(pieces[0]) or any(p != pieces[0] for p in pieces[1:]):
            continue
        if any(cell is not None and cell.column_span > 1 and cell.column % step + cell.column_span > step
               for row in grid.cells for cell in row):
            continue  # a cell spans the cut: one table
        return [CellGrid(grid.page, grid.strategy, grid.xs[i * step:(i + 1) * step + 1], grid.ys,
                         [row[i * step:(i + 1) * step] for row in grid.cells], grid.variant) for i in range(parts)]
    return [grid]
