"""Report-like documents whose area table is a ruled table, each with the extraction it must give.

Every document is a title page (the report's name, the municipality, the year) and a result page with
one area table, as municipalities publish a short "analys" of their result. The tables are what issue 24
names: labels wrapping back to the cell's left edge, merged header cells, a header row repeated over a
page break (or not), the areas as columns, rules drawn as thin filled rectangles (Chromium, wkhtmltopdf)
or stroked lines (LibreOffice, WeasyPrint, pdfTeX), and around them tables with banded rows, horizontal
rules only or no rules, a numbering column, a comparison group header, a total row overleaf. The values
and the expected extraction are written here, by hand, per document; `render.py` prints them through
LibreOffice (from python-docx), Chromium, wkhtmltopdf, WeasyPrint or pdfTeX.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tests.tables.unseen_wording import CANONICAL, G2002, G2010, G2020, UNSEEN_AREA_NAMES

WORD, WORD_LANDSCAPE, CHROMIUM, LATEX = "word", "word-landscape", "chromium", "latex"
WKHTMLTOPDF, WEASYPRINT = "wkhtmltopdf", "weasyprint"  # the same HTML as CHROMIUM


@dataclass
class Table:
    """Rows of cell texts (a merged cell's text in its top-left place, '' in the places it covers),
    `merges` as (row0, column0, row1, column1) inclusive, column widths in points."""

    rows: list[list[str]]
    widths: list[float]
    header_rows: int = 1
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    numeric_from: int = 1  # columns from this one hold numbers (right-aligned) below the header rows
    size: float = 10.5  # points
    row_height: float | None = None  # an exact row height for the body rows (points)
    repeat_header: bool = True  # the header rows repeated on every page the table continues on
    borders: bool = True  # every cell bordered (a ruled table); False: no rules at all
    horizontal_only: bool = False  # only horizontal rules: over and under the table and between rows
    double_under_header: bool = False  # a double rule under the header rows
    shaded_rows: bool = False  # every other body row shaded (a 'banded rows' table style)

    def covered(self, r: int, c: int) -> bool:
        """A place a merge covers other than its top-left one."""
        return any(r0 <= r <= r1 and c0 <= c <= c1 and (r, c) != (r0, c0) for r0, c0, r1, c1 in self.merges)

    def span(self, r: int, c: int) -> tuple[int, int]:
        """(rows, columns) the cell at its top-left place spans."""
        for r0, c0, r1, c1 in self.merges:
            if (r, c) == (r0, c0):
                return r1 - r0 + 1, c1 - c0 + 1
        return 1, 1


@dataclass
class Doc:
    name: str
    what: str
    producer: str  # WORD, WORD_LANDSCAPE, CHROMIUM, LATEX
    kommun: str
    year: int
    table: Table
    expected: dict
    caption: str = "Sammanfattning av resultat"
    before: list[str] = field(default_factory=list)  # paragraphs between the heading and the table
    space_before_table: float = 0.0  # points of blank space before the table (to push it over a page break)
    after: str | None = None  # a sentence under the table
    pages: int | None = None  # the page count the document must have (the table split over a break)
    landscape: bool = False  # the HTML producers' page in landscape (Word documents: WORD_LANDSCAPE)
    title: tuple[str, ...] = ()  # the title page's lines under "Kommunkompassen" (default: municipality and year)

    @property
    def title_lines(self) -> tuple[str, ...]:
        return self.title or (f"Analys av {self.kommun} kommun {self.year}", "Utvärderingsrapport")


def n(value: float) -> str:
    """A number as a Swedish report prints it: 64, 62,5."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def expected(kommun: str, kommunkod: str, year: int, generation: str, scores: list[float],
             references: list[float] | None, kind: str | None, comparisons: list[dict] | None = None,
             total_row: bool = True) -> dict:
    """The extraction a document must give (the keys `tests.synthetic.checking.number_differences` reads).
    Without a printed total row the total is the areas' sum (with a warning) and the reference has no total."""
    return {
        "schema_version": 1, "kommun": kommun, "kommunkod": kommunkod, "year": year, "framework": generation,
        "total": round(sum(scores), 3), "reference_kind": kind,
        "median_total": round(sum(references), 3) if references and total_row else None,
        "areas": [{"area": a, "name": CANONICAL[generation][a - 1], "score": float(scores[a - 1]),
                   "median": float(references[a - 1]) if references else None} for a in range(1, 9)],
        "questions": [], "comparisons": comparisons or [], "findings": [],
        "expected_warnings_contain": [] if total_row else ["no total row"],
    }


