"""Unit tests of issue 24's table layer: the one area matcher (`match_area`, `split_number`) with the three
generations' wordings, the `lines` strategy's grids from rules made here (lines, cell-by-cell borders,
thin rectangles, merged cells, wrapped labels), readings of such grids, and the one column classifier
(`area_table.column_role`) with the generations' header wordings.

Wordings come from tests/tables/unseen_wording.py (kept on the test side), not from vocabulary.yml.
"""
from __future__ import annotations

import pytest

from extractors.area_matrix import AreaMatrix
from extractors.area_table import CHANGE, EARLIER, MAXIMUM, OTHER, OWN, REFERENCE, UNKNOWN, column_role, column_roles
from extractors.layout import Word
from extractors.rules import HORIZONTAL, VERTICAL, Rule
from extractors.tables.columns import classify_column
from extractors.tables.lines_strategy import line_grids
from extractors.tables.matcher import match_area, split_number
from extractors.tables.reading import COLUMNS, ROWS, read_as_area_table
from tests.tables.unseen_wording import (CANONICAL, G2002, G2010, G2020, GENERATIONS, HEADERS, UNSEEN_AREA_NAMES,
                                         UNSEEN_HEADERS)

AREAS = range(1, 9)


# --- split_number ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "number", "rest"), [
    ("Område 3 – Styrning och kontroll", 3, "Styrning och kontroll"),
    ("Område 3 - Politisk styrning och kontroll", 3, "Politisk styrning och kontroll"),
    ("Huvudområde 5: Kontroll och rapportering", 5, "Kontroll och rapportering"),
    ("3. Tydlighet i samspelet mellan politiker och tjänstemän", 3,
     "Tydlighet i samspelet mellan politiker och tjänstemän"),
    ("3) Styrning och kontroll", 3, "Styrning och kontroll"),
    ("(3) Styrning och kontroll", 3, "Styrning och kontroll"),
    ("3 Styrning och kontroll", 3, "Styrning och kontroll"),
    ("7.\nVerksamhetsutveckling", 7, "Verksamhetsutveckling"),  # the number alone on the first line
    ("6. Kommunen som\narbetsgivare –\npersonalpolitik", 6, "Kommunen som arbetsgivare – personalpolitik"),
    ("6. Kvalitets-\nutveckling", 6, "Kvalitetsutveckling"),  # a line-end hyphen mended
    ("8. Chefs- och\nledarskap samt\nmedarbetarskap", 8, "Chefs- och ledarskap samt medarbetarskap"),
    ("3", 3, ""), ("3.", 3, ""), ("3.0", 3, ""), ("Område 7", 7, ""),
    ("Effektivitet", None, "Effektivitet"), ("9", None, "9"),
])
def test_split_number(label, number, rest):
    assert split_number(label) == (number, rest)


@pytest.mark.parametrize("label", ["64", "1.1 Hur informerar kommunen om sin verksamhet?"])
def test_split_number_takes_no_area_number_from_a_longer_number(label):
    assert split_number(label)[0] is None


# --- match_area: the names of every generation --------------------------------------------------------

@pytest.mark.parametrize("generation", GENERATIONS)
def test_every_name_of_every_generation_names_its_area(generation):
    for area, name in zip(AREAS, CANONICAL[generation]):
        match = match_area(name, generation)
        assert (match.area, match.generation, match.number, match.title) == (area, generation, None, name)
        assert match.score == pytest.approx(1.0)
        assert match_area(name).area == area  # with no generation given: the best of all three


@pytest.mark.parametrize("generation", GENERATIONS)
@pytest.mark.parametrize("style", ["{a}. {name}", "{a}) {name}", "Område {a} – {name}", "{a} {name}"])
def test_numbered_labels_name_their_area(generation, style):
    for area, name in zip(AREAS, CANONICAL[generation]):
        match = match_area(style.format(a=area, name=name), generation)
        assert (match.area, match.number, match.title) == (area, area, name)


@pytest.mark.parametrize("generation", GENERATIONS)
def test_names_wrapped_over_lines_in_a_cell_name_their_area(generation):
    for area, name in zip(AREAS, CANONICAL[generation]):
        words = f"{area}. {name}".split()
        wrapped = "\n".join(" ".join(words[i:i + 2]) for i in range(0, len(words), 2))  # two words a line
        match = match_area(wrapped, generation)
        assert (match.area, match.title) == (area, name), wrapped


