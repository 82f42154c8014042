"""Numbers read by OCR held to the report's own arithmetic: mend a misreading only when exactly one
reading fits every sum, otherwise leave the number empty and say which field could not be verified.

The report checks itself: question points sum to the area score (Tabell 1) and to the score
summary's sum row, the eight areas to the total, percent = round(100·points/max), each area's
maximum points to 100 (an area's sums only where all its questions were read), a comparison column's
areas to its total. `verify` takes an extract whose
OCR'd numbers come with their `Reading` (the text, Tesseract's confidence and alternatives) and
1. finds the checks the OCR'd numbers break (a value outside its range — a percent of 6590 — too);
2. for each group of broken checks sharing numbers — first each question's own percent, then the
   sums across questions — searches the fewest changes of OCR'd numbers, each to a plausible
   misreading (`extractors.ocr.confusion`), that make every check of the group hold and break none
   that held;
3. applies the change if it is the only one of that size, with a warning naming the page, field,
   text, value taken and the sum it mends; if several fit, or none, empties (None) the numbers that
   could be wrong and says so. Numbers from a text layer (no Reading) are never changed.
Each number changed, computed or emptied gets its status in the returned extract's records
(`number_status`: mended with what OCR read, derived with the sum it came from, empty with the warning);
numbers left as read get none here (`extractors.number_status.complete` calls them read).
OCR'd numbers no check covers (reference values, comparison scores without a total) are kept only
when OCR was sure of them (confidence ≥ SURE_CONFIDENCE; independent readings that disagree lower it).
Pure: the extract passed in is not modified.
"""
from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field

from extractors.checks import percent_matches
from extractors.number_status import mark, record_field
from extractors.ocr.confusion import readings, spoken
from extractors.records import DERIVED, EMPTY, MENDED, NumberStatus, ReportExtract

TOLERANCE = 0.001
MAX_CHANGES = 3  # at most this many numbers changed together to mend one group of checks
SEARCH_LIMIT = 200_000  # combinations tried per group before giving up (then: empty, with a warning)
SURE_CONFIDENCE = 85.0  # an OCR'd number no check covers is kept from this confidence up

Key = tuple  # ("question", "3.4", "points"), ("area", 3, "score"), ("total",), ("summary_sum", 3), …


@dataclass(frozen=True)
class Reading:
    """How OCR read one number."""

    text: str
    confidence: float
    alternatives: tuple[str, ...] = ()
    page: int | None = None


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    step: float  # 0.5: half points; 1: whole numbers

    def admits(self, value: float | None) -> bool:
        if value is None:
            return False
        return self.low - TOLERANCE <= value <= self.high + TOLERANCE and abs(value / self.step - round(value / self.step)) < TOLERANCE


RANGES = {"points": Range(0, 100, 0.5), "max_points": Range(1, 100, 1), "percent": Range(0, 100, 1),
          "score": Range(0, 100, 0.5), "reference": Range(0, 100, 0.5), "total": Range(0, 800, 0.5),
          "summary_sum": Range(0, 100, 0.5), "comparison": Range(0, 100, 0.5), "comparison_total": Range(0, 800, 0.5)}


def label(key: Key) -> str:
    """A field as a warning names it."""
    kind = key[0]
    if kind == "question":
        column = {"points": "points", "max_points": "max points", "percent": "percent"}[key[2]]
        return f"question {key[1]} {column}"
    if kind == "area":
        return f"area {key[1]} {'score (area table)' if key[2] == 'score' else 'reference value'}"
    if kind == "total":
        return "total"
    if kind == "summary_sum":
        return f"the score summary's sum row of area {key[1]}"
    if kind == "comparison":
        return f"comparison {key[1]} {key[2]} area {key[3]}"
    if kind == "comparison_total":
        return f"comparison {key[1]} {key[2]} total"
    return " ".join(str(part) for part in key)


def range_of(key: Key) -> Range:
    if key[0] in ("question", "area"):
        return RANGES[key[2]]
    return RANGES[key[0]]


