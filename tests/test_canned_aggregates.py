"""The precomputed aggregates (migration 10) and the canned queries that read them.

A database of generated evaluations of the three framework generations goes through the real loader; after
loads, a re-load by a new extractor version, a removed document and the published scores, each aggregate
table equals its from-scratch query, and the new SQL of every changed canned query returns exactly the rows
the old SQL (with the old views, db/canned_before.py) returns on the same database.
"""
from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from benchmarks.query_bench import synthetic_analyses
from benchmarks.query_scale import spec_templates
from db.aggregates_schema import aggregate_differences
from db.bench import sample_parameters
from db.canned_before import queries_before, use_views_before
from db.datasette import canned_queries
from db.load import load_analysis, load_published
from db.migrations import migrate, schema_version
from db.schema import open_database
from db.store import drop_orphan_evaluations, forget_document, write_transaction

# 14 evaluations of each round of municipalities (2002-2009, 2010-2019, 2020-): index // 290 is the round.
INDEXES = [start + i for start in (0, 290, 580) for i in range(14)]
CHANGED = ("good_examples_for_area", "most_cited_municipalities", "top_and_bottom_per_area", "findings_with_word",
           "search_sentences", "search_good_examples")
SEARCHES = ("kommunen", "exempel", "gott", "är", "ett gott", "medborgare", "budget OR mål", "kommun NOT plan", '"gott exempel"', "ingetsådantord")


def _analyses():
    for analysis in synthetic_analyses(spec_templates(12), indexes=INDEXES):
        yield replace(analysis, sentences=analysis.sentences[:12])  # a few sentences to search


@pytest.fixture(scope="module")
def analyses():
    return list(_analyses())


def _all_right(db) -> bool:
    differences = aggregate_differences(db)
    assert set(differences) == {"chosen_cells", "cited_municipalities", "cited_areas"}
    return not any(differences.values())


def _counts(db) -> dict[str, int]:
    return {"cells": db.execute("SELECT count(*) FROM chosen_cells").fetchone()[0],
            "cited": db.execute("SELECT coalesce(sum(citations), 0) FROM cited_municipalities").fetchone()[0]}


def test_aggregates_equal_the_from_scratch_queries_through_loads_reloads_and_removals(tmp_path, analyses):
    db = open_database(tmp_path / "k.db")
    for analysis in analyses:
        load_analysis(db, analysis)
    assert _all_right(db)
    before = _counts(db)
    assert before["cells"] > 8 * len(analyses) and before["cited"] > 0

    for analysis in analyses:  # the same files again: nothing changes
        load_analysis(db, analysis)
    assert _counts(db) == before and _all_right(db)

    # A new extractor version reads three reports differently: other scores, fewer cited examples.
    for analysis in analyses[:3]:
        extract = analysis.extract
        changed = replace(extract, areas=[replace(a, score=a.score - 1) for a in extract.areas],
                          good_examples=extract.good_examples[1:])
        load_analysis(db, replace(analysis, extract=changed, extractor_version="re-read"))
    assert _all_right(db)
    assert _counts(db)["cited"] == before["cited"] - sum(1 for a in analyses[:3] if a.extract.good_examples)

    removed = analyses[5].extract
    with write_transaction(db):
        drop_orphan_evaluations(db, forget_document(db, removed.source.sha256))
    assert _all_right(db)
    assert _counts(db)["cited"] < before["cited"] - 1

    load_published(db)  # scores from the municipalities' own pages: other sources of some cells
    assert _all_right(db)
    db.close()


def test_the_migration_fills_the_aggregates_from_the_rows_already_loaded(tmp_path, analyses):
    path = tmp_path / "old.db"
    import sqlite_utils

    db = sqlite_utils.Database(path)
    migrate(db, target=9)
    for analysis in analyses[:20]:
        load_analysis(db, analysis)
    assert "chosen_cells" not in db.table_names()
    db.close()
    db = open_database(path)
    assert schema_version(db) == 10
    assert _all_right(db)
    assert _counts(db)["cells"] > 8 * 20
    db.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory, analyses):
    path = tmp_path_factory.mktemp("canned") / "kommunkompassen.db"
    db = open_database(path)
    for analysis in analyses:
        load_analysis(db, analysis)
    load_published(db)
    db.close()
    return path


