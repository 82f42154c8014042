"""Floods against a real `kompass serve`: PDF downloads, long search words, a mixed load of many clients.

The clients run in a process of their own under an address-space cap (`python -m tests.flood_support KIND
…`, a JSON line of figures on stdout), so a flood that went wrong fails the client, not the machine; this
process samples the server's resident memory from /proc meanwhile. Every flood is bounded in clients,
requests and seconds, and every request has a timeout. Used by tests/test_reliability_floods.py and
benchmarks/server_bench.py.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENT_ADDRESS_SPACE_MB = 2048
CLIENT_STACK_BYTES = 512 * 1024
LETTERS = "abcdefghijklmnopqrstuvwxyzåäö"
PROBE_PAUSE_S = 0.05
REQUEST_TIMEOUT_S = 60.0


def percentile(samples: list[float], fraction: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def padded_pdf(source: Path, target: Path, size: int) -> Path:
    """`source` with an incremental update appending one unreferenced stream of random bytes, `size` bytes in
    all: a valid PDF that reads as `source` does (pdfium, qpdf --check), and large."""
    data = source.read_bytes()
    tail = data[-2048:].decode("latin-1")
    fields = dict(re.findall(r"/(Size|Root|Info)\s+(\d+\s+\d+\s+R|\d+)", tail))
    previous = int(re.findall(r"startxref\s+(\d+)", tail)[-1])
    number = int(fields["Size"])
    with target.open("wb") as out:
        out.write(data)
        offset = out.tell() + 1
        padding = max(0, size - len(data) - 400)
        out.write(b"\n%d 0 obj\n<< /Length %d >>\nstream\n" % (number, padding))
        for start in range(0, padding, 1 << 20):
            out.write(os.urandom(min(1 << 20, padding - start)))
        out.write(b"\nendstream\nendobj\n")
        xref = out.tell()
        info = f" /Info {fields['Info']}" if "Info" in fields else ""
        out.write(f"xref\n{number} 1\n{offset:010d} 00000 n \ntrailer\n<< /Size {number + 1} /Root {fields['Root']}"
                  f"{info} /Prev {previous} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- the server side: resident memory from /proc ---------------------------------------------------------

def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class RssSampler:
    """The server's VmRSS every `interval` seconds while running (a thread); `peak` the largest seen."""
    pid: int
    interval: float = 0.05
    peak: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> RssSampler:
        self.peak = rss_mb(self.pid)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except OSError:
                return
            time.sleep(self.interval)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)


def _client_limits() -> None:
    import resource

    limit = CLIENT_ADDRESS_SPACE_MB << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_flood(kind: str, base: str, server_pid: int, settle_s: float = 3.0, **options) -> dict:
    """One flood from a capped client process; the client's figures plus the server's RSS before (after a
    warm-up request by the client), at peak and `settle_s` after the flood."""
    arguments = [sys.executable, "-m", "tests.flood_support", kind, base, json.dumps(options)]
    env = {**os.environ, "MALLOC_ARENA_MAX": "2"}
    process = subprocess.Popen(arguments, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env, preexec_fn=_client_limits)
    ready = process.stdout.readline()  # the client says "warm" once its warm-up request is answered
    if not ready.startswith("warm"):
        out, err = process.communicate(timeout=60)
        raise RuntimeError(f"flood client {kind} failed before starting: {ready}{out}{err[-2000:]}")
    before = rss_mb(server_pid)
    with RssSampler(server_pid) as sampler:
        out, err = process.communicate(timeout=options.get("seconds", 60) + 600)
    if process.returncode != 0:
        raise RuntimeError(f"flood client {kind} failed ({process.returncode}): {err[-2000:]}")
    time.sleep(settle_s)
    figures = json.loads(out.strip().splitlines()[-1])
    figures.update(load_1min=round(os.getloadavg()[0], 1), rss_before_mb=round(before, 1), rss_peak_mb=round(max(sampler.peak, before), 1),
                   rss_after_mb=round(rss_mb(server_pid), 1))
    return figures


# --- the client side: threads with timeouts, bounded in count and time -----------------------------------

