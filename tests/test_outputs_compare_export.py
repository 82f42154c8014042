"""`kompass compare` and `kompass export`: files and pipes read back with pandas (and Frictionless) equal
the database views, with generation, area name and theme on every row."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from kompass.cli import cli
from outputs.compare import FINDING_SEPARATOR, compare
from outputs.data import open_existing
from outputs.export import FRAMES, TEXT_COLUMNS
from tests.outputs_support import ROOT, outputs_db, query  # noqa: F401  (fixture)

KOMPASS = [sys.executable, "-m", "kompass"]


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


def test_every_compared_row_names_generation_area_and_theme(db, outputs_db):
    frame = compare(db, ["Fagersta", "Örebro"]).frame  # 2002-2009 beside 2010-2019
    crosswalk = {(r["framework"], r["area"]): (r["name"], r["theme"], r["approximate"])
                 for r in query(outputs_db, "SELECT framework, area, name, theme, approximate FROM framework_areas")}
    for row in frame.to_dict("records"):
        name, theme, _ = crosswalk[(row["framework"], row["area"])]
        assert (row["area_name"], row["theme"]) == (name, theme) and row["theme_name"]
    # Personalpolitik (2002-2009) and Kommunen som arbetsgivare (2010-2019) meet in one theme, not by number
    employer = frame[frame.theme == "employer"]
    assert sorted(zip(employer.framework, employer.area_name)) == [
        ("2002-2009", "Personalpolitik"), ("2010-2019", "Kommunen som arbetsgivare")]
    approximate_themes = {t for (f, _), (_, t, a) in crosswalk.items() if a and f in ("2002-2009", "2010-2019")}
    assert set(frame[frame.approximate == 1].theme) == approximate_themes


def test_compare_terminal_table_is_swedish(outputs_db):
    result = CliRunner().invoke(cli, ["compare", "Fagersta", "Västerås", "--db", str(outputs_db), "--no-findings"])
    assert result.exit_code == 0, result.output
    assert "Fagersta 2009" in result.output and "Västerås 2009" in result.output and "rang" in result.output
    assert "59,5" in result.output and "59.5" not in result.output  # decimal comma for people
    assert "Personalpolitik" in result.output and "arbetsgivare" in result.output  # area name and theme name


def test_compare_csv_on_stdout_pipes_into_pandas(outputs_db, tmp_path):
    """The issue's own command line: data on standard output, read by pandas from a pipe."""
    env = {**os.environ, "KOMPASS_DB": str(outputs_db)}
    producer = subprocess.Popen([*KOMPASS, "compare", "Fagersta", "Eksjö", "--format", "csv"], stdout=subprocess.PIPE,
                                cwd=tmp_path, env=env)
    reader = subprocess.run([sys.executable, "-c", "import pandas,sys; print(pandas.read_csv(sys.stdin))"],
                            stdin=producer.stdout, capture_output=True, text=True, timeout=120)
    producer.stdout.close()
    assert producer.wait(timeout=120) == 0 and reader.returncode == 0, reader.stderr
    assert "[16 rows x 22 columns]" in reader.stdout
    assert list(tmp_path.iterdir()) == []  # nothing written into the current folder


def test_out_dash_is_stdout_and_json_uses_a_decimal_point(outputs_db, tmp_path):
    result = CliRunner().invoke(cli, ["compare", "fagersta", "686", "--json", "--out", "-", "--db", str(outputs_db)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["kommunkod"], r["area"], r["score"]) for r in rows][2] == ("1982", 3, 59.5)
    assert not (tmp_path / "-").exists() and not os.path.exists("-")


