"""Small pure parts of extraction: line joining, dates, framework recognition, table rows, headings."""
from __future__ import annotations

import pytest

from extractors import frameworks
from extractors.area_matrix import parse_row
from extractors.area_table import read_area_table
from extractors.list_headings import list_kind
from extractors.hyphenation import join_all, join_lines
from extractors.layout import Line, Word
from extractors.numbers import parse_number, round_half_up
from extractors.titleblock import find_dates, find_evaluators, find_municipality


@pytest.mark.parametrize("first, second, joined", [
    ("Till utpekade förbättringsom-", "råden blir det", "Till utpekade förbättringsområden blir det"),
    ("mål- och", "resultatstyrning", "mål- och resultatstyrning"),
    ("samordning mellan mål-", "och resultatstyrning", "samordning mellan mål- och resultatstyrning"),
    ("Öka politikernas tillgång till IT-", "stödet", "Öka politikernas tillgång till IT-stödet"),
    ("publicera tjänstemännens e-", "postadresser", "publicera tjänstemännens e-postadresser"),
    ("Bedrivs utbildning i att bemöta allmänhe-", "ten?", "Bedrivs utbildning i att bemöta allmänheten?"),
    ("Hur utövas ledningen över underställda avdelningar/", "enheter?", "Hur utövas ledningen över underställda avdelningar/enheter?"),
    ("synpunkter från medborgare /", "brukare", "synpunkter från medborgare / brukare"),
])
def test_lines_rejoin_and_line_end_hyphens_mend(first, second, joined):
    assert join_lines(first, second) == joined


def test_join_all_folds_whitespace():
    assert join_all(["Kultur av  öppenhet, bl.a. i", "medborgardialogen"]) == "Kultur av öppenhet, bl.a. i medborgardialogen"


@pytest.mark.parametrize("text, dates", [
    ("2009-10-07--09", ["2009-10-07", "2009-10-08", "2009-10-09"]),
    ("Kommunkompassen analys av Kinda kommun 10-11 mars 2009", ["2009-03-10", "2009-03-11"]),
    ("Rapport 2009-08-10 Analys av Partille kommun 4–6 december 2006", ["2006-12-04", "2006-12-05", "2006-12-06"]),
    ("Utvärderingen gjordes 2015-09-30 – 2015-10-01", ["2015-09-30", "2015-10-01"]),
    ("7–9 oktober 2009", ["2009-10-07", "2009-10-08", "2009-10-09"]),
])
def test_evaluation_dates(text, dates):
    assert find_dates([text]) == dates


def test_title_block_names_municipality_and_evaluators():
    lines = ["Kommunkompassen", "Analys av Göteborgs stad", "2012-03-01--02",
             "Anna Andersson, Sveriges Kommuner och Landsting", "Per Persson, Region Gotland"]
    assert find_municipality(lines).kommunkod == "1480"
    assert [(e.name, e.organisation) for e in find_evaluators(lines, "Göteborg")] == [
        ("Anna Andersson", "Sveriges Kommuner och Landsting"), ("Per Persson", "Region Gotland")]


@pytest.mark.parametrize("titles, year, generation", [
    ({1: ["Offentlighet och demokratisk kontroll"], 3: ["Klarhet i samspelet mellan politik och administration"],
      6: ["Personalförvaltning"], 7: ["Förnyelsepolitik"]}, 2002, "2002-2009"),
    ({1: ["Offentlighet och demokrati"], 3: ["Politisk styrning och kontroll"], 5: ["Resultat och effektivitet"]},
     2014, "2010-2019"),
    ({2: ["Samhällsutveckling"], 4: ["Effektivitet"], 7: ["Arbetsliv"]}, 2021, "2020-"),
    ({}, 2016, "2010-2019"),
])
def test_framework_recognised_from_area_names(titles, year, generation):
    assert frameworks.detect_framework(titles, year)[0] == generation


