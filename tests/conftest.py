"""Shared fixtures: the bundled real report and its expected extraction."""
from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Prefect in tests: a throwaway home (its database, settings and cached results) and local mode,
# set before anything imports prefect, so nothing leaks into ~/.prefect or a real server.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="kompass-prefect-")
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)
os.environ.pop("PREFECT_API_URL", None)
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
REAL_REPORT = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"
EXPECTED = ROOT / "tests" / "fixtures" / "fagersta-2009.expected.json"


@pytest.fixture(scope="session")
def real_report() -> Path:
    return REAL_REPORT


@pytest.fixture(scope="session")
def expected_seed() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for the in-process flow tests, stopped before pytest's output closes."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