def _with_words_of(path, query: str) -> list[dict]:
    """Parameter sets searching for words the database holds (as `make bench` picks them), on three pages."""
    sample = sample_parameters(path).get(query, {})
    word = {"findings_with_word": "ord", "search_sentences": "q"}.get(query)
    if not word:
        return []
    return [{**dict.fromkeys(PARAMETERS[query][0], ""), **sample, word: text, "sida": sida}
            for text in (sample[word], sample[word][:4], f"{sample[word]} OR gott") for sida in ("", "2", "3")]


def _connections(path):
    from outputs.datasette_research import prepare_connection

    old, new = (sqlite3.connect(f"file:{path}?mode=ro", uri=True) for _ in range(2))
    for conn in (old, new):
        prepare_connection(conn)
    use_views_before(old)
    return old, new


PARAMETERS = {
    "good_examples_for_area": [
        {"omrade": omrade, "typ": typ, "sida": sida}
        for omrade in ("", "1", "7", " 3 ", "personalpolitik", "Demokrati och öppenhet", "leadership", "exempel",
                       "ingetsådantord")
        for typ in ("", "citerad", "egen", "cited", "own", "x")
        for sida in ("", "2")],
    "most_cited_municipalities": [
        {"omrade": omrade, "sida": sida}
        for omrade in ("", "1", "8", "personalpolitik", "Samhällsbyggande", "democracy", "ingetsådantord", "och",
                       "kommun", "e")
        for sida in ("", "1", "2", "x")],
    "top_and_bottom_per_area": [
        {"ramverk": ramverk, "omrade": omrade, "n": n}
        for ramverk in ("2002-2009", "2010-2019", "2020-", "1999")
        for omrade in ("1", "4", "8", "9", "", "x")
        for n in ("1", "3", "20", "1000", "0", "-2", "", "x")],
    "findings_with_word": [
        {"ord": ord_, "typ": typ, "kommun": kommun, "sida": sida}
        for ord_ in SEARCHES for typ in ("", "styrka", "improvement") for kommun in ("", "Fagersta", "0180")
        for sida in ("", "2", "x")],
    "search_sentences": [{"q": q, "kommun": kommun, "sida": sida}
                         for q in SEARCHES for kommun in ("", "Stockholm") for sida in ("", "2", "3")],
    "search_good_examples": [{"q": q, "kommun": kommun, "sida": sida}
                             for q in SEARCHES for kommun in ("", "Stockholm") for sida in ("", "2", "-1")],
}


@pytest.mark.parametrize("query", CHANGED)
def test_the_new_sql_returns_exactly_the_old_rows(built, query):
    new_sql = canned_queries(built)[query]["sql"]
    old_sql = queries_before({query: new_sql})[query]
    assert old_sql != new_sql
    old, new = _connections(built)
    nonempty = 0
    try:
        for params in PARAMETERS[query] + _with_words_of(built, query):
            expected = old.execute(old_sql, params).fetchall()
            found = new.execute(new_sql, params).fetchall()
            # top_and_bottom orders by score and name: two evaluations of one municipality may tie
            same = sorted(found) == sorted(expected) if query == "top_and_bottom_per_area" else found == expected
            assert same, f"{query} {params}: {len(found)} rows, expected {len(expected)}"
            nonempty += bool(expected)
    finally:
        old.close()
        new.close()
    assert nonempty >= 10, "too few parameter sets with rows to compare"


def test_topic_words_are_read_once_per_query_with_the_same_answer_and_bounds():
    from db.search import MAX_INPUT_CHARS, MAX_TERMS
    from extractors.lemmas import WORD, lemma_of
    from outputs.datasette_research import _topic_starts, topic_match

    def by_definition(topic, words):
        wanted = WORD.findall(str(words or "")[:MAX_INPUT_CHARS])[:MAX_TERMS]
        padded = " " + str(topic or "").casefold()
        return int(bool(topic) and bool(wanted) and all(
            f" {w.casefold()}" in padded or f" {lemma_of(w).casefold()}" in padded for w in wanted))

    topics = ["medborgardialog budget styrning", "Kommunen e-tjänst skola", "", None, "städer stad"]
    words = ["medborgardialog", "budgeten styr", "e-tjänst", "E", "Städer", "", None, "x " * 5000, "stad NOT"]
    for topic in topics:
        for text in words:
            assert topic_match(topic, text) == by_definition(topic, text), (topic, text)
    import time

    start = time.perf_counter()
    assert topic_match("a " * 1000, "a" * 1_000_000) == 0  # read up to MAX_INPUT_CHARS, as the search is
    assert time.perf_counter() - start < 0.5
    assert _topic_starts.cache_info().maxsize == 64
