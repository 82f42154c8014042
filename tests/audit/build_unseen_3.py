"""A third audit: test PDFs unlike anything in tests/synthetic, tests/regressions, tests/layouts and
the first two audits, in ways real reports (2002–2024, made by many hands and tools) plausibly differ.

Same shape as `build_unseen_2`: one builder per document kind writes a small, real PDF through a
real producer, checks (`_require`) that the PDF shows the property it is named for, and returns the
extraction it must give. Variations are made by hand on the semantic HTML or the printed PDF, not
drawn from `extractors/data/vocabulary.yml`.

`python -m tests.audit.build_unseen_3 [KIND …]` writes `tests/audit/out/<kind>.pdf` and
`<kind>.expected.json` (not committed); `python -m tests.audit.run_audit KIND …` extracts them.
"""
from __future__ import annotations

import re
import sys
import tempfile
from html import escape
from pathlib import Path

from tests.audit.build_unseen import OUT_DIR, _joined, full_2010_spec
from tests.audit import build_unseen_2
from tests.audit.build_unseen_2 import _print_html, _with_css
from tests.regressions.kinds import _require, page_texts, trimmed_seed
from tests.synthetic.html import HTML_STYLES, report_html
from tests.synthetic.producers.tools import run_tool
from tests.synthetic.seedtext import PARAGRAPH, Block
from tests.synthetic.spec import expected_json, percent_of, swedish_number


def _table(html: str, caption: str) -> tuple[int, int]:
    """(start, end) of the caption paragraph starting `caption` and the table after it."""
    start = html.index(f'<p class="caption">{caption}')
    return start, html.index("</table>", start) + len("</table>")


def _retable(html: str, caption: str, change) -> str:
    start, end = _table(html, caption)
    return html[:start] + change(html[start:end]) + html[end:]


# -- 1. an old report scanned to 1-bit images with Tesseract's invisible text layer --------------
def _scan_page(png: Path, scanned: Path, angle: float) -> None:
    """A printed page as an office scanner saw it: slightly skewed, thresholded to black and white."""
    from PIL import Image

    image = Image.open(png).convert("L").rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    image.point(lambda v: 255 if v > 150 else 0).convert("1").save(scanned, dpi=(300, 300))


def ocr_sandwich_scan(pdf: Path) -> dict:
    """A 2002–2009 report printed, scanned at 300 dpi black-and-white with a slight skew, and OCR'd
    by Tesseract (`tesseract page.png out -l swe pdf`: the page image with an invisible text layer
    over it, per page), the pages joined with qpdf — an archive's "searchable PDF". The text layer
    holds Tesseract's reading, errors and all; numbers must be exact or warned."""
    spec = trimmed_seed(1)
    with tempfile.TemporaryDirectory(prefix="audit3-scan-") as work:
        root = Path(work)
        printed = _print_html(report_html(spec, HTML_STYLES["web-serif"]), root / "printed.pdf", "chromium")
        run_tool(["pdftoppm", "-r", "300", "-gray", "-png", str(printed), str(root / "p")], root / "p-01.png")
        pages = sorted(root.glob("p-*.png"))
        outputs = []
        for index, png in enumerate(pages):
            scanned = root / f"s-{index:02d}.png"
            _scan_page(png, scanned, (0.35, -0.25, 0.15)[index % 3])
            base = root / f"o-{index:02d}"
            run_tool(["tesseract", str(scanned), str(base), "-l", "swe", "--dpi", "300", "pdf"],
                     base.with_suffix(".pdf"), timeout=240)
            outputs.append(str(base.with_suffix(".pdf")))
        run_tool(["qpdf", "--deterministic-id", "--empty", "--pages", *outputs, "--", str(pdf)], pdf)
    text = _joined(pdf)
    _require(b"/Image" in pdf.read_bytes() and "Förbättringsområden" in text.replace("\n", " ") or "rbättrings" in text,
             "no page image or no OCR text layer")
    return expected_json(spec, pdf) | {"producer": "chromium+scan+tesseract-pdf+qpdf"}


