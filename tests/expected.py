"""Comparing an extract with an expected extraction file: business values, not parser internals."""
from __future__ import annotations

import re
import unicodedata


def norm(text) -> str:
    text = unicodedata.normalize("NFC", str(text)).replace("\u00ad", "")
    text = text.replace("“", '"').replace("”", '"').replace("’", "'")
    return re.sub(r"\s+", " ", text).strip().rstrip(".").strip()


def differences(expected: dict, got: dict) -> list[str]:
    """Every difference between the expected file and the extract, one line each."""
    diffs = []

    def check(label, a, b):
        if a != b:
            diffs.append(f"{label}: expected {a!r} got {b!r}")

    for key in ("kommun", "kommunkod", "year", "framework", "total", "median_total", "evaluation_dates"):
        if key in expected:
            check(key, expected[key], got.get(key))
    if "evaluators" in expected:
        check("evaluators", [norm(e["name"]) for e in expected["evaluators"]],
              [norm(e["name"]) for e in got.get("evaluators", [])])
    areas = {a["area"]: a for a in got.get("areas", [])}
    for area in expected.get("areas", []):
        for key in ("score", "median"):
            if key in area:
                check(f"area {area['area']} {key}", area[key], areas.get(area["area"], {}).get(key))
    questions = {q["question"]: q for q in got.get("questions", [])}
    for q in expected.get("questions", []):
        g = questions.get(q["question"], {})
        for key in ("max_points", "points", "percent"):
            check(f"question {q['question']} {key}", q[key], g.get(key))
        check(f"question {q['question']} text", norm(q["text"]), norm(g.get("text", "")))
    if "questions" in expected:
        check("question ids", sorted(q["question"] for q in expected["questions"]), sorted(questions))
    if "comparisons" in expected:
        want = {(c["kommun"], c["year"], c["area"]): c["score"] for c in expected["comparisons"]}
        have = {(c["kommun"], c["year"], c["area"]): c["score"] for c in got.get("comparisons", [])}
        check("comparisons", want, have)
    if "findings" in expected:
        want = sorted((f["area"], f["kind"], norm(f["text"])) for f in expected["findings"])
        have = sorted((f["area"], f["kind"], norm(f["text"])) for f in got.get("findings", []))
        for item in sorted(set(want) - set(have)):
            diffs.append(f"finding missing: {item}")
        for item in sorted(set(have) - set(want)):
            diffs.append(f"finding unexpected: {item}")
    return diffs


AVERAGE_CHECK = "reference values (a mean) sum to the reference total, within rounding"


def failed_checks(expected: dict, got: dict) -> list[str]:
    """The checks that failed where the expected values hold them. A document that labels its reference
    a mean (medelvärde, Sverigesnitt …) while printing values that do not add up to its total (our layouts
    relabel the real report's medians) must fail the mean check: that check must fail there, and only there."""
    failed = [c["name"] for c in got.get("checks", []) if not c["ok"]]
    from extractors.checks import _average_check
    from extractors.vocabulary import VOCABULARY

    medians = [a.get("median") for a in expected.get("areas", [])]
    total = expected.get("median_total")
    if VOCABULARY.is_average(expected.get("reference_kind")) and total is not None and len(medians) == 8 \
            and None not in medians and not _average_check(medians, total).ok:
        if AVERAGE_CHECK not in failed:
            return failed + [f"{AVERAGE_CHECK} should have failed: the expected values do not add up"]
        failed.remove(AVERAGE_CHECK)
    return failed
