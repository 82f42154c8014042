"""The harvest flow: crawl each source (one task per source), then download each candidate.

Orchestration only: crawling, politeness, retries and storage live in `corpus/`. Downloads run
one after another in the flow's process because the per-host delay is shared state; retries are
done by the downloader itself (transient failures only), so the tasks have no Prefect retries.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from corpus.crawl import Candidate, Discovery, discover
from corpus.download import download
from corpus.harvest import HarvestReport, unique_candidates
from corpus.http import PoliteClient
from corpus.result_pages import PageCollector
from corpus.sources import HarvestSettings, Source, load_config
from corpus.store import CorpusStore, ProvenanceRecord, Validators
from flows.progress import progress_bar


@task(name="discover", task_run_name="discover {source.url}", cache_policy=NO_CACHE)
def discover_task(client: PoliteClient, source: Source, settings: HarvestSettings,
                  pages: PageCollector | None = None) -> Discovery:
    """Crawl one source's site for report links (and result pages, when `pages` collects them)."""
    found = discover(client, source, settings, pages.reader(source.name or None) if pages else None)
    logger = get_run_logger()
    logger.info("%s: %d pages read, %d report links", source.url, len(found.pages), len(found.candidates))
    for error in found.page_errors:
        logger.warning("page not read: %s", error)
    return found


@task(name="download", task_run_name="download {candidate.url}", cache_policy=NO_CACHE)
def download_task(client: PoliteClient, store: CorpusStore, candidate: Candidate, settings: HarvestSettings,
                  validators: Validators | None) -> ProvenanceRecord:
    """Fetch one candidate into the corpus (conditional request, checks, atomic move)."""
    record = download(client, store, candidate, settings, validators)
    logger = get_run_logger()
    level = logger.warning if record.reason and record.outcome != "skipped" else logger.info
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
    store = CorpusStore(corpus)
    Path(corpus).mkdir(parents=True, exist_ok=True)
    leftovers = store.clear_incoming()
    logger = get_run_logger()
    if leftovers:
        logger.warning("removed %d partial downloads left by an interrupted run", leftovers)
    report = HarvestReport()
    pages = PageCollector() if db_path else None
    with PoliteClient(config.settings) as client:
        report.discoveries = [discover_task(client, source, config.settings, pages) for source in config.sources]
        candidates = unique_candidates(report.discoveries)
        validators = store.validators()
        with progress_bar("downloading", len(candidates)) as advance:
            for candidate in candidates:
                record = download_task(client, store, candidate, config.settings, validators.get(candidate.url))
                report.records.append(record)
                advance(record.outcome)
    result_pages = load_pages_task(db_path, pages) if pages else {}
    logger.info(report.summary())
    return {"summary": report.summary(), "outcomes": dict(report.outcomes()),
            "page_errors": report.page_errors, "result_pages": result_pages}
