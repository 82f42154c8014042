"""OCR with real Tesseract on scans made from the bundled report: numbers by position, held to the sums.

Scans are made once per session (tests/scans); OCR results are cached in a session folder, so each
page is recognised once however many tests look at it. Without Tesseract these tests skip, except in
CI, where they fail.
"""
from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from extractors.arithmetic import verify
from extractors.ocr import OcrSettings, OcrUnavailable, ocr_pages
from extractors.ocr.confusion import value_of
from extractors.ocr.prepare import measure_skew, render, scan_dpi
from tests.scans import BUNDLED, ScanStyle, Smudge, garbage_text_layer, scan_pdf, text_words
from tests.scans.cells import table_cells, ocr_extract
from tests.scans.compare import accuracy
from tests.test_arithmetic import bundled_extract
from tests.scans import SHARED_PAGES, ocr_folder, shared_scan

TABLE_PAGES = [3, 4, 26, 27]  # 0-based: Tabell 1 and 2 (pages 4–5), the score summary (pages 27–28)
SKEWED_150 = ScanStyle(dpi=150, rotate_degrees=1.5, speckle=0.001, jpeg_quality=60, seed=1)


@pytest.fixture(scope="session")
def scans(tmp_path_factory) -> Path:
    """A folder for this session's scans; without Tesseract the OCR tests skip, except in CI (CI set)."""
    return ocr_folder(tmp_path_factory, "scans", cache=False)


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> OcrSettings:
    """The session's OCR cache (shared with the extraction tests, see `tests.scans.ocr_folder`), unless
    KOMPASS_OCR_CACHE names one to keep between runs."""
    return OcrSettings(cache_dir=Path(os.environ.setdefault("KOMPASS_OCR_CACHE",
                                                            str(tmp_path_factory.mktemp("ocr-cache")))))


@pytest.fixture(scope="session")
def truth():
    return bundled_extract()


@pytest.fixture(scope="session")
def cells(truth):
    return table_cells(truth)


def read_scan(pdf: Path, settings: OcrSettings, originals: list[int], scanned: list[int] | None = None):
    """OCR the pages of a scan that show `originals` (0-based pages of the bundled report), numbered as
    there; `scanned`: the bundled report's pages the scan holds (default: exactly `originals`)."""
    indexes = None if scanned is None else [scanned.index(original) for original in originals]
    pages = ocr_pages(pdf, indexes, settings)
    assert all(page.error is None for page in pages), [page.error for page in pages]
    return [dataclasses.replace(page, page=original + 1) for page, original in zip(pages, originals)]


# The table pages of the six-page scans test_ocr_extraction also reads (one file, so one OCR per page).
@pytest.fixture(scope="session")
def read_300(scans, settings):
    return read_scan(shared_scan(scans, ScanStyle(dpi=300)), settings, TABLE_PAGES, SHARED_PAGES)


@pytest.fixture(scope="session")
def read_150(scans, settings):
    return read_scan(shared_scan(scans, SKEWED_150), settings, TABLE_PAGES, SHARED_PAGES)


def wrong_numbers(result, truth) -> list[str]:
    """Every stored number that differs from the report's (None is missing, not wrong)."""
    wrong = []
    for got, right in zip(result.report.questions, truth.questions):
        for column in ("max_points", "points", "percent"):
            if getattr(got, column) is not None and getattr(got, column) != getattr(right, column):
                wrong.append(f"question {got.question} {column}: {getattr(got, column)} for {getattr(right, column)}")
    for got, right in zip(result.report.areas, truth.areas):
        for column in ("score", "median"):
            if getattr(got, column) is not None and getattr(got, column) != getattr(right, column):
                wrong.append(f"area {got.area} {column}: {getattr(got, column)} for {getattr(right, column)}")
    if result.report.total is not None and result.report.total != truth.total:
        wrong.append(f"total {result.report.total}")
    for got, right in zip(result.report.comparisons, truth.comparisons):
        if got.score is not None and got.score != right.score:
            wrong.append(f"comparison {got.kommun} {got.area}: {got.score} for {right.score}")
    return wrong


def test_without_the_swedish_model_one_line_names_the_packages():
    with pytest.raises(OcrUnavailable) as raised:
        ocr_pages(BUNDLED, [0], OcrSettings(language="zz-not-installed", use_cache=False))
    message = str(raised.value)
    assert "\n" not in message and "apt-get install tesseract-ocr tesseract-ocr-swe" in message


