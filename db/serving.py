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

import copy
import os
import sqlite3
import sys
import time
import weakref
from collections import OrderedDict
from pathlib import Path

from datasette import hookimpl
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm
from datasette.utils import escape_sqlite

from db.datasette import DatabaseMissing, database_name

MAX_VALUE_BYTES = 1_000_000  # the longest value a query may produce (a report's longest text is ~10 kB)
MAX_RESULT_BYTES = 50_000_000  # what the rows of one query may hold in the server's memory together
SETTINGS = {
    "max_returned_rows": 1000,
    "sql_time_limit_ms": 1000,
    "facet_time_limit_ms": 200,
    "suggest_facets": False,  # up to 111 queries per table page; the facets in metadata.yml and `_facet=` stay
    "num_sql_threads": 3,
    "max_csv_mb": 50,
    "default_cache_ttl": 0,  # pages change whenever a load commits: browsers must ask again
    "allow_download": False,
}


SCHEMA_QUESTIONS = ("table_names", "view_names", "hidden_table_names", "table_columns", "table_column_details",
                    "primary_keys", "fts_table", "label_column_for_table", "foreign_keys_for_table",
                    "get_all_foreign_keys", "get_table_definition", "get_view_definition", "table_exists")
# Datasette's one query behind every `view-table` check (a table name in SQLite's spelling): 100 SQL-thread
# hops for one index page. Its results (read-only rows) are shared, never changed by Datasette.
SCHEMA_SQL = frozenset({"select name from sqlite_master where type in ('table', 'view') and name = ? collate nocase"})
ANSWERS_REMEMBERED = 4096  # schema answers kept at most (table names come from URLs: any name may be asked)
COUNT_RETRY_S = 30.0
PERMISSIONS_REMEMBERED = 4096  # (database, table) pairs whose table-level `allow` rules are kept


class ServingDatasette(Datasette):
    """Datasette whose table-level permission rules are worked out once per table.

    Datasette 0.65 merges a deep copy of the whole metadata (every column of every table described) for each
    `view-table` check, and the index page checks every table: 0.4 s of CPU per page for 90 tables, most of
    the server's time under many clients. The metadata is fixed once served (built at start-up; the plugins'
    metadata is static), so the rules of a table are too; at most PERMISSIONS_REMEMBERED are kept.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._table_allows: OrderedDict[tuple[str, str], list] = OrderedDict()

    def _table_permission_allows(self, database, table):
        key = (database, table)
        if key not in self._table_allows:
            self._table_allows[key] = super()._table_permission_allows(database, table)
            while len(self._table_allows) > PERMISSIONS_REMEMBERED:
                self._table_allows.popitem(last=False)
        return list(self._table_allows[key])


STATE_RECHECK_S = 0.05  # a commit is seen by the kept answers and pages at most this late
_states: dict[str, tuple[float, tuple]] = {}


def file_state(path: str) -> tuple:
    """What changes whenever a commit lands: the file's and its WAL's size and modification time (looked at
    again after STATE_RECHECK_S: an index page asks ~200 times)."""
    now = time.monotonic()
    recent = _states.get(path)
    if recent and now - recent[0] < STATE_RECHECK_S:
        return recent[1]
    state = []
    for name in (path, path + "-wal"):
        try:
            status = os.stat(name)
            state.append((status.st_size, status.st_mtime_ns))
        except OSError:
            state.append(None)
    _states[path] = (now, tuple(state))
    return _states[path][1]


def count_rows(conn: sqlite3.Connection, tables: list[str], limit_ms: float) -> dict[str, int | None]:
    """`count(*)` of each table, each stopped after `limit_ms` (its count is then None)."""
    counts: dict[str, int | None] = {}
    for table in tables:
        deadline = time.monotonic() + limit_ms / 1000
        conn.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
        try:
            counts[table] = conn.execute(f"select count(*) from {escape_sqlite(table)}").fetchone()[0]
        except sqlite3.DatabaseError:
            counts[table] = None
        finally:
            conn.set_progress_handler(None, 1000)
    return counts


class ReadOnlyDatabase(Database):
    """A mutable database Datasette reads through `mode=ro` connections and never writes.

    What Datasette asks about the schema (a page of the index asks three questions of every table, one
    SQL-thread hop apiece) and the row counts of the tables are kept until the file or its WAL changes, i.e.
    until the next commit; a count cut at its time limit is tried again after COUNT_RETRY_S.
    """

    _remembered_state: tuple | None = None

    def _remembered_answers(self) -> dict:
        state = file_state(self.path)
        if self._remembered_state != state or len(self._answers) > ANSWERS_REMEMBERED:
            self._remembered_state, self._answers = state, {}
        return self._answers

    async def _remembered(self, name: str, args: tuple):
        answers = self._remembered_answers()
        key = (name, args)
        if key not in answers:
            answers[key] = await getattr(super(), name)(*args)
        return copy.deepcopy(answers[key]) if name != "execute" else answers[key]

    async def execute(self, sql, params=None, *args, **kwargs):
        if sql in SCHEMA_SQL and not args and not kwargs:  # a question about names: answered from memory
            return await self._remembered("execute", (sql, tuple(params or ())))
        return await super().execute(sql, params, *args, **kwargs)

    async def table_counts(self, limit=10):
        """Rows of every table, each count stopped after `limit` ms (None), all in one SQL-thread hop."""
        answers = self._remembered_answers()
        known, tried = answers.get("table_counts", ({}, 0.0))
        retry = time.monotonic() - tried > COUNT_RETRY_S
        wanted = [table for table in await self.table_names()
                  if table not in known or (known[table] is None and retry)]
        counts = {table: known[table] for table in await self.table_names() if table not in wanted}
        if wanted:
            counts.update(await self.execute_fn(lambda conn: count_rows(conn, wanted, limit)))
            tried = time.monotonic()
        answers["table_counts"] = (counts, tried)
        return dict(counts)

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


def _remembering(name: str):
    async def method(self, *args):
        return await self._remembered(name, args)
    method.__name__ = name
    method.__doc__ = f"Datasette's `{name}`, kept until the next commit."
    return method


for _name in SCHEMA_QUESTIONS:
    setattr(ReadOnlyDatabase, _name, _remembering(_name))


def serving_datasette(path: Path, metadata: dict) -> Datasette:
    """Datasette over the file (in WAL mode: `ensure_wal`): mutable, read-only, bounded (this module's
    limits registered once)."""
    if not pm.is_registered(sys.modules[__name__]):
        pm.register(sys.modules[__name__], name="kompass_limits")
    ds = ServingDatasette(metadata=metadata, settings=SETTINGS)
    ds.remove_database("_memory")  # added when no file is given: only the served file is queried
    ds.add_database(ReadOnlyDatabase(ds, path=str(path), is_mutable=True), name=database_name(path))
    return ds


def serving_app(ds: Datasette):
    """The ASGI app `kompass serve` runs: Datasette behind the page cache (db/response_cache.py), whose
    pages hold while no served file changes."""
    from db.response_cache import ResponseCache

    paths = [db.path for db in ds.databases.values() if isinstance(db, ReadOnlyDatabase)]
    return ResponseCache(ds.app(), lambda: tuple(file_state(path) for path in paths))
