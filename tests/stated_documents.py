"""Short documents that state a Kommunkompassen result without a report's area table, written for the tests.

The wording is written here (not drawn from `extractors/data/vocabulary.yml` or the statement words); the
area names are the framework's (DESIGN.md). One content — Nora's 2016 evaluation as a one-page summary, and
Sala's 2019 total in a news item — is rendered as a web page (`*_html`) and printed to PDF by several real
producers (Chromium, wkhtmltopdf, WeasyPrint, LibreOffice, ReportLab), with the municipality named in a
different way in each: only in a body sentence, only in the footer address, in the genitive, in the title.
The figures are made up and add up.
"""
from __future__ import annotations

import tempfile
from html import escape
from pathlib import Path

from tests.synthetic.producers import browsers
from tests.synthetic.producers.tools import run_tool

AREAS_2010 = ("Offentlighet och demokrati", "Tillgänglighet och brukarorientering", "Politisk styrning och kontroll",
              "Ledarskap, ansvar och delegation", "Resultat och effektivitet", "Kommunen som arbetsgivare",
              "Verksamhetsutveckling", "Kommunen som samhällsbyggare")
NORA = {1: 62, 2: 58, 3: 71, 4: 60, 5: 66, 6: 57, 7: 63, 8: 75}
NORA_TOTAL, NORA_YEAR = 512, 2016
SALA_TOTAL, SALA_YEAR = 533, 2019

# How each rendering names the municipality: (title heading, sentence before the list, total sentence, footer)
NAMINGS = {
    "body-sentence": ("Kommunkompassen 2016",
                      "Kommunkompassen, som är en utvärdering av Nora kommun, gjordes av två granskare i mars 2016.",
                      "Sammanlagt blev det 512 av 800 möjliga poäng, medan Lindesberg fick 547 poäng och medianen "
                      "för alla kommuner låg på 498 poäng.", ""),
    "footer-address": ("Kommunkompassen 2016",
                       "Granskarna träffade politiker, chefer och medarbetare under tre dagar i mars 2016.",
                       "Sammanlagt blev det 512 av 800 möjliga poäng.", "Kommunhuset, Box 111, 713 80 Nora"),
    "genitive": ("Noras resultat i Kommunkompassen 2016",
                 "Granskarna träffade politiker, chefer och medarbetare under tre dagar i mars 2016.",
                 "Totalt fick Nora 512 av 800 poäng, vilket kan jämföras med Lindesbergs 547 poäng.", ""),
    "title": ("Nora kommun – Kommunkompassen 2016",
              "Nora kommun utvärderades i mars 2016 av två granskare.",
              "Nora fick 512 poäng av 800 möjliga, jämfört med 455 poäng vid förra granskningen 2012.", ""),
}


def summary_html(naming: str = "body-sentence", cms: bool = False) -> str:
    """Nora's one-page summary: a numbered list of the areas with scores and the total in a sentence; with
    `cms`, inside a municipal web page's menus, breadcrumbs, cookie banner and footer."""
    heading, lead, total, footer = NAMINGS[naming]
    items = "\n".join(f"<li>{escape(name)} {NORA[n]}</li>" for n, name in enumerate(AREAS_2010, 1))
    body = f"""<h1>{escape(heading)}</h1>
<p>{escape(lead)}</p>
<p>Metoden granskar hur kommunen styrs och leds, inte hur bra verksamheterna är i sig.</p>
<h2>Poäng per område</h2>
<ol>
{items}
</ol>
<p>{escape(total)}</p>
<p>Kommunen ska nu ta fram en plan för det fortsatta arbetet.</p>"""
    foot = f"<footer><p>{escape(footer)}</p></footer>" if footer else ""
    if not cms:
        return _page("Kommunkompassen", body + foot)
    return _page(f"Kommunkompassen - {'Nora kommun' if naming != 'footer-address' else 'Startsida'}", f"""
<div id="cookie-banner"><p>Vi använder kakor för att webbplatsen ska fungera.</p><button>Godkänn alla</button></div>
<header><a href="/">Startsida</a><nav><ul><li><a href="/omsorg">Omsorg</a></li><li><a href="/skola">Skola</a></li>
<li><a href="/politik">Kommun och politik</a></li></ul></nav></header>
<ol class="breadcrumb"><li><a href="/">Start</a></li><li><a href="/politik">Kommun och politik</a></li>
<li>Kommunkompassen</li></ol>
<main>{body}
<details><summary>Om utvärderingen</summary><p>Utvärderingen bygger på intervjuer och dokument.</p></details>
</main>
<footer><p>{escape(footer or "Nora kommun, Box 111, 713 80 Nora")}</p><p>Telefon 0587-810 00</p>
<p>Senast uppdaterad 2016-05-02</p></footer>""", site_name="Nora kommun" if naming != "footer-address" else "")


