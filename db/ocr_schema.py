"""Migration 7: which pages OCR read, how sure it was of each record, and numbers OCR could not verify
left empty (never stored as if they were right)."""
from __future__ import annotations

import re

import sqlite_utils

TEXT, REAL = str, float
OCR_CONFIDENCE_TABLES = ("area_scores", "question_scores", "findings")


def _allow_empty(db: sqlite_utils.Database, table: str, columns: tuple[str, ...]) -> None:
    """Rebuild `table` from its own SQL with NOT NULL dropped from `columns` (rows, keys and indexes kept)."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
    for column in columns:
        sql = re.sub(rf"(\[{column}\] \w+) NOT NULL", r"\1", sql)
    indexes = [row[0] for row in db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table])]
    names = ", ".join(f"[{c.name}]" for c in db[table].columns)
    db.execute(re.sub(r'^CREATE TABLE\s+("[^"]+"|\[[^\]]+\]|\S+)', f"CREATE TABLE [{table}__new]", sql, count=1))
    db.execute(f"INSERT INTO [{table}__new] ({names}) SELECT {names} FROM [{table}]")
    db.execute(f"DROP TABLE [{table}]")
    db.execute(f"ALTER TABLE [{table}__new] RENAME TO [{table}]")
    for index in indexes:
        db.execute(index)


def ocr_provenance(db: sqlite_utils.Database) -> None:
    for view in [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]:
        db.execute(f"DROP VIEW [{view}]")  # recreated by db.views on open; a table rebuild checks every view
    db["documents"].add_column("ocr_pages", TEXT)
    for table in OCR_CONFIDENCE_TABLES:
        db[table].add_column("ocr_confidence", REAL)
    _allow_empty(db, "question_scores", ("max_points", "points"))
