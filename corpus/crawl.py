"""Crawling the sources' sites for report links, breadth-first, from the round's frontier.

A report link is a PDF address whose link text or address names Kommunkompassen, or any followed
link whose answer is itself a PDF. The crawl reads at most the run's page budget and stops at its
deadline; pages left in the frontier wait for the next run (harvest queue). A page that cannot be
read, or that robots.txt closes, is recorded in the provenance log (`kind: page`).

A page whose deadline cuts it while it arrives (a server that trickles a page without Content-Length
ends it by closing the connection, so the cut looks like an end) is not a page read: its record says
`cut`, how many bytes came and which links were followed from them; a half-read tag is dropped and
the result-page reader never sees it. Anything unexpected while handling one page is recorded
against that page and the crawl goes on with the next.
"""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from typing import Callable

import httpx

from corpus.bodies import BodyTooLarge, UnsupportedEncoding, read_bounded
from corpus.http import Deadline, Disallowed, FetchFailed, PoliteClient, classify_status, site_of
from corpus.links import looks_like_document, page_links, worth_crawling
from corpus.queue import Candidate, HarvestQueue, PageTask
from corpus.sources import HarvestSettings, Source
from corpus.store import CUT, FAILED, PAGE, SKIPPED, ProvenanceRecord, utc_now

log = logging.getLogger(__name__)

