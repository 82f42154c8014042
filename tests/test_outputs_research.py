"""Outputs a researcher uses as they are (issue 25, "Using the data"): compare with the reference column and
per sub-question, KPI charts centred on the named municipality, trend charts broken at a framework change,
Kolada's years around each evaluation in a view and the export, the Swedish-Excel export, area names beside
area numbers. Everything runs the real CLI on the database `kompass load` built from the bundled report."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from kompass.cli import cli
from tests.outputs_support import ROOT, outputs_db, query  # noqa: F401  (fixture)

KOMPASS = [sys.executable, "-m", "kompass"]


def run(*args, db=None) -> "click.testing.Result":
    result = CliRunner().invoke(cli, [*map(str, args), *(["--db", str(db)] if db else [])])
    assert result.exit_code == 0, result.output
    return result


# --- 1. compare: the reference column and --questions ---------------------------------------------------

def test_compare_carries_the_reports_reference_value_and_its_kind(outputs_db):
    rows = json.loads(run("compare", "Fagersta", "Vallentuna", "Eksjö", "--json", db=outputs_db).stdout)
    expected = query(outputs_db, "SELECT evaluation, area, reference, reference_kind FROM chosen_area_scores "
                                 "WHERE kommun IN ('Fagersta', 'Vallentuna', 'Eksjö')")
    got = {(r["evaluation"], r["area"]): (r["reference"], r["reference_kind"]) for r in rows}
    assert got == {(r["evaluation"], r["area"]): (r["reference"], r["reference_kind"]) for r in expected}
    assert got[("1982-2009", 3)] == (63.5, "median") and got[("0115-2021", 1)] == (63.0, "Sverigesnitt")
    assert got[("0686-2008", 1)] == (None, None)  # known only from a comparison table: no reference
    table = run("compare", "Fagersta", "Vallentuna", "--no-findings", db=outputs_db).output
    assert "median 63,5" in table and "Sverigesnitt 63" in table  # kind named, decimal comma


def test_compare_questions_equals_the_exported_question_scores(outputs_db, tmp_path):
    out = tmp_path / "fragor.csv"
    run("compare", "Fagersta", "Eksjö", "--questions", "--csv", "--out", out, db=outputs_db)
    back = pd.read_csv(out, dtype={"kommunkod": str, "question": str})
    expected = query(outputs_db, "SELECT q.evaluation, q.question, q.text, q.max_points, q.points, q.percent, "
                                 "q.area, fa.name AS area_name FROM question_scores q JOIN evaluations e "
                                 "ON e.id = q.evaluation JOIN framework_areas fa ON fa.framework = e.framework "
                                 "AND fa.area = q.area WHERE e.kommun IN ('Fagersta', 'Eksjö') ORDER BY q.id")
    assert len(expected) == 37
    columns = ["evaluation", "question", "text", "max_points", "points", "percent", "area", "area_name"]
    assert back[columns].to_dict("records") == expected
    assert set(back.kommunkod) == {"1982"} and {"framework", "theme_name", "page"} <= set(back.columns)
    table = run("compare", "Fagersta", "Eksjö", "--questions", db=outputs_db).output
    assert "jämförelse per delfråga" in table and "2,5/10 (25 %)" in table  # question 2.1, decimal comma
    assert "Utan delfrågor i databasen: Eksjö 2008" in " ".join(table.split())
