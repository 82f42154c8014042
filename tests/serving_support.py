"""Real processes for the serving tests: `kompass serve` on a free port, `kompass load` in the background,
and the processes a run leaves behind (found by a marker in their environment)."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
KOMPASS = [sys.executable, "-m", "kompass"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _address_space_limit(limit_mb: int | None):
    if limit_mb is None:
        return None

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
    return limit


@contextlib.contextmanager
def kompass_serve(db_path: Path, *extra: str, env: dict | None = None, startup_s: float = 60,
                  address_space_mb: int | None = None, output: Path | None = None):
    """`kompass serve --db PATH` on a free port; yields (base URL, process); stopped on exit.
    `address_space_mb`: the server's RLIMIT_AS (a query that needs more fails instead of growing);
    `output`: a file for what the server writes (stdout and stderr), else a pipe."""
    port = free_port()
    sink = output.open("wb") if output else subprocess.PIPE
    process = subprocess.Popen([*KOMPASS, "serve", "--db", str(db_path), "--port", str(port), *extra], cwd=ROOT,
                               stdout=sink, stderr=subprocess.STDOUT, env=env,
                               preexec_fn=_address_space_limit(address_space_mb))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_s
        while True:
            try:
                if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                said = output.read_text(errors="replace") if output else process.stdout.read().decode()
                raise AssertionError(f"kompass serve exited: {said}")
            if time.monotonic() > deadline:
                raise AssertionError(f"kompass serve did not answer within {startup_s:g} s")
            time.sleep(0.1)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if output:
            sink.close()


def processes_marked(marker: str) -> list[tuple[int, str]]:
    """(pid, command line) of every live process whose environment holds KOMPASS_TEST_MARKER=marker."""
    wanted = f"KOMPASS_TEST_MARKER={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            status = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if status.split(") ", 1)[-1].startswith("Z"):
            continue  # a zombie holds no memory or port; its parent has not waited yet
        if wanted in environ.split(b"\0"):
            found.append((int(entry.name), command.strip()))
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
