"""The page cache in front of `kompass serve` (db/response_cache.py), driven as ASGI with a real app."""
from __future__ import annotations

import asyncio

import httpx

from db.response_cache import MAX_ENTRY_BYTES, ResponseCache


class Pages:
    """An ASGI app that counts what it makes; `/slow` takes 0.2 s, `/big` is larger than one entry may be."""

    def __init__(self) -> None:
        self.made: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        path = scope["path"]
        self.made.append(path)
        if path == "/slow":
            await asyncio.sleep(0.2)
        status = 404 if path == "/missing" else 200
        headers = [(b"content-type", b"text/html")]
        if path == "/cookie":
            headers.append((b"set-cookie", b"a=b"))
        body = b"x" * (MAX_ENTRY_BYTES + 1) if path == "/big" else f"{path} {len(self.made)}".encode()
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
        await send({"type": "http.response.body", "body": body[len(body) // 2:]})


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def test_a_page_is_made_once_while_the_files_stay_the_same():
    pages, state = Pages(), ["v1"]
    cache = ResponseCache(pages, lambda: tuple(state))

    async def run():
        async with _client(cache) as client:
            first, again = await client.get("/a?x=1"), await client.get("/a?x=1")
            other = await client.get("/a?x=2")
            state[0] = "v2"  # a commit: the file or its WAL changed
            after = await client.get("/a?x=1")
            return first, again, other, after

    first, again, other, after = asyncio.run(run())
    assert again.text == first.text == "/a 1" and again.headers["x-kompass-cache"] == "hit"
    assert "x-kompass-cache" not in first.headers and other.text == "/a 2"
    assert after.text == "/a 3" and "x-kompass-cache" not in after.headers
    assert pages.made == ["/a", "/a", "/a"]


def test_private_failed_large_and_debug_answers_are_never_kept():
    pages = Pages()
    cache = ResponseCache(pages, lambda: ())

    async def run():
        async with _client(cache) as client:
            for _ in range(2):
                await client.get("/missing")
                await client.get("/cookie")
                await client.get("/big")
                await client.get("/-/kompass/pdf/x.pdf")
                await client.get("/a", headers={"cookie": "ds_actor=x"})
                await client.get("/a", headers={"authorization": "Bearer x"})
                await client.post("/a")

    asyncio.run(run())
    assert len(pages.made) == 14 and cache.hits == 0 and cache.total == 0


def test_requests_for_a_page_being_made_wait_for_it():
    pages = Pages()
    cache = ResponseCache(pages, lambda: ())

    async def run():
        async with _client(cache) as client:
            return await asyncio.gather(*(client.get("/slow") for _ in range(10)))

    answers = asyncio.run(run())
    assert pages.made == ["/slow"] and {a.text for a in answers} == {"/slow 1"}
    assert sum(a.headers.get("x-kompass-cache") == "hit" for a in answers) == 9


def test_the_cache_keeps_to_its_byte_budget():
    pages = Pages()
    cache = ResponseCache(pages, lambda: (), max_total=40)

    async def run():
        async with _client(cache) as client:
            for index in range(20):
                await client.get(f"/page{index}")

    asyncio.run(run())
    assert cache.total <= 40 and len(cache.entries) < 20