# -- 2. Word through PostScript and Distiller-style ps2pdf (Word 2003 → PDFCreator) ---------------
def word_postscript_ps2pdf(pdf: Path) -> dict:
    """Word → LibreOffice PDF → `pdftops` (a PostScript print file) → `ps2pdf` (Ghostscript), the
    path of Word 2003 with a PostScript printer driver and PDFCreator/Distiller: fonts re-embedded
    from the PostScript, text re-encoded by glyph name."""
    from tests.audit.build_unseen import _word_pdf
    from tests.synthetic.word.document import build_document
    from tests.synthetic.word.layouts import CLASSIC

    spec = trimmed_seed(1)
    with tempfile.TemporaryDirectory(prefix="audit3-ps-") as work:
        root = Path(work)
        word = _word_pdf(build_document(spec, CLASSIC), root / "word.pdf")
        run_tool(["pdftops", "-level2", str(word), str(root / "print.ps")], root / "print.ps")
        run_tool(["ps2pdf", "-dPDFSETTINGS=/printer", str(root / "print.ps"), str(pdf)], pdf)
    _require(b"Ghostscript" in pdf.read_bytes() or b"GPL" in pdf.read_bytes(), "not a Ghostscript PDF")
    return expected_json(spec, pdf) | {"producer": "python-docx+libreoffice+pdftops+ps2pdf"}


# -- 3. numbers with a decimal point (English-locale Excel pasted into the report) ----------------
def numbers_decimal_point(pdf: Path) -> dict:
    """WeasyPrint; every number of Tabell 1, Tabell 2 and the score summary written with a decimal
    point ("59.5", "62.0", points "2.5") as pasted from an English-locale Excel sheet; the prose
    keeps Swedish decimal commas."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-serif"])
    html = re.sub(r'(<td class="n">)(\d+),(\d+)', r"\1\2.\3", html)
    _print_html(html, pdf, "weasyprint")
    text = _joined(pdf)
    _require(re.search(r"\b59\.5\b", text) is not None and re.search(r"\b2\.5\b", text) is not None
             and re.search(r"\b\d+,\d\b", " ".join(re.findall(r"\d+[,.]\d", text))) is None,
             "no decimal points, or decimal commas left in the tables")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


# -- 4. units, footnote marks and a dash for a missing value --------------------------------------
def numbers_units_footnotes_dash(pdf: Path) -> dict:
    """Chromium; Tabell 1 prints scores with a unit ("64 p", median "62,0 p") and the total with a
    footnote mark ("466 p¹", the footnote under the table); Tabell 2 prints "–" for an area one
    evaluation did not report (Gällivare 2003, area 2), a footnote mark on that column's total
    ("320,5*") and the footnote below."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-sans"])

    def units(table: str) -> str:
        table = re.sub(r'<td class="n">([\d,]+)</td>', r'<td class="n">\1&nbsp;p</td>', table)
        table = re.sub(r'(<tr class="total"><td>[^<]*</td><td class="n">[\d,]+&nbsp;p)', r"\1<sup>1</sup>", table)
        return table + "<p><small><sup>1</sup> Av maximalt 800 poäng.</small></p>"

    gallivare = next(i for i, c in enumerate(spec.comparisons) if c.kommun == "Gällivare")
    column = gallivare + 2  # Kriterium, the municipality's own column, then the comparisons

    def dashes(table: str) -> str:
        def row(match: re.Match) -> str:
            cells = re.findall(r"<t[dh][^>]*>.*?</t[dh]>", match.group(0))
            label = re.sub(r"<[^>]+>", "", cells[0])
            if label == "2":
                cells[column] = '<td class="n">–</td>'
            elif label == "Totalt":
                total = spec.comparisons[gallivare].total - spec.comparisons[gallivare].scores[1]
                cells[column] = f'<td class="n">{swedish_number(total)}*</td>'
            return "<tr>" + "".join(cells) + "</tr>"

        table = re.sub(r"<tr>.*?</tr>", row, table)
        return table + ("<p><small>* Gällivare utvärderades 2003 med en tidigare version av Kommunkompassen; "
                        "område 2 redovisades inte och ingår inte i summan.</small></p>")

    html = _retable(html, "Tabell 1", units)
    html = _retable(html, "Tabell 2", dashes)
    _print_html(html, pdf, "chromium")
    text = _joined(pdf)
    _require("64 p" in text and re.search(r"466 p\s*1", text) is not None and " – " in text, "units, mark or dash not shown")
    expected = expected_json(spec, pdf)
    expected["comparisons"] = [c for c in expected["comparisons"] if not (c["kommun"] == "Gällivare" and c["area"] == 2)]
    return expected | {"producer": "chromium"}


