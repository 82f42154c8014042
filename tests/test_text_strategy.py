"""The `text` strategy (issue 24): unruled tables as cell grids from word positions, every way of joining a
wrapped label's lines to its row made as a grid of its own, the reading that names areas 1–8 chosen.

Words are placed by hand (a fixed-width font: 5 pt a letter), so each case is exactly the geometry named.
"""
from __future__ import annotations

import textwrap

import pytest

from extractors.area_matrix import parse_row
from extractors.area_table import read_area_table
from extractors.layout import Line, Word
from extractors.report import area_tables
from extractors.tables.reading import grid_readings
from extractors.tables.text_strategy import ATTACHMENTS, BOTTOM, MIDDLE, TOP, attach, text_grids
from tests.tables.unseen_wording import CANONICAL, G2002, G2010, G2020

LINE = 12.0  # points from one line's top to the next


def _line(top: float, *cells: tuple[float, str], page: int = 3) -> Line:
    words = []
    for x, text in cells:
        for token in text.split():
            words.append(Word(token, x, x + 5 * len(token), top, top + 9))
            x += 5 * len(token) + 3
    return Line(page=page, words=sorted(words, key=lambda w: w.x0))


def _wrapped(name: str, width: int = 22) -> list[str]:
    """The name wrapped at `width` letters, as a narrow cell wraps it (back to the cell's left edge)."""
    return textwrap.wrap(name, width)


