"""Shared fixtures: the bundled real report and its expected extraction."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL_REPORT = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"
EXPECTED = ROOT / "tests" / "fixtures" / "fagersta-2009.expected.json"


@pytest.fixture(scope="session")
def real_report() -> Path:
    return REAL_REPORT


@pytest.fixture(scope="session")
def expected_seed() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))
