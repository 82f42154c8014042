"""Hostile web sites on 127.0.0.1 for the harvester: real threaded HTTP servers whose routes trickle,
stall, redirect in loops or to other hosts, and send gzip bombs. Each server records the requests
it got; slow handlers stop as soon as the client goes away or the server shuts down."""
from __future__ import annotations

import gzip
import io
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from reportlab.pdfgen import canvas

Route = Callable[["Handler"], None]


def report_pdf(name: str) -> bytes:
    """A small real PDF that names Kommunkompassen on its first page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for row, line in enumerate(["Kommunkompassen", f"Analys av {name}", "2016-04-12--14"]):
        pdf.drawString(72, 760 - 18 * row, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def gzip_bomb(prefix: bytes, expanded: int) -> bytes:
    """`prefix` followed by newlines up to `expanded` bytes, gzip-compressed (about 1 KB per MB)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
        packed.write(prefix)
        block = b"\n" * (4 * 1024 * 1024)
        written = len(prefix)
        while written < expanded:
            packed.write(block[: min(len(block), expanded - written)])
            written += len(block)
    return out.getvalue()


def deflate(data: bytes) -> bytes:
    return zlib.compress(data, 9)


class Site:
    """A server on 127.0.0.1 and its routes (exact path → handler)."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        handler = type("SiteHandler", (Handler,), {"site": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def count(self, path: str) -> int:
        with self.lock:
            return self.requests.count(path)

    def close(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


class Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the harvester hung up (a deadline cut the transfer): what these sites are for

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        with self.site.lock:
            self.site.requests.append(self.path)
        route = self.site.routes.get(self.path)
        if route is None:
            self.answer(404, "text/html", b"<html><body>Hittades inte</body></html>")
        else:
            route(self)

    def answer(self, status: int, content_type: str | None, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def trickle(self, data: bytes, every_s: float) -> None:
        """Write `data` one byte at a time, `every_s` apart, until done, the client leaves or the server stops."""
        for byte in data:
            if self.site.stopping.wait(every_s):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return
        self.close_connection = True

    def stall(self, seconds: float) -> None:
        """Wait before answering (a server that is slow to start), unless the server stops."""
        self.site.stopping.wait(seconds)


def html(body: str) -> Route:
    return lambda h: h.answer(200, "text/html; charset=utf-8", body.encode("utf-8"))


def redirect(location: str, status: int = 302) -> Route:
    return lambda h: h.answer(status, "text/html", b"", {"Location": location})


def trickling_pdf(every_s: float, size: int = 100_000) -> Route:
    """Headers at once, then a body one byte every `every_s` seconds (never ends in practice)."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", str(size))
        h.end_headers()
        h.wfile.flush()
        h.trickle(b"%PDF-1.4\n" + b"%" * (size - 9), every_s)

    return route


def trickling_headers(every_s: float) -> Route:
    """Even the status line and headers arrive one byte at a time."""

    def route(h: Handler) -> None:
        h.trickle(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 10\r\n\r\n%PDF-1.4\n\n", every_s)

    return route


def stalled(seconds: float, then: Route) -> Route:
    def route(h: Handler) -> None:
        h.stall(seconds)
        if not h.site.stopping.is_set():
            then(h)

    return route


def encoded(body: bytes, content_type: str, encoding: str = "gzip") -> Route:
    return lambda h: h.answer(200, content_type, body, {"Content-Encoding": encoding})


def slow_pdf(data: bytes, seconds: float) -> Route:
    """A complete PDF that takes `seconds` before it is sent."""
    return stalled(seconds, lambda h: h.answer(200, "application/pdf", data))


def timed(action: Callable[[], object]) -> tuple[object, float]:
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def html_then_trickle(head: str, tail: str, every_s: float) -> Route:
    """An HTML page without Content-Length (ended by closing the connection): `head` at once, then
    `tail` one byte every `every_s` seconds, so a deadline cuts it mid-page."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(head.encode("utf-8"))
        h.wfile.flush()
        h.trickle(tail.encode("utf-8"), every_s)

    return route


def robots(text: str) -> Route:
    return lambda h: h.answer(200, "text/plain", text.encode("utf-8"))


def pdf_bomb(expanded: int = 50_000_000) -> bytes:
    """About 1 KB of PDF whose one page's content stream is deflated twice: `expanded` bytes of text-showing
    operators that make pdfium allocate many gigabytes while it reads the page's text."""
    from tests.hostile import _catalog, _pages, build_pdf

    unit = b"(Kommunkompassen ) Tj "
    body = b"BT /F1 1 Tf 0 0 Td " + unit * (expanded // len(unit)) + b"ET"
    twice = zlib.compress(zlib.compress(body, 9), 9)
    stream = b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(twice) + twice + b"\nendstream"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>")
    return build_pdf([_catalog(), _pages([3]), page, stream, font])
