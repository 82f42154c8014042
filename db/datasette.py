"""Datasette over a built database: metadata from `db/metadata.yml`, the file served immutable."""
from __future__ import annotations

from pathlib import Path

import yaml
from datasette.app import Datasette

from kompass.errors import KompassError

METADATA_FILE = Path(__file__).parent / "metadata.yml"
METADATA_DATABASE = "kommunkompassen"  # the key under `databases:` in metadata.yml


class DatabaseMissing(KompassError):
    """The database file to serve does not exist."""


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file (its stem)."""
    return Path(db_path).stem


def metadata_for(db_path: str | Path) -> dict:
    """metadata.yml with its database section renamed to the served file's name."""
    metadata = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if METADATA_DATABASE in databases:
        databases[database_name(db_path)] = databases.pop(METADATA_DATABASE)
    return metadata


def canned_queries(db_path: str | Path) -> dict[str, dict]:
    return metadata_for(db_path)["databases"][database_name(db_path)]["queries"]


def make_datasette(db_path: str | Path) -> Datasette:
    """A Datasette instance serving the database read-only (immutable) with the project's metadata."""
    path = Path(db_path)
    if not path.is_file():
        raise DatabaseMissing(f"{path}: no such database; build it with `kompass load … --db {path}`")
    return Datasette(immutables=[str(path)], metadata=metadata_for(path))
