"""Trigram index or compound parts? Both measured on a built database (`python -m db.search_bench DB`).

A copy of the database gets a trigram FTS5 index over the sentences (text, lemmas) beside the project's
index (unicode61 over text, lemmas and compound parts, db/search_schema.py) and the index as it was before
compound parts (text, lemmas); the sizes of the three (dbstat) and the median time of a few searches are
printed. For `make bench`-like figures use the 1,000-evaluation database of benchmarks/query_bench.py.
"""
from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("budget", "budgetar", "medborgardialog", "e-tjänster", "information", "kommun")


def _size(conn: sqlite3.Connection, prefix: str) -> float:
    return conn.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?",
                        [prefix + "%"]).fetchone()[0] / 1e6


def _median_ms(conn: sqlite3.Connection, sql: str, argument: str, repeats: int = 9) -> tuple[int, float]:
    times, count = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        count = conn.execute(sql, [argument]).fetchone()[0]
        times.append(time.perf_counter() - start)
    return count, round(statistics.median(times) * 1000, 1)


def measure(db_path: Path) -> dict[str, float]:
    from db.search import _lemma, fts_expression

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        shutil.copy(db_path, copy)
        conn = sqlite3.connect(copy)
        figures["sentences"] = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
        figures["parts_column_mb"] = round(conn.execute(
            "SELECT coalesce(sum(length(parts)), 0) FROM sentences").fetchone()[0] / 1e6, 1)
        figures["index_parts_mb"] = round(_size(conn, "sentences_fts"), 1)
        for name, tokenizer in (("plain", "unicode61 remove_diacritics 0"), ("trigram", "trigram")):
            start = time.perf_counter()
            conn.execute(f"CREATE VIRTUAL TABLE s_{name} USING fts5(text, lemmas, tokenize='{tokenizer}', "
                         "content='sentences', content_rowid='id')")
            conn.execute(f"INSERT INTO s_{name}(s_{name}) VALUES('rebuild')")
            conn.commit()
            figures[f"index_{name}_build_s"] = round(time.perf_counter() - start, 1)
            figures[f"index_{name}_mb"] = round(_size(conn, f"s_{name}"), 1)
        for word in WORDS:
            parts = _median_ms(conn, "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?",
                               fts_expression(word))
            substring = " OR ".join(f'"{w}"' for w in dict.fromkeys((word, _lemma(word))) if len(w) >= 3)
            trigram = _median_ms(conn, "SELECT count(*) FROM s_trigram WHERE s_trigram MATCH ?", substring)
            figures[f"{word}_parts_hits"], figures[f"{word}_parts_ms"] = parts
            figures[f"{word}_trigram_hits"], figures[f"{word}_trigram_ms"] = trigram
        conn.close()
    return figures


if __name__ == "__main__":
    for key, value in measure(Path(sys.argv[1])).items():
        print(f"{key}={value}")
