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
from db.frameworks import THEME_NAMES, THEME_OF_AREA, THEMES
from db.load import load_analysis, load_published
from db.published import PUBLISHED_CSV
from db.schema import open_database
from tests.test_db_support import ROOT, canned, fixture_extract, fixture_good_examples, integrity, real_analysis

TESTED_QUERIES = {"compare_municipalities", "good_examples_for_area", "most_cited_municipalities",
                  "findings_with_word", "top_and_bottom_per_area", "municipality_history", "search_sentences",
                  "scores_beside_kpi", "search_good_examples"}
# scores_beside_kpi: tested in tests/test_kolada.py; search_good_examples (and every search): tests/test_search.py


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


@pytest.mark.parametrize("a, b", [("Fagersta", "1980"), ("fagersta", "VÄSTERÅS"), ("Fagersta kommun", "1980")])
def test_compare_two_municipalities(built, a, b):
    expected = fixture_extract()
    position = {theme: i for i, theme in enumerate(THEMES, 1)}
    want = [(position[THEME_OF_AREA[("2002-2009", a_.area)][0]], "Fagersta", a_.area, a_.score, "report")
            for a_ in expected.areas]
    want += [(position[THEME_OF_AREA[("2002-2009", c.area)][0]], "Västerås", c.area, c.score, "comparison_table")
             for c in expected.comparisons if c.kommun == "Västerås"]
    got = canned(built, "compare_municipalities", kommun_a=a, kommun_b=b)
    assert [(r["position"], r["kommun"], r["area"], r["score"], r["source"]) for r in got] == sorted(want)
    assert all(r["theme_name"] and r["area_name"] and r["framework"] == "2002-2009" for r in got)


def test_a_kommunkod_without_its_leading_zero_is_found(built):
    eksjo = canned(built, "compare_municipalities", kommun_a="686", kommun_b="")
    assert {r["label"] for r in eksjo} == {"Eksjö 2008"} and len(eksjo) == 8
    assert canned(built, "municipality_history", kommun="686") == canned(built, "municipality_history", kommun="0686")


def test_good_examples_for_an_area(built, analysis):
    assert sorted((g.area, g.kommun) for g in analysis.extract.good_examples
                  if g.kind == "cited" and g.country == "SE") == sorted((g.area, g.kommun) for g in fixture_good_examples())
    cited = sorted(g.kommun for g in fixture_good_examples() if g.area == 1)
    assert cited == ["Göteborg", "Järfälla", "Piteå", "Stockholm", "Trollhättan", "Östersund"]
    want = sorted(g.kommun for g in analysis.extract.good_examples if g.area == 1)  # cited and own
    assert set(want) == set(cited) | {"Fagersta"}
    for area in ("1", "democracy", "demokratisk", "Demokrati", "öppenhet"):
        got = canned(built, "good_examples_for_area", omrade=area, typ="")
        assert sorted(r["example_kommun"] for r in got) == want, area
        assert {(r["report_label"], r["theme_name"]) for r in got} == {("Fagersta 2009", "Demokrati och öppenhet")}
        assert {r["kind_label"] for r in got} == {"citerad kommun", "egen praktik"}
    only_cited = canned(built, "good_examples_for_area", omrade="1", typ="citerad")
    assert sorted(r["example_kommun"] for r in only_cited) == cited


def test_good_examples_across_generations_by_a_swedish_word(built, analysis):
    """Personalpolitik (2002-2009) is the employer theme: the word of any generation's area name finds it."""
    employer = sorted((g.kind, g.kommun) for g in analysis.extract.good_examples if g.area == 6)
    for word in ("Personalpolitik", "personalpolitik", "arbetsgivare", "Arbetsliv", "employer", "6"):
        got = canned(built, "good_examples_for_area", omrade=word, typ="")
        assert sorted((r["kind_label"], r["example_kommun"]) for r in got) == sorted(
            ({"cited": "citerad kommun", "own": "egen praktik"}[k], n) for k, n in employer), word
        assert {r["area_name"] for r in got} <= {"Personalpolitik"}


def test_most_cited_municipalities(built, analysis):
    counts: dict[str, int] = {}
    for g in analysis.extract.good_examples:
        if g.kind == "cited":
            counts[g.kommun] = counts.get(g.kommun, 0) + 1
    got = canned(built, "most_cited_municipalities", omrade="")
    assert {r["kommun"]: r["citations"] for r in got} == counts
    assert [r["citations"] for r in got] == sorted(counts.values(), reverse=True)
    assert "Fagersta" not in {r["kommun"] for r in got}  # own practices are not citations
    goteborg = next(r for r in got if r["kommun"] == "Göteborg")
    themes = {THEME_NAMES[THEME_OF_AREA[("2002-2009", g.area)][0]] for g in fixture_good_examples()
              if g.kommun == "Göteborg" and g.area}
    assert set(goteborg["themes"].split(", ")) == themes and goteborg["reports"] == 1
    area_1 = canned(built, "most_cited_municipalities", omrade="demokrati")
    assert sorted(r["kommun"] for r in area_1) == sorted(set(g.kommun for g in fixture_good_examples() if g.area == 1))