INTRO = ("Kommunkompassen är ett verktyg för analys av en kommuns sätt att arbeta. Den utvärderar inte "
         "verksamheten i sig utan sättet att leda den och att samspela i organisationen. Bedömningen görs inom "
         "åtta områden med högst 100 poäng vardera.")


def _area_rows(labels, *columns) -> list[list[str]]:
    return [[labels[a]] + [n(col[a]) for col in columns] for a in range(8)]


def wrapped_labels_2010() -> Doc:
    """(a) LibreOffice from python-docx: 2010–2019 names numbered '1.' in a 125 pt column, wrapping back to
    the cell's left edge ('1. Offentlighet och' / 'demokrati'); own score, median; a total row."""
    scores = [66, 78, 71, 62, 58, 73, 64, 69]
    medians = [61, 70, 66, 60, 55, 64, 60, 63]
    labels = [f"{a}. {name}" for a, name in enumerate(CANONICAL[G2010], 1)]
    labels[5] = "6. Kommunen som arbetsgivare – personalpolitik"
    rows = [["Område", "Kungsbacka 2014", "Median"]] + _area_rows(labels, scores, medians) + \
        [["Totalt", n(sum(scores)), n(sum(medians))]]
    return Doc("word-wrapped-labels-2010", wrapped_labels_2010.__doc__, WORD, "Kungsbacka", 2014,
               Table(rows, [125, 95, 80]), expected("Kungsbacka", "1384", 2014, G2010, scores, medians, "median"),
               before=[INTRO], after=f"Kungsbacka kommun fick totalt {n(sum(scores))} av 800 möjliga poäng.")


def merged_years_2002(title_year_alone: bool = False) -> Doc:
    """(b) LibreOffice: 2002–2009 names (unnumbered, wrapping) under a header 'Kommunens poäng' merged over two
    year columns '2005' / '2008', beside 'Område' and 'Medelvärde' merged down over both header rows. With
    `title_year_alone`, the title page gives the year on a line of its own ('Analys av Eksjö kommun' / '2008')."""
    own = [59, 48, 63, 55, 51, 60, 47, 62]
    earlier = [52, 41, 58, 50, 44, 55, 40, 57]
    mean = [54, 45, 57, 52, 47, 53, 44, 56]
    rows = [["Område", "Kommunens poäng", "", "Medelvärde"], ["", "2005", "2008", ""]] + \
        [[CANONICAL[G2002][a]] + [n(earlier[a]), n(own[a]), n(mean[a])] for a in range(8)] + \
        [["Totalt", n(sum(earlier)), n(sum(own)), n(sum(mean))]]
    table = Table(rows, [150, 70, 70, 80], header_rows=2, merges=[(0, 0, 1, 0), (0, 1, 0, 2), (0, 3, 1, 3)])
    return Doc("word-merged-year-header-2002" + ("-title-year-alone" if title_year_alone else ""),
               merged_years_2002.__doc__, WORD, "Eksjö", 2008, table,
               expected("Eksjö", "0686", 2008, G2002, own, mean, "medelvärde"), before=[INTRO],
               title=("Analys av Eksjö kommun", "2008") if title_year_alone else ())


