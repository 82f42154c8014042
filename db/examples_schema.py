"""Migration 9: good examples keep their context, country and sentence number.

Each good example gets the country of the municipality it names (`country`, ISO code: SE, NO, FI, DK …)
and its national `code` (for Sweden the kommunkod; a Norwegian municipality has no kommunkod), the
number of its sentence among the document's sentences (`sentence_no`, the `seq` of the sentences
table, so the context can be rebuilt from there), the sentences before and after it, the heading of
its paragraph, and its `topic`: the lemmas of the content words of its sentence and its neighbours',
which the theme query (good_examples_for_area) searches and the good examples' full-text index now
covers too (search_good_examples finds an example by its neighbours' words). Rows loaded before this step
get SE and the kommunkod where they have one, and their own sentence's lemmas as topic (their neighbours
were not kept).
"""
from __future__ import annotations

import sqlite_utils

from db.researcher_schema import create_fts, drop_fts

TEXT, INTEGER = str, int
FTS_COLUMNS = ("sentence", "lemmas", "parts", "topic")  # migration 8's, and the topic
COLUMNS = {"country": TEXT, "code": TEXT, "sentence_no": INTEGER, "sentence_before": TEXT,
           "sentence_after": TEXT, "heading": TEXT, "topic": TEXT}


def good_example_context(db: sqlite_utils.Database) -> None:
    from extractors.lemmas import lemma_words

    for view in [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]:
        db.execute(f"DROP VIEW [{view}]")  # recreated by db.views on open
    table = db["good_examples"]
    present = {c.name for c in table.columns}
    for name, kind in COLUMNS.items():
        if name not in present:
            table.add_column(name, kind)
    rows = db.execute("SELECT rowid, kommunkod, sentence FROM good_examples").fetchall()
    db.conn.executemany(
        "UPDATE good_examples SET country = 'SE', code = ?, topic = ? WHERE rowid = ?",
        [(code, lemma_words(sentence or ""), rowid) for rowid, code, sentence in rows])
    db.execute("CREATE INDEX IF NOT EXISTS good_examples_sentence ON good_examples (document, sentence_no)")
    drop_fts(db, "good_examples")
    create_fts(db, "good_examples", tuple(c for c in FTS_COLUMNS if c in {c.name for c in table.columns}))
