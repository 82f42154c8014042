"""Schema steps that make the database readable for a researcher (migrations 4–6, see db/migrations.py).

4. Row keys a person can read: the tables whose rows a document gives were keyed by the document's
   64-character sha256 plus a number; each gets an integer `id` (Datasette's row link) and keeps the
   old key as a UNIQUE constraint, so loading stays idempotent.
5. One evaluation per report: `evaluations.label` ("Fagersta 2009", kept by triggers whoever writes the
   row) and `report_no` (a second, different report of the same municipality and year); documents get
   the content fingerprint that recognises the same report in another file (`content_hash`,
   `same_report_as`), the path it was loaded from, and when; `build_info` says when and by which version
   the database was last written.
6. Swedish search and names: findings get a `lemmas` column in their full-text index (so the search box
   finds "medborgardialogen" for "medborgardialog"); themes get a Swedish `name`.
"""
from __future__ import annotations

import sqlite_utils

TEXT, INTEGER = str, int
SWEDISH_FTS = "unicode61 remove_diacritics 0"  # as in db/migrations.py: å/ä/ö stay distinct

# Table → the columns of its old primary key (kept UNIQUE).
KEYED_BY_DOCUMENT = {
    "evaluators": ("document", "seq"),
    "question_scores": ("document", "question"),
    "findings": ("document", "seq"),
    "good_examples": ("document", "seq"),
    "sentences": ("document", "seq"),
    "checks": ("document", "name"),
    "warnings": ("document", "seq"),
    "area_scores": ("evaluation", "area", "source", "provenance"),
    "evaluation_sources": ("evaluation", "source", "provenance"),
    "page_figures": ("document", "seq"),
}
FTS_COLUMNS = {"sentences": ("text", "lemmas"), "findings": ("text",)}
LABEL_SQL = ("{row}.kommun || ' ' || {row}.year || "
             "CASE WHEN COALESCE({row}.report_no, 1) > 1 THEN ' (' || {row}.report_no || ')' ELSE '' END")


def _quote(name: str) -> str:
    return f"[{name}]"


def drop_fts(db: sqlite_utils.Database, table: str) -> None:
    for suffix in ("_ai", "_ad", "_au"):
        db.execute(f"DROP TRIGGER IF EXISTS [{table}{suffix}]")
    db.execute(f"DROP TABLE IF EXISTS [{table}_fts]")


def create_fts(db: sqlite_utils.Database, table: str, columns: tuple[str, ...]) -> None:
    """An external-content FTS5 index kept by triggers, as sqlite-utils writes it (Datasette finds it),
    built with plain statements so that it stays inside the migration's transaction."""
    cols = ", ".join(_quote(c) for c in columns)
    new = ", ".join(f"new.{_quote(c)}" for c in columns)
    old = ", ".join(f"old.{_quote(c)}" for c in columns)
    fts = _quote(f"{table}_fts")
    db.execute(f"CREATE VIRTUAL TABLE {fts} USING FTS5 ({cols}, tokenize='{SWEDISH_FTS}', content=[{table}])")
    db.execute(f"INSERT INTO {fts} (rowid, {cols}) SELECT rowid, {cols} FROM [{table}]")
    db.execute(f"CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN "
               f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new}); END")
    db.execute(f"CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN "
               f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES('delete', old.rowid, {old}); END")
    db.execute(f"CREATE TRIGGER [{table}_au] AFTER UPDATE ON [{table}] BEGIN "
               f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES('delete', old.rowid, {old}); "
               f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new}); END")


def _column_sql(column) -> str:
    sql = f"{_quote(column.name)} {column.type or ''}".strip()
    if column.notnull:
        sql += " NOT NULL"
    if column.default_value is not None:
        sql += f" DEFAULT {column.default_value}"
    return sql