@pytest.mark.parametrize("word, kind", [("Öppenhet", ""), ("information", "strength"), ("öka", "improvement"),
                                        ("medborgardialog", ""), ("brukarundersökning", "styrka")])
def test_findings_containing_a_word_in_any_form(built, word, kind):
    from db.search import compound_parts
    from extractors.lemmas import lemma_words

    def matches(text: str) -> bool:  # a word or a compound's part starting with the term or its lemma
        starts = (word.casefold(), lemma_words(word))
        words = re.findall(r"\w+", text.casefold())
        return any(w.startswith(starts) for w in words + lemma_words(text).split()) or any(
            part.startswith(starts) for w in re.findall(r"\w+(?:-\w+)*", text) for part in compound_parts(w))

    kinds = {"": ("strength", "improvement"), "strength": ("strength",), "styrka": ("strength",),
             "improvement": ("improvement",)}[kind]
    want = [(f.area, f.text) for f in fixture_extract().findings if matches(f.text) and f.kind in kinds]
    got = canned(built, "findings_with_word", ord=word, typ=kind)  # best first (bm25)
    assert sorted((r["area"], r["text"]) for r in got) == sorted(want)
    assert [r["hit"] for r in got] == list(range(1, len(got) + 1)) and {r["matches"] for r in got} == {len(want)}
    assert want  # each word occurs in the report


def test_top_and_bottom_per_area(built):
    expected = fixture_extract()
    scores = [(expected.areas[2].score, "Fagersta")] + [(c.score, c.kommun) for c in expected.comparisons
                                                         if c.area == 3]
    ranked = sorted(scores, key=lambda s: (-s[0], s[1]))
    want = ranked[:2] + ranked[-2:]
    got = canned(built, "top_and_bottom_per_area", ramverk="2002-2009", omrade="3", n="2")
    assert [(r["score"], r["kommun"]) for r in got] == want
    assert [r["which_end"] for r in got] == ["topp", "topp", "botten", "botten"]
    assert {r["area_name"] for r in got} == {"Tydlighet i samspelet mellan politiker och tjänstemän"}


def test_municipality_history_by_theme(built):
    with PUBLISHED_CSV.open(encoding="utf-8", newline="") as handle:
        orebro = [r for r in csv.DictReader(handle) if r["kommun"] == "Örebro"]
    got = canned(built, "municipality_history", kommun="örebro")
    assert {(r["year"], r["total"]) for r in got} == {(2012, 615.0), (2015, 650.0)}
    scored = [r for r in got if r["area"] is not None]
    assert [(r["area"], r["score"]) for r in sorted(scored, key=lambda r: r["area"])] == [
        (int(r["area_no"]), float(r["score"])) for r in sorted((r for r in orebro if r["year"] == "2012"),
                                                               key=lambda r: int(r["area_no"]))]
    assert [r["position"] for r in scored] == sorted(r["position"] for r in scored)  # theme by theme
    employer = next(r for r in scored if r["area"] == 6)
    assert (employer["theme_name"], employer["area_name"], employer["framework"]) == (
        "Kommunen som arbetsgivare", "Kommunen som arbetsgivare", "2010-2019")
    fagersta = canned(built, "municipality_history", kommun="1982")
    assert {(r["year"], r["total"], r["source"]) for r in fagersta} == {(2009, 466.0, "report")}
    assert len(fagersta) == 8 and all(r["document"] and r["page"] for r in fagersta)


def test_search_sentences_by_lemma_keeps_swedish_letters_apart(built, analysis):
    def hits(q):
        return [r["text"] for r in canned(built, "search_sentences", q=q)]

    inflected = hits("medborgardialog")  # finds "medborgardialogen" through the lemmas
    want = [s.text for s in analysis.sentences if "medborgardialog" in s.lemmas.split()
            or re.search(r"\bmedborgardialog\b", s.text, re.I)]
    assert sorted(inflected) == sorted(want)
    assert any("medborgardialogen" in text.casefold() for text in inflected)
    assert "Medborgardialog" not in inflected  # the heading is not a sentence
    far = hits("far")
    assert all(not re.search(r"\bfår\b", text, re.I) or re.search(r"\bfar\b", text, re.I) for text in far)
    assert all(re.search(r"\bfår\b", text, re.I) or "få" in s.lemmas.split()
               for text in hits("får") for s in analysis.sentences if s.text == text)
    hit = canned(built, "search_sentences", q="Västmanland")
    assert ("Fagersta", 2009, "Fagersta ligger i norra [Västmanland].") in [
        (r["kommun"], r["year"], r["snippet"]) for r in hit]


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
        assert [(d["name"], d["is_mutable"]) for d in databases] == [("kommunkompassen", True)]  # read-only, WAL
        history = httpx.get(f"{base}/kommunkompassen/municipality_history.json",
                            params={"kommun": "Fagersta", "_shape": "array"}, timeout=5).json()
        assert {(r["year"], r["total"]) for r in history} == {(2009, 466.0)}
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_without_a_database_is_one_line_error(tmp_path):
    result = subprocess.run([*KOMPASS, "serve", "--db", str(tmp_path / "none.db")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'none.db'}: no such database; build it with `kompass load … --db {tmp_path / 'none.db'}`"]
