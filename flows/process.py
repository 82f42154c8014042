"""The process flow: analyse (extract + tag) every new or changed document, then load it.

Analysis is a Prefect task in the flow's process, cached by the document's sha256 and the analysis
version with persisted results, so a re-run never repeats it. It reads the PDF in a bounded worker
here (one at a time, since pdfium is not thread-safe), or sends its bytes to a Dask cluster
(`--dask-address`, or a local one with `--workers`) as plain Dask work (`flows.cluster`) and waits
for the answer: workers run no Prefect. Loading happens in the flow's own process, one transaction
per document, so a single SQLite writer holds the database. A failing document is recorded in `load_errors` and the
run goes on. Orchestration only: the work is in `extractors.pipeline` and `db.load`.
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

    if scheduler is not None:
        from flows.cluster import analyse_on_cluster

        try:
            return analyse_on_cluster(scheduler, path, sha256, version)
        except ExtractionError as error:
            outcome = error
    else:
        from extractors.guard import analyse_guarded

        [(_, outcome)] = list(analyse_guarded([path]))
    if isinstance(outcome, BaseException):
        # a file name's non-UTF-8 bytes would break Prefect's logging of the failure (orjson)
        outcome.args = tuple(shown(arg) if isinstance(arg, str) else arg for arg in outcome.args)
        if isinstance(outcome, ExtractionError):  # the document's own failure: one line, not a traceback
            return Failed(message=shown(str(outcome)), data=outcome)
        raise outcome
    return outcome


@task(name="load", task_run_name="load {document.sha256:.12}", retries=2, retry_delay_seconds=[1, 5],
      retry_condition_fn=database_is_busy, cache_policy=NO_CACHE, persist_result=False)
def load_task(db_path: str, document: PendingDocument, analysis) -> str:
    """Load one analysis in one transaction; returns the load status."""
    from db.load import load_analysis
    from db.schema import open_database

    db = open_database(db_path)
    try:
        result = load_analysis(db, relabelled(analysis, document.filename), source_url=document.source_url,
                               fetched_at=document.fetched_at, path=str(Path(document.path).resolve()))
    finally:
        db.close()
    return result.status


def relabelled(analysis, filename: str):
    """The analysis named after the file it is loaded from (a cached one keeps the name it was made under)."""
    from dataclasses import replace

    source = analysis.extract.source
    if source.filename == filename:
        return analysis
    return replace(analysis, extract=replace(analysis.extract, source=replace(source, filename=filename)))


def failure_message(error: BaseException) -> str:
    """The error as `load_errors` keeps it, naming the Dask worker it happened on, if any."""
    message = f"{type(error).__name__}: {error}"
    worker = getattr(error, "kompass_worker", None)
    return f"{message} [on {worker}]" if worker else message


def record_failure(db_path: str, document: PendingDocument, error: BaseException) -> None:
    from db.schema import open_database
    from db.store import record_load_error

    db = open_database(db_path)
    try:
        record_load_error(db, document.filename, document.sha256, failure_message(error))
    finally:
        db.close()


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
                status = _load_one(db_path, document, future, logger)
                done.add(document.path)
                counts[status] += 1
                advance(document.filename)
    except _Stop as stop:  # the disk is full: nothing more can be written; name what was not loaded
        from kompass.inputs import shown

        for future in futures:
            future.cancel()
        not_reached = [d.filename for d in plan.pending if d.path not in done]
        for name in not_reached:
            logger.error("%s", shown(f"{name}: not loaded: {stop}"))
        logger.info("processed %d documents: %s", len(done), counts)
        return {**counts, "not loaded": len(not_reached), "not_reached": not_reached, "stopped": str(stop)}
    logger.info("processed %d documents: %s", len(futures), counts)
    return counts


class _Stop(Exception):
    """The run cannot go on (the disk holding the database is full)."""


def _load_one(db_path: str, document: PendingDocument, future, logger) -> str:
    """Load a finished analysis; any failure is recorded against the document, never raised."""
    from db.store import DatabaseBusy, DiskFull, disk_full, is_disk_full
    from kompass.inputs import shown

    try:
        analysis = future.result()
        return load_task(db_path, document, analysis)
    except DiskFull as full:
        raise _Stop(str(full)) from None
    except Exception as error:  # a document's failure must not stop the run
        if is_disk_full(error, Path(db_path).parent):
            raise _Stop(str(disk_full(db_path, error))) from None
        logger.warning("%s", shown(f"{document.filename} ({document.sha256[:12]}): {failure_message(error)}"))
        try:
            record_failure(db_path, document, error)
        except DatabaseBusy as busy:  # not loaded and not recorded: the next run tries it again
            logger.error("%s", shown(f"{document.filename}: not loaded and not recorded: {busy}"))
        except Exception as unrecorded:  # noqa: BLE001
            if is_disk_full(unrecorded, Path(db_path).parent):
                raise _Stop(str(disk_full(db_path, unrecorded))) from None
            raise
        return "failed"


def run_process(corpus: str, db_path: str, dask_address: str | None = None, workers: int | None = None,
                retry_failed: bool = False) -> dict:
    """Run the process flow, the analysis on the given Dask cluster, on a local one of `workers` processes, or here."""
    from flows.cluster import analysis_cluster, analysis_slots

    with analysis_cluster(dask_address, workers) as scheduler:
        runner = ThreadPoolTaskRunner(max_workers=analysis_slots(scheduler))
        return process_flow.with_options(task_runner=runner)(corpus=corpus, db_path=db_path,
                                                             retry_failed=retry_failed, scheduler=scheduler)
