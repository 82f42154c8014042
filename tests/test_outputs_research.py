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


# --- a copy of the database with what a researcher adds: a later evaluation and Kolada values ------------

KPI = "U00412"
ENKOPING_2021 = [(1, "Samspel mellan förtroendevalda och medborgare", 61), (2, "Samhällsutveckling", 58),
                 (3, "Styrning och kontroll", 66), (4, "Effektivitet", 55)]


def kpi_value(kommunkod: str, year: int) -> float:
    """A made-up key figure with decimals (what Kolada sends for a percentage)."""
    return round(40 + int(kommunkod) % 37 + (year - 2000) * 0.25, 2)


@pytest.fixture(scope="session")
def research_db(outputs_db, tmp_path_factory):
    """The outputs database plus Enköping 2021 (framework 2020-, loaded with the bundled published scores by
    `kompass load-published --csv`, which replaces the published scores) and a Kolada KPI stored as `kompass kolada fetch` stores it: a value
    for each evaluated municipality in its evaluation's year and the years on either side."""
    import shutil
    import sqlite3

    folder = tmp_path_factory.mktemp("research")
    path = folder / "kommunkompassen.db"
    shutil.copy(outputs_db, path)
    extra = folder / "published.csv"
    from db.published import PUBLISHED_CSV

    lines = PUBLISHED_CSV.read_text(encoding="utf-8").rstrip("\n").split("\n")  # the bundled rows, and Enköping's
    lines += [f'Enköping,2021,2020,{area},"{name}",{score},,https://enkoping.se/kommunkompassen-2021,'
              for area, name, score in ENKOPING_2021]
    extra.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("load-published", "--csv", extra, db=path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO kolada_kpis (id, title, fetched_at) VALUES (?, ?, '2026-01-01T00:00:00+00:00')",
                     [KPI, "Andel medborgare som är nöjda, %"])
        for kommunkod, year in conn.execute("SELECT DISTINCT kommunkod, year FROM evaluations "
                                            "WHERE kommunkod IS NOT NULL").fetchall():
            for around in (year - 1, year, year + 1):
                conn.execute("INSERT OR IGNORE INTO kolada_values (kpi, kommunkod, year, gender, value, is_deleted, "
                             "fetched_at) VALUES (?, ?, ?, 'T', ?, 0, '2026-01-01T00:00:00+00:00')",
                             [KPI, kommunkod, around, kpi_value(kommunkod, around)])
    conn.close()
    return path


# --- 2. charts: KPI scatter centred on the municipality, Swedish numbers, a break at a framework change -----

def _texts(axes) -> list[str]:
    return [t.get_text() for t in axes.texts]


def test_kpi_chart_is_centred_on_the_named_municipalitys_generation_and_marks_it(research_db, tmp_path):
    from outputs.charts import KPI_SCATTER, draw, kpi_scatter_data
    from outputs.data import open_existing

    out = tmp_path / "kpi.png"
    result = run("chart", "Fagersta", "--kpi", KPI, "--area", "1", "--out", out, db=research_db)
    assert out.read_bytes()[:4] == b"\x89PNG" and "ramverk 2002-2009" in result.stderr
    db = open_existing(research_db)
    try:
        data = kpi_scatter_data(db, KPI, 1, kommun="Fagersta")
        most = kpi_scatter_data(db, KPI, 1, kommun="Enköping")
    finally:
        db.close()
    expected = query(research_db, "SELECT c.kommun, c.year, c.score FROM chosen_area_scores c "
                                  "WHERE c.framework = '2002-2009' AND c.area = 1 ORDER BY c.kommun, c.year")
    assert data.kind == KPI_SCATTER and "ramverk 2002-2009" in data.title
    assert sorted(zip(data.labels, data.series[1].values)) == sorted((f"{r['kommun']} {r['year']}", r["score"])
                                                                     for r in expected)
    assert data.labels[data.marked] == "Fagersta 2009" and data.series[0].values[data.marked] == \
        kpi_value("1982", 2009)
    assert "ramverk 2020-" in most.title and most.labels[most.marked] == "Enköping 2021"
    axes = draw(data).axes[0]
    assert "Fagersta 2009" in _texts(axes)
    (points,) = axes.collections
    colours = [tuple(c) for c in points.get_facecolors()]
    assert len(set(colours)) == 2 and colours.count(colours[data.marked]) == 1  # only Fagersta in its colour


