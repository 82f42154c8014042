"""OCR'd numbers held to the report's arithmetic: mended only when exactly one reading fits, else emptied."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from extractors.arithmetic import Reading, complete_areas, label, rules_of, verify
from extractors.ocr.confusion import readings, value_of
from extractors.records import AreaScore, Comparison, QuestionScore, ReportExtract, Source

EXPECTED = Path(__file__).parent / "fixtures" / "fagersta-2009.expected.json"


def bundled_extract() -> ReportExtract:
    """The bundled report's true numbers as an extract (every check holds)."""
    data = json.loads(EXPECTED.read_text(encoding="utf-8"))
    report = ReportExtract(source=Source(sha256="0" * 64, pages=28, filename="fagersta.pdf"),
                           total=data["total"], median_total=data["median_total"])
    report.areas = [AreaScore(area=a["area"], name=a.get("name", ""), score=a["score"], median=a["median"], page=4)
                    for a in data["areas"]]
    report.questions = [QuestionScore(question=q["question"], text=q["text"], max_points=q["max_points"],
                                      points=q["points"], percent=q["percent"], page=27) for q in data["questions"]]
    report.comparisons = [Comparison(kommun=c["kommun"], kommunkod=c.get("kommunkod"), year=c["year"], area=c["area"],
                                     score=c["score"], page=4) for c in data["comparisons"]]
    return report


def question(report: ReportExtract, number: str) -> QuestionScore:
    return next(q for q in report.questions if q.question == number)