@pytest.mark.parametrize(("label", "generation", "area"), [
    ("Tillgänglighet/medborgar-\noch brukarorientering", G2002, 2),
    ("Tydlighet i sam-\nspelet mellan politiker\noch tjänstemän", G2002, 3),
    ("Kommunen som arbets-\ngivare", G2010, 6),
    ("5. Resultat och effek-\ntivitet", G2010, 5),
    ("1. Samspel mellan förtroende-\nvalda och medborgare", G2020, 1),
    ("2. Samhälls‐\nutveckling", G2020, 2),  # U+2010, as some producers write a line-end hyphen
])
def test_hyphenated_labels_are_mended(label, generation, area):
    match = match_area(label, generation)
    assert match is not None and match.area == area


@pytest.mark.parametrize("generation", GENERATIONS)
def test_unseen_wordings_name_their_area(generation):
    """Wordings not in vocabulary.yml ('&' for 'och', definite forms, a parenthesis) still name their area."""
    for area, name in zip(AREAS, UNSEEN_AREA_NAMES[generation]):
        match = match_area(name, generation)
        assert match is not None and match.area == area and match.generation == generation, name


def test_a_number_that_disagrees_with_the_name_is_no_match():
    assert match_area("5. Effektivitet", G2020) is None  # Effektivitet is area 4
    assert match_area("3. Effektivitet", G2020) is None


@pytest.mark.parametrize("label", ["3", "3.", "3)", "Område 3", "Huvudområde 3"])
def test_a_number_alone_names_the_area_by_its_number(label):
    match = match_area(label)
    assert (match.area, match.generation, match.number, match.title) == (3, None, 3, "")


@pytest.mark.parametrize("text", [
    "Kommunen har under perioden arbetat aktivt med styrning och kontroll av verksamheten.",
    "Tabellen visar kommunens resultat per område jämfört med Sverigesnittet.",
    "Bedömningen görs inom åtta områden med högst 100 poäng vardera.",
    "Totalt", "Median", "Område", "Sverigesnitt", "Kungsbacka 2014", "64", "62,5", "9", "0", "+16", "",
])
def test_what_is_no_area_label_matches_nothing(text):
    for generation in (*GENERATIONS, None):
        assert match_area(text, generation) is None, (text, generation)


# --- the lines strategy: grids from rules -------------------------------------------------------------

def box_rules(boxes) -> list[Rule]:
    """Each cell's four borders drawn on their own (as a word processor draws a table, cell by cell)."""
    rules = []
    for x0, top, x1, bottom in boxes:
        rules += [Rule(HORIZONTAL, top, x0, x1), Rule(HORIZONTAL, bottom, x0, x1),
                  Rule(VERTICAL, x0, top, bottom), Rule(VERTICAL, x1, top, bottom)]
    return rules


def as_thin_rectangles(rules: list[Rule], thickness: float = 0.75) -> list[Rule]:
    """Each rule drawn as a filled rectangle `thickness` across (a browser's border-collapse): its four edges."""
    found = []
    half = thickness / 2
    for rule in rules:
        a, b = rule.at - half, rule.at + half
        other = VERTICAL if rule.orientation == HORIZONTAL else HORIZONTAL
        found += [Rule(rule.orientation, a, rule.start - half, rule.end + half),
                  Rule(rule.orientation, b, rule.start - half, rule.end + half),
                  Rule(other, rule.start - half, a, b), Rule(other, rule.end + half, a, b)]
    return found


def words_in(text: str, x0: float, top: float, size: float = 10.0) -> list[Word]:
    """The words of one printed line."""
    words = []
    for token in text.split():
        width = 0.52 * size * len(token)
        words.append(Word(token, x0, x0 + width, top, top + size))
        x0 += width + 0.28 * size
    return words


XS = [72.0, 200.0, 270.0, 340.0]  # label, own, reference


def area_table(generation: str, wrap: int = 2, header=("Område", "Lund 2019", "Median"), own=None, reference=None):
    """Boxes and words of a ruled area table: a header row, eight area rows whose numbered labels wrap
    `wrap` words a line back to the cell's left edge, a total row."""
    own = own or [60 + a for a in AREAS]
    reference = reference or [50 + a for a in AREAS]
    boxes, words = [], []
    top = 100.0
    rows = [list(header)] + [[f"{a}. {CANONICAL[generation][a - 1]}", str(own[a - 1]), str(reference[a - 1])]
                             for a in AREAS] + [["Totalt", str(sum(own)), str(sum(reference))]]
    for row in rows:
        label = row[0].split()
        lines = [" ".join(label[i:i + wrap]) for i in range(0, len(label), wrap)]
        bottom = top + 4 + 12 * len(lines)
        for c, text in enumerate(row):
            boxes.append((XS[c], top, XS[c + 1], bottom))
            if c == 0:
                for i, line in enumerate(lines):
                    words += words_in(line, XS[0] + 4, top + 3 + 12 * i)
            else:
                words += words_in(text, XS[c + 1] - 4 - 5.2 * len(text), top + 3)
        top = bottom
    return boxes, words


