"""Options every `kompass` command spells the same way, and where the default database lives.

The default database does not depend on the current folder: in a source checkout (where `make run`
builds it) it is `<checkout>/var/kommunkompassen.db`; in an installed copy it is in the user's data
folder (`$XDG_DATA_HOME/kommunkompassen/`, else `~/.local/share/kommunkompassen/`). `KOMPASS_DB`
or `--db` name another file.
"""
from __future__ import annotations

import os
from pathlib import Path

import click

CHECKOUT = Path(__file__).resolve().parent.parent
DB_NAME = "kommunkompassen.db"


def data_dir() -> Path:
    """The user's data folder for the project: $XDG_DATA_HOME/kommunkompassen, else ~/.local/share/kommunkompassen."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "kommunkompassen"


def default_db() -> Path:
    """The database used when neither --db nor KOMPASS_DB names one (absolute, whatever the folder)."""
    if (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "kompass").is_dir():
        return CHECKOUT / "var" / DB_NAME
    return data_dir() / DB_NAME


def db_option(*, creates: bool):
    """`--db PATH`: `creates` for commands that build or extend a database, else it must exist."""
    what = ("The SQLite database file (created when missing, upgraded when older)." if creates else
            "The SQLite database to read (built by `kompass load` or `kompass process`; it must exist).")
    return click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=default_db,
                        show_default=str(default_db()), envvar="KOMPASS_DB",
                        help=f"{what} Environment: KOMPASS_DB.")


def out_option(help_text: str):
    """`--out PATH`; `-` (or no --out) writes to standard output."""
    return click.option("--out", "out", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                        default=None, help=help_text)
