"""`kompass search`: the web's search (the canned queries of db/metadata.yml, db/search.py) on standard output."""
from __future__ import annotations

import click

from kompass.errors import KompassError, one_line_errors
from kompass.options import db_option

SCOPE_NAMES = ("sentences", "findings", "good-examples")
# Columns shown by --format table, per scope (csv and json give every column of the canned query).
TABLE_COLUMNS = {
    "sentences": ("hit", "label", "area", "page", "snippet"),
    "findings": ("hit", "label", "area", "kind_label", "page", "snippet"),
    "good-examples": ("hit", "report_label", "area", "example_kommun", "page", "snippet"),
}


class SearchFailed(KompassError):
    """The database could not be searched (missing, not a database, older than search)."""


def _table(rows, columns, out) -> None:
    import shutil
    import textwrap

    width = shutil.get_terminal_size((120, 24)).columns
    fixed = [max([len(c)] + [len(str(r[c] if r[c] is not None else "")) for r in rows]) for c in columns[:-1]]
    last = max(30, width - sum(fixed) - 2 * len(fixed))
    out(("  ".join(c.ljust(w) for c, w in zip(columns[:-1], fixed)) + "  " + columns[-1]).rstrip())
    for row in rows:
        cells = ["" if row[c] is None else str(row[c]) for c in columns[:-1]]
        text = textwrap.wrap(str(row[columns[-1]] or ""), last) or [""]
        lead = "  ".join(cell.ljust(w) for cell, w in zip(cells, fixed)) + "  "
        out(lead + text[0])
        for line in text[1:]:
            out(" " * len(lead) + line)


@click.command("search")
@click.argument("text")
@click.option("--in", "scope", type=click.Choice(SCOPE_NAMES), default="sentences", show_default=True,
              help="What to search: the reports' sentences, their strengths and areas for improvement "
                   "(findings), or their good examples.")
@click.option("--kommun", default="", help="Only the evaluations of this municipality (name or kommunkod).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table (for people: the hits with [marked] words), or every column as csv or json.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many hits, the best first (default: every hit).")
@db_option(creates=False)
@one_line_errors
def search_command(text: str, scope: str, kommun: str, fmt: str, limit: int | None, db_path) -> None:
    """Search the loaded reports as the web does: every word in any inflected form, as the start of a word
    or as part of a compound (budget finds kostnadsbudgetering); several words must all occur, OR between
    two words takes either, NOT excludes the next word, "quotes" keep a phrase together. Best hits first
    (bm25). How many hits there are in all goes to standard error (and in the `matches` column).

    \b
    Examples:
      kompass search medborgardialog
      kompass search "e-tjänster" --in findings --kommun Fagersta --format csv
      kompass search 'budget NOT kostnad' --format json --limit 20
    """
    import csv
    import json
    import sqlite3
    import sys

    from db.names import resolve_code
    from db.search import read_connection, search_pages

    if not db_path.is_file():
        raise SearchFailed(f"{db_path}: no such database; build it with `kompass load … --db {db_path}`")
    if kommun.strip() and resolve_code(kommun) is None:
        from db.names import unknown_message

        raise SearchFailed(unknown_message(kommun, swedish=False))
    try:
        conn = read_connection(db_path)
    except sqlite3.DatabaseError as error:
        raise SearchFailed(f"{db_path}: not an SQLite database ({error})") from None
    matches, shown, columns = 0, 0, None
    writer, hits = None, []
    out = click.echo
    try:
        for matches, rows in search_pages(conn, text, scope, kommun, limit):
            columns = columns or list(rows[0].keys())
            shown += len(rows)
            if fmt == "json":
                hits.extend(dict(row) for row in rows)
            elif fmt == "csv":
                if writer is None:
                    writer = csv.writer(sys.stdout, lineterminator="\n")
                    writer.writerow(columns)
                writer.writerows([list(row) for row in rows])
            else:
                _table(rows, TABLE_COLUMNS[scope], out)
    except sqlite3.OperationalError as error:
        raise SearchFailed(f"{db_path}: {error}") from None
    finally:
        conn.close()
    if fmt == "json":
        out(json.dumps({"query": text, "in": scope, "kommun": kommun or None, "matches": matches,
                        "shown": shown, "hits": hits}, ensure_ascii=False, indent=1))
    what = {"sentences": "sentences", "findings": "findings", "good-examples": "good examples"}[scope]
    cut = f", showing the best {shown}" if shown < matches else ""
    click.echo(f"{matches} {what} match{cut}", err=True)


COMMANDS = [search_command]
