"""Test PDFs that differ from the project's corpus in ways real reports plausibly would (an audit).

One builder per document kind, like `tests/regressions/kinds.py`: each writes a small, real PDF
through a real producer and returns the extraction it must give (`expected_json`). Unlike the
synthetic corpus, the wording here is written by hand and is NOT drawn from
`extractors/data/vocabulary.yml`, and the layouts and transforms are ones the corpus does not use.

`python -m tests.audit.build_unseen [KIND …]` writes `tests/audit/out/<kind>.pdf` and
`<kind>.expected.json` (not committed: run it to rebuild); `tests/audit/run_audit.py` extracts them.
"""
from __future__ import annotations

import random
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from docx.shared import Pt

from tests.regressions.kinds import NotShown, _html_pdf, _require, page_texts, trimmed_seed
from tests.synthetic.html import HTML_STYLES, report_html
from tests.synthetic.latex import pdflatex_pdf, report_tex
from tests.synthetic.producers import browsers
from tests.synthetic.producers.tools import run_tool
from tests.synthetic.spec import ReportSpec, expected_json, seed_spec
from tests.synthetic.word import ooxml
from tests.synthetic.word.convert import docx_to_pdf
from tests.synthetic.word.document import WordWriter, build_document
from tests.synthetic.word.layouts import CLASSIC, PLAIN

OUT_DIR = Path(__file__).resolve().parent / "out"




def _joined(pdf: Path) -> str:
    return "\n".join(page_texts(pdf))


def full_spec(generation: str, paragraphs: int = 1, tries: int = 400) -> ReportSpec:
    """A full report of `generation` (synthetic numbers, seed prose, a score summary and a comparison
    table), trimmed to `paragraphs` paragraphs of prose per area."""
    from tests.synthetic.synth import synthetic_spec

    base = trimmed_seed(paragraphs)
    for index in range(tries):
        spec = synthetic_spec(index, 0, base)
        if spec.framework == generation and spec.has_score_summary and spec.has_comparison_table:
            return spec
    raise NotShown(f"no full {generation} spec among the first {tries}")


def full_2010_spec(paragraphs: int = 1) -> ReportSpec:
    return full_spec("2010-2019", paragraphs)


def _word_pdf(writer: WordWriter, pdf: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="audit-word-") as work:
        docx = Path(work) / f"{pdf.stem}.docx"
        writer.save(docx)
        produced = docx_to_pdf(docx, Path(work))
        pdf.write_bytes(Path(produced).read_bytes())
    return pdf


# -- 1. list headings worded as the vocabulary does not ------------------------------------------
def unseen_list_headings(pdf: Path) -> dict:
    """Chromium; per area "Sammanfattande iakttagelser" then "Kommunens starka sidor" and
    "Kommunens förbättringsområden" (vocabulary has "Starka sidor", "Kommunens styrkor",
    "Förbättringsområden" but not these two)."""
    spec = trimmed_seed(1)
    spec.wording = replace(spec.wording, findings_heading="Sammanfattande iakttagelser",
                           strengths="Kommunens starka sidor", improvements="Kommunens förbättringsområden")
    _html_pdf(spec, HTML_STYLES["web-sans"], pdf, "chromium")
    _require("Kommunens förbättringsområden" in _joined(pdf), "headings not in the text layer")
    return expected_json(spec, pdf) | {"producer": "chromium"}


# -- 2. upper-case headings with colons, running header and "Sida N av M" footer ------------------
RUNNING_CSS = """
@page { @top-left { content: "Fagersta kommun"; font-size: 8pt; }
        @top-right { content: "Kommunkompassen 2009"; font-size: 8pt; }
        @bottom-right { content: "Sida " counter(page) " av " counter(pages); font-size: 8pt; } }
h2, h3, h4 { text-transform: uppercase; }
"""


