"""Creating and upgrading the schema: versions, migrations, column types, full-text tokenizer."""
from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from db.migrations import LATEST_VERSION, MIGRATIONS, migrate, schema_version
from db.schema import NotADatabase, SchemaTooNew, open_database
from db.views import VIEWS
from tests.test_db_support import dump, integrity, integrity_after, rows  # noqa: F401

pytestmark = pytest.mark.usefixtures("integrity_after")


def test_new_database_is_at_the_latest_version(tmp_path):
    path = tmp_path / "new.db"
    open_database(path).close()
    assert rows(path, "PRAGMA user_version") == [(LATEST_VERSION,)]
    assert rows(path, "SELECT version, name FROM schema_migrations ORDER BY version") == [
        (m.version, m.name) for m in MIGRATIONS]
    assert sorted(r[0] for r in rows(path, "SELECT name FROM sqlite_master WHERE type = 'view'")) == sorted(VIEWS)
    assert integrity(path) == "ok"


def test_upgrade_from_version_1_keeps_the_data(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    assert migrate(old, target=1) == [1]
    old["documents"].insert({"sha256": "f" * 64, "kind": "report", "filename": "old.pdf", "extractor_version": "0"})
    old["evaluations"].insert({"id": "1982-2005", "kommunkod": "1982", "kommun": "Fagersta", "year": 2005,
                               "document": "f" * 64})
    old["findings"].insert({"document": "f" * 64, "seq": 1, "evaluation": "1982-2005", "area": 1,
                            "kind": "strength", "text": "Tydlig målstyrning"})
    old.close()
    assert rows(path, "PRAGMA user_version") == [(1,)]
    assert rows(path, "SELECT count(*) FROM sqlite_master WHERE name = 'sentences'") == [(0,)]

    db = open_database(path)
    assert schema_version(db) == LATEST_VERSION
    assert db["sentences"].exists() and db["sentences_fts"].exists() and db["findings_fts"].exists()
    assert [r["text"] for r in db.query(
        "SELECT f.text FROM findings_fts JOIN findings f ON f.rowid = findings_fts.rowid "
        "WHERE findings_fts MATCH 'målstyrning'")] == ["Tydlig målstyrning"]  # indexed by the upgrade
    db.close()
    assert rows(path, "SELECT id, kommun, year FROM evaluations") == [("1982-2005", "Fagersta", 2005)]
    assert rows(path, "SELECT version FROM schema_migrations ORDER BY version") == [(m.version,) for m in MIGRATIONS]
    assert integrity(path) == "ok"


def test_upgrade_from_version_2_gives_row_ids_labels_and_lemma_search(tmp_path):
    path = tmp_path / "v2.db"
    old = sqlite_utils.Database(path)
    assert migrate(old, target=2) == [1, 2]
    old["documents"].insert({"sha256": "e" * 64, "kind": "report", "filename": "old.pdf", "extractor_version": "0"})
    old["evaluations"].insert({"id": "0686-2008", "kommunkod": "0686", "kommun": "Eksjö", "year": 2008,
                               "document": "e" * 64})
    old["findings"].insert_all([{"document": "e" * 64, "seq": i, "evaluation": "0686-2008", "area": 1,
                                 "kind": "strength", "text": text}
                                for i, text in enumerate(["Medborgardialogen är god", "Öppna möten"], 1)])
    old["sentences"].insert({"document": "e" * 64, "seq": 1, "evaluation": "0686-2008", "text": "Kommunen får beröm.",
                             "lemmas": "kommun få beröm"})
    old.close()

    db = open_database(path)
    assert db["findings"].pks == ["id"] and db["sentences"].pks == ["id"] and db["area_scores"].pks == ["id"]
    db.close()
    assert rows(path, "SELECT id, seq, text FROM findings ORDER BY id") == [
        (1, 1, "Medborgardialogen är god"), (2, 2, "Öppna möten")]
    assert rows(path, "SELECT label, report_no FROM evaluations") == [("Eksjö 2008", 1)]
    assert rows(path, "SELECT f.seq FROM findings_fts JOIN findings f ON f.rowid = findings_fts.rowid "
                      "WHERE findings_fts MATCH '\"medborgardialog\"'") == [(1,)]  # through the lemma
    assert rows(path, "SELECT s.seq FROM sentences_fts JOIN sentences s ON s.rowid = sentences_fts.rowid "
                      "WHERE sentences_fts MATCH 'får'") == [(1,)]
    with pytest.raises(sqlite3.IntegrityError):  # the old key stays unique: loading twice cannot duplicate
        conn = sqlite3.connect(path)
        conn.execute("INSERT INTO findings (document, seq, kind, text) VALUES (?, 1, 'strength', 'x')", ["e" * 64])
    conn.close()
    assert integrity(path) == "ok"


def test_labels_follow_the_evaluation(tmp_path):
    path = tmp_path / "k.db"
    db = open_database(path)
    db["evaluations"].insert({"id": "2184-2014", "kommunkod": "2184", "kommun": "Hudiksvall", "year": 2014})
    db["evaluations"].insert({"id": "2184-2014-2", "kommunkod": "2184", "kommun": "Hudiksvall", "year": 2014,
                              "report_no": 2})
    db.close()
    assert rows(path, "SELECT id, label FROM evaluations ORDER BY id") == [
        ("2184-2014", "Hudiksvall 2014"), ("2184-2014-2", "Hudiksvall 2014 (2)")]


def test_reopening_changes_nothing(tmp_path):
    path = tmp_path / "k.db"
    open_database(path).close()
    before = dump(path)
    open_database(path).close()
    assert dump(path) == before


def test_failed_migration_rolls_back_its_step(tmp_path):
    path = tmp_path / "k.db"
    db = sqlite_utils.Database(path)
    migrate(db, target=1)
    db["sentences"].create({"clash": str})  # a table the next step wants to create
    before = dump(path)
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        migrate(db)
    db.close()
    assert rows(path, "PRAGMA user_version") == [(1,)]
    assert dump(path) == before


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNew, match="newer than this program"):
        open_database(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(NotADatabase):
        open_database(path)


def test_column_types_and_keys(tmp_path):
    path = tmp_path / "k.db"
    db = open_database(path)
    assert db["municipalities"].columns_dict["kommunkod"] is str
    assert db["evaluations"].columns_dict["kommunkod"] is str
    assert db["good_examples"].columns_dict["kommunkod"] is str
    assert db["area_scores"].pks == ["id"] and db["question_scores"].pks == ["id"]  # short row keys
    unique = {table: [tuple(index.columns) for index in db[table].indexes if index.unique]
              for table in ("area_scores", "question_scores")}
    assert unique == {"area_scores": [("evaluation", "area", "source", "provenance")],
                      "question_scores": [("document", "question")]}
    assert db["documents"].pks == ["sha256"]
    assert {fk.other_table for fk in db["area_scores"].foreign_keys} == {"evaluations", "frameworks", "documents"}
    db.close()


def test_full_text_keeps_swedish_letters_apart(tmp_path):
    path = tmp_path / "k.db"
    db = open_database(path)
    assert "remove_diacritics 0" in db["sentences_fts"].schema
    db["documents"].insert({"sha256": "a" * 64, "kind": "report", "filename": "x.pdf", "extractor_version": "1"})
    db["sentences"].insert_all([
        {"document": "a" * 64, "seq": 1, "text": "Kommunen får beröm.", "lemmas": "kommun få beröm"},
        {"document": "a" * 64, "seq": 2, "text": "Vi far till Fagersta.", "lemmas": "vi fara till Fagersta"}])
    match = "SELECT s.seq FROM sentences_fts JOIN sentences s ON s.rowid = sentences_fts.rowid WHERE sentences_fts MATCH ?"
    assert [r[0] for r in db.execute(match, ["får"])] == [1]
    assert [r[0] for r in db.execute(match, ["far"])] == [2]
    assert [r[0] for r in db.execute(match, ["FÅR"])] == [1]
    assert [r[0] for r in db.execute(match, ["lemmas:fara"])] == [2]
    db.close()
