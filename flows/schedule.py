"""A long-running schedule: harvest then process on a cron schedule (Europe/Stockholm time).

With PREFECT_API_URL set, the pipeline is served as a Prefect deployment and the server's
scheduler starts its runs. Prefect's temporary local server runs no scheduler service (a served
deployment would wait forever), so without a server this module waits for each cron time itself
and runs the same flow in-process.
"""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta, timezone as tz
from typing import Callable

from prefect import flow
from prefect.schedules import Cron, Schedule, validate_cron_string

from flows.harvest import harvest_flow
from flows.process import process_flow
from kompass.errors import KompassError

log = logging.getLogger(__name__)
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
    harvested = harvest_flow(corpus=corpus, sources=sources, config_path=config_path, db_path=db_path)
    processed = process_flow(corpus=corpus, db_path=db_path)
    return {"harvest": harvested, "process": processed}


def pipeline_deployment(cron: str, corpus: str, db_path: str, sources: list[str] | None = None,
                        config_path: str | None = None, name: str = DEPLOYMENT_NAME):
    """The pipeline flow as a deployment on the given cron schedule (Europe/Stockholm)."""
    return pipeline_flow.to_deployment(name=name, schedules=[build_schedule(cron)], parameters={
        "corpus": corpus, "db_path": db_path, "sources": sources, "config_path": config_path})


def next_run(cron: str, after: datetime, timezone: str = TIMEZONE) -> datetime:
    """The first time strictly after `after` that the cron expression names, in local time."""
    from prefect.server.schemas.schedules import CronSchedule

    build_schedule(cron, timezone)
    [when] = asyncio.run(CronSchedule(cron=cron, timezone=timezone).get_dates(n=1, start=after + timedelta(seconds=1)))
    return when


def run_on_schedule(cron: str, parameters: dict, sleep: Callable[[float], None] = time.sleep,
                    now: Callable[[], datetime] = lambda: datetime.now(tz.utc), runs: int | None = None) -> None:
    """Without a server: sleep until each cron time, then run the pipeline flow here (`runs` bounds it)."""
    done = 0
    while runs is None or done < runs:
        when = next_run(cron, now())
        log.info("next harvest and process at %s", when.isoformat())
        sleep(max(0.0, (when - now()).total_seconds()))
        try:
            pipeline_flow(**parameters)
        except Exception as error:  # one failed run must not end the schedule
            log.error("scheduled run failed: %s", error)
        done += 1


def serve_pipeline(cron: str, corpus: str, db_path: str, sources: list[str] | None = None,
                   config_path: str | None = None, name: str = DEPLOYMENT_NAME) -> None:
    """Run the schedule until interrupted (Ctrl-C): a served deployment, or a local loop without a server."""
    from prefect.settings import PREFECT_API_URL

    deployment = pipeline_deployment(cron, corpus, db_path, sources, config_path, name)
    if PREFECT_API_URL.value():
        from prefect import serve

        serve(deployment)
    else:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s | %(levelname)-7s | %(message)s")
        log.info("no PREFECT_API_URL: scheduling in this process (%s, %s)", cron, TIMEZONE)
        run_on_schedule(cron, deployment.parameters)