def uppercase_headings_running_header(pdf: Path) -> dict:
    """WeasyPrint; headings in capitals ("OMRÅDE 3: TYDLIGHET …", "STYRKOR:",
    "FÖRBÄTTRINGSOMRÅDEN:"), a running header with the municipality and year on every page and a
    "Sida N av M" footer at the right."""
    spec = trimmed_seed(1)
    spec.wording = replace(spec.wording, strengths="Styrkor:", improvements="Förbättringsområden:")
    style = replace(HTML_STYLES["web-plain"], name="audit-upper", extra_css=RUNNING_CSS)
    html = report_html(spec, style)
    html = re.sub(r"<h2>Område (\d) ", r"<h2>Område \1: ", html)
    with tempfile.TemporaryDirectory(prefix="audit-") as work:
        source = Path(work) / "report.html"
        source.write_text(html, encoding="utf-8")
        browsers.weasyprint_pdf(source, pdf)
    text = _joined(pdf)
    _require("FÖRBÄTTRINGSOMRÅDEN:" in text and "OMRÅDE 3:" in text and "Sida 3 av" in text,
             "capitals, colons or the footer are not in the text layer")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


# -- 3. Word numbered findings: "1)" and "a)" -----------------------------------------------------
def _numbering(document, fmt: str, text: str, font: str | None = None) -> int:
    """A Word list definition (abstractNum + num) with one level: numFmt `fmt`, lvlText `text`."""
    from docx.oxml.ns import qn

    numbering = document.part.numbering_part.element
    abstract_id = max((int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))),
                      default=0) + 1
    num_id = max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0) + 1
    abstract = ooxml.element("w:abstractNum", abstractNumId=abstract_id)
    level = ooxml.element("w:lvl", ilvl=0)
    for tag, value in (("w:start", 1), ("w:numFmt", fmt), ("w:lvlText", text), ("w:lvlJc", "left")):
        level.append(ooxml.element(tag, val=value))
    properties = ooxml.element("w:pPr")
    properties.append(ooxml.element("w:ind", left=720, hanging=360))
    level.append(properties)
    if font:
        run = ooxml.element("w:rPr")
        run.append(ooxml.element("w:rFonts", ascii=font, hAnsi=font, hint="default"))
        level.append(run)
    abstract.append(level)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = ooxml.element("w:num", numId=num_id)
    num.append(ooxml.element("w:abstractNumId", val=abstract_id))
    numbering.append(num)
    return num_id


class ListWriter(WordWriter):
    """A Word writer whose findings lists use list definitions chosen per list heading:
    `formats[heading] = (numFmt, lvlText, font)`; each list restarts its numbering."""

    formats: dict[str, tuple[str, str, str | None]] = {}

    def __init__(self, spec, layout, formats):
        super().__init__(spec, layout)
        self.formats, self.current = formats, None

    def heading(self, text, level=2):
        self.current = self.formats.get(text) if level == 3 else None
        if self.current is not None:
            self.list_id = _numbering(self.document, *self.current)
        return super().heading(text, level)

    def item(self, text, line_break_at=None):
        if self.current is None:
            return super().item(text, line_break_at)
        paragraph = self.document.add_paragraph()
        ooxml.set_numbering(paragraph, self.list_id)
        paragraph.add_run(text)
        paragraph.paragraph_format.space_after = Pt(2)
        return paragraph


def _list_writer(spec: ReportSpec, layout, formats) -> WordWriter:
    from tests.synthetic.word import document as word_document

    original = word_document.WordWriter
    word_document.WordWriter = lambda s, l: ListWriter(s, l, formats)
    try:
        return build_document(spec, layout)
    finally:
        word_document.WordWriter = original


