"""Serving the database while the pipeline writes to it: mutable, read-only, bounded (Datasette).

The file is in WAL mode (see db/store.py) and served as a mutable database through read-only
connections (`mode=ro`, `query_only`): every query reads one committed snapshot, so a page shows
a new evaluation as soon as its transaction commits and never half of one. Datasette cannot write
to it (a write connection is refused). Memory per query is bounded: a value may not exceed
MAX_VALUE_BYTES (`select zeroblob(400000000)` is an error, not 5 GB of server memory), the rows one
query returns may not add up to more than MAX_RESULT_BYTES, queries stop after
`sql_time_limit_ms`, and at most `max_returned_rows` rows come back.
"""
from __future__ import annotations

import sqlite3
import sys
import weakref
from pathlib import Path

from datasette import hookimpl
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

from db.datasette import DatabaseMissing, database_name

MAX_VALUE_BYTES = 1_000_000  # the longest value a query may produce (a report's longest text is ~10 kB)
MAX_RESULT_BYTES = 50_000_000  # what the rows of one query may hold in the server's memory together
SETTINGS = {
    "max_returned_rows": 1000,
    "sql_time_limit_ms": 1000,
    "facet_time_limit_ms": 200,
    "num_sql_threads": 3,
    "max_csv_mb": 50,
    "default_cache_ttl": 0,  # pages change whenever a load commits: browsers must ask again
    "allow_download": False,
}


class ReadOnlyDatabase(Database):
    """A mutable database Datasette reads through `mode=ro` connections and never writes."""

    def connect(self, write: bool = False) -> sqlite3.Connection:
        if write:
            raise PermissionError(f"{self.path}: served read-only; the pipeline is its only writer")
        conn = super().connect(write=False)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        conn.execute("PRAGMA query_only = 1")
        return conn


class ResultTooLarge(sqlite3.OperationalError):
    """The rows of one query hold more than MAX_RESULT_BYTES (Datasette shows it as a query error)."""


def _size(value) -> int:
    return len(value) + 16 if isinstance(value, (str, bytes)) else 16


class RowBudget:
    """A row factory that counts the bytes each query's rows hold and stops the query past the budget."""

    def __init__(self, budget: int = MAX_RESULT_BYTES) -> None:
        self.budget = budget
        self.spent: weakref.WeakKeyDictionary[sqlite3.Cursor, int] = weakref.WeakKeyDictionary()

    def __call__(self, cursor: sqlite3.Cursor, row: tuple) -> sqlite3.Row:
        spent = self.spent.get(cursor, 0) + sum(map(_size, row))
        if spent > self.budget:
            raise ResultTooLarge(f"the result is larger than {self.budget // 1_000_000} MB; "
                                 "select fewer rows or shorter values")
        self.spent[cursor] = spent
        return sqlite3.Row(cursor, row)


@hookimpl(trylast=True)
def prepare_connection(conn, database, datasette):
    """Bound every read connection of a served file (after Datasette set its own row factory)."""
    if isinstance(datasette.databases.get(database), ReadOnlyDatabase):
        conn.row_factory = RowBudget()


def ensure_wal(path: Path) -> str:
    """Put the file in WAL mode if it is writable (older databases); returns the journal mode."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as error:
            if "locked" in str(error):  # a writer is busy; it sets WAL itself (db/store.py)
                return "wal"
            return conn.execute("PRAGMA journal_mode").fetchone()[0]  # read-only: serve it as it is
    except sqlite3.DatabaseError as error:
        raise DatabaseMissing(f"{path}: not an SQLite database ({error})") from None
    finally:
        conn.close()


def serving_datasette(path: Path, metadata: dict) -> Datasette:
    """Datasette over the file (in WAL mode: `ensure_wal`): mutable, read-only, bounded (this module's
    limits registered once)."""
    if not pm.is_registered(sys.modules[__name__]):
        pm.register(sys.modules[__name__], name="kompass_limits")
    ds = Datasette(metadata=metadata, settings=SETTINGS)
    ds.remove_database("_memory")  # added when no file is given: only the served file is queried
    ds.add_database(ReadOnlyDatabase(ds, path=str(path), is_mutable=True), name=database_name(path))
    return ds
