"""Printing the table documents with real producers: python-docx → LibreOffice (all Word documents in one
`soffice --convert-to pdf` run), HTML → headless Chromium, LaTeX → pdfTeX.

A missing producer raises `ProducerMissing` naming the package to install; the tests skip on it, or fail
when CI is set (`tests.tables.conftest`).
"""
from __future__ import annotations

import subprocess
import tempfile
from html import escape
from pathlib import Path

from tests.synthetic.producers.tools import ToolMissing, deterministic_env, tool
from tests.tables.documents import CHROMIUM, WEASYPRINT, WKHTMLTOPDF, WORD, WORD_LANDSCAPE, Doc

SOFFICE_TIMEOUT = 240


class ProducerMissing(Exception):
    """A program or Python package a document's producer needs is not installed."""


def _docx_module():
    try:
        import docx
    except ImportError:
        raise ProducerMissing("python-docx is not installed: pip install python-docx") from None
    return docx


def _tool(name: str) -> str:
    try:
        return tool(name)
    except ToolMissing as missing:
        raise ProducerMissing(str(missing)) from None


# -- Word -----------------------------------------------------------------------------------------
def write_docx(doc: Doc, path: Path) -> Path:
    """The document as a .docx: a title page, then the result heading, text and a bordered Word table."""
    _docx_module()
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    from tests.synthetic.word import ooxml

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Pt(595.3), Pt(841.9)
    if doc.producer == WORD_LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Pt(72))
    ooxml.set_language_and_font(document, "Liberation Sans", 11)

    def para(text: str, size: float = 11, bold: bool = False, space_before: float = 0.0):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
        paragraph.paragraph_format.space_after = Pt(6)
        paragraph.paragraph_format.space_before = Pt(space_before)
        return paragraph

    para("Kommunkompassen", 28, bold=True, space_before=120)
    for line in doc.title_lines:
        last = para(line, 18)
    last.add_run().add_break(WD_BREAK.PAGE)
    para(doc.caption, 14, bold=True)
    for text in doc.before:
        para(text)
    if doc.space_before_table:
        spacer = document.add_paragraph()
        spacer.paragraph_format.space_before = Pt(doc.space_before_table)
        spacer.paragraph_format.space_after = Pt(0)
    spec = doc.table
    table = document.add_table(rows=len(spec.rows), cols=len(spec.widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    ooxml.set_column_widths(table, spec.widths)
    if spec.horizontal_only:
        _horizontal_borders(table)
    elif spec.borders:
        ooxml.set_table_borders(table)
    for r0, c0, r1, c1 in spec.merges:
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        for paragraph in merged.paragraphs[1:]:  # merging keeps each cell's (empty) paragraph
            paragraph._p.getparent().remove(paragraph._p)
    for r, values in enumerate(spec.rows):
        for c, value in enumerate(values):
            if spec.covered(r, c):
                continue
            paragraph = table.cell(r, c).paragraphs[0]
            run = paragraph.add_run(value)
            run.bold, run.font.size = r < spec.header_rows, Pt(spec.size)
            paragraph.paragraph_format.space_after = Pt(0)
            if r >= spec.header_rows and c >= spec.numeric_from:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if spec.double_under_header and r == spec.header_rows - 1:
                _double_bottom(table.cell(r, c))
            if spec.shaded_rows and r >= spec.header_rows and (r - spec.header_rows) % 2 == 0:
                ooxml.shade(table.cell(r, c), "D9E2F3")
    for r, row in enumerate(table.rows):
        if r < spec.header_rows and spec.repeat_header:
            ooxml.repeat_as_header(row)
        else:
            ooxml.keep_row_together(row)
            if spec.row_height:
                row.height, row.height_rule = Pt(spec.row_height), WD_ROW_HEIGHT_RULE.EXACTLY
    if doc.after:
        para("").paragraph_format.space_after = Pt(0)
        para(doc.after)
    document.core_properties.title = f"Kommunkompassen {doc.kommun} {doc.year}"
    document.core_properties.author = "Utvärderingsgruppen"
    document.save(path)
    return Path(path)


def _horizontal_borders(table) -> None:
    """Rules over and under the table and between its rows; none down the sides or between columns."""
    from tests.synthetic.word import ooxml

    borders = ooxml.element("w:tblBorders")
    for edge in ("top", "bottom", "insideH"):
        borders.append(ooxml.element(f"w:{edge}", val="single", sz=6, space=0, color="000000"))
    for edge in ("left", "right", "insideV"):
        borders.append(ooxml.element(f"w:{edge}", val="nil"))
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                           "w:tblCaption", "w:tblDescription")


def _double_bottom(cell) -> None:
    """A double rule under one cell (Word's 'double' border: two thin lines)."""
    from tests.synthetic.word import ooxml

    properties = cell._tc.get_or_add_tcPr()
    borders = ooxml.element("w:tcBorders")
    borders.append(ooxml.element("w:bottom", val="double", sz=4, space=0, color="000000"))
    properties.insert_element_before(borders, "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                                     "w:vAlign", "w:hideMark")


def word_pdfs(docs: list[Doc], folder: Path) -> dict[str, Path]:
    """Every Word document written as .docx and converted by one LibreOffice run into `folder`."""
    soffice = _tool("soffice")
    folder = Path(folder)
    with tempfile.TemporaryDirectory(prefix="tables-docx-") as work:
        sources = [write_docx(doc, Path(work) / f"{doc.name}.docx") for doc in docs]
        with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
            command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", "pdf",
                       "--outdir", str(folder), *map(str, sources)]
            result = subprocess.run(command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, check=False,
                                    env=deterministic_env(), stdin=subprocess.DEVNULL)
    made = {doc.name: folder / f"{doc.name}.pdf" for doc in docs}
    missing = [name for name, pdf in made.items() if not pdf.exists()]
    if missing:
        raise RuntimeError(f"soffice wrote no PDF for {', '.join(missing)} (exit {result.returncode}): "
                           f"{(result.stderr or result.stdout).strip()[:300]}")
    return made


# -- HTML / Chromium --------------------------------------------------------------------------------
def html_of(doc: Doc) -> str:
    spec = doc.table
    rows = []
    for r, values in enumerate(spec.rows):
        cells = []
        for c, value in enumerate(values):
            if spec.covered(r, c):
                continue
            span_rows, span_columns = spec.span(r, c)
            tag = "th" if r < spec.header_rows else "td"
            attributes = (f' rowspan="{span_rows}"' if span_rows > 1 else "") + \
                (f' colspan="{span_columns}"' if span_columns > 1 else "")
            if tag == "td" and c >= spec.numeric_from:
                attributes += ' class="n"'
            cells.append(f"<{tag}{attributes}>{escape(value)}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    columns = "".join(f'<col style="width:{w:.0f}pt">' for w in spec.widths)
    before = "".join(f"<p>{escape(text)}</p>" for text in doc.before)
    after = f"<p>{escape(doc.after)}</p>" if doc.after else ""
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Kommunkompassen {escape(doc.kommun)} {doc.year}</title>
<style>
@page {{ size: A4{" landscape" if doc.landscape else ""}; margin: 25mm }}
body {{ font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 11pt; margin: 0 }}
.title {{ page-break-after: always; padding-top: 120pt }}
.title h1 {{ font-size: 28pt; margin: 0 0 12pt }} .title p {{ font-size: 18pt; margin: 0 0 6pt }}
h2 {{ font-size: 14pt }}
table {{ border-collapse: collapse; table-layout: fixed; font-size: {spec.size}pt }}
th, td {{ border: {"0.75pt solid #000" if spec.borders else "none"}; padding: 2pt 4pt; vertical-align: top;
          text-align: left }}
td.n {{ text-align: right }}
</style></head><body>
<div class="title"><h1>Kommunkompassen</h1>{"".join(f"<p>{escape(line)}</p>" for line in doc.title_lines)}</div>
<h2>{escape(doc.caption)}</h2>{before}
<table>{columns}{"".join(rows)}</table>{after}
</body></html>"""


def html_pdf(doc: Doc, pdf: Path) -> Path:
    """The HTML printed by Chromium, wkhtmltopdf or WeasyPrint (`doc.producer`)."""
    from tests.synthetic.producers import browsers

    if doc.producer == WEASYPRINT:
        try:
            import weasyprint  # noqa: F401
        except (ImportError, OSError):
            raise ProducerMissing("weasyprint is not installed: pip install weasyprint (needs libpango)") from None
    else:
        _tool(doc.producer)
    html = Path(pdf).with_suffix(".html")
    html.write_text(html_of(doc), encoding="utf-8")
    try:
        return getattr(browsers, f"{doc.producer}_pdf")(html, Path(pdf))
    finally:
        html.unlink()


# -- LaTeX / pdfTeX ---------------------------------------------------------------------------------
def tex_of(doc: Doc) -> str:
    from tests.synthetic.latex import tex

    spec = doc.table
    bar = "" if spec.horizontal_only else "|"
    columns = bar + bar.join(f"p{{{spec.widths[0]:.0f}pt}}" if c == 0 else "r" for c in range(len(spec.widths))) + bar
    top, middle, bottom = ("\\toprule", "\\midrule", "\\bottomrule") if spec.horizontal_only else ("\\hline",) * 3
    lines = [f"\\begin{{tabular}}{{{columns}}}", top]
    for r, values in enumerate(spec.rows):
        cells = []
        for c, value in enumerate(values):
            if spec.covered(r, c) and any(r0 == r for r0, c0, r1, c1 in spec.merges if c0 < c <= c1):
                continue  # covered by a \multicolumn to its left
            text = tex(value)
            if r < spec.header_rows and text:
                text = f"\\textbf{{{text}}}"
            span_rows, span_columns = spec.span(r, c)
            if span_columns > 1:
                text = f"\\multicolumn{{{span_columns}}}{{c|}}{{{text}}}"
            cells.append(text)
        lines.append(" & ".join(cells) + " \\\\")
        partial = [f"\\cline{{{c0 + 1}-{c1 + 1}}}" for r0, c0, r1, c1 in spec.merges
                   if r0 == r and r1 == r and c1 > c0]
        if r < spec.header_rows - 1 and partial:
            lines.append("".join(partial))
        elif r == len(spec.rows) - 1:
            lines.append(bottom)
        elif spec.horizontal_only and r != spec.header_rows - 1:
            continue  # booktabs: rules over and under the table and under the header only
        else:
            lines.append(middle if r == spec.header_rows - 1 else "\\hline")
    lines.append("\\end{tabular}")
    body = "\n".join(lines)
    before = "\n\n".join(tex(text) for text in doc.before)
    title = "\n".join(f"{{\\LARGE {tex(line)}\\par}}\\medskip" for line in doc.title_lines)
    return f"""\\documentclass[a4paper,11pt]{{article}}
\\usepackage[T1]{{fontenc}}
\\usepackage[utf8]{{inputenc}}
\\usepackage{{mathpazo}}
\\usepackage[margin=25mm]{{geometry}}
\\usepackage{{booktabs}}
\\pdfgentounicode=1
\\input{{glyphtounicode}}
\\pdfinfoomitdate=1\\pdftrailerid{{}}
\\setlength{{\\parindent}}{{0pt}}
\\pagestyle{{plain}}
\\begin{{document}}
\\thispagestyle{{empty}}
\\vspace*{{100pt}}
{{\\Huge\\bfseries Kommunkompassen\\par}}
\\bigskip
{title}
\\newpage
\\section*{{{tex(doc.caption)}}}
{before}

\\bigskip
{body}

\\end{{document}}
"""


def latex_pdf(doc: Doc, pdf: Path) -> Path:
    _tool("pdflatex")
    from tests.synthetic.latex import pdflatex_pdf

    return pdflatex_pdf(tex_of(doc), Path(pdf))


def render_one(doc: Doc, pdf: Path) -> Path:
    if doc.producer in (WORD, WORD_LANDSCAPE):
        with tempfile.TemporaryDirectory(prefix="tables-word-") as work:
            made = word_pdfs([doc], Path(work))[doc.name]
            Path(pdf).write_bytes(made.read_bytes())
        return Path(pdf)
    if doc.producer in (CHROMIUM, WKHTMLTOPDF, WEASYPRINT):
        return html_pdf(doc, pdf)
    return latex_pdf(doc, pdf)
