"""`kompass serve` under floods (issue 22): 20 parallel downloads of a 50 MB PDF, 20 clients sending
16,000-letter words, 50 clients on a mixed load, a full download queue. The real server on 127.0.0.1 over a
real database (the bundled report and a 50 MB copy of it, made here and never committed); the clients in a
process of their own under an address-space cap (tests/flood_support.py); the server's RSS read from /proc.

Each flood is bounded in clients, requests and seconds. `slow`: about 3 minutes in all.
"""
from __future__ import annotations

import socket
import subprocess
import time

import httpx
import pytest

from outputs.pdf_stream import MAX_STREAMS, MAX_WAITING, QUEUE_WAIT_S, RETRY_AFTER_S
from tests.flood_support import mixed_pages, padded_pdf, run_flood, sha256_of
from tests.outputs_support import REAL_REPORT
from tests.serving_support import KOMPASS, ROOT, kompass_serve

pytestmark = pytest.mark.slow

PDF_BYTES = 50_000_000
MAX_RSS_MB = 500
MAX_PROBE_P95_S = 1.0
MAX_MIXED_P95_S = 2.0
BACK_TO_BASELINE = 1.10
DATABASE = "kommunkompassen"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("floods")
    big = padded_pdf(REAL_REPORT, folder / "stor-rapport.pdf", PDF_BYTES)
    db_path = folder / f"{DATABASE}.db"
    subprocess.run([*KOMPASS, "load", str(REAL_REPORT), str(big), "--db", str(db_path)], cwd=ROOT, check=True,
                   capture_output=True, timeout=600)
    log = folder / "serve.log"
    with kompass_serve(db_path, output=log) as (base, process):
        yield {"base": base, "pid": process.pid, "log": log, "db": db_path, "sha": sha256_of(big),
               "size": big.stat().st_size}


def _no_traceback(served) -> None:
    said = served["log"].read_text(errors="replace")
    assert "Traceback" not in said and "Exception in ASGI" not in said, said[-3000:]


def _bounded(figures: dict) -> None:
    assert figures["rss_peak_mb"] <= MAX_RSS_MB, figures
    assert figures["probe_errors"] == 0 and figures["probe_count"] >= 5, figures
    assert figures["probe_p95_s"] <= MAX_PROBE_P95_S, figures


@pytest.mark.timeout(600)
def test_twenty_parallel_downloads_of_a_50_mb_pdf_stay_bounded(served):
    figures = run_flood("pdf", served["base"], served["pid"], database=DATABASE, sha=served["sha"],
                        size=served["size"], clients=20)
    print(figures)
    assert figures["downloads"] == 20 and figures["errors"] == 0, figures  # each checked whole by its sha256
    _bounded(figures)
    assert figures["rss_after_mb"] <= figures["rss_before_mb"] * BACK_TO_BASELINE, figures
    _no_traceback(served)


@pytest.mark.timeout(600)
def test_twenty_clients_sending_16000_letter_words_stay_bounded(served):
    figures = run_flood("search", served["base"], served["pid"], database=DATABASE, clients=20, seconds=20,
                        letters=16_000)
    print(figures)
    assert figures["errors"] == 0 and figures["requests"] >= 40, figures
    _bounded(figures)
    assert figures["rss_after_mb"] <= figures["rss_before_mb"] * BACK_TO_BASELINE, figures
    _no_traceback(served)


@pytest.mark.timeout(600)
def test_fifty_clients_on_a_mixed_load_answer_every_request_within_two_seconds(served):
    from db.bench import sample_parameters

    pages = mixed_pages(DATABASE, "1982-2009", sample_parameters(served["db"]))
    figures = run_flood("mixed", served["base"], served["pid"], database=DATABASE, pages=pages, clients=50,
                        seconds=60)
    print(figures)
    assert figures["errors"] == 0, figures
    assert figures["requests"] >= 500, figures
    assert figures["p95_s"] <= MAX_MIXED_P95_S, figures
    assert figures["rss_peak_mb"] <= MAX_RSS_MB, figures
    _no_traceback(served)


def _held_download(base: str, path: str) -> socket.socket:
    """A download asked for and never read: once the socket buffers are full it holds its slot."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    return sock


def _status_lines(held: list[socket.socket], seen: dict[int, bytes]) -> dict[int, bytes]:
    """The first bytes each held socket has received so far (read without blocking)."""
    for index, sock in enumerate(held):
        if len(seen.get(index, b"")) < 12:
            sock.setblocking(False)
            try:
                seen[index] = seen.get(index, b"") + sock.recv(64)
            except BlockingIOError:
                pass
    return seen


@pytest.mark.timeout(300)
def test_a_full_download_queue_answers_503_at_once_and_frees_when_clients_leave(served):
    base, path = served["base"], f"/-/kompass/pdf/{served['sha']}.pdf"
    extra = 3
    started = time.monotonic()
    held = [_held_download(base, path) for _ in range(MAX_STREAMS + MAX_WAITING + extra)]
    try:
        seen: dict[int, bytes] = {}
        while time.monotonic() - started < QUEUE_WAIT_S - 5:  # before any queued request's wait runs out
            lines = [first[:12] for first in _status_lines(held, seen).values()]
            if lines.count(b"HTTP/1.1 503") >= extra and lines.count(b"HTTP/1.1 200") >= MAX_STREAMS:
                break
            time.sleep(0.2)
        waited = time.monotonic() - started
        lines = [first[:12] for first in seen.values()]
        assert lines.count(b"HTTP/1.1 200") == MAX_STREAMS, lines  # streaming, blocked on full buffers
        assert lines.count(b"HTTP/1.1 503") == extra, lines  # past the queue: turned away
        assert waited < 10, f"the 503s took {waited:.1f} s"
        busy = next(sock for index, sock in enumerate(held) if seen.get(index, b"").startswith(b"HTTP/1.1 503"))
        busy.setblocking(True)
        busy.settimeout(10)
        head = seen[held.index(busy)] + busy.recv(4096)
        assert f"retry-after: {RETRY_AFTER_S}".encode() in head.lower(), head
        assert httpx.get(f"{base}/{DATABASE}.json", params={"sql": "select 1"}, timeout=5).status_code == 200
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + 60
    while True:  # clients that hung up leave their slot and their place in the queue
        with httpx.Client(timeout=60) as client, client.stream("GET", base + path) as response:
            if response.status_code == 200:
                assert sum(len(b) for b in response.iter_bytes()) == served["size"]
                break
        assert time.monotonic() < deadline, "the slots of clients that hung up were never freed"
        time.sleep(1)
    _no_traceback(served)
