"""Reading pages: running headers and page numbers by position, lone and drawn bullets, re-reading."""
from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors.document import read_document, reread_with_pdfplumber
from extractors.findings import read_findings
from extractors.settings import DEFAULT_SETTINGS
from extractors.textquality import TextQuality

ITEMS = [f"Förbättringsområde nummer {n} handlar om att utveckla dialogen med medborgarna i kommunen" for n in range(1, 13)]


def _report_pages(path: Path, lone_bullets: bool) -> Path:
    """Four pages: a running header, a bare page number as footer, and one list that runs over the
    page breaks; its bullets stand on lines of their own (a bullet glyph a little above the text)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    lines = ["Område 1 Offentlighet och demokratisk kontroll", "Sammanfattning område 1", "Förbättringsområden"]
    lines += [("•", item) for item in ITEMS]
    page = 0
    y = height - 90
    for line in lines:
        if y < 120:
            c.showPage()
            page += 1
            y = height - 90
        if y == height - 90:
            c.setFont("Helvetica", 9)
            c.drawString(72, height - 40, "Kommunkompassen – Fagersta kommun 2009")
            c.drawCentredString(width / 2, 40, str(page + 1))
        c.setFont("Helvetica", 11)
        if isinstance(line, tuple):
            bullet, text = line
            c.drawString(72, y + (4 if lone_bullets else 0), bullet)
            first, second = text.split(" att ")
            c.drawString(86, y, first + " att")
            y -= 14
            c.drawString(86, y, second)
        else:
            c.drawString(72, y, line)
        y -= 90
    c.showPage()
    c.save()
    return path


def test_running_header_and_bare_page_numbers_go_lists_go_on(tmp_path):
    document = read_document(_report_pages(tmp_path / "sidnummer.pdf", lone_bullets=True))
    assert len(document.pages) >= 3
    for page in document.pages:
        removed = [line.text for line in page.removed]
        assert "Kommunkompassen – Fagersta kommun 2009" in removed and str(page.number) in removed
        assert all(not line.text.strip().isdigit() for line in page.lines)
    findings = read_findings(document.pages).findings
    assert [f.text for f in findings] == ITEMS
    assert all(f.area == 1 and f.kind == "improvement" for f in findings)


def test_a_bullet_on_a_line_of_its_own_joins_its_text_even_at_every_page_top(tmp_path):
    document = read_document(_report_pages(tmp_path / "ensamma-punkter.pdf", lone_bullets=True))
    tops = [page.lines[0] for page in document.pages[1:]]
    assert all(line.text.startswith("• Förbättringsområde") and line.marker == "glyph" for line in tops)


def test_drawn_bullets_become_bullet_words(tmp_path):
    path = tmp_path / "ritade.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    for number, y in enumerate((700, 680, 660)):
        c.circle(76, y + 3.5, 1.6, stroke=0, fill=1)
        c.drawString(86, y, f"Punkt {number} om kommunens styrning")
    c.rect(72, 600, 300, 0.5, stroke=0, fill=1)  # a ruling line is not a bullet
    c.drawString(72, 580, "Vanlig text utan punkt")
    c.save()
    page = read_document(path).pages[0]
    marked = [line for line in page.lines if line.marker == "shape"]
    assert [line.text for line in marked] == [f"• Punkt {n} om kommunens styrning" for n in range(3)]
    assert next(l for l in page.lines if l.text.startswith("Vanlig")).marker is None


def test_an_unreadable_page_is_read_again_with_pdfplumber(tmp_path, real_report):
    document = read_document(real_report)
    page = document.pages[5]
    before = [line.text for line in page.lines]
    page.quality = TextQuality(False, 0, 0.0, "marked unreadable by the test")
    page.lines = []
    reread_with_pdfplumber(real_report, document.pages, DEFAULT_SETTINGS)
    assert page.readable and page.source == "pdfplumber"
    assert " ".join(before) in " ".join(line.text for line in page.lines)  # and the running header, not yet removed


SWEDISH = ("Kommunen har en tydlig informationspolicy som omfattar alla förvaltningar. Medborgarna kan "
           "lämna synpunkter på webbplatsen och få svar inom en vecka. Det finns också möjlighet att ställa "
           "frågor till politikerna i fullmäktige, och många gör det. ") * 4


def test_text_quality_tells_swedish_from_garbage_and_lost_letters():
    from extractors.textquality import judge_words

    assert judge_words(SWEDISH.split(), DEFAULT_SETTINGS).readable
    lost = SWEDISH.translate(str.maketrans("", "", "åäöÅÄÖ"))
    verdict = judge_words(lost.split(), DEFAULT_SETTINGS)
    assert not verdict.readable and "put back" in verdict.reason
    mapped = SWEDISH.translate(str.maketrans("åäö", "ÌÊÚ"))
    assert "wrong accented letters" in judge_words(mapped.split(), DEFAULT_SETTINGS).reason
    shifted = "".join(chr(ord(c) + 1) if c.isalpha() else c for c in SWEDISH)
    assert not judge_words(shifted.split(), DEFAULT_SETTINGS).readable
    budget = ("Driftbudget och investeringar i kommunen. " * 30).split()
    assert judge_words(budget, DEFAULT_SETTINGS).readable  # no å, ä or ö, but nothing lost either
    # pdfminer's marks for glyphs without a Unicode map, as pdfplumber read a mutool-converted summary
    unmapped = ("Resultat f(cid:2)r Tyres(cid:2) kommun 2010 Utv(cid:61)rderare: Johan Ekstr(cid:2)m, Sveriges "
                "Kommuner och Landsting. Kommunkompassen (cid:61)r ett analysverktyg som Sveriges Kommuner och "
                "Landsting erbjuder kommunerna. Tyres(cid:2) kommun utv(cid:61)rderades (cid:1)r 2010. "
                "Utv(cid:61)rderingen omfattar (cid:1)tta omr(cid:1)den med h(cid:2)gst 100 po(cid:61)ng vardera, "
                "sammanlagt 800 po(cid:61)ng. Resultatet per omr(cid:1)de framg(cid:1)r av tabellen nedan. "
                "Offentlighet och demokrati 58 Tillg(cid:61)nglighet och brukarorientering 56,5 Politisk styrning "
                "och kontroll 56 Ledarskap, ansvar och delegation 51,5 Resultat och effektivitet 58 Kommunen som "
                "arbetsgivare 58 Verksamhetsutveckling 66,5 Kommun som samh(cid:61)llsbyggare 47,5 Den "
                "fullst(cid:61)ndiga rapporten med styrkor och f(cid:2)rb(cid:61)ttringsomr(cid:1)den finns att "
                "l(cid:61)sa p(cid:1) kommunens webbplats.")
    verdict = judge_words(unmapped.split(), DEFAULT_SETTINGS)
    assert not verdict.readable and "put back" in verdict.reason


def test_crop_marks_and_slug_lines_outside_the_crop_box_are_not_read():
    """A print shop's PDF: crop marks (text glyphs) and a slug line around an offset crop box."""
    fixtures = Path(__file__).parent / "regressions"
    document = read_document(fixtures / "print-shop-cropbox.pdf")
    for page in document.pages:
        for line in page.lines:
            assert "✐" not in line.text and "#" not in line.text, (page.number, line.text)
            assert all(0 < (w.top + w.bottom) / 2 < page.height and w.x1 > 0 for w in line.words)


