"""Scans and unreadable text layers through the whole extraction (Tesseract → the same word-position
stages → the report's arithmetic): no wrong number ever, metadata exact, findings read.

The scans are made from the bundled report (tests/scans): its title page, Tabell 1 and 2, area 1's
findings and the score summary; the expected values are the seed's.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.report import extract_report
from tests.scans import BUNDLED, ScanStyle, Smudge, find_word, garbage_text_layer, scan_pdf
from tests.scans import SHARED_PAGES, ocr_folder, shared_scan

PAGES = SHARED_PAGES  # title, Tabell 1 and 2, area 1's lists, the score summary
SEED = Path(__file__).parent / "fixtures" / "fagersta-2009.expected.json"


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return ocr_folder(tmp_path_factory, "ocr-extraction")


def wrong_numbers(got: dict, expected: dict) -> list[str]:
    """Every number extracted that differs from the report's; an empty one is missing, not wrong."""
    wrong = []
    questions = {q["question"]: q for q in expected["questions"]}
    for q in got["questions"]:
        for column in ("max_points", "points", "percent"):
            if q[column] is not None and q[column] != questions[q["question"]][column]:
                wrong.append(f"question {q['question']} {column}: {q[column]}")
    areas = {a["area"]: a for a in expected["areas"]}
    for a in got["areas"]:
        if a["score"] is not None and a["score"] != areas[a["area"]]["score"]:
            wrong.append(f"area {a['area']} score {a['score']}")
        if a["median"] is not None and a["median"] != areas[a["area"]]["median"]:
            wrong.append(f"area {a['area']} median {a['median']}")
    if got["total"] is not None and got["total"] != expected["total"]:
        wrong.append(f"total {got['total']}")
    scores = {(c["kommun"], c["year"], c["area"]): c["score"] for c in expected["comparisons"]}
    wrong += [f"comparison {c['kommun']} {c['area']}: {c['score']}" for c in got["comparisons"]
              if c["score"] is not None and c["score"] != scores.get((c["kommun"], c["year"], c["area"]))]
    return wrong


def empty_numbers(got: dict) -> int:
    return (sum(1 for q in got["questions"] for c in ("max_points", "points", "percent") if q[c] is None)
            + sum(1 for a in got["areas"] for c in ("score", "median") if a[c] is None)
            + sum(1 for c in got["comparisons"] if c["score"] is None))


def metadata(report: dict) -> tuple:
    return (report["kommun"], report["kommunkod"], report["year"], report["evaluation_dates"],
            [e["name"] for e in report["evaluators"]], report["framework"])


def area_1_findings(report: dict) -> set:
    return {(f["kind"], " ".join(f["text"].split())) for f in report["findings"] if f["area"] == 1}


def _extract(pdf: Path) -> dict:
    return extract_report(pdf).to_json()


def test_a_300_dpi_scan_reads_every_number_exactly_and_findings_exactly(folder, expected):
    got = _extract(shared_scan(folder, ScanStyle(dpi=300), PAGES))  # test_ocr reads its table pages
    assert got["source"]["ocr_pages"] == [1, 2, 3, 4, 5, 6]
    assert wrong_numbers(got, expected) == []
    assert len(got["questions"]) == len(expected["questions"])
    assert empty_numbers(got) == 0, [w for w in got["warnings"] if "left empty" in w]  # every number, exact
    assert metadata(got) == metadata(expected)
    assert area_1_findings(got) == area_1_findings(expected)
    assert all(q["ocr_confidence"] is not None for q in got["questions"])


def test_a_150_dpi_skewed_speckled_scan_stores_no_wrong_number(folder, expected):
    style = ScanStyle(dpi=150, rotate_degrees=1.5, speckle=0.001, jpeg_quality=60, seed=1)
    got = _extract(shared_scan(folder, style, PAGES))
    assert wrong_numbers(got, expected) == []
    assert metadata(got) == metadata(expected)
    found = area_1_findings(got) & area_1_findings(expected)
    assert len(found) >= 0.6 * len(area_1_findings(expected)), area_1_findings(got)
    assert all("left empty" in w or "could not be" in w for w in got["warnings"] if "could not be verified" in w)


def findings_item_exact(got: dict, expected: dict) -> float:
    """Share of the report's findings extracted word for word (whitespace aside), under their area and kind."""
    def items(report: dict) -> set:
        return {(f["area"], f["kind"], " ".join(f["text"].split())) for f in report["findings"]}

    return len(items(got) & items(expected)) / len(items(expected))