def _with_integer_id(db: sqlite_utils.Database, table: str, unique: tuple[str, ...]) -> None:
    """Rebuild `table` with `id INTEGER PRIMARY KEY` (its old rowids) and UNIQUE(old key); every column,
    foreign key and index it had is kept (whatever later steps of other features added)."""
    t = db[table]
    columns = [c for c in t.columns if c.name != "id"]
    names = ", ".join(_quote(c.name) for c in columns)
    fks = [f"FOREIGN KEY ({_quote(fk.column)}) REFERENCES {_quote(fk.other_table)}({_quote(fk.other_column)})"
           for fk in t.foreign_keys]
    indexes = [row[0] for row in db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table])]
    body = ",\n  ".join(["[id] INTEGER PRIMARY KEY", *map(_column_sql, columns), *fks,
                         f"UNIQUE ({', '.join(map(_quote, unique))})"])
    db.execute(f"CREATE TABLE [{table}__new] (\n  {body}\n)")
    db.execute(f"INSERT INTO [{table}__new] (id, {names}) SELECT rowid, {names} FROM [{table}] ORDER BY rowid")
    db.execute(f"DROP TABLE [{table}]")
    db.execute(f"ALTER TABLE [{table}__new] RENAME TO [{table}]")
    for sql in indexes:
        db.execute(sql)


def readable_row_keys(db: sqlite_utils.Database) -> None:
    """Migration 4: an integer `id` as the row key of every table a document's rows go to."""
    for view in [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]:
        db.execute(f"DROP VIEW [{view}]")  # recreated by db.views on open; a rename checks every view
    for table in FTS_COLUMNS:
        drop_fts(db, table)
    for table, unique in KEYED_BY_DOCUMENT.items():
        if db[table].exists():
            _with_integer_id(db, table, unique)
    for table, columns in FTS_COLUMNS.items():
        create_fts(db, table, columns)


def evaluation_identity(db: sqlite_utils.Database) -> None:
    """Migration 5: labels, report numbers, content fingerprints, document paths and build info."""
    evaluations, documents = db["evaluations"], db["documents"]
    evaluations.add_column("label", TEXT)
    evaluations.add_column("report_no", INTEGER)
    db.execute("UPDATE evaluations SET report_no = 1")
    db.execute(f"UPDATE evaluations SET label = {LABEL_SQL.format(row='evaluations')}")
    db.execute(f"""CREATE TRIGGER evaluations_label_ai AFTER INSERT ON evaluations BEGIN
        UPDATE evaluations SET label = {LABEL_SQL.format(row='new')} WHERE id = new.id; END""")
    db.execute(f"""CREATE TRIGGER evaluations_label_au AFTER UPDATE OF kommun, year, report_no ON evaluations
        BEGIN UPDATE evaluations SET label = {LABEL_SQL.format(row='new')} WHERE id = new.id; END""")
    for column in ("content_hash", "same_report_as", "path", "loaded_at"):
        documents.add_column(column, TEXT)
    db.execute("CREATE INDEX IF NOT EXISTS documents_content_hash ON documents (content_hash)")
    db.execute("CREATE INDEX IF NOT EXISTS evaluations_kommunkod ON evaluations (kommunkod, year)")
    db.execute("CREATE INDEX IF NOT EXISTS evaluations_kommun ON evaluations (kommun COLLATE NOCASE)")
    db.execute("CREATE INDEX IF NOT EXISTS area_scores_cell_score ON area_scores (evaluation, area, score)")
    db.execute("CREATE INDEX IF NOT EXISTS area_scores_framework_area ON area_scores (framework, area, evaluation)")
    from db.views import precedence_sql  # the chosen score of a cell is the first row in this order

    db.execute("CREATE INDEX IF NOT EXISTS area_scores_precedence ON area_scores "
               f"(evaluation, area, {precedence_sql('source')}, COALESCE(provenance, ''), source)")
    db.execute("CREATE INDEX IF NOT EXISTS good_examples_area ON good_examples (framework, area)")
    db.execute("CREATE INDEX IF NOT EXISTS good_examples_kind ON good_examples (kind)")  # (kind, rowid) order
    db.execute("CREATE INDEX IF NOT EXISTS good_examples_cited ON good_examples "
               "(kind, kommunkod, kommun, evaluation, framework, area)")
    db["build_info"].create({"key": TEXT, "value": TEXT}, pk="key")


def swedish_search_and_names(db: sqlite_utils.Database) -> None:
    """Migration 6: lemmas in the findings' full-text index; Swedish theme names."""
    from extractors.lemmas import lemma_words

    db["themes"].add_column("name", TEXT)
    drop_fts(db, "findings")
    db["findings"].add_column("lemmas", TEXT)
    rows = db.execute("SELECT rowid, text FROM findings").fetchall()
    db.conn.executemany("UPDATE findings SET lemmas = ? WHERE rowid = ?",
                        [(lemma_words(text or ""), rowid) for rowid, text in rows])
    create_fts(db, "findings", ("text", "lemmas"))