def test_numbered_headings_name_their_area():
    assert frameworks.heading_area("3.3 Politisk styrning och kontroll") == 3
    assert frameworks.heading_area("Område 7 Verksamhetsutveckling") == 7
    assert frameworks.heading_area("1.1 Hur informeras invånarna?") is None


def test_numbers_and_rounding():
    assert parse_number("2,5") == 2.5 and parse_number("65%") == 65 and parse_number("1 000") == 1000
    assert parse_number("sida") is None
    assert round_half_up(62.5) == 63 and round_half_up(22.5) == 23  # not banker's rounding


def _line(page: int, top: float, *cells: str) -> Line:
    words, x = [], 60.0
    for cell in cells:
        for token in cell.split():
            words.append(Word(token, x, x + 6 * len(token), top, top + 10))
            x += 6 * len(token) + 4
        x += 40
    return Line(page=page, words=words)


def _cells(top: float, *cells: tuple[float, str]) -> Line:
    words = []
    for x, text in cells:
        for token in text.split():
            words.append(Word(token, x, x + 5 * len(token), top, top + 9))
            x += 5 * len(token) + 3
    return Line(page=4, words=sorted(words, key=lambda w: w.x0))


@pytest.mark.parametrize("reference_left", [False, True])
def test_area_table_with_a_max_column_and_mean_reference(reference_left):
    own_x, ref_x = (420, 350) if reference_left else (350, 420)
    lines = [_cells(100, (60, "Tabell 1 Resultat")),
             _cells(115, (60, "Område"), (300, "Max"), (own_x, "Kinda 2011"), (ref_x, "Medelvärde"))]
    scores = [("Offentlighet och demokrati", "55", "52"), ("Tillgänglighet och brukarorientering", "60", "58,5"),
              ("Politisk styrning och kontroll", "70", "66"), ("Ledarskap, ansvar och delegation", "61,5", "60"),
              ("Resultat och effektivitet", "50", "49"), ("Kommunen som arbetsgivare", "62", "57"),
              ("Verksamhetsutveckling", "58", "55"), ("Kommunen som samhällsbyggare", "70", "68")]
    rows = scores + [("Totalt", "486,5", "465,5")]
    for i, (name, score, ref) in enumerate(rows):
        maximum = "800" if name == "Totalt" else "100"
        lines.append(_cells(130 + 15 * i, (60, name), (300, maximum), (own_x, score), (ref_x, ref)))
    table = _area_table(lines, "Kinda", 2011)
    assert [table.scores[a] for a in range(1, 9)] == [55, 60, 70, 61.5, 50, 62, 58, 70]
    assert table.references[2] == 58.5 and table.total == 486.5 and table.reference_total == 465.5
    assert table.reference_kind == "medelvärde" and table.generation == "2010-2019"


def find_area_matrices(rows):
    """The area tables the `text` strategy's grids of these rows give, read as the extractor reads them."""
    from extractors.report import area_tables
    from extractors.tables.reading import grid_readings
    from extractors.tables.text_strategy import text_grids

    return area_tables(grid_readings(text_grids(rows), {}))[0]


def _area_table(lines: list[Line], kommun: str, year: int):
    return read_area_table(find_area_matrices([parse_row(line) for line in lines]), kommun, year)


NAMES_2002 = ["Offentlighet och demokratisk kontroll", "Tillgänglighet och brukarorientering",
              "Tydlighet i samspelet mellan politiker och tjänstemän", "Ledning, decentralisering och delegering",
              "Kontroll och rapportering", "Personalpolitik", "Verksamhetsutveckling", "Kommunen som samhällsbyggare"]


def _names_table(names: list[str]):
    lines = [_cells(100, (60, "Tabell 1 Resultat")), _cells(115, (60, "Område"), (350, "Fagersta 2009"), (420, "Median"))]
    for i, name in enumerate(names):
        lines.append(_cells(130 + 15 * i, (60, name), (350, str(50 + i)), (420, f"{40 + i},5")))
    return _area_table(lines, "Fagersta", 2009)


