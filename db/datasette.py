"""Datasette over a built database: metadata from `db/metadata.yml`; the file is served mutable and
read-only while the pipeline writes to it (db/serving.py).

Every table, view and column gets a Swedish description: those written in metadata.yml, the rest from
the data dictionary (db/dictionary.py). The served metadata also says when the database was built and
by which version of the program.
"""
from __future__ import annotations

import sqlite3
from html import escape
from pathlib import Path

import yaml

from kompass.errors import KompassError

METADATA_FILE = Path(__file__).parent / "metadata.yml"
METADATA_DATABASE = "kommunkompassen"  # the key under `databases:` in metadata.yml
INTERNAL_TABLE_MARKS = ("_fts", "sqlite_")


class DatabaseMissing(KompassError):
    """The database file to serve does not exist."""


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file (its stem)."""
    return Path(db_path).stem


def _schema(db_path: str | Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Columns of every table and view (search indexes left out), and the build_info rows."""
    path = Path(db_path)
    if not path.is_file():
        return {}, {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)  # WAL-aware: not immutable
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        columns = {name: [r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")]
                   for name in names if not any(mark in name for mark in INTERNAL_TABLE_MARKS)}
        build = dict(conn.execute("SELECT key, value FROM build_info").fetchall()) if "build_info" in names else {}
        return columns, build
    except sqlite3.DatabaseError:
        return {}, {}
    finally:
        conn.close()


def _describe_everything(database: dict, columns: dict[str, list[str]]) -> None:
    from db.dictionary import describe

    tables = database.setdefault("tables", {})
    for name, names in columns.items():
        table = tables.setdefault(name, {})
        table.setdefault("description", f"Tabellen {name}")
        described = table.setdefault("columns", {})
        for column in names:
            text = describe(column, name)
            if column not in described and text:
                described[column] = text


def metadata_for(db_path: str | Path) -> dict:
    """metadata.yml with its database section renamed to the served file's name, every column described,
    and the build date and program version added."""
    metadata = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if METADATA_DATABASE in databases:
        databases[database_name(db_path)] = databases.pop(METADATA_DATABASE)
    columns, build = _schema(db_path)
    database = databases.setdefault(database_name(db_path), {})
    _describe_everything(database, columns)
    if build:  # values stored in the database: escaped like every other value rendered in a page
        metadata["description_html"] += (
            f"\n<p>Databasen byggd {escape(str(build.get('built_at', 'okänt datum')))} med kommunkompassen "
            f"{escape(str(build.get('program_version', 'okänd version')))}.</p>")
    return metadata


def canned_queries(db_path: str | Path) -> dict[str, dict]:
    return metadata_for(db_path)["databases"][database_name(db_path)]["queries"]


def make_datasette(db_path: str | Path, pdf_dirs: list[Path] | None = None):
    """A Datasette instance serving the database read-only (mutable, WAL) with the project's metadata.

    `pdf_dirs`: folders where the report PDFs may lie when their recorded path has moved.
    """
    from db.serving import ensure_wal, serving_datasette

    path = Path(db_path)
    if not path.is_file():
        raise DatabaseMissing(f"{path}: no such database; build it with `kompass load … --db {path}`")
    ensure_wal(path)  # before reading the metadata: a file that is not a database fails here, in one line
    metadata = metadata_for(path)
    if pdf_dirs:
        metadata.setdefault("plugins", {})["kompass"] = {"pdf_dirs": [str(Path(d).resolve()) for d in pdf_dirs]}
    return serving_datasette(path, metadata)