def as_text(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def misread(report: ReportExtract, number: str, column: str, text: str, alternatives=(), confidence=80.0):
    """The report with one question number read as `text` by OCR; and that number's Reading."""
    report = copy.deepcopy(report)
    q = question(report, number)
    value = value_of(text.replace(".", ","))
    setattr(q, column, value)
    return report, {("question", number, column): Reading(text, confidence, tuple(alternatives), page=27)}


def sure_readings(report: ReportExtract) -> dict:
    """Every number of the report as OCR would give it when it read them all right and was sure."""
    found = {}
    for q in report.questions:
        for column in ("points", "max_points", "percent"):
            found[("question", q.question, column)] = Reading(as_text(getattr(q, column)), 96.0, (), 27)
    for area in report.areas:
        found[("area", area.area, "score")] = Reading(as_text(area.score), 96.0, (), 4)
        found[("area", area.area, "reference")] = Reading(as_text(area.median), 96.0, (), 4)
    found[("total",)] = Reading(as_text(report.total), 96.0, (), 4)
    for c in report.comparisons:
        found[("comparison", c.kommun, c.year, c.area)] = Reading(as_text(c.score), 96.0, (), 4)
    return found


@pytest.fixture(scope="module")
def truth() -> ReportExtract:
    return bundled_extract()


def test_the_true_numbers_break_no_check(truth):
    values = {**{("question", q.question, c): getattr(q, c) for q in truth.questions
                 for c in ("points", "max_points", "percent")},
              **{("area", a.area, "score"): a.score for a in truth.areas}, ("total",): truth.total,
              ("constant", 100): 100.0}
    rules = rules_of(truth, {}, {})
    assert len(rules) == 8 + 37 + 8 + 1  # area sums, percents, max sums, total
    assert all(rule.holds(values) for rule in rules)


def test_all_read_right_changes_nothing(truth):
    result = verify(truth, sure_readings(truth))
    assert result.warnings == [] and result.mended == {} and result.emptied == []
    assert result.report.to_json() == truth.to_json()
    assert result.report is not truth


def test_a_dropped_decimal_comma_is_mended_when_it_is_the_only_reading(truth):
    # Question 2.1: 2,5 points of 10 (25 %); read as '25'.
    report, ocr = misread(truth, "2.1", "points", "25")
    result = verify(report, ocr)
    assert question(result.report, "2.1").points == 2.5
    assert result.mended == {("question", "2.1", "points"): 2.5}
    assert result.warnings == ["page 27: question 2.1 points read '25', taken as 2,5: the only reading that makes "
                               "question 2.1's percent agree (2,5 of 10 is 25 %) and area 2's questions sum to 59"]
    assert question(report, "2.1").points == 25  # the input is not modified


def test_a_percent_sign_read_as_digits_is_mended(truth):
    report, ocr = misread(truth, "1.1", "percent", "6590")
    result = verify(report, ocr)
    assert question(result.report, "1.1").percent == 65
    assert "question 1.1 percent read '6590', taken as 65" in result.warnings[0]


def test_a_look_alike_digit_is_mended_by_the_area_sum(truth):
    # 3.4: 9 points of 20 = 45 %, read as '8'? Then percent breaks too; 8 and 9 differ by one look-alike.
    report, ocr = misread(truth, "3.4", "points", "8")
    result = verify(report, ocr)
    assert question(result.report, "3.4").points == 9
    assert result.emptied == []


def test_tabell_1_misread_is_mended_by_the_total_and_the_questions(truth):
    report = copy.deepcopy(truth)
    area = next(a for a in report.areas if a.area == 1)
    area.score = 84  # '64' read as '84'
    result = verify(report, {("area", 1, "score"): Reading("84", 90.0, (), 4)})
    assert next(a for a in result.report.areas if a.area == 1).score == 64
    assert "area 1 score (area table) read '84', taken as 64" in result.warnings[0]


def small_report(points: list[float], maxima: list[float], percents: list[float | None], area_score: float):
    """One area of three questions, its Tabell 1 score, every number OCR'd as printed."""
    report = ReportExtract(source=Source(sha256="0" * 64, pages=2, filename="small.pdf"))
    report.areas = [AreaScore(area=1, name="Offentlighet", score=area_score, median=None, page=1)]
    report.questions = [QuestionScore(question=f"1.{i}", text="?", max_points=m, points=p, percent=c, page=2)
                        for i, (p, m, c) in enumerate(zip(points, maxima, percents), start=1)]
    return report


def test_two_numbers_that_could_each_be_the_slip_are_both_emptied():
    # 1.1 really is 25 and 1.2 is 2,5 read as '25'; no percent column: either '25' may have lost a comma.
    report = small_report([25, 25, 10], [40, 40, 20], [None, None, None], area_score=37.5)
    ocr = {("question", "1.1", "points"): Reading("25", 90.0, (), 2),
           ("question", "1.2", "points"): Reading("25", 90.0, (), 2)}
    result = verify(report, ocr)
    assert [q.points for q in result.report.questions] == [None, None, 10]
    assert sorted(result.emptied) == sorted(ocr)
    assert all("2 different readings would mend it" in w for w in result.warnings), result.warnings


def test_the_percent_column_settles_which_one_it_was():
    report = small_report([25, 25, 10], [40, 40, 20], [63, 6, 50], area_score=37.5)
    ocr = {("question", "1.1", "points"): Reading("25", 90.0, (), 2),
           ("question", "1.2", "points"): Reading("25", 90.0, (), 2)}
    result = verify(report, ocr)
    assert [q.points for q in result.report.questions] == [25, 2.5, 10]
    assert list(result.mended) == [("question", "1.2", "points")]


def test_a_sum_no_single_slip_mends_leaves_every_doubtful_number_empty():
    # Off by 4 with no percent column: no one confusion of '25' or '10' changes the sum by 4.
    report = small_report([25, 2.5, 10], [40, 40, 20], [None, None, None], area_score=33.5)
    ocr = {key: Reading(text, 90.0, (), 2) for key, text in
           [(("question", "1.1", "points"), "25"), (("question", "1.2", "points"), "2,5"),
            (("question", "1.3", "points"), "10")]}
    result = verify(report, ocr)
    assert all(q.points is None or q.points in (25, 2.5, 10) for q in result.report.questions)
    assert result.report.questions[0].points is None or result.mended  # never left standing unverified


def test_no_plausible_reading_empties_the_uncorroborated_number(truth):
    # 3.3: 22,5 points read as '?5' (a smudge): nothing plausible gives 22,5, percent 75 % is read right.
    report, ocr = misread(truth, "3.3", "points", "75")
    ocr[("question", "3.3", "points")] = Reading("75", 40.0, (), 27)
    result = verify(report, ocr)
    assert question(result.report, "3.3").points in (22.5, None)
    if question(result.report, "3.3").points is None:
        assert any("question 3.3 points read '75' could not be verified" in w for w in result.warnings)


def test_a_smudged_number_breaking_a_sum_is_never_stored(truth):
    report, ocr = misread(truth, "3.3", "points", "42")  # no slip turns 42 into 22,5
    result = verify(report, ocr)
    assert question(result.report, "3.3").points is None
    assert result.emptied == [("question", "3.3", "points")]
    assert result.warnings[0].startswith("page 27: question 3.3 points read '42' could not be verified: area 3's "
                                         "questions sum (79 against 59,5)")


def test_text_layer_numbers_are_never_changed(truth):
    report = copy.deepcopy(truth)
    question(report, "2.1").points = 25  # wrong, but not OCR'd: the checks report it, arithmetic leaves it
    result = verify(report, {})
    assert question(result.report, "2.1").points == 25
    assert result.warnings == []


def test_numbers_no_check_covers_are_kept_only_when_ocr_was_sure(truth):
    report = copy.deepcopy(truth)
    ocr = {("area", 1, "reference"): Reading("62,0", 95.0, ("62.0",), 4),
           ("area", 2, "reference"): Reading("57,5", 50.0, ("57,3",), 4),  # readings disagreed
           ("area", 3, "reference"): Reading("63,5", 50.0, (), 4)}
    result = verify(report, ocr)
    medians = {a.area: a.median for a in result.report.areas}
    assert medians[1] == 62.0
    assert medians[2] is None and medians[3] is None
    assert sorted(result.emptied) == [("area", 2, "reference"), ("area", 3, "reference")]


def test_comparison_totals_check_their_column(truth):
    report = copy.deepcopy(truth)
    column = [c for c in report.comparisons if c.kommun == "Eksjö"]
    total = sum(c.score for c in column)
    column[0].score = 89  # '59' read as '89'
    result = verify(report, {("comparison", "Eksjö", 2008, column[0].area): Reading("89", 90.0, (), 4)},
                    comparison_totals={("Eksjö", 2008): total})
    assert [c.score for c in result.report.comparisons if c.kommun == "Eksjö"][0] == 59


def test_many_errors_at_once_are_mended_or_emptied_never_wrong(truth):
    report = copy.deepcopy(truth)
    slips = {("2.1", "points"): "25", ("1.1", "percent"): "6590", ("3.4", "points"): "8",
             ("5.2", "percent"): "3090", ("6.1", "max_points"): "2)"}
    ocr = sure_readings(report)
    for (number, column), text in slips.items():
        q = question(report, number)
        setattr(q, column, value_of(text.rstrip(")")))
        ocr[("question", number, column)] = Reading(text, 70.0, (), 27)
    result = verify(report, ocr)
    for q, right in zip(result.report.questions, truth.questions):
        for column in ("points", "max_points", "percent"):
            assert getattr(q, column) in (getattr(right, column), None), (q.question, column)
    assert len(result.mended) >= 4


def test_the_confusion_model_offers_the_usual_slips():
    def values(text, percent=False):
        return {c.value for c in readings(text, percent=percent)}

    assert {2.5, 25.0} <= values("25")
    assert 22.5 in values("2235") and 2.5 in values("255")
    assert 65.0 in values("6590", percent=True) and 75.0 in values("75940", percent=True)
    assert 51.5 in values("5l,5") and 2.0 in values("2)") and 60.0 in values("60.")
    assert {3.0, 6.0, 0.0} <= values("8") and 7.0 in values("1") and 6.0 in values("5")
    assert 71.0 in values("1") and 55.0 in values("555")
    assert 22.5 in {c.value for c in readings("xx", alternatives=("22,5",))}


def test_labels_name_the_field():
    assert label(("question", "3.4", "points")) == "question 3.4 points"
    assert label(("area", 3, "score")) == "area 3 score (area table)"
    assert label(("summary_sum", 3)) == "the score summary's sum row of area 3"


def test_a_number_only_its_range_checks_is_never_mended(truth):
    # 'BLS' for 51,5 in the comparison table (no total row): 8,5 would be in range, but nothing checks it.
    report = copy.deepcopy(truth)
    column = next(c for c in report.comparisons if c.kommun == "Gällivare" and c.area == 3)
    column.score = None
    result = verify(report, {("comparison", "Gällivare", 2003, 3): Reading("BLS", 95.0, (), 4)})
    assert next(c for c in result.report.comparisons if c.kommun == "Gällivare" and c.area == 3).score is None
    assert result.mended == {} and result.emptied == [("comparison", "Gällivare", 2003, 3)]


def test_an_unreadable_number_is_mended_through_the_checks_it_belongs_to(truth):
    report, ocr = misread(truth, "2.1", "points", "255)")  # value None: not a clean numeral
    question(report, "2.1").points = None
    result = verify(report, ocr)
    assert question(result.report, "2.1").points == 2.5
    assert "percent" in result.warnings[0] and "area 2's questions sum to 59" in result.warnings[0]


def test_a_speck_read_as_a_digit_is_mended(truth):
    report, ocr = misread(truth, "3.3", "points", "22:95")
    question(report, "3.3").points = None
    result = verify(report, ocr)
    assert question(result.report, "3.3").points == 22.5


def test_a_question_mended_by_its_percent_though_its_area_holds_another_broken_number(truth):
    # 3.4's '8' (9 of 20, 45 %) is mended by its own percent; 3.3's smudged '42' fits nothing: emptied.
    report, ocr = misread(truth, "3.4", "points", "8")
    question(report, "3.3").points = 42
    ocr[("question", "3.3", "points")] = Reading("42", 60.0, (), 27)
    result = verify(report, ocr)
    assert question(result.report, "3.4").points == 9
    assert question(result.report, "3.3").points is None
    assert result.mended == {("question", "3.4", "points"): 9}
    assert ("question", "3.3", "points") in result.emptied
    assert result.warnings[0] == ("page 27: question 3.4 points read '8', taken as 9: the only reading that makes "
                                  "question 3.4's percent agree (9 of 20 is 45 %)")


def test_an_unreadable_cell_is_read_as_its_printed_digits_whatever_its_confidence(truth):
    # '2:5' for 2,5 with a confidence above the percent's: reading it changes no surer number
    report, ocr = misread(truth, "2.1", "points", "2:5", confidence=90.0)
    question(report, "2.1").points = None
    ocr[("question", "2.1", "percent")] = Reading("25%", 50.0, (), 27)
    result = verify(report, ocr)
    assert question(result.report, "2.1").points == 2.5 and question(result.report, "2.1").percent == 25


def test_two_unreadable_cells_of_one_sum_are_read_as_printed_when_the_sum_then_holds(truth):
    report = copy.deepcopy(truth)
    column = {c.area: c for c in report.comparisons if c.kommun == "Gällivare"}
    total = sum(c.score for c in column.values())
    right = (column[2].score, column[4].score)
    column[2].score = column[4].score = None
    printed = {2: as_text(right[0]).replace(",", ";") + (";0" if right[0] == int(right[0]) else ""),
               4: '"' + as_text(right[1]) + ":"}
    ocr = {("comparison", "Gällivare", 2003, area): Reading(text, 60.0, (), 4) for area, text in printed.items()}
    result = verify(report, ocr, comparison_totals={("Gällivare", 2003): total})
    assert (column_after := {c.area: c.score for c in result.report.comparisons if c.kommun == "Gällivare"})
    assert (column_after[2], column_after[4]) == right
    # two cells read as printed whose sum does not hold stay empty: their digits are not evidence enough
    wrong_total = verify(report, ocr, comparison_totals={("Gällivare", 2003): total + 10})
    assert all(c.score is None for c in wrong_total.report.comparisons if c.kommun == "Gällivare" and c.area in (2, 4))


def test_points_ocr_could_not_read_at_all_are_what_their_percent_says_when_the_area_sum_agrees(truth):
    report, ocr = misread(truth, "2.6", "points", "Sj")  # 3,5 of 10, 35 %
    question(report, "2.6").points = None
    result = verify(report, ocr)
    assert question(result.report, "2.6").points == 3.5 and "area 2's questions sum to 59" in result.warnings[0]
    alone, ocr_alone = misread(truth, "2.6", "points", "Sj")
    question(alone, "2.6").points = None
    next(a for a in alone.areas if a.area == 2).score = None  # no sum to confirm it: the percent alone is no reading
    assert question(verify(alone, ocr_alone).report, "2.6").points is None


def test_an_area_missing_a_question_is_not_held_to_its_sums(truth):
    # 2.5 and 2.6 (max 20 and 10) not read: '10' as 40 would 'mend' the max points sum, a guess over a gap
    report, ocr = misread(truth, "2.1", "max_points", "10")
    report.questions = [q for q in report.questions if q.question not in ("2.5", "2.6")]  # 20 + 10 max points
    ocr.update({key: reading for key, reading in sure_readings(report).items() if key[0] == "question"
                and key[1].startswith("2.") and key[2] != "max_points"})
    for left_out in ({"2.5"}, set()):  # seen and left out; or not seen at all (2.1 … 2.4 look complete)
        result = verify(report, ocr, left_out=left_out)
        assert question(result.report, "2.1").max_points in (10, None)
        assert not any("sum" in w and "2.1 max" in w and "taken as" in w for w in result.warnings)
    assert complete_areas(["1.1", "1.2", "2.1", "2.3"]) == {1} and complete_areas(["1.1", "1.2"], {"1.3"}) == set()