@pytest.mark.parametrize("changed", [{5: "Kontroll och uppföljning"},
                                     {5: "Kontroll och uppföljning", 7: "Verksamhetsutveckling och förnyelse"}])
def test_a_loosely_worded_area_name_between_well_named_ones_is_read_by_its_place(changed):
    names = [changed.get(area, name) for area, name in enumerate(NAMES_2002, start=1)]
    table = _names_table(names)
    assert table.generation == "2002-2009" and table.references[5] == 44.5 and table.scores[7] == 56
    assert table.labels[5] == names[4]


@pytest.mark.parametrize("changed", [{5: "Fritidsverksamhet och kultur"},  # names nothing of the framework
                                     {5: "Kontroll och uppföljning", 6: "Personalförsörjning och kompetens"},
                                     {1: "Demokrati och insyn"}, {8: "Samhällsplanering"},
                                     {3: "Ledning och delegering"}])  # more like area 4 than area 3
def test_a_table_whose_names_stray_further_is_not_read_as_the_area_table(changed):
    names = [changed.get(area, name) for area, name in enumerate(NAMES_2002, start=1)]
    assert _names_table(names).generation is None


@pytest.mark.parametrize("heading", ["Styrkor", "Styrkor:", "Kommunens styrkor", "Starka sidor", "STYRKOR",
                                     "Kommunens starka sidor", "Styrkor i kommunen", "Fagerstas styrkor:",
                                     "Upplands Väsby kommuns styrkor", "Västerås stads starka sidor"])
def test_strength_headings(heading):
    assert list_kind(heading) == "strength"


@pytest.mark.parametrize("heading", ["Förbättringsområden", "Möjliga förbättringsområden:", "Utvecklingsområden",
                                     "Kommunens förbättringsområden", "Förbättringspotential", "Att utveckla",
                                     "Utvecklingsbehov", "Områden för förbättring", "Förslag på förbättringar",
                                     "Förbättringsområden för kommunen", "Fagersta kommuns förbättringsområden",
                                     "VIKTIGA UTVECKLINGSOMRÅDEN INOM OMRÅDET"])
def test_improvement_headings(heading):
    assert list_kind(heading) == "improvement"


@pytest.mark.parametrize("text", ["Styrkor och svagheter i kommunens arbete", "Förbättringsområden finns",
                                  "Kommunen har styrkor", "Övriga styrkor i arbetet med skolan", "Att", "Kommunens",
                                  "Fagersta har flera styrkor", "Kommunens styrkor och svagheter"])
def test_a_sentence_is_not_a_list_heading(text):
    assert list_kind(text) is None


def _row(top: float, qid: str, text: str, numbers: tuple[str, ...] = ()) -> Line:
    words = [Word(qid, 60, 75, top, top + 9)] if qid else []
    x = 90.0
    for token in text.split():
        words.append(Word(token, x, x + 5 * len(token), top, top + 9))
        x += 5 * len(token) + 3
    for column, token in zip((400, 440, 480), numbers):
        words.append(Word(token, column, column + 5 * len(token), top, top + 9))
    return Line(page=27, words=words)


def test_score_rows_stop_at_an_unnumbered_area_title_and_wrapped_text_joins():
    from extractors.score_summary import ScoreSummary, read_page

    lines = [
        _row(100, "1.3", "Hur informeras medborgarna om", ("20", "14", "70%")),
        _row(111, "", "resultat?"),
        _row(130, "", "Tillgänglighet och brukarorientering"),
        _row(148, "2.1", "Har kommunen en brukarorienterad förvaltningsfilosofi?", ("10", "2,5", "25%")),
        _row(162, "2.2", "Kan brukarna själva påverka serviceutbudet?", ("20", "14", "70%")),
    ]
    summary = ScoreSummary()
    read_page(lines, 27, 595, summary)
    assert [(q.question, q.text, [v for _, v in q.numbers]) for q in summary.questions] == [
        ("1.3", "Hur informeras medborgarna om resultat?", [20, 14, 70]),
        ("2.1", "Har kommunen en brukarorienterad förvaltningsfilosofi?", [10, 2.5, 25]),
        ("2.2", "Kan brukarna själva påverka serviceutbudet?", [20, 14, 70]),
    ]


