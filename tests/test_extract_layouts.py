"""The seed report rendered in other layouts extracts exactly as well (every number, text and list),
against the layout's own expected file and against the seed's expected file itself."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.report import extract_report
from tests.expected import differences, failed_checks

LAYOUTS = sorted((Path(__file__).parent / "layouts").glob("*.pdf"))


def test_there_are_at_least_four_layouts():
    assert len(LAYOUTS) >= 4


@pytest.fixture(scope="module", params=LAYOUTS, ids=[p.stem for p in LAYOUTS])
def layout(request):
    return request.param, extract_report(request.param).to_json()


def test_layout_extracts_exactly(layout):
    pdf, got = layout
    expected = json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert differences(expected, got) == []
    assert failed_checks(expected, got) == []
    assert all(q["page"] >= 1 for q in got["questions"])


def test_layout_matches_the_seed_expected_file(layout, expected_seed):
    _, got = layout
    assert differences(expected_seed, got) == []


def test_layout_finds_the_cited_good_examples(layout, expected_seed):
    _, got = layout
    cited = {(g["area"], g["kommun"]) for g in got["good_examples"] if g["kind"] == "cited" and g.get("country", "SE") == "SE"}
    gold = {(g["area"], g["kommun"]) for g in expected_seed["good_examples_cited"]}
    assert len(cited & gold) >= 0.95 * len(gold) and len(cited & gold) >= 0.95 * len(cited)
    assert not {kommun for _, kommun in cited} & set(expected_seed["not_good_examples"])


def test_sum_rows_of_the_score_summary_are_checked():
    pdf = next(p for p in LAYOUTS if "transposed" in p.stem)  # prints "Summa 100 64 64 %" after each area
    checks = [c for c in extract_report(pdf).checks if "sum row" in c.name]
    assert len(checks) == 8 and all(c.ok for c in checks)