def word_numbered_findings(pdf: Path) -> dict:
    """Word → LibreOffice; strengths numbered "1)", "2)" …, improvements lettered "a)", "b)" …
    (Word numbering, so the markers are text in the PDF); the rest as the classic Word layout."""
    spec = trimmed_seed(1)
    formats = {"Styrkor": ("decimal", "%1)", None), "Förbättringsområden": ("lowerLetter", "%1)", None)}
    _word_pdf(_list_writer(spec, CLASSIC, formats), pdf)
    text = _joined(pdf)
    _require(re.search(r"(?m)^\s*a\)", text) is not None and re.search(r"(?m)^\s*2\)", text) is not None,
             "no '2)' or 'a)' markers in the text layer")
    return expected_json(spec, pdf) | {"producer": "python-docx+libreoffice"}


# -- 4. Word bullets from Wingdings: square, arrowhead, check mark --------------------------------
def word_wingdings_bullets(pdf: Path) -> dict:
    """Word → LibreOffice; strengths bulleted with Wingdings' check mark (U+F0FC), improvements with
    its arrowhead (U+F0D8), the area questions with its square (U+F0A7) — Word's "Bullet Library"."""
    spec = trimmed_seed(1)
    formats = {"Styrkor": ("bullet", "\uf0fc", "Wingdings"), "Förbättringsområden": ("bullet", "\uf0d8", "Wingdings")}
    _word_pdf(_list_writer(spec, CLASSIC, formats), pdf)
    markers = sorted({line.strip()[:1] for line in _joined(pdf).splitlines() if line.strip()
                      and not line.strip()[:1].isalnum()})
    return expected_json(spec, pdf) | {"producer": "python-docx+libreoffice", "line_openers": markers}


# -- 5. findings as a two-column Word table, one paragraph per item, no bullets -------------------
class TableFindingsWriter(WordWriter):
    """Findings in a two-column bordered table (Styrkor | Förbättringsområden), each item a plain
    paragraph of its cell, as an author typing into a Word table writes them."""

    def __init__(self, spec, layout):
        super().__init__(spec, layout)
        self._pending: dict[str, list[str]] = {}
        self._label = None

    def heading(self, text, level=2):
        w = self.spec.wording
        if level == 3 and text in (w.strengths, w.improvements):
            self._label = text
            self._pending[text] = []
            return None
        self._label = None
        return super().heading(text, level)

    def item(self, text, line_break_at=None):
        if self._label is None:
            return super().item(text, line_break_at)
        self._pending[self._label].append(text)
        w = self.spec.wording
        if self._label == w.improvements:
            area = next(a for a in self.spec.areas if a.strengths == self._pending.get(w.strengths))
            if len(self._pending[w.improvements]) == len(area.improvements):
                self._table()
        return None

    def _table(self):
        from docx.shared import Pt

        w = self.spec.wording
        table = self.document.add_table(rows=2, cols=2)
        ooxml.set_table_borders(table)
        for column, label in enumerate((w.strengths, w.improvements)):
            header = table.rows[0].cells[column].paragraphs[0]
            header.add_run(label).bold = True
            cell = table.rows[1].cells[column]
            for index, text in enumerate(self._pending[label]):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                paragraph.add_run(text)
                paragraph.paragraph_format.space_after = Pt(6)
        self.document.add_paragraph()
        self._pending, self._label = {}, None


def word_findings_table_unbulleted(pdf: Path) -> dict:
    """Word → LibreOffice; each area's findings in a ruled two-column table with the headings
    "Styrkor" | "Förbättringsområden" in its first row and one plain paragraph per item (no bullets)."""
    from tests.synthetic.word import document as word_document

    spec = trimmed_seed(1)
    original = word_document.WordWriter
    word_document.WordWriter = TableFindingsWriter
    try:
        writer = build_document(spec, CLASSIC)
    finally:
        word_document.WordWriter = original
    _word_pdf(writer, pdf)
    _require(re.search(r"Styrkor\s+Förbättringsområden", _joined(pdf)) is not None, "headings not side by side")
    return expected_json(spec, pdf) | {"producer": "python-docx+libreoffice"}


