"""A second audit: test PDFs unlike anything in tests/synthetic, tests/regressions, tests/layouts and
`tests/audit/build_unseen.py`, in ways real reports plausibly differ.

Same shape as `build_unseen`: one builder per document kind writes a small, real PDF through a real
producer, checks (`_require`) that the PDF shows the property it is named for, and returns the
extraction it must give (`expected_json`). The variations are made by hand on the semantic HTML,
Word or LaTeX source, not drawn from `extractors/data/vocabulary.yml`.

`python -m tests.audit.build_unseen_2 [KIND …]` writes `tests/audit/out/<kind>.pdf` and
`<kind>.expected.json` (not committed); `python -m tests.audit.run_audit KIND …` extracts them.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from pathlib import Path

from tests.audit.build_unseen import OUT_DIR, _joined, full_2010_spec, full_spec
from tests.regressions.kinds import NotShown, _require, page_texts, trimmed_seed
from tests.synthetic.html import HTML_STYLES, report_html
from tests.synthetic.latex import pdflatex_pdf, report_tex, tex
from tests.synthetic.producers import browsers
from tests.synthetic.seedtext import PARAGRAPH, Block
from tests.synthetic.spec import ReportSpec, expected_json, swedish_number


def _print_html(html: str, pdf: Path, engine: str) -> Path:
    with tempfile.TemporaryDirectory(prefix="audit2-") as work:
        source = Path(work) / "report.html"
        source.write_text(html, encoding="utf-8")
        if engine == "chromium":
            return browsers.chromium_pdf(source, pdf)
        return browsers.weasyprint_pdf(source, pdf)


def _with_css(html: str, css: str) -> str:
    return html.replace("</style>", css + "\n</style>", 1)


def _page_sizes(pdf: Path) -> list[tuple[float, float, int]]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [(page.get_width(), page.get_height(), page.get_rotation()) for page in document]
    finally:
        document.close()


SANS_SERIF = replace(HTML_STYLES["web-serif"], name="audit-serif-in-sans", font=HTML_STYLES["web-sans"].font)
"""web-serif's layout (one summary table, sum rows, "64 %") in web-sans' fonts: a smaller PDF."""


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# -- 1. percent with one decimal in the score summary ---------------------------------------------
def summary_decimal_percent(pdf: Path) -> dict:
    """WeasyPrint; the score summary prints every percent with one decimal ("62,5 %", "65,0 %"), the
    area sum rows too; the contract's percent is then the printed value (62.5)."""
    spec = trimmed_seed(1)
    html = report_html(spec, SANS_SERIF)
    decimals: dict[str, float] = {}

    def row(match: re.Match) -> str:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(0))
        if len(cells) != 5 or not cells[4].endswith("%"):
            return match.group(0)
        maximum, points = Decimal(cells[2]), Decimal(cells[3].replace(",", "."))
        share = _one_decimal(points * 100 / maximum)
        if re.fullmatch(r"\d\.\d+", cells[0]):
            decimals[cells[0]] = float(share)
        printed = f"{share:.1f}".replace(".", ",") + " %"
        return re.sub(r"<td([^>]*)>[^<]*%</td></tr>$", rf"<td\1>{printed}</td></tr>", match.group(0))

    html = re.sub(r"<tr[^>]*>.*?</tr>", row, html)
    _print_html(html, pdf, "weasyprint")
    _require(re.search(r"\d,5 %", _joined(pdf)) is not None and "65,0 %" in _joined(pdf) or
             re.search(r"\d,\d %", _joined(pdf)) is not None, "no one-decimal percent in the text layer")
    expected = expected_json(spec, pdf)
    for question in expected["questions"]:
        question["percent"] = decimals[question["question"]]
    return expected | {"producer": "weasyprint"}


