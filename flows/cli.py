"""`kompass harvest`, `kompass process`, `kompass schedule`: the Prefect flows from the command line.

Prefect is imported only inside the commands, so `kompass --help` stays fast. Without
PREFECT_API_URL the flows run in Prefect's local mode; with it they report to that server.
"""
from __future__ import annotations

from pathlib import Path

import click

from kompass.errors import one_line_errors
from kompass.options import db_option as shared_db_option

corpus_option = click.option("--corpus", "corpus", required=True, type=click.Path(file_okay=False, path_type=Path),
                             help="Corpus directory: <sha256>.pdf documents and provenance.jsonl.")
db_option = shared_db_option(creates=True)  # --db, else KOMPASS_DB, else the default database, as every command
source_option = click.option("--source", "sources", multiple=True, metavar="URL",
                             help="Listing page to crawl instead of the configured sources (repeatable).")
config_option = click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                             default=None, help="Sources file (default: corpus/sources.yml shipped with the project).")


@click.command("harvest")
@source_option
@corpus_option
@config_option
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None, envvar="KOMPASS_DB",
              help="Also store the results that municipal web pages state (source published_page) in this database. "
                   "Environment: KOMPASS_DB.")
@one_line_errors
def harvest_command(sources: tuple[str, ...], corpus: Path, config_path: Path | None, db_path: Path | None) -> None:
    """Crawl the report sources once and download new reports into the corpus (with --db, also read
    the results stated on the HTML pages fetched)."""
    from corpus.sources import load_config

    load_config(config_path)  # a bad sources file is a one-line error before any flow starts
    from flows.harvest import harvest_flow
    from flows.server import start_tied_server

    start_tied_server()  # Prefect's temporary server, if one is needed, dies with this process

    result = harvest_flow(corpus=str(corpus), sources=list(sources) or None,
                          config_path=str(config_path) if config_path else None,
                          db_path=str(db_path) if db_path else None)
    click.echo(result["summary"])
    if db_path:
        click.echo("result pages: " + (", ".join(f"{n} {status}" for status, n in sorted(result["result_pages"].items()))
                                       or "none read"))
    for error in result["page_errors"]:
        click.echo(f"page not read: {error}", err=True)
    for cut in result.get("pages_cut", []):
        click.echo(f"page cut: {cut}", err=True)


@click.command("process")
@corpus_option
@db_option
@click.option("--dask-address", default=None, metavar="ADDRESS",
              help="Analyse on the workers of this Dask scheduler (e.g. tcp://10.0.0.5:8786); they need the "
                   "project installed, not the corpus: each PDF is sent as bytes.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Analyse on a local Dask cluster of this many worker processes (one thread each).")
@click.option("--retry-failed", is_flag=True, help="Process again documents that failed before.")
@click.option("--runner", type=click.Choice(["auto", "prefect", "plain"]), default="auto", show_default=True,
              help="prefect: the Prefect flow (its temporary server starts unless PREFECT_API_URL names one); "
                   "plain: the same stages in this process, without Prefect; auto: plain for one document "
                   "with no workers and no Prefect server named, else prefect.")
@one_line_errors
def process_command(corpus: Path, db_path: Path, dask_address: str | None, workers: int | None,
                    retry_failed: bool, runner: str) -> None:
    """Extract, tag and load every new or changed document of the corpus."""
    from db.schema import open_database
    from flows.plan import plan_processing

    if runner == "plain" and (workers or dask_address):
        raise click.UsageError("--runner plain analyses here: it takes neither --workers nor --dask-address")

    db = open_database(db_path)
    try:
        plan = plan_processing(corpus, db, retry_failed=retry_failed)
    finally:
        db.close()
    for line in plan.unreadable:  # not processed, named; the others go on
        click.echo(f"Error: {line}", err=True)
    if not plan.pending:
        click.echo(f"Nothing new: {plan.summary()}.")
        return
    click.echo(f"Processing: {plan.summary()}.")
    from flows.plain import run_plain, runs_plain

    if runs_plain(runner, plan, distributed=bool(workers or dask_address)):
        counts = run_plain(str(db_path), plan)
    else:
        from flows.process import run_process
        from flows.server import start_tied_server

        start_tied_server()  # Prefect's temporary server, if one is needed, dies with this process
        counts = run_process(str(corpus), str(db_path), dask_address=dask_address, workers=workers,
                             retry_failed=retry_failed)
    from kompass.inputs import shown

    not_reached = counts.pop("not_reached", [])
    stopped = counts.pop("stopped", None)
    click.echo(", ".join(f"{count} {status}" for status, count in counts.items()))
    for name in not_reached:
        click.echo(shown(f"Error: {name}: not loaded: {stopped}"), err=True)
    if stopped:
        click.echo(shown(f"Error: stopped early: {stopped}; {len(not_reached)} documents not loaded (named above)"),
                   err=True)
        raise SystemExit(1)


@click.command("schedule")
@click.option("--cron", default="0 6 * * 1", show_default=True,
              help="When to harvest and process (cron, Europe/Stockholm time).")
@corpus_option
@db_option
@source_option
@config_option
@click.option("--name", default="kommunkompassen-weekly", show_default=True, help="Deployment name.")
@one_line_errors
def schedule_command(cron: str, corpus: Path, db_path: Path, sources: tuple[str, ...], config_path: Path | None,
                     name: str) -> None:
    """Serve a deployment that harvests then processes on a schedule (runs until Ctrl-C)."""
    from flows.schedule import build_schedule, serve_pipeline

    build_schedule(cron)  # reject a bad expression before Prefect starts
    from flows.server import start_tied_server

    start_tied_server()  # without PREFECT_API_URL: the temporary server of the in-process schedule
    serve_pipeline(cron, str(corpus), str(db_path), sources=list(sources) or None,
                   config_path=str(config_path) if config_path else None, name=name)


COMMANDS = [harvest_command, process_command, schedule_command]
