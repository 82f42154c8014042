"""A text report whose score-summary appendix is a scan: each page judged on its own, the scanned pages
read by OCR among text pages, and no number wrong, no question lost.

The scan is made with tools the other OCR tests do not use: poppler's `pdftoppm` rasterises the two
summary pages at 200 dpi in grey, Pillow turns them 0.7° and writes them as a PDF of its own, and
`qpdf` puts them back behind the report's 26 text pages. Behind `slow` (two pages OCR'd, a whole extraction).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.scans import BUNDLED, ocr_folder

SEED = Path(__file__).parent / "fixtures" / "fagersta-2009.expected.json"
APPENDIX = (27, 28)  # 1-based: the score summary
DPI = 200
TURN = 0.7


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory) -> Path:
    folder = ocr_folder(tmp_path_factory, "ocr-mixed")
    for tool in ("pdftoppm", "qpdf"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is missing (apt-get install poppler-utils qpdf)")
    prefix = folder / "summary"
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-f", str(APPENDIX[0]), "-l", str(APPENDIX[-1]),
                    str(BUNDLED), str(prefix)], check=True, timeout=300)
    sheets = [Image.open(path).convert("L").rotate(TURN, resample=Image.BILINEAR, fillcolor=255)
              for path in sorted(folder.glob("summary-*.pgm"))]
    assert len(sheets) == len(APPENDIX)
    scanned = folder / "appendix.pdf"
    sheets[0].save(scanned, "PDF", resolution=DPI, save_all=True, append_images=sheets[1:])
    mixed = folder / "report-with-scanned-appendix.pdf"
    subprocess.run(["qpdf", "--empty", "--pages", str(BUNDLED), f"1-{APPENDIX[0] - 1}", str(scanned), "1-z", "--",
                    str(mixed)], check=True, timeout=300)
    return mixed


@pytest.mark.slow
def test_a_scanned_appendix_among_text_pages_loses_no_question_and_gets_no_number_wrong(mixed_pdf):
    from extractors.document import read_document
    from extractors.report import extract_report

    document = read_document(mixed_pdf)
    assert document.ocr_pages() == list(APPENDIX)  # each page judged on its own: only the scans OCR'd
    expected = json.loads(SEED.read_text(encoding="utf-8"))
    got = extract_report(mixed_pdf).to_json()
    questions = {q["question"]: q for q in got["questions"]}
    lost = [q["question"] for q in expected["questions"] if q["question"] not in questions]
    wrong = [f"{q['question']} {key}: {questions[q['question']].get(key)} (printed {q[key]})"
             for q in expected["questions"] if q["question"] in questions for key in ("max_points", "points")
             if questions[q["question"]].get(key) not in (None, q[key])]
    missing = [q["question"] for q in expected["questions"] if q["question"] in questions
               and any(questions[q["question"]].get(key) is None for key in ("max_points", "points"))]
    assert lost == []
    assert wrong == []
    assert missing == [], [w for w in got["warnings"] if "left" in w or "question" in w][:5]
    assert got["total"] == expected["total"]
    assert {a["area"]: a["score"] for a in got["areas"]} == {a["area"]: a["score"] for a in expected["areas"]}