# -- 2. question ids written "Fråga 1.1" ----------------------------------------------------------
def summary_fraga_ids(pdf: Path) -> dict:
    """WeasyPrint; the score summary's first column reads "Fråga 1.1", "Fråga 1.2" … under the header
    "Fråga" (the contract's id stays "1.1")."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-sans"])
    html = re.sub(r"<tr><td>(\d\.\d+)</td>", r"<tr><td>Fråga&nbsp;\1</td>", html)
    html = html.replace("<th>Nr</th><th>Delfråga</th>", "<th>Fråga</th><th>Innehåll</th>")
    _print_html(html, pdf, "weasyprint")
    _require(re.search(r"Fråga\s+3\.2", _joined(pdf)) is not None, "no 'Fråga 3.2' in the text layer")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


# -- 3. findings as paragraphs with a bold lead-in -------------------------------------------------
def findings_leadin_paragraphs(pdf: Path) -> dict:
    """WeasyPrint; under "Sammanfattning område N" each finding is its own paragraph opened by a bold
    "Styrka:" or "Förbättringsområde:" — no list headings, no bullets."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-plain"])

    def findings(match: re.Match) -> str:
        number = int(match.group(1))
        area = spec.areas[number - 1]
        items = [f"<p><b>Styrka:</b> {escape(t)}</p>" for t in area.strengths]
        items += [f"<p><b>Förbättringsområde:</b> {escape(t)}</p>" for t in area.improvements]
        return f"<h3>Sammanfattning område {number}</h3>" + "".join(items)

    html, count = re.subn(r"<h3>Sammanfattning område (\d)</h3><h4>Styrkor</h4><ul>.*?</ul>"
                          r"<h4>Förbättringsområden</h4><ul>.*?</ul>", findings, html, flags=re.S)
    _require(count == 8, f"{count} findings blocks rewritten, not 8")
    _print_html(html, pdf, "weasyprint")
    _require("Förbättringsområde: Öka tillgängligheten" in " ".join(_joined(pdf).split()), "lead-in not on the item's line")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


# -- 4. area chapters numbered as sections of chapter 3 ("3.1" … "3.8") ----------------------------
def area_headings_section_numbers(pdf: Path) -> dict:
    """Chromium; area chapters headed "3.1 Offentlighet och demokratisk kontroll" … "3.8 …" (section
    numbers of chapter 3, not the area number), set large so the long titles wrap onto two lines;
    the findings heading is a bare "Sammanfattning"."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-sans"])
    html = re.sub(r"<h2>Område (\d) ", r"<h2>3.\1 ", html)
    html = re.sub(r"<h3>Sammanfattning område \d</h3>", "<h3>Sammanfattning</h3>", html)
    html = _with_css(html, "section h2 { font-size: 20pt; max-width: 110mm; }")
    _print_html(html, pdf, "chromium")
    text = _joined(pdf)
    _require(re.search(r"3\.3 Tydlighet i samspelet mellan\s*\n", text) is not None
             and "Område 3 Tydlighet" not in text, "area 3's title does not wrap, or 'Område 3' is still shown")
    return expected_json(spec, pdf) | {"producer": "chromium"}


# -- 5. area chapters named only -------------------------------------------------------------------
def area_headings_name_only(pdf: Path) -> dict:
    """WeasyPrint; area chapters headed by the area's name only ("Personalpolitik"), no number at all,
    and the findings heading "Sammanfattande bedömning"."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-serif"])
    html = re.sub(r"<h2>Område \d ", "<h2>", html)
    html = re.sub(r"<h3>Sammanfattning område \d</h3>", "<h3>Sammanfattande bedömning</h3>", html)
    _print_html(html, pdf, "weasyprint")
    text = _joined(pdf)
    _require("Område 6" not in text and "Sammanfattande bedömning" in text, "area numbers still shown")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


# -- 6. the area table transposed: areas as columns ------------------------------------------------
def _table1(html: str) -> re.Match:
    match = re.search(r'<p class="caption">Tabell 1[^<]*</p><table class="data">.*?</table>', html, flags=re.S)
    if match is None:
        raise NotShown("no Tabell 1 in the HTML")
    return match


