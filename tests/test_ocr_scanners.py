"""Scans at the ends of the range: 100 and 300 dpi, skewed the full 5° either way, as a scanner's JPEG and
as 1-bit CCITT G4 — rasterised by poppler's `pdftoppm` and written by Pillow's own PDF writer (JPEG for
grey, CCITT group 4 for black and white), tools the other OCR tests do not use.

Held to no wrong number and at most the stated share missing. Behind `slow` (four pages OCR'd and a whole
extraction each).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.scans import BUNDLED, ocr_folder
from tests.test_ocr_geometry import PAGES, SEED, _numbers


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is missing (apt-get install poppler-utils)")
    return ocr_folder(tmp_path_factory, "ocr-scanners")


def scanner_pdf(folder: Path, dpi: int, skew: float, bilevel: bool) -> Path:
    """PAGES of the bundled report rasterised at `dpi`, turned `skew` degrees, written by Pillow."""
    sheets = []
    for index in PAGES:
        prefix = folder / f"page-{dpi}-{index}"
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(index + 1), "-l", str(index + 1),
                        "-singlefile", str(BUNDLED), str(prefix)], check=True, timeout=300)
        sheet = Image.open(f"{prefix}.pgm").convert("L").rotate(skew, resample=Image.BICUBIC, fillcolor=255)
        sheets.append(sheet.point(lambda v: 255 if v > 150 else 0).convert("1") if bilevel else sheet)
    out = folder / f"scanner-{dpi}-{skew}-{'g4' if bilevel else 'jpeg'}.pdf"
    sheets[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=sheets[1:],
                   **({} if bilevel else {"quality": 75}))
    filters = out.read_bytes()
    assert (b"/CCITTFaxDecode" if bilevel else b"/DCTDecode") in filters  # what a scanner writes
    return out


@pytest.mark.slow
@pytest.mark.parametrize("dpi, skew, bilevel, most_missing", [
    (100, 5.0, False, 0.30),  # measured: 24 of 91 missing (a limit, not a goal: 100 dpi at 5° is the hardest)
    (300, -5.0, True, 0.06),  # measured: 5 of 91 missing
], ids=["100dpi-jpeg-plus-5deg", "300dpi-ccitt-g4-minus-5deg"])
def test_scanner_extremes_store_no_wrong_number(folder, dpi, skew, bilevel, most_missing):
    from extractors.report import extract_report

    expected = json.loads(SEED.read_text(encoding="utf-8"))
    got = extract_report(scanner_pdf(folder, dpi, skew, bilevel)).to_json()
    wrong, missing, total = _numbers(got, expected)
    assert wrong == []
    assert missing <= most_missing * total, (missing, total)
