"""Opening the database: create or upgrade the schema, refresh reference data and views."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from db.collation import register as register_collation
from db.frameworks import area_rows, framework_rows, theme_rows
from db.migrations import LATEST_VERSION, migrate, schema_version
from db.store import WRITE_WAIT_S, prepare_writer, write_transaction
from db.views import create_views
from extractors.municipalities import all_municipalities
from kompass.errors import KompassError

# Sources of an area score, most trusted first (see db/views.py for the precedence they get).
REPORT = "report"
COMPARISON_TABLE = "comparison_table"
PUBLISHED_PAGE = "published_page"
NEWS = "news"  # a result quoted on a page that is not the municipality's own (a newspaper, a blog)
SOURCES = (REPORT, COMPARISON_TABLE, PUBLISHED_PAGE, NEWS)


class SchemaTooNew(KompassError):
    """The database was written by a newer version of this program."""


class NotADatabase(KompassError):
    """The path exists but is not an SQLite database."""


def open_database(path: str | Path, wait_s: float = WRITE_WAIT_S) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path`, upgraded to the latest schema.

    The file is put in WAL mode; upgrading happens under the write lock (waiting at most `wait_s`
    for another writer), so two processes opening a new file never both create its tables.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    register_collation(db.conn)
    try:
        version = schema_version(db)
    except Exception as error:  # sqlite3.DatabaseError: file is not a database
        db.close()
        from db.store import disk_full, is_disk_full

        if is_disk_full(error, path.parent):
            raise disk_full(path, error) from None
        raise NotADatabase(f"{path}: not an SQLite database ({error})") from error
    if version > LATEST_VERSION:
        db.close()
        raise SchemaTooNew(f"{path}: schema version {version} is newer than this program's "
                           f"{LATEST_VERSION}; upgrade kommunkompassen")
    db.execute("PRAGMA foreign_keys = ON")
    try:
        prepare_writer(db, wait_s)
        try:
            with write_transaction(db):
                _bring_up_to_date(db)
        except sqlite3.OperationalError as error:
            if "readonly" not in str(error):
                raise
            with db.atomic():  # a read-only file: fine as long as it needs no change
                _bring_up_to_date(db)
    except BaseException as error:
        db.close()
        from db.store import disk_full, is_disk_full

        if is_disk_full(error, path.parent):
            raise disk_full(path, error) from None
        raise
    return db


def _bring_up_to_date(db: sqlite_utils.Database) -> None:
    migrate(db)
    refresh_reference_data(db)
    create_views(db)


def municipality_rows() -> list[dict]:
    return [
        {"kommunkod": m.kommunkod, "name": m.name, "county": m.county, "county_code": m.county_code,
         "skr_group": m.group}
        for m in all_municipalities()
    ]


def refresh_reference_data(db: sqlite_utils.Database) -> None:
    """Upsert municipalities, frameworks, themes and areas; unchanged rows stay as they are."""
    for table, rows, pk in (
        ("municipalities", municipality_rows(), "kommunkod"),
        ("frameworks", framework_rows(), "id"),
        ("themes", theme_rows(), "id"),
        ("framework_areas", area_rows(), ("framework", "area")),
    ):
        _upsert_changed(db, table, rows, pk)


def _upsert_changed(db: sqlite_utils.Database, table: str, rows: list[dict], pk) -> None:
    keys = (pk,) if isinstance(pk, str) else pk
    present = {tuple(row[k] for k in keys): row for row in db[table].rows}
    changed = [row for row in rows if present.get(tuple(row[k] for k in keys)) != row]
    if changed:
        db[table].upsert_all(changed, pk=pk)
