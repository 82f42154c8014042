"""The analysis on a Dask cluster as plain Dask work: the flow sends each PDF's bytes, a worker answers.

Workers run `extractors.remote.analyse_pdf_bytes`, a plain function: they need the project installed,
not the corpus, and they never run Prefect (a Prefect task on a worker without PREFECT_API_URL starts a
temporary API server of its own per worker process, which outlived the workers). Prefect stays in the
flow's process: its `analyse` task sends the bytes, waits for the answer and is cached by content there.
A document's failure comes back as a value naming the worker; a cluster's failure (a worker lost, no
answer in time) is raised naming the scheduler. Orchestration only.
"""
from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extractors.errors import ExtractionError
from extractors.guard import DocumentTimeout, Limits
from kompass.errors import KompassError

CONNECT_TIMEOUT_S = 30
WORKERS_TIMEOUT_S = 60
START_ALLOWANCE_S = 300  # a reader's start and a queue behind other documents, on top of the document's own bound
_clients: dict[str, object] = {}
_lock = threading.Lock()


class ClusterUnavailable(KompassError):
    """The Dask scheduler could not be reached, or has no workers."""


class ClusterFailure(ExtractionError):
    """The cluster lost the document's analysis (its worker died, the connection broke)."""


@contextmanager
def analysis_cluster(dask_address: str | None = None, workers: int | None = None) -> Iterator[str | None]:
    """The scheduler address to analyse on: the given cluster, a local one of `workers` processes, or None."""
    if not dask_address and not (workers and workers > 1):
        yield None
        return
    from distributed import Client, LocalCluster

    if dask_address:
        try:
            client = Client(dask_address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except OSError as error:
            raise ClusterUnavailable(f"no Dask scheduler answers at {dask_address}: {error}") from None
        with client:
            _ready(client, dask_address)
            with _registered(client, dask_address):
                yield dask_address
        return
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # the local scheduler's and nannies' INFO lines are not the user's business
    try:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.WARNING) as cluster, Client(cluster, set_as_default=False) as client:
            with _registered(client, cluster.scheduler_address):
                yield cluster.scheduler_address
    finally:
        quiet.setLevel(level)


def _ready(client, address: str) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
    except TimeoutError:
        raise ClusterUnavailable(f"the Dask scheduler at {address} has no workers "
                                 f"(waited {WORKERS_TIMEOUT_S} s); start some with `dask worker {address}`") from None


@contextmanager
def _registered(client, address: str):
    with _lock:
        _clients[address] = client
    try:
        yield
    finally:
        with _lock:
            _clients.pop(address, None)


def analysis_slots(address: str | None) -> int:
    """How many analyses to keep in flight: two per worker thread (one running, one queued), at least one."""
    if address is None:
        return 1
    threads = sum(_client(address).nthreads().values())
    return max(1, min(2 * threads, 128))


def _client(address: str):
    """The run's client for this scheduler (a flow started elsewhere, e.g. by a deployment, opens its own)."""
    with _lock:
        client = _clients.get(address)
        if client is None or client.status not in ("running", "connecting"):
            from distributed import Client

            client = _clients[address] = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        return client


def analyse_on_cluster(address: str, path: str, sha256: str, version: str | None = None, limits: Limits = Limits()):
    """The analysis of the file at `path` (on this machine) by a worker of the cluster; raises its failure
    with the worker's name attached (`error.kompass_worker`)."""
    from kompass.inputs import check_input
    from extractors.remote import analyse_pdf_bytes

    check_input(path)  # a FIFO or an oversized file is refused here, never read
    name = Path(path).name
    future = _client(address).submit(analyse_pdf_bytes, Path(path).read_bytes(), name, sha256, limits, version,
                                      key=f"analyse-{sha256[:12]}-{uuid.uuid4().hex[:8]}", pure=False)
    wait_s = limits.timeout_s * limits.grace_ceiling + START_ALLOWANCE_S
    try:
        outcome = future.result(timeout=wait_s)
    except TimeoutError:
        future.cancel()
        raise DocumentTimeout(f"{name}: no answer from the Dask cluster at {address} within {wait_s:g} s") from None
    except Exception as error:  # noqa: BLE001 — KilledWorker, a closed connection…: the cluster's failure
        raise ClusterFailure(f"{name}: the Dask cluster at {address} lost its analysis "
                             f"({type(error).__name__}: {error})") from None
    if outcome.failed:
        error = outcome.value
        error.kompass_worker = outcome.worker
        raise error
    return outcome.value