def area_table_transposed(pdf: Path) -> dict:
    """Chromium; "Tabell 1" with the areas as columns headed 1 … 8 and "Totalt", and two rows: the
    municipality ("Fagersta 2009") and the median."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-sans"])
    head = "<tr><th>Huvudområde</th>" + "".join(f"<th>{n}</th>" for n in range(1, 9)) + "<th>Totalt</th></tr>"
    own = (f"<tr><td>{spec.kommun} {spec.year}</td>" + "".join(f'<td class="n">{swedish_number(a.score)}</td>'
                                                             for a in spec.areas)
           + f'<td class="n">{swedish_number(spec.total)}</td></tr>')
    median = ("<tr><td>Median alla utvärderingar</td>"
              + "".join(f'<td class="n">{swedish_number(a.reference)}</td>' for a in spec.areas)
              + f'<td class="n">{swedish_number(spec.median_total)}</td></tr>')
    legend = "<p>" + "; ".join(f"{a.number} = {escape(a.table_name)}" for a in spec.areas) + ".</p>"
    table = _table1(html)
    caption = re.match(r'<p class="caption">[^<]*</p>', table.group(0)).group(0)
    html = html.replace(table.group(0), caption + f'<table class="data"><thead>{head}</thead><tbody>{own}{median}'
                        "</tbody></table>" + legend)
    _print_html(html, pdf, "chromium")
    _require(re.search(r"Huvudområde\s+1\s+2\s+3", _joined(pdf)) is not None, "areas are not the columns")
    return expected_json(spec, pdf) | {"producer": "chromium"}


# -- 7. the area table with the reference column first ---------------------------------------------
def area_table_reference_first(pdf: Path) -> dict:
    """WeasyPrint; "Tabell 1" with the median column before the municipality's own column
    (Huvudområde | Median … | Fagersta 2009)."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-plain"])
    table = _table1(html)
    swapped = re.sub(r"(<t[hd][^>]*>[^<]*</t[hd]>)(<t[hd][^>]*>[^<]*</t[hd]>)(<t[hd][^>]*>[^<]*</t[hd]>)</tr>",
                     r"\1\3\2</tr>", table.group(0))
    html = html.replace(table.group(0), swapped)
    _print_html(html, pdf, "weasyprint")
    _require(re.search(r"Huvudområde\s+Median[^\d]*Fagersta\s+2009", _joined(pdf)) is not None, "median column not first")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


# -- 8. the comparison table split over two pages, header repeated ---------------------------------
def comparison_split_pages(pdf: Path) -> dict:
    """Chromium; "Tabell 2" broken after area 4 onto the next page, where the browser repeats its
    header row (thead) — areas 5–8 and "Totalt" under a second copy of the municipalities' names."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-sans"])
    start = html.index('<p class="caption">Tabell 2')
    end = html.index("</table>", start)
    part = html[start:end].replace('<tr><td>4</td>', '<tr class="break-after"><td>4</td>', 1)
    html = html[:start] + part + html[end:]
    html = _with_css(html, "tr.break-after { break-after: page; page-break-after: always; }")
    _print_html(html, pdf, "chromium")
    pages = [i for i, text in enumerate(page_texts(pdf)) if re.search(r"Eksjö\s+2008", text)]
    _require(len(pages) >= 2 and pages[1] == pages[0] + 1, f"the header is not repeated on the next page: {pages}")
    return expected_json(spec, pdf) | {"producer": "chromium"}


# -- 9. the score summary on wide (landscape) pages without /Rotate --------------------------------
def landscape_wide_summary(pdf: Path) -> dict:
    """WeasyPrint; chapter 4 on named CSS pages `size: A4 landscape` — wide MediaBoxes, no /Rotate —
    as one table with the question texts on one long line each."""
    spec = trimmed_seed(1)
    html = report_html(spec, SANS_SERIF)
    html = html.replace('<h1 class="chapter">4. ', '<div class="wide"><h1 class="chapter">4. ', 1)
    html = html.replace("</body>", "</div></body>")
    html = _with_css(html, "@page wide { size: A4 landscape; margin: 15mm; } div.wide { page: wide; }")
    _print_html(html, pdf, "weasyprint")
    sizes = _page_sizes(pdf)
    _require(any(w > h and r == 0 for w, h, r in sizes) and sizes[0][0] < sizes[0][1], f"no wide page: {sizes}")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


# -- 10. cited municipalities with hyphens, spaces and genitives -----------------------------------
CITED_SENTENCE = ("Inspirerande exempel finns i Malung-Sälens kommun, som publicerar nämndernas protokoll samma "
                  "dag som mötet, och i Upplands Väsby och Dals-Ed, där fullmäktiges sammanträden sänds direkt "
                  "på webben.")


def good_examples_diacritics(pdf: Path) -> dict:
    """WeasyPrint; area 1 cites "Malung-Sälens kommun" (a genitive of a hyphenated name), "Upplands
    Väsby" (two words) and "Dals-Ed" as good examples."""
    spec = trimmed_seed(1)
    area = spec.areas[0]
    at = next(i for i, block in enumerate(area.prose) if block.kind == PARAGRAPH)
    area.prose.insert(at + 1, Block(PARAGRAPH, CITED_SENTENCE))
    area.cited = area.cited + ["Malung-Sälen", "Upplands Väsby", "Dals-Ed"]
    _print_html(report_html(spec, HTML_STYLES["web-sans"]), pdf, "weasyprint")
    _require("Malung-Sälens" in _joined(pdf), "the genitive is not in the text layer")
    return expected_json(spec, pdf) | {"producer": "weasyprint", "check_good_examples": True}


