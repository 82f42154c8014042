"""The table layer on pages built here from rules and words: the `lines` strategy's cells, side-by-side
half-tables, and the scored readings (areas as rows or columns, numbering columns, totals over a page
break). Area names are the 2020 generation's canonical ones; header words are written here."""
from __future__ import annotations

from extractors.layout import Word
from extractors.rules import HORIZONTAL, VERTICAL, Rule
from extractors.tables.grid import side_by_side
from extractors.tables.lines_strategy import line_grids
from extractors.tables.reading import COLUMNS, ROWS, best_readings, grid_readings, read_as_area_table

NAMES_2020 = ["Samspel mellan förtroendevalda och medborgare", "Samhällsutveckling", "Styrning och kontroll",
              "Effektivitet", "Brukarens fokus", "Kvalitetsutveckling", "Arbetsliv",
              "Chefs- och ledarskap samt medarbetarskap"]


def ruled_table(rows: list[list[str]], widths: list[float], top: float = 100.0, height: float = 20.0,
                thin_rectangles: bool = False) -> tuple[list[Rule], list[Word]]:
    """Rules and words of a table: each row `height` high, columns `widths` wide; a cell's text may hold
    '\\n' (its lines, each starting at the cell's left edge)."""
    xs = [50.0]
    for width in widths:
        xs.append(xs[-1] + width)
    ys = [top + i * height for i in range(len(rows) + 1)]
    rules: list[Rule] = []
    for y in ys:
        if thin_rectangles:  # a border as a 0.6 pt high filled rectangle: two edges close together
            rules += [Rule(HORIZONTAL, y - 0.3, xs[0], xs[-1]), Rule(HORIZONTAL, y + 0.3, xs[0], xs[-1])]
        else:
            rules.append(Rule(HORIZONTAL, y, xs[0], xs[-1]))
    for x in xs:
        rules.append(Rule(VERTICAL, x, ys[0], ys[-1]))
    words = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            for k, line in enumerate(text.split("\n")):
                x = xs[c] + 2
                for token in line.split():
                    width = 5.0 * len(token)
                    top_y = ys[r] + 2 + 7 * k
                    words.append(Word(token, x, x + width, top_y, top_y + 6))
                    x += width + 3
    return rules, words


def test_lines_strategy_keeps_a_wrapped_label_in_its_cell():
    rows = [["Område", "Kommunen 2021", "Sverigesnitt"]] + \
        [[f"{a}. {NAMES_2020[a - 1][:12]}\n{NAMES_2020[a - 1][12:]}", str(60 + a), str(50 + a)] for a in range(1, 9)]
    rules, words = ruled_table(rows, [200, 80, 80], height=20)
    [grid] = line_grids(rules, words, 1)
    assert (grid.row_count, grid.column_count) == (9, 3)
    assert grid.text(1, 0) == f"1. {NAMES_2020[0][:12]}\n{NAMES_2020[0][12:]}"


def test_thin_rectangles_give_the_same_grid_as_lines():
    rows = [["a", "b"], ["c", "d"], ["e", "f"]]
    plain = line_grids(*ruled_table(rows, [40, 40]), 1)
    thin = line_grids(*ruled_table(rows, [40, 40], thin_rectangles=True), 1)
    assert [g.as_text() for g in plain] == [g.as_text() for g in thin] == [[["a", "b"], ["c", "d"], ["e", "f"]]]


def _area_rows(numbering_column: bool = False) -> list[list[str]]:
    header = ["Nr", "Område", "Poäng", "Snitt"] if numbering_column else ["Område", "Poäng", "Snitt"]
    rows = [header]
    for a in range(1, 9):
        label = [str(a), NAMES_2020[a - 1]] if numbering_column else [f"{a}. {NAMES_2020[a - 1]}"]
        rows.append(label + [str(60 + a), str(50 + a)])
    rows.append(["", "Summa", "548", "436"] if numbering_column else ["Totalt", "548", "436"])
    return rows


def test_reading_areas_as_rows_with_a_total():
    rules, words = ruled_table(_area_rows(), [220, 60, 60])
    grids = line_grids(rules, words, 1)
    [matrix], _ = best_readings(grid_readings(grids, {}))
    assert matrix.generation == "2020-" and matrix.columns == ["Poäng", "Snitt"]
    assert [matrix.values[a] for a in (1, 8)] == [[61.0, 51.0], [68.0, 58.0]]
    assert matrix.total == [548.0, 436.0]


