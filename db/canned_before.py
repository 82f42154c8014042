"""The canned queries as they were before the precomputed aggregates (schema 9), to compare the new SQL with.

`tests/data/canned_queries_before.yml` holds the old SQL of every query and view that changed; a connection
given `use_views_before` reads the old views (TEMP views of the same name shadow the database's), so the old
SQL runs on the same database as the new. Used by the test of identical rows and by the side-by-side bench.
"""
from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

import yaml

BEFORE_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "canned_queries_before.yml"


@cache
def _before() -> dict:
    return yaml.safe_load(BEFORE_FILE.read_text(encoding="utf-8"))


def queries_before(current: dict[str, str]) -> dict[str, str]:
    """Each canned query's SQL before: the old text where it changed, else the current one."""
    return {name: _before()["queries"].get(name, sql) for name, sql in current.items()}


def use_views_before(conn: sqlite3.Connection) -> None:
    """The old views on this connection (TEMP views, found before the database's own)."""
    for name, sql in _before()["views"].items():
        conn.execute(f"DROP VIEW IF EXISTS temp.[{name}]")
        conn.execute(f"CREATE TEMP VIEW [{name}] AS {sql}")


def drop_views_before(conn: sqlite3.Connection) -> None:
    for name in _before()["views"]:
        conn.execute(f"DROP VIEW IF EXISTS temp.[{name}]")
