"""A real database for the outputs tests: the bundled report plus the published scores, loaded by the CLI."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kompass.cli import cli

ROOT = Path(__file__).resolve().parent.parent
REAL_REPORT = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"


def build_database(path: Path) -> Path:
    """`kompass load <bundled report>` then `kompass load-published`, as a user would."""
    runner = CliRunner()
    for args in (["load", str(REAL_REPORT), "--db", str(path)], ["load-published", "--db", str(path)]):
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return path


def query(path: Path, sql: str, params=()) -> list[dict]:
    """Rows straight from SQLite (independent of the code under test)."""
    from db.collation import register

    conn = sqlite3.connect(path)
    register(conn)  # queries may sort names in Swedish order (COLLATE swedish)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


_BUILT: dict[str, Path] = {}


@pytest.fixture(scope="session")
def outputs_db(tmp_path_factory) -> Path:
    """Built once per session, however many test modules import this fixture (tests only read it)."""
    if "db" not in _BUILT:
        _BUILT["db"] = build_database(tmp_path_factory.mktemp("outputs") / "kommunkompassen.db")
    return _BUILT["db"]
