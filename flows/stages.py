"""Processing one document, as plain functions: analyse it, load it, or record why it failed.

The process flow's tasks call these (`flows.process`), and so does a run without Prefect
(`flows.plain`), so both write the same rows. No Prefect here: importing it costs seconds.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from flows.plan import PendingDocument


class RunStopped(Exception):
    """The run cannot go on (the disk holding the database is full)."""


def analyse_document(path: str, sha256: str, version: str, scheduler: str | None = None,
                     one_document: bool = False):
    """Extract and tag one PDF in a worker bounded in time and memory, here or on the Dask cluster at
    `scheduler`; the Analysis, or the document's error raised with its text made printable.
    `one_document`: the reader is forked from this process (no fork server), as `kompass extract` does."""
    from extractors.errors import ExtractionError
    from kompass.inputs import shown

    try:
        if scheduler is not None:
            from flows.cluster import analyse_on_cluster

            return analyse_on_cluster(scheduler, path, sha256, version)
        from extractors.guard import analyse_guarded

        [(_, outcome)] = list(analyse_guarded([path], one_document=one_document))
    except ExtractionError as error:
        outcome = error
    if isinstance(outcome, BaseException):
        # a file name's non-UTF-8 bytes would break Prefect's logging of the failure (orjson)
        outcome.args = tuple(shown(arg) if isinstance(arg, str) else arg for arg in outcome.args)
        raise outcome
    return outcome


def load_document(db_path: str, document: PendingDocument, analysis) -> str:
    """Load one analysis in one transaction, named after the file it is loaded from; the load status."""
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


def settle(db_path: str, document: PendingDocument, load: Callable[[], str],
           warn: Callable[[str], None], error: Callable[[str], None]) -> str:
    """Run `load()` (analyse if need be, then load); a failure is recorded against the document and
    "failed" returned, never raised. RunStopped when the disk is full (nothing more can be written)."""
    from db.store import DatabaseBusy, DiskFull, disk_full, is_disk_full
    from kompass.inputs import shown

    try:
        return load()
    except DiskFull as full:
        raise RunStopped(str(full)) from None
    except Exception as failure:  # a document's failure must not stop the run
        if is_disk_full(failure, Path(db_path).parent):
            raise RunStopped(str(disk_full(db_path, failure))) from None
        warn(shown(f"{document.filename} ({document.sha256[:12]}): {failure_message(failure)}"))
        try:
            record_failure(db_path, document, failure)
        except DatabaseBusy as busy:  # not loaded and not recorded: the next run tries it again
            error(shown(f"{document.filename}: not loaded and not recorded: {busy}"))
        except Exception as unrecorded:  # noqa: BLE001
            if is_disk_full(unrecorded, Path(db_path).parent):
                raise RunStopped(str(disk_full(db_path, unrecorded))) from None
            raise
        return "failed"


def stopped_early(counts: dict, pending: list[PendingDocument], done: set[str], stop: RunStopped,
                  error: Callable[[str], None]) -> dict:
    """The run's counts when it stopped early, naming every document it did not load."""
    from kompass.inputs import shown

    not_reached = [d.filename for d in pending if d.path not in done]
    for name in not_reached:
        error(shown(f"{name}: not loaded: {stop}"))
    return {**counts, "not loaded": len(not_reached), "not_reached": not_reached, "stopped": str(stop)}
