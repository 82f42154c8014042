"""PDF producers of the synthetic corpus: each turns a `ReportSpec` into a PDF its own way.

`PRODUCERS[name].render(spec, pdf, index)` writes the PDF; `index` picks the producer's style
(layout, CSS, LaTeX class, re-save mode) so a corpus cycles through them. Re-save producers print a
report first (reportlab or pdfTeX) and pass it through their tool; their report 0 is the real
bundled report instead (`uses_real_report`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.synthetic.spec import ReportSpec


@dataclass(frozen=True)
class Producer:
    name: str
    tools: tuple[str, ...]  # programs that must be installed (tools.tool names)
    variants: tuple[str, ...]  # the styles it cycles through, by report index
    render: Callable[[ReportSpec, Path, str], Path]  # (spec, pdf path, variant) → pdf path
    uses_real_report: bool = False  # report 0 is the bundled real report re-saved

    def variant(self, index: int) -> str:
        return self.variants[index % len(self.variants)]


def _reportlab(spec: ReportSpec, pdf: Path, variant: str) -> Path:
    from tests.synthetic.render import render

    return render(spec, pdf, variant)


def _libreoffice(spec: ReportSpec, pdf: Path, variant: str) -> Path:
    from tests.synthetic.word.fixtures import render_word

    return render_word(spec, variant, pdf)


WK_FOOTERS = (None, "[page]", "Sida [page] av [topage]")
WEASY_FOOTERS = ("", "@page { @bottom-center { content: counter(page); font-size: 8pt } }",
                 "@page { @bottom-right { content: 'Sida ' counter(page) ' av ' counter(pages); font-size: 8pt } }")


def _via_html(engine: str, **fixed):
    """Write the spec as HTML in the variant's style, print it with `engine`, remove the HTML.
    wkhtmltopdf and WeasyPrint get one of their footers, chosen by the report's year."""
    def render(spec: ReportSpec, pdf: Path, variant: str) -> Path:
        from tests.synthetic.html import report_html
        from tests.synthetic.producers import browsers

        html = pdf.with_suffix(".html")
        html.write_text(report_html(spec, variant), encoding="utf-8")
        options = dict(fixed)
        if engine == "wkhtmltopdf":
            options["footer"] = WK_FOOTERS[spec.year % len(WK_FOOTERS)]
        elif engine == "weasyprint":
            options["footer_css"] = WEASY_FOOTERS[spec.year % len(WEASY_FOOTERS)]
        try:
            return getattr(browsers, f"{engine}_pdf")(html, pdf, **options)
        finally:
            html.unlink()
    return render


def _pdflatex(spec: ReportSpec, pdf: Path, variant: str) -> Path:
    from tests.synthetic.latex import pdflatex_pdf, report_tex

    return pdflatex_pdf(report_tex(spec, variant), pdf)


def _resaved(tool_name: str):
    """Print with reportlab (or pdfTeX for every third report), then re-save with `tool_name`."""
    def render(spec: ReportSpec, pdf: Path, variant: str) -> Path:
        from tests.synthetic.layouts import LAYOUTS

        first = pdf.with_name(pdf.stem + ".orig.pdf")
        if spec.year % 3 == 0:
            _pdflatex(spec, first, "tex-article")
        else:
            _reportlab(spec, first, list(LAYOUTS)[spec.year % len(LAYOUTS)])
        try:
            return resave_real(first, pdf, tool_name, variant)
        finally:
            first.unlink()
    return render


def resave_real(src: Path, dst: Path, tool_name: str, variant: str) -> Path:
    """Re-save an existing PDF (a generated one, or the bundled real report) with one tool."""
    from tests.synthetic.producers import resave

    if tool_name == "gs":
        return resave.ghostscript(src, dst, variant)
    if tool_name == "qpdf":
        return resave.qpdf(src, dst, variant)
    if tool_name == "pdftocairo":
        return resave.pdftocairo(src, dst)
    return resave.mutool(src, dst, variant)


def _producers() -> dict[str, Producer]:
    from tests.synthetic.html import HTML_STYLES
    from tests.synthetic.latex import TEX_STYLES
    from tests.synthetic.layouts import LAYOUTS
    from tests.synthetic.producers.resave import GS_SETTINGS, MUTOOL_MODES, QPDF_MODES
    from tests.synthetic.word.layouts import WORD_LAYOUTS

    html = tuple(HTML_STYLES)
    tex = tuple(TEX_STYLES)
    return {p.name: p for p in (
        Producer("reportlab", (), tuple(LAYOUTS), _reportlab),
        Producer("libreoffice", ("soffice",), tuple(WORD_LAYOUTS), _libreoffice),
        Producer("chromium", ("chromium",), html, _via_html("chromium", header_footer=False)),
        Producer("chromium-hf", ("chromium",), html, _via_html("chromium", header_footer=True)),
        Producer("wkhtmltopdf", ("wkhtmltopdf",), html, _via_html("wkhtmltopdf")),
        Producer("weasyprint", (), html, _via_html("weasyprint")),
        Producer("pdflatex", ("pdflatex",), tex, _pdflatex),
        Producer("gs", ("gs", "pdflatex"), GS_SETTINGS, _resaved("gs"), uses_real_report=True),
        Producer("qpdf", ("qpdf", "pdflatex"), tuple(QPDF_MODES), _resaved("qpdf"), uses_real_report=True),
        Producer("pdftocairo", ("pdftocairo", "pdflatex"), ("cairo",), _resaved("pdftocairo"), uses_real_report=True),
        Producer("mutool", ("mutool", "pdflatex"), MUTOOL_MODES, _resaved("mutool"), uses_real_report=True),
    )}


PRODUCERS: dict[str, Producer] = _producers()