def test_a_ruled_table_is_one_grid_of_its_cells_with_wrapped_labels_in_one_cell():
    boxes, words = area_table(G2020)
    grids = line_grids(box_rules(boxes), words, page=2)
    assert len(grids) == 1
    grid = grids[0]
    assert (grid.strategy, grid.page, grid.row_count, grid.column_count) == ("lines", 2, 10, 3)
    assert grid.xs == pytest.approx(XS)
    assert grid.text(1, 0) == "1. Samspel\nmellan förtroendevalda\noch medborgare"
    assert [grid.text(r, 1) for r in range(1, 9)] == [str(60 + a) for a in AREAS]
    assert grid.as_text()[9] == ["Totalt", str(sum(60 + a for a in AREAS)), str(sum(50 + a for a in AREAS))]


def test_rules_as_thin_rectangles_give_the_same_grid_as_lines():
    boxes, words = area_table(G2010)
    from_lines = line_grids(box_rules(boxes), words, page=1)[0]
    from_rectangles = line_grids(as_thin_rectangles(box_rules(boxes)), words, page=1)
    assert len(from_rectangles) == 1
    assert from_rectangles[0].as_text() == from_lines.as_text()
    assert from_rectangles[0].xs == pytest.approx(from_lines.xs, abs=0.5)


def test_rules_stopping_short_of_each_other_still_meet():
    boxes, words = area_table(G2002)
    rules = [Rule(r.orientation, r.at, r.start + 1.5, r.end - 1.5) for r in box_rules(boxes)]
    grids = line_grids(rules, words, page=1)
    assert len(grids) == 1 and (grids[0].row_count, grids[0].column_count) == (10, 3)


def test_a_merged_header_cell_spans_its_columns():
    """'Kommunens poäng' over '2016' and '2020'; 'Område' down over both header rows."""
    xs = [72.0, 200.0, 260.0, 320.0]
    boxes = [(xs[0], 100, xs[1], 140), (xs[1], 100, xs[3], 120), (xs[1], 120, xs[2], 140), (xs[2], 120, xs[3], 140),
             (xs[0], 140, xs[1], 160), (xs[1], 140, xs[2], 160), (xs[2], 140, xs[3], 160)]
    words = words_in("Område", 76, 103) + words_in("Kommunens poäng", 204, 103) + words_in("2016", 204, 123) + \
        words_in("2020", 264, 123) + words_in("1. Effektivitet", 76, 143) + words_in("61", 240, 143) + \
        words_in("64", 300, 143)
    grid = line_grids(box_rules(boxes), words, page=1)[0]
    assert (grid.row_count, grid.column_count) == (3, 3)
    merged = grid.cells[0][1]
    assert merged is grid.cells[0][2] and (merged.row_span, merged.column_span) == (1, 2)
    assert merged.text == "Kommunens poäng"
    tall = grid.cells[0][0]
    assert tall is grid.cells[1][0] and (tall.row_span, tall.column_span) == (2, 1) and tall.text == "Område"
    assert grid.as_text() == [["Område", "Kommunens poäng", ""], ["", "2016", "2020"],
                              ["1. Effektivitet", "61", "64"]]


def test_two_tables_on_a_page_are_two_grids_and_a_lone_box_is_none():
    first, _ = area_table(G2020)
    second = [(x0, top + 400, x1, bottom + 400) for x0, top, x1, bottom in first[:6]]
    frame = [(72.0, 760.0, 520.0, 800.0)]  # a framed box (a text frame around a note): one cell, no table
    grids = line_grids(box_rules(first + second + frame), [], page=1)
    assert [(g.row_count, g.column_count) for g in grids] == [(10, 3), (2, 3)]
    assert grids[0].ys[0] < grids[1].ys[0]


def test_no_rules_no_grids():
    assert line_grids([], words_in("1. Effektivitet 64", 72, 100), page=1) == []


# --- readings of grids --------------------------------------------------------------------------------

