"""The pipeline's speed-ups change no result.

- `kompass load --workers 2` (a worker gets its next report before the loader writes the last one; each
  worker keeps the sentences it tagged) writes the same rows as loading the same reports one by one in
  this process, in the opposite order (so the tagged-sentence cache holds other sentences at each report).
- A tagged sentence taken from the cache is the doc a fresh tagging gives.
- A numbered heading's area is judged as `area_score` judges it; findings' column edges are the widest
  line starting within 40 points; a name no Swedish municipality has is found in the further lists as a
  scan of them finds it.
"""
from __future__ import annotations

import re
import subprocess

import pytest

from tests.serving_support import KOMPASS, ROOT
from tests.synthetic.generate import generate
from tests.test_db_support import content


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("speed"), 3, seed=0, wording="seed")


@pytest.mark.timeout(600)
def test_workers_load_the_rows_one_process_loads(reports, tmp_path):
    from db.batch import load_files
    from db.schema import open_database

    with_workers = tmp_path / "workers.db"
    run = subprocess.run([*KOMPASS, "load", *map(str, reports), "--db", str(with_workers), "--workers", "2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=500)
    assert run.returncode == 0, run.stderr
    assert f"{len(reports)} loaded, 0 unchanged, 0 failed" in run.stdout
    one_by_one = tmp_path / "one-by-one.db"
    db = open_database(one_by_one)
    try:
        for path in reversed(reports):
            summary = load_files(db, [path])
            assert len(summary.loaded) == 1, summary.failed
    finally:
        db.close()
    loaded, expected = content(with_workers), content(one_by_one)
    assert loaded["sentences"] and loaded["good_examples"] and loaded["area_scores"]
    assert loaded == expected


def _doc_facts(doc):
    return ([(t.text, t.pos_, str(t.morph), t.lemma_, t.is_sent_start) for t in doc],
            [(e.text, e.label_, e.ent_id_) for e in doc.ents],
            [(s.text, s.label_) for s in doc.spans["names"]])


def test_a_cached_tagged_sentence_is_what_a_fresh_tagging_gives():
    from extractors.swedish import load_nlp, tag_texts

    texts = ["Kommunen kan studera hur Helsingfors stad arbetar med e-tjänster.",
             "Som i Umeå kommun har man infört medborgarlöften.",
             "Mark är viktig för Tierp och Ale."]
    first = tag_texts(texts)
    again = tag_texts([texts[1], texts[2], texts[1]])
    assert again[0] is first[1] and again[1] is first[2] and again[2] is first[1]
    fresh = load_nlp()
    for text, doc in zip(texts, first):
        assert _doc_facts(doc) == _doc_facts(fresh(text))


def test_a_numbered_heading_names_its_area_as_area_score_says(real_report):
    from extractors.document import read_document
    from extractors.frameworks import names_area
    from extractors.tables.matcher import area_score

    heading = re.compile(r"^(?:(?:Huvud)?[Oo]mråde\s+|HUVUDOMRÅDE\s+|OMRÅDE\s+|\d\.)?([1-8])\.?\s*[:.–-]?\s+(\S.{2,80})$")
    titles = {m.group(2) for page in read_document(real_report).pages for line in page.lines
              if (m := heading.match(line.text.strip()))}
    titles |= {"Politisk styrning och kontroll", "Politisk styrning", "Personalpolitik", "Kvalitetsutveckling"}
    assert len(titles) > 20
    verdicts = set()
    for title in sorted(titles):
        for number in range(1, 9):
            for threshold in (0.5, 0.82):
                verdict = names_area(title, number, threshold)
                assert verdict == (area_score(title, number) >= threshold), (title, number, threshold)
                verdicts.add(verdict)
    assert verdicts == {True, False}


def test_findings_column_edges_are_the_widest_line_starting_near(real_report):
    from extractors.document import read_document
    from extractors.findings import _right_edges

    pages = [page for page in read_document(real_report).pages if page.lines]
    for page in pages:
        spans = [(line.x0, line.x1) for line in page.lines]
        expected = [max(right for left, right in spans if abs(left - x0) < 40) for x0, _ in spans]
        assert _right_edges(page.lines) == expected, page.number


def test_a_name_abroad_is_found_as_a_scan_of_the_further_lists_finds_it(tmp_path):
    from extractors.gazetteer import _fold, load_places, lookup_place

    nordic = tmp_path / "nordic.csv"
    nordic.write_text("country,code,name,other_names\nNO,3909,Larvik,\nFI,091,Helsingfors,Helsinki\n"
                      "DK,0101,København,Köpenhamn\nNO,0301,Oslo,\nFI,0301,Oslo,\n", encoding="utf-8")
    index = load_places([nordic])
    for text in ("Larvik", "Larviks kommune", "Helsinki", "KÖPENHAMN", "Oslo", "Bergen", "Mölndal", "Fagersta"):
        scanned = next((place for (_, form), place in index.items() if form == _fold(text)), None)
        found = lookup_place(text, paths=[nordic])
        if found is None or found.country != "SE":
            assert found == scanned, text
    assert lookup_place("Oslo", paths=[nordic]).country == "NO"  # the first list row that has the name