def test_kpi_chart_of_many_evaluations_names_only_the_marked_and_the_extremes_without_overlap(tmp_path_factory):
    import json
    import shutil
    import sqlite3

    from benchmarks.query_bench import build_database
    from outputs.charts import draw, kpi_scatter_data
    from outputs.data import open_existing

    templates = [json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted((ROOT / "tests" / "layouts").glob("*.expected.json"))]
    path = tmp_path_factory.mktemp("many-kpi") / "many.db"
    build_database(path, templates, count=150)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO kolada_kpis (id, title) VALUES (?, 'Nöjd medborgar-index')", [KPI])
        conn.execute("INSERT INTO kolada_values (kpi, kommunkod, year, gender, value, is_deleted, fetched_at) "
                     "SELECT DISTINCT ?, kommunkod, year, 'T', 1000 + (CAST(kommunkod AS INTEGER) % 97) * 12.5, 0, "
                     "'2026-01-01' FROM evaluations WHERE kommunkod IS NOT NULL", [KPI])
    kommun = conn.execute("SELECT kommun FROM evaluations WHERE document IS NOT NULL ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    db = open_existing(path)
    try:
        data = kpi_scatter_data(db, KPI, 1, kommun=kommun)
    finally:
        db.close()
    assert len(data.labels) > 100 and data.marked is not None
    figure = draw(data)
    axes = figure.axes[0]
    names = _texts(axes)
    assert names[0] == data.labels[data.marked] and 2 <= len(names) <= 5  # the marked one and extremes only
    renderer = figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in axes.texts]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    ticks = [t.get_text() for t in axes.get_xticklabels()]
    assert any("\u00a0" in t for t in ticks) and not any("." in t for t in ticks)  # "1 250", never "1250.0"
    shutil.rmtree(path.parent)


def test_chart_numbers_use_a_decimal_comma(research_db, tmp_path):
    out = tmp_path / "kpi.svg"
    run("chart", "Fagersta", "--kpi", KPI, "--area", "1", "--out", out, db=research_db)
    from outputs.charts import draw, kpi_scatter_data
    from outputs.data import open_existing

    db = open_existing(research_db)
    try:
        data = kpi_scatter_data(db, KPI, 1, kommun="Fagersta")
    finally:
        db.close()
    axes = draw(data).axes[0]
    axes.set_xlim(47.2, 47.8)  # ticks every 0.1: they must read 47,2 … 47,8
    axes.figure.canvas.draw()
    ticks = [t.get_text() for t in axes.get_xticklabels()]
    assert "47,5" in ticks and not [t for t in ticks if "." in t]


def test_trend_breaks_its_lines_where_the_framework_changes(research_db, tmp_path):
    from matplotlib.lines import Line2D

    from outputs.charts import TREND, chart_data, draw
    from outputs.data import open_existing

    db = open_existing(research_db)
    try:
        data = chart_data(db, "Enköping")
    finally:
        db.close()
    assert data.kind == TREND and data.labels == ["2016", "2018", "2021"]
    assert data.frameworks == ["2010-2019", "2010-2019", "2020-"]
    axes = draw(data).axes[0]
    breaks = [line for line in axes.lines if line.get_gid() == "framework-break"]
    assert [line.get_xdata()[0] for line in breaks] == [1.5]
    for line in axes.lines:
        if line in breaks:
            continue
        xs = set(line.get_xdata())
        assert xs <= {0, 1} or xs <= {2}, xs  # no line drawn from 2018 (2010-2019) to 2021 (2020-)
    assert any("nytt ramverk 2020-" in text for text in _texts(axes))
    assert isinstance(breaks[0], Line2D)
    run("chart", "Enköping", "--out", tmp_path / "trend.png", db=research_db)