# -- 11. a full 2010–2019 report from pdfTeX scrartcl: contents, footnotes, roman front matter -----
def _scrartcl_source(spec: ReportSpec) -> str:
    source = report_tex(spec, "tex-article")
    source = source.replace("{article}", "{scrartcl}", 1)
    source = source.replace("\\begin{document}", "\\begin{document}\n\\pagenumbering{roman}", 1)
    toc = "\\tableofcontents\n\\clearpage\n\\pagenumbering{arabic}\n"
    source = source.replace("\\end{titlepage}\n", "\\end{titlepage}\n" + toc, 1)

    def listed(match: re.Match) -> str:
        title = match.group(1)
        return f"\\section*{{{title}}}\\addcontentsline{{toc}}{{subsection}}{{{title}}}\n"

    source = re.sub(r"\\section\*\{(Område \d [^}]*)\}\n", listed, source)
    for chapter in ("1 Vad är Kommunkompassen", "3 Detaljerad genomgång", "4. "):
        source = re.sub(r"\\section\*\{(" + re.escape(chapter) + r"[^}]*)\}\n",
                        lambda m: f"\\section*{{{m.group(1)}}}\\addcontentsline{{toc}}{{section}}{{{m.group(1)}}}\n",
                        source, count=1)
    for area in spec.areas:  # one footnote in the first paragraph of each area
        first = next((b.text for b in area.prose if b.kind == PARAGRAPH and b.text), None)
        if first:
            sentence_end = tex(first).find(". ")
            if sentence_end > 0:
                escaped = tex(first)
                note = (f"\\footnote{{Uppgiften bygger på intervjuer och på kommunens styrdokument "
                        f"från {spec.year - 1}.}}")
                source = source.replace(escaped, escaped[:sentence_end + 1] + note + escaped[sentence_end + 1:], 1)
    return source


def latex_scrartcl_toc_footnotes(pdf: Path) -> dict:
    """pdfTeX, KOMA-Script scrartcl (sans headings), Palatino with fi/fl ligatures; a 2010–2019 full
    report with a table of contents whose dotted leaders and page numbers name every area, a
    footnote in each area's first paragraph and roman page numbers on the front matter."""
    spec = full_2010_spec()
    pdflatex_pdf(_scrartcl_source(spec), pdf, runs=2)
    texts = page_texts(pdf)
    _require(any(re.search(r"Område 8 [^\n]*\. \.[^\n]*\d", t) for t in texts[:3]),
             "no table of contents with dotted leaders naming area 8")
    _require(any("Uppgiften bygger på intervjuer" in t for t in texts), "no footnote in the text layer")
    _require(any(re.search(r"(?m)^\s*ii\s*$", t) for t in texts[:3]), "no roman page number on the front matter")
    return expected_json(spec, pdf) | {"producer": "pdflatex-scrartcl"}