@dataclass
class Rule:
    """One check: `kind` 'sum' (parts add up to whole) or 'percent' (points, max, percent)."""

    kind: str
    name: str
    parts: tuple[Key, ...]
    whole: Key | None = None

    @property
    def keys(self) -> tuple[Key, ...]:
        return self.parts + ((self.whole,) if self.whole is not None else ())

    def holds(self, values: dict[Key, float | None]) -> bool | None:
        """True or False; None when a number it needs is missing."""
        numbers = [values.get(key) for key in self.keys]
        if any(number is None for number in numbers):
            return None
        if self.kind == "percent":
            points, maximum, percent = numbers
            return percent_matches(points, maximum, percent)
        return abs(sum(numbers[:-1]) - numbers[-1]) <= TOLERANCE

    def describe(self, values: dict[Key, float | None]) -> str:
        if self.kind == "percent":
            points, maximum, percent = (values.get(key) for key in self.keys)
            return f"{self.name} agree ({spoken(points)} of {spoken(maximum)} is {spoken(percent)} %)"
        return f"{self.name} to {spoken(values[self.whole])}" if values.get(self.whole) is not None else self.name


@dataclass
class Verification:
    """The extract with OCR'd numbers verified, and what was mended or emptied."""

    report: ReportExtract
    warnings: list[str] = field(default_factory=list)
    mended: dict[Key, float] = field(default_factory=dict)  # every reading changed (derived ones too)
    emptied: list[Key] = field(default_factory=list)
    derived: dict[Key, str] = field(default_factory=dict)  # computed, not read: the sum or rule it came from
    said: dict[Key, str] = field(default_factory=dict)  # the warning about each number mended, derived or emptied
    summary_sums: dict[int, float | None] = field(default_factory=dict)
    comparison_totals: dict[tuple[str, int], float | None] = field(default_factory=dict)


def _area_of(question: str) -> int:
    return int(question.split(".")[0])


def values_of(report: ReportExtract, summary_sums: dict[int, float], comparison_totals: dict) -> dict[Key, float | None]:
    values: dict[Key, float | None] = {}
    for q in report.questions:
        values[("question", q.question, "points")] = q.points
        values[("question", q.question, "max_points")] = q.max_points
        values[("question", q.question, "percent")] = q.percent
    for area in report.areas:
        values[("area", area.area, "score")] = area.score
        values[("area", area.area, "reference")] = area.median
    if report.total is not None:
        values[("total",)] = report.total
    for area, value in summary_sums.items():
        values[("summary_sum", area)] = value
    for c in report.comparisons:
        values[("comparison", c.kommun, c.year, c.area)] = c.score
    for (kommun, year), value in comparison_totals.items():
        values[("comparison_total", kommun, year)] = value
    return values


def complete_areas(questions: list[str], left_out: set[str] = frozenset()) -> set[int]:
    """Areas whose questions are all there: numbered 1, 2, 3 … without a gap, none of its rows left out.
    An area's sums hold only over all its questions: over some, a slip 'mending' the sum would be a guess."""
    by_area: dict[int, set[int]] = {}
    for question in questions:
        by_area.setdefault(_area_of(question), set()).add(int(question.split(".")[1]))
    incomplete = {_area_of(question) for question in left_out}
    return {area for area, numbers in by_area.items()
            if area not in incomplete and numbers == set(range(1, max(numbers) + 1))}


def rules_of(report: ReportExtract, summary_sums: dict[int, float], comparison_totals: dict,
             left_out: set[str] = frozenset()) -> list[Rule]:
    """Every check the extract's numbers are held to (an area's sums only where its questions are
    complete: `left_out` names rows the score summary could not read)."""
    rules: list[Rule] = []
    by_area: dict[int, list[str]] = {}
    for q in report.questions:
        by_area.setdefault(_area_of(q.question), []).append(q.question)
        keys = tuple(("question", q.question, column) for column in ("points", "max_points", "percent"))
        rules.append(Rule("percent", f"question {q.question}'s percent", keys))
    areas = {area.area for area in report.areas}
    complete = complete_areas([q.question for q in report.questions], left_out)
    for area, questions in sorted(by_area.items()):
        if area not in complete:
            continue
        points = tuple(("question", q, "points") for q in questions)
        if area in areas:
            rules.append(Rule("sum", f"area {area}'s questions sum", points, ("area", area, "score")))
        if area in summary_sums:
            rules.append(Rule("sum", f"area {area}'s questions sum (score summary)", points, ("summary_sum", area)))
        maxima = tuple(("question", q, "max_points") for q in questions)
        rules.append(Rule("sum", f"area {area}'s max points sum", maxima, ("constant", 100)))
    for area in sorted(areas & set(summary_sums)):
        if area not in by_area:
            rules.append(Rule("sum", f"area {area} in the area table and score summary", (("area", area, "score"),),
                              ("summary_sum", area)))
    if len(areas) == 8 and report.total is not None:
        rules.append(Rule("sum", "the areas sum", tuple(("area", a, "score") for a in sorted(areas)), ("total",)))
    columns: dict[tuple[str, int], list[int]] = {}
    for c in report.comparisons:
        columns.setdefault((c.kommun, c.year), []).append(c.area)
    for (kommun, year), column_areas in columns.items():
        if (kommun, year) in comparison_totals:
            parts = tuple(("comparison", kommun, year, a) for a in sorted(column_areas))
            rules.append(Rule("sum", f"comparison {kommun} {year}: the areas sum", parts,
                              ("comparison_total", kommun, year)))
    return rules


