"""Polite, bounded HTTP for the harvester: one User-Agent, robots.txt of every host reached, a per-host
delay, retries with backoff, and a deadline for every fetch.

- Redirects are followed here, one hop at a time: each hop's host must allow the address in its
  robots.txt and waits its turn; a loop or more than MAX_REDIRECTS hops is a permanent failure.
- A fetch has a deadline covering all its attempts, and each attempt is cut when the deadline
  passes however slowly the server trickles: a watchdog shuts the connection's socket down (a
  read timeout alone restarts with every byte). An overrun is not retried.
- Retries happen only where the network may recover: timeouts, broken connections, bodies cut
  off and 5xx answers. A 4xx answer (404 above all) is final at once.
- Bodies are read through `corpus.bodies`, bounded while they are decompressed.
- A robots.txt `Crawl-delay` is obeyed up to `max_crawl_delay` seconds (60 by default) (longer ones are capped, with a
  warning). Waiting for a host's turn does not count against a fetch's own deadline, but it never
  runs past the run's: a turn that would come after it is a DeadlineExceeded, not a sleep.
"""
from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Callable, TypeVar
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from corpus.bodies import ACCEPT_ENCODING, BodyTooLarge, UnsupportedEncoding, read_prefix
from corpus.sources import HarvestSettings

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_REDIRECTS = 5
MAX_ROBOTS_BYTES = 512 * 1024
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class FetchFailed(Exception):
    """A request ended without a usable answer; `reason` says why, `status` is the HTTP status if any."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class TransientFailure(FetchFailed):
    """A failure worth retrying: timeout, connection error, cut-off body, 5xx; `retry_after` is the
    server's Retry-After in seconds, when it sent one."""

    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason, status)
        self.retry_after = retry_after


def retry_after(response: httpx.Response) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), None if absent or unreadable."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value[:12])  # at most about 30,000 years: no overflow, capped by the caller anyway
    try:
        from email.utils import parsedate_to_datetime
        from datetime import datetime, timezone

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError, OverflowError, IndexError):
        return None


class Disallowed(FetchFailed):
    """robots.txt of the address's host (or of a host a redirect leads to) does not allow it."""


class Unreachable(Disallowed):
    """robots.txt of the host could not be fetched at all (network, 5xx, too slow): the host is left alone.
    `cause` says why it could not be reached."""

    def __init__(self, reason: str, cause: str) -> None:
        super().__init__(reason)
        self.cause = cause


class DeadlineExceeded(FetchFailed):
    """The fetch took longer than its deadline; cut, and not retried in this run."""


@dataclass
class Deadline:
    """A point in time (monotonic clock) a piece of work must end by, never after `outer` (the run's)."""

    at: float
    seconds: float
    clock: Callable[[], float] = time.monotonic
    outer: "Deadline | None" = None

    @classmethod
    def after(cls, seconds: float, clock: Callable[[], float] = time.monotonic, within: "Deadline | None" = None):
        deadline = cls(clock() + seconds, seconds, clock, within)
        if within is not None and within.at < deadline.at:
            deadline.at, deadline.seconds = within.at, within.seconds
        return deadline

    def remaining(self) -> float:
        return self.at - self.clock()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def latest(self) -> "Deadline":
        """The outermost deadline (the run's): what a wait for a host's turn may not pass."""
        return self if self.outer is None else self.outer.latest()

    def postpone(self, seconds: float) -> None:
        """Move the end `seconds` later (time spent waiting for a host's turn), never past the outer one."""
        if seconds > 0:
            self.at = min(self.at + seconds, self.latest().at) if self.outer is not None else self.at + seconds


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
        raise TransientFailure(f"HTTP {status} from {response.url}", status, retry_after(response))
    if status >= 400:
        raise FetchFailed(f"HTTP {status} from {response.url}", status)


def transport_failure(error: Exception, url: str) -> FetchFailed:
    """Name a network or body error the way a person would read it in the provenance log."""
    if isinstance(error, BodyTooLarge):
        return FetchFailed(f"{url}: {error}")
    if isinstance(error, UnsupportedEncoding):
        return FetchFailed(f"{url}: {error}")
    if isinstance(error, httpx.TimeoutException):
        return TransientFailure(f"timed out fetching {url} ({type(error).__name__})")
    if isinstance(error, httpx.RemoteProtocolError):
        return TransientFailure(f"connection closed before the complete body of {url} arrived ({error})")
    return TransientFailure(f"network error fetching {url} ({type(error).__name__}: {error})")


class _Watchdog:
    """Shuts a request's socket down when its deadline passes, so a trickling read ends at once."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        self.fired = False
        self.sockets: list[socket.socket] = []
        self.timer = threading.Timer(max(0.0, deadline.remaining()), self._fire)
        self.timer.daemon = True
        self.timer.start()

    def trace(self, event: str, info: dict) -> None:
        """httpcore's trace hook: note the socket of every connection the request opens."""
        if event == "connection.connect_tcp.complete" and info.get("return_value") is not None:
            sock = info["return_value"].get_extra_info("socket")
            if sock is not None:
                self.sockets.append(sock)
                if self.fired:
                    self._shut(sock)

    def _fire(self) -> None:
        self.fired = True
        for sock in self.sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.timer.cancel()