# --- 3. Kolada: the years around each evaluation in a view and the export, the raw table exported ---------

def test_kolada_years_around_each_evaluation_reach_a_view_and_the_export(research_db, tmp_path):
    view = query(research_db, "SELECT evaluation, kommunkod, year, kpi_year, year_offset, value, kpi_title "
                              "FROM evaluation_kpi_years WHERE kpi = ? AND gender = 'T'", [KPI])
    fagersta = sorted((r["year_offset"], r["value"]) for r in view if r["evaluation"] == "1982-2009")
    assert fagersta == [(-1, kpi_value("1982", 2008)), (0, kpi_value("1982", 2009)), (1, kpi_value("1982", 2010))]
    evaluations = query(research_db, "SELECT id, kommunkod, year FROM evaluations WHERE kommunkod IS NOT NULL")
    for evaluation in evaluations:  # every evaluation has the year before, its own and the year after
        offsets = {r["year_offset"] for r in view if r["evaluation"] == evaluation["id"]}
        assert {-1, 0, 1} <= offsets, evaluation
    assert all(r["kpi_year"] - r["year"] == r["year_offset"] and r["value"] == kpi_value(r["kommunkod"], r["kpi_year"])
               for r in view)
    run("export", "--out", tmp_path, db=research_db)
    years = pd.read_csv(tmp_path / "evaluation_kpi_years.csv", dtype={"kommunkod": str})
    assert len(years) == len(view) and "0686" in set(years.kommunkod)
    raw = pd.read_csv(tmp_path / "kolada_values.csv", dtype={"kommunkod": str})
    table = query(research_db, "SELECT kpi, kommunkod, year, gender, value FROM kolada_values ORDER BY kpi, kommunkod, "
                               "year, gender")
    assert raw[["kpi", "kommunkod", "year", "gender", "value"]].to_dict("records") == table
    kpis = pd.read_csv(tmp_path / "kolada_kpis.csv")
    assert kpis[["kpi", "kpi_title"]].values.tolist() == [[KPI, "Andel medborgare som är nöjda, %"]]
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert {"evaluation-kpi-years", "kolada-values", "kolada-kpis"} <= {r["name"] for r in package["resources"]}
    assert "CC-BY-4.0" in {licence["name"] for licence in package["licenses"]}


# --- 5. area numbers named wherever generations mix -------------------------------------------------------

def test_area_columns_carry_the_area_and_theme_names_of_each_evaluations_generation(research_db, tmp_path):
    names = {(r["framework"], r["area"]): (r["name"], r["theme_name"]) for r in query(
        research_db, "SELECT fa.framework, fa.area, fa.name, t.name AS theme_name FROM framework_areas fa "
                     "JOIN themes t ON t.id = fa.theme")}
    for view in ("evaluation_areas", "evaluation_kpi_values"):
        got = query(research_db, f"SELECT * FROM {view}")
        assert {r["framework"] for r in got} >= {"2002-2009", "2010-2019", "2020-"}, view  # generations mix
        for row in got:
            for area in range(1, 9):
                assert (row[f"area_{area}_name"], row[f"area_{area}_theme"]) == names[(row["framework"], area)]
    run("export", "--out", tmp_path, db=research_db)
    wide = pd.read_csv(tmp_path / "evaluation_kpi_values.csv", dtype={"kommunkod": str})
    columns = list(wide.columns)
    for area in range(1, 9):  # the names stand right beside the score
        assert columns.index(f"area_{area}_name") == columns.index(f"area_{area}") + 1
        assert columns.index(f"area_{area}_theme") == columns.index(f"area_{area}") + 2
    row = wide[(wide.kommun == "Fagersta") & (wide.kpi == KPI)].iloc[0]
    assert (row.area_6, row.area_6_name, row.area_6_theme) == (44.5, "Personalpolitik", "Kommunen som arbetsgivare")
    enkoping = wide[(wide.kommun == "Enköping") & (wide.year == 2021)].iloc[0]
    assert enkoping.area_2_name == "Samhällsutveckling" and enkoping.area_2_theme == "Samhällsbyggande"
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "evaluation-kpi-values"
              for f in r["schema"]["fields"]}
    assert "Personalpolitik" in fields["area_6"]["description"] and fields["area_6_name"]["description"]


