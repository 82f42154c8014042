"""Every number of an extract says how it was come by: `read`, `mended`, `derived` or `empty`.

The stages that change or compute a number record it where they do (`mark`): the report's arithmetic
(`extractors.arithmetic`: an OCR'd reading mended, a cell OCR could not read derived from a sum, a
number that could not be verified left empty), the score summary (a percent computed where no percent
column is printed) and assembly (area scores summed from the questions, a total from the areas).
`complete` then gives every other number its status: `read` where it holds a value, `empty` where not.
A number's value never moves: the status stands beside it in the record's `number_status` map, keyed by
the number's field name.
"""
from __future__ import annotations

from extractors.records import DERIVED, EMPTY, READ, NumberStatus, ReportExtract

# The numbers of each kind of record, by field name
REPORT_NUMBERS = ("total", "median_total")
AREA_NUMBERS = ("score", "median")
QUESTION_NUMBERS = ("max_points", "points", "percent")
COMPARISON_NUMBERS = ("score",)


def mark(record, name: str, status: NumberStatus) -> None:
    """Say how the record's number `name` was come by."""
    record.number_status[name] = status


def derived(record, name: str, derived_from: str, warning: str | None = None) -> None:
    mark(record, name, NumberStatus(DERIVED, derived_from=derived_from, warning=warning))


def numbered_records(report: ReportExtract):
    """(record, its number fields) for the report itself and each of its areas, questions and comparisons."""
    yield report, REPORT_NUMBERS
    yield from ((area, AREA_NUMBERS) for area in report.areas)
    yield from ((question, QUESTION_NUMBERS) for question in report.questions)
    yield from ((comparison, COMPARISON_NUMBERS) for comparison in report.comparisons)


def status_of(record, name: str) -> NumberStatus:
    """The status of the record's number `name`: what a stage recorded, else `read` for a value and
    `empty` for none. A number recorded as mended or derived but empty now (a later check emptied it) is
    `empty`, keeping what OCR read; one recorded empty that holds a value is `read`."""
    value, status = getattr(record, name), record.number_status.get(name)
    if value is None and (status is None or status.status != EMPTY):
        return NumberStatus(EMPTY, printed=status.printed if status else None,
                            warning=status.warning if status else None)
    if value is not None and (status is None or status.status == EMPTY):
        return NumberStatus(READ)
    return status


def complete(report: ReportExtract) -> ReportExtract:
    """Every number of the report with its status (`status_of`), in place; returns the report."""
    for record, names in numbered_records(report):
        record.number_status = {name: status_of(record, name) for name in names}
    return report


def record_field(report: ReportExtract, key: tuple):
    """The record and field name of an arithmetic key (`extractors.arithmetic.Key`), or None for a
    number no record holds (a score summary's sum row, a comparison column's total)."""
    kind = key[0]
    if kind == "total":
        return report, "total"
    if kind == "area":
        area = next((a for a in report.areas if a.area == key[1]), None)
        return (area, "score" if key[2] == "score" else "median") if area is not None else None
    if kind == "question":
        question = next((q for q in report.questions if q.question == key[1]), None)
        return (question, key[2]) if question is not None else None
    if kind == "comparison":
        comparison = next((c for c in report.comparisons if (c.kommun, c.year, c.area) == key[1:]), None)
        return (comparison, "score") if comparison is not None else None
    return None
