"""One builder per document kind that once failed (issue 10): each writes a small, real PDF of the
seed report's content through the producer that shows the failure, and returns what extraction
must give. `python -m tests.regressions.build` runs them all; the PDFs are committed.

Each builder checks that its PDF really has the property it is named for (a drawn bullet, a list
split by a bare page number, a line ending in "avdelningar/", a text layer that decodes to
garbage, a font pdfminer.six drops), so a tool upgrade that loses it fails loudly.
"""
from __future__ import annotations

import copy
import random
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from tests.synthetic import names
from tests.synthetic.html import HTML_STYLES, report_html
from tests.synthetic.latex import pdflatex_pdf, report_tex
from tests.synthetic.producers import browsers, resave
from tests.synthetic.seedtext import PARAGRAPH
from tests.synthetic.spec import ReportSpec, expected_json, seed_spec

SWEDISH_WORDS = {"och", "att", "som", "för", "kommunen", "det", "med", "är", "till", "av", "på", "en", "i"}


class NotShown(AssertionError):
    """A built fixture does not show the property it is named for."""


def trimmed_seed(paragraphs: int = 2) -> ReportSpec:
    """The seed report with at most `paragraphs` prose paragraphs per area and chapter: every table,
    question and finding kept, the PDF a fraction of the size."""
    spec = copy.deepcopy(seed_spec())

    def keep(blocks):
        kept, count = [], 0
        for block in blocks:
            if block.kind == PARAGRAPH:
                count += 1
                if count > paragraphs:
                    continue
            kept.append(block)
        return kept

    spec.chapter1 = keep(spec.chapter1)
    spec.chapter2 = keep(spec.chapter2)  # the two tables are not paragraphs: always kept
    for area in spec.areas:
        area.prose = keep(area.prose)
        text = " ".join(b.text for b in area.prose)
        area.cited = [k for k in area.cited if names.mentions(text, k)]
    spec.not_good_examples = [k for k in spec.not_good_examples
                              if any(names.mentions(b.text, k) for b in spec.chapter1 + spec.chapter2)]
    return spec


def _html_pdf(spec: ReportSpec, style, pdf: Path, engine: str, **options) -> Path:
    with tempfile.TemporaryDirectory(prefix="regression-") as work:
        html = Path(work) / "report.html"
        html.write_text(report_html(spec, style), encoding="utf-8")
        if engine == "chromium":
            return browsers.chromium_pdf(html, pdf, **options)
        if engine == "wkhtmltopdf":
            return browsers.wkhtmltopdf_pdf(html, pdf, **options)
        return browsers.weasyprint_pdf(html, pdf, **options)


