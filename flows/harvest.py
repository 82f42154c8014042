"""The harvest flow: crawl the sources (one task), then download each pending report link (a task each).

Orchestration only: the run's queue, budget, politeness, retries, deadlines and storage live in
`corpus/` (`corpus.harvest.HarvestRun`). Downloads run one after another in the flow's process
because the per-host delay is shared state; retries are done by the downloader itself (transient
failures only, within the link's deadline), so the tasks have no Prefect retries.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from corpus.harvest import HarvestRun
from corpus.queue import Candidate
from corpus.web_pages import PageCollector
from corpus.sources import load_config
from corpus.store import SKIPPED, CorpusStore, ProvenanceRecord
from flows.progress import progress_bar


@task(name="crawl", task_run_name="crawl the sources", cache_policy=NO_CACHE)
def crawl_task(run: HarvestRun) -> list[str]:
    """Read the round's pages within the run's budget; report links join the queue."""
    read = run.crawl()
    logger = get_run_logger()
    logger.info("%d pages read, %d report links in the round", len(read), len(run.queue.candidates))
    for error in run.report.page_errors:
        logger.warning("page not read: %s", error)
    for cut in run.report.pages_cut:
        logger.warning("page cut: %s: %s", cut.url, cut.reason)
    return read


@task(name="download", task_run_name="download {candidate.url}", cache_policy=NO_CACHE)
def download_task(run: HarvestRun, candidate: Candidate) -> ProvenanceRecord | None:
    """Fetch one report link into the corpus (conditional request, checks, atomic move)."""
    record = run.download(candidate)
    if record is not None:
        logger = get_run_logger()
        level = logger.warning if record.reason and record.outcome != SKIPPED else logger.info
        level("%s: %s%s", candidate.url, record.outcome, f" ({record.reason})" if record.reason else "")
    return record


@task(name="load result pages", cache_policy=NO_CACHE)
def load_pages_task(db_path: str, pages: PageCollector) -> dict:
    """Store what the fetched result pages state (one transaction per page; unchanged pages change nothing)."""
    from db.pages import load_pages
    from db.schema import open_database

    db = open_database(db_path)
    try:
        loads = load_pages(db, pages.readings)
    finally:
        db.close()
    logger = get_run_logger()
    for reading in pages.readings:
        for warning in reading.warnings:
            logger.warning("%s: %s", reading.url, warning)
    for load in loads:
        if load.reason:
            logger.error("result page %s not stored: %s", load.url, load.reason)
    return dict(Counter(load.status for load in loads))


@flow(name="harvest", flow_run_name="harvest into {corpus}", log_prints=False)
def harvest_flow(corpus: str, sources: list[str] | None = None, config_path: str | None = None,
                 db_path: str | None = None) -> dict:
    """Crawl the configured (or given) listing pages and download new reports into `corpus`; with
    `db_path`, also store the results stated on the pages read."""
    config = load_config(config_path)
    if sources:
        config = config.with_sources(sources)
    Path(corpus).mkdir(parents=True, exist_ok=True)
    pages = PageCollector() if db_path else None
    run = HarvestRun(config, CorpusStore(corpus), pages=pages)
    logger = get_run_logger()
    if run.removed_partial:
        logger.warning("removed %d partial downloads left by an interrupted run", run.removed_partial)
    if run.report.resumed:
        logger.info("continuing the unfinished round %s", run.queue.round)
    try:
        crawl_task(run)
        pending = run.pending()
        with progress_bar("downloading", len(pending)) as advance:
            for candidate in pending:
                record = download_task(run, candidate)
                if record is None:
                    break
                advance(record.outcome)
    finally:
        report = run.finish()
    result_pages = load_pages_task(db_path, pages) if pages else {}
    logger.info(report.summary())
    return {"summary": report.summary(), "outcomes": dict(report.outcomes()), "page_errors": report.page_errors,
            "pages_cut": [f"{record.url}: {record.reason}" for record in report.pages_cut],
            "deferred": report.deferred, "pages_left": report.pages_left, "result_pages": result_pages}