@dataclass
class _Problem:
    values: dict[Key, float | None]
    rules: list[Rule]
    readings: dict[Key, Reading]
    candidates: dict[Key, list[tuple[float, bool]]]  # (value, weak)
    rules_by_key: dict[Key, list[Rule]]
    plain: dict[Key, float] = field(default_factory=dict)  # an unreadable cell's digits as printed ('"50,5:')
    derived: dict[Key, float] = field(default_factory=dict)  # unreadable points: what only max and percent say
    as_read: dict[Key, float | None] = field(default_factory=dict)  # before any number was emptied

    @classmethod
    def build(cls, values: dict, rules: list[Rule], ocr: dict[Key, Reading]) -> "_Problem":
        rules = rules + [Rule("range", f"{label(key)} within {range_of(key).low:g}–{range_of(key).high:g}", (key,))
                         for key in ocr]
        by_key: dict[Key, list[Rule]] = {}
        for rule in rules:
            for key in rule.keys:
                by_key.setdefault(key, []).append(rule)
        candidates, plain = {}, {}
        for key, reading in ocr.items():
            percent = key[0] == "question" and key[2] == "percent"
            found = readings(reading.text, reading.alternatives, percent=percent)
            candidates[key] = [(c.value, c.weak) for c in found
                               if range_of(key).admits(c.value) and c.value != values.get(key)]
            plain.update({key: c.value for c in found if c.plain and values.get(key) is None})
        derived = {}
        for key in ocr:
            value = _points_from_percent(key, values)
            if value is not None and all(value != known for known, _ in candidates[key]):
                candidates[key].append((value, False))
                derived[key] = value  # no reading of the text gives it: the sums must
        return cls(values, rules, ocr, candidates, by_key, plain, derived, dict(values))

    def breaks_what_held(self, rule: Rule, trial: dict) -> bool:
        """The trial breaks a check that held, now or as read: a number emptied since as unverified still
        counts with its reading here ('2,5 of 10 is 25 %' forbids taking the 10 as 40)."""
        completed = {**trial, **{key: value for key, value in self.as_read.items()
                                 if trial.get(key) is None and value is not None}}
        return (self.holds(rule, trial) is False and bool(self.holds(rule, self.values))) or \
            (self.holds(rule, completed) is False and bool(self.holds(rule, self.as_read)))

    def holds(self, rule: Rule, values: dict) -> bool | None:
        if rule.kind == "range":
            return range_of(rule.parts[0]).admits(values.get(rule.parts[0]))
        return rule.holds(values)


def _points_from_percent(key: Key, values: dict[Key, float | None]) -> float | None:
    """For question points OCR could not read at all ('Sj'): the one value, in half points, that its
    max points and percent allow (35 % of 10 is 3,5), if exactly one does. A candidate for the sums to
    confirm, never taken on the percent alone."""
    if key[0] != "question" or key[2] != "points" or values.get(key) is not None:
        return None
    maximum, percent = values.get(("question", key[1], "max_points")), values.get(("question", key[1], "percent"))
    if not maximum or percent is None:
        return None
    fits = [half / 2 for half in range(0, int(2 * maximum) + 1) if percent_matches(half / 2, maximum, percent)]
    return fits[0] if len(fits) == 1 else None


def _groups(problem: _Problem, needed: list[Rule]) -> list[list[Rule]]:
    """Broken checks that share OCR'd numbers, together."""
    groups: list[tuple[set, list[Rule]]] = []
    for rule in needed:
        keys = {key for key in rule.keys if key in problem.readings}
        joined = [group for group in groups if group[0] & keys]
        merged = (keys.union(*(g[0] for g in joined)), [rule] + [r for g in joined for r in g[1]])
        groups = [group for group in groups if group not in joined] + [merged]
    return [rules for keys, rules in groups if keys]


