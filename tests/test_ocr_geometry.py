"""OCR that finds its own geometry: the page turned upright, its skew measured, its light evened out
and a photo's desk cut off — on scans made with tools the rest of the OCR tests do not use
(Ghostscript rasterises, Pillow degrades, MuPDF writes the PDF: `tests/scans/geometry.py`).

Default run: the geometry steps on single pages (a few seconds each). Behind `slow`: whole
extractions of the title page, Tabell 1 and 2 and the score summary scanned sideways and upside
down, held to no wrong number and a stated share missing.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from extractors.ocr.geometry import crop_to_sheet
from extractors.ocr.prepare import flatten_light, ink_threshold, measure_skew, prepare_page
from tests.scans import BUNDLED
from tests.scans.geometry import Sheet, degrade, rasterise, sheet_pdf
from tests.scans import ocr_folder

SEED = Path(__file__).parent / "fixtures" / "fagersta-2009.expected.json"
PAGES = [0, 3, 26, 27]  # title, Tabell 1 and 2, the score summary (landscape, two half-tables)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return ocr_folder(tmp_path_factory, "ocr-geometry")


@pytest.fixture(scope="module")
def summary_page() -> Image.Image:
    return rasterise(BUNDLED, 26, 150)  # page 27, landscape


@pytest.mark.parametrize("degrees", [-4.5, 3.5])
def test_skew_up_to_five_degrees_is_measured_on_the_pages_own_lines(summary_page, degrees):
    turned = degrade(summary_page, Sheet(skew=degrees))
    assert abs(measure_skew(turned, 5.0) - (-degrees)) <= 0.1


def _prepared(folder: Path, sheet: Sheet, page: int = 26):
    pdf = sheet_pdf(BUNDLED, folder / f"one-{sheet.turn}-{sheet.skew}-{sheet.bilevel}.pdf", sheet, [page])
    document = pdfium.PdfDocument(str(pdf))
    try:
        return prepare_page(document[0], 300, 400, True, 5.0, True, True)
    finally:
        document.close()


@pytest.mark.parametrize("sheet", [Sheet(dpi=150, turn=90, skew=2.0), Sheet(dpi=150, turn=180),
                                   Sheet(dpi=200, turn=270, skew=-1.0, bilevel=True)],
                         ids=["sideways-150-grey", "upside-down-150-grey", "sideways-200-black-and-white"])
def test_a_page_scanned_sideways_or_upside_down_is_turned_upright_and_straightened(folder, sheet):
    prepared = _prepared(folder, sheet)
    assert (prepared.turned + sheet.turn) % 360 == 0
    assert abs(prepared.skew_degrees + sheet.skew) <= 0.1
    assert prepared.width_pt > prepared.height_pt  # the landscape page reads as landscape again
    assert abs(prepared.width_pt - 842) < 3 and abs(prepared.height_pt - 595) < 3


def test_light_falling_off_across_the_sheet_is_evened_out(summary_page):
    dim = degrade(summary_page, Sheet(light_falloff=0.5))
    flat = np.asarray(flatten_light(dim, 150))
    clean = np.asarray(summary_page)
    ink_clean = clean <= ink_threshold(clean)
    ink_flat = flat <= ink_threshold(flat)
    assert ink_flat.sum() <= 1.1 * ink_clean.sum()  # the dark side is not read as ink …
    assert (ink_flat & ink_clean).sum() >= 0.9 * ink_clean.sum()  # … and the print is kept
    right = flat[:, -flat.shape[1] // 5:]
    assert np.median(right) >= 245  # the paper on the dim side is white again


def test_a_photos_desk_is_cut_off_and_the_sheet_read_at_its_own_size(summary_page):
    photo = degrade(summary_page, Sheet(skew=2.5, desk=0.1, seed=4))
    sheet, dpi, cut = crop_to_sheet(photo, 150)
    assert cut
    assert abs(sheet.width - summary_page.width) <= 0.06 * summary_page.width
    assert abs(sheet.height - summary_page.height) <= 0.08 * summary_page.height
    assert abs(dpi - 150) <= 10  # the short side is an A4 page's
    corners = np.asarray(sheet)[:20, :20]
    assert corners.mean() > 200  # the desk left in the cut's corners is white
    untouched, _, cut_again = crop_to_sheet(summary_page, 150)
    assert not cut_again and untouched is summary_page  # a scan with white margins is left whole


def _numbers(got: dict, expected: dict) -> tuple[list[str], int, int]:
    """(wrong numbers, missing, total) over the questions' max points and points, the areas' scores
    and medians and the total, as the external check counts them."""
    wrong, missing, total = [], 0, 0
    questions = {q["question"]: q for q in got["questions"]}
    areas = {a["area"]: a for a in got["areas"]}
    pairs = [(f"total", expected["total"], got["total"])]
    pairs += [(f"area {a['area']} {k}", a[k], areas.get(a["area"], {}).get(k)) for a in expected["areas"]
              for k in ("score", "median")]
    pairs += [(f"question {q['question']} {k}", q[k], questions.get(q["question"], {}).get(k))
              for q in expected["questions"] for k in ("max_points", "points")]
    for label, want, have in pairs:
        total += 1
        if have is None:
            missing += 1
        elif have != want:
            wrong.append(f"{label}: {have} (printed {want})")
    return wrong, missing, total


@pytest.mark.slow
@pytest.mark.parametrize("sheet, most_missing", [
    (Sheet(dpi=150, turn=90, skew=3.0, jpeg_quality=65, seed=1), 0.05),
    (Sheet(dpi=200, turn=180, skew=-4.0, bilevel=True, seed=3), 0.05),
], ids=["sideways-150-grey-3deg", "upside-down-200-black-and-white-minus-4deg"])
def test_score_pages_scanned_sideways_or_upside_down_store_no_wrong_number(folder, sheet, most_missing):
    from extractors.report import extract_report

    expected = json.loads(SEED.read_text(encoding="utf-8"))
    pdf = sheet_pdf(BUNDLED, folder / f"pages-{sheet.turn}-{sheet.dpi}.pdf", sheet, PAGES)
    got = extract_report(pdf).to_json()
    wrong, missing, total = _numbers(got, expected)
    assert wrong == []
    assert missing <= most_missing * total, [w for w in got["warnings"] if "left" in w]
    assert (got["kommun"], got["year"]) == (expected["kommun"], expected["year"])


@pytest.mark.slow
def test_a_phone_photo_of_the_score_pages_gives_the_area_scores_and_total_and_no_wrong_number(folder):
    """120 dpi grey, turned 2.5°, light falling off 45 % across the sheet, blurred, on a dark desk:
    the sheet is cut out, its light evened out; the area scores and the total are read, nothing wrong
    (most of the score summary's cells stay empty at this resolution, each with a warning)."""
    from extractors.report import extract_report

    expected = json.loads(SEED.read_text(encoding="utf-8"))
    sheet = Sheet(dpi=120, skew=2.5, light_falloff=0.45, blur=0.8, desk=0.08, jpeg_quality=70, seed=2)
    got = extract_report(sheet_pdf(BUNDLED, folder / "photo.pdf", sheet, PAGES)).to_json()
    wrong, _, _ = _numbers(got, expected)
    assert wrong == []
    assert got["total"] == expected["total"]
    assert {a["area"]: a["score"] for a in got["areas"]} == {a["area"]: a["score"] for a in expected["areas"]}