def _table(generation: str, numbers_at: str, scores: list[str], top: float = 100.0, page: int = 3) -> list[Line]:
    """A header row, then the eight areas with their names wrapped; each area's numbers beside the line
    `numbers_at` says (first, last, middle of its name, or on a line of their own after it)."""
    lines = [_line(top, (60, "Område"), (300, "Kinda 2012"), (380, "Snitt"), page=page)]
    y = top + 2 * LINE
    for area, name in enumerate(CANONICAL[generation], start=1):
        parts = _wrapped(f"{area}. {name}")
        at = {"first": 0, "last": len(parts) - 1, "middle": (len(parts) - 1) // 2, "after": len(parts)}[numbers_at]
        for index in range(max(len(parts), at + 1)):
            cells = [(60, parts[index])] if index < len(parts) else []
            if index == at:
                cells += [(320, scores[area - 1]), (390, f"{40 + area},5")]
            lines.append(_line(y, *cells, page=page))
            y += LINE
        y += LINE / 2
    lines.append(_line(y, (60, "Totalt"), (320, "500"), (390, "364,0"), page=page))
    return lines


SCORES = ["61", "58,5", "70", "55", "64", "72", "49", "71"]  # 500 in all


def _read(lines: list[Line], kommun: str = "Kinda", year: int = 2012):
    rows = [parse_row(line) for line in lines]
    matrices, rejected = area_tables(grid_readings(text_grids(rows), {}))
    return read_area_table(matrices, kommun, year), matrices, rejected


@pytest.mark.parametrize("numbers_at", ["first", "last", "middle", "after"])
@pytest.mark.parametrize("generation", [G2002, G2010, G2020])
def test_a_wrapped_table_reads_wherever_its_numbers_stand(generation, numbers_at):
    table, matrices, rejected = _read(_table(generation, numbers_at, SCORES))
    assert [table.scores[a] for a in range(1, 9)] == [61, 58.5, 70, 55, 64, 72, 49, 71]
    assert [table.references[a] for a in range(1, 9)] == [40 + a + 0.5 for a in range(1, 9)]
    assert table.total == 500 and table.generation == generation
    assert len(matrices) == 1 and rejected  # the other ways of joining the lines were read and not kept


def test_each_way_of_joining_label_lines_is_its_own_grid():
    rows = [parse_row(line) for line in _table(G2010, "last", SCORES)]
    grids = text_grids(rows)
    assert {g.variant for g in grids} <= set(ATTACHMENTS) and len(grids) >= 3
    assert all(g.strategy == "text" for g in grids)
    bottom = next(g for g in grids if g.variant == BOTTOM)
    labels = [bottom.text(r, 0) for r in range(bottom.row_count)]
    assert "2. Tillgänglighet och\nbrukarorientering" in labels  # one cell however the name wraps


def test_attach_keeps_a_wrapped_label_with_the_numbers_beside_any_of_its_lines():
    lines = [_line(100, (60, "Samspel mellan"), (320, "61")), _line(112, (60, "förtroendevalda och")),
             _line(124, (60, "medborgare")), _line(142, (60, "Samhällsutveckling"), (320, "58"))]
    rows = [parse_row(line) for line in lines]
    anchors = [bool(row.cells) for row in rows]
    assert attach(rows, anchors, TOP, _settings()) == [[0, 1, 2], [3]]
    assert attach(rows, anchors, BOTTOM, _settings()) == [[0], [1, 2, 3]]
    assert attach(rows, anchors, MIDDLE, _settings()) == [[0, 1], [2, 3]]


def _settings():
    from extractors.settings import DEFAULT_SETTINGS

    return DEFAULT_SETTINGS


def test_a_header_centred_over_a_wide_column_names_that_column():
    """'Kinda 2012' starts left of the middle of the gap after the labels but ends over the numbers."""
    lines = [_line(100, (256, "Kinda 2012"), (380, "Snitt"))]
    for i, name in enumerate(CANONICAL[G2010]):
        lines.append(_line(115 + LINE * i, (60, name), (330, SCORES[i]), (390, f"{40 + i},5")))
    table, matrices, _ = _read(lines)
    assert matrices[0].columns == ["Kinda 2012", "Snitt"]
    assert table.scores[1] == 61 and table.references[1] == 40.5


def test_a_table_continued_overleaf_keeps_its_columns():
    """One area row left on the first page says little of how its columns are aligned; the columns of
    both pages together cut its header into the right cells."""
    header = [(60, "Kriterium"), (200, "Kinda"), (260, "Eksjö"), (320, "Motala")]
    years = [(200, "2012"), (260, "2008"), (320, "2011")]

    def row(top, label, page, *values):
        return _line(top, (60, label), *[(x + 22 - 5 * len(v), v) for x, v in zip((200, 260, 320), values)], page=page)

    first = [_line(700, *header, page=3), _line(712, *years, page=3), row(730, "1", 3, "61", "59", "39")]
    second = [_line(80, *header, page=4), _line(92, *years, page=4)]
    for area in range(2, 9):
        second.append(row(100 + LINE * area, str(area), 4, SCORES[area - 1], str(50 + area), str(30 + area)))
    _, matrices, _ = _read(first + second)
    assert len(matrices) == 1 and matrices[0].pages[1] == 3 and matrices[0].pages[8] == 4
    headers = [" ".join(c.split()) for c in matrices[0].columns]  # the numbering column's header may join the first
    assert [h.split()[-2:] for h in headers] == [["Kinda", "2012"], ["Eksjö", "2008"], ["Motala", "2011"]]
    assert [matrices[0].values[a][1] for a in (1, 2, 8)] == [59, 52, 58]


def test_running_text_with_numbers_is_no_table():
    lines = [_line(100 + LINE * i, (60, f"Kommunen har under {2000 + i} arbetat med {i} mål och")) for i in range(8)]
    rows = [parse_row(line) for line in lines]
    _, matrices, _ = _read(lines)
    assert matrices == [] and all(len(g.xs) <= 4 for g in text_grids(rows))


def test_rules_found_on_a_scan_become_segments_in_points():
    """The `ocr` strategy's edges: rule pixels a few rows thick (broken by a scanner's dropout) are one rule."""
    import numpy as np

    from extractors.ocr.rules import rule_segments

    across = np.zeros((300, 400), dtype=bool)
    across[100:103, 20:380] = True
    across[101, 200:202] = False  # a dropout inside the rule
    across[200:202, 20:150] = True
    across[200:202, 250:380] = True  # two rules on one line, far apart
    down = np.zeros((300, 400), dtype=bool)
    down[50:250, 40:42] = True
    segments = rule_segments(across, down, 72 / 144)  # 144 dpi: half a point a pixel
    assert sorted(segments) == sorted([("h", 50.75, 10.0, 190.0), ("h", 100.5, 10.0, 75.0), ("h", 100.5, 125.0, 190.0),
                                       ("v", 20.5, 25.0, 125.0)])