def test_scans_have_no_text_layer_and_their_own_resolution(scans):
    pdf = scan_pdf(BUNDLED, scans / "one-200.pdf", ScanStyle(dpi=200, rotate_degrees=-1.5), pages=[0])
    document = pdfium.PdfDocument(str(pdf))
    try:
        assert document[0].get_textpage().get_text_range().strip() == ""
        assert scan_dpi(document[0]) == pytest.approx(200, abs=0.5)
    finally:
        document.close()
    original = pdfium.PdfDocument(str(BUNDLED))
    try:
        assert scan_dpi(original[3]) is None  # a text page is no scan
    finally:
        original.close()


@pytest.mark.parametrize("degrees", [1.5, -1.5, 0.7])
def test_skew_is_measured_within_a_twentieth_of_a_degree(scans, degrees):
    pdf = scan_pdf(BUNDLED, scans / f"skew{degrees}.pdf", ScanStyle(dpi=150, rotate_degrees=degrees, speckle=0.001),
                   pages=[26])
    document = pdfium.PdfDocument(str(pdf))
    try:
        measured = measure_skew(render(document[0], 150))
    finally:
        document.close()
    assert measured == pytest.approx(-degrees, abs=0.05)  # the turn that undoes the scanner's


def test_garbage_text_layer_really_decodes_to_garbage(scans):
    pdf = garbage_text_layer(BUNDLED, scans / "garbage.pdf")
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = document[3].get_textpage().get_text_range()
    finally:
        document.close()
    with pdfplumber.open(pdf, pages=[4]) as plumbed:
        plumber_text = plumbed.pages[0].extract_text()
    for decoded in (text, plumber_text):
        assert len(decoded) > 500  # the glyphs are there …
        assert "Fagersta" not in decoded and "Tabell" not in decoded  # … but do not decode to words


def test_300_dpi_scan_reads_the_tables_numbers_at_their_positions(read_300, truth, cells):
    result = accuracy(read_300, list(cells.values()))
    values_right = sum(1 for _, expected, read in result.number_errors if value_of(read) == value_of(expected))
    print(f"300 dpi table numbers: {result.summary()}; by value {result.numbers_exact + values_right}")
    assert result.numbers == len(cells) == 168
    assert result.number_rate >= 0.93, result.number_errors


def test_300_dpi_scan_every_number_exact_after_the_sums(read_300, truth, cells):
    report, readings = ocr_extract(truth, cells, read_300)
    result = verify(report, readings)
    print(f"300 dpi after the sums: mended {len(result.mended)}, emptied {len(result.emptied)}")
    for warning in result.warnings:
        print("   ", warning)
    assert wrong_numbers(result, truth) == []
    assert len(result.emptied) <= 0.05 * len(cells), result.warnings


def test_150_dpi_skewed_speckled_scan_stores_no_wrong_number(read_150, truth, cells):
    raw = accuracy(read_150, list(cells.values()))
    report, readings = ocr_extract(truth, cells, read_150)
    result = verify(report, readings)
    print(f"150 dpi table numbers: {raw.summary()}; mended {len(result.mended)}, emptied {len(result.emptied)}")
    for warning in result.warnings:
        print("   ", warning)
    assert raw.number_rate >= 0.75
    assert wrong_numbers(result, truth) == []
    assert len(result.emptied) <= 0.15 * len(cells)
    assert all(key in readings for key in result.mended)


def test_smudged_digit_is_never_stored_wrong_and_its_field_is_named(scans, settings, truth, cells):
    cell = cells[("question", "3.3", "points")]  # 22,5 on page 27
    smudge = Smudge(page=26, box=(cell.x0 - 0.5, cell.top + 1, cell.x0 + 0.55 * (cell.x1 - cell.x0), cell.bottom - 1))
    pdf = scan_pdf(BUNDLED, scans / "smudged.pdf", ScanStyle(dpi=300), pages=[26], smudges=(smudge,))
    pages = read_scan(pdf, settings, [26])
    report, readings = ocr_extract(truth, {k: c for k, c in cells.items() if c.page == 27}, pages)
    assert value_of(readings[("question", "3.3", "points")].text) != 22.5  # the smudge did break the number
    result = verify(report, readings)
    assert wrong_numbers(result, truth) == []
    points = next(q for q in result.report.questions if q.question == "3.3").points
    assert points in (None, 22.5)  # what its max, its percent and its area's sum tell together, or nothing
    said = "could not be verified" if points is None else "taken as 22,5"
    assert any("question 3.3 points" in warning and said in warning for warning in result.warnings)


