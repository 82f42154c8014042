"""Pages kept until the next commit: an ASGI wrapper in front of `kompass serve`.

Many researchers open the same pages (the index, a table, the dashboard, a canned query); each costs
Datasette 5–80 ms of the server's one Python thread, and 50 clients asking at once queue behind each other.
A page is the same until a load commits (db/serving.py `file_state`: the file's and its WAL's size and
modification time), so a successful answer to a plain GET is kept and served again while the files are
unchanged, for at most MAX_AGE_S (a page whose facets were cut by their time limit does not live long).

Kept only: GET without cookies or credentials, a URL of at most MAX_KEY_CHARS, status 200, no Set-Cookie,
at most MAX_ENTRY_BYTES; at most MAX_TOTAL_BYTES in all (least recently used dropped first). Paths under
`/-/` (PDFs, charts, debug pages) pass through, except the dashboard. The answer carries
`x-kompass-cache: hit` when it came from here. Requests for a page that is being made wait for it (at
most FOLLOW_WAIT_S) instead of making it again.
"""
from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable

MAX_AGE_S = 60.0
MAX_KEY_CHARS = 2048
MAX_ENTRY_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 48 * 1024 * 1024
FOLLOW_WAIT_S = 10.0  # a request for a page being made waits this long for it, then makes its own
PASSING_PREFIX = "/-/"
KEPT_UNDER_PASSING = ("/-/dashboards/",)
PRIVATE_HEADERS = (b"cookie", b"authorization")


class ResponseCache:
    """Whole answers by URL, valid while `state()` returns what it returned when they were kept."""

    def __init__(self, app, state: Callable[[], tuple], max_total: int = MAX_TOTAL_BYTES) -> None:
        self.app, self.state, self.max_total = app, state, max_total
        self.entries: OrderedDict[str, tuple[tuple, float, dict, bytes]] = OrderedDict()
        self.total = 0
        self.hits = self.misses = 0
        self.computing: dict[tuple[str, tuple], asyncio.Future] = {}

    def _key(self, scope) -> str | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        path = scope["path"]
        if path.startswith(PASSING_PREFIX) and not path.startswith(KEPT_UNDER_PASSING):
            return None
        if any(name in PRIVATE_HEADERS for name, _ in scope.get("headers", [])):
            return None
        host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")  # pages carry absolute links
        key = f"{scope.get('scheme', 'http')}://{host}{path}?" + scope.get("query_string", b"").decode("latin-1")
        return key if len(key) <= MAX_KEY_CHARS else None

    def _drop(self, key: str) -> None:
        _, _, _, body = self.entries.pop(key)
        self.total -= len(body)

    async def __call__(self, scope, receive, send) -> None:
        key = self._key(scope)
        if key is None:
            return await self.app(scope, receive, send)
        state = self.state()
        if await self._answer_kept(key, state, send):
            return
        leader = self.computing.get((key, state))
        if leader is not None:  # the same page is being made: wait for it rather than make it again
            try:
                await asyncio.wait_for(asyncio.shield(leader), FOLLOW_WAIT_S)
            except asyncio.TimeoutError:
                pass
            if await self._answer_kept(key, state, send):
                return
            return await self._make(key, state, scope, receive, send)
        done = asyncio.get_running_loop().create_future()
        self.computing[(key, state)] = done
        try:
            await self._make(key, state, scope, receive, send)
        finally:
            del self.computing[(key, state)]
            done.set_result(None)

    async def _answer_kept(self, key: str, state: tuple, send) -> bool:
        entry = self.entries.get(key)
        if entry is None:
            return False
        kept_state, kept_at, start, body = entry
        if kept_state != state or time.monotonic() - kept_at > MAX_AGE_S:
            self._drop(key)
            return False
        self.entries.move_to_end(key)
        self.hits += 1
        await send({**start, "headers": [*start["headers"], (b"x-kompass-cache", b"hit")]})
        await send({"type": "http.response.body", "body": body})
        return True

    async def _make(self, key: str, state: tuple, scope, receive, send) -> None:
        self.misses += 1
        start: dict | None = None
        parts: list[bytes] | None = []
        size = 0

        async def keeping(message) -> None:
            nonlocal start, parts, size
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if message["status"] == 200 and not any(n.lower() == b"set-cookie" for n, _ in headers):
                    start = {"type": "http.response.start", "status": 200, "headers": list(headers)}
                else:
                    parts = None
            elif message["type"] == "http.response.body" and parts is not None:
                size += len(message.get("body", b""))
                if size > MAX_ENTRY_BYTES:
                    parts = None
                else:
                    parts.append(message.get("body", b""))
                    if not message.get("more_body", False) and start is not None:
                        self._keep(key, state, start, b"".join(parts))
            await send(message)

        await self.app(scope, receive, keeping)

    def _keep(self, key: str, state: tuple, start: dict, body: bytes) -> None:
        if key in self.entries:
            self._drop(key)
        self.entries[key] = (state, time.monotonic(), start, body)
        self.total += len(body)
        while self.total > self.max_total and self.entries:
            self._drop(next(iter(self.entries)))