def test_text_running_off_the_right_edge_is_kept():
    """An overfull table (pdfTeX) runs its last column's header past the page's right edge: still the
    report's text (its medians are then read: test_extract_regressions)."""
    fixtures = Path(__file__).parent / "regressions"
    document = read_document(fixtures / "page-number-footer-list-break.pdf")
    beyond = [w.text for page in document.pages for line in page.lines for w in line.words if w.x1 > page.width]
    assert "utvärderingar" in beyond


def test_another_programs_invisible_ocr_over_a_scan_is_not_taken_as_a_text_layer(tmp_path):
    """A 'searchable PDF' (Tesseract's `pdf` output: the page image with invisible text over it) is a scan:
    its text is another program's OCR, never held to the report's sums, so the page is read by OCR."""
    import shutil
    import subprocess

    import pypdfium2 as pdfium

    from extractors.document import INVISIBLE_OCR_LAYER

    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed")
    document = pdfium.PdfDocument(str(Path(__file__).parent.parent / "corpus" / "kommunkompassen-fagersta-2009.pdf"))
    try:
        document[3].render(scale=150 / 72, grayscale=True).to_pil().save(tmp_path / "page.png")
    finally:
        document.close()
    subprocess.run(["tesseract", str(tmp_path / "page.png"), str(tmp_path / "sandwich"), "-l", "swe", "--dpi", "150",
                    "pdf"], check=True, capture_output=True, timeout=120)
    sandwich = tmp_path / "sandwich.pdf"
    as_text = read_document(sandwich, ocr="never")
    assert not as_text.pages[0].readable and as_text.pages[0].quality.reason == INVISIBLE_OCR_LAYER
    assert read_document(sandwich).pages[0].source == "ocr"