# -- 6. area table and score summary worded differently -------------------------------------------
TABLE_VARIANTS_2002 = (
    "Offentlighet & demokratisk kontroll",
    "Tillgänglighet och brukarorientering",
    "Tydligheten i samspelet mellan politiker och tjänstemän",
    "Ledning, decentralisering & delegering",
    "Kontroll och uppföljning",
    "Personalpolitiken",
    "Verksamhetsutveckling och förnyelse",
    "Kommunen som samhällsbyggnad",
)


def table_wording_variants(pdf: Path) -> dict:
    """Area table rows with small variants of the names ("&" for "och", "Tydligheten",
    "Personalpolitiken", "Kontroll och uppföljning"), score column "Kommunens resultat", reference
    "Median, samtliga utvärderingar", total "Sammanlagd poäng"; score summary headers
    "Möjlig poäng" | "Erhållen poäng" | "Procent" with "57 %", sum rows "Sammanlagt" (WeasyPrint)."""
    spec = trimmed_seed(1)
    for area, name in zip(spec.areas, TABLE_VARIANTS_2002):
        area.table_name = name
    spec.wording = replace(spec.wording, area_caption="Tabell 1 Resultat för {kommun} kommun {year}",
                           area_header="Område", score_header="Kommunens resultat",
                           reference_header="Median, samtliga utvärderingar", total_label="Sammanlagd poäng",
                           max_header="Möjlig poäng", points_header="Erhållen poäng", percent_header="Procent",
                           sum_label="Sammanlagt")
    style = replace(HTML_STYLES["web-sans"], name="audit-tables", percent="{} %", sum_rows=True)
    _html_pdf(spec, style, pdf, "weasyprint")
    _require("Sammanlagd poäng" in _joined(pdf), "total label not in the text layer")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


# -- 7. pdfTeX with the score summary on landscape pages (/Rotate 90) -----------------------------
def landscape_rotated_summary(pdf: Path) -> dict:
    """pdfTeX + pdflscape; a 2010–2019 report whose score summary pages are set in landscape and
    carry /Rotate 90 (the text runs bottom to top on the unrotated page)."""
    spec = full_2010_spec()
    source = report_tex(spec, "tex-article")
    source = source.replace("\\begin{document}", "\\usepackage{pdflscape}\n\\begin{document}", 1)
    source = source.replace("\\clearpage\n\\section*{4.", "\\begin{landscape}\n\\section*{4.", 1)
    source = source.replace("\\end{document}", "\\end{landscape}\n\\end{document}")
    pdflatex_pdf(source, pdf)
    _require(any(rotation == 90 for rotation in _rotations(pdf)), "no page with /Rotate 90")
    return expected_json(spec, pdf) | {"producer": "pdflatex+pdflscape"}


def _rotations(pdf: Path) -> list[int]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [page.get_rotation() for page in document]
    finally:
        document.close()


# -- 8. Chromium then Ghostscript PDF/A-2b ---------------------------------------------------------
def ghostscript_pdfa(pdf: Path) -> dict:
    """Chromium print of a 2010–2019 report, converted to PDF/A-2b by Ghostscript (`-dPDFA=2`), as
    municipal archives (diarium) store published documents."""
    spec = full_2010_spec()
    with tempfile.TemporaryDirectory(prefix="audit-") as work:
        printed = _html_pdf(spec, HTML_STYLES["web-serif"], Path(work) / "printed.pdf", "chromium")
        run_tool(["gs", "-q", "-dPDFA=2", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-dPDFACompatibilityPolicy=1",
                  "-sColorConversionStrategy=RGB", "-sDEVICE=pdfwrite", f"-sOutputFile={pdf}", str(printed)], pdf)
    _require(b"pdfaid" in pdf.read_bytes(), "no PDF/A identification in the metadata")
    return expected_json(spec, pdf) | {"producer": "chromium+gs-pdfa2"}