@pytest.mark.parametrize("generation", GENERATIONS)
def test_a_grid_with_wrapped_labels_reads_as_the_area_table_of_its_generation(generation):
    boxes, words = area_table(generation, wrap=1)  # one word a line: the narrowest label column
    grid = line_grids(box_rules(boxes), words, page=2)[0]
    reading = read_as_area_table([grid], ROWS, generation, {})
    assert reading.rejected is None
    matrix = reading.matrix
    assert matrix.columns == ["Lund 2019", "Median"]
    assert matrix.values == {a: [60 + a, 50 + a] for a in AREAS}
    assert matrix.total == [sum(60 + a for a in AREAS), sum(50 + a for a in AREAS)]
    assert matrix.labels == {a: CANONICAL[generation][a - 1] for a in AREAS}
    assert read_as_area_table([grid], COLUMNS, generation, {}).matrix is None


def test_a_grid_with_the_areas_as_columns_reads_transposed():
    """Header row 'Kommun' | 'Område 1' … 'Område 8' | 'Totalt'; a row for the municipality and for the median."""
    xs = [72.0, 160.0] + [160.0 + 55 * a for a in AREAS] + [660.0 + 50]
    xs = sorted(set(xs))
    rows = [["Kommun"] + [f"Område {a}" for a in AREAS] + ["Totalt"],
            ["Lund 2019"] + [str(60 + a) for a in AREAS] + [str(sum(60 + a for a in AREAS))],
            ["Median"] + [str(50 + a) for a in AREAS] + [str(sum(50 + a for a in AREAS))]]
    boxes, words = [], []
    for r, row in enumerate(rows):
        top = 100.0 + 30 * r
        for c, text in enumerate(row):
            boxes.append((xs[c], top, xs[c + 1], top + 30))
            lines = text.split(" ") if r == 0 and c > 0 else [text]  # 'Område' / '3' wrap in the header
            for i, line in enumerate(lines):
                words += words_in(line, xs[c] + 3, top + 3 + 12 * i, size=9)
    grid = line_grids(box_rules(boxes), words, page=1)[0]
    assert (grid.row_count, grid.column_count) == (3, 10)
    reading = read_as_area_table([grid], COLUMNS, None, {})
    assert reading.rejected is None
    assert reading.matrix.columns == ["Lund 2019", "Median"]
    assert reading.matrix.values == {a: [60 + a, 50 + a] for a in AREAS}
    assert reading.matrix.kind == "numbers" and reading.matrix.total == [sum(60 + a for a in AREAS),
                                                                         sum(50 + a for a in AREAS)]


def test_a_grid_continued_over_a_page_break_reads_as_one_table():
    """The header row on both pages, areas 1–4 on the first and 5–8 with the total on the second."""
    from extractors.tables.reading import grid_readings

    boxes, words = area_table(G2020)
    rows = sorted({b[1] for b in boxes})  # row tops: header, 8 areas, total
    split_top = rows[5]
    first = [b for b in boxes if b[1] < split_top]
    first_words = [w for w in words if w.top < split_top]
    header = [b for b in boxes if b[1] == rows[0]]
    header_words = [w for w in words if w.top < rows[1]]
    shift = split_top - rows[1]
    second = header + [(x0, top - shift, x1, bottom - shift) for x0, top, x1, bottom in boxes if top >= split_top]
    second_words = header_words + [Word(w.text, w.x0, w.x1, w.top - shift, w.bottom - shift) for w in words
                                   if w.top >= split_top]
    grids = line_grids(box_rules(first), first_words, page=2) + line_grids(box_rules(second), second_words, page=3)
    assert [(g.page, g.row_count) for g in grids] == [(2, 5), (3, 6)]
    best = grid_readings(grids, {})[0]
    assert best.rejected is None and best.generation == G2020 and len(best.grids) == 2
    assert best.matrix.values == {a: [60 + a, 50 + a] for a in AREAS}
    assert best.matrix.pages == {a: 2 if a <= 4 else 3 for a in AREAS}


def test_grids_chain_over_a_page_break_only_with_the_same_columns_on_the_next_page():
    from extractors.tables.reading import chains

    boxes, words = area_table(G2010)
    grid = {page: line_grids(box_rules(boxes), words, page=page)[0] for page in (2, 3, 5)}
    narrower_boxes = [(x0, top, min(x1, 320.0), bottom) for x0, top, x1, bottom in boxes]
    narrower = line_grids(box_rules(narrower_boxes), words, page=3)[0]
    assert [[g.page for g in chain] for chain in chains([grid[2], grid[3]])] == [[2], [3], [2, 3]]
    assert [[g.page for g in chain] for chain in chains([grid[2], narrower])] == [[2], [3]]
    assert [[g.page for g in chain] for chain in chains([grid[2], grid[5]])] == [[2], [5]]


# --- the column classifier ----------------------------------------------------------------------------

OWN_OF = {G2002: ("Fagersta", 2009), G2010: ("Kungsbacka", 2014), G2020: ("Vallentuna", 2021)}
SCORES = [60, 55, 70, 65, 50, 62, 58, 61]


