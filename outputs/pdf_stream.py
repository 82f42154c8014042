"""Report PDFs served in bounded memory and bounded parallel: a fixed buffer, a few streams at once, a short
queue with a deadline, and a file's sha256 checked once per (path, inode, size, modification time).

A download holds at most CHUNK_BYTES of the file in the server (the socket's send buffer is uvicorn's flow
control: `send` waits while the client is slow), so 20 parallel downloads of a 50 MB PDF cost a few MB, not
1 GB. At most MAX_STREAMS files are read and sent at once; up to MAX_WAITING more requests wait their turn
for at most QUEUE_WAIT_S, the rest get a quick 503 with `Retry-After`. A stream is cut at its deadline
(STREAM_BASE_S plus its size at MIN_BYTES_PER_S), so a client that reads one byte a second cannot hold a
slot for ever. Hashing a file (its sha256 must still be the one loaded) happens inside a slot, in a thread,
and is remembered for that file's identity: a PDF asked for again is not read twice.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import re
import time
import weakref
from collections import OrderedDict
from pathlib import Path

from datasette.utils.asgi import Response

MAX_PDF_BYTES = 200 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
MAX_STREAMS = 4
MAX_WAITING = 32
QUEUE_WAIT_S = 30.0
RETRY_AFTER_S = 5
STREAM_BASE_S = 60.0
MIN_BYTES_PER_S = 256 * 1024
HASHES_REMEMBERED = 256


class PdfGate:
    """At most `streams` downloads at once; at most `waiting` more wait, each at most `wait_s` seconds."""

    def __init__(self, streams: int = MAX_STREAMS, waiting: int = MAX_WAITING, wait_s: float = QUEUE_WAIT_S) -> None:
        self.slots = asyncio.Semaphore(streams)
        self.waiting = 0
        self.max_waiting = waiting
        self.wait_s = wait_s

    async def enter(self, gone: asyncio.Event | None = None) -> bool:
        """True when a slot was taken (release it with `leave`); False when the queue is full, the wait ran
        out or the client hung up meanwhile (`gone`)."""
        if not self.slots.locked():
            await self.slots.acquire()  # a free slot is taken at once (no suspension: no one slips past)
            return True
        if self.waiting >= self.max_waiting:
            return False
        self.waiting += 1
        acquire = asyncio.ensure_future(self.slots.acquire())
        hung_up = asyncio.ensure_future(gone.wait()) if gone else None
        try:
            await asyncio.wait([acquire, *([hung_up] if hung_up else [])], timeout=self.wait_s,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.waiting -= 1
            if hung_up:
                hung_up.cancel()
        if not acquire.done():
            acquire.cancel()  # Semaphore.acquire passes a wake-up it got on to the next waiter
            return False
        if gone is not None and gone.is_set():
            self.slots.release()
            return False
        return True

    def leave(self) -> None:
        self.slots.release()


_GATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def gate_for(datasette) -> PdfGate:
    """The gate of one Datasette instance (created in its event loop on first use)."""
    if datasette not in _GATES:
        _GATES[datasette] = PdfGate()
    return _GATES[datasette]


Identity = tuple[int, int, int, int]  # device, inode, size, modification time (ns)


def identity(status: os.stat_result) -> Identity:
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


_HASHES: OrderedDict[tuple[str, Identity], str] = OrderedDict()


def file_sha256(path: Path) -> tuple[str, Identity] | None:
    """The file's sha256 and the identity it was computed for (remembered by that identity); None when the
    file is missing, unreadable, not a regular file or larger than MAX_PDF_BYTES."""
    try:
        status = path.stat()
        if not path.is_file() or status.st_size > MAX_PDF_BYTES:
            return None
        key = (str(path), identity(status))
        if key in _HASHES:
            _HASHES.move_to_end(key)
            return _HASHES[key], key[1]
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            if identity(os.fstat(handle.fileno())) != key[1]:
                return None  # replaced between stat and open: ask again
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _HASHES[key] = digest.hexdigest()
        while len(_HASHES) > HASHES_REMEMBERED:
            _HASHES.popitem(last=False)
        return _HASHES[key], key[1]
    except OSError:
        return None


def find_pdf(sha: str, recorded: str | None, filename: str | None,
             folders: list[Path]) -> tuple[Path, Identity] | None:
    """The file holding the document and its identity: its recorded path, else `<sha>.pdf` or its name in a
    folder; only a file whose bytes still have this sha256 counts."""
    candidates = [Path(recorded)] if recorded else []
    for folder in folders:
        candidates.append(folder / f"{sha}.pdf")
        if filename:
            candidates.append(folder / Path(filename).name)
    for path in candidates:
        found = file_sha256(path)
        if found and found[0] == sha:
            return path, found[1]
    return None


def stream_deadline_s(size: int) -> float:
    return STREAM_BASE_S + size / MIN_BYTES_PER_S


class PdfDownload:
    """The ASGI answer for one report PDF: waits for a slot (or 503), checks the file (or 404), streams it."""

    def __init__(self, datasette, sha: str, recorded: str | None, filename: str | None, folders: list[Path],
                 receive=None):
        self.datasette, self.sha, self.recorded, self.filename, self.folders = (
            datasette, sha, recorded, filename, folders)
        self.receive = receive
        self.gone = asyncio.Event()

    async def _watch(self) -> None:
        """Sets `gone` when the client hangs up (ASGI `http.disconnect`): its stream stops at the next chunk."""
        while (await self.receive())["type"] != "http.disconnect":
            pass
        self.gone.set()

    async def asgi_send(self, send) -> None:
        watcher = asyncio.create_task(self._watch()) if self.receive else None
        try:
            await self._answer(send)
        finally:
            if watcher:
                watcher.cancel()

    async def _answer(self, send) -> None:
        gate = gate_for(self.datasette)
        if not await gate.enter(self.gone):
            busy = Response.text("Servern skickar många PDF:er just nu; försök igen om en stund", status=503,
                                 headers={"Retry-After": str(RETRY_AFTER_S)})
            await busy.asgi_send(send)
            return
        try:
            if self.gone.is_set():
                return
            found = await asyncio.to_thread(find_pdf, self.sha, self.recorded, self.filename, self.folders)
            if found is None:
                await Response.text("Dokumentets PDF finns inte längre där den lästes in "
                                    "(starta kompass serve med --pdfs MAPP)", status=404).asgi_send(send)
                return
            await self._stream(send, *found)
        finally:
            gate.leave()

    async def _stream(self, send, path: Path, verified: Identity) -> None:
        try:
            handle = path.open("rb")
        except OSError:
            await Response.text("Dokumentets PDF kunde inte läsas", status=404).asgi_send(send)
            return
        with handle:
            if identity(os.fstat(handle.fileno())) != verified:
                await Response.text("Dokumentets PDF ändrades just; försök igen", status=503,
                                    headers={"Retry-After": "1"}).asgi_send(send)
                return
            size = verified[2]
            safe_name = re.sub(r"[^\w.-]", "_", self.filename or f"{self.sha}.pdf")
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"application/pdf"), (b"content-length", str(size).encode()),
                (b"content-disposition", f'inline; filename="{safe_name}"'.encode()),
                (b"x-content-type-options", b"nosniff"), (b"cache-control", b"private, max-age=3600")]})
            deadline = time.monotonic() + stream_deadline_s(size)
            left = size
            if not left:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            while left > 0:
                chunk = handle.read(min(CHUNK_BYTES, left))
                remaining = deadline - time.monotonic()
                if not chunk or remaining <= 0 or self.gone.is_set():
                    return  # shortened meanwhile, past its deadline or hung up: uvicorn closes the connection,
                    # the client sees fewer bytes than its Content-Length (never other bytes, never "complete")
                left -= len(chunk)
                try:
                    await asyncio.wait_for(send({"type": "http.response.body", "body": chunk, "more_body": bool(left)}),
                                           remaining)
                except asyncio.TimeoutError:
                    return
