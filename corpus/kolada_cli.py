"""`kompass kolada fetch` and `kompass kolada search`: Kolada key figures beside the evaluations."""
from __future__ import annotations

import re
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from db.cli import db_option
from kompass.errors import one_line_errors

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

config_option = click.option(
    "--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
    help="Kolada configuration (default: corpus/kolada.yml; KOMPASS_KOLADA_URL overrides its base URL).")


def printable(text: object) -> str:
    """Text from Kolada as one terminal-safe line (control characters and escape sequences removed)."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


@click.group("kolada")
def kolada_group() -> None:
    """Kolada (RKA) key figures joined with the evaluations by kommunkod and year."""


@kolada_group.command("fetch")
@click.option("--kpi", "kpis", multiple=True, metavar="ID",
              help="A KPI id such as N01951 (repeatable; default: the KPIs configured in kolada.yml).")
@db_option
@config_option
@one_line_errors
def fetch_command(kpis: tuple[str, ...], db_path: Path, config_path: Path | None) -> None:
    """Fetch the KPIs' metadata and values for every municipality and year in the database (each
    evaluation's year and the years around it) into kolada_kpis and kolada_values. Cells fetched
    before are asked again only for what changed (from_date). Exits 1 if any KPI failed."""
    from corpus.kolada import KoladaClient
    from corpus.kolada_config import KoladaConfigError, KpiChoice, load_kolada_config
    from db.kolada import fetch_kolada
    from db.schema import open_database

    config = load_kolada_config(config_path)
    try:
        choices = [KpiChoice(id=kpi.strip().upper()) for kpi in kpis] or list(config.kpis)
    except ValueError as error:
        raise KoladaConfigError(str(error)) from None
    db = open_database(db_path)
    try:
        with KoladaClient(config) as client, _progress() as advance:
            summary = fetch_kolada(db, client, choices, advance)
    finally:
        db.close()
    click.echo(f"Kolada → {db_path}: {summary.line()}")
    for warning in summary.warnings:
        click.echo(f"Warning: {printable(warning)}", err=True)
    for error in summary.errors:
        click.echo(f"Error: {printable(error)}", err=True)
    if summary.errors:
        sys.exit(1)


def _progress():
    """A progress bar counting answered queries when stdout is a terminal; otherwise nothing."""
    if not sys.stdout.isatty():
        return nullcontext(None)
    from rich.progress import Progress, SpinnerColumn, TextColumn

    class Bar:
        def __enter__(self):
            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True)
            self.progress.__enter__()
            self.task = self.progress.add_task("Kolada", total=None)
            return self.advance

        def advance(self, kpi: str) -> None:
            self.progress.update(self.task, advance=1, description=f"Kolada {kpi}")

        def __exit__(self, *exc):
            return self.progress.__exit__(*exc)

    return Bar()


@kolada_group.command("search")
@click.argument("text")
@config_option
@one_line_errors
def search_command(text: str, config_path: Path | None) -> None:
    """List the ids and titles of the KPIs whose title contains TEXT (one per line, id first)."""
    from corpus.kolada import KoladaClient
    from corpus.kolada_config import load_kolada_config

    with KoladaClient(load_kolada_config(config_path)) as client:
        found = client.search_kpis(text)
        for warning in client.warnings:
            click.echo(f"Warning: {printable(warning)}", err=True)
    for item in sorted(found, key=lambda k: str(k.get("id"))):
        click.echo(f"{printable(item.get('id'))}\t{printable(item.get('title'))}")
    click.echo(f"{len(found)} KPIs", err=True)


COMMANDS = [kolada_group]
