"""Crawling a source's site for report links.

`discover` walks the site breadth-first from the listing page to a bounded depth and returns
candidate report links: a PDF address whose link text or address names Kommunkompassen, or any
followed link whose answer is itself a PDF.
"""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

import httpx

from corpus.http import FetchFailed, PoliteClient, classify_status, site_of, transport_failure
from corpus.links import looks_like_document, page_links, worth_crawling
from corpus.sources import HarvestSettings, Source

log = logging.getLogger(__name__)

PDF_TYPES = {"application/pdf", "application/x-pdf", "application/acrobat"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
MAX_PAGE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Candidate:
    """A link that may lead to a report."""

    url: str
    found_on: str
    link_text: str = ""


@dataclass
class Discovery:
    """What crawling one source found."""

    source: str
    candidates: list[Candidate] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def fetch_page(client: PoliteClient, url: str) -> tuple[str, str | None, str]:
    """GET a page: (media type, HTML text or None when it is not HTML, final URL)."""

    def attempt() -> tuple[str, str | None, str]:
        try:
            with client.stream(url) as response:
                classify_status(response)
                kind = media_type(response)
                if kind not in HTML_TYPES:
                    return kind, None, str(response.url)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > MAX_PAGE_BYTES:
                        raise FetchFailed(f"page {url} is larger than {MAX_PAGE_BYTES} bytes")
                encoding = response.charset_encoding or "utf-8"
                return kind, bytes(body).decode(encoding, errors="replace"), str(response.url)
        except httpx.HTTPError as error:
            raise transport_failure(error, url) from None

    return client.with_retries(attempt, url)


def on_site(url: str, source: Source) -> bool:
    return site_of(url) == site_of(source.url) or site_of(url) in {site_of("//" + h) for h in source.also_hosts}


def discover(client: PoliteClient, source: Source, settings: HarvestSettings,
             on_page: Callable[[str, str], None] | None = None) -> Discovery:
    """Breadth-first crawl of one source's site; report links become candidates.

    `on_page(url, html)` is called with every on-site HTML page read (the result-page reader).
    """
    found = Discovery(source=source.url)
    candidates: dict[str, Candidate] = {}
    frontier = deque([(source.url, 0, source.url, "")])
    queued = {source.url}
    while frontier and len(found.pages) < settings.max_pages:
        url, depth, parent, text = frontier.popleft()
        if not client.allowed(url):
            found.page_errors.append(f"{url}: disallowed by robots.txt")
            continue
        try:
            kind, html, final_url = fetch_page(client, url)
        except FetchFailed as failure:
            found.page_errors.append(f"{url}: {failure.reason}")
            continue
        if kind in PDF_TYPES:
            candidates.setdefault(url, Candidate(url, parent, text))
            continue
        if html is None or not on_site(final_url, source):
            continue
        found.pages.append(url)
        if on_page is not None:
            on_page(final_url, html)
        for link in page_links(html, final_url):
            if not on_site(link.url, source):
                continue
            if looks_like_document(link.url):
                if settings.link_is_report(link.url, link.text):
                    candidates.setdefault(link.url, Candidate(link.url, final_url, link.text))
            elif worth_crawling(link.url) and depth < source.depth(settings) and link.url not in queued:
                queued.add(link.url)
                frontier.append((link.url, depth + 1, final_url, link.text))
    found.candidates = list(candidates.values())
    log.info("%s: %d pages, %d candidate reports", source.url, len(found.pages), len(found.candidates))
    return found
