"""Every canned query through Datasette's own client, `kompass serve` over real HTTP, the bench helper."""
from __future__ import annotations

import csv
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

from db.bench import canned_query_times
from db.datasette import canned_queries
from db.frameworks import THEME_OF_AREA, THEMES
from db.load import load_analysis, load_published
from db.published import PUBLISHED_CSV
from db.schema import open_database
from tests.test_db_support import ROOT, canned, fixture_extract, fixture_good_examples, integrity, real_analysis

TESTED_QUERIES = {"compare_municipalities", "good_examples_for_area", "findings_with_word",
                  "top_and_bottom_per_area", "municipality_history", "search_sentences",
                  "scores_beside_kpi"}  # tested in tests/test_kolada.py


@pytest.fixture(scope="module")
def analysis():
    return real_analysis()


@pytest.fixture(scope="module")
def built(tmp_path_factory, analysis):
    """The real report through the real pipeline (good examples, tagged sentences) plus published scores."""
    path = tmp_path_factory.mktemp("datasette") / "kommunkompassen.db"
    db = open_database(path)
    load_analysis(db, analysis)
    load_published(db)
    db.close()
    yield path
    assert integrity(path) == "ok"


def test_every_canned_query_is_tested(built):
    assert set(canned_queries(built)) == TESTED_QUERIES


def test_compare_two_municipalities(built):
    expected = fixture_extract()
    position = {theme: i for i, theme in enumerate(THEMES, 1)}
    want = [(position[THEME_OF_AREA[("2002-2009", a.area)][0]], "Fagersta", a.area, a.score, "report")
            for a in expected.areas]
    want += [(position[THEME_OF_AREA[("2002-2009", c.area)][0]], "Västerås", c.area, c.score, "comparison_table")
             for c in expected.comparisons if c.kommun == "Västerås"]
    got = canned(built, "compare_municipalities", kommun_a="Fagersta", kommun_b="1980")
    assert [(r["position"], r["kommun"], r["area"], r["score"], r["source"]) for r in got] == sorted(want)


def test_good_examples_for_an_area(built, analysis):
    assert sorted((g.area, g.kommun) for g in analysis.extract.good_examples if g.kind == "cited") == \
        sorted((g.area, g.kommun) for g in fixture_good_examples())
    cited = sorted(g.kommun for g in fixture_good_examples() if g.area == 1)
    assert cited == ["Göteborg", "Järfälla", "Piteå", "Stockholm", "Trollhättan", "Östersund"]
    want = sorted(g.kommun for g in analysis.extract.good_examples if g.area == 1)  # cited and own
    assert set(want) == set(cited) | {"Fagersta"}
    for area in ("1", "democracy", "demokratisk"):
        got = canned(built, "good_examples_for_area", area=area)
        assert sorted(r["cited_kommun"] for r in got) == want
        assert {(r["citing_kommun"], r["citing_year"], r["theme"]) for r in got} == {("Fagersta", 2009, "democracy")}


@pytest.mark.parametrize("word, kind", [("Öppenhet", ""), ("information", "strength"), ("öka", "improvement")])
def test_findings_containing_a_word(built, word, kind):
    want = [(f.area, f.kind, f.text) for f in fixture_extract().findings
            if word.casefold() in f.text.casefold() and kind in ("", f.kind)]
    got = canned(built, "findings_with_word", word=word, kind=kind)
    assert [(r["area"], r["kind"], r["text"]) for r in got] == want
    assert want  # each word occurs in the report


def test_top_and_bottom_per_area(built):
    expected = fixture_extract()
    scores = [(expected.areas[2].score, "Fagersta")] + [(c.score, c.kommun) for c in expected.comparisons
                                                         if c.area == 3]
    ranked = sorted(scores, key=lambda s: (-s[0], s[1]))
    want = ranked[:2] + ranked[-2:]
    got = canned(built, "top_and_bottom_per_area", framework="2002-2009", area="3", n="2")
    assert [(r["score"], r["kommun"]) for r in got] == want
    assert [r["which_end"] for r in got] == ["top", "top", "bottom", "bottom"]


def test_municipality_history(built):
    with PUBLISHED_CSV.open(encoding="utf-8", newline="") as handle:
        orebro = [r for r in csv.DictReader(handle) if r["kommun"] == "Örebro"]
    got = canned(built, "municipality_history", kommun="Örebro")
    assert [(r["year"], r["total"], r["sources"]) for r in got] == [
        (2012, 615.0, "published_page"), (2015, 650.0, "published_page")]
    assert [got[0][f"area_{n}"] for n in range(1, 9)] == [
        float(r["score"]) for r in sorted((r for r in orebro if r["year"] == "2012"), key=lambda r: int(r["area_no"]))]
    fagersta = canned(built, "municipality_history", kommun="1982")
    assert [(r["year"], r["total"], r["sources"]) for r in fagersta] == [(2009, 466.0, "report")]


def test_search_sentences_by_lemma_keeps_swedish_letters_apart(built, analysis):
    def hits(q):
        return [r["text"] for r in canned(built, "search_sentences", q=q)]

    inflected = hits("medborgardialog")  # finds "medborgardialogen" through the lemmas
    want = [s.text for s in analysis.sentences if "medborgardialog" in s.lemmas.split()
            or re.search(r"\bmedborgardialog\b", s.text, re.I)]
    assert sorted(inflected) == sorted(want)
    assert any("medborgardialogen" in text.casefold() for text in inflected)
    far = hits("far")
    assert all(not re.search(r"\bfår\b", text, re.I) or re.search(r"\bfar\b", text, re.I) for text in far)
    assert all(re.search(r"\bfår\b", text, re.I) or "få" in s.lemmas.split()
               for text in hits("får") for s in analysis.sentences if s.text == text)
    hit = canned(built, "search_sentences", q="Västmanland")
    assert ("Fagersta", 2009, 3, "Fagersta ligger i norra [Västmanland].") in [
        (r["kommun"], r["year"], r["page"], r["snippet"]) for r in hit]


def test_bench_times_every_canned_query(built):
    times = canned_query_times(built, repeats=1)
    assert set(times) == TESTED_QUERIES
    assert all(value > 0 for value in times.values())


# The `kompass` command of this work tree.
KOMPASS = [sys.executable, "-c", "from kompass.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_kompass_serve_answers_over_http_read_only(built):
    port = _free_port()
    server = subprocess.Popen([*KOMPASS, "serve", "--db", str(built), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                databases = httpx.get(f"{base}/-/databases.json", timeout=2).json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail(f"kompass serve never answered: {server.stderr.read1().decode()}")
        assert [(d["name"], d["is_mutable"]) for d in databases] == [("kommunkompassen", False)]
        history = httpx.get(f"{base}/kommunkompassen/municipality_history.json",
                            params={"kommun": "Fagersta", "_shape": "array"}, timeout=5).json()
        assert [(r["year"], r["total"]) for r in history] == [(2009, 466.0)]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_without_a_database_is_one_line_error(tmp_path):
    result = subprocess.run([*KOMPASS, "serve", "--db", str(tmp_path / "none.db")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'none.db'}: no such database; build it with `kompass load … --db {tmp_path / 'none.db'}`"]
