"""The score tables of a synthetic report, drawn per layout family."""
from __future__ import annotations

from itertools import zip_longest
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from tests.synthetic.hyphenated import HyphenatedParagraph
from tests.synthetic.layouts import LayoutSettings
from tests.synthetic.spec import SUMMARY_ONLY, ReportSpec, percent_of, swedish_number

SHADE = colors.Color(0.88, 0.91, 0.95)
HEAD_SHADE = colors.Color(0.75, 0.82, 0.90)


def reference_header(kind: str) -> str:
    from tests.synthetic.wording import reference_header_for

    return reference_header_for(kind)


def cell_style(settings: LayoutSettings, bold: bool = False, size: float | None = None) -> ParagraphStyle:
    size = size or settings.size - 1
    return ParagraphStyle("cell", fontName=settings.bold_font if bold else settings.font,
                          fontSize=size, leading=size * 1.2)


def cell(text: str, settings: LayoutSettings, bold: bool = False, size: float | None = None) -> Flowable:
    """A wrapping table cell; hyphenated in layouts that hyphenate."""
    style = cell_style(settings, bold, size)
    if settings.hyphenate and not bold:
        return HyphenatedParagraph(text, style.fontName, style.fontSize, style.leading, space_after=0, justify=False)
    return Paragraph(escape(text), style)


def table_style(settings: LayoutSettings, header_rows: int = 1, bold_rows: tuple[int, ...] = ()) -> TableStyle:
    """Ruling and shading of one table, following the layout's rule style."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), settings.font, settings.size - 1),
        ("VALIGN", (0, 0), (-1, -1), settings.valign),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for row in range(header_rows):
        commands.append(("FONT", (0, row), (-1, row), settings.bold_font, settings.size - 1))
    for row in bold_rows:
        commands.append(("FONT", (0, row), (-1, row), settings.bold_font, settings.size - 1))
    if settings.rules == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif settings.rules == "horizontal":
        commands += [("LINEABOVE", (0, 0), (-1, 0), 1, colors.black),
                     ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.5, colors.black),
                     ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black)]
    elif settings.rules == "shaded":
        commands += [("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, SHADE]),
                     ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_SHADE)]
    return TableStyle(commands)


def area_summary(spec: ReportSpec, settings: LayoutSettings, width: float) -> Table:
    """"Tabell 1": the municipality's score per area beside the reference value (and the change since
    the previous evaluation, if the report has one); the header and total row in the report's wording."""
    from tests.synthetic.summary_only import area_table

    table = area_table(spec)
    narrow = spec.form == SUMMARY_ONLY
    rows = [[cell(text, settings, True) for text in table.header]]
    rows += [[cell(row[0], settings)] + row[1:] for row in table.rows]
    rows.append(table.total)
    name = 0.4 if len(table.header) == 4 else 0.45
    if narrow:  # narrow enough to wrap the names, wide enough for their longest word
        name = max(0.22, _longest_word(table.rows, settings) / width)
    if len(table.header) == 4:
        widths = [width * name] + [width * 0.18] * 3
    else:
        widths = [width * name, width * 0.2, width * 0.35]
    style = table_style(settings)
    if narrow:  # names wrap over lines; the numbers sit on the last one
        style.add("VALIGN", (0, 1), (-1, -1), "BOTTOM")
    return Table(rows, colWidths=widths, style=style, hAlign="LEFT")


def _longest_word(rows: list[list[str]], settings: LayoutSettings) -> float:
    """Width of the longest word of the row names in the cell font, with the cell's padding."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    style = cell_style(settings)
    return max(stringWidth(word, style.fontName, style.fontSize) for row in rows for word in row[0].split()) + 14


def fitting_size(texts: list[str], font: str, size: float, width: float) -> float:
    """The largest size ≤ `size` at which every word of `texts` fits `width` (words never break)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    longest = max((word for text in texts for word in text.split()), key=lambda w: stringWidth(w, font, size))
    while size > 5 and stringWidth(longest, font, size) > width:
        size -= 0.25
    return size


def comparison_rows(spec: ReportSpec, settings: LayoutSettings, column_width: float) -> list[list]:
    """Criterion rows 1–8 and Totalt; one column per municipality, the report's own first."""
    names = [spec.kommun] + [c.kommun for c in spec.comparisons]
    small = fitting_size(names, settings.bold_font, settings.size - 2, column_width - 14)  # 6 pt padding a side
    header = [cell("Kriterium", settings, True, small), cell(f"{spec.kommun} {spec.year}", settings, True, small)]
    header += [cell(f"{c.kommun} {c.year}", settings, True, small) for c in spec.comparisons]
    rows = [header]
    for n in range(1, 9):
        own = swedish_number(spec.areas[n - 1].score)
        rows.append([str(n), own] + [swedish_number(c.scores[n - 1]) for c in spec.comparisons])
    rows.append(["Totalt", swedish_number(spec.total)] + [swedish_number(c.total) for c in spec.comparisons])
    return rows