def test_excel_csv_has_bom_semicolons_and_decimal_comma(outputs_db, tmp_path):
    out = tmp_path / "jämförelse.csv"
    result = CliRunner().invoke(cli, ["compare", "Fagersta", "Eksjö", "--excel", "--out", str(out),
                                      "--db", str(outputs_db)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]
    back = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", dtype={"kommunkod": str})
    assert back["kommun"].tolist()[-1] == "Eksjö" and back["score"].tolist()[2] == 59.5
    bom = CliRunner().invoke(cli, ["compare", "Eksjö", "--csv", "--bom", "--db", str(outputs_db)])
    assert bom.stdout_bytes.startswith(b"\xef\xbb\xbf") and "Eksjö" in bom.stdout_bytes.decode("utf-8-sig")


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


def test_binary_formats_refuse_a_terminal_but_not_a_pipe(outputs_db):
    result = subprocess.run([*KOMPASS, "compare", "Fagersta", "--format", "parquet", "--db", str(outputs_db)],
                            capture_output=True, cwd=ROOT)
    assert result.returncode == 0 and result.stdout[:4] == b"PAR1"  # a pipe takes it
    back = pd.read_parquet(io.BytesIO(result.stdout))
    assert back["kommunkod"].tolist() == ["1982"] * 8


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """Compare values, not storage types: every cell as text, missing as empty."""
    return frame.astype(object).where(frame.notna(), "").astype(str).reset_index(drop=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_reads_back_equal_to_the_database_views(outputs_db, tmp_path, fmt):
    result = CliRunner().invoke(cli, ["export", "--db", str(outputs_db), "--format", fmt, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = {column: str for column in TEXT_COLUMNS}  # what datapackage.json types as string
    if fmt == "xlsx":
        sheets = pd.read_excel(tmp_path / "kommunkompassen.xlsx", sheet_name=None, dtype=text)
        assert {"data_dictionary", "about"} <= set(sheets)
        sheets = {name: frame for name, frame in sheets.items() if name in FRAMES}
    elif fmt == "csv":
        sheets = {name: pd.read_csv(tmp_path / f"{name}.csv", dtype=text) for name in FRAMES}
    else:
        sheets = {name: pd.read_parquet(tmp_path / f"{name}.parquet") for name in FRAMES}
    assert set(sheets) == set(FRAMES) >= {"question_scores", "sentences", "municipalities", "themes",
                                          "framework_areas", "evaluation_area_scores"}
    for name, (_, sql) in FRAMES.items():
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
    assert len(sheets["sentences"]) == query(outputs_db, "SELECT COUNT(*) AS n FROM sentences")[0]["n"] > 0


def test_export_tables_carry_generation_area_name_and_theme(outputs_db, tmp_path):
    assert CliRunner().invoke(cli, ["export", "--db", str(outputs_db), "--out", str(tmp_path)]).exit_code == 0
    wide = pd.read_csv(tmp_path / "evaluations.csv", dtype={"kommunkod": str})
    assert not [c for c in wide.columns if c.startswith("area_")]  # no bare area numbers across generations
    assert {f"theme_{t}" for t in ("democracy", "employer", "community")} <= set(wide.columns)
    long = pd.read_csv(tmp_path / "evaluation_area_scores.csv", dtype={"kommunkod": str})
    assert len(long) == query(outputs_db, "SELECT COUNT(*) AS n FROM chosen_area_scores")[0]["n"]
    assert long[["framework", "area", "area_name", "theme", "theme_name"]].notna().all().all()
    for table in ("findings", "question_scores", "sentences", "good_examples", "area_scores"):
        frame = pd.read_csv(tmp_path / f"{table}.csv")
        assert {"framework", "area", "area_name", "theme", "theme_name"} <= set(frame.columns), table
    orebro = long[long.kommun == "Örebro"].set_index(["year", "area"])
    assert orebro.loc[(2012, 6), ["area_name", "theme"]].tolist() == ["Kommunen som arbetsgivare", "employer"]


def test_export_is_a_valid_data_package_with_a_dictionary(outputs_db, tmp_path):
    assert CliRunner().invoke(cli, ["export", "--db", str(outputs_db), "--out", str(tmp_path)]).exit_code == 0
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    fields = {(r["name"], f["name"]): f for r in package["resources"] for f in r["schema"]["fields"]}
    assert {f["type"] for (_, name), f in fields.items() if name.endswith("kommunkod")} == {"string"}
    assert all(f.get("description") for f in fields.values())  # every column described
    assert package["licenses"] and package["sources"] and package["version"] and package["created"]
    dictionary = pd.read_csv(tmp_path / "data_dictionary.csv")
    assert len(dictionary) == len(fields) and dictionary["description"].notna().all()
    validated = subprocess.run([str(ROOT / ".venv" / "bin" / "frictionless") if (ROOT / ".venv").exists()
                                else "frictionless", "validate", "--json", "datapackage.json"],
                               capture_output=True, text=True, cwd=tmp_path, timeout=300)
    report = json.loads(validated.stdout)
    assert report["valid"], json.dumps(report["tasks"], ensure_ascii=False)[:2000]
    from frictionless import Package

    evaluations = Package(str(tmp_path / "datapackage.json")).get_resource("evaluations").to_pandas()
    assert "0686" in evaluations["kommunkod"].tolist()  # typed as text by the package, leading zero kept