# -- 9. pdfTeX, qpdf object streams + linearised, then mutool clean -d ----------------------------
def qpdf_linearized_mutool_decompressed(pdf: Path) -> dict:
    """pdfTeX (report class, Charter, \\hline grids), then `qpdf --object-streams=generate
    --linearize`, then `mutool clean -d` (all streams decompressed), as a web optimiser chain."""
    spec = trimmed_seed(1)
    with tempfile.TemporaryDirectory(prefix="audit-") as work:
        first, second = Path(work) / "a.pdf", Path(work) / "b.pdf"
        pdflatex_pdf(report_tex(spec, "tex-charter"), first)
        run_tool(["qpdf", "--deterministic-id", "--object-streams=generate", "--linearize", str(first), str(second)],
                 second)
        run_tool(["mutool", "clean", "-d", str(second), str(pdf)], pdf)
    return expected_json(spec, pdf) | {"producer": "pdflatex+qpdf+mutool"}


# -- 10. print-shop output: crop marks and an offset CropBox --------------------------------------
def print_shop_cropbox(pdf: Path) -> dict:
    """pdfTeX with the crop package: A4 pages centred on a larger sheet with crop marks, the
    CropBox/TrimBox set to the A4 area at an offset origin (as a print shop's PDF)."""
    import pypdfium2 as pdfium

    spec = trimmed_seed(1)
    source = report_tex(spec, "tex-article").replace(
        "\\begin{document}", "\\usepackage[cam,center,width=230truemm,height=327truemm,pdftex]{crop}\n"
                             "\\begin{document}", 1)
    with tempfile.TemporaryDirectory(prefix="audit-") as work:
        sheet = Path(work) / "sheet.pdf"
        pdflatex_pdf(source, sheet)
        document = pdfium.PdfDocument(str(sheet))
        try:
            for page in document:
                left, bottom, right, top = page.get_mediabox()
                dx, dy = (right - left - 595.28) / 2, (top - bottom - 841.89) / 2
                page.set_cropbox(left + dx, bottom + dy, right - dx, top - dy)
                page.set_trimbox(left + dx, bottom + dy, right - dx, top - dy)
            document.save(str(pdf))
        finally:
            document.close()
    return expected_json(spec, pdf) | {"producer": "pdflatex+crop+pdfium"}


# -- 11. 2-up imposition ----------------------------------------------------------------------------
def two_up_imposition(pdf: Path) -> dict:
    """A Chromium print imposed two pages per landscape A4 sheet (pdfpages nup=2x1), as a
    "print-friendly" version some municipalities publish."""
    spec = trimmed_seed(1)
    with tempfile.TemporaryDirectory(prefix="audit-") as work:
        printed = _html_pdf(spec, HTML_STYLES["web-sans"], Path(work) / "printed.pdf", "chromium")
        source = ("\\documentclass[a4paper,landscape]{article}\n\\usepackage[landscape]{geometry}\n\\usepackage{pdfpages}\n\\begin{document}\n"
                  f"\\includepdf[pages=-,nup=2x1]{{{printed}}}\n\\end{{document}}\n")
        pdflatex_pdf(source, pdf)
    return expected_json(spec, pdf) | {"producer": "chromium+pdfpages-2up"}


# -- 12. summary-only reports worded differently ---------------------------------------------------
SUMMARY_2020_NAMES = (
    "Samspel mellan förtroendevalda & medborgare", "Samhällsutveckling", "Styrning & kontroll", "Effektivitet",
    "Brukarfokus", "Kvalitetsutveckling", "Arbetsliv", "Chefs- och ledarskap, medarbetarskap",
)


def _summary_spec(generation: str, seed: str) -> ReportSpec:
    from tests.synthetic.summary_only import make_summary_only
    from tests.synthetic.synth import synthetic_spec

    base = seed_spec()
    spec = next(s for s in (synthetic_spec(i, 0, base) for i in range(200)) if s.framework == generation)
    rng = random.Random(seed)
    make_summary_only(spec, rng)
    for area in spec.areas:
        if area.change is None:
            area.change = float(rng.randint(-6, 12))
    return spec


