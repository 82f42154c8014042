"""A process run without Prefect: the process flow's stages, one document after another, in this process.

Without PREFECT_API_URL every flow run starts Prefect's temporary API server (8–12 s on this
machine, more than reading a text report takes), and importing Prefect alone costs a second or more. A
run with one document to process and no Dask workers therefore calls the same stage functions as the
flow's tasks (`flows.stages`) here, in order, and writes the same rows (`tests/test_process.py`
compares both databases). What it gives up is the flow's record in Prefect and its persisted analysis
cache; a run with a Prefect server configured, with workers, or with more documents uses the flow.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from flows.plan import ProcessPlan
from flows.progress import progress_bar
from flows.stages import RunStopped, analyse_document, load_document, settle, stopped_early

RUNNERS = ("auto", "prefect", "plain")


def prefect_server_configured() -> bool:
    """Whether a Prefect API server is named (PREFECT_API_URL in the environment or the active profile),
    read without importing Prefect; runs are then recorded there and cost no server start."""
    if os.environ.get("PREFECT_API_URL"):
        return True
    import tomllib

    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    try:
        profiles = tomllib.loads((Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
                                  ).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    settings = profiles.get("profiles", {}).get(active, {})
    return isinstance(settings, dict) and bool(settings.get("PREFECT_API_URL"))


def runs_plain(runner: str, plan: ProcessPlan, distributed: bool) -> bool:
    """Whether this run goes without Prefect: asked for, or (auto) one document, no workers and no server named."""
    if runner != "auto":
        return runner == "plain"
    return len(plan.pending) == 1 and not distributed and not prefect_server_configured()


def _say(line: str) -> None:
    print(f"Error: {line}", file=sys.stderr, flush=True)


def run_plain(db_path: str, plan: ProcessPlan) -> dict:
    """Analyse and load each pending document of `plan` here, as the process flow would; the same counts.
    One document is read by a reader forked from this process, several through the fork server."""
    counts = {"loaded": 0, "unchanged": 0, "failed": 0, "skipped": len(plan.loaded) + len(plan.failed_before)}
    one_document = len(plan.pending) == 1
    done: set[str] = set()
    try:
        with progress_bar("processing", len(plan.pending)) as advance:
            for document in plan.pending:
                def analyse_and_load(document=document) -> str:
                    analysis = analyse_document(document.path, document.sha256, plan.version,
                                                one_document=one_document)
                    return load_document(db_path, document, analysis)

                status = settle(db_path, document, analyse_and_load, warn=_say, error=_say)
                done.add(document.path)
                counts[status] += 1
                advance(document.filename)
    except RunStopped as stop:  # the disk is full: nothing more can be written; name what was not loaded
        return stopped_early(counts, plan.pending, done, stop, error=lambda line: None)  # the command names them
    return counts
