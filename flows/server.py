"""Prefect's temporary API server, tied to the run that needs it.

Without PREFECT_API_URL, Prefect starts a temporary API server (uvicorn in a subprocess, about
250 MB) and stops it when the Python process exits normally. A run killed with `kill -9` never
exits normally: every killed `kompass process` or `harvest` left its server running (measured on
this machine; the issue counted 20 of them, 4.5 GB, after 15 minutes). Choices: reap leftovers at
the next start (they live until then, and telling ours from someone else's needs bookkeeping),
require PREFECT_API_URL (every user must run a server), or keep Prefect's own server but have the
kernel kill it with its parent (PR_SET_PDEATHSIG). The last is chosen: same startup cost, nothing
for the user to do, nothing left even after `kill -9`. With PREFECT_API_URL set nothing changes.

On a loaded machine the server may not answer within Prefect's start-up timeout
(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS). Prefect then raises a bare RuntimeError and
leaves its half-started server behind; here the server is stopped and started again with twice the
time, up to START_ATTEMPTS times, each retry said in one line; if none answers, one ServerNotStarted
error (one line for the user) says what to do.
"""
from __future__ import annotations

import functools
import os
import subprocess
import sys
import types
from typing import Callable
from unittest import mock

from kompass.errors import KompassError
from kompass.lifetime import die_with_parent

START_ATTEMPTS = 3


class ServerNotStarted(KompassError):
    """Prefect's temporary API server did not answer in time, however often it was started."""


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _first_line(error: BaseException) -> str:
    text = " ".join(str(error).split(".")[0].split()) or type(error).__name__
    return text[:200]


def _tied_popen():
    """`subprocess` as Prefect's server module sees it, with a Popen whose child dies with this process."""
    popen = functools.partial(subprocess.Popen, preexec_fn=functools.partial(die_with_parent, os.getpid()))
    return types.SimpleNamespace(Popen=popen, PIPE=subprocess.PIPE, STDOUT=subprocess.STDOUT,
                                 TimeoutExpired=subprocess.TimeoutExpired)


def start_tied_server(attempts: int = START_ATTEMPTS, say: Callable[[str], None] = _say) -> str | None:
    """Start Prefect's temporary server now, from this (main) thread, tied to this process; its API URL.

    None when PREFECT_API_URL names a server (nothing temporary to start). Prefect's own calls later
    find this server as the default one and use it. A start that times out is stopped and retried with
    twice the time; ServerNotStarted after `attempts` failures.
    """
    from prefect.server.api import server as prefect_server
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    if PREFECT_API_URL.value():
        return None
    default = prefect_server.SubprocessASGIServer._instances.get(None)
    if default is not None and default.running:
        return default.api_url
    timeout = PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()
    reason = ""
    for attempt in range(1, attempts + 1):
        prefect_server.SubprocessASGIServer._instances.pop(None, None)
        default = prefect_server.SubprocessASGIServer()  # registered as the default (port None)
        try:
            with mock.patch.object(prefect_server, "subprocess", _tied_popen()):
                default.start(timeout=timeout)
            return default.api_url
        except Exception as error:  # noqa: BLE001 — Prefect raises RuntimeError, httpx errors, OSError…
            reason = _first_line(error)
            _stop_quietly(default)
        if attempt < attempts:
            timeout = max(1, timeout * 2) if timeout else timeout
            say(f"Prefect's temporary server did not start ({reason}); retry {attempt} of {attempts - 1}"
                + (f", waiting up to {timeout:g} s" if timeout else ""))
    raise ServerNotStarted(
        f"Prefect's temporary server did not start after {attempts} attempts ({reason}); try again when the "
        "machine is less busy, raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or set PREFECT_API_URL "
        "to a running Prefect server")


def _stop_quietly(server) -> None:
    """Stop a server whose start failed (Prefect leaves its process running) and forget it."""
    try:
        server.stop()
    except Exception:  # noqa: BLE001 — it may already be gone
        pass
