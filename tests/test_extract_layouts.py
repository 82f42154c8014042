"""The seed report rendered in other layouts extracts exactly as well (every number, text and list)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.report import extract_report
from tests.expected import differences

LAYOUTS = sorted((Path(__file__).parent / "layouts").glob("*.pdf"))


def test_there_are_at_least_four_layouts():
    assert len(LAYOUTS) >= 4


@pytest.mark.parametrize("pdf", LAYOUTS, ids=[p.stem for p in LAYOUTS])
def test_layout_extracts_exactly(pdf):
    expected = json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))
    got = extract_report(pdf).to_json()
    assert differences(expected, got) == []
    assert [c for c in got["checks"] if not c["ok"]] == []
    assert all(q["page"] >= 1 for q in got["questions"])