def _solutions(problem: _Problem, group: list[Rule], weak: bool) -> list[dict[Key, tuple[float, bool]]] | None:
    """The smallest sets of changes that make every check of the group hold and break no check that
    held; None when the search had to stop before finding out."""
    suspects = sorted({key for rule in group for key in rule.keys if key in problem.readings}, key=str)
    local = weak  # the local pass (a question's own percent) takes weak readings, and never a derived value
    options = {key: [c for c in problem.candidates[key] if (weak or not c[1])
                     and not (local and problem.derived.get(key) == c[0])] for key in suspects}
    suspects = [key for key in suspects if options[key]]
    must = {rule.parts[0] for rule in group if rule.kind == "range"}
    tried = 0
    for size in range(1, min(MAX_CHANGES, len(suspects)) + 1):
        found = []
        for keys in itertools.combinations(suspects, size):
            if not must <= set(keys):
                continue
            touched = [rule for rule in {id(r): r for key in keys for r in problem.rules_by_key[key]}.values()
                       if rule not in group]
            for choice in itertools.product(*(options[key] for key in keys)):
                tried += 1
                if tried > SEARCH_LIMIT:
                    return None
                trial = dict(problem.values)
                trial.update({key: value for key, (value, _) in zip(keys, choice)})
                if all(problem.holds(rule, trial) is True for rule in group) and \
                        not any(problem.breaks_what_held(rule, trial) for rule in touched):
                    found.append(dict(zip(keys, choice)))
        found = [solution for solution in found if _each_change_evidenced(solution, group, problem.plain)]
        if found:
            return found
    return []


def _each_change_evidenced(solution: dict, group: list[Rule], plain: dict[Key, float]) -> bool:
    """Every changed number is the only changed one in some broken check other than its range: two
    changes inside one sum could be any two numbers that happen to add up, and a number no sum or
    percent covers has nothing to be checked against — either would be a guess, not a reading. A cell
    read as its printed digits ('"50,5:' as 50,5) is a reading, not a change: several of them may
    share a sum that holds them all, with no slip mended in it."""
    changed = {key for key, (value, _) in solution.items() if plain.get(key) != value}

    def alone(key: Key) -> bool:
        return any(rule.kind != "range" and key in rule.keys and len(set(solution) & set(rule.keys)) == 1
                   for rule in group)

    def read_together(key: Key) -> bool:
        return key not in changed and any(rule.kind == "sum" and key in rule.keys and not changed & set(rule.keys)
                                          for rule in group)

    return all(alone(key) or read_together(key) for key in solution)


def _corroborated(problem: _Problem, key: Key) -> bool:
    """Held by a check that holds: a sum over several numbers, or the question's own percent when its
    other two numbers are sure (a text layer's, or OCR'd with confidence) — two doubtful digits misread
    together can agree ('9 of 20 is 45 %' read as '8 … 40 %')."""
    def sure(other: Key) -> bool:
        reading = problem.readings.get(other)
        return reading is None or reading.confidence >= SURE_CONFIDENCE

    for rule in problem.rules_by_key.get(key, []):
        if rule.kind == "range" or len(rule.keys) < 2 or problem.holds(rule, problem.values) is not True:
            continue
        if rule.kind == "sum" and len(rule.keys) >= 3:
            return True
        if rule.kind == "percent" and all(sure(other) for other in rule.keys if other != key):
            return True
    return False


def _where(problem: _Problem, key: Key) -> str:
    page = problem.readings[key].page
    return f"page {page}: " if page is not None else ""


def _is_sure(reading: Reading, value: float | None) -> bool:
    """Confident (the OCR engine lowers the confidence of a number its independent readings disagree on)."""
    return value is not None and reading.confidence >= SURE_CONFIDENCE