def header_over_break_2020() -> Doc:
    """(c) LibreOffice: a 2020– table that starts low on the result page and goes on overleaf, its header row
    repeated (Word's 'repeat as header row'); rows are not split; names numbered '3)' and wrapping; own
    score, Sverigesnitt, a change column with signs."""
    scores = [74, 69, 81, 77, 72, 70, 79, 76]
    snitt = [63, 65, 73, 64, 61, 59, 68, 64]
    change = ["+8", "+3", "–2", "+11", "0", "+6", "+4", "–1"]
    labels = [f"{a}) {name}" for a, name in enumerate(CANONICAL[G2020], 1)]
    rows = [["Område", "Lerum 2022", "Sverigesnitt", "Förändring sedan 2018"]] + \
        [[labels[a], n(scores[a]), n(snitt[a]), change[a]] for a in range(8)] + \
        [["Totalt", n(sum(scores)), n(sum(snitt)), "+29"]]
    table = Table(rows, [150, 80, 80, 90], row_height=44.0)
    return Doc("word-header-repeated-over-break-2020", header_over_break_2020.__doc__, WORD, "Lerum", 2022, table,
               expected("Lerum", "1441", 2022, G2020, scores, snitt, "Sverigesnitt"),
               before=[INTRO, INTRO], space_before_table=330.0, pages=3)


def areas_as_columns_numbered() -> Doc:
    """(d) LibreOffice, landscape: the areas as columns headed 'Område 1' … 'Område 8' and 'Totalt', one row
    per evaluation: the municipality this year and at its last evaluation, another municipality, the median."""
    own = [71, 75, 68, 60, 66, 70, 58, 74]
    before = [64, 70, 61, 55, 60, 66, 52, 70]
    other = [62, 66, 70, 58, 61, 64, 55, 68]
    median = [60, 66, 64, 57, 58, 62, 54, 65]
    header = ["Kommun och år"] + [f"Område {a}" for a in range(1, 9)] + ["Totalt"]
    body = [[label] + [n(v) for v in values] + [n(sum(values))]
            for label, values in (("Lund 2019", own), ("Lund 2015", before), ("Eslöv 2018", other),
                                  ("Median", median))]
    widths = [110] + [56] * 8 + [64]
    comparisons = [{"kommun": "Eslöv", "kommunkod": "1285", "year": 2018, "area": a, "score": float(other[a - 1])}
                   for a in range(1, 9)]
    return Doc("word-areas-as-columns-numbered", areas_as_columns_numbered.__doc__, WORD_LANDSCAPE, "Lund", 2019,
               Table([header] + body, widths, size=10.0),
               expected("Lund", "1281", 2019, G2010, own, median, "median", comparisons), before=[INTRO])


def areas_as_columns_named_2020() -> Doc:
    """(d) LibreOffice, landscape: the 2020– names as column headers, wrapping in 70 pt columns (long compounds
    with a soft hyphen, as an author fits them: 'Kvalitets-' / 'utveckling'); a row for the municipality, one
    for the Sverigesnitt; no total."""
    own = [68, 72, 77, 70, 81, 66, 74, 71]
    snitt = [63, 65, 73, 64, 61, 59, 68, 64]
    soft = {"Samhällsutveckling": "Samhälls\u00adutveckling", "Kvalitetsutveckling": "Kvalitets\u00adutveckling",
            "förtroendevalda": "förtroende\u00advalda", "medarbetarskap": "medarbetar\u00adskap"}
    header = [""] + [" ".join(soft.get(word, word) for word in name.split()) for name in CANONICAL[G2020]]
    body = [["Falun 2023"] + [n(v) for v in own], ["Sverigesnitt"] + [n(v) for v in snitt]]
    return Doc("word-areas-as-columns-named-2020", areas_as_columns_named_2020.__doc__, WORD_LANDSCAPE, "Falun",
               2023, Table([header] + body, [90] + [70] * 8, size=9.5),
               expected("Falun", "2080", 2023, G2020, own, snitt, "Sverigesnitt", total_row=False), before=[INTRO])