def test_question_sums_decide_which_area_column_is_the_score():
    from extractors.records import AreaScore, QuestionScore, ReportExtract, Source
    from extractors.report import _orient_area_columns

    report = ReportExtract(source=Source("0" * 64, 28, "x.pdf"), total=463.5, median_total=466)
    report.areas = [AreaScore(a, f"område {a}", score=50.5, median=60.0, page=4) for a in range(1, 9)]
    report.questions = [QuestionScore(f"{a}.1", "fråga", 100, 60, 60, 27) for a in range(1, 9)]
    _orient_area_columns(report)
    assert [(a.score, a.median) for a in report.areas] == [(60.0, 50.5)] * 8
    assert (report.total, report.median_total) == (466, 463.5) and report.warnings


@pytest.mark.parametrize("lines, kommunkod", [
    (["KOMMUNKOMPASSEN", "ANALYS AV LIDKÖPINGS KOMMUN 2014"], "1494"),
    (["Kommunkompassen", "Utvärdering av Region Gotland"], "0980"),
    (["Sektionen för demokrati", "Kommunkompassen – Upplands Väsby kommun 2016 sida 1"], "0114"),
])
def test_municipality_in_other_title_wordings(lines, kommunkod):
    assert find_municipality(lines).kommunkod == kommunkod


def test_area_table_with_wrapped_names_centred_numbers_and_a_change_column():
    """Names wrapped over two lines, numbers standing between them, and a signed change column."""
    lines = [_cells(115, (60, "Område"), (300, "Ale 2012"), (350, "Förändring"), (420, "Median"))]
    names = [("Offentlighet och", "demokrati"), ("Tillgänglighet och", "brukarorientering"),
             ("Politisk styrning", "och kontroll"), ("Ledarskap, ansvar", "och delegation"),
             ("Resultat och", "effektivitet"), ("Kommunen som", "arbetsgivare"), ("Verksamhets-", "utveckling"),
             ("Kommunen som", "samhällsbyggare")]
    scores = [("55", "+3", "52"), ("60", "+1,5", "58,5"), ("70", "±0", "66"), ("61,5", "+1,5", "60"),
              ("50", "-1", "49"), ("62", "–5", "67"), ("58", "+3", "55"), ("70", "+2", "68")]
    top = 130.0
    for (first, second), (score, change, median) in zip(names, scores):
        lines.append(_cells(top, (60, first)))
        lines.append(_cells(top + 6, (300, score), (350, change), (420, median)))
        lines.append(_cells(top + 12, (60, second)))
        top += 30
    lines.append(_cells(top, (60, "Totalt"), (300, "486,5"), (350, "+4"), (420, "475,5")))
    table = _area_table(lines, "Ale", 2012)
    assert [table.scores[a] for a in range(1, 9)] == [55, 60, 70, 61.5, 50, 62, 58, 70]
    assert [table.references[a] for a in (1, 2)] == [52, 58.5] and table.reference_kind == "median"
    assert (table.total, table.reference_total) == (486.5, 475.5)


def test_a_change_column_is_never_the_reference():
    """Without a reference column, signed changes stay changes: the reference is missing, not wrong."""
    lines = [_cells(115, (60, "Område"), (300, "2018"), (350, "Förändring"))]
    names = ["Samspel mellan förtroendevalda och medborgare", "Samhällsutveckling", "Styrning och kontroll",
             "Effektivitet", "Brukarens fokus", "Kvalitetsutveckling", "Arbetsliv",
             "Chefs- och ledarskap samt medarbetarskap"]
    for i, name in enumerate(names):
        lines.append(_cells(130 + 15 * i, (60, name), (300, str(50 + i)), (350, f"+{i}")))
    table = _area_table(lines, "Mark", 2018)
    assert [table.scores[a] for a in range(1, 9)] == [50, 51, 52, 53, 54, 55, 56, 57]
    assert all(v is None for v in table.references.values()) and table.generation == "2020-"


