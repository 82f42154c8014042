"""The `lines` strategy: a ruled table's cells from the page's rules, as pdfplumber's `TableFinder` does.

    rules → snapped and joined edges → intersections → the smallest closed rectangles (cells)
    → cells that share corners grouped into tables → CellGrid

Run only on pages that have rules. The words of a cell are its text however they wrap: a wrapped
label that returns to the cell's left edge is still the one label of its cell.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from extractors.layout import Word
from extractors.rules import HORIZONTAL, VERTICAL, Rule
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings
from extractors.tables.grid import CellGrid, grid_from_boxes, side_by_side

MAX_EDGES = 4000  # per orientation after joining: a page drawn with more is no table of this kind


def _snapped(rules: list[Rule], tolerance: float) -> list[Rule]:
    """Parallel rules closer than `tolerance` moved onto their mean (a thin rectangle's two long edges
    become one rule)."""
    ordered = sorted(rules, key=lambda r: r.at)
    groups: list[list[Rule]] = []
    for rule in ordered:
        if groups and rule.at - groups[-1][-1].at <= tolerance:
            groups[-1].append(rule)
        else:
            groups.append([rule])
    snapped = []
    for group in groups:
        at = sum(r.at for r in group) / len(group)
        snapped.extend(Rule(r.orientation, at, r.start, r.end) for r in group)
    return snapped


def _joined(rules: list[Rule], tolerance: float) -> list[Rule]:
    """Collinear rules that touch or nearly touch (a border drawn cell by cell) joined into one."""
    joined: list[Rule] = []
    for rule in sorted(rules, key=lambda r: (r.at, r.start)):
        last = joined[-1] if joined else None
        if last is not None and last.at == rule.at and rule.start <= last.end + tolerance:
            joined[-1] = Rule(last.orientation, last.at, last.start, max(last.end, rule.end))
        else:
            joined.append(rule)
    return joined


def edges(rules: list[Rule], settings: ExtractionSettings = DEFAULT_SETTINGS) -> tuple[list[Rule], list[Rule]]:
    """(horizontal, vertical) edges: snapped, joined, and at least `rule_min_length` long."""
    found = []
    for orientation in (HORIZONTAL, VERTICAL):
        mine = [r for r in rules if r.orientation == orientation]
        mine = _joined(_snapped(mine, settings.rule_snap_tolerance), settings.rule_join_tolerance)
        found.append([r for r in mine if r.length >= settings.rule_min_length][:MAX_EDGES])
    return found[0], found[1]


def intersections(horizontal: list[Rule], vertical: list[Rule],
                  tolerance: float) -> dict[tuple[float, float], tuple[list[Rule], list[Rule]]]:
    """Each point where a horizontal and a vertical edge meet or cross → the edges through it."""
    points: dict[tuple[float, float], tuple[list[Rule], list[Rule]]] = {}
    by_x = sorted(vertical, key=lambda r: r.at)
    xs = [r.at for r in by_x]
    for h in horizontal:
        for v in by_x[bisect_left(xs, h.start - tolerance):bisect_right(xs, h.end + tolerance)]:
            if v.start - tolerance <= h.at <= v.end + tolerance:
                entry = points.setdefault((v.at, h.at), ([], []))
                entry[0].append(h)
                entry[1].append(v)
    return points


def _connected(a: tuple[float, float], b: tuple[float, float], points, horizontal: bool) -> bool:
    """One edge runs through both points."""
    side = 0 if horizontal else 1
    return any(edge in points[b][side] for edge in points[a][side])


def cells(points) -> list[tuple[float, float, float, float]]:
    """The smallest rectangles whose four corners are intersections joined by edges: (x0, top, x1, bottom)."""
    ordered = sorted(points)  # by x, then y
    below_of: dict[float, list[float]] = {}
    right_of: dict[float, list[float]] = {}
    for x, y in ordered:
        below_of.setdefault(x, []).append(y)
        right_of.setdefault(y, []).append(x)
    for ys in below_of.values():
        ys.sort()
    for xs in right_of.values():
        xs.sort()
    found = []
    for x, y in ordered:
        ys = below_of[x]
        xs = right_of[y]
        belows = [(x, by) for by in ys[bisect_right(ys, y):] if _connected((x, y), (x, by), points, False)]
        rights = [(rx, y) for rx in xs[bisect_right(xs, x):] if _connected((x, y), (rx, y), points, True)]
        done = False
        for below in belows:
            for right in rights:
                corner = (right[0], below[1])
                if corner in points and _connected(corner, right, points, False) and \
                        _connected(corner, below, points, True):
                    found.append((x, y, right[0], below[1]))
                    done = True
                    break
            if done:
                break
    return found


def _tables(boxes: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """Cells that share a corner belong to one table."""
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for index, (x0, top, x1, bottom) in enumerate(boxes):
        for corner in ((x0, top), (x1, top), (x0, bottom), (x1, bottom)):
            if corner in owner:
                parent[root(index)] = root(owner[corner])
            else:
                owner[corner] = index
    groups: dict[int, list] = {}
    for index, box in enumerate(boxes):
        groups.setdefault(root(index), []).append(box)
    return sorted(groups.values(), key=lambda g: (min(b[1] for b in g), min(b[0] for b in g)))


def line_grids(rules: list[Rule], words: list[Word], page: int,
               settings: ExtractionSettings = DEFAULT_SETTINGS, strategy: str = "lines") -> list[CellGrid]:
    """The ruled tables of one page, each a CellGrid with its words (half-tables set side by side in one
    ruling as grids of their own); tables of one cell are left out. `strategy` names where the rules
    came from: "lines" (drawn in the PDF), "ocr" (found on a scan's image)."""
    if not rules:
        return []
    horizontal, vertical = edges(rules, settings)
    points = intersections(horizontal, vertical, settings.rule_intersection_tolerance)
    grids = []
    for group in _tables(cells(points)):
        if len(group) < 2:
            continue
        grid = grid_from_boxes(page, strategy, group, words, settings.rule_snap_tolerance)
        if grid.row_count and grid.column_count:
            grids.extend(side_by_side(grid))
    return grids