def test_a_numbering_column_beside_the_names_is_no_column_of_values():
    rules, words = ruled_table(_area_rows(numbering_column=True), [20, 220, 60, 60])
    [matrix], _ = best_readings(grid_readings(line_grids(rules, words, 1), {}))
    assert matrix.columns == ["Poäng", "Snitt"] and matrix.values[3] == [63.0, 53.0]


def test_areas_as_columns_read_transposed():
    header = ["Kommun"] + [f"Område {a}" for a in range(1, 9)] + ["Totalt"]
    rows = [header, ["Exempelby 2021"] + [str(60 + a) for a in range(1, 9)] + ["548"]]
    rules, words = ruled_table(rows, [90] + [45] * 9)
    [grid] = line_grids(rules, words, 1)
    assert read_as_area_table([grid], ROWS, None, {}).matrix is None
    reading = read_as_area_table([grid], COLUMNS, None, {})
    assert reading.matrix is not None and reading.matrix.kind == "numbers"
    assert reading.matrix.columns == ["Exempelby 2021"] and reading.matrix.total == [548.0]
    assert [reading.matrix.values[a][0] for a in range(1, 9)] == [60.0 + a for a in range(1, 9)]


def test_a_table_continued_on_the_next_page_with_its_header_repeated():
    rows = _area_rows()
    first = ruled_table(rows[:6], [220, 60, 60], top=600)
    second = ruled_table([rows[0]] + rows[6:], [220, 60, 60], top=80)
    grids = line_grids(*first, 3) + line_grids(*second, 4)
    [matrix], _ = best_readings(grid_readings(grids, {}))
    assert matrix.pages == {1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 4, 7: 4, 8: 4}
    assert matrix.total == [548.0, 436.0]


def test_a_cell_with_two_numbers_rejects_the_reading_and_says_why():
    rows = _area_rows()
    rows[4][1] = "64 65"
    rules, words = ruled_table(rows, [220, 60, 60])
    readings = grid_readings(line_grids(rules, words, 1), {})
    accepted, rejected = best_readings(readings)
    assert accepted == []
    assert any("more than one number" in (r.rejected or "") for r in rejected)
    rows[4][1] = "ca 64"  # a number with words: not read as that number
    readings = grid_readings(line_grids(*ruled_table(rows, [220, 60, 60]), 1), {})
    assert best_readings(readings)[0] == []


def test_a_column_of_remarks_beside_the_scores_is_no_column_of_values():
    rows = [row + [("Kommentar" if i == 0 else "se avsnitt tre" if i % 2 else "")] for i, row in enumerate(_area_rows())]
    rules, words = ruled_table(rows, [220, 60, 60, 90])
    [matrix], _ = best_readings(grid_readings(line_grids(rules, words, 1), {}))
    assert matrix.columns == ["Poäng", "Snitt"] and matrix.total == [548.0, 436.0]


def test_half_tables_side_by_side_in_one_ruling_are_two_grids():
    header = ["", "Fråga", "Max", "Poäng", "%"]
    rows = [header + header, ["1.1", "En fråga", "40", "26", "65%", "2.1", "En annan", "10", "5", "50%"]]
    rules, words = ruled_table(rows, [20, 80, 30, 30, 30] * 2)
    grids = line_grids(rules, words, 1)
    assert [g.column_count for g in grids] == [5, 5]
    assert grids[1].text(1, 0) == "2.1"
    assert side_by_side(grids[0]) == [grids[0]]


def test_the_debug_drawing_of_the_real_reports_score_summary_shows_two_ruled_grids(tmp_path):
    from pathlib import Path

    from extractors.debug import draw_page

    report = Path(__file__).resolve().parents[1] / "corpus" / "kommunkompassen-fagersta-2009.pdf"
    notes = draw_page(report, 27, tmp_path / "p27.png")
    grids = [n for n in notes if n.startswith("lines grid")]
    assert len(grids) == 2 and all("21×5" in n for n in grids)
    assert [n.strip() for n in notes if "chosen reading: score summary" in n] == [
        "chosen reading: score summary, 11 question rows (1.1 … 5.4)",
        "chosen reading: score summary, 17 question rows (2.1 … 6.6)"]
    assert (tmp_path / "p27.png").stat().st_size > 10_000