def verify(report: ReportExtract, ocr: dict[Key, Reading], summary_sums: dict[int, float] | None = None,
           comparison_totals: dict[tuple[str, int], float] | None = None,
           left_out: set[str] = frozenset()) -> Verification:
    """Hold the OCR'd numbers (`ocr`: field → how it was read) to the report's checks; see the module doc.
    `left_out`: question rows the score summary saw but could not read (their areas' sums are not checked)."""
    summary_sums = dict(summary_sums or {})
    comparison_totals = dict(comparison_totals or {})
    values = values_of(report, summary_sums, comparison_totals)
    values[("constant", 100)] = 100.0
    readings_in_report = {key: reading for key, reading in ocr.items() if key in values}
    problem = _Problem.build(values, rules_of(report, summary_sums, comparison_totals, left_out), readings_in_report)
    result = Verification(report=report)
    unreadable = {key for key in problem.readings if values.get(key) is None}
    for local in (True, False):  # a question's own percent first, then the sums across questions
        needed = [rule for rule in problem.rules if any(key in problem.readings for key in rule.keys)
                  and (problem.holds(rule, problem.values) is False or unreadable & set(rule.keys))
                  and (not local or rule.kind in ("percent", "range"))]
        for group in _groups(problem, needed):
            _settle(problem, group, result, empty=not local)
        unreadable = {key for key in unreadable if problem.values.get(key) is None}
    said = {key: _mended_warning(problem, key, value) for key, value in result.mended.items()}
    result.warnings[:0] = list(said.values())
    result.said.update(said)
    result.derived.update({key: _derived_from_percent(problem, key) for key, value in result.mended.items()
                           if problem.derived.get(key) == value})
    covered = {key for rule in problem.rules if rule.kind != "range" for key in rule.keys}
    for key, reading in problem.readings.items():
        if key not in covered and key not in result.emptied and not _is_sure(reading, problem.values.get(key)):
            problem.values[key] = None
            result.emptied.append(key)
            _say(result, key, f"{_where(problem, key)}{label(key)} read '{reading.text}' (confidence "
                              f"{reading.confidence:.0f}) could not be verified: no sum covers it and OCR "
                              "was not sure; left empty")
    result.report = _apply(report, problem, summary_sums, comparison_totals, result)
    return result


def _say(result: Verification, key: Key, warning: str) -> None:
    result.warnings.append(warning)
    result.said[key] = warning


def _derived_from_percent(problem: _Problem, key: Key) -> str:
    """Where points OCR could not read came from: the question's max and percent, and the sums that agree."""
    maximum, percent = (problem.values.get(("question", key[1], name)) for name in ("max_points", "percent"))
    sums = [rule.describe(problem.values) for rule in problem.rules_by_key[key]
            if rule.kind == "sum" and problem.holds(rule, problem.values) is True]
    return "; ".join([f"question {key[1]}'s max points and percent ({spoken(percent)} % of {spoken(maximum)})",
                      *sums])


def _mended_warning(problem: _Problem, key: Key, value: float) -> str:
    """Which checks the reading taken now satisfies (all of them, once every group is settled)."""
    holding = [rule for rule in problem.rules_by_key[key] if rule.kind != "range"
               and problem.holds(rule, problem.values) is True]
    why = " and ".join(rule.describe(problem.values) for rule in holding)
    return (f"{_where(problem, key)}{label(key)} read '{problem.readings[key].text}', taken as {spoken(value)}: "
            f"the only reading that makes {why}")


def _involving(group: list[Rule], key: Key) -> list[Rule]:
    """The group's checks that hold this number; its range alone if no sum or percent does."""
    own = [rule for rule in group if key in rule.keys]
    return [rule for rule in own if rule.kind != "range"] or own


def _settle(problem: _Problem, group: list[Rule], result: Verification, empty: bool = True) -> None:
    """Mend the group's numbers if exactly one reading fits; otherwise, if `empty`, empty the doubtful."""
    before = dict(problem.values)

    def broken(key: Key) -> str:
        return "; ".join(f"{rule.name} ({_state(rule, before)})" for rule in _involving(group, key))

    solutions = _solutions(problem, group, weak=not empty)  # a digit lost or added: only where a percent confirms
    if solutions and len(solutions) == 1 and not _mends_the_doubtful(problem, group, solutions[0]):
        if not empty:
            return  # a question's own percent would change a surer number to fit a less sure one: the sums decide
        solutions = []  # the only mend changes a surer reading to fit a less sure one: none to trust
    if solutions and len(solutions) == 1:
        (change,) = solutions
        problem.values.update({key: value for key, (value, _) in change.items()})
        result.mended.update({key: value for key, (value, _) in change.items()})
        return
    if not empty:
        return
    if not solutions and _derive_the_unreadable(problem, group, result):
        return
    if solutions:
        doubtful = sorted({key for solution in solutions for key in solution}, key=str)
        why = f", and {len(solutions)} different readings would mend it"
    else:
        keys = [key for rule in group for key in rule.keys if key in problem.readings]
        doubtful = [key for key in dict.fromkeys(keys) if not _corroborated(problem, key)] or list(dict.fromkeys(keys))
        why = ", and no plausible reading mends it" if solutions == [] else ", and too many readings to try"
    for key in doubtful:
        problem.values[key] = None
        result.mended.pop(key, None)
        result.derived.pop(key, None)
        result.emptied.append(key)
        _say(result, key, f"{_where(problem, key)}{label(key)} read '{problem.readings[key].text}' could not "
                          f"be verified: {broken(key)}{why}; left empty")