# -- 12. a full 2020– report from Word, tagged PDF with bookmarks -----------------------------------
def _tagged_pdf(docx: Path, out_dir: Path) -> Path:
    from tests.synthetic.word.convert import soffice

    options = json.dumps({"UseTaggedPDF": {"type": "boolean", "value": "true"},
                          "ExportBookmarks": {"type": "boolean", "value": "true"},
                          "ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"}})
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to",
                        f"pdf:writer_pdf_Export:{options}", "--outdir", str(out_dir), str(docx)],
                       capture_output=True, text=True, timeout=180, check=False)
    produced = out_dir / f"{docx.stem}.pdf"
    if not produced.exists():
        raise NotShown("LibreOffice wrote no tagged PDF")
    return produced


def full_2020_word_tagged(pdf: Path) -> dict:
    """Word → LibreOffice (tagged PDF, bookmarks from the headings); a FULL 2020– report with its own
    wording: area chapters "Område 5: Brukarens fokus", findings under "Sammanfattande bedömning",
    "Det här gör kommunen bra" and "Det här kan kommunen utveckla"."""
    from tests.synthetic.word.document import build_document
    from tests.synthetic.word.layouts import CLASSIC

    spec = full_spec("2020-")
    spec.wording = replace(spec.wording, findings_heading="Sammanfattande bedömning",
                           strengths="Det här gör kommunen bra", improvements="Det här kan kommunen utveckla")
    writer = build_document(spec, CLASSIC)
    for paragraph in writer.document.paragraphs:  # "Område 5 Brukarens fokus" → "Område 5: Brukarens fokus"
        if re.fullmatch(r"Område \d .+", paragraph.text) and paragraph.style.name.startswith("Heading"):
            first = paragraph.runs[0]
            first.text = re.sub(r"^Område (\d) ", r"Område \1: ", first.text)
    with tempfile.TemporaryDirectory(prefix="audit2-word-") as work:
        docx = Path(work) / f"{pdf.stem}.docx"
        writer.save(docx)
        pdf.write_bytes(_tagged_pdf(docx, Path(work)).read_bytes())
    data = pdf.read_bytes()
    _require(b"/StructTreeRoot" in data and b"/Outlines" in data, "not tagged, or no bookmarks")
    _require("Det här kan kommunen utveckla" in _joined(pdf), "list heading not in the text layer")
    return expected_json(spec, pdf) | {"producer": "python-docx+libreoffice-tagged"}


AUDIT_MAX_BYTES = 1_000_000

KINDS = {
    "summary-decimal-percent": summary_decimal_percent,
    "summary-fraga-ids": summary_fraga_ids,
    "findings-leadin-paragraphs": findings_leadin_paragraphs,
    "area-headings-section-numbers": area_headings_section_numbers,
    "area-headings-name-only": area_headings_name_only,
    "area-table-transposed": area_table_transposed,
    "area-table-reference-first": area_table_reference_first,
    "comparison-split-pages": comparison_split_pages,
    "landscape-wide-summary": landscape_wide_summary,
    "good-examples-diacritics": good_examples_diacritics,
    "latex-scrartcl-toc-footnotes": latex_scrartcl_toc_footnotes,
    "full-2020-word-tagged": full_2020_word_tagged,
}


def build(kind: str, out_dir: Path = OUT_DIR, kinds: dict | None = None, max_bytes: int = AUDIT_MAX_BYTES
          ) -> tuple[Path, Path]:
    """Build one audit document of `kinds` (this round's by default) and its expected result. Audit
    documents are not committed, so the fixtures' size bound is lifted (the tagged Word PDF is ~420 kB;
    as a fixture it must be trimmed)."""
    from tests.regressions import build as fixtures

    bound, fixtures.MAX_BYTES = fixtures.MAX_BYTES, max_bytes
    try:
        return fixtures.build(kind, out_dir, KINDS if kinds is None else kinds)
    finally:
        fixtures.MAX_BYTES = bound


def main(argv: list[str] | None = None, build_one=build, all_kinds: dict = KINDS) -> int:
    kinds = (argv if argv is not None else sys.argv[1:]) or list(all_kinds)
    failed = 0
    for kind in kinds:
        try:
            pdf, _ = build_one(kind)
            print(f"{pdf.name}  {pdf.stat().st_size // 1000} kB")
        except Exception as error:  # noqa: BLE001 - report each builder's failure and go on
            failed += 1
            print(f"{kind}: BUILD FAILED {type(error).__name__}: {error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