def matrix_of(headers: list[str], columns: list[list[float]], signed: list[bool] | None = None) -> AreaMatrix:
    return AreaMatrix(kind="names", generation=None, labels={a: str(a) for a in AREAS}, columns=headers,
                      values={a: [column[a - 1] for column in columns] for a in AREAS},
                      signed=signed or [False] * len(headers), total=None, pages={a: 1 for a in AREAS}, first_page=1)


@pytest.mark.parametrize("generation", GENERATIONS)
def test_column_headers_of_every_generation_name_their_role(generation):
    kommun, year = OWN_OF[generation]
    for header, role, kind in HEADERS[generation]:
        found = column_role(matrix_of([header], [SCORES]), 0, kommun, year)
        assert (found.role, found.kind) == (role, kind), header
        direct = classify_column(header, SCORES, False, kommun, year)  # the one classifier, as HTML tables use it
        assert (direct.role, direct.kind) == (role, kind), header


def test_other_municipalities_and_earlier_years_carry_their_name_code_and_year():
    role = column_role(matrix_of(["Eksjö 2008"], [SCORES]), 0, "Fagersta", 2009)
    assert (role.role, role.kommun, role.kommunkod, role.year) == (OTHER, "Eksjö", "0686", 2008)
    role = column_role(matrix_of(["Valdemars\nvik 2020"], [SCORES]), 0, "Vallentuna", 2021)  # a name broken in two
    assert (role.role, role.kommun, role.kommunkod, role.year) == (OTHER, "Valdemarsvik", "0563", 2020)
    role = column_role(matrix_of(["Fagersta\nkommun\n2005"], [SCORES]), 0, "Fagersta", 2009)
    assert (role.role, role.year) == (EARLIER, 2005)


def test_unseen_header_wordings_name_their_role():
    for header, role, kind in UNSEEN_HEADERS:
        found = column_role(matrix_of([header], [SCORES]), 0, "Vallentuna", 2021)
        assert (found.role, found.kind) == (role, kind), header


def test_headerless_columns_are_named_by_their_content():
    assert column_role(matrix_of([""], [[100] * 8]), 0, "Lund", 2019).role == MAXIMUM
    assert column_role(matrix_of([""], [[5, -3, 2, 0, 1, 4, -2, 6]]), 0, "Lund", 2019).role == CHANGE
    assert column_role(matrix_of([""], [[5, 3, 2, 0, 1, 4, 2, 6]], [True]), 0, "Lund", 2019).role == CHANGE  # '+5'
    assert column_role(matrix_of([""], [SCORES]), 0, "Lund", 2019).role == UNKNOWN  # never guessed a reference


def test_a_signed_column_is_a_change_whatever_its_header_says():
    role = column_role(matrix_of(["Median"], [[5, 3, 2, 0, 1, 4, 2, 6]], [True]), 0, "Lund", 2019)
    assert role.role == CHANGE


def test_years_under_a_merged_header_name_this_and_the_earlier_evaluation():
    """'Kommunens poäng' merged over '2016' / '2020': the header of each column is both cells."""
    for headers in (["2016", "2020"], ["Kommunens poäng\n2016", "Kommunens poäng\n2020"]):
        roles = column_roles(matrix_of(headers, [SCORES, SCORES]), "Lund", 2020)
        assert [(r.role, r.year) for r in roles] == [(EARLIER, 2016), (OWN, 2020)]


@pytest.mark.parametrize("headers", [["2016", "2020"], ["Kommunens poäng\n2016", "Kommunens poäng\n2020"]])
def test_with_the_year_unknown_the_latest_year_column_is_the_own(headers):
    roles = column_roles(matrix_of(headers, [SCORES, SCORES]), "Lund", None)
    assert [r.role for r in roles] == [EARLIER, OWN]


@pytest.mark.parametrize("group", ["Jämförelse med andra kommuner", "Resultat per område", "Andra kommuner"])
def test_another_municipality_under_a_merged_group_header_is_other(group):
    role = column_role(matrix_of([f"{group}\nGävle 2005"], [SCORES]), 0, "Eksjö", 2008)
    assert (role.role, role.kommun, role.kommunkod, role.year) == (OTHER, "Gävle", "2180", 2005)


def test_resultat_merged_over_own_and_reference():
    roles = column_roles(matrix_of(["Resultat\nHärnösand 2007", "Resultat\nMedian"], [SCORES, SCORES]),
                         "Härnösand", 2007)
    assert [(r.role, r.kind) for r in roles] == [(OWN, None), (REFERENCE, "median")]
