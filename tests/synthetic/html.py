"""A `ReportSpec` as a semantic HTML page (h1/h2, ul/li, tables), in a few CSS styles.

This is what a report looks like when it was written for the web or in a tool that exports HTML and
then printed to PDF by a browser (Chromium, wkhtmltopdf) or WeasyPrint: list bullets are drawn by the
engine (Chromium draws them as shapes, not characters), tables are HTML tables, headers and footers
are the engine's own or none.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from tests.synthetic.seedtext import HEADING, PARAGRAPH, TABLE, TABLE1, TABLE2, Block, with_lists
from tests.synthetic.spec import SUMMARY_ONLY, ReportSpec, swedish_number

BULLETS = ("disc", "square", "dash_marker", "text_before", "circle")
RULES = ("grid", "none", "horizontal")
FINDINGS = ("lists", "two_column_table")
SUMMARIES = ("per_area", "one_table")


@dataclass(frozen=True)
class HtmlStyle:
    """How one HTML style draws a report (validated)."""

    name: str
    font: str  # a CSS font-family list
    size: float  # body text in pt
    bullets: str  # see BULLETS: "disc"/"square"/"circle" are drawn shapes; the others are text
    rules: str  # table ruling
    findings: str  # strengths and improvements as two lists, or as a two-column table
    summary: str  # score summary: a table per area or one table
    margin_mm: float = 20
    percent: str = "{}%"
    sum_rows: bool = False  # a sum row after each area in the score summary
    numbers_right: bool = True
    name_column: str = "45%"  # width of the area table's name column
    extra_css: str = ""

    def __post_init__(self):
        for value, allowed, label in ((self.bullets, BULLETS, "bullets"), (self.rules, RULES, "rules"),
                                      (self.findings, FINDINGS, "findings"), (self.summary, SUMMARIES, "summary")):
            if value not in allowed:
                raise ValueError(f"{label}={value!r}: choose one of {', '.join(allowed)}")


HTML_STYLES: dict[str, HtmlStyle] = {s.name: s for s in (
    HtmlStyle("web-sans", '"Liberation Sans", Arial, "DejaVu Sans", sans-serif', 10.5, "disc", "grid", "lists",
              "per_area"),
    HtmlStyle("web-serif", '"Liberation Serif", "Times New Roman", "DejaVu Serif", serif', 11, "square", "horizontal",
              "two_column_table", "one_table", margin_mm=25, percent="{} %", sum_rows=True),
    HtmlStyle("web-dash", '"DejaVu Sans", Verdana, sans-serif', 9.5, "dash_marker", "none", "lists", "one_table",
              margin_mm=18, numbers_right=False, name_column="32%"),
    HtmlStyle("web-plain", '"DejaVu Serif", Georgia, serif', 10, "text_before", "grid", "lists", "per_area",
              margin_mm=22, sum_rows=True, name_column="28%"),
    HtmlStyle("web-circle", '"Liberation Sans", Helvetica, sans-serif', 10, "circle", "horizontal",
              "two_column_table", "per_area", percent="{} %"),
)}

_BULLET_CSS = {
    "disc": "ul { list-style-type: disc; }",
    "square": "ul { list-style-type: square; }",
    "circle": "ul { list-style-type: circle; }",
    "dash_marker": 'ul { list-style-type: "– "; }',  # a string marker: text, not a drawn shape
    "text_before": 'ul { list-style: none; padding-left: 1.4em; } '
                   'li::before { content: "•"; display: inline-block; width: 1.2em; margin-left: -1.2em; }',
}
_RULES_CSS = {
    "grid": "table.data td, table.data th { border: 0.6pt solid #000; }",
    "none": "",
    "horizontal": "table.data { border-top: 1pt solid #000; border-bottom: 1pt solid #000; } "
                  "table.data th { border-bottom: 0.6pt solid #000; }",
}


def stylesheet(style: HtmlStyle) -> str:
    number_align = "right" if style.numbers_right else "left"
    return f"""
