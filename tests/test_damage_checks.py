"""Damage is never silent: a reference value or question id changed by one printed digit is caught by a
check or a warning (issue: 'Hold under … damaged files')."""
from __future__ import annotations

from extractors.checks import (comparison_warnings, question_order_warnings, reference_warnings, run_checks,
                               year_warnings)
from extractors.records import AreaScore, Comparison, QuestionScore, ReportExtract, Source

AVERAGE = "reference values (a mean) sum to the reference total, within rounding"


def _report(references: list[float], total: float, kind: str) -> ReportExtract:
    report = ReportExtract(source=Source("0" * 64, 1, "x.pdf"))
    report.areas = [AreaScore(a, f"område {a}", 60.0, references[a - 1], 1, kind) for a in range(1, 9)]
    report.total, report.median_total, report.reference_kind = 480.0, total, kind
    return report


def _check(report: ReportExtract):
    return next((c for c in run_checks(report) if c.name == AVERAGE), None)


def test_a_mean_reference_adds_up_to_its_total_within_rounding():
    means = [63, 65, 73, 64, 61, 59, 68, 64]
    assert _check(_report(means, 517, "Sverigesnitt")).ok
    assert _check(_report(means, 519, "Sverigesnitt")).ok  # rounding of nine printed values
    changed = [63, 65, 78, 64, 61, 59, 68, 64]  # one digit changed: 73 → 78
    assert not _check(_report(changed, 517, "Sverigesnitt")).ok
    decimals = [62.4, 57.5, 63.5, 67.0, 51.0, 57.0, 43.0, 74.0]
    assert _check(_report(decimals, 475.4, "medelvärde")).ok
    assert not _check(_report([62.4, 57.5, 63.5, 67.0, 51.0, 57.0, 48.0, 74.0], 475.4, "medelvärde")).ok


def test_medians_are_not_held_to_a_sum():
    medians = [62.0, 57.5, 63.5, 67.0, 51.0, 57.0, 43.0, 74.0]
    report = _report(medians, 463.5, "median")
    assert _check(report) is None
    assert all(c.ok for c in run_checks(report))


def _questions(ids: list[str]) -> ReportExtract:
    report = ReportExtract(source=Source("0" * 64, 1, "x.pdf"))
    report.questions = [QuestionScore(i, "Fråga", 20, 10, 50, 1) for i in ids]
    return report


def test_question_ids_out_of_order_or_lost_areas_are_warned():
    whole = [f"{a}.{k}" for a in range(1, 9) for k in (1, 2, 3)]
    assert question_order_warnings(_questions(whole)) == []
    misread = [i if i != "3.2" else "3.7" for i in whole]
    [warning] = question_order_warnings(_questions(misread))
    assert "area 3" in warning and "3.7" in warning
    lost = [i for i in whole if not i.startswith("5.")]
    [warning] = question_order_warnings(_questions(lost))
    assert "area(s) 5" in warning
    assert question_order_warnings(_questions([])) == []


def _with_references(medians: list[float | None], total: float | None, kind: str = "median") -> ReportExtract:
    report = _report([m if m is not None else 0.0 for m in medians], total, kind)
    for area, median in zip(report.areas, medians):
        area.median = median
    report.median_total = total
    return report


def test_a_median_is_a_multiple_of_a_quarter_point_as_printed():
    whole = [62.0, 57.5, 63.5, 67.0, 51.0, 57.0, 43.0, 74.0]
    assert reference_warnings(_with_references(whole, 463.5)) == []
    assert reference_warnings(_with_references([62.3, *whole[1:]], 463.75)) == []  # 62.25, 463.75 as printed
    [warning] = reference_warnings(_with_references([*whole[:4], 51.9, *whole[5:]], 463.5))
    assert "area 5" in warning and "51.9" in warning
    [warning] = reference_warnings(_with_references(whole, 463.6))
    assert "reference total" in warning and "463.6" in warning
    assert reference_warnings(_with_references([*whole[:4], 51.9, *whole[5:]], 463.6, "medelvärde")) == []