def chromium_rects_2002() -> Doc:
    """(e)+(b) Chromium, HTML with border-collapse: every rule a thin filled rectangle; 2002–2009 names prefixed
    'Område 3 –' in a narrow column; a header 'Resultat' merged over the municipality and the median."""
    own = [64, 52, 58, 49, 60, 55, 45, 63]
    median = [58, 49, 55, 50, 52, 51, 43, 60]
    labels = [f"Område {a} – {name}" for a, name in enumerate(CANONICAL[G2002], 1)]
    rows = [["Område", "Resultat", ""], ["", "Härnösand 2007", "Median"]] + _area_rows(labels, own, median) + \
        [["Totalt", n(sum(own)), n(sum(median))]]
    table = Table(rows, [170, 100, 80], header_rows=2, merges=[(0, 0, 1, 0), (0, 1, 0, 2)])
    return Doc("chromium-thin-rect-rules-2002", chromium_rects_2002.__doc__, CHROMIUM, "Härnösand", 2007, table,
               expected("Härnösand", "2280", 2007, G2002, own, median, "median"), before=[INTRO])


def latex_hline_2010() -> Doc:
    """(e) pdfTeX: a tabular with \\hline and '|' rules (filled rules, no strokes), 2010–2019 names in a
    p-column wrapping to its left edge; a 'Resultat' header spanning own score and Genomsnitt (\\multicolumn)."""
    own = [70, 74, 66, 63, 61, 72, 60, 68]
    mean = [62, 69, 63, 59, 57, 63, 58, 64]
    rows = [["Område", "Resultat", ""], ["", "Umeå 2016", "Genomsnitt"]] + \
        _area_rows(list(CANONICAL[G2010]), own, mean) + [["Totalt", n(sum(own)), n(sum(mean))]]
    table = Table(rows, [120, 80, 80], header_rows=2, merges=[(0, 0, 1, 0), (0, 1, 0, 2)])
    return Doc("latex-hline-rules-2010", latex_hline_2010.__doc__, LATEX, "Umeå", 2016, table,
               expected("Umeå", "2480", 2016, G2010, own, mean, "genomsnitt"), before=[INTRO])


def html_rects_2020(producer: str) -> Doc:
    """(e) HTML with border-collapse printed by wkhtmltopdf (every rule a thin filled rectangle) or WeasyPrint
    (stroked lines): 2020– names numbered '1.' wrapping in a 140 pt column, own score and Sverigesnitt, a total
    row."""
    own = [77, 70, 74, 69, 83, 72, 76, 70]
    snitt = [63, 65, 73, 64, 61, 59, 68, 64]
    labels = [f"{a}. {name}" for a, name in enumerate(CANONICAL[G2020], 1)]
    rows = [["Område", "Alingsås 2024", "Sverigesnitt"]] + _area_rows(labels, own, snitt) + \
        [["Totalt", n(sum(own)), n(sum(snitt))]]
    return Doc(f"{producer}-rect-rules-2020", html_rects_2020.__doc__, producer, "Alingsås", 2024,
               Table(rows, [140, 90, 90]), expected("Alingsås", "1489", 2024, G2020, own, snitt, "Sverigesnitt"),
               before=[INTRO])


def merged_years_2020() -> Doc:
    """(b) LibreOffice: 2020– names numbered '1.', wrapping; 'Kommunens poäng' merged over '2016' and '2020', a
    'Median' column merged down over both header rows, a total row (the 2016 column from the earlier framework,
    as a report compares with its last evaluation)."""
    own = [72, 68, 79, 71, 75, 66, 73, 70]
    earlier = [64, 61, 70, 66, 68, 60, 65, 62]
    median = [61, 63, 70, 62, 60, 57, 66, 62]
    labels = [f"{a}. {name}" for a, name in enumerate(CANONICAL[G2020], 1)]
    rows = [["Område", "Kommunens poäng", "", "Median"], ["", "2016", "2020", ""]] + \
        [[labels[a], n(earlier[a]), n(own[a]), n(median[a])] for a in range(8)] + \
        [["Totalt", n(sum(earlier)), n(sum(own)), n(sum(median))]]
    table = Table(rows, [150, 65, 65, 75], header_rows=2, merges=[(0, 0, 1, 0), (0, 1, 0, 2), (0, 3, 1, 3)])
    return Doc("word-merged-year-header-2020", merged_years_2020.__doc__, WORD, "Kalmar", 2020, table,
               expected("Kalmar", "0880", 2020, G2020, own, median, "median"), before=[INTRO])