def comparison_tables(spec: ReportSpec, settings: LayoutSettings, width: float) -> list[Table]:
    """"Tabell 2"; split in two after criterion 5 in the `columns_split` style (no repeated header)."""
    if settings.comparison == "transposed":
        return [_transposed_comparison(spec, settings, width)]
    first = 48
    column = (width - first) / (len(spec.comparisons) + 1)
    rows = comparison_rows(spec, settings, column)
    widths = [first] + [column] * (len(rows[0]) - 1)
    if settings.comparison == "columns_split":
        first, rest = rows[:6], rows[6:]
        return [Table(first, colWidths=widths, style=table_style(settings), hAlign="LEFT"),
                Table(rest, colWidths=widths, style=table_style(settings, header_rows=0), hAlign="LEFT")]
    return [Table(rows, colWidths=widths, style=table_style(settings), hAlign="LEFT")]


def _transposed_comparison(spec: ReportSpec, settings: LayoutSettings, width: float) -> Table:
    header = ["Kommun", "År"] + [str(n) for n in range(1, 9)] + ["Totalt"]
    rows = [header, [spec.kommun, str(spec.year)] + [swedish_number(a.score) for a in spec.areas]
            + [swedish_number(spec.total)]]
    for c in spec.comparisons:
        rows.append([c.kommun, str(c.year)] + [swedish_number(s) for s in c.scores] + [swedish_number(c.total)])
    name_width = width * 0.22
    rest = (width - name_width) / 10
    return Table(rows, colWidths=[name_width] + [rest] * 10, style=table_style(settings), hAlign="LEFT")


def _question_cells(question, settings: LayoutSettings) -> list:
    return [question.id, cell(question.text, settings), str(question.max_points),
            swedish_number(question.points), settings.percent_format.format(question.percent)]


def summary_side_by_side(spec: ReportSpec, settings: LayoutSettings, width: float) -> list[Table]:
    """Two areas per block, one table for areas 1–4 and one for 5–8 (the seed's layout)."""
    text_width = width / 2 - 24 - 3 * 36
    widths = [24, text_width, 36, 36, 36] * 2
    tables = []
    for block in ((0, 1, 2, 3), (4, 5, 6, 7)):
        header = ["", "", "max- poäng", "egna poäng", "%", "", "", "Max- poäng", "egna poäng", "%"]
        rows: list[list] = [[cell(h, settings, True, settings.size - 2.5) if h else "" for h in header]]
        for left_index, right_index in ((block[0], block[1]), (block[2], block[3])):
            left, right = spec.areas[left_index], spec.areas[right_index]
            rows.append([str(left.number), cell(left.summary_name, settings), "", "", "",
                         str(right.number), cell(right.summary_name, settings), "", "", ""])
            for lq, rq in zip_longest(left.questions, right.questions):
                rows.append((_question_cells(lq, settings) if lq else [""] * 5)
                            + (_question_cells(rq, settings) if rq else [""] * 5))
        tables.append(Table(rows, colWidths=widths, style=table_style(settings), hAlign="LEFT"))
    return tables


def summary_stacked(spec: ReportSpec, settings: LayoutSettings, width: float, totals: bool = False) -> list[Table]:
    """One long table: an area row, then its questions (and a "Summa" row with `totals`); splits over
    pages with the header repeated."""
    w = spec.wording
    rows: list[list] = [["Nr" if totals else "Delfråga", "Delfråga" if totals else "", w.max_header, w.points_header,
                         w.percent_header]]
    bold_rows = []
    for area in spec.areas:
        bold_rows.append(len(rows))
        rows.append([str(area.number), cell(area.summary_name, settings, True), "", "", ""])
        rows += [_question_cells(q, settings) for q in area.questions]
        if totals:
            bold_rows.append(len(rows))
            rows.append(["", w.sum_label, "100", swedish_number(area.score),
                         settings.percent_format.format(percent_of(area.score, 100))])
    widths = [30, 80 * mm, 42, 42, 52] if totals else [34, width - 34 - 3 * 48, 48, 48, 48]
    return [Table(rows, colWidths=widths, repeatRows=1, style=table_style(settings, bold_rows=tuple(bold_rows)),
                  hAlign="LEFT")]


def summary_with_totals(spec: ReportSpec, settings: LayoutSettings, width: float) -> list[Table]:
    """Points and percent ("65 %") columns, a "Summa" row after each area, cells centred vertically."""
    return summary_stacked(spec, settings, width, totals=True)


def summary_per_area(spec: ReportSpec, settings: LayoutSettings, area, width: float) -> Table:
    """One small table per area with a narrow, wrapping (and hyphenated) question column."""
    rows: list[list] = [["Nr", "Delfråga", "Maxpoäng", "Poäng", "Andel"]]
    rows += [_question_cells(q, settings) for q in area.questions]
    widths = [26, 58 * mm, 50, 40, 40]
    return Table(rows, colWidths=widths, style=table_style(settings), hAlign="LEFT")
