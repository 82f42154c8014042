"""A turned scan found by reading, not by asking OSD of every page; `--debug-page` draws it as read.

The OCR engine reads each scanned page as it lies first and asks Tesseract's orientation detection only
when that reading is in doubt (`geometry.reads_upright`). These tests use the title page (few words:
a couple of seconds each) scanned upside down and sideways.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extractors.ocr import OcrSettings, ocr_page
from extractors.ocr.geometry import reads_upright
from tests.scans import BUNDLED, ocr_folder
from tests.scans.geometry import Sheet, sheet_pdf

TITLE = 0


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return ocr_folder(tmp_path_factory, "ocr-upright")


def _title_scan(folder: Path, turn: int) -> Path:
    return sheet_pdf(BUNDLED, folder / f"title-{turn}.pdf", Sheet(dpi=150, turn=turn, skew=1.0, seed=turn), [TITLE])


def test_the_upright_test_takes_a_confident_reading_and_doubts_letter_salad():
    upright = [("Kommunkompassen", 93.0), ("Fagersta", 95.0), ("kommun", 91.0), ("2009", 96.0), ("av", 60.0)]
    salad = [("uassedwoy", 31.0), ("ejsiebey", 28.0), ("unwwoy", 85.0), ("600Z", 40.0)]
    assert reads_upright(upright)
    assert not reads_upright(salad)
    assert not reads_upright([])  # nothing read: in doubt, OSD decides


@pytest.mark.parametrize("turn", [180, pytest.param(90, marks=pytest.mark.slow)])
def test_a_page_read_as_it_lies_that_reads_badly_is_turned_by_osd_and_read_again(folder, turn):
    pdf = _title_scan(folder, turn)
    read = ocr_page(pdf, 0, OcrSettings(use_cache=False, workers=1))
    assert read.error is None
    assert (read.turned + turn) % 360 == 0
    texts = {word.text for word in read.words}
    assert "Fagersta" in " ".join(texts)
    assert read.height > read.width  # the portrait page as read, whatever way it lay


def test_debug_page_draws_a_sideways_scan_upright_with_its_words_over_their_ink(folder):
    from extractors.debug import draw_page
    from extractors.document import read_document

    pdf = _title_scan(folder, 90)
    out = folder / "title-90.png"
    notes = draw_page(pdf, 1, out)
    assert any("drawn as OCR read it (turned 270°" in note for note in notes), notes
    drawn = Image.open(out)
    assert drawn.height > drawn.width  # upright, although the PDF's page lies on its side
    page = read_document(pdf).pages[0]
    assert len(page.words) >= 5
    scale = drawn.width / page.width
    grey = np.asarray(drawn.convert("L"), dtype=np.float32)
    inside = np.zeros(grey.shape, dtype=bool)
    for word in page.words:
        inside[int(word.top * scale):int(word.bottom * scale) + 1, int(word.x0 * scale):int(word.x1 * scale) + 1] = True
    # The words' boxes sit on the title's dark print; the rest of the page is mostly paper.
    assert grey[inside].mean() < grey[~inside].mean() - 40
