"""The bundled real report (Fagersta 2009) extracts exactly as its expected file says."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from extractors.report import extract_report
from tests.expected import differences


@pytest.fixture(scope="module")
def extract(real_report):
    return extract_report(real_report).to_json()


def test_every_value_matches_the_expected_file(extract, expected_seed):
    assert differences(expected_seed, extract) == []


def test_all_checks_hold_and_no_warnings(extract):
    assert extract["checks"], "an extract must state what it verified"
    assert [c for c in extract["checks"] if not c["ok"]] == []
    assert extract["warnings"] == []
    names = {c["name"] for c in extract["checks"]}
    assert "areas sum to total" in names and "comparison Eksjö 2008: areas sum to total" in names


def test_every_record_has_its_page(extract):
    assert {a["page"] for a in extract["areas"]} == {4}
    assert {q["page"] for q in extract["questions"] if q["question"] < "7"} == {27}
    assert {q["page"] for q in extract["questions"] if q["question"] >= "7"} == {28}
    assert all(1 <= f["page"] <= 28 for f in extract["findings"])
    finding = next(f for f in extract["findings"] if f["text"].startswith("Sök metod att systematiskt"))
    assert finding["page"] == 24  # the list continues over a page break


def test_reference_kind_and_comparisons_exclude_the_evaluated_municipality(extract):
    assert extract["reference_kind"] == "median"
    assert "Fagersta" not in {c["kommun"] for c in extract["comparisons"]}
    assert {c["kommunkod"] for c in extract["comparisons"] if c["kommun"] == "Karlskoga"} == {"1883"}


def test_cli_json_is_the_contract(real_report, expected_seed):
    result = subprocess.run([sys.executable, "-m", "kompass", "extract", str(real_report), "--format", "json"],
                            capture_output=True, text=True, check=True)
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert data["source"]["pages"] == 28 and len(data["source"]["sha256"]) == 64
    assert differences(expected_seed, data) == []


def test_cli_table_shows_scores_for_people(real_report):
    result = subprocess.run([sys.executable, "-m", "kompass", "extract", str(real_report)],
                            capture_output=True, text=True, check=True)
    assert "Fagersta" in result.stdout and "466" in result.stdout and "463,5" in result.stdout


def test_cited_good_examples_match_the_gold_pairs(extract, expected_seed):
    cited = {(g["area"], g["kommun"]) for g in extract["good_examples"] if g["kind"] == "cited" and g.get("country", "SE") == "SE"}
    gold = {(g["area"], g["kommun"]) for g in expected_seed["good_examples_cited"]}
    assert len(cited & gold) / len(cited) >= 0.95 and len(cited & gold) / len(gold) >= 0.95
    assert not {kommun for _, kommun in cited} & set(expected_seed["not_good_examples"])
    assert all(g["page"] >= 7 and g["sentence"] for g in extract["good_examples"] if g["kind"] == "cited")
