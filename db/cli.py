"""`kompass load`, `kompass load-published` and `kompass serve`: thin edges over `db/`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from kompass.errors import KompassError, one_line_errors
from kompass.options import db_option as _db_option
from kompass.options import default_db

DEFAULT_DB = default_db()
db_option = _db_option(creates=True)
read_db_option = _db_option(creates=False)


class PortInUse(KompassError):
    """Another program already listens on the port `kompass serve` was asked to use."""


def _describe(path: Path, outcome) -> str:
    from db.batch import FileFailure

    if isinstance(outcome, FileFailure):
        named = outcome.message.startswith(path.name)
        return f"Error: {outcome.message}" if named else f"Error: {path.name}: {outcome.message}"
    if outcome.status == "unchanged":
        return f"unchanged {path.name} (already loaded by this extractor version)"
    counts = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in outcome.rows.items() if n)
    return f"loaded {path.name} as evaluation {outcome.evaluation}: {counts}"


def _report(path: Path, outcome) -> None:
    from db.batch import FileFailure
    from kompass.inputs import shown

    click.echo(shown(_describe(path, outcome)), err=isinstance(outcome, FileFailure))


def _existing(pdfs: tuple[Path, ...]) -> tuple[list[Path], list[Path]]:
    """The paths that exist, and those that do not (a typo is not a document: never recorded). What
    exists but is not a regular file (a directory, FIFO, device) is judged, and recorded, by the batch."""
    present = [path for path in pdfs if path.exists()]
    return present, [path for path in pdfs if not path.exists()]


@click.command("load")
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes reading PDFs at the same time.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=1), default=None,
              help="Seconds one PDF may take before its worker is stopped (default: extractors.guard's, 120); "
                   "a scan gets up to 60 s more after each OCR'd page, at most ten times this in all.")
@click.option("--memory-mb", type=click.IntRange(min=64), default=None,
              help="Megabytes of memory a worker may add while reading one PDF (default: extractors.guard's, 2048).")
@click.option("--wait", "wait_s", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds to wait for another writer (load, process) to release the database.")
@one_line_errors
def load_command(pdfs: tuple[Path, ...], db_path: Path, workers: int, timeout_s: float, memory_mb: int,
                 wait_s: float) -> None:
    """Extract report PDFs and load each into the database in its own transaction.

    A file already loaded by this extractor version is skipped. Each PDF is read in a worker
    process bounded in time and memory; only regular files are read (a directory, FIFO or device
    is an error). A file that fails is recorded in the load_errors table with a one-line message on
    stderr; the run goes on and exits 1 at the end. If another writer keeps the database locked
    longer than --wait, the run stops and lists every file it did not load in load_errors.
    """
    from db.batch import load_files
    from db.schema import open_database
    from db.store import DatabaseBusy, DiskFull
    from extractors.guard import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Limits

    pdfs, missing = _existing(pdfs)
    from kompass.inputs import shown

    for path in missing:
        click.echo(shown(f"Error: {path}: no such file"), err=True)
    if not pdfs:
        sys.exit(1)
    try:
        db = open_database(db_path, wait_s)
    except (DatabaseBusy, DiskFull) as busy:
        for path in pdfs:
            click.echo(shown(f"Error: {path.name}: not loaded: {busy}"), err=True)
        raise type(busy)(f"{busy}; none of the {len(pdfs)} files was loaded") from None
    guard = {"limits": Limits(timeout_s or DEFAULT_TIMEOUT_S, memory_mb or DEFAULT_MEMORY_MB), "workers": workers}
    try:
        if sys.stdout.isatty() and len(pdfs) > 1:
            from rich.progress import track

            summary = load_files(db, track(pdfs, description="Loading", transient=True), _report, **guard)
        else:
            summary = load_files(db, pdfs, _report, **guard)
    finally:
        db.close()
    click.echo(f"{len(summary.loaded)} loaded, {len(summary.unchanged)} unchanged, "
               f"{len(summary.failed) + len(missing)} failed → {db_path}")
    if summary.busy:
        where = ("not in load_errors either (the lock was still held): load them again"
                 if summary.unrecorded else "listed in load_errors as not loaded")
        click.echo(f"Error: stopped early: {summary.busy}; the files not loaded are {where}", err=True)
    if summary.failed or missing:
        sys.exit(1)


@click.command("load-published")
@db_option
@click.option("--csv", "csv_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A published-scores CSV (default: the bundled db/data/published_scores.csv).")
@one_line_errors
def load_published_command(db_path: Path, csv_path: Path | None) -> None:
    """Load the scores municipalities published on their web pages (source published_page)."""
    from db.load import load_published
    from db.schema import open_database

    db = open_database(db_path)
    try:
        counts = load_published(db, csv_path)
    finally:
        db.close()
    if counts:
        click.echo("loaded published scores: " + ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in counts.items()))
    else:
        click.echo("published scores unchanged (this file is already loaded)")


def _check_port_free(host: str, port: int) -> None:
    """Bind the port once before serving, so a busy port is one clear line and not a half-started server."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PortInUse(f"cannot listen on {host}:{port} ({error.strerror or error}); "
                            "another program uses it: choose another with --port") from None


@click.command("serve")
@read_db_option
@click.option("--port", type=int, default=8001, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--pdfs", "pdf_dirs", multiple=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder where report PDFs lie, if they moved since loading (repeatable); a PDF is served "
                   "only when its bytes still have the sha256 it was loaded with.")
@one_line_errors
def serve_command(db_path: Path, port: int, host: str, pdf_dirs: tuple[Path, ...]) -> None:
    """Serve the database read-only with Datasette, its metadata, canned queries, dashboard and the
    loaded report PDFs (read-only, linked from every page number).

    The file stays writable for `kompass load` and `process`: each page reads one committed
    snapshot (WAL), so new evaluations appear as soon as they are loaded, never half-written.
    """
    import uvicorn

    from db.datasette import make_datasette
    from db.serving import serving_app

    ds = make_datasette(db_path, list(pdf_dirs))  # Datasette runs its startup hooks on the first request
    _check_port_free(host, port)
    click.echo(f"Serving {db_path} at http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(serving_app(ds), host=host, port=port, log_level="warning", lifespan="on")


COMMANDS = [load_command, load_published_command, serve_command]