# -- 5. comparison columns headed "… kommun 2008", "… stad", "Region Gotland" ---------------------
def comparison_stad_region_headers(pdf: Path) -> dict:
    """WeasyPrint; Tabell 2's columns headed with the bodies' own names: "Fagersta kommun 2009",
    "Eksjö kommun 2008", "Västerås stad 2009", "Göteborgs Stad 2007", "Region Gotland 2005" …
    (the contract's kommun is the municipality's name: Göteborg, Gotland)."""
    spec = trimmed_seed(1)
    renamed = {"Karlskoga": ("Göteborg", "1480", "Göteborgs Stad"), "Botkyrka": ("Gotland", "0980", "Region Gotland")}
    headers = {}
    for comparison in spec.comparisons:
        if comparison.kommun in renamed:
            comparison.kommun, comparison.kommunkod, headers[comparison.kommun] = renamed[comparison.kommun]
        else:
            headers[comparison.kommun] = comparison.kommun + (" stad" if comparison.kommun == "Västerås" else " kommun")
    html = report_html(spec, HTML_STYLES["web-serif"])

    def header(table: str) -> str:
        table = table.replace(f"<th>{spec.kommun} {spec.year}</th>", f"<th>{spec.kommun} kommun {spec.year}</th>", 1)
        for comparison in spec.comparisons:
            table = table.replace(f"<th>{comparison.kommun} {comparison.year}</th>",
                                  f"<th>{escape(headers[comparison.kommun])} {comparison.year}</th>", 1)
        return table

    html = _retable(html, "Tabell 2", header)
    _print_html(html, pdf, "weasyprint")
    text = " ".join(_joined(pdf).split())
    _require("Region Gotland" in text and "Göteborgs Stad" in text and "Västerås stad" in text, "headers not shown")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


# -- 6. comparison table with the years in a header row of their own -------------------------------
def comparison_years_own_row(pdf: Path) -> dict:
    """Chromium; Tabell 2's header in two rows: the municipalities' names ("Område", "Fagersta",
    "Eksjö" …) and under them the years ("", "2009", "2008" …), as a spreadsheet pasted into Word."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-sans"])

    def header(table: str) -> str:
        names = "<tr><th>Område</th>" + f"<th>{spec.kommun}</th>" + "".join(
            f"<th>{escape(c.kommun)}</th>" for c in spec.comparisons) + "</tr>"
        years = "<tr><th></th>" + f"<th>{spec.year}</th>" + "".join(
            f"<th>{c.year}</th>" for c in spec.comparisons) + "</tr>"
        return re.sub(r"<thead>.*?</thead>", f"<thead>{names}{years}</thead>", table, count=1, flags=re.S)

    html = _retable(html, "Tabell 2", header)
    _print_html(html, pdf, "chromium")
    _require(re.search(r"Fagersta\s+Eksjö", _joined(pdf)) is not None
             and re.search(r"2009\s+2008\s+2003", _joined(pdf)) is not None, "names and years not in rows of their own")
    return expected_json(spec, pdf) | {"producer": "chromium"}


# -- 7. a title page in prose -----------------------------------------------------------------------
def title_prose_evaluators(pdf: Path) -> dict:
    """WeasyPrint; the title page reads "Kommunkompassen – Utvärdering av Fagersta kommun 2009" and
    one sentence "Utvärderingen genomfördes den 7–9 oktober 2009 av Leif Erichson och Karin
    Tengdelius, båda Sveriges Kommuner och Landsting, samt Barbro Östberg, Göteborgs stad." — no
    ISO date, no evaluator lines."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-plain"])
    start, end = html.index('<header class="title">'), html.index("</header>") + len("</header>")
    title = ('<header class="title"><p class="name">Kommunkompassen</p>'
             f"<h1>Utvärdering av {spec.kommun} kommun {spec.year}</h1>"
             "<p>Sveriges Kommuner och Landsting, Sektionen för demokrati och styrning</p>"
             "<p>Utvärderingen genomfördes den 7–9 oktober 2009 av Leif Erichson och Karin Tengdelius, båda "
             "Sveriges Kommuner och Landsting, samt Barbro Östberg, Göteborgs stad.</p></header>")
    html = html[:start] + title + html[end:]
    _print_html(html, pdf, "weasyprint")
    text = " ".join(_joined(pdf).split())
    _require("7–9 oktober 2009" in text and "2009-10-07" not in text, "prose date not shown, or an ISO date left")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