def shaded_rows_2010(banded: bool = True) -> Doc:
    """LibreOffice: a Word table with no borders; with `banded`, every other body row shaded (a 'banded rows'
    style: the only drawn rectangles are the shaded rows' backgrounds). 2010–2019 names numbered '1.', wrapping
    back to the cell's left edge; own score, median, a total row."""
    scores = [64, 70, 67, 61, 63, 66, 59, 72]
    medians = [61, 70, 66, 60, 55, 64, 60, 63]
    labels = [f"{a}. {name}" for a, name in enumerate(CANONICAL[G2010], 1)]
    rows = [["Område", "Borås 2017", "Median"]] + _area_rows(labels, scores, medians) + \
        [["Totalt", n(sum(scores)), n(sum(medians))]]
    return Doc("word-banded-rows-2010" if banded else "word-unruled-2010", shaded_rows_2010.__doc__, WORD, "Borås",
               2017, Table(rows, [125, 95, 80], borders=False, shaded_rows=banded),
               expected("Borås", "1490", 2017, G2010, scores, medians, "median"), before=[INTRO])


def comparison_group_2010() -> Doc:
    """(b) LibreOffice: 'Jämförelse med andra kommuner' merged over two columns 'Eslöv 2018' / 'Kävlinge 2017',
    beside the municipality's own column and 'Median', both merged down over the two header rows; 2010–2019
    names numbered '1.', wrapping; a total row."""
    own = [71, 75, 68, 60, 66, 70, 58, 74]
    eslov = [62, 66, 70, 58, 61, 64, 55, 68]
    kavlinge = [57, 63, 61, 55, 59, 60, 50, 62]
    median = [60, 66, 64, 57, 58, 62, 54, 65]
    labels = [f"{a}. {name}" for a, name in enumerate(CANONICAL[G2010], 1)]
    rows = [["Område", "Lund 2019", "Jämförelse med andra kommuner", "", "Median"],
            ["", "", "Eslöv 2018", "Kävlinge 2017", ""]] + _area_rows(labels, own, eslov, kavlinge, median) + \
        [["Totalt", n(sum(own)), n(sum(eslov)), n(sum(kavlinge)), n(sum(median))]]
    table = Table(rows, [130, 70, 75, 75, 65], header_rows=2,
                  merges=[(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)])
    comparisons = [{"kommun": kommun, "kommunkod": code, "year": year, "area": a, "score": float(scores[a - 1])}
                   for kommun, code, year, scores in (("Eslöv", "1285", 2018, eslov),
                                                      ("Kävlinge", "1261", 2017, kavlinge))
                   for a in range(1, 9)]
    return Doc("word-comparison-group-header-2010", comparison_group_2010.__doc__, WORD, "Lund", 2019, table,
               expected("Lund", "1281", 2019, G2010, own, median, "median", comparisons), before=[INTRO])