@pytest.mark.parametrize("read, percent_sign, taken", [
    ((12.5, 20, 63), True, (20, 12.5, 63)),  # max and points read in the wrong order: the only order that agrees
    ((12.5, 20, 63), False, (12.5, 20, 63)),  # without the '%' two orders agree: left as read (the check fails)
    ((10, 3.5, 35), True, (10, 3.5, 35)),
    ((40, 26, 66), True, (40, 26, 66)),  # disagrees in every order: left as read, the percent check says so
])
def test_score_summary_numbers_are_held_to_their_own_arithmetic(read, percent_sign, taken):
    from extractors.score_summary import _consistent_order

    assert _consistent_order(*read, percent_known=percent_sign) == taken


def test_an_area_table_row_set_with_a_bullet_and_an_ocr_cell_with_a_speck_in_it():
    """A bullet before one row's label (or a speck OCR took for one) is no part of the label; a cell read
    with a speck ('"60') neither makes its column wider nor pulls the next header's year into it."""
    lines = [_cells(115, (60, "Område"), (300, "Fagersta 2009"), (380, "Eksjö 2008"), (460, "Gällivare 2003"))]
    names = ["Offentlighet och demokrati", "Tillgänglighet och brukarorientering", "Politisk styrning och kontroll",
             "Ledarskap, ansvar och delegation", "Resultat och effektivitet", "Kommunen som arbetsgivare",
             "Verksamhetsutveckling", "Kommunen som samhällsbyggare"]
    for i, name in enumerate(names):
        line = _cells(130 + 15 * i, (60, name), (300, str(50 + i)), (400, str(60 + i)), (480, str(40 + i)))
        if i == 3:
            bullet = Word("•", 48, 52, line.top, line.bottom)
            line.words.insert(0, bullet)
        if i == 5:  # OCR read a speck into Eksjö's cell; it stretches left towards the header's year
            line.words[-2] = Word('"65', 383, 410, line.top, line.bottom, conf=40.0)
        lines.append(line)
    matrices = find_area_matrices([parse_row(line) for line in lines])
    assert len(matrices) == 1
    table = matrices[0]
    assert table.labels[4] == "Ledarskap, ansvar och delegation"
    assert table.columns == ["Fagersta 2009", "Eksjö 2008", "Gällivare 2003"]
    assert table.values[6] == [55, None, 45] and table.cell_words[6][1].text == '"65'  # for the sums to settle


@pytest.mark.parametrize("text, opens", [("a) Öka tillgängligheten", True), ("b. Bredda dialogen", True),
                                         ("3) Fler mål", True), ("A. Andersson leder arbetet", False),
                                         ("s. 12 i rapporten", False), ("e-tjänster byggs ut", False)])
def test_lettered_and_numbered_items_are_list_markers(text, opens):
    from extractors.markers import marker

    assert bool(marker(text)) is opens


@pytest.mark.parametrize("text, labels", [
    ("Öka tillgängligheten. b) Bredda dialogen. c) Följ upp målen.", ["b)", "c)"]),
    ("Tydligare mål 2) Bättre uppföljning", ["2)"]),
    ("Kommunen bör a) Inventera och b) Följa upp", ["a)", "b)"]),
    ("enligt bilaga a) Kommunen", []), ("se punkt 3) Detta", []), ("Inga numrerade delar här", [])])
def test_numbered_items_run_together_in_one_finding_are_found(text, labels):
    from extractors.markers import run_together_numbering

    assert run_together_numbering(text) == labels