# --- 4. exports for Excel users -------------------------------------------------------------------------

@pytest.mark.parametrize("flag", ["--excel", "--bom"])
def test_export_excel_is_the_swedish_excel_dialect_and_the_package_says_so(research_db, tmp_path, flag):
    run("export", flag, "--out", tmp_path, db=research_db)
    data = (tmp_path / "evaluation_area_scores.csv").read_bytes()
    header = data.splitlines()[0]
    assert data.startswith(b"\xef\xbb\xbf") and header.count(b";") > 10 and b"," not in header  # columns in Excel
    back = pd.read_csv(tmp_path / "evaluation_area_scores.csv", sep=";", decimal=",", encoding="utf-8-sig",
                       dtype={"kommunkod": str})
    assert back.set_index(["evaluation", "area"]).loc[("1982-2009", 3), "score"] == 59.5
    assert "59,5" in data.decode("utf-8-sig") and "59.5" not in data.decode("utf-8-sig")
    assert (tmp_path / "data_dictionary.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert resource["dialect"] == {"delimiter": ";"} and resource["encoding"] == "utf-8-sig", resource["name"]
        numbers = [f for f in resource["schema"]["fields"] if f["type"] == "number"]
        assert all(f["decimalChar"] == "," for f in numbers), resource["name"]
    assert "decimalkomma" in package["description"]
    if flag == "--excel":  # what Frictionless reads from the package is the numbers, not text
        frictionless = ROOT / ".venv" / "bin" / "frictionless"
        validated = subprocess.run([str(frictionless) if frictionless.exists() else "frictionless", "validate", "--json",
                                    "datapackage.json"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert json.loads(validated.stdout)["valid"], validated.stdout[:2000]
        from frictionless import Package

        scores = Package(str(tmp_path / "datapackage.json")).get_resource("evaluation-area-scores").to_pandas()
        assert 59.5 in set(scores["score"].astype(float)) and "0686" in set(scores["kommunkod"])


def test_export_excel_refuses_a_binary_format(research_db, tmp_path):
    result = CliRunner().invoke(cli, ["export", "--excel", "--format", "xlsx", "--out", str(tmp_path),
                                      "--db", str(research_db)])
    assert result.exit_code == 2 and "--excel and --bom are for the CSV export" in result.output


@pytest.mark.slow
def test_xlsx_export_of_1000_evaluations_stays_within_300_mb(tmp_path):
    """The benchmarks' 1,000-evaluation database (250,000 sentences): `kompass export --format xlsx` as a
    process, its peak resident memory read from the kernel (wait4)."""
    import json as json_module

    from benchmarks.query_bench import build_database

    templates = [json_module.loads(p.read_text(encoding="utf-8"))
                 for p in sorted((ROOT / "tests" / "layouts").glob("*.expected.json"))]
    db_path = tmp_path / "evaluations.db"
    build_database(db_path, templates, count=1000)
    process = subprocess.Popen([*KOMPASS, "export", "--format", "xlsx", "--out", str(tmp_path / "x"),
                                "--db", str(db_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=tmp_path, env={**os.environ, "KOMPASS_DB": ""})
    _, status, usage = os.wait4(process.pid, 0)
    stderr = process.stderr.read().decode()
    assert os.waitstatus_to_exitcode(status) == 0, stderr
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    assert peak_mb <= 300, f"peak RSS {peak_mb:.0f} MB"
    assert "250000 sentences" in stderr
    from openpyxl import load_workbook

    workbook = load_workbook(tmp_path / "x" / "kommunkompassen.xlsx", read_only=True)
    assert {"sentences", "question_scores", "data_dictionary", "about"} <= set(workbook.sheetnames)
    header = next(workbook["sentences"].iter_rows(max_row=1, values_only=True))
    assert header[:4] == ("evaluation", "label", "kommunkod", "kommun")
    workbook.close()