def summary_only_2020_word(pdf: Path) -> dict:
    """Word → LibreOffice; a 2020– result summary with area names written short ("Brukarfokus",
    "Styrning & kontroll", "Chefs- och ledarskap, medarbetarskap"), columns "Poäng {year}" |
    "Förändring sedan förra utvärderingen" | "Snitt alla kommuner", total "Summa alla områden"."""
    spec = _summary_spec("2020-", "audit 2020")
    for area, name in zip(spec.areas, SUMMARY_2020_NAMES):
        area.table_name = name
    spec.reference_kind = "genomsnitt"
    spec.wording = replace(spec.wording, area_caption="Kommunkompassen – resultat per område", area_header="Område",
                           score_header="Poäng {year}", reference_header="Snitt alla kommuner",
                           total_label="Summa alla områden", change_header="Förändring sedan förra utvärderingen")
    _word_pdf(build_document(spec, PLAIN), pdf)
    return expected_json(spec, pdf) | {"producer": "python-docx+libreoffice", "form": spec.form}


def summary_only_2010_percent(pdf: Path) -> dict:
    """Chromium; a 2010–2019 result summary whose table also gives each area's share of the maximum
    ("57,5 %") and writes the reference as "Riket" — a column the vocabulary does not name."""
    spec = _summary_spec("2010-2019", "audit 2010")
    spec.reference_kind = "medelvärde"
    spec.wording = replace(spec.wording, area_caption=None, area_header="Huvudområde", score_header="{kommun} {year}",
                           reference_header="Medelvärde riket", total_label="Totalt (max 800)",
                           change_header="+/-")
    html = report_html(spec, replace(HTML_STYLES["web-sans"], name="audit-2010", name_column="40%"))

    def add_share(match: re.Match) -> str:
        row = match.group(0)
        if row.startswith("<tr><th"):
            return row.replace("</tr>", "<th>Andel av max</th></tr>")
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        share = float(cells[1].replace(",", ".")) / (8 if cells[0].startswith("Totalt") else 1)
        return row.replace("</tr>", f'<td class="n">{share:.1f} %</td></tr>'.replace(".", ",", 1))

    html = re.sub(r"<tr[^>]*>.*?</tr>", add_share, html)
    with tempfile.TemporaryDirectory(prefix="audit-") as work:
        source = Path(work) / "report.html"
        source.write_text(html, encoding="utf-8")
        browsers.chromium_pdf(source, pdf)
    _require(re.search(r"Andel\s+av\s+max", _joined(pdf)) is not None and " %" in _joined(pdf), "share column missing")
    return expected_json(spec, pdf) | {"producer": "chromium", "form": spec.form}


KINDS = {
    "unseen-list-headings": unseen_list_headings,
    "uppercase-headings-running-header": uppercase_headings_running_header,
    "word-numbered-findings": word_numbered_findings,
    "word-wingdings-bullets": word_wingdings_bullets,
    "word-findings-table-unbulleted": word_findings_table_unbulleted,
    "table-wording-variants": table_wording_variants,
    "landscape-rotated-summary": landscape_rotated_summary,
    "ghostscript-pdfa": ghostscript_pdfa,
    "qpdf-linearized-mutool-decompressed": qpdf_linearized_mutool_decompressed,
    "print-shop-cropbox": print_shop_cropbox,
    "two-up-imposition": two_up_imposition,
    "summary-only-2020-word": summary_only_2020_word,
    "summary-only-2010-percent": summary_only_2010_percent,
}


def build(kind: str, out_dir: Path = OUT_DIR) -> tuple[Path, Path]:
    """Build one audit document and its expected result (as the named regression fixtures are built)."""
    from tests.regressions.build import build as build_fixture  # imported here: the registry imports this module

    return build_fixture(kind, out_dir, KINDS)


def main(argv: list[str] | None = None) -> int:
    from tests.audit.build_unseen_2 import main as build_all  # one driver for every audit round

    return build_all(argv, build_one=build, all_kinds=KINDS)


if __name__ == "__main__":
    sys.exit(main())
