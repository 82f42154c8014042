"""Polite HTTP for the harvester: one User-Agent, robots.txt, a per-host delay, retries with backoff.

Retries happen only where the network may recover: timeouts, broken connections, bodies cut off
mid-transfer and 5xx answers. A 4xx answer (404 above all) is final at once.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, TypeVar
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from corpus.sources import HarvestSettings

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_REDIRECTS = 5


class FetchFailed(Exception):
    """A request ended without a usable answer; `reason` says why, `status` is the HTTP status if any."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class TransientFailure(FetchFailed):
    """A failure worth retrying: timeout, connection error, cut-off body, 5xx."""


def site_of(url: str) -> str:
    """The host and port of a URL without a leading `www.`, to decide what is the same site."""
    netloc = urlsplit(url).netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def classify_status(response: httpx.Response) -> None:
    """Raise TransientFailure on 5xx/408/429 and FetchFailed on any other error status."""
    status = response.status_code
    if status >= 500 or status in (408, 429):
        raise TransientFailure(f"HTTP {status} from {response.url}", status)
    if status >= 400:
        raise FetchFailed(f"HTTP {status} from {response.url}", status)


def transport_failure(error: httpx.HTTPError, url: str) -> TransientFailure:
    """Name a network error the way a person would read it in the provenance log."""
    if isinstance(error, httpx.TimeoutException):
        return TransientFailure(f"timed out fetching {url} ({type(error).__name__})")
    if isinstance(error, httpx.RemoteProtocolError):
        return TransientFailure(f"connection closed before the complete body of {url} arrived ({error})")
    return TransientFailure(f"network error fetching {url} ({type(error).__name__}: {error})")


@dataclass
class PoliteClient:
    """An httpx client that waits between requests to one host and obeys robots.txt."""

    settings: HarvestSettings
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last_request: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, RobotFileParser | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            headers={"User-Agent": self.settings.user_agent},
            timeout=self.settings.timeout_seconds,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "PoliteClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def wait_turn(self, url: str) -> None:
        """Sleep until this host may be asked again (per-host delay, or robots Crawl-delay if longer)."""
        host = urlsplit(url).netloc
        delay = max(self.settings.per_host_delay, self._crawl_delay(url))
        last = self._last_request.get(host)
        if last is not None and delay > 0:
            remaining = last + delay - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self._last_request[host] = self.clock()

    def stream(self, url: str, headers: dict[str, str] | None = None):
        """A streamed GET after waiting our turn; use as a context manager."""
        self.wait_turn(url)
        return self.client.stream("GET", url, headers=headers or {})

    def with_retries(self, action: Callable[[], T], url: str) -> T:
        """Run `action`, retrying TransientFailure with the configured backoff."""
        attempt = 0
        while True:
            try:
                return action()
            except TransientFailure as failure:
                attempt += 1
                if attempt > self.settings.retries:
                    raise FetchFailed(f"{failure.reason} (gave up after {attempt} attempts)", failure.status)
                delay = self.settings.delay_before_retry(attempt)
                log.warning("%s; retry %d of %d in %.1f s", failure.reason, attempt, self.settings.retries, delay)
                self.sleep(delay)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's origin lets our User-Agent fetch it."""
        robots = self._robots_for(url)
        return True if robots is None else robots.can_fetch(self.settings.user_agent, url)

    def _crawl_delay(self, url: str) -> float:
        robots = self._robots.get(origin_of(url))
        if robots is None:
            return 0.0
        delay = robots.crawl_delay(self.settings.user_agent)
        return float(delay) if delay else 0.0

    def _robots_for(self, url: str) -> RobotFileParser | None:
        origin = origin_of(url)
        if origin not in self._robots:
            self._robots[origin] = self._fetch_robots(origin)
        return self._robots[origin]

    def _fetch_robots(self, origin: str) -> RobotFileParser | None:
        """Parse robots.txt; a 4xx means no rules, an unreachable one (5xx, network) means stay out."""
        robots_url = origin + "/robots.txt"
        parser = RobotFileParser(robots_url)

        def fetch() -> str:
            try:
                with self.stream(robots_url) as response:
                    if response.status_code >= 500:
                        raise TransientFailure(f"HTTP {response.status_code} for {robots_url}", response.status_code)
                    if response.status_code >= 400:
                        return ""
                    return response.read()[:512 * 1024].decode("utf-8", errors="replace")
            except httpx.HTTPError as error:
                raise transport_failure(error, robots_url) from None

        try:
            text = self.with_retries(fetch, robots_url)
        except FetchFailed as failure:
            log.warning("robots.txt unreachable, not crawling %s: %s", origin, failure.reason)
            parser.disallow_all = True
            return parser
        if not text.strip():
            return None
        parser.parse(text.splitlines())
        return parser