# -- 8. good examples cited in other Swedish ways, and names that are not citations ----------------
CITING = {
    2: ("Läs mer om Nacka kommuns arbete med servicegarantier, som har blivit en förebild för många "
        "kommuner.", ["Nacka"]),
    4: ("Inspiration kan hämtas från Umeå, Lund och Nacka, som alla har byggt upp chefsforum där "
        "enhetscheferna får stöd i sitt ledarskap.", ["Umeå", "Lund", "Nacka"]),
    5: ("Kommunen bör redovisa resultaten per enhet på webben, som i Malmö stad, där varje förskola och "
        "skola visar sina resultat.", ["Malmö"]),
}
NOT_CITING = {
    3: "Fagersta samverkar med Norbergs kommun och Skinnskatteberg inom räddningstjänsten och överförmyndarverksamheten.",
    6: "Många av kommunens medarbetare pendlar från Avesta och Sala, och rekryteringen påverkas av arbetsmarknaden där.",
}


def good_examples_other_wordings(pdf: Path) -> dict:
    """WeasyPrint; good examples cited as "Läs mer om Nacka kommuns arbete …", "Inspiration kan
    hämtas från Umeå, Lund och Nacka", "… som i Malmö stad"; and two sentences that name
    neighbouring municipalities without citing them (Norberg, Skinnskatteberg, Avesta, Sala)."""
    spec = trimmed_seed(1)
    for number, sentence in [(n, s) for n, (s, _) in CITING.items()] + list(NOT_CITING.items()):
        area = spec.areas[number - 1]
        at = next(i for i, block in enumerate(area.prose) if block.kind == PARAGRAPH and block.text and len(block.text) > 60)
        area.prose.insert(at + 1, Block(PARAGRAPH, sentence))
        area.cited = area.cited + CITING.get(number, ("", []))[1]
    _print_html(report_html(spec, HTML_STYLES["web-sans"]), pdf, "weasyprint")
    text = " ".join(_joined(pdf).split())
    _require("Inspiration kan hämtas från Umeå, Lund och Nacka" in text and "pendlar från Avesta" in text,
             "the sentences are not in the text layer")
    return expected_json(spec, pdf) | {"producer": "weasyprint", "check_good_examples": True}


# -- 9. a 2010–2019 score summary without a percent column, sums as "Summa 64 av 100" ---------------
def summary_no_percent_summa_av(pdf: Path) -> dict:
    """Chromium; a full 2010–2019 report whose score summary has no percent column (Nr | Delfråga |
    Max | Poäng) and closes each area with a row "Summa 64 av 100" in the text column; the contract's
    percent is then round(100·points/max), what the report would have printed."""
    spec = full_2010_spec()
    html = report_html(spec, HTML_STYLES["web-sans"])
    start = html.index('<h1 class="chapter">4. ')
    head, summary = html[:start], html[start:]
    summary = summary.replace("<th>Procent</th>", "").replace(f"<th>{spec.wording.percent_header}</th>", "")
    summary = re.sub(r'<td class="n">\d+%</td></tr>', "</tr>", summary)
    tables = summary.split("</tbody></table>")
    for area, index in zip(spec.areas, range(len(tables) - 1)):
        tables[index] += (f'<tr class="total"><td></td><td><b>Summa {swedish_number(area.score)} av 100</b></td>'
                          "<td></td><td></td></tr>")
    html = head + "</tbody></table>".join(tables)
    _print_html(html, pdf, "chromium")
    text = _joined(pdf)
    _require(re.search(r"Summa \d+(,5)? av 100", text) is not None and "%" not in text.split("Summa", 1)[1],
             "no 'Summa N av 100' rows, or a percent left in the summary")
    return expected_json(spec, pdf) | {"producer": "chromium"}