def number_column_2020() -> Doc:
    """LibreOffice: the area numbers in a narrow column of their own (no header) before the 2020– names, which
    wrap; a 'Max' column of 100s before the municipality's score; the mean with one decimal ('61,4'); a total."""
    own = [66, 71, 75, 68, 79, 64, 72, 69]
    mean = [61.4, 63.9, 71.2, 62.5, 60.8, 57.3, 66.1, 62.7]
    rows = [["", "Område", "Max", "Uppsala 2022", "Medelvärde"]] + \
        [[str(a), CANONICAL[G2020][a - 1], "100", n(own[a - 1]), n(mean[a - 1])] for a in range(1, 9)] + \
        [["", "Totalt", "800", n(sum(own)), n(round(sum(mean), 1))]]
    return Doc("word-number-column-2020", number_column_2020.__doc__, WORD, "Uppsala", 2022,
               Table(rows, [22, 120, 45, 85, 80], numeric_from=2),
               expected("Uppsala", "0380", 2022, G2020, own, mean, "medelvärde"), before=[INTRO])


def over_break_no_repeat_2002() -> Doc:
    """LibreOffice: a 2002–2009 table that starts low on the result page and goes on overleaf WITHOUT its header
    row (not marked 'repeat as header row'); unnumbered names wrapping; own score, median, a total row."""
    own = [58, 62, 55, 60, 49, 57, 52, 61]
    median = [55, 57, 54, 56, 50, 53, 50, 58]
    rows = [["Område", "Sigtuna 2004", "Median"]] + _area_rows(list(CANONICAL[G2002]), own, median) + \
        [["Totalt", n(sum(own)), n(sum(median))]]
    table = Table(rows, [160, 90, 80], row_height=44.0, repeat_header=False)
    return Doc("word-over-break-no-repeated-header-2002", over_break_no_repeat_2002.__doc__, WORD, "Sigtuna", 2004,
               table, expected("Sigtuna", "0191", 2004, G2002, own, median, "median"), before=[INTRO, INTRO],
               space_before_table=330.0, pages=3)


def areas_as_columns_years_2010() -> Doc:
    """LibreOffice, landscape: the 2010–2019 names as column headers (wrapping), a 'Totalt' column, one row per
    evaluation year of the municipality ('2012', '2015', '2018') and a row 'Median 2018'; a double rule under
    the header row."""
    years = {2012: [55, 60, 52, 50, 48, 57, 45, 59], 2015: [61, 66, 58, 55, 53, 62, 50, 64],
             2018: [67, 72, 63, 61, 58, 69, 56, 70]}
    median = [60, 66, 64, 57, 58, 62, 54, 65]
    soft = {"Tillgänglighet": "Tillgäng\u00adlighet", "brukarorientering": "brukar\u00adorientering",
            "Verksamhetsutveckling": "Verksamhets\u00adutveckling", "samhällsbyggare": "samhälls\u00adbyggare"}
    names = [" ".join(soft.get(word, word) for word in name.split()) for name in CANONICAL[G2010]]
    header = ["År"] + names + ["Totalt"]
    body = [[str(year)] + [n(v) for v in values] + [n(sum(values))] for year, values in years.items()]
    body.append(["Median 2018"] + [n(v) for v in median] + [n(sum(median))])
    return Doc("word-areas-as-columns-years-2010", areas_as_columns_years_2010.__doc__, WORD_LANDSCAPE, "Kalmar",
               2018, Table([header] + body, [70] + [72] * 8 + [50], size=9.0, double_under_header=True),
               expected("Kalmar", "0880", 2018, G2010, years[2018], median, "median"), before=[INTRO])


def horizontal_rules_2020() -> Doc:
    """LibreOffice: a table ruled only horizontally (over and under it and between the rows, no vertical rule,
    as modern report templates draw tables); 2020– names numbered '1.' wrapping back to the cell's left edge;
    own score, Sverigesnitt, a total row."""
    own = [70, 73, 78, 66, 80, 68, 75, 72]
    snitt = [63, 65, 73, 64, 61, 59, 68, 64]
    labels = [f"{a}. {name}" for a, name in enumerate(CANONICAL[G2020], 1)]
    rows = [["Område", "Umeå 2021", "Sverigesnitt"]] + _area_rows(labels, own, snitt) + \
        [["Totalt", n(sum(own)), n(sum(snitt))]]
    return Doc("word-horizontal-rules-only-2020", horizontal_rules_2020.__doc__, WORD, "Umeå", 2021,
               Table(rows, [140, 90, 90], horizontal_only=True),
               expected("Umeå", "2480", 2021, G2020, own, snitt, "Sverigesnitt"), before=[INTRO])