def _mends_the_doubtful(problem: _Problem, group: list[Rule], change: dict) -> bool:
    """The change touches the least sure readings of the checks it mends, never a surer one. A number OCR
    could not read at all ('2:5') is not changed but read, whatever its confidence."""
    keys = {key for rule in group for key in rule.keys if key in problem.readings}
    changed = [problem.readings[key].confidence for key in change
               if key in problem.readings and problem.values.get(key) is not None]
    kept = [problem.readings[key].confidence for key in keys - set(change)]
    return not changed or not kept or max(changed) <= min(kept)


def _derive_the_unreadable(problem: _Problem, group: list[Rule], result: Verification) -> bool:
    """One sum with one cell OCR could not read at all ('BLS' where 51,5 stood) and every other number
    read with confidence: the cell is the value the report's own sum leaves for it, if that value can
    stand there. Said in a warning; never done when any other number of the sum is doubtful."""
    sums = [rule for rule in group if rule.kind == "sum" and rule.whole is not None]
    if len(sums) != 1 or any(rule.kind not in ("sum", "range") for rule in group) or \
            len([rule for rule in group if rule.kind == "sum"]) != 1:
        return False
    rule = sums[0]
    unread = [key for key in rule.keys if problem.values.get(key) is None]
    if len(unread) != 1 or unread[0] not in problem.readings:
        return False
    others = [key for key in rule.keys if key != unread[0]]
    if any(key in problem.readings and problem.readings[key].confidence < SURE_CONFIDENCE for key in others):
        return False
    key = unread[0]
    whole = problem.values[rule.whole]
    parts = sum(problem.values[k] for k in rule.parts if k != key)
    value = whole - parts if key != rule.whole else parts
    if not range_of(key).admits(value):
        return False
    problem.values[key] = value
    total = value if key == rule.whole else whole
    result.derived[key] = f"{rule.name} to {spoken(total)}"
    _say(result, key, f"{_where(problem, key)}{label(key)} could not be read ('{problem.readings[key].text}'); "
                      f"taken as {spoken(value)}, the value that makes {rule.name} to {spoken(total)} "
                      "with every other number read with confidence")
    return True


def _state(rule: Rule, values: dict) -> str:
    numbers = [values.get(key) for key in rule.keys]
    if rule.kind == "range":
        return f"read {spoken(numbers[0])}" if numbers[0] is not None else "not a number"
    if any(number is None for number in numbers):
        return "a number missing"
    if rule.kind == "percent":
        return f"{spoken(numbers[0])} of {spoken(numbers[1])} is not {spoken(numbers[2])} %"
    return f"{spoken(sum(numbers[:-1]))} against {spoken(numbers[-1])}"


def _apply(report: ReportExtract, problem: _Problem, summary_sums: dict, comparison_totals: dict,
           result: Verification) -> ReportExtract:
    values = problem.values
    out = copy.deepcopy(report)
    for q in out.questions:
        q.points = values[("question", q.question, "points")]
        q.max_points = values[("question", q.question, "max_points")]
        q.percent = values[("question", q.question, "percent")]
    for area in out.areas:
        area.score = values[("area", area.area, "score")]
        area.median = values[("area", area.area, "reference")]
    if out.total is not None:
        out.total = values[("total",)]
    for c in out.comparisons:
        c.score = values[("comparison", c.kommun, c.year, c.area)]
    result.summary_sums = {area: values[("summary_sum", area)] for area in summary_sums}
    result.comparison_totals = {key: values[("comparison_total", *key)] for key in comparison_totals}
    out.warnings = out.warnings + result.warnings
    _mark_statuses(out, problem, result)
    return out


def _mark_statuses(report: ReportExtract, problem: _Problem, result: Verification) -> None:
    """Each OCR'd number the arithmetic emptied, derived or mended says so in its record."""
    for key, reading in problem.readings.items():
        where = record_field(report, key)
        if where is None:
            continue
        if problem.values.get(key) is None:
            status = NumberStatus(EMPTY, printed=reading.text, warning=result.said.get(key))
        elif key in result.derived:
            status = NumberStatus(DERIVED, printed=reading.text, derived_from=result.derived[key],
                                  warning=result.said.get(key))
        elif key in result.mended:
            status = NumberStatus(MENDED, printed=reading.text, warning=result.said.get(key))
        else:
            continue
        mark(*where, status)