# -- 10. InDesign-like typesetting: justified columns, soft hyphens, ligatures ----------------------
SOFT_HYPHEN = "\u00ad"


def _soft_hyphenate(text: str) -> str:
    """A discretionary hyphen in the middle of every word of 11 letters or more (as InDesign's
    Swedish hyphenation leaves them in the story)."""
    def word(match: re.Match) -> str:
        w = match.group(0)
        return w[: len(w) // 2] + SOFT_HYPHEN + w[len(w) // 2:]

    return re.sub(r"[A-Za-zÅÄÖåäö]{11,}", word, text)


def indesign_soft_hyphens_ligatures(pdf: Path) -> dict:
    """Chromium; body text and findings justified in two narrow columns in Latin Modern Roman (an
    OpenType face with fi/ffi/fl ligatures), every long word carrying a soft hyphen, so lines break
    inside words ("förbätt-/ringsområden") and "fi" is one glyph, as an InDesign export."""
    spec = trimmed_seed(1)
    html = report_html(spec, HTML_STYLES["web-sans"])
    body = html.index("<body>")

    def hyphenate(match: re.Match) -> str:
        return match.group(1) + _soft_hyphenate(match.group(2)) + match.group(3)

    parts = re.split(r"(<table.*?</table>)", html[body:], flags=re.S)
    for index in range(0, len(parts), 2):  # outside tables only: numbers and table names stay whole
        parts[index] = re.sub(r"(<(?:p|li)>)([^<]*)(</(?:p|li)>)", hyphenate, parts[index])
    html = html[:body] + "".join(parts)
    html = _with_css(html, 'body { font-family: "Latin Modern Roman"; text-align: justify; hyphens: manual; }'
                           " section { columns: 2; column-gap: 8mm; } section h2 { column-span: all; }")
    _print_html(html, pdf, "chromium")
    text = _joined(pdf)
    _require(re.search(r"[a-zåäö][-\u2010]\s*\n\s*[a-zåäö]", text) is not None, "no line broken inside a word")
    _require(any("\ufb01" in t or "\ufb03" in t for t in page_texts(pdf)) or b"LMRoman" in pdf.read_bytes(),
             "not set in Latin Modern")
    return expected_json(spec, pdf) | {"producer": "chromium-latin-modern"}


AUDIT_MAX_BYTES = 2_000_000

KINDS = {
    "ocr-sandwich-scan": ocr_sandwich_scan,
    "word-postscript-ps2pdf": word_postscript_ps2pdf,
    "numbers-decimal-point": numbers_decimal_point,
    "numbers-units-footnotes-dash": numbers_units_footnotes_dash,
    "comparison-stad-region-headers": comparison_stad_region_headers,
    "comparison-years-own-row": comparison_years_own_row,
    "title-prose-evaluators": title_prose_evaluators,
    "good-examples-other-wordings": good_examples_other_wordings,
    "summary-no-percent-summa-av": summary_no_percent_summa_av,
    "indesign-soft-hyphens-ligatures": indesign_soft_hyphens_ligatures,
}


def build(kind: str, out_dir: Path = OUT_DIR) -> tuple[Path, Path]:
    """Build one audit document and its expected result; the fixtures' size bound is lifted (a scan
    is larger than a printed report)."""
    return build_unseen_2.build(kind, out_dir, KINDS, AUDIT_MAX_BYTES)


if __name__ == "__main__":
    sys.exit(build_unseen_2.main(None, build, KINDS))
