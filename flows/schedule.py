"""A long-running deployment: harvest then process on a cron schedule (Europe/Stockholm time)."""
from __future__ import annotations

from prefect import flow
from prefect.schedules import Cron, Schedule, validate_cron_string

from flows.harvest import harvest_flow
from flows.process import process_flow
from kompass.errors import KompassError

TIMEZONE = "Europe/Stockholm"
DEPLOYMENT_NAME = "kommunkompassen-weekly"


class BadSchedule(KompassError):
    """The cron expression is not valid."""


def build_schedule(cron: str, timezone: str = TIMEZONE) -> Schedule:
    """A Prefect cron schedule in local Swedish time; BadSchedule names a bad expression."""
    try:
        validate_cron_string(cron)
    except ValueError as error:
        raise BadSchedule(f"{cron!r} is not a cron expression (five fields, e.g. '0 6 * * 1'): {error}") from None
    return Cron(cron, timezone=timezone)


@flow(name="harvest-and-process", flow_run_name="harvest and process {corpus}")
def pipeline_flow(corpus: str, db_path: str, sources: list[str] | None = None,
                  config_path: str | None = None) -> dict:
    """Harvest new reports into the corpus, then analyse and load what is new."""
    harvested = harvest_flow(corpus=corpus, sources=sources, config_path=config_path)
    processed = process_flow(corpus=corpus, db_path=db_path)
    return {"harvest": harvested, "process": processed}


def serve_pipeline(cron: str, corpus: str, db_path: str, sources: list[str] | None = None,
                   config_path: str | None = None, name: str = DEPLOYMENT_NAME) -> None:
    """Serve the pipeline deployment until interrupted (Ctrl-C)."""
    schedule = build_schedule(cron)
    pipeline_flow.serve(name=name, schedules=[schedule], parameters={
        "corpus": corpus, "db_path": db_path, "sources": sources, "config_path": config_path})
