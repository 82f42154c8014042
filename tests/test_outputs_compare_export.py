"""`kompass compare` and `kompass export`: the files read back with pandas equal the database views."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from kompass.cli import cli
from outputs.compare import FINDING_SEPARATOR, compare
from outputs.data import open_existing
from outputs.export import FRAMES
from tests.outputs_support import outputs_db, query  # noqa: F401  (fixture)


@pytest.fixture
def db(outputs_db):
    database = open_existing(outputs_db)
    yield database
    database.close()


def test_compare_gives_rank_percentile_and_findings_from_the_database(db, outputs_db):
    comparison = compare(db, ["Fagersta", "Eksjö", "Örebro"])
    assert [e.id for e in comparison.evaluations] == ["1982-2009", "0686-2008", "1880-2012"]
    assert comparison.mixed_frameworks
    frame = comparison.frame
    for evaluation in comparison.evaluations:
        ranks = query(outputs_db, "SELECT area, score, rank, evaluations, percentile FROM area_ranks "
                                  "WHERE evaluation = ? ORDER BY area", [evaluation.id])
        mine = frame[frame.evaluation == evaluation.id]
        assert mine[["area", "score", "rank", "evaluations", "percentile"]].to_dict("records") == ranks
    fagersta = frame[frame.evaluation == "1982-2009"].set_index("area")
    for kind, column in (("strength", "strengths"), ("improvement", "improvements")):
        for area in range(1, 9):
            texts = [r["text"] for r in query(outputs_db, "SELECT text FROM findings WHERE evaluation = '1982-2009' "
                                              "AND kind = ? AND area = ? ORDER BY seq", [kind, area])]
            assert texts and fagersta.loc[area, column].split(FINDING_SEPARATOR) == texts
    assert set(frame[frame.kommun == "Eksjö"].kommunkod) == {"0686"}


def test_compare_terminal_table(outputs_db):
    result = CliRunner().invoke(cli, ["compare", "Fagersta", "Västerås", "--db", str(outputs_db), "--no-findings"])
    assert result.exit_code == 0, result.output
    assert "Fagersta 2009" in result.output and "Västerås 2009" in result.output and "rang" in result.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet", "json"])
def test_compare_files_read_back_equal_the_comparison(db, outputs_db, tmp_path, fmt):
    out = tmp_path / f"jamforelse.{fmt}"
    result = CliRunner().invoke(cli, ["compare", "Fagersta", "0686", "--format", fmt, "--out", str(out),
                                      "--db", str(outputs_db)])
    assert result.exit_code == 0, result.output
    readers = {"csv": lambda: pd.read_csv(out, dtype={"kommunkod": str}, keep_default_na=False),
               "xlsx": lambda: pd.read_excel(out, dtype={"kommunkod": str}).fillna(""),
               "parquet": lambda: pd.read_parquet(out),
               "json": lambda: pd.DataFrame(json.loads(out.read_text(encoding="utf-8")))}
    back = readers[fmt]()
    expected = compare(db, ["Fagersta", "0686"]).frame
    assert list(back.columns) == list(expected.columns)
    assert back["kommunkod"].tolist() == ["1982"] * 8 + ["0686"] * 8
    assert back["score"].tolist() == expected["score"].tolist()
    assert back["percentile"].tolist() == expected["percentile"].tolist()
    assert back["strengths"].tolist() == expected["strengths"].tolist()


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """Compare values, not storage types: every cell as text, missing as empty."""
    return frame.astype(object).where(frame.notna(), "").astype(str).reset_index(drop=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_reads_back_equal_to_the_database_views(outputs_db, tmp_path, fmt):
    result = CliRunner().invoke(cli, ["export", "--db", str(outputs_db), "--format", fmt, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = {"kommunkod": str, "cited_kommunkod": str, "evaluation": str, "citing_evaluation": str}
    if fmt == "xlsx":
        sheets = pd.read_excel(tmp_path / "kommunkompassen.xlsx", sheet_name=None, dtype=text)
    elif fmt == "csv":
        sheets = {name: pd.read_csv(tmp_path / f"{name}.csv", dtype=text) for name in FRAMES}
    else:
        sheets = {name: pd.read_parquet(tmp_path / f"{name}.parquet") for name in FRAMES}
    assert set(sheets) == set(FRAMES)
    for name, sql in FRAMES.items():
        expected = pd.DataFrame(query(outputs_db, sql))
        back = sheets[name]
        if expected.empty:
            assert back.empty, name
            continue
        assert list(back.columns) == list(expected.columns), name
        if "kommunkod" in back.columns:
            assert back["kommunkod"].dropna().tolist() == expected["kommunkod"].dropna().tolist()
        numeric = expected.select_dtypes("number").columns
        pd.testing.assert_frame_equal(back[numeric].astype(float), expected[numeric].astype(float), obj=name)
        others = [c for c in expected.columns if c not in numeric]
        pd.testing.assert_frame_equal(_normalised(back[others]), _normalised(expected[others]), obj=name)
    evaluations = sheets["evaluations"].set_index("evaluation")
    assert evaluations.loc["0686-2008", "kommunkod"] == "0686"
    assert evaluations.loc["0127-2005", "kommunkod"] == "0127"
    assert len(sheets["findings"]) == query(outputs_db, "SELECT COUNT(*) AS n FROM findings")[0]["n"] > 0
