"""`kompass chart`: the numbers behind every chart equal the database (and the report's own table)."""
from __future__ import annotations

import statistics

import pytest
from click.testing import CliRunner

from kompass.cli import cli
from outputs.charts import DISTRIBUTION, PROFILE, TREND, chart_data, draw
from outputs.data import open_existing
from tests.outputs_support import outputs_db, query  # noqa: F401  (fixture)


@pytest.fixture
def db(outputs_db):
    database = open_existing(outputs_db)
    yield database
    database.close()


def test_profile_of_the_bundled_report_equals_its_own_table(db, outputs_db, expected_seed):
    data = chart_data(db, "Fagersta")
    assert data.kind == PROFILE and data.evaluations == ["1982-2009"]
    score, reference = data.series
    areas = sorted(expected_seed["areas"], key=lambda a: a["area"])
    assert score.values == [a["score"] for a in areas]
    assert reference.values == [a["median"] for a in areas]
    assert reference.name == "Median"
    rows = query(outputs_db, "SELECT area, area_name, score, reference FROM chosen_area_scores "
                             "WHERE evaluation = '1982-2009' ORDER BY area")
    assert score.values == [r["score"] for r in rows]
    assert data.labels == [f"{r['area']}. {r['area_name']}" for r in rows]
    assert "egen rapport" in data.caption and "Fagersta" in data.title and "poäng per område" in data.title


def test_profile_without_reference_uses_the_database_median_and_names_the_comparison_table(db, outputs_db):
    data = chart_data(db, "0686")  # Eksjö 2008, known only from Fagersta's comparison table
    score, reference = data.series
    own = query(outputs_db, "SELECT area, score FROM chosen_area_scores WHERE kommunkod = '0686' ORDER BY area")
    assert score.values == [r["score"] for r in own]
    for row, value in zip(own, reference.values):
        scores = [r["score"] for r in query(outputs_db, "SELECT score FROM chosen_area_scores "
                                            "WHERE framework = '2002-2009' AND area = ?", [row["area"]])]
        assert value == statistics.median(scores)
    assert reference.name.startswith("Median i databasen (n = ")
    assert "jämförelsetabell i rapporten om Fagersta 2009" in data.caption


def test_trend_follows_each_area_over_the_evaluations(db, outputs_db):
    data = chart_data(db, "Enköping")
    assert data.kind == TREND
    rows = query(outputs_db, "SELECT year, area, area_name, score FROM chosen_area_scores "
                             "WHERE kommun = 'Enköping' ORDER BY year, area")
    years = sorted({r["year"] for r in rows})
    assert len(years) > 1 and data.labels == [str(y) for y in years]
    plotted = {(s.name, year): v for s in data.series for year, v in zip(years, s.values) if v is not None}
    assert plotted == {(f"{r['area']}. {r['area_name']}", r["year"]): r["score"] for r in rows}
    assert "sida som kommunen publicerat" in data.caption


def test_distribution_of_an_area_marks_the_municipality(db, outputs_db):
    data = chart_data(db, "Fagersta", area=6)
    assert data.kind == DISTRIBUTION
    rows = query(outputs_db, "SELECT kommun, year, score FROM area_ranks WHERE framework = '2002-2009' AND area = 6")
    assert sorted(data.series[0].values, reverse=True) == data.series[0].values
    assert sorted(zip(data.labels, data.series[0].values)) == sorted((f"{r['kommun']} {r['year']}", r["score"])
                                                                     for r in rows)
    assert data.labels[data.marked] == "Fagersta 2009"
    assert data.series[0].values[data.marked] == 44.5 and "Personalpolitik" in data.title


def test_year_chooses_one_evaluation_of_several(db):
    assert chart_data(db, "Enköping", year=2016).evaluations == ["0381-2016"]


def test_the_drawing_plots_the_chart_data(db):
    data = chart_data(db, "Fagersta")
    axes = draw(data).axes[0]
    widths = [patch.get_width() for patch in axes.patches]
    assert widths == data.series[0].values + data.series[1].values
    assert axes.get_title().startswith("Kommunkompassen Fagersta 2009")


def test_cli_writes_png_and_svg(outputs_db, tmp_path):
    runner = CliRunner()
    for name in ("fagersta.png", "fagersta.svg", "omrade.png"):
        args = ["chart", "Fagersta", "--db", str(outputs_db), "--out", str(tmp_path / name)]
        if name.startswith("omrade"):
            args += ["--area", "3"]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    assert (tmp_path / "fagersta.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "fagersta.svg").read_bytes()[:2000]


@pytest.mark.parametrize("args, message", [
    (["Nowhere"], 'no municipality "Nowhere" (give a name such as Fagersta'),
    (["Fagerstra"], 'no municipality "Fagerstra"; did you mean Fagersta?'),
    (["Ale"], "Ale (1440): no evaluation of this municipality in the database"),
    (["--area", "6"], "area 6 means different areas in different framework generations (2002-2009: Personalpolitik"),
    (["Fagersta", "--year", "2001"], "no evaluation in 2001"),
    (["Vallentuna", "--year", "2017"], "only a total"),
    (["Fagersta", "--out", "x.pdf"], "charts are written as .png or .svg"),
])
def test_cli_errors_are_one_line(outputs_db, tmp_path, args, message):
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "c.png")]
    result = CliRunner().invoke(cli, ["chart", *args, "--db", str(outputs_db)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1


@pytest.fixture(scope="module")
def many_db(tmp_path_factory):
    """120 evaluations of one generation, loaded by the real loader (db/bench.py's generated rows)."""
    import json
    from pathlib import Path

    from benchmarks.query_bench import build_database

    root = Path(__file__).resolve().parent
    templates = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((root / "layouts").glob("*.expected.json"))]
    path = tmp_path_factory.mktemp("many") / "many.db"
    build_database(path, templates, count=120)
    return path


def test_many_evaluations_give_a_histogram_of_fixed_size_and_a_short_caption(many_db, tmp_path):
    from PIL import Image

    kommun = query(many_db, "SELECT kommun FROM evaluations WHERE document IS NOT NULL ORDER BY id LIMIT 1")[0]["kommun"]
    db = open_existing(many_db)
    try:
        data = chart_data(db, kommun, area=6)
    finally:
        db.close()
    assert data.kind == DISTRIBUTION and len(data.labels) > 40
    assert data.caption.count(";") == 0 and len(data.caption) < 150  # sources counted, not listed
    out = tmp_path / "a6.png"
    result = CliRunner().invoke(cli, ["chart", "--area", "6", "--framework", "2002-2009", "--db", str(many_db),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert Image.open(out).size == (900, 480)
    axes = draw(data).axes[0]
    assert sum(patch.get_height() for patch in axes.patches) == len(data.labels)  # every evaluation in a band
    assert any(kommun in text.get_text() for text in axes.texts)  # the marked one is named