def total_row_overleaf_2010() -> Doc:
    """LibreOffice: a 2010–2019 table whose eight area rows fill the result page and whose total row goes on
    overleaf under the repeated header row (as the real report's Tabell 1 can break); names numbered '1.'
    wrapping; own score, median."""
    own = [69, 74, 70, 65, 62, 71, 66, 73]
    median = [61, 70, 66, 60, 55, 64, 60, 63]
    labels = [f"{a}. {name}" for a, name in enumerate(CANONICAL[G2010], 1)]
    rows = [["Område", "Nacka 2016", "Median"]] + _area_rows(labels, own, median) + \
        [["Totalt", n(sum(own)), n(sum(median))]]
    return Doc("word-total-row-overleaf-2010", total_row_overleaf_2010.__doc__, WORD, "Nacka", 2016,
               Table(rows, [140, 90, 90], row_height=44.0),
               expected("Nacka", "0182", 2016, G2010, own, median, "median"), before=[INTRO],
               space_before_table=TOTAL_OVERLEAF_SPACE, pages=3)


TOTAL_OVERLEAF_SPACE = 230.0  # points: LibreOffice 7.4 breaks before the total row from about 205 to 255


def chromium_areas_as_columns_grouped_2002() -> Doc:
    """(d)+(b)+(e) Chromium, landscape, border-collapse rules (thin filled rectangles): the areas as columns under
    a header 'Område' merged over eight columns numbered '1' … '8', 'Kommun' and 'Totalt' merged down over both
    header rows; a row for the municipality and one for the mean."""
    own = [63, 55, 61, 52, 58, 56, 49, 60]
    mean = [54, 45, 57, 52, 47, 53, 44, 56]
    header = [["Kommun", "Område"] + [""] * 7 + ["Totalt"], [""] + [str(a) for a in range(1, 9)] + [""]]
    body = [["Gävle 2008"] + [n(v) for v in own] + [n(sum(own))],
            ["Medelvärde"] + [n(v) for v in mean] + [n(sum(mean))]]
    table = Table(header + body, [110] + [48] * 8 + [60], header_rows=2,
                  merges=[(0, 0, 1, 0), (0, 1, 0, 8), (0, 9, 1, 9)])
    return Doc("chromium-areas-as-columns-grouped-2002", chromium_areas_as_columns_grouped_2002.__doc__, CHROMIUM,
               "Gävle", 2008, table, expected("Gävle", "2180", 2008, G2002, own, mean, "medelvärde"),
               before=[INTRO], landscape=True)


def latex_booktabs_2020() -> Doc:
    """pdfTeX with booktabs: \\toprule, \\midrule under the header, \\bottomrule, no vertical rule; 2020– names
    numbered '1.' in a p-column, wrapping to its left edge; own score and Sverigesnitt; a total row."""
    own = [71, 67, 76, 72, 78, 65, 70, 74]
    snitt = [63, 65, 73, 64, 61, 59, 68, 64]
    labels = [f"{a}. {name}" for a, name in enumerate(CANONICAL[G2020], 1)]
    rows = [["Område", "Lerum 2024", "Sverigesnitt"]] + _area_rows(labels, own, snitt) + \
        [["Totalt", n(sum(own)), n(sum(snitt))]]
    return Doc("latex-booktabs-2020", latex_booktabs_2020.__doc__, LATEX, "Lerum", 2024,
               Table(rows, [130, 80, 80], horizontal_only=True),
               expected("Lerum", "1441", 2024, G2020, own, snitt, "Sverigesnitt"), before=[INTRO])


