"""Damage is never silent (slow): 380 byte-mutated copies and 60 copies with one printed digit changed
of the real report, each extracted in a guarded worker (memory cap, deadline), two at a time.

Every value of a copy's extract that differs from the original's — changed, gone with its row, or new —
must be named by a warning or a failed check (`tests/silent_changes.py`); an extraction that fails with
a named error (damaged PDF, not a report, time or memory bound) is not silent either. A few values the
report prints once and holds to no sum (a median reference value, a comparison's year, an evaluation day)
can change to another value every rule allows: those are counted and listed apart, never as named. The copies are
made at test time from `corpus/` with a fixed seed (`tests/pdf_damage.py`); nothing is stored.
"""
from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from extractors.errors import ExtractionError
from extractors.guard import Limits, analyse_guarded
from tests import pdf_damage
from tests.silent_changes import differences, extract_values

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LIMITS = Limits(timeout_s=40, memory_mb=1024)
MUTATIONS, DIGITS, SEED = 380, 60, 22
DIGIT_PAGES_TAKE = {"question id": 12, "year": 10, "percent": 8, "number": 30}


def _kind_of(number: pdf_damage.PrintedNumber) -> str:
    text = number.text.strip()
    if "%" in text:
        return "percent"
    if number.page >= 20 and len(text) == 3 and text[1] == "." and text[0] in "12345678":
        return "question id"
    if len(text) == 4 and text[:2] in ("19", "20"):
        return "year"
    return "number"


def digit_copies(opened: pdf_damage.OpenPdf, pages: set[int], seed: int) -> list[tuple[str, str, bytes]]:
    """(kind, what changed, PDF) for numbers printed on `pages` (the title page and the pages the values are read
    from): question ids, years, percents and the other numbers (scores, reference values, maxima, totals), in
    fixed shares."""
    rng = random.Random(seed)
    numbers = [n for n in pdf_damage.printed_numbers(opened) if n.page in pages]
    copies = []
    for kind, take in DIGIT_PAGES_TAKE.items():
        pool = [n for n in numbers if _kind_of(n) == kind]
        made = 0
        for number in rng.sample(pool, len(pool)):
            changed = pdf_damage.change_digit(opened, number, rng)
            if changed is not None and made < take:
                copies.append((kind, changed[1], changed[0]))
                made += 1
    return copies


def _run(folder: Path, copies: list[tuple[str, str, bytes]], original: dict) -> dict:
    paths = []
    for index, (_, _, data) in enumerate(copies):
        path = folder / f"copy-{index:03d}.pdf"
        path.write_bytes(data)
        paths.append(path)
    outcome_counts, silent, kinds, unseen = Counter(), [], Counter(), []
    for (kind, what, _), (path, outcome) in zip(copies, analyse_guarded(paths, LIMITS, workers=2,
                                                                          target=extract_values)):
        if isinstance(outcome, ExtractionError):
            outcome_counts[f"refused: {type(outcome).__name__}"] += 1
            continue
        if isinstance(outcome, BaseException):
            outcome_counts[f"unexpected error: {type(outcome).__name__}"] += 1
            silent.append((path.name, kind, what, f"unexpected {type(outcome).__name__}: {outcome}"))
            continue
        found = differences(original, outcome)
        if not found:
            outcome_counts["same values"] += 1
            continue
        quiet = [d for d in found if not d.named and not d.beyond_rules]
        beyond = [d for d in found if d.beyond_rules]
        outcome_counts["changed, all named" if not quiet and not beyond else
                       "changed, SILENT" if quiet else "changed, beyond the report's rules"] += 1
        for difference in quiet:
            kinds[difference.kind] += 1
            silent.append((path.name, kind, what,
                           f"{difference.key}: {difference.original!r} → {difference.damaged!r}"))
        unseen.extend((path.name, kind, what, f"{d.key}: {d.original!r} → {d.damaged!r}") for d in beyond)
    return {"outcomes": outcome_counts, "silent": silent, "silent_kinds": kinds, "beyond_rules": unseen}


@pytest.fixture(scope="module")
def original(real_report, expected_seed):
    [(_, extract)] = analyse_guarded([real_report], LIMITS, target=extract_values)
    assert extract["questions"] and len(extract["questions"]) == len(expected_seed["questions"])
    assert (extract["total"], extract["year"]) == (expected_seed["total"], expected_seed["year"])
    assert not extract["warnings"] and all(c["ok"] for c in extract["checks"])
    return extract


@pytest.fixture(scope="module")
def opened(real_report):
    return pdf_damage.open_pdf(real_report.read_bytes())


def _report(title: str, result: dict, seconds: float, count: int) -> None:
    print(f"\n{title}: {count} copies in {seconds:.0f} s")
    for outcome, n in sorted(result["outcomes"].items()):
        print(f"  {outcome}: {n}")
    print(f"  silent changes: {len(result['silent'])} {dict(result['silent_kinds'])}")
    for line in result["silent"][:40]:
        print("   ", *line)
    print(f"  changes no rule of the report can see (a median, a comparison's year, a day): "
          f"{len(result['beyond_rules'])} values in {len({line[0] for line in result['beyond_rules']})} copies")
    for line in result["beyond_rules"]:
        print("   ", *line)


def test_the_open_form_reads_as_the_original(opened, original, tmp_path):
    path = tmp_path / "open.pdf"
    path.write_bytes(opened.write())
    [(_, extract)] = analyse_guarded([path], LIMITS, target=extract_values)
    assert differences(original, extract) == []


@pytest.mark.timeout(900)
def test_byte_mutations_change_nothing_silently(opened, original, tmp_path):
    mutations = pdf_damage.byte_mutations(opened, MUTATIONS, SEED)
    copies = [(m.kind, m.where, m.data) for m in mutations]
    started = time.monotonic()
    result = _run(tmp_path, copies, original)
    _report("byte mutations", result, time.monotonic() - started, len(copies))
    assert sum(result["outcomes"].values()) == MUTATIONS
    assert result["outcomes"]["same values"] < MUTATIONS  # the damage reaches the values
    assert result["silent"] == [], json.dumps(result["silent"][:20], ensure_ascii=False, indent=1)


@pytest.mark.timeout(600)
def test_one_changed_digit_is_never_silent(opened, original, tmp_path):
    pages = {1} | {row["page"] for name in ("areas", "questions", "comparisons") for row in original[name]}
    copies = digit_copies(opened, pages, SEED)
    assert len(copies) == DIGITS
    started = time.monotonic()
    result = _run(tmp_path, copies, original)
    _report("one printed digit changed", result, time.monotonic() - started, len(copies))
    assert result["outcomes"]["same values"] <= DIGITS // 4  # most changed digits reach a value
    assert result["silent"] == [], json.dumps(result["silent"][:20], ensure_ascii=False, indent=1)