def test_cache_answers_a_second_run_without_ocr(scans, settings, read_300):
    pdf = shared_scan(scans, ScanStyle(dpi=300))
    again = ocr_pages(pdf, [SHARED_PAGES.index(TABLE_PAGES[0]), SHARED_PAGES.index(TABLE_PAGES[1])], settings)
    assert all(page.from_cache for page in again)
    assert [w.text for w in again[0].words] == [w.text for w in read_300[0].words]
    other = ocr_pages(pdf, [0], settings.with_changes(deskew=False, workers=1))  # other settings: read again
    assert not other[0].from_cache


@pytest.mark.slow
def test_garbage_text_layer_pdf_reads_as_well_as_a_scan(scans, settings, truth, cells):
    pdf = garbage_text_layer(BUNDLED, scans / "garbage.pdf")
    pages = ocr_pages(pdf, TABLE_PAGES, settings)
    assert [page.error for page in pages] == [None] * 4
    report, readings = ocr_extract(truth, cells, pages)
    result = verify(report, readings)
    raw = accuracy(pages, list(cells.values()))
    print(f"garbage text layer: {raw.summary()}; mended {len(result.mended)}, emptied {len(result.emptied)}")
    assert wrong_numbers(result, truth) == []
    assert len(result.emptied) <= 0.05 * len(cells), result.warnings


@pytest.mark.slow
@pytest.mark.parametrize("style", [ScanStyle(dpi=200, rotate_degrees=-1.5, speckle=0.0008, jpeg_quality=75, seed=2),
                                   ScanStyle(dpi=200, rotate_degrees=-1.5, speckle=0.0005, bilevel=True, seed=3)],
                         ids=["200-grey", "200-bilevel"])
def test_200_dpi_scans_store_no_wrong_number(scans, settings, truth, cells, style):
    pdf = scan_pdf(BUNDLED, scans / f"tables-200-{style.seed}.pdf", style, pages=TABLE_PAGES)
    pages = read_scan(pdf, settings, TABLE_PAGES)
    report, readings = ocr_extract(truth, cells, pages)
    result = verify(report, readings)
    raw = accuracy(pages, list(cells.values()))
    print(f"{style}: {raw.summary()}; mended {len(result.mended)}, emptied {len(result.emptied)}")
    for warning in result.warnings:
        print("   ", warning)
    assert wrong_numbers(result, truth) == []
    assert len(result.emptied) <= 0.15 * len(cells)


@pytest.mark.slow
def test_whole_scanned_report_ocrs_every_page_with_words(scans, settings):
    pdf = scan_pdf(BUNDLED, scans / "whole-150.pdf", SKEWED_150)
    pages = ocr_pages(pdf, None, settings)
    assert len(pages) == 28 and all(page.error is None and page.words for page in pages)
    truth = text_words(BUNDLED, list(range(28)))
    result = accuracy([dataclasses.replace(p) for p in pages], truth)
    print(f"whole 150-dpi report: {result.summary()}")
    assert result.word_rate >= 0.85
    json.dumps([dataclasses.asdict(page) for page in pages])  # plain data, as the cache stores it


def test_a_page_past_its_deadline_carries_an_error_and_is_not_cached(scans, tmp_path):
    pdf = scan_pdf(BUNDLED, scans / "deadline.pdf", ScanStyle(dpi=150), pages=[3, 26])
    settings = OcrSettings(page_timeout_s=0.01, cache_dir=tmp_path)
    pages = ocr_pages(pdf, None, settings)
    assert [page.page for page in pages] == [1, 2]
    assert all(page.words == [] and "OCR failed" in page.error and "longer than" in page.error for page in pages)
    assert not list(tmp_path.rglob("page-*.json"))


def test_speck_removal_keeps_decimal_commas_and_question_dots(scans, cells):
    import numpy as np

    from extractors.ocr.prepare import remove_specks

    pdf = scan_pdf(BUNDLED, scans / "specks-150.pdf", ScanStyle(dpi=150, speckle=0.002, jpeg_quality=90), pages=[26])
    document = pdfium.PdfDocument(str(pdf))
    try:
        speckled = render(document[0], 150)
    finally:
        document.close()
    cleaned = remove_specks(speckled, 150)
    before, after = np.asarray(speckled) < 128, np.asarray(cleaned) < 128
    assert after.sum() < before.sum() - 0.5 * 0.002 * before.size  # most specks are gone
    scale = 150 / 72
    for key in [("question", "2.1", "points"), ("question", "3.3", "points"), ("question", "4.5", "points")]:
        cell = cells[key]  # 2,5 · 22,5 · 7: every stroke of the number is kept
        box = np.s_[int(cell.top * scale):int(cell.bottom * scale) + 1, int(cell.x0 * scale):int(cell.x1 * scale) + 1]
        assert after[box].sum() >= 0.97 * before[box].sum(), key
