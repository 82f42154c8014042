"""A Content-Security-Policy on every page `kompass serve` answers (ASGI middleware).

Scripts run only from the server itself and from the inline <script> elements the page was sent
with, each allowed by its sha256: no inline event handler (`onerror=`), no `javascript:` URL, no
script from elsewhere, and no markup a page's own JavaScript inserts later (the dashboard's tables
use innerHTML) can run code. Names from PDFs are escaped where they are inserted; this policy is the
second wall. Server-rendered data never forms a <script> element: Jinja escapes it, and data inside
inline scripts is JSON with `<` escaped.
"""
from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)
MAX_BUFFERED_HTML = 32 * 1024 * 1024  # larger pages are sent without their inline scripts allowed
PAGE_POLICY = ("default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
OTHER_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"


def page_policy(html: bytes) -> str:
    """The policy for one HTML page: its own inline scripts allowed by hash, nothing else inline."""
    hashes = dict.fromkeys(
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in INLINE_SCRIPT.findall(html))
    return PAGE_POLICY.format(hashes="".join(" " + h for h in hashes))


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.lower().startswith(b"text/html") for k, v in headers)


def _with(headers: list[tuple[bytes, bytes]], policy: str) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() not in (b"content-security-policy", b"x-content-type-options")]
    return [*kept, (b"content-security-policy", policy.encode()), (b"x-content-type-options", b"nosniff")]


def content_security_policy(app):
    """Wrap an ASGI app so every HTTP response carries a Content-Security-Policy."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        start: dict | None = None
        body = bytearray()

        async def send_with_policy(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not _is_html(headers):
                    return await send(dict(message, headers=_with(headers, OTHER_POLICY)))
                start = dict(message, headers=headers)  # held until the page is complete
                return None
            if start is None or message["type"] != "http.response.body":
                return await send(message)
            body.extend(message.get("body", b""))
            if message.get("more_body") and len(body) <= MAX_BUFFERED_HTML:
                return None
            policy = page_policy(bytes(body)) if len(body) <= MAX_BUFFERED_HTML else PAGE_POLICY.format(hashes="")
            await send(dict(start, headers=_with(start["headers"], policy)))
            start = None
            await send({"type": "http.response.body", "body": bytes(body), "more_body": message.get("more_body", False)})
            body.clear()
            return None

        await app(scope, receive, send_with_policy)

    return wrapped
