"""Migration 8: search that understands Swedish compounds, and good examples in a search index of their own.

Sentences, findings and good examples get a `parts` column (the lemmas of their compound words' parts,
db/search.py: "kostnadsbudgetering" → "kostnad budgetering"); good examples also get `lemmas`. Each table's
full-text index covers (text, lemmas, parts), kept by triggers as sqlite-utils writes them, so Datasette's
search box finds it. Rows loaded later get their parts from db/load.py; a row written by another tool without
them is still found by its words and lemmas.
"""
from __future__ import annotations

import sqlite_utils

from db.researcher_schema import create_fts, drop_fts

TEXT = str
SEARCH_COLUMNS = {"sentences": ("text", "lemmas", "parts"), "findings": ("text", "lemmas", "parts"),
                  "good_examples": ("sentence", "lemmas", "parts")}
# bm25 weight of each indexed column: a word as written counts most, a compound's part least.
WEIGHTS = (4.0, 2.0, 1.0)


def search_index(db: sqlite_utils.Database) -> None:
    from db.search import parts_words
    from extractors.lemmas import lemma_words

    for view in [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]:
        db.execute(f"DROP VIEW [{view}]")  # recreated by db.views on open
    for table, (text, *_rest) in SEARCH_COLUMNS.items():
        drop_fts(db, table)
        columns = {c.name for c in db[table].columns}
        if "lemmas" not in columns:
            db[table].add_column("lemmas", TEXT)
        db[table].add_column("parts", TEXT)
        rows = db.execute(f"SELECT rowid, [{text}], lemmas FROM [{table}]").fetchall()
        db.conn.executemany(f"UPDATE [{table}] SET lemmas = ?, parts = ? WHERE rowid = ?", [
            (lemmas if lemmas is not None else lemma_words(value or ""), parts_words(value), rowid)
            for rowid, value, lemmas in rows])
        create_fts(db, table, SEARCH_COLUMNS[table])