class Probe:
    """`select 1` through the server's SQL endpoint every PROBE_PAUSE_S while the flood runs."""

    def __init__(self, url: str) -> None:
        self.url, self.times, self.errors = url, [], 0
        self._stop = threading.Event()

    def __enter__(self) -> Probe:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        import httpx

        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    ok = client.get(self.url, params={"sql": "select 1", "_shape": "array"}).status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.times.append(time.monotonic() - started)
                self.errors += not ok
                time.sleep(PROBE_PAUSE_S)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(REQUEST_TIMEOUT_S + 5)

    def figures(self) -> dict:
        return {"probe_count": len(self.times), "probe_errors": self.errors,
                "probe_p50_s": _round(percentile(self.times, 0.5)), "probe_p95_s": _round(percentile(self.times, 0.95)),
                "probe_max_s": _round(max(self.times, default=None))}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _in_threads(count: int, work) -> list:
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            results[index] = work(index)
        except Exception as error:  # a client's failure is a figure, not a crash of the flood
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _warm(base: str, database: str) -> None:
    import httpx

    httpx.get(f"{base}/{database}.json", params={"sql": "select 1"}, timeout=REQUEST_TIMEOUT_S).raise_for_status()
    print("warm", flush=True)


def pdf_flood(base: str, database: str, sha: str, size: int, clients: int = 20, attempts: int = 8) -> dict:
    """`clients` parallel downloads of one PDF, each checked whole (length and sha256); a 503 is retried after
    its Retry-After, at most `attempts` times."""
    import httpx

    _warm(base, database)
    start = threading.Barrier(clients)
    busy = [0]

    def download(_: int) -> float:
        start.wait(30)
        began = time.monotonic()
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as client:
            for _attempt in range(attempts):
                digest, received = hashlib.sha256(), 0
                with client.stream("GET", f"{base}/-/kompass/pdf/{sha}.pdf") as response:
                    if response.status_code == 503:
                        busy[0] += 1
                        time.sleep(min(float(response.headers.get("retry-after", "1")), 10))
                        continue
                    if response.status_code != 200:
                        raise RuntimeError(f"HTTP {response.status_code}")
                    for block in response.iter_bytes(1 << 16):
                        digest.update(block)
                        received += len(block)
                if received != size or digest.hexdigest() != sha:
                    raise RuntimeError(f"received {received} of {size} bytes, sha256 {digest.hexdigest()[:12]}")
                return time.monotonic() - began
        raise RuntimeError(f"still busy after {attempts} attempts")

    with Probe(f"{base}/{database}.json") as probe:
        began = time.monotonic()
        results = _in_threads(clients, download)
        elapsed = time.monotonic() - began
    times = [r for r in results if isinstance(r, float)]
    errors = [repr(r) for r in results if not isinstance(r, float)]
    return {"clients": clients, "downloads": len(times), "errors": len(errors), "error_samples": errors[:3],
            "busy_503": busy[0], "elapsed_s": round(elapsed, 1), "download_p95_s": _round(percentile(times, 0.95)),
            **probe.figures()}


def long_word(rng: random.Random, letters: int) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(letters))


def search_flood(base: str, database: str, clients: int = 20, seconds: float = 20, letters: int = 16_000,
                 max_requests: int = 2000) -> dict:
    """`clients` clients sending `letters`-letter words for `seconds`: through the canned query
    findings_with_word and through `kompass_fts` in SQL, by turns. 200 or a 400 query error count as
    answered; anything else (5xx, timeout, refused) is an error."""
    import httpx

    _warm(base, database)
    deadline = time.monotonic() + seconds
    sent = [0]
    lock = threading.Lock()

    def client(index: int) -> tuple[list[float], dict[str, int]]:
        rng = random.Random(index)
        times, statuses = [], {}
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
            turn = index
            while time.monotonic() < deadline:
                with lock:
                    if sent[0] >= max_requests:
                        break
                    sent[0] += 1
                word = long_word(rng, letters)
                started = time.monotonic()
                try:
                    if turn % 2 == 0:
                        response = http.get(f"{base}/{database}/findings_with_word.json",
                                            params={"ord": word, "typ": "", "kommun": "", "_shape": "array"})
                    else:
                        response = http.get(f"{base}/{database}.json",
                                            params={"sql": "select kompass_fts(:w) as q", "w": word})
                    status = str(response.status_code)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                times.append(time.monotonic() - started)
                statuses[status] = statuses.get(status, 0) + 1
                turn += 1
        return times, statuses

    with Probe(f"{base}/{database}.json") as probe:
        results = _in_threads(clients, client)
    times = [t for r in results if isinstance(r, tuple) for t in r[0]]
    statuses: dict[str, int] = {}
    for result in results:
        for status, count in (result[1].items() if isinstance(result, tuple) else [(repr(result), 1)]):
            statuses[status] = statuses.get(status, 0) + count
    errors = sum(count for status, count in statuses.items() if status not in ("200", "400"))
    return {"clients": clients, "requests": len(times), "errors": errors, "statuses": statuses,
            "request_p95_s": _round(percentile(times, 0.95)), **probe.figures()}


