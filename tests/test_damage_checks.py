"""Damage is never silent: a reference value or question id changed by one printed digit is caught by a
check or a warning (issue: 'Hold under … damaged files')."""
from __future__ import annotations

from extractors.checks import question_order_warnings, run_checks
from extractors.records import AreaScore, QuestionScore, ReportExtract, Source

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