@pytest.mark.slow
def test_the_whole_report_scanned_at_150_dpi_skewed_and_speckled(folder, expected):
    """The issue's bar: no wrong number (a few empty, each with a warning), metadata exact, findings
    at least 95 % item-exact. Slow (28 pages of OCR, about 80 s): the six-page scans above take the
    same path in the default run; `make test-slow` and CI run this one."""
    style = ScanStyle(dpi=150, rotate_degrees=1.5, speckle=0.001, jpeg_quality=60, seed=1)
    got = _extract(scan_pdf(BUNDLED, folder / "whole-150.pdf", style))
    assert wrong_numbers(got, expected) == []
    assert metadata(got) == metadata(expected)
    assert (got["total"], got["median_total"]) == (expected["total"], expected["median_total"])
    assert findings_item_exact(got, expected) >= 0.95
    empty = empty_numbers(got)
    assert empty <= 12, [w for w in got["warnings"] if "left empty" in w]
    assert len([w for w in got["warnings"] if "left empty" in w]) >= empty - 2  # each said (a column's gap once)


def _subset(pages: list[int], out: Path) -> Path:
    import pypdfium2 as pdfium

    source, target = pdfium.PdfDocument(str(BUNDLED)), pdfium.PdfDocument.new()
    target.import_pages(source, pages)
    target.save(str(out))
    return out


def test_a_text_layer_of_garbage_is_read_through_ocr(folder, expected):
    garbage = garbage_text_layer(_subset(PAGES, folder / "subset.pdf"), folder / "garbage.pdf")
    with pytest.raises(Exception, match="OCR"):
        extract_report(garbage, ocr="never")
    got = _extract(garbage)
    assert got["source"]["ocr_pages"] == [1, 2, 3, 4, 5, 6]
    assert wrong_numbers(got, expected) == []
    assert empty_numbers(got) <= 3, [w for w in got["warnings"] if "left empty" in w]
    assert metadata(got) == metadata(expected)
    assert area_1_findings(got) == area_1_findings(expected)


def _smudge_over(word) -> Smudge:
    """Ink over the first half of a word of page 27: its leading digits unreadable."""
    return Smudge(page=26, box=(word.x0 - 0.5, word.top + 1, word.x0 + 0.55 * (word.x1 - word.x0), word.bottom - 1))


def test_a_smudged_digit_is_never_stored_wrong_and_the_warning_names_its_field(folder, expected):
    points = find_word(BUNDLED, 26, "22,5")  # question 3.3's points, page 27
    got = _extract(scan_pdf(BUNDLED, folder / "smudged.pdf", ScanStyle(dpi=300), pages=[26],
                            smudges=(_smudge_over(points),)))
    assert wrong_numbers(got, expected) == []
    question = next(q for q in got["questions"] if q["question"] == "3.3")
    assert question["points"] in (None, 22.5)  # its percent and its area's sum can tell it; nothing else may
    said = [w for w in got["warnings"] if "question 3.3 points" in w]
    assert said and ("left empty" in said[0] if question["points"] is None else "taken as 22,5" in said[0]), said


def test_a_smudged_row_stores_no_wrong_number_and_names_each_field_it_could_not_verify(folder, expected):
    points = find_word(BUNDLED, 26, "22,5")
    percent = find_word(BUNDLED, 26, "75%", near=(points.x1 + 20, points.top))
    got = _extract(scan_pdf(BUNDLED, folder / "smudged-row.pdf", ScanStyle(dpi=300), pages=[26],
                            smudges=(_smudge_over(points), _smudge_over(percent))))
    assert wrong_numbers(got, expected) == []
    question = next(q for q in got["questions"] if q["question"] == "3.3")
    empty = [column for column in ("points", "percent") if question[column] is None]
    assert empty, question  # the percent has nothing to be told from
    for column in empty:
        assert any(f"question 3.3 {column}" in w and "left empty" in w for w in got["warnings"]), got["warnings"]


@pytest.mark.slow
@pytest.mark.parametrize("style", [ScanStyle(dpi=150, rotate_degrees=-1.2, speckle=0.0012, jpeg_quality=55, seed=7),
                                   ScanStyle(dpi=200, rotate_degrees=0.8, speckle=0.0006, bilevel=True, seed=11),
                                   ScanStyle(dpi=200, rotate_degrees=-1.5, speckle=0.0008, jpeg_quality=75, seed=2)],
                         ids=["150-other-specks", "200-black-and-white", "200-grey"])
def test_other_whole_report_scans_store_no_wrong_number(folder, expected, style):
    """Scans no rule here was tuned on: other skew, speckle, compression and resolution."""
    got = _extract(scan_pdf(BUNDLED, folder / f"whole-{style.dpi}-{style.seed}.pdf", style))
    assert wrong_numbers(got, expected) == []
    assert metadata(got) == metadata(expected)
    assert (got["total"], got["median_total"]) == (expected["total"], expected["median_total"])
    assert findings_item_exact(got, expected) >= 0.9