PDF_TYPES = {"application/pdf", "application/x-pdf", "application/acrobat"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
MAX_PAGE_BYTES = 5 * 1024 * 1024

__all__ = ["Candidate", "crawl", "fetch_page", "media_type", "PDF_TYPES"]


@dataclass
class RunBudget:
    """What one run may still do: pages to read, report links to fetch, and when it must end."""

    deadline: Deadline
    pages_left: int
    downloads_left: int

    def why_stopped(self, what: str) -> str | None:
        """Why the run cannot take another page or download, or None when it can."""
        if self.deadline.expired():
            return f"deferred to the next run: the run's {self.deadline.seconds:g} s deadline passed"
        if what == PAGE and self.pages_left <= 0:
            return "deferred to the next run: the per-run cap on pages (max_pages) was reached"
        if what != PAGE and self.downloads_left <= 0:
            return "deferred to the next run: the per-run cap on downloads (max_downloads) was reached"
        return None


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class Page:
    """What one GET of a page gave: media type, HTML text (None when not HTML), final URL, and, when the
    deadline cut the body, how many bytes had come."""

    kind: str
    html: str | None
    final_url: str
    cut_after: int | None = None

    def __iter__(self):  # (kind, html, final_url), as callers unpack it
        return iter((self.kind, self.html, self.final_url))


def _was_cut(response: httpx.Response, deadline: Deadline) -> bool:
    watchdog = response.extensions.get("kompass_watchdog")
    return bool(watchdog is not None and watchdog.fired) or deadline.expired()


def _whole_tags(html: str) -> str:
    """A cut page up to its last complete tag (a tag half-read at the cut would give a wrong address)."""
    end = html.rfind(">")
    return html[: end + 1] if end >= 0 else ""


def fetch_page(client: PoliteClient, url: str, deadline: Deadline) -> Page:
    """GET a page within its deadline (a Page; its `cut_after` is set when the deadline cut the body)."""

    def attempt() -> Page:
        response = None
        try:
            with client.open(url, deadline) as response:
                classify_status(response)
                kind = media_type(response)
                if kind not in HTML_TYPES:
                    return Page(kind, None, str(response.url))
                body = read_bounded(response, MAX_PAGE_BYTES)
                cut = len(body) if _was_cut(response, deadline) else None
                encoding = response.charset_encoding or "utf-8"
                try:
                    text = body.decode(encoding, errors="replace")
                except LookupError:  # an unknown charset name
                    text = body.decode("utf-8", errors="replace")
                return Page(kind, _whole_tags(text) if cut is not None else text, str(response.url), cut)
        except BodyTooLarge:
            raise FetchFailed(f"page {url} is larger than {MAX_PAGE_BYTES} bytes (after decompression)") from None
        except (httpx.HTTPError, UnsupportedEncoding) as error:
            raise client.failure(error, url, response, deadline) from None

    return client.with_retries(attempt, url, deadline)


def on_site(url: str, source: Source) -> bool:
    return site_of(url) == site_of(source.url) or site_of(url) in {site_of("//" + h) for h in source.also_hosts}


def page_record(task: PageTask, outcome: str, reason: str, round_id: str, status: int | None = None,
                size: int | None = None):
    return ProvenanceRecord(url=task.url, fetched_at=utc_now(), outcome=outcome, status=status, kind=PAGE, size=size,
                            found_on=task.found_on if task.found_on != task.url else None,
                            link_text=task.link_text or None, reason=reason, round=round_id)


def crawl(client: PoliteClient, queue: HarvestQueue, sources: dict[str, Source], settings: HarvestSettings,
          budget: RunBudget, record: Callable[[ProvenanceRecord], None],
          saved: Callable[[], None] = lambda: None,
          on_page: Callable[[Source, str, str], None] | None = None) -> list[str]:
    """Read pages from the queue's frontier while the budget allows; returns the pages read.

    Report links found go to `queue.candidates`; a page that fails or is closed by robots.txt is
    recorded; `saved()` is called after every page so a killed run loses at most one page;
    `on_page(source, url, html)` gets every on-site HTML page read (the result-page reader).
    """
    frontier = deque(queue.frontier)
    seen = set(queue.seen)
    read: list[str] = []
    while frontier and budget.why_stopped(PAGE) is None:
        task = frontier.popleft()
        source = sources.get(task.source) or Source(url=task.source)
        budget.pages_left -= 1
        try:
            _crawl_page(client, task, source, queue, frontier, seen, read, settings, budget, record, on_page)
        except Exception as error:  # noqa: BLE001 — one page must not stop the crawl of the others
            log.exception("page %s could not be handled", task.url)
            record(page_record(task, FAILED, f"could not be handled ({type(error).__name__}: {error})", queue.round))
        queue.frontier, queue.seen = list(frontier), list(seen)
        saved()
    log.info("crawl: %d pages read, %d report links, %d pages left", len(read), len(queue.candidates), len(frontier))
    return read


def _crawl_page(client: PoliteClient, task: PageTask, source: Source, queue: HarvestQueue, frontier: deque,
                seen: set[str], read: list[str], settings: HarvestSettings, budget: RunBudget,
                record: Callable[[ProvenanceRecord], None],
                on_page: Callable[[Source, str, str], None] | None) -> None:
    """Read one page of the frontier: its report links join the queue, its pages the frontier."""
    deadline = client.deadline(settings.page_deadline_seconds, budget.deadline)
    try:
        page = fetch_page(client, task.url, deadline)
    except Disallowed as closed:
        record(page_record(task, SKIPPED, closed.reason, queue.round))
        return
    except FetchFailed as failure:
        record(page_record(task, FAILED, failure.reason, queue.round, failure.status))
        return
    if page.kind in PDF_TYPES:
        queue.add_candidate(Candidate(task.url, task.found_on, task.link_text))
        return
    if page.html is None or not on_site(page.final_url, source):
        return
    if page.cut_after is None:
        read.append(task.url)
        if on_page is not None:
            on_page(source, page.final_url, page.html)
    reports = pages = 0
    for link in page_links(page.html, page.final_url):
        if not on_site(link.url, source):
            continue
        if looks_like_document(link.url):
            if settings.link_is_report(link.url, link.text):
                queue.add_candidate(Candidate(link.url, page.final_url, link.text))
                reports += 1
        elif worth_crawling(link.url) and task.depth < source.depth(settings) and link.url not in seen:
            seen.add(link.url)
            pages += 1
            frontier.append(PageTask(link.url, task.depth + 1, page.final_url, link.text, task.source))
    if page.cut_after is not None:
        reason = (f"cut at its {deadline.seconds:g} s deadline after {page.cut_after:,} bytes; the rest of the page was not "
                  f"read; from what was read, {reports} report links and {pages} pages were followed")
        log.warning("%s: %s", task.url, reason)
        record(page_record(task, CUT, reason, queue.round, size=page.cut_after))