def test_glyph_codes_read_as_t1_only_where_they_make_swedish_words():
    from extractors.unmapped_glyphs import decode_t1, reads_as_t1

    tex = ["F(cid:246)rb(cid:228)ttringsomr(cid:229)den", "N(cid:228)ringsliv", "omr(cid:229)de", "O(cid:27)entlighet"]
    assert reads_as_t1(tex)
    assert [decode_t1(t) for t in tex] == ["Förbättringsområden", "Näringsliv", "område", "Offentlighet"]
    glyph_numbers = ["(cid:12)(cid:246)(cid:228)x", "Ab(cid:229)(cid:246)", "(cid:228)(cid:229)(cid:246)(cid:246)", "k(cid:252)l"]
    assert not reads_as_t1(glyph_numbers)
    assert not reads_as_t1(["Inga koder här"])


@pytest.mark.parametrize("heading, kind", [("Det här gör kommunen bra", "strength"),
                                           ("Det här kan kommunen utveckla", "improvement")])
def test_2020_generation_list_headings(heading, kind):
    assert list_kind(heading) == kind


@pytest.mark.parametrize("words, found", [("Styrka: Kommunen har ett aktivt informationsarbete", ("strength", 1)),
                                          ("Förbättringsområde: Öka tillgängligheten", ("improvement", 1)),
                                          ("Starka sidor: Tydliga mål", ("strength", 2)),
                                          ("Styrka:", None), ("Ledarskap: Kommunen har …", None),
                                          ("Kommunen har en styrka: öppenheten", None)])
def test_a_run_in_label_opens_a_finding_of_its_kind(words, found):
    from extractors.list_headings import run_in_label

    line = Line(5, [Word(text, 60 + 40 * i, 95 + 40 * i, 100, 110) for i, text in enumerate(words.split())])
    assert run_in_label(line) == found


@pytest.mark.parametrize("text, before, after, current, area", [
    ("Personalpolitik", "slutet av ett stycke.", "Allmänt", 5, 6),
    ("Personalpolitik", None, "Kommunen har", None, 6),
    ("Personalpolitik", "Kontroll och rapportering", "Verksamhetsutveckling", None, None),  # a list of names
    ("Samhällsutveckling", "text.", "Mer text", 8, None),  # a sub-heading, not a chapter going back
    ("Medborgardialog", "text.", "Mer text", 1, None), ("3 Personalpolitik", None, None, None, None)])
def test_a_line_naming_an_area_alone_starts_it_in_order(text, before, after, current, area):
    from extractors.frameworks import named_area_start

    assert named_area_start(text, before, after, current) == area


def test_line_end_hyphens_of_other_producers_are_mended():
    from extractors.hyphenation import join_lines
    from extractors.pdftext import normalise

    assert join_lines(normalise("webbp\u2010"), "latsen") == "webbplatsen"  # Chromium's soft-hyphen break
    assert join_lines(normalise("förbätt\u00ad"), "ringsområden") == "förbättringsområden"
    assert normalise("e\u2010tjänster") == "e-tjänster" and normalise("för\u00adbättring") == "förbättring"


def test_units_and_footnote_marks_after_numbers_are_no_cells():
    from extractors.numbers import bare_number, without_units

    assert without_units(["Offentlighet", "64", "p", "62,0", "poäng"]) == [0, 1, 3]
    assert without_units(["Totalt", "466", "p¹", "463,5", "*"]) == [0, 1, 3]
    assert without_units(["Att", "p", "göra"]) == [0, 1, 2]  # not after a number: a word
    assert [bare_number(t) for t in ("466*", "64¹", "x*", "57,5")] == ["466", "64", "x*", "57,5"]


def test_a_rule_read_as_a_dash_before_a_question_is_left_out():
    from extractors.score_summary import row_to_question

    words = [Word(t, x, x + 20, 100, 110) for t, x in (("3.1", 60), ("—", 90), ("Hur", 115), ("är", 140),
                                                      ("det?", 160), ("40", 400), ("26", 440), ("65%", 480))]
    question = row_to_question([words], zone=380, page=12)
    assert question.text == "Hur är det?" and [v for _, v in question.numbers] == [40, 26, 65]