def mixed_pages(database: str, evaluation: str, samples: dict[str, dict[str, str]]) -> list[str]:
    """What researchers open: the index, tables, searches, every canned query (HTML and JSON), the dashboard,
    a chart, SQL."""
    from urllib.parse import urlencode

    pages = ["/", f"/{database}", f"/{database}/findings", f"/{database}/sentences?_search=budget",
             f"/{database}/evaluations", f"/{database}/evaluation_areas", f"/{database}/good_examples?_facet=area",
             f"/{database}/area_scores.json?_shape=array", "/-/dashboards/kommunkompassen",
             f"/-/kompass/chart/{evaluation}.svg",
             f"/{database}.json?" + urlencode({"sql": "select count(*) from sentences", "_shape": "array"})]
    for query, params in samples.items():
        pages.append(f"/{database}/{query}?" + urlencode(params))
        pages.append(f"/{database}/{query}.json?" + urlencode({**params, "_shape": "array"}))
    return pages


def mixed_load(base: str, database: str, pages: list[str], clients: int = 50, seconds: float = 60,
               uncached_every: int = 3) -> dict:
    """`clients` clients each opening `pages` in turn (each from its own place) for `seconds`; every
    `uncached_every`-th request carries a cookie, so the server's page cache cannot answer it (a browser
    with a cookie). Every answer but a 200 is an error."""
    import httpx

    _warm(base, database)
    deadline = time.monotonic() + seconds

    def client(index: int) -> tuple[list[float], list[str], dict[str, list[float]], int]:
        times, errors, by_page, hits = [], [], {}, 0
        with httpx.Client(timeout=REQUEST_TIMEOUT_S, follow_redirects=True) as http:
            turn = index
            while time.monotonic() < deadline:
                page = pages[turn % len(pages)]
                headers = {"cookie": f"flood={index}-{turn}"} if turn % uncached_every == 0 else {}
                started = time.monotonic()
                try:
                    response = http.get(base + page, headers=headers)
                    status = response.status_code
                    hits += response.headers.get("x-kompass-cache") == "hit"
                except httpx.HTTPError as error:
                    status = type(error).__name__
                elapsed = time.monotonic() - started
                times.append(elapsed)
                by_page.setdefault(page, []).append(elapsed)
                if status != 200:
                    errors.append(f"{status} {page}")
                turn += 1
        return times, errors, by_page, hits

    with Probe(f"{base}/{database}.json") as probe:
        began = time.monotonic()
        results = _in_threads(clients, client)
        elapsed = time.monotonic() - began
    answered = [r for r in results if isinstance(r, tuple)]
    times = [t for r in answered for t in r[0]]
    errors = [e for r in answered for e in r[1]] + [repr(r) for r in results if not isinstance(r, tuple)]
    by_page: dict[str, list[float]] = {}
    for result in answered:
        for page, samples in result[2].items():
            by_page.setdefault(page, []).extend(samples)
    slowest = sorted(((percentile(s, 0.95), page) for page, s in by_page.items()), reverse=True)[:5]
    return {"clients": clients, "seconds": seconds, "requests": len(times), "errors": len(errors),
            "error_samples": errors[:5], "elapsed_s": round(elapsed, 1),
            "requests_per_s": round(len(times) / elapsed, 1) if elapsed else None,
            "cache_hits": sum(r[3] for r in answered),
            "p50_s": _round(percentile(times, 0.5)), "p95_s": _round(percentile(times, 0.95)),
            "slowest_pages_p95": [[_round(p95), page] for p95, page in slowest], **probe.figures()}


FLOODS = {"pdf": pdf_flood, "search": search_flood, "mixed": mixed_load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(FLOODS))
    parser.add_argument("base")
    parser.add_argument("options", help="the flood's keyword arguments as JSON")
    args = parser.parse_args()
    threading.stack_size(CLIENT_STACK_BYTES)
    figures = FLOODS[args.kind](args.base, **json.loads(args.options))
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
