"""Reading a response body with its size bounded while it is decompressed.

httpx decompresses gzip in whole network chunks, so a 64 KB chunk of a gzip bomb becomes 64 MB
before any size check, and `response.read()` holds the whole body. Here the raw bytes are
decompressed in pieces of at most PIECE bytes and the running total is checked after every
piece: memory stays at the limit plus one piece whatever the compression ratio.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator

import httpx

PIECE = 256 * 1024
ACCEPT_ENCODING = "gzip, deflate"  # what the harvester asks for (and can bound)


class BodyTooLarge(Exception):
    """The body (after decompression) is larger than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than the size limit of {limit} bytes (after decompression)")
        self.limit = limit


class UnsupportedEncoding(Exception):
    """A Content-Encoding the harvester did not ask for and cannot bound."""


def _decompressor(response: httpx.Response):
    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return None
    if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
        raise UnsupportedEncoding(f"content encoding {', '.join(codings)} is not one the harvester accepts")
    return _Inflater(gzip=codings[0] != "deflate")


class _Inflater:
    """gzip or deflate (zlib-wrapped, or raw as some servers send it), in bounded pieces."""

    def __init__(self, gzip: bool) -> None:
        self.gzip = gzip
        self.inflate = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)
        self.started = False

    def pieces(self, data: bytes) -> Iterator[bytes]:
        if not self.started and not self.gzip and data:
            self.started = True
            if data[0] & 0x0F != 8:  # no zlib header: raw deflate
                self.inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        while data and not self.inflate.eof:
            try:
                piece = self.inflate.decompress(data, PIECE)
            except zlib.error as error:
                raise httpx.DecodingError(f"the compressed body is damaged ({error})") from None
            data = self.inflate.unconsumed_tail
            if piece:
                yield piece


def bounded_chunks(response: httpx.Response, limit: int) -> Iterator[bytes]:
    """The decoded body in pieces; BodyTooLarge as soon as more than `limit` bytes have come out."""
    inflater = _decompressor(response)
    total = 0
    for raw in response.iter_raw(PIECE):
        for piece in (inflater.pieces(raw) if inflater else (raw,)):
            total += len(piece)
            if total > limit:
                raise BodyTooLarge(limit)
            yield piece


def raw_received(response: httpx.Response) -> int:
    """Bytes received on the wire for the body so far (what Content-Length counts)."""
    return response.num_bytes_downloaded


def read_bounded(response: httpx.Response, limit: int) -> bytes:
    """The whole decoded body, at most `limit` bytes (BodyTooLarge otherwise)."""
    body = bytearray()
    for piece in bounded_chunks(response, limit):
        body.extend(piece)
    return bytes(body)


def read_prefix(response: httpx.Response, limit: int) -> bytes:
    """The first `limit` decoded bytes; the rest is never decompressed (robots.txt is cut there)."""
    body = bytearray()
    try:
        for piece in bounded_chunks(response, limit):
            body.extend(piece)
    except BodyTooLarge:
        pass
    return bytes(body[:limit])
