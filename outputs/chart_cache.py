"""Drawing charts for the server: off Datasette's query threads, a few at a time, cached by content.

A matplotlib chart takes 0.1–1 s of CPU. Drawn on Datasette's SQL threads, sixteen clients asking
for charts held every thread and `select 1` waited 28 s. Here the numbers are read on the SQL
threads (milliseconds), and the drawing happens on its own small pool: at most `workers` charts at
once, at most `waiting` requests queued (more get 503 with Retry-After), none waiting longer than
`wait_s`. A chart is cached under a fingerprint of the numbers it shows, so a repeated request
costs only the reading, and a load that changes the numbers changes the fingerprint.
"""
from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from outputs.charts import ChartData


def _draw(data: "ChartData", kind: str) -> bytes:
    from outputs.charts import chart_bytes

    return chart_bytes(data, kind)


class ChartsBusy(Exception):
    """Too many charts are being drawn or waiting; the client should try again shortly."""


def fingerprint(data: "ChartData", kind: str) -> str:
    return hashlib.sha256(f"{kind}\0{data!r}".encode()).hexdigest()


class ChartRenderer:
    def __init__(self, workers: int = 1, waiting: int = 16, wait_s: float = 30.0, entries: int = 128,
                 max_cached_bytes: int = 64 * 1024 * 1024) -> None:
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kompass-chart")
        self.slots = workers + waiting
        self.wait_s = wait_s
        self.entries = entries
        self.max_cached_bytes = max_cached_bytes
        self.cache: OrderedDict[str, bytes] = OrderedDict()
        self.drawing: dict[str, asyncio.Future] = {}
        self.admitted = 0
        self.drawn = 0  # charts actually drawn (for tests and the log)

    def cached(self, data: "ChartData", kind: str) -> bytes | None:
        key = fingerprint(data, kind)
        body = self.cache.get(key)
        if body is not None:
            self.cache.move_to_end(key)
        return body

    async def render(self, data: "ChartData", kind: str) -> bytes:
        """The chart's bytes: from the cache, from a drawing already under way, or drawn now."""
        key = fingerprint(data, kind)
        if (body := self.cached(data, kind)) is not None:
            return body
        if key in self.drawing:  # the same chart is being drawn for another client
            return await asyncio.wait_for(asyncio.shield(self.drawing[key]), self.wait_s)
        if self.admitted >= self.slots:
            raise ChartsBusy(f"{self.admitted} charts are being drawn or waiting")
        self.admitted += 1
        future = asyncio.get_running_loop().run_in_executor(self.executor, _draw, data, kind)
        self.drawing[key] = future
        try:
            body = await asyncio.wait_for(asyncio.shield(future), self.wait_s)
        except asyncio.TimeoutError:
            raise ChartsBusy(f"the chart was not drawn within {self.wait_s:g} s") from None
        finally:
            future.add_done_callback(lambda _: self._finished(key))
        self._store(key, body)
        return body

    def _finished(self, key: str) -> None:
        self.admitted -= 1
        self.drawn += 1
        self.drawing.pop(key, None)

    def _store(self, key: str, body: bytes) -> None:
        self.cache[key] = body
        self.cache.move_to_end(key)
        while len(self.cache) > self.entries or sum(map(len, self.cache.values())) > self.max_cached_bytes:
            self.cache.popitem(last=False)