def page_texts(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotShown(message)


def _no_bullet_glyphs(pdf: Path) -> None:
    text = "".join(page_texts(pdf))
    _require("•" not in text and "\uf0b7" not in text, f"{pdf.name}: bullets reached the text layer")
    with pdfplumber.open(pdf) as document:
        shapes = sum(len(p.curves) + len(p.rects) for p in document.pages)
    _require(shapes > 50, f"{pdf.name}: no drawn bullets ({shapes} curves and rects)")


def drawn_bullets_chromium(pdf: Path) -> dict:
    """Chromium "Save as PDF": list bullets are filled shapes, no bullet character in the text."""
    spec = trimmed_seed(1)
    _html_pdf(spec, HTML_STYLES["web-sans"], pdf, "chromium")
    _no_bullet_glyphs(pdf)
    return expected_json(spec, pdf) | {"producer": "chromium"}


def drawn_bullets_wkhtmltopdf(pdf: Path) -> dict:
    """wkhtmltopdf (Qt WebKit): bullets drawn as shapes, a "Sida N av M" footer."""
    spec = trimmed_seed()
    _html_pdf(spec, HTML_STYLES["web-circle"], pdf, "wkhtmltopdf", footer="Sida [page] av [topage]")
    _no_bullet_glyphs(pdf)
    return expected_json(spec, pdf) | {"producer": "wkhtmltopdf"}


BULLET_OWN_LINE_CSS = 'li::before { content: "•"; display: block; margin-left: -1.2em; line-height: 1.1; }'


def bullet_on_its_own_line(pdf: Path) -> dict:
    """Each bullet glyph is a line of its own above its item; at the top or foot of many pages it
    looks like a running header."""
    spec = trimmed_seed(1)
    style = replace(HTML_STYLES["web-plain"], name="bullet-own-line", extra_css=BULLET_OWN_LINE_CSS)
    _html_pdf(spec, style, pdf, "chromium")
    pages = [[line.strip() for line in text.splitlines() if line.strip()] for text in page_texts(pdf)]
    at_edge = sum(1 for lines in pages if "•" in lines[:3] + lines[-3:])
    _require(at_edge >= max(3, 0.4 * len(pages)), f"{pdf.name}: a lone bullet at the edge of only {at_edge} pages")
    return expected_json(spec, pdf) | {"producer": "chromium"}


def two_column_findings(pdf: Path) -> dict:
    """Strengths left, improvements right, in one table under their two header cells (WeasyPrint)."""
    spec = trimmed_seed()
    style = replace(HTML_STYLES["web-plain"], name="two-column", findings="two_column_table")
    _html_pdf(spec, style, pdf, "weasyprint")
    joined = "\n".join(page_texts(pdf))
    _require(re.search(r"Styrkor\s+Förbättringsområden", joined) is not None,
             f"{pdf.name}: the two header cells are not side by side")
    return expected_json(spec, pdf) | {"producer": "weasyprint"}


def _findings_pages(spec: ReportSpec, pages: list[str]) -> list[tuple[int, str, set[int]]]:
    flat = [re.sub(r"\s+", "", text) for text in pages]
    result = []
    for area in spec.areas:
        for kind, items in (("strength", area.strengths), ("improvement", area.improvements)):
            found = {i for item in items for i, text in enumerate(flat) if re.sub(r"\s+", "", item)[:40] in text}
            result.append((area.number, kind, found))
    return result


def page_number_footer_list_break(pdf: Path) -> dict:
    """pdfTeX, \\pagestyle{plain}: a bare page number is the only footer, and a findings list runs on
    over a page break."""
    for paragraphs in range(1, 9):
        spec = trimmed_seed(paragraphs)
        pdflatex_pdf(report_tex(spec, "tex-article"), pdf)
        pages = page_texts(pdf)
        split = [(a, k) for a, k, found in _findings_pages(spec, pages) if len(found) > 1]
        if split:
            return expected_json(spec, pdf) | {"producer": "pdflatex", "list_split_over_pages": split}
    raise NotShown(f"{pdf.name}: no findings list runs over a page break")


def _slash_wrapped(pdf: Path) -> bool:
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            lines = (page.extract_text() or "").splitlines()
            for line, following in zip(lines, lines[1:]):
                if re.search(r"avdelningar/$", line) and following.startswith("enheter"):
                    return True
    return False


def slash_wrapped_question(pdf: Path) -> dict:
    """A score-summary question wraps right after "avdelningar/" (WeasyPrint breaks after a slash)."""
    spec = trimmed_seed()
    for width in range(30, 80):
        css = f"table.data td:nth-child(2) {{ width: {width}mm; }} table.data {{ table-layout: fixed; }}"
        style = replace(HTML_STYLES["web-plain"], name="slash", extra_css=css)
        _html_pdf(spec, style, pdf, "weasyprint")
        if _slash_wrapped(pdf):
            return expected_json(spec, pdf) | {"producer": "weasyprint", "question_column_mm": width}
    raise NotShown(f"{pdf.name}: no width wraps the question after 'avdelningar/'")


def known_word_share(pdf: Path) -> float:
    words = re.findall(r"\w+", " ".join(page_texts(pdf)).casefold())
    return sum(word in SWEDISH_WORDS for word in words) / max(1, len(words))


def no_unicode_map(pdf: Path) -> dict:
    """Printed by Chromium, to PostScript (pdftops) and back (ps2pdf): the fonts lose their Unicode
    maps and the text layer decodes to shifted glyph codes."""
    spec = trimmed_seed(1)
    with tempfile.TemporaryDirectory(prefix="regression-") as work:
        printed = _html_pdf(spec, HTML_STYLES["web-sans"], Path(work) / "printed.pdf", "chromium")
        _require(known_word_share(printed) > 0.1, "the Chromium print itself is unreadable")
        resave.postscript_round_trip(printed, pdf)
    share = known_word_share(pdf)
    _require(share < 0.01, f"{pdf.name}: the text layer still reads ({share:.1%} known words)")
    source = expected_json(spec, pdf)["source"]
    return {"schema_version": 1, "source": source, "producer": "chromium+pdftops+ps2pdf",
            "expected_error_contains": ["OCR"], "known_word_share": round(share, 4)}


def summary_only(pdf: Path, generation: str) -> dict:
    """A one-page result summary of a later generation: no caption, wrapped area names with the
    numbers on the last line, a change column, "Sverigesnitt" or "Genomsnitt", a total row."""
    from tests.synthetic.summary_only import make_summary_only
    from tests.synthetic.synth import synthetic_spec

    base = seed_spec()
    spec = next(s for s in (synthetic_spec(i, 0, base) for i in range(200)) if s.framework == generation)
    rng = random.Random(f"regression {generation}")
    make_summary_only(spec, rng)
    for area in spec.areas:
        if area.change is None:
            area.change = float(rng.randint(-6, 12))
    if generation == "2020-":
        spec.reference_kind = "Sverigesnitt"
        spec.wording = replace(spec.wording, area_caption=None, reference_header="Sverigesnitt", area_header="Område",
                               score_header="{kommun} {year}", total_label="Totalt", change_header="Förändring")
        style = replace(HTML_STYLES["web-sans"], name="summary-2020", name_column="22%")
        _html_pdf(spec, style, pdf, "chromium")
        producer = "chromium"
    else:
        from tests.synthetic.render import render

        spec.reference_kind = "genomsnitt"
        spec.wording = replace(spec.wording, area_caption=None, reference_header="Genomsnitt", area_header="",
                               score_header="Poäng", total_label="TOTALT", change_header="+/-", minus="−")
        render(spec, pdf, "stacked_unruled")
        producer = "reportlab"
    return expected_json(spec, pdf) | {"producer": producer, "form": spec.form}


def embedded_cmap(pdf: Path) -> dict:
    """WeasyPrint's CID fonts re-encoded with an embedded CMap: pdfium reads every character,
    pdfplumber (pdfminer.six) none of them."""
    spec = trimmed_seed()
    with tempfile.TemporaryDirectory(prefix="regression-") as work:
        printed = _html_pdf(spec, HTML_STYLES["web-plain"], Path(work) / "printed.pdf", "weasyprint")
        resave.embedded_cmap(printed, pdf)
    pdfium_chars = sum(len(text.strip()) for text in page_texts(pdf))
    with pdfplumber.open(pdf) as document:
        plumber_chars = sum(len(page.chars) for page in document.pages)
    _require(pdfium_chars > 10_000 and plumber_chars == 0,
             f"{pdf.name}: pdfium reads {pdfium_chars} characters, pdfplumber {plumber_chars}")
    return expected_json(spec, pdf) | {"producer": "weasyprint+embedded-cmap", "pdfplumber_chars": plumber_chars}


KINDS = {
    "chromium-drawn-bullets": drawn_bullets_chromium,
    "wkhtmltopdf-drawn-bullets": drawn_bullets_wkhtmltopdf,
    "bullet-on-its-own-line": bullet_on_its_own_line,
    "two-column-findings": two_column_findings,
    "page-number-footer-list-break": page_number_footer_list_break,
    "slash-wrapped-question": slash_wrapped_question,
    "no-unicode-map": no_unicode_map,
    "summary-only-2010": lambda pdf: summary_only(pdf, "2010-2019"),
    "summary-only-2020": lambda pdf: summary_only(pdf, "2020-"),
    "embedded-cmap": embedded_cmap,
}
