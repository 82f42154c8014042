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


# --- rules every value is held to, beyond the sums ------------------------------------------------

SCORE_STEP = 0.5  # every score (a question's points, an area's score, a total) is a whole or half point
PRINTED_ROUNDING = 0.05  # a value printed with one decimal may be off by this
AREA_MAX = 100  # an area's maximum; eight areas make the total's


def _median_allows(value: float) -> bool:
    """A median of half-point scores is one of them or the mean of two: a multiple of a quarter, as printed
    (62,3 may be 62.25 printed with one decimal)."""
    quarter = SCORE_STEP / 2
    return abs(value - round(value / quarter) * quarter) <= PRINTED_ROUNDING + TOLERANCE


def reference_warnings(report: ReportExtract) -> list[str]:
    """Reference values held to their rules: present for every area or none, within an area's range, and a
    median (of half-point scores) a multiple of a quarter point. A mean is held to its total by `run_checks`."""
    if not report.areas:
        return []
    warnings = []
    present = {a.area: a.median for a in report.areas if a.median is not None}
    if present and len(present) < len(report.areas):
        missing = [str(a.area) for a in report.areas if a.median is None]
        warnings.append(f"the area table has no reference value for area(s) {', '.join(missing)}: a cell may be lost")
    if not present and report.median_total is not None:
        warnings.append(f"the area table has a reference total ({report.median_total:g}) but no reference value "
                        "for any area: the column may be lost")
    if not present and report.median_total is None and report.reference_kind is not None:
        warnings.append(f"the area table names a reference column ({report.reference_kind}) but no reference value "
                        "was read: the column may be lost")
    if present and report.median_total is None:
        warnings.append("the area table has reference values but no reference total: a cell may be lost")
    for area, value in sorted(present.items()):
        if not 0 <= value <= AREA_MAX:
            warnings.append(f"the reference value of area {area} reads {value:g}, outside 0–{AREA_MAX}")
    if report.median_total is not None and not 0 <= report.median_total <= 8 * AREA_MAX:
        warnings.append(f"the reference total reads {report.median_total:g}, outside 0–{8 * AREA_MAX}")
    if report.reference_kind is not None and not VOCABULARY.is_average(report.reference_kind):
        for area, value in sorted(present.items()):
            if not _median_allows(value):
                warnings.append(f"the reference value (a median) of area {area} reads {value:g}: a median of "
                                f"half-point scores is a multiple of {SCORE_STEP / 2:g}")
        if report.median_total is not None and not _median_allows(report.median_total):
            warnings.append(f"the reference total (a median) reads {report.median_total:g}: a median of "
                            f"half-point scores is a multiple of {SCORE_STEP / 2:g}")
    return warnings


def year_warnings(report: ReportExtract) -> list[str]:
    """Years held to the report's year: an evaluation date of another year, a comparison from a later year."""
    if report.year is None:
        return []
    warnings = []
    other_years = [d for d in report.evaluation_dates if d[:4].isdigit() and int(d[:4]) != report.year]
    if other_years:
        warnings.append(f"evaluation date(s) {', '.join(other_years)} are not of the report's year {report.year}")
    later = sorted({(c.kommun, c.year) for c in report.comparisons if c.year is not None and c.year > report.year})
    for kommun, year in later:
        warnings.append(f"comparison {kommun} {year} is later than the report's year {report.year}: a year misread?")
    first = min(g.first_year for g in VOCABULARY.generations)  # Swedish evaluations began then; others' earlier
    early = sorted({(c.kommun, c.year) for c in report.comparisons
                    if c.year is not None and c.kommunkod is not None and c.year < first})
    for kommun, year in early:
        warnings.append(f"comparison {kommun} {year} is before the first Swedish evaluations ({first}): "
                        "a year misread?")
    return warnings


def comparison_warnings(report: ReportExtract) -> list[str]:
    """A quoted evaluation gives a score for every area: one without (a lost cell, or a printed dash) is said,
    since the sum to its total cannot then be checked."""
    by_evaluation: dict[tuple[str, int], dict[int, float | None]] = defaultdict(dict)
    for comparison in report.comparisons:
        by_evaluation[(comparison.kommun, comparison.year)][comparison.area] = comparison.score
    warnings = []
    for (kommun, year), scores in by_evaluation.items():
        missing = [str(a) for a in range(1, 9) if scores.get(a) is None]
        if missing:
            warnings.append(f"comparison {kommun} {year} has no score for area(s) {', '.join(missing)}; its sum to "
                            "its total is not checked")
        outside = [f"{a}: {s:g}" for a, s in sorted(scores.items()) if s is not None and not 0 <= s <= AREA_MAX]
        if outside:
            warnings.append(f"comparison {kommun} {year} has scores outside 0–{AREA_MAX} ({', '.join(outside)})")
    return warnings


def value_warnings(report: ReportExtract) -> list[str]:
    """Every rule a value is held to beyond the sums of `run_checks`: question ids, reference values, years,
    comparison rows."""
    return [*question_order_warnings(report), *reference_warnings(report), *year_warnings(report),
            *comparison_warnings(report)]