def chromium_unruled_2002() -> Doc:
    """Chromium, an HTML table without borders (a browser print of a web page): 2002–2009 names numbered '1.'
    wrapping to the cell's left edge in a 150 pt column; own score and median; a total row."""
    own = [57, 61, 54, 59, 50, 58, 51, 60]
    median = [55, 57, 54, 56, 50, 53, 50, 58]
    labels = [f"{a}. {name}" for a, name in enumerate(CANONICAL[G2002], 1)]
    rows = [["Område", "Umeå 2006", "Median"]] + _area_rows(labels, own, median) + \
        [["Totalt", n(sum(own)), n(sum(median))]]
    return Doc("chromium-unruled-2002", chromium_unruled_2002.__doc__, CHROMIUM, "Umeå", 2006,
               Table(rows, [150, 80, 70], borders=False),
               expected("Umeå", "2480", 2006, G2002, own, median, "median"), before=[INTRO])


def unseen_wording(generation: str, kommun: str, kommunkod: str, year: int) -> Doc:
    """LibreOffice: a ruled table whose area labels are the test side's unseen wordings (tests/tables/
    unseen_wording.py, not in vocabulary.yml), numbered '1.' and wrapping in a 145 pt column."""
    scores = [61, 67, 72, 58, 65, 70, 63, 66]
    medians = [58, 62, 68, 57, 60, 64, 60, 61]
    labels = [f"{a}. {name}" for a, name in enumerate(UNSEEN_AREA_NAMES[generation], 1)]
    rows = [["Område", f"{kommun} {year}", "Median"]] + _area_rows(labels, scores, medians)
    return Doc(f"word-unseen-wording-{generation[:4]}", unseen_wording.__doc__, WORD, kommun, year,
               Table(rows, [145, 95, 80]),
               expected(kommun, kommunkod, year, generation, scores, medians, "median", total_row=False),
               before=[INTRO])


def title_year_own_line() -> Doc:
    """LibreOffice: the title page names the municipality on one line and the year alone on the next
    ('Analys av Sigtuna kommun' / '2013', as orebro-2012 in ../shared/external); the table's header says
    'Poäng', so the year is written nowhere else. A ruled table with wrapped 2010–2019 labels."""
    scores = [63, 71, 60, 66, 59, 68, 62, 70]
    medians = [61, 70, 66, 60, 55, 64, 60, 63]
    rows = [["Område", "Poäng", "Median"]] + _area_rows(list(CANONICAL[G2010]), scores, medians) + \
        [["Totalt", n(sum(scores)), n(sum(medians))]]
    return Doc("word-title-year-own-line", title_year_own_line.__doc__, WORD, "Sigtuna", 2013,
               Table(rows, [130, 70, 70]), expected("Sigtuna", "0191", 2013, G2010, scores, medians, "median"),
               before=[INTRO], title=("Analys av Sigtuna kommun", "2013"))


def all_documents() -> dict[str, Doc]:
    docs = [wrapped_labels_2010(), merged_years_2002(), header_over_break_2020(), areas_as_columns_numbered(),
            areas_as_columns_named_2020(), chromium_rects_2002(), latex_hline_2010(),
            unseen_wording(G2002, "Kalmar", "0880", 2006), unseen_wording(G2010, "Borås", "1490", 2012),
            unseen_wording(G2020, "Nacka", "0182", 2021), title_year_own_line(), html_rects_2020(WKHTMLTOPDF),
            html_rects_2020(WEASYPRINT), merged_years_2020(), shaded_rows_2010(), shaded_rows_2010(banded=False),
            comparison_group_2010(), number_column_2020(), over_break_no_repeat_2002(),
            areas_as_columns_years_2010(), horizontal_rules_2020(), total_row_overleaf_2010(),
            chromium_areas_as_columns_grouped_2002(), merged_years_2002(title_year_alone=True), latex_booktabs_2020(),
            chromium_unruled_2002()]
    return {doc.name: doc for doc in docs}


DOCUMENTS = all_documents()
