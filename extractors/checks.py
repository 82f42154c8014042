"""The checks every extract carries: sums, percents and per-area maxima."""
from __future__ import annotations

from collections import defaultdict

from extractors.numbers import round_half_up
from extractors.records import Check, ReportExtract
from extractors.vocabulary import VOCABULARY

TOLERANCE = 0.001


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE


def percent_matches(points: float, max_points: float, percent: float) -> bool:
    """Reports round half up; a few round half to even or truncate — accept those too."""
    if max_points <= 0:
        return False
    exact = 100 * points / max_points
    return percent in {round_half_up(exact), round(exact), int(exact)} or _close(percent, exact)


def run_checks(report: ReportExtract) -> list[Check]:
    """Every check the extract's numbers allow; a check whose numbers are missing (an OCR'd number that
    could not be verified, left empty) is not made, and the warnings say which number is missing."""
    checks: list[Check] = []
    by_area: dict[int, list] = defaultdict(list)
    for question in report.questions:
        by_area[int(question.question.split(".")[0])].append(question)
    scores = {area.area: area.score for area in report.areas}
    for area in sorted(by_area):
        questions = by_area[area]
        points = [q.points for q in questions]
        maxima = [q.max_points for q in questions]
        if area in scores and scores[area] is not None and None not in points:
            checks.append(Check(f"area {area}: question points sum to area score", _close(sum(points), scores[area]),
                                f"{sum(points):g} vs {scores[area]:g}"))
        if None not in maxima:
            checks.append(Check(f"area {area}: max points sum to 100", _close(sum(maxima), 100), f"{sum(maxima):g}"))
    complete = [q for q in report.questions if None not in (q.points, q.max_points, q.percent)]
    bad = [q.question for q in complete if not percent_matches(q.points, q.max_points, q.percent)]
    if complete:
        checks.append(Check("percent = round(100·points/max) for every question", not bad,
                            "all match" if not bad else "mismatch: " + ", ".join(bad)))
    area_scores = [area.score for area in report.areas]
    if report.areas and report.total is not None and None not in area_scores:
        total = sum(area_scores)
        checks.append(Check("areas sum to total", _close(total, report.total), f"{total:g} vs {report.total:g}"))
    medians = [a.median for a in report.areas]
    if report.median_total is not None and all(m is not None for m in medians) and len(medians) == 8:
        if VOCABULARY.is_average(report.reference_kind):
            checks.append(_average_check(medians, report.median_total))
        else:  # medians of areas need not add up to the median total: recorded for information only
            checks.append(Check("reference values present for all eight areas", True, f"sum {sum(medians):g}"))
    return checks


def _average_check(values: list[float], total: float) -> Check:
    """A mean's area values add up to its total, within the rounding of the printed values (each printed
    value off by at most half its last digit)."""
    unit = 1.0 if all(float(v).is_integer() for v in [*values, total]) else 0.1
    slack = (len(values) + 1) * unit / 2 + TOLERANCE
    added = sum(values)
    return Check("reference values (a mean) sum to the reference total, within rounding", abs(added - total) <= slack,
                 f"{added:g} vs {total:g} (rounding allows ±{slack:g})")


def question_order_warnings(report: ReportExtract) -> list[str]:
    """A score summary that lost rows or misread an id says so: areas without any question row, and
    ids of an area that do not run 1 … n in reading order."""
    if not report.questions:
        return []
    warnings = []
    by_area: dict[int, list[str]] = defaultdict(list)
    for question in report.questions:
        by_area[int(question.question.split(".")[0])].append(question.question)
    missing = [str(a) for a in range(1, 9) if a not in by_area]
    if missing:
        warnings.append(f"the score summary has no question rows for area(s) {', '.join(missing)}: rows may have "
                        "been lost or misread")
    for area, ids in sorted(by_area.items()):
        numbers = [int(i.split(".")[1]) if i.split(".")[1].isdigit() else -1 for i in ids]
        if numbers != list(range(1, len(numbers) + 1)):
            warnings.append(f"the question ids of area {area} read {', '.join(ids)}, not {area}.1 … {area}.{len(ids)} "
                            "in order: a row may be lost or an id misread")
    return warnings
