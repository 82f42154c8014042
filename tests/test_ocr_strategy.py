"""The `ocr` strategy (issue 24): on a scanned page, the table rules the scan's preparation finds (and
erases before Tesseract reads the digits) are the page's rules, and the `lines` algorithm builds cell
grids from them, as it does from a text layer's drawn rules.

The scan is the real report's area-table page and its landscape score summary, rendered at 200 dpi and
wrapped as an image-only PDF (`tests/scans.scan_pdf`): no text layer, no drawn rule.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors.area_matrix import document_rows
from extractors.document import OCR, read_document
from extractors.report import table_grids
from tests.scans import BUNDLED, ScanStyle, ocr_folder, scan_pdf


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Path:
    folder = ocr_folder(tmp_path_factory, "ocr-strategy")
    return scan_pdf(BUNDLED, folder / "ruled-pages.pdf", ScanStyle(dpi=200), pages=[2, 26])


def test_a_scanned_ruled_table_becomes_ocr_grids(scanned):
    document = read_document(scanned, ocr="always")
    assert [page.source for page in document.pages] == [OCR, OCR]
    assert all(page.rules for page in document.pages)  # found on the image: the PDF draws none
    grids = table_grids(document.pages, document_rows(document.pages))
    ruled = [g for g in grids if g.strategy == "ocr"]
    summary = [g for g in ruled if g.page == 2 and g.row_count >= 20]
    assert summary, [(g.page, g.row_count, g.column_count) for g in ruled]
    texts = [cell.text for g in summary for cell in g.unique_cells()]
    assert any(text.startswith("1.1") for text in texts)  # question rows fall into their cells
    assert all(g.strategy in ("ocr", "text") for g in grids)


def test_a_scanned_page_among_text_pages_is_read_with_their_words():
    """Issue 20: a word OCR doubted on a scanned page is mended to a word the document's text pages print
    (a name no Swedish dictionary holds), and to nothing without them."""
    from extractors.document import ocr_lines
    from extractors.ocr.words import OcrWord
    from extractors.settings import DEFAULT_SETTINGS

    def read(known):
        words = [OcrWord("Rapport", 10, 50, 10, 20, 96.0, (), 1), OcrWord("om", 52, 62, 10, 20, 96.0, (), 1),
                 OcrWord("Kornmunkompassen", 64, 150, 10, 20, 41.0, (), 1)]
        notes: list[str] = []
        lines = ocr_lines(words, 3, DEFAULT_SETTINGS, notes, known)
        return [w.text for line in lines for w in line.words], notes

    assert read(frozenset())[0][-1] == "Kornmunkompassen"
    texts, notes = read(frozenset({"kommunkompassen", "rapport"}))
    assert texts[-1] == "Kommunkompassen" and notes == ["Kornmunkompassen → Kommunkompassen"]
