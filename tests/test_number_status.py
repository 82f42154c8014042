"""Every number says how it was come by — read, mended, derived or empty — in `kompass extract`'s JSON, in the
database (number_status), in Datasette and in `kompass export`.

Real documents: the bundled report (a text layer: every number read) and a scan made here of its title page
and score summary with ink over question 3.3's points and over question 2.6's percent (the arithmetic mends
a slip of OCR's, derives 3.3's points from its max and percent, leaves 2.6's numbers empty). The report's arithmetic alone (no OCR) shows a
number derived from a sum and a number left empty because two readings would mend its sum.
"""
from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest

from db.datasette import database_name, metadata_for
from db.load import InvalidExtract, load_analysis
from db.schema import open_database
from extractors.arithmetic import Reading, verify
from extractors.number_status import complete
from extractors.ocr.confusion import value_of
from extractors.pipeline import Analysis
from extractors.records import NUMBER_STATUSES, NumberStatus
from extractors.report import extract_tables
from outputs.export import write_export
from tests.scans import BUNDLED, ScanStyle, Smudge, find_word, ocr_folder, scan_pdf
from tests.test_arithmetic import bundled_extract, misread, question, small_report
from tests.test_db_support import canned, rows

NUMBERS = {"report": ("total", "median_total"), "areas": ("score", "median"),
           "questions": ("max_points", "points", "percent"), "comparisons": ("score",)}
STORED_AS = {"median": "reference"}


def _record(kind: str, item: dict):
    """How a record is named: a question's id, a compared municipality's (kommun, year, area), an area's number."""
    return {"report": lambda: None, "areas": lambda: item["area"], "questions": lambda: item["question"],
            "comparisons": lambda: (item["kommun"], item["year"], item["area"])}[kind]()


def numbers(got: dict) -> dict[tuple, tuple]:
    """Every number of an extract's JSON: (kind, record, field) → (value, its status object)."""
    found = {}
    records = {"report": [got], "areas": got["areas"], "questions": got["questions"], "comparisons": got["comparisons"]}
    for kind, items in records.items():
        for item in items:
            assert set(item["number_status"]) == set(NUMBERS[kind]), item  # every number has its status, no other
            for field in NUMBERS[kind]:
                found[(kind, _record(kind, item), field)] = (item[field], item["number_status"][field])
    return found


def by_status(got: dict) -> dict[str, dict]:
    grouped: dict[str, dict] = {status: {} for status in NUMBER_STATUSES}
    for key, (value, status) in numbers(got).items():
        assert status["status"] in NUMBER_STATUSES, status
        grouped[status["status"]][key] = (value, status)
    return grouped


@pytest.fixture(scope="module")
def truth():
    return bundled_extract()


@pytest.fixture(scope="module")
def bundled():
    return extract_tables(BUNDLED)


def test_every_number_of_a_text_layer_report_is_read(bundled, expected_seed):
    got = bundled.to_json()
    found = numbers(got)
    assert len(found) == 2 + 2 * 8 + 3 * 37 + 40
    assert {status["status"] for _, status in found.values()} == {"read"}
    assert all(set(status) == {"status"} for _, status in found.values())  # nothing printed, derived or warned
    assert (got["total"], got["areas"][0]["score"], got["questions"][0]["points"]) == (
        expected_seed["total"], expected_seed["areas"][0]["score"], expected_seed["questions"][0]["points"])  # numbers stay where they were


# The report's arithmetic alone: OCR'd readings given as Tesseract would give them.

def statuses_after(report, ocr, **sums) -> dict[tuple, tuple]:
    result = verify(report, ocr, **sums)
    return numbers(complete(result.report).to_json()), result


def test_a_reading_the_arithmetic_changes_is_mended_and_keeps_what_ocr_read(truth):
    report, ocr = misread(truth, "2.1", "points", "25")  # 2,5 of 10, 25 %: the comma lost
    found, result = statuses_after(report, ocr)
    value, status = found[("questions", "2.1", "points")]
    assert value == 2.5 and status == {"status": "mended", "printed": "25", "warning": result.warnings[0]}
    assert sum(s["status"] == "read" for _, s in found.values()) == len(found) - 1


def test_a_cell_ocr_could_not_read_is_derived_from_its_sum(truth):
    report = copy.deepcopy(truth)
    column = {c.area: c for c in report.comparisons if c.kommun == "Gällivare"}
    total, right = sum(c.score for c in column.values()), column[3].score
    column[3].score = None  # 'BLS' where 51,5 stood: no reading of it gives a number
    found, result = statuses_after(report, {("comparison", "Gällivare", 2003, 3): Reading("BLS", 40.0, (), 4)},
                                   comparison_totals={("Gällivare", 2003): total})
    value, status = found[("comparisons", ("Gällivare", 2003, 3), "score")]
    assert value == right
    assert status == {"status": "derived", "printed": "BLS",
                      "derived_from": f"comparison Gällivare 2003: the areas sum to {total:g}".replace(".", ","),
                      "warning": result.warnings[0]}