@page {{ size: A4; margin: {style.margin_mm}mm; }}
body {{ font-family: {style.font}; font-size: {style.size}pt; line-height: 1.3; }}
h1 {{ font-size: 1.6em; color: #365f91; margin: 0.8em 0 0.4em; }}
h1.chapter {{ break-before: page; page-break-before: always; }}
h2 {{ font-size: 1.3em; color: #365f91; margin: 0.8em 0 0.3em; }}
h3 {{ font-size: 1.1em; margin: 0.7em 0 0.2em; }}
h4 {{ font-size: 1em; margin: 0.5em 0 0.2em; }}
p {{ margin: 0 0 0.5em; }}
ul {{ margin: 0.2em 0 0.5em; padding-left: 1.6em; }}
li {{ margin: 0.1em 0; }}
table {{ border-collapse: collapse; margin: 0.4em 0 0.8em; }}
td, th {{ padding: 2pt 5pt; text-align: left; vertical-align: top; }}
table.data td.n {{ text-align: {number_align}; white-space: nowrap; }}
table.narrow td {{ vertical-align: bottom; }}
table.findings {{ width: 100%; table-layout: fixed; }}
table.findings td, table.findings th {{ width: 50%; vertical-align: top; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
.caption {{ font-weight: bold; margin-top: 0.8em; }}
.title {{ margin-top: 30mm; }}
.title .name {{ font-size: 28pt; font-weight: bold; }}
{_BULLET_CSS[style.bullets]}
{_RULES_CSS[style.rules]}
{style.extra_css}
"""


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{escape(text)}</p>"


def _ul(items: list[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _row(cells: list[str], header: bool = False, numeric_from: int = 1, cls: str = "") -> str:
    tag = "th" if header else "td"
    out = []
    for index, text in enumerate(cells):
        klass = ' class="n"' if index >= numeric_from and not header else ""
        out.append(f"<{tag}{klass}>{escape(text)}</{tag}>")
    attr = f' class="{cls}"' if cls else ""
    return f"<tr{attr}>" + "".join(out) + "</tr>"


def area_table_html(spec: ReportSpec, style: HtmlStyle) -> str:
    from tests.synthetic.summary_only import area_table

    table = area_table(spec)
    caption = spec.words(spec.wording.area_caption)
    narrow = spec.form == SUMMARY_ONLY
    classes = "data narrow" if narrow else "data"
    width = style.name_column if narrow else "45%"
    head = _row(table.header, header=True).replace("<th>", f'<th style="width:{width}">', 1)
    body = "".join(_row(row) for row in table.rows) + _row(table.total, cls="total")
    return ((_p(caption, "caption") if caption else "")
            + f'<table class="{classes}"><thead>{head}</thead><tbody>{body}</tbody></table>')


def comparison_html(spec: ReportSpec) -> str:
    header = ["Kriterium", f"{spec.kommun} {spec.year}"] + [f"{c.kommun} {c.year}" for c in spec.comparisons]
    rows = [[str(n), swedish_number(spec.areas[n - 1].score)] + [swedish_number(c.scores[n - 1])
                                                                  for c in spec.comparisons] for n in range(1, 9)]
    rows.append(["Totalt", swedish_number(spec.total)] + [swedish_number(c.total) for c in spec.comparisons])
    return (_p(spec.words(spec.wording.comparison_caption), "caption") + '<table class="data"><thead>'
            + _row(header, header=True) + "</thead><tbody>" + "".join(_row(r) for r in rows) + "</tbody></table>")


def blocks_html(blocks: list[Block], spec: ReportSpec, style: HtmlStyle) -> str:
    out: list[str] = []
    for block in with_lists(blocks):
        if isinstance(block, list):
            out.append(_ul(block))
        elif block.kind == HEADING:
            out.append(f"<h3>{escape(block.text)}</h3>")
        elif block.kind == PARAGRAPH and block.text:
            out.append(_p(block.text))
        elif block.kind == TABLE:
            out.append('<table class="plain">' + "".join(_row(r) for r in block.rows) + "</table>")
        elif block.kind == TABLE1:
            out.append(area_table_html(spec, style))
        elif block.kind == TABLE2 and spec.has_comparison_table and spec.comparisons:
            out.append(comparison_html(spec))
    return "\n".join(out)


def findings_html(spec: ReportSpec, area, style: HtmlStyle) -> str:
    w = spec.wording
    heading = f"<h3>{escape(spec.words(w.findings_heading, number=area.number))}</h3>"
    if style.findings == "two_column_table":
        return (heading + '<table class="findings"><thead><tr>'
                f"<th>{escape(w.strengths)}</th><th>{escape(w.improvements)}</th></tr></thead><tbody><tr>"
                f"<td>{_ul(area.strengths)}</td><td>{_ul(area.improvements)}</td></tr></tbody></table>")
    return (heading + f"<h4>{escape(w.strengths)}</h4>" + _ul(area.strengths)
            + f"<h4>{escape(w.improvements)}</h4>" + _ul(area.improvements))


def _question_row(q, style: HtmlStyle) -> list[str]:
    return [q.id, q.text, str(q.max_points), swedish_number(q.points), style.percent.format(q.percent)]


def summary_html(spec: ReportSpec, style: HtmlStyle) -> str:
    from tests.synthetic.spec import percent_of

    w = spec.wording
    header = ["Nr", "Delfråga", w.max_header, w.points_header, w.percent_header]
    out = [f'<h1 class="chapter">4. {escape(spec.summary_heading)}</h1>', "<h3>Kommunens resultat per område</h3>",
           _p("Nedan följer en redovisning av poäng på varje delfråga. Den sammanlagda poängen på varje "
              "huvudområde är 100 möjliga.")]
    rows: list[str] = []
    for area in spec.areas:
        area_rows = [_row(_question_row(q, style), numeric_from=2) for q in area.questions]
        if style.sum_rows:
            area_rows.append(_row(["", w.sum_label, "100", swedish_number(area.score),
                                   style.percent.format(percent_of(area.score, 100))], numeric_from=2, cls="total"))
        if style.summary == "per_area":
            out.append(f"<h4>Område {area.number} – {escape(area.summary_name)}</h4>")
            out.append('<table class="data"><thead>' + _row(header, header=True) + "</thead><tbody>"
                       + "".join(area_rows) + "</tbody></table>")
        else:
            rows.append(f'<tr class="area"><th>{area.number}</th><th colspan="4">{escape(area.summary_name)}</th></tr>')
            rows += area_rows
    if rows:
        out.append('<table class="data"><thead>' + _row(header, header=True) + "</thead><tbody>" + "".join(rows)
                   + "</tbody></table>")
    return "\n".join(out)


def _title(spec: ReportSpec) -> str:
    from tests.synthetic.render import contents_lines, date_label

    contents = contents_lines(spec)
    return ('<header class="title">' + _p("Sektionen för Demokrati och styrning") + _p("Kommunkompassen", "name")
            + f"<h1>Analys</h1><h1>av {escape(spec.kommun)} Kommun</h1><h2>{escape(date_label(spec, 'iso'))}</h2>"
            + "<p><b>Innehåll:</b></p>" + "".join(_p(line) for line in contents)
            + "".join(_p(f"{e.name}, {e.organisation}") for e in spec.evaluators) + "</header>")


def _summary_only_body(spec: ReportSpec, style: HtmlStyle) -> str:
    from tests.synthetic.summary_only import title_lines

    title, subtitle, *rest = title_lines(spec)
    return ("\n".join([_p(title, "name"), f"<h1>{escape(subtitle)}</h1>", *(_p(line) for line in rest)]
                      + [_p(text) for text in spec.intro[:-1]])
            + area_table_html(spec, style) + _p(spec.intro[-1]))


def report_html(spec: ReportSpec, style: HtmlStyle | str) -> str:
    """The whole report as one HTML document."""
    style = HTML_STYLES[style] if isinstance(style, str) else style
    head = (f'<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
            f"<title>Kommunkompassen – {escape(spec.kommun)} kommun {spec.year}</title>"
            f"<style>{stylesheet(style)}</style></head><body>\n")
    if spec.form == SUMMARY_ONLY:
        return head + _summary_only_body(spec, style) + "\n</body></html>\n"
    parts = [_title(spec), '<h1 class="chapter">1 Vad är Kommunkompassen</h1>', blocks_html(spec.chapter1, spec, style),
             f'<h1 class="chapter">2 {escape(spec.kommun)} kommun i förhållande till Kommunkompassen: '
             "En sammanfattande genomgång</h1>", blocks_html(spec.chapter2, spec, style),
             '<h1 class="chapter">3 Detaljerad genomgång i förhållande till Kommunkompassens åtta områden</h1>']
    for area in spec.areas:
        parts.append(f"<section><h2>Område {area.number} {escape(area.name)}</h2>")
        parts.append(_ul(area.prose_questions, "questions"))
        parts.append(blocks_html(area.prose, spec, style))
        parts.append(findings_html(spec, area, style) + "</section>")
    if spec.has_score_summary:
        parts.append(summary_html(spec, style))
    return head + "\n".join(parts) + "\n</body></html>\n"
