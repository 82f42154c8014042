"""HTML to PDF as browsers and HTML engines print it: headless Chromium, wkhtmltopdf, WeasyPrint."""
from __future__ import annotations

import tempfile
from pathlib import Path

from tests.synthetic.producers.tools import ToolFailed, ToolMissing, run_tool

CHROMIUM_TIMEOUT = 120


def chromium_pdf(html: Path, pdf: Path, header_footer: bool = False) -> Path:
    """`chromium --headless --print-to-pdf`: with `header_footer`, Chromium's own header (date, title)
    and footer (file URL, "1/12") on every page, as "Save as PDF" prints by default."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-first-run", "--disable-extensions", "--run-all-compositor-stages-before-draw",
                   f"--user-data-dir={profile}", f"--print-to-pdf={pdf}"]
        if not header_footer:
            command.append("--no-pdf-header-footer")
        command.append(Path(html).resolve().as_uri())
        return run_tool(command, pdf, timeout=CHROMIUM_TIMEOUT)


def wkhtmltopdf_pdf(html: Path, pdf: Path, footer: str | None = None) -> Path:
    """wkhtmltopdf (Qt WebKit); `footer` e.g. "[page]" or "Sida [page] av [topage]" (centred)."""
    command = ["wkhtmltopdf", "--quiet", "--encoding", "utf-8", "--page-size", "A4", "--enable-local-file-access"]
    if footer:
        command += ["--footer-center", footer, "--footer-font-size", "8"]
    return run_tool(command + [str(html), str(pdf)], pdf)


def weasyprint_pdf(html: Path, pdf: Path, footer_css: str = "") -> Path:
    """WeasyPrint (Python; pango for text); `footer_css` adds @page margin boxes."""
    try:
        import weasyprint
    except ImportError:  # pragma: no cover - a dev dependency
        raise ToolMissing("weasyprint is not installed: pip install weasyprint (needs libpango)") from None
    stylesheets = [weasyprint.CSS(string=footer_css)] if footer_css else []
    try:
        weasyprint.HTML(filename=str(html)).write_pdf(str(pdf), stylesheets=stylesheets)
    except Exception as error:  # noqa: BLE001 - report any engine failure as one line
        raise ToolFailed(f"weasyprint failed: {type(error).__name__}: {error}") from None
    return Path(pdf)