def test_points_read_from_their_percent_are_derived_and_say_which_sum_agrees(truth):
    report, ocr = misread(truth, "2.6", "points", "Sj")  # 3,5 of 10, 35 %
    question(report, "2.6").points = None
    found, _ = statuses_after(report, ocr)
    value, status = found[("questions", "2.6", "points")]
    assert value == 3.5 and status["status"] == "derived" and status["printed"] == "Sj"
    assert status["derived_from"] == "question 2.6's max points and percent (35 % of 10); area 2's questions sum to 59"


def test_a_number_two_readings_could_mend_is_left_empty_with_its_warning():
    # 1.1 really is 25 and 1.2 is 2,5 read as '25'; no percent column: either '25' may have lost a comma.
    report = small_report([25, 25, 10], [40, 40, 20], [None, None, None], 37.5)
    ocr = {("question", f"1.{i}", "points"): Reading(text, 80.0, (), 2) for i, text in ((1, "25"), (2, "25"))}
    found, result = statuses_after(report, ocr)
    for number in ("1.1", "1.2"):
        value, status = found[("questions", number, "points")]
        assert value is None and status["status"] == "empty" and status["printed"] == "25"
        assert status["warning"] in result.warnings and f"question {number} points" in status["warning"]
    assert found[("questions", "1.3", "points")][1] == {"status": "read"}
    assert found[("questions", "1.1", "percent")][1] == {"status": "empty"}  # not printed: no warning of its own


# A scan made here: OCR, the page stages and the arithmetic decide.

def _smudge_over(word, share: float = 0.55) -> Smudge:
    """Ink over the first `share` of a word of page 27: its leading characters unreadable."""
    return Smudge(page=26, box=(word.x0 - 0.5, word.top + 1, word.x0 + share * (word.x1 - word.x0), word.bottom - 1))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """The title page and the score summary (page 27) at 300 dpi, with ink over 3.3's points (22,5 of 30, 75 %)
    and over 2.6's percent (3,5 of 10, 35 %)."""
    folder = ocr_folder(tmp_path_factory, "number-status")
    points_33 = find_word(BUNDLED, 26, "22,5")
    points_26 = find_word(BUNDLED, 26, "3,5", near=(points_33.x0, points_33.top - 4 * (points_33.bottom - points_33.top)))
    percent_26 = find_word(BUNDLED, 26, "35%", near=(points_26.x1 + 20, points_26.top))
    pdf = scan_pdf(BUNDLED, folder / "smudged.pdf", ScanStyle(dpi=300), pages=[0, 26],
                   smudges=(_smudge_over(points_33), _smudge_over(percent_26)))
    return extract_tables(pdf)


def test_a_scan_says_which_numbers_were_read_mended_derived_or_left_empty(scanned, expected_seed):
    got = scanned.to_json()
    assert got["source"]["ocr_pages"] == [1, 2]
    grouped = by_status(got)
    truth = {q["question"]: q for q in expected_seed["questions"]}
    wrong = [(key, value) for status in ("read", "mended", "derived") for key, (value, _) in grouped[status].items()
             if key[0] == "questions" and value != truth[key[1]][key[2]]]
    assert wrong == []
    assert all(check["ok"] for check in got["checks"]), got["checks"]  # no mend broke a check
    assert len(grouped["read"]) >= 0.9 * len(numbers(got))
    assert grouped["mended"], got["warnings"]
    for (kind, record, field), (value, status) in grouped["mended"].items():
        assert status["printed"] and value_of(status["printed"].replace(".", ",")) != value
        assert "taken as" in status["warning"] and status["warning"] in got["warnings"]
    value, status = grouped["derived"][("questions", "3.3", "points")]
    assert value == 22.5 and "question 3.3's max points and percent" in status["derived_from"]
    assert status["printed"] != "22,5" and status["warning"] in got["warnings"]
    emptied = {key: status for key, (_, status) in grouped["empty"].items() if key[0] == "questions"}
    assert ("questions", "2.6", "percent") in emptied, emptied  # nothing tells the smudged percent
    for key, status in emptied.items():
        assert "left empty" in status["warning"] and status["warning"] in got["warnings"] and status["printed"]
    assert grouped["empty"][("report", None, "total")][1] == {"status": "empty"}  # no area table on these pages


# The database, Datasette and the export.

@pytest.fixture(scope="module")
def built(tmp_path_factory, bundled, scanned):
    path = tmp_path_factory.mktemp("number-status-db") / "kommunkompassen.db"
    db = open_database(path)
    for extract in (bundled, scanned):
        load_analysis(db, Analysis(extract=extract, extractor_version="test"))
    db.close()
    return path