def _close(response: httpx.Response) -> None:
    response.close()
    watchdog = response.extensions.get("kompass_watchdog")
    if watchdog is not None:
        watchdog.cancel()


@dataclass
class PoliteClient:
    """An httpx client that waits between requests to one host, obeys robots.txt and keeps deadlines."""

    settings: HarvestSettings
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last_request: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, RobotFileParser | None] = field(default_factory=dict)
    _robots_reason: dict[str, str] = field(default_factory=dict)
    _robots_cause: dict[str, str] = field(default_factory=dict)
    _capped: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            headers={"User-Agent": self.settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=self.settings.timeout_seconds, follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),  # a fresh connection per request: one socket to watch
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "PoliteClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def deadline(self, seconds: float, within: Deadline | None = None) -> Deadline:
        return Deadline.after(seconds, self.clock, within)

    def turn_in(self, url: str) -> float:
        """Seconds until this host may be asked again (per-host delay, or robots Crawl-delay if longer)."""
        last = self._last_request.get(urlsplit(url).netloc)
        delay = max(self.settings.per_host_delay, self._crawl_delay(url))
        return max(0.0, last + delay - self.clock()) if last is not None and delay > 0 else 0.0

    def wait_turn(self, url: str, deadline: Deadline | None = None) -> None:
        """Sleep until this host may be asked again; with a deadline, DeadlineExceeded instead of a wait
        that would end after the run's deadline (the wait itself postpones the fetch's own deadline)."""
        wait = self.turn_in(url)
        if deadline is not None and wait > 0:
            latest = deadline.latest()
            if wait >= latest.remaining():
                raise DeadlineExceeded(f"{url}: not fetched; waiting {wait:,.0f} s for its host's turn "
                                       f"(Crawl-delay) would pass the {latest.seconds:g} s deadline")
        if wait > 0:
            self.sleep(wait)
            if deadline is not None:
                deadline.postpone(wait)
        self._last_request[urlsplit(url).netloc] = self.clock()

    @contextlib.contextmanager
    def open(self, url: str, deadline: Deadline, headers: dict[str, str] | None = None,
             robots: bool = True) -> Iterator[httpx.Response]:
        """GET `url`, following redirects hop by hop (robots.txt of each host, loops refused), the whole
        exchange cut at `deadline`; yields the final streamed response (its `.url` is the last hop)."""
        chain = [url]
        while True:
            if robots:
                self.check_robots(url, deadline, via=chain[:-1])
            if urlsplit(url).scheme not in ("http", "https"):
                raise FetchFailed(f"redirected to {url}, not an http(s) address")
            response = self._send(url, deadline, headers)
            if response.status_code not in REDIRECT_STATUSES or "location" not in response.headers:
                break
            _close(response)
            target = urljoin(url, response.headers["location"])
            if target in chain:
                raise FetchFailed(f"redirect loop: {' → '.join([*chain, target])}", response.status_code)
            if len(chain) > MAX_REDIRECTS:
                raise FetchFailed(f"more than {MAX_REDIRECTS} redirects from {chain[0]}", response.status_code)
            chain.append(target)
            url = target
        try:
            yield response
        finally:
            _close(response)

    def stream(self, url: str, headers: dict[str, str] | None = None, deadline: Deadline | None = None):
        """A streamed GET (redirects followed, cut at `deadline`, default the page deadline) for callers that
        check robots.txt themselves; use as a context manager."""
        return self.open(url, deadline or self.deadline(self.settings.page_deadline_seconds), headers, robots=False)

    def _send(self, url: str, deadline: Deadline, headers: dict[str, str] | None) -> httpx.Response:
        if deadline.expired():
            raise DeadlineExceeded(f"{url}: not fetched, the {deadline.seconds:g} s deadline had passed")
        self.wait_turn(url, deadline)
        timeout = max(0.05, min(self.settings.timeout_seconds, deadline.remaining()))
        watchdog = _Watchdog(deadline)
        request = self.client.build_request("GET", url, headers=headers or {}, timeout=timeout,
                                            extensions={"trace": watchdog.trace})
        try:
            response = self.client.send(request, stream=True)
        except httpx.HTTPError as error:
            watchdog.cancel()
            raise self._overrun(url, deadline) if watchdog.fired else transport_failure(error, url) from None
        response.extensions["kompass_watchdog"] = watchdog
        return response

    def _overrun(self, url: str, deadline: Deadline) -> DeadlineExceeded:
        return DeadlineExceeded(f"{url}: took longer than the {deadline.seconds:g} s deadline; stopped "
                                "(the server is too slow or trickles)")

    def failure(self, error: Exception, url: str, response: httpx.Response | None, deadline: Deadline) -> FetchFailed:
        """The failure to raise for an error while reading `response`: an overrun if the deadline cut it."""
        watchdog = response.extensions.get("kompass_watchdog") if response is not None else None
        if (watchdog is not None and watchdog.fired) or (deadline.expired() and isinstance(error, httpx.HTTPError)):
            return self._overrun(url, deadline)
        return transport_failure(error, url)

    def with_retries(self, action: Callable[[], T], url: str, deadline: Deadline | None = None) -> T:
        """Run `action`, retrying TransientFailure with the configured backoff while the deadline allows."""
        attempt = 0
        while True:
            try:
                return action()
            except TransientFailure as failure:
                attempt += 1
                delay = self.settings.delay_before_retry(attempt) if attempt <= self.settings.retries else 0
                if failure.retry_after is not None and attempt <= self.settings.retries:
                    if failure.retry_after > self.settings.max_retry_after:
                        raise FetchFailed(f"{failure.reason}; the server asks to wait {failure.retry_after:,.0f} s "
                                          f"(Retry-After), more than the {self.settings.max_retry_after:g} s this "
                                          "client waits: try again later", failure.status)
                    delay = max(delay, failure.retry_after)
                if attempt > self.settings.retries or (deadline is not None and deadline.remaining() <= delay):
                    raise FetchFailed(f"{failure.reason} (gave up after {attempt} attempts)", failure.status)
                log.warning("%s; retry %d of %d in %.1f s", failure.reason, attempt, self.settings.retries, delay)
                self.sleep(delay)

    # --- robots.txt ------------------------------------------------------------------------------

    def check_robots(self, url: str, deadline: Deadline | None = None, via: list[str] | None = None) -> None:
        """Raise Disallowed unless robots.txt of the URL's host lets our User-Agent fetch it."""
        origin = origin_of(url)
        if origin not in self._robots:
            self._robots[origin] = self._fetch_robots(origin, deadline)
        robots = self._robots[origin]
        if robots is not None and not robots.can_fetch(self.settings.user_agent, url):
            why = self._robots_reason.get(origin, f"disallowed by robots.txt of {origin}")
            hops = f" (reached by redirect from {via[0]})" if via else ""
            if origin in self._robots_cause:
                raise Unreachable(f"{why}{hops}", self._robots_cause[origin])
            raise Disallowed(f"{why}{hops}")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's origin lets our User-Agent fetch it."""
        try:
            self.check_robots(url)
        except Disallowed:
            return False
        return True

    def _crawl_delay(self, url: str) -> float:
        robots = self._robots.get(origin_of(url))
        if robots is None:
            return 0.0
        try:
            delay = float(robots.crawl_delay(self.settings.user_agent) or 0)
        except (TypeError, ValueError, OverflowError):
            return 0.0
        if not delay > 0:  # also NaN
            return 0.0
        if delay > self.settings.max_crawl_delay:
            origin = origin_of(url)
            if origin not in self._capped:
                self._capped.add(origin)
                log.warning("robots.txt of %s asks for a Crawl-delay of %s s; capped at %g s", origin,
                            f"{delay:,.0f}" if delay < 1e15 else f"{delay:.3g}", self.settings.max_crawl_delay)
            return self.settings.max_crawl_delay
        return delay

    def _fetch_robots(self, origin: str, within: Deadline | None = None) -> RobotFileParser | None:
        """Parse robots.txt; a 4xx means no rules, an unreachable one (5xx, network, too slow) means stay out."""
        robots_url = origin + "/robots.txt"
        parser = RobotFileParser(robots_url)
        deadline = self.deadline(self.settings.page_deadline_seconds, within.latest() if within else None)

        def fetch() -> str:
            response = None
            try:
                with self.open(robots_url, deadline, robots=False) as response:
                    if response.status_code >= 500:
                        raise TransientFailure(f"HTTP {response.status_code} for {robots_url}", response.status_code)
                    if response.status_code >= 400:
                        return ""
                    return read_prefix(response, MAX_ROBOTS_BYTES).decode("utf-8", errors="replace")
            except (httpx.HTTPError, UnsupportedEncoding) as error:
                raise self.failure(error, robots_url, response, deadline) from None

        try:
            text = self.with_retries(fetch, robots_url, deadline)
        except FetchFailed as failure:
            if "redirect" in failure.reason and failure.status is not None:  # RFC 9309: unavailable, no rules
                return None
            log.warning("robots.txt unreachable, not crawling %s: %s", origin, failure.reason)
            self._robots_reason[origin] = f"robots.txt of {origin} unreachable ({failure.reason}); staying out"
            self._robots_cause[origin] = failure.reason
            parser.disallow_all = True
            return parser
        if not text.strip():
            return None
        parser.parse(text.splitlines())
        return parser
