"""Which values of a damaged file's extraction changed without a word (`tests/test_fuzz_silent.py`).

A value is every number or identity the extract holds for the report: the municipality, its code and
year, the evaluation dates, the framework, the total and reference total, each area's score and
reference value, each question row's id, maximum, points and percent, each comparison row's year and
score. A value differs when it is changed, gone (a row lost) or new (a row that the original does
not have). It is *named* when a warning or a failed check of the damaged extract, not present for
the original, speaks of it: of its area, its question id, its comparison municipality, or of the
sum or list it belongs to (see `_names`). A difference nobody names is a silent change.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

Key = tuple


def extract_values(path: Path) -> dict:
    """Worker target: the table extract (no tagging) as JSON, the part the values come from."""
    from extractors.report import extract_tables

    data = extract_tables(path).to_json()
    kept = ("kommun", "kommunkod", "year", "evaluation_dates", "framework", "total", "median_total", "reference_kind",
            "areas", "questions", "comparisons", "checks", "warnings")
    return {name: data[name] for name in kept}


def _number(value):
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def values(extract: dict) -> dict[Key, object]:
    """Every value of an extract, keyed by what it is."""
    out: dict[Key, object] = {("year",): extract.get("year"), ("kommun",): extract.get("kommun"),
                              ("kommunkod",): extract.get("kommunkod"), ("framework",): extract.get("framework"),
                              ("total",): _number(extract.get("total")),
                              ("median_total",): _number(extract.get("median_total")),
                              ("evaluation_dates",): tuple(extract.get("evaluation_dates") or ())}
    for area in extract.get("areas", []):
        out[("area", area["area"], "score")] = _number(area["score"])
        out[("area", area["area"], "median")] = _number(area["median"])
    seen: Counter = Counter()
    for question in extract.get("questions", []):
        seen[question["question"]] += 1
        row = (question["question"], seen[question["question"]])  # a repeated id is a row of its own
        for name in ("max_points", "points", "percent"):
            out[("question", *row, name)] = _number(question[name])
    for comparison in extract.get("comparisons", []):
        row = (comparison["kommun"], comparison["area"])
        out[("comparison", *row, "year")] = comparison["year"]
        out[("comparison", *row, "score")] = _number(comparison["score"])
    return out


def _question_area(question_id: str) -> str:
    return question_id.split(".")[0]


def _names(key: Key) -> list[str]:
    """Phrases of a warning or failed check that name the value at `key` (lower case, matched as words)."""
    kind = key[0]
    if kind == "area":
        area = key[1]
        specific = ["areas sum to total", "area table", "area scores"] if key[2] == "score" else \
            ["reference value", "reference total", "reference column", "area table"]
        return [f"area {area}", *specific]
    if kind == "question":
        question_id = key[1]
        return [question_id, f"area {_question_area(question_id)}", f"area(s) {_question_area(question_id)}",
                "score summary", "question rows"]
    if kind == "comparison":
        return [key[1].lower(), "comparison table"]
    return {"year": ["year"], "kommun": ["municipality", "kommun"], "kommunkod": ["municipality", "kommun"],
            "framework": ["framework"], "total": ["total", "area table"],
            "median_total": ["reference total", "reference value", "reference column", "area table"],
            "evaluation_dates": ["date"]}[kind]


def _said(text: str, phrase: str) -> bool:
    return re.search(r"(?<![\w.])" + re.escape(phrase) + r"(?![\w]|\.\d)", text) is not None


def _area_of(key: Key) -> int | None:
    if key[0] == "area":
        return key[1]
    if key[0] == "question" and _question_area(key[1]).isdigit():
        return int(_question_area(key[1]))
    return None


def _areas_listed(text: str) -> set[int]:
    """The areas a warning lists: 'area(s) 2, 5' → {2, 5}."""
    return {int(n) for listed in re.findall(r"area\(s\) ([\d, ]+)", text) for n in re.findall(r"\d+", listed)}


# Values the report prints once and holds to no sum: a median reference value (medians of areas do not
# add up to the median of the totals) is held only to its range and its quarter-point step, a comparison's
# year only to the report's year, an evaluation day to nothing. A change to another value those rules
# allow cannot be seen in the report itself; any other change (a value lost, a rule broken) must be named.
BEYOND_RULES = ("median", "median_total", "year_of_comparison", "evaluation_dates")


def _rule_kind(key: Key, extract: dict) -> str | None:
    from extractors.vocabulary import VOCABULARY

    if key[0] == "comparison" and key[-1] == "year":
        return "year_of_comparison"
    if key[0] == "evaluation_dates":
        return "evaluation_dates"
    if (key[0] == "median_total" or key[-1] == "median") and not VOCABULARY.is_average(extract.get("reference_kind")):
        return key[-1]
    return None


@dataclass(frozen=True)
class Difference:
    key: Key
    original: object
    damaged: object
    named: bool
    beyond_rules: bool = False  # silent, but to a value every rule the report offers for it allows

    @property
    def kind(self) -> str:
        how = "lost" if self.damaged is None and self.original is not None else \
            "new" if self.original is None else "changed"
        return f"{self.key[0]} {self.key[-1] if self.key[0] in ('area', 'question', 'comparison') else ''}".strip() + \
            f" {how}"


def said_of(extract: dict, original: dict) -> list[str]:
    """The damaged extract's warnings and failed checks that the original does not have, lower case."""
    before = set(original.get("warnings", []))
    said = [w for w in extract.get("warnings", []) if w not in before]
    said += [f"{c['name']} ({c['detail']})" for c in extract.get("checks", []) if not c["ok"]]
    return [s.lower() for s in said]


def differences(original: dict, damaged: dict) -> list[Difference]:
    """Each value of `damaged` that is not the original's, and whether a warning or failed check names it."""
    before, after = values(original), values(damaged)
    said = said_of(damaged, original)
    found = []
    for key in sorted(set(before) | set(after), key=repr):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        named = any(_said(text, phrase) for text in said for phrase in _names(key)) or \
            (_area_of(key) is not None and any(_area_of(key) in _areas_listed(text) for text in said))
        beyond = not named and new is not None and _rule_kind(key, damaged) in BEYOND_RULES
        found.append(Difference(key, old, new, named, beyond))
    return found