def test_a_lost_reference_value_or_column_is_said():
    whole = [62.0, 57.5, 63.5, 67.0, 51.0, 57.0, 43.0, 74.0]
    [warning] = reference_warnings(_with_references([*whole[:2], None, *whole[3:]], 463.5))
    assert "area(s) 3" in warning
    [warning] = reference_warnings(_with_references([None] * 8, 463.5))
    assert "no reference value for any area" in warning
    [warning] = reference_warnings(_with_references(whole, None))
    assert "no reference total" in warning
    without = _with_references([None] * 8, None)
    [warning] = reference_warnings(without)
    assert "names a reference column (median)" in warning
    without.reference_kind = None
    assert reference_warnings(without) == []  # a table without a reference column
    [warning] = reference_warnings(_with_references([*whole[:7], 174.0], 563.5))
    assert "area 8" in warning and "outside" in warning


def _compared(rows: dict[tuple[str, int], list[float | None]], year: int = 2009) -> ReportExtract:
    report = ReportExtract(source=Source("0" * 64, 1, "x.pdf"), year=year)
    report.comparisons = [Comparison(kommun, None, y, area, score) for (kommun, y), scores in rows.items()
                          for area, score in enumerate(scores, start=1) if score is not None or area % 2]
    return report


def test_comparison_years_are_held_to_the_report_year_and_rows_to_eight_areas():
    scores = [59.0, 37.0, 60.0, 71.0, 48.0, 43.0, 43.0, 68.0]
    assert year_warnings(_compared({("Eksjö", 2008): scores, ("Västerås", 2009): scores})) == []
    [warning] = year_warnings(_compared({("Västerås", 2019): scores}))
    assert "Västerås 2019" in warning and "2009" in warning
    early = _compared({("Västerås", 1005): scores, ("Larvik", 1998): scores})
    for comparison in early.comparisons:
        comparison.kommunkod = "1980" if comparison.kommun == "Västerås" else None  # Larvik: Norway, earlier
    [warning] = year_warnings(early)
    assert "Västerås 1005" in warning and "2002" in warning
    assert comparison_warnings(_compared({("Eksjö", 2008): scores})) == []
    [warning] = comparison_warnings(_compared({("Eksjö", 2008): [*scores[:3], None, *scores[4:]]}))
    assert "Eksjö 2008" in warning and "area(s) 4" in warning


def test_evaluation_dates_are_held_to_the_report_year():
    report = ReportExtract(source=Source("0" * 64, 1, "x.pdf"), year=2009,
                           evaluation_dates=["2009-10-07", "2003-10-08"])
    [warning] = year_warnings(report)
    assert "2003-10-08" in warning and "2009" in warning


def test_a_comparison_column_whose_header_names_no_municipality_is_said(real_report, tmp_path):
    """One letter of the table font's text map damaged ('E' read as 'Ņ'): the column 'Ņksjö 2008' is left out,
    and a warning says so (before, its eight scores vanished without a word)."""
    from extractors.report import extract_tables
    from tests import pdf_damage

    opened = pdf_damage.open_pdf(real_report.read_bytes())
    said = []
    for number, obj in opened.objects.items():
        if obj.stream is not None and b"beginbfchar" in obj.stream and b"<0045>" in obj.stream:
            damaged = opened.copy()
            damaged.objects[number].stream = obj.stream.replace(b"<0045>", b"<0145>")
            path = tmp_path / f"font-{number}.pdf"
            path.write_bytes(damaged.write())
            report = extract_tables(path)
            if "Eksjö" not in {c.kommun for c in report.comparisons}:
                said.append(report.warnings)
    assert said == [["page 4: comparison table column 'Ņksjö 2008' names no known municipality; its scores are "
                     "left out"]]