def news_html() -> str:
    """A local paper's item: Sala's total in a sentence beside its neighbours' totals and the previous one."""
    return _page("Sala klättrar i Kommunkompassen | Bergslagsbladet", """
<header><a href="/">Bergslagsbladet</a><nav><a href="/nyheter">Nyheter</a> <a href="/sport">Sport</a></nav></header>
<article><h1>Sala klättrar i Kommunkompassen</h1>
<p class="byline">Publicerad 14 januari 2020</p>
<p>Sala kommun fick 533 av 800 möjliga poäng när Kommunkompassen gjordes hösten 2019, jämfört med 471 poäng
vid förra utvärderingen 2015.</p>
<p>Grannkommunen Heby fick 488 av 800 poäng i samma omgång och Nora 512 av 800 poäng.</p>
<p>Snittet för de kommuner som utvärderats är 497 av 800 poäng.</p>
</article>
<footer><p>Bergslagsbladet, Storgatan 1, 733 30 Sala</p></footer>""", site_name="Bergslagsbladet")


def link_only_html() -> str:
    """A municipal page that only links the report."""
    return _page("Kommunkompassen - Heby kommun", """<h1>Kommunkompassen</h1>
<p>Heby kommun har utvärderats med Kommunkompassen. Läs hela rapporten nedan.</p>
<p><a href="/files/kommunkompassen-heby.pdf">Rapport Kommunkompassen (pdf, 2 MB)</a></p>
<footer><p>Heby kommun, 744 88 Heby</p></footer>""", site_name="Heby kommun")


def _page(title: str, body: str, site_name: str = "") -> str:
    meta = f'<meta property="og:site_name" content="{escape(site_name)}">' if site_name else ""
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{escape(title)}</title>{meta}
<style>body {{ font-family: "DejaVu Sans", sans-serif; font-size: 11pt; margin: 2cm; }}
#cookie-banner {{ border: 1px solid #999; padding: 4px; }}</style></head>
<body>{body}</body></html>"""


# --- printing ----------------------------------------------------------------------------------------

PRODUCERS = ("chromium", "wkhtmltopdf", "weasyprint", "libreoffice", "reportlab")


def print_pdf(html: str, pdf: Path, producer: str) -> Path:
    """`html` printed to `pdf` by one producer (ReportLab draws the page's text lines itself)."""
    with tempfile.TemporaryDirectory(prefix="stated-") as work:
        source = Path(work) / "page.html"
        source.write_text(html, encoding="utf-8")
        if producer == "chromium":
            return browsers.chromium_pdf(source, pdf)
        if producer == "wkhtmltopdf":
            return browsers.wkhtmltopdf_pdf(source, pdf)
        if producer == "weasyprint":
            return browsers.weasyprint_pdf(source, pdf)
        if producer == "libreoffice":
            out = Path(work) / "out"
            run_tool(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless",
                      "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out),
                      str(source)], out / "page.pdf")
            pdf.write_bytes((out / "page.pdf").read_bytes())
            return pdf
        if producer == "reportlab":
            return _reportlab(html, pdf)
    raise ValueError(f"unknown producer {producer!r}")


def _reportlab(html: str, pdf: Path) -> Path:
    """The page's visible lines drawn one by one with ReportLab (numbered list items numbered by hand)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from corpus.page_text import page_text

    font = "DejaVuSans"
    pdfmetrics.registerFont(TTFont(font, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    page = canvas.Canvas(str(pdf), pagesize=A4, invariant=1)
    y, number = A4[1] - 60, 0
    for line in page_text(html).lines:
        text = line.text
        if any(text.startswith(name) for name in AREAS_2010) and text[-1].isdigit():
            number += 1
            text = f"{number}. {text}"
        size = 15 if line.is_heading else 10
        page.setFont(font, size)
        for part in _wrap(text, 95 if size == 10 else 60):
            page.drawString(56, y, part)
            y -= size * 1.5
        y -= 4
    page.save()
    return pdf


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + ([current] if current else [])


# --- a result page whose scores are only the labels of a chart ------------------------------------------

AREAS_2020 = ("Samspel mellan förtroendevalda och medborgare", "Samhällsutveckling", "Styrning och kontroll",
              "Effektivitet", "Brukarens fokus", "Kvalitetsutveckling", "Arbetsliv",
              "Chefs- och ledarskap samt medarbetarskap")
SALA_2022 = {1: 72, 2: 70, 3: 81, 4: 77, 5: 74, 6: 69, 7: 86, 8: 78}


def chart_pdf(pdf: Path, rotation: int = 0, inside: bool = False) -> Path:
    """Sala's 2022 result as a Matplotlib bar chart with its text kept as text: each score a data label over
    (or inside) its bar, the areas as category labels under the axis (wrapped, or turned by `rotation`),
    axis ticks 0–100, and the total in a line under the chart."""
    import textwrap

    import matplotlib

    matplotlib.use("pdf")
    matplotlib.rcParams["pdf.fonttype"] = 42
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(11, 7))
    bars = axes.bar(range(8), [SALA_2022[n] for n in range(1, 9)])
    axes.bar_label(bars, label_type="center" if inside else "edge")
    labels = [name if rotation else textwrap.fill(name, 14, break_long_words=True) for name in AREAS_2020]
    axes.set_xticks(range(8), labels, fontsize=8, rotation=rotation, ha="right" if rotation else "center")
    axes.set_ylim(0, 100)
    axes.set_ylabel("Poäng")
    figure.subplots_adjust(bottom=0.45 if rotation else 0.2)
    axes.set_title("Sala kommun – Kommunkompassen 2022")
    figure.text(0.1, 0.01, "Sala kommun fick totalt 607 av 800 möjliga poäng 2022.")
    figure.savefig(pdf)
    plt.close(figure)
    return pdf