def stored(path: Path, sha256: str) -> dict[tuple, tuple]:
    """The number_status rows of one document: (kommun, year, source, area, question, field) → (value, status, …)."""
    return {row[:6]: row[6:] for row in rows(
        path, "SELECT e.kommun, e.year, n.source, n.area, n.question, n.field, n.value, n.status, n.printed, "
              "n.derived_from, n.warning FROM number_status n JOIN evaluations e ON e.id = n.evaluation "
              "WHERE n.document = ?", [sha256])}


def as_rows(got: dict) -> dict[tuple, tuple]:
    """What the database should hold for an extract's JSON."""
    expected = {}
    for (kind, record, field), (value, status) in numbers(got).items():
        whose = (record[0], record[1]) if kind == "comparisons" else (got["kommun"], got["year"])
        source = "comparison_table" if kind == "comparisons" else "report"
        area = {"report": None, "areas": record, "comparisons": record[2] if kind == "comparisons" else None,
                "questions": int(record.split(".")[0]) if kind == "questions" else None}[kind]
        question_id = record if kind == "questions" else None
        expected[(*whose, source, area, question_id, STORED_AS.get(field, field))] = (
            value, status["status"], status.get("printed"), status.get("derived_from"), status.get("warning"))
    return expected


def test_the_database_stores_each_number_with_its_status(built, bundled, scanned):
    for extract in (bundled, scanned):
        assert stored(built, extract.source.sha256) == as_rows(extract.to_json())
    assert {row[0] for row in rows(built, "SELECT DISTINCT status FROM number_status")} == set(NUMBER_STATUSES)
    db = open_database(built)  # loading the same documents again changes nothing
    before = rows(built, "SELECT * FROM number_status ORDER BY id")
    assert load_analysis(db, Analysis(extract=scanned, extractor_version="test")).status == "unchanged"
    load_analysis(db, Analysis(extract=scanned, extractor_version="test-2"))  # a new version replaces its rows
    db.close()
    assert rows(built, "SELECT count(*) FROM number_status") == [(len(before),)]
    assert stored(built, scanned.source.sha256) == as_rows(scanned.to_json())


def test_a_status_the_contract_does_not_know_is_refused_and_nothing_is_written(built, scanned):
    bad = copy.deepcopy(scanned)
    bad.questions[0].number_status["points"] = NumberStatus("guessed")
    bad.source.sha256 = "b" * 64
    db = open_database(built)
    with pytest.raises(InvalidExtract, match="number status 'guessed'"):
        load_analysis(db, Analysis(extract=bad, extractor_version="test"))
    db.close()
    assert rows(built, "SELECT count(*) FROM number_status WHERE document = ?", ["b" * 64]) == [(0,)]


def test_datasette_shows_the_numbers_not_read_with_their_status(built, scanned):
    shown = canned(built, "numbers_not_read")
    assert {row["status"] for row in shown} == {"mended", "derived", "empty"}
    derived = [row for row in shown if row["status"] == "derived" and row["question"] == "3.3"]
    assert [(row["field"], row["value"], row["label"]) for row in derived] == [("points", 22.5, "Fagersta 2009 (2)")]
    assert derived[0]["question_text"] and derived[0]["document"] == scanned.source.sha256
    mended = canned(built, "number_status", status="mended")
    assert mended and all(row["printed"] for row in mended)
    table = metadata_for(built)["databases"][database_name(built)]["tables"]["number_status"]
    assert table["facets"] == ["status", "field", "source"] and "derived" in table["columns"]["status"]


def test_the_export_carries_each_number_with_its_status(built, scanned, tmp_path):
    db = open_database(built)
    try:
        write_export(db, tmp_path / "csv", "csv")
        write_export(db, tmp_path / "xlsx", "xlsx")
    finally:
        db.close()
    with open(tmp_path / "csv" / "number_status.csv", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert len(exported) == rows(built, "SELECT count(*) FROM number_status")[0][0]
    assert {row["status"] for row in exported} == set(NUMBER_STATUSES)
    derived = [row for row in exported if row["status"] == "derived" and row["question"] == "3.3"]
    assert derived and derived[0]["value"] == "22.5" and "max points and percent" in derived[0]["derived_from"]
    with open(tmp_path / "csv" / "question_scores.csv", encoding="utf-8") as handle:
        questions = [row for row in csv.DictReader(handle) if row["document"] == scanned.source.sha256]
    status = stored(built, scanned.source.sha256)
    assert questions and all(row[f"{field}_status"] == status[(row["kommun"], int(row["year"]), "report", int(row["area"]),
                                                                row["question"], field)][1]
                             for row in questions for field in ("max_points", "points", "percent"))
    package = json.loads((tmp_path / "csv" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "number-status")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert fields["value"]["type"] == "number" and fields["status"]["type"] == "string"
    assert "derived" in fields["status"]["description"] and fields["printed"]["description"]
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "xlsx" / "kommunkompassen.xlsx", read_only=True)["number_status"]
    header, *cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "status" in header and {row[header.index("status")] for row in cells} == set(NUMBER_STATUSES)
