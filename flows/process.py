"""The process flow: analyse (extract + tag) every new or changed document, then load it.

Analysis is a Prefect task in the flow's process, cached by the document's sha256 and the analysis
version with persisted results, so a re-run never repeats it. It reads the PDF in a bounded worker
here (one at a time, since pdfium is not thread-safe), or sends its bytes to a Dask cluster
(`--dask-address`, or a local one with `--workers`) as plain Dask work (`flows.cluster`) and waits
for the answer: workers run no Prefect. Loading happens in the flow's own process, one transaction
per document, so a single SQLite writer holds the database. A failing document is recorded in `load_errors` and the
run goes on. Orchestration only: each task calls a plain stage function of `flows.stages` (the same ones a
run without Prefect calls, `flows.plain`), whose work is in `extractors.pipeline` and `db.load`.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.plan import PendingDocument, plan_processing
from flows.progress import progress_bar
from flows.stages import (RunStopped, analyse_document, load_document, settle,
                           stopped_early)


def analysis_cache_key(context, parameters: dict) -> str:
    """Cache by content and stage version: the same bytes analysed by the same code are reused."""
    return f"analyse-{parameters['sha256']}-v{parameters['version']}"


def database_is_busy(task, task_run, state) -> bool:
    """Retry a load only when another writer held the database past the wait; any other failure is final."""
    from db.store import DatabaseBusy, is_lock_error

    try:
        state.result()
    except DatabaseBusy:
        return True
    except sqlite3.OperationalError as error:
        return is_lock_error(error)
    except Exception:
        return False
    return False


@task(name="analyse", task_run_name="analyse {sha256:.12}", cache_key_fn=analysis_cache_key,
      persist_result=True)
def analyse_task(path: str, sha256: str, version: str, scheduler: str | None = None):
    """Extract and tag one PDF in a worker bounded in time and memory (deterministic: no retries), here
    or on the Dask cluster at `scheduler`."""
    from prefect.states import Failed

    from extractors.errors import ExtractionError
    from kompass.inputs import shown

    try:
        return analyse_document(path, sha256, version, scheduler)
    except ExtractionError as error:  # the document's own failure: one line, not a traceback
        return Failed(message=shown(str(error)), data=error)


@task(name="load", task_run_name="load {document.sha256:.12}", retries=2, retry_delay_seconds=[1, 5],
      retry_condition_fn=database_is_busy, cache_policy=NO_CACHE, persist_result=False)
def load_task(db_path: str, document: PendingDocument, analysis) -> str:
    """Load one analysis in one transaction; returns the load status."""
    return load_document(db_path, document, analysis)


@flow(name="process", flow_run_name="process {corpus}", task_runner=ThreadPoolTaskRunner(max_workers=1))
def process_flow(corpus: str, db_path: str, retry_failed: bool = False, scheduler: str | None = None) -> dict:
    """Analyse and load every document of `corpus` that `db_path` does not hold in this version (the analysis
    on the Dask cluster at `scheduler`, if given)."""
    from db.schema import open_database

    logger = get_run_logger()
    db = open_database(db_path)
    try:
        plan = plan_processing(corpus, db, retry_failed=retry_failed)
    finally:
        db.close()
    logger.info(plan.summary())
    counts = {"loaded": 0, "unchanged": 0, "failed": 0, "skipped": len(plan.loaded) + len(plan.failed_before)}
    futures = {analyse_task.submit(d.path, d.sha256, plan.version, scheduler): d for d in plan.pending}
    done: set[str] = set()
    try:
        with progress_bar("processing", len(futures)) as advance:
            for future in as_completed(list(futures)):
                document = futures[future]
                status = settle(db_path, document, lambda: load_task(db_path, document, future.result()),
                                warn=lambda line: logger.warning("%s", line),
                                error=lambda line: logger.error("%s", line))
                done.add(document.path)
                counts[status] += 1
                advance(document.filename)
    except RunStopped as stop:  # the disk is full: nothing more can be written; name what was not loaded
        for future in futures:
            future.cancel()
        logger.info("processed %d documents: %s", len(done), counts)
        return stopped_early(counts, plan.pending, done, stop, error=lambda line: logger.error("%s", line))
    logger.info("processed %d documents: %s", len(futures), counts)
    return counts


def run_process(corpus: str, db_path: str, dask_address: str | None = None, workers: int | None = None,
                retry_failed: bool = False) -> dict:
    """Run the process flow, the analysis on the given Dask cluster, on a local one of `workers` processes, or here."""
    from flows.cluster import analysis_cluster, analysis_slots

    with analysis_cluster(dask_address, workers) as scheduler:
        runner = ThreadPoolTaskRunner(max_workers=analysis_slots(scheduler))
        return process_flow.with_options(task_runner=runner)(corpus=corpus, db_path=db_path,
                                                             retry_failed=retry_failed, scheduler=scheduler)
