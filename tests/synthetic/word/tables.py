"""The score tables of a Word-made report: Word tables (borders, merged cells, repeated header
rows) in the classic layout, borderless tables and tabbed lines in the plain one."""
from __future__ import annotations

from itertools import zip_longest

from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from tests.synthetic.spec import swedish_number
from tests.synthetic.word import fonts, ooxml

TABLE2_ROW_HEIGHT = 22.0  # points, exact: lets the generator place the page break inside Tabell 2
TABLE2_ROWS_BEFORE_BREAK = 5


ALIGNMENTS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
              "center": WD_ALIGN_PARAGRAPH.CENTER}


def _fill(cell, text: str, size: float, bold: bool = False, align: str = "left") -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.alignment = ALIGNMENTS[align]


def _table(w, rows: list[list[str]], widths: list[float], header_rows: int = 1, size: float | None = None,
           numeric: frozenset[int] | None = None):
    """A table of text rows; bordered in the classic layouts, header rows bold; the `numeric`
    columns (default: all but the first) aligned as the layout aligns numbers."""
    size = size or w.layout.size - 1
    table = w.document.add_table(rows=len(rows), cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    ooxml.set_column_widths(table, widths)
    if w.layout.bullets == "numbering":  # the classic layout rules its tables
        ooxml.set_table_borders(table)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            is_number = (c in numeric if numeric is not None else c > 0) and r >= header_rows
            _fill(table.cell(r, c), value, size, bold=r < header_rows,
                  align=w.layout.number_align if is_number else "left")
    for r in range(header_rows):
        ooxml.repeat_as_header(table.rows[r])
    return table


def small_table(w, rows: list[list[str]]) -> None:
    """A two-column table inside the prose (the seat distribution)."""
    _table(w, rows, [w.text_width * 0.5, w.text_width * 0.15], header_rows=0)
    w.document.add_paragraph()


def _reference_header(w) -> str:
    """The report's own reference header; in seed wording, the layout's (a fixture's forced wording)."""
    return w.spec.wording.reference_header or w.layout.reference_header or w.spec.reference_header


def area_summary(w) -> None:
    """"Tabell 1": score per area beside the reference value."""
    from tests.synthetic.summary_only import area_table

    spec = w.spec
    if spec.wording.area_caption:
        w.para(spec.words(spec.wording.area_caption), bold=True)
    table = area_table(spec)
    header = table.header[:]
    header[header.index(spec.words(spec.reference_header))] = _reference_header(w)
    rows = [header] + table.rows + [table.total]
    width = w.text_width
    if spec.form == "summary-only" or len(header) != 3:  # a narrow name column wraps the names
        widths = [width * 0.3] + [width * 0.7 / (len(header) - 1)] * (len(header) - 1)
    else:
        widths = [width * 0.5, width * 0.2, width * 0.3]
    _table(w, rows, widths)
    w.document.add_paragraph()


def comparison(w) -> None:
    """"Tabell 2": criteria 1–8 and Totalt, one column per municipality; in layouts with
    `break_table2` it starts low on a new page so it continues overleaf under a repeated header."""
    spec = w.spec
    count = len(spec.comparisons)
    header = ["Kriterium", f"{spec.kommun} {spec.year}"] + [f"{c.kommun} {c.year}" for c in spec.comparisons]
    rows = [header]
    for n in range(1, 9):
        rows.append([str(n), swedish_number(spec.areas[n - 1].score)]
                    + [swedish_number(c.scores[n - 1]) for c in spec.comparisons])
    rows.append(["Totalt", swedish_number(spec.total)] + [swedish_number(c.total) for c in spec.comparisons])
    if w.layout.break_table2:  # noqa: SIM102
        w.page_break()
        body = 297 / 25.4 * 72 - 2 * 25 / 25.4 * 72
        w.blank_space(body - 3 * w.layout.size * 1.2 - (TABLE2_ROWS_BEFORE_BREAK + 2) * TABLE2_ROW_HEIGHT)
    w.para(spec.words(spec.wording.comparison_caption), bold=True)
    first = 60.0
    column = (w.text_width - first) / (count + 1)
    table = _table(w, rows, [first] + [column] * (count + 1), size=w.layout.size - 1.5)
    if w.layout.break_table2:
        for row in table.rows:
            row.height, row.height_rule = Pt(TABLE2_ROW_HEIGHT), WD_ROW_HEIGHT_RULE.EXACTLY
            ooxml.keep_row_together(row)
        table.rows[0].height = Pt(2 * TABLE2_ROW_HEIGHT)
    w.document.add_paragraph()


def _question_values(question, percent_format: str) -> list[str]:
    return [question.id, question.text, str(question.max_points), swedish_number(question.points),
            percent_format.format(question.percent)]


def summary_side_by_side(w) -> None:
    """One landscape table, two areas per row block; each area's name row is one merged cell."""
    spec = w.spec
    half = w.text_width / 2
    widths = [26, half - 26 - 3 * 38, 38, 38, 38] * 2
    rows = [["", "", "max- poäng", "egna poäng", "%", "", "", "Max- poäng", "egna poäng", "%"]]
    name_rows = []
    for left, right in zip(spec.areas[0::2], spec.areas[1::2]):
        name_rows.append(len(rows))
        rows.append([str(left.number), left.summary_name, "", "", "", str(right.number), right.summary_name, "", "", ""])
        for lq, rq in zip_longest(left.questions, right.questions):
            rows.append((_question_values(lq, "{}%") if lq else [""] * 5)
                        + (_question_values(rq, "{}%") if rq else [""] * 5))
    table = _table(w, rows, widths, size=w.layout.size - 2, numeric=frozenset({2, 3, 4, 7, 8, 9}))
    for r in name_rows:
        for start in (1, 6):
            merged = table.cell(r, start).merge(table.cell(r, start + 3))
            for paragraph in merged.paragraphs[1:]:  # merging keeps each cell's (empty) paragraph
                paragraph._p.getparent().remove(paragraph._p)
            for run in merged.paragraphs[0].runs:
                run.bold = True
        for c in (0, 5):
            ooxml.shade(table.cell(r, c), "DCE6F1")
            table.cell(r, c).paragraphs[0].runs[0].bold = True
    for r in range(1, len(rows)):
        ooxml.keep_row_together(table.rows[r])


def summary_tab_lines(w) -> None:
    """No table: "1.1<TAB>question<TAB>40<TAB>26<TAB>65 %" lines with a hanging indent and right
    tab stops at the margin; a long question wraps to the margin and its numbers follow its last line."""
    width = w.text_width
    stops = [width - 90, width - 45, width]
    number_column = 28.0
    size = w.layout.size - 1

    def line(text: str, bold: bool = False):
        """One tabbed line; the text before the numbers is broken by hand (Shift+Enter) where it
        would run into the number columns, as an author tidying a tabbed list does."""
        paragraph = w.document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.first_line_indent = Pt(number_column), Pt(-number_column)
        fmt.space_after = Pt(3)
        ooxml.add_left_tab_stops(paragraph, [number_column])
        ooxml.add_right_tab_stops(paragraph, stops)
        cells = text.split("\t")
        room = stops[0] - number_column - 2 * fonts.text_width("100", w.layout.font, size)
        pieces = fonts.wrap(cells[1], w.layout.font, size, room) if len(cells) > 1 else []
        for index, piece in enumerate([cells[0] + "\t" + pieces[0]] + pieces[1:] if pieces else [cells[0]]):
            run = paragraph.add_run(piece)
            run.bold, run.font.size = bold, Pt(size)
            if index < len(pieces) - 1:
                run.add_break()
        if len(cells) > 2:
            run = paragraph.add_run("\t" + "\t".join(cells[2:]))
            run.bold, run.font.size = bold, Pt(size)
        return paragraph

    line("Nr\tDelfråga\tMax\tPoäng\tProcent", bold=True)
    for area in w.spec.areas:
        line(f"{area.number}\t{area.summary_name}", bold=True).paragraph_format.space_before = Pt(8)
        for question in area.questions:
            line("\t".join(_question_values(question, "{} %")))
