"""A client for Kolada's API (v2) on the harvester's polite HTTP client.

Every answer is `{"values": [...], "count": n, "next_page": url?}`; `pages` follows `next_page`
(same host as the base URL only, at most `max_pages`, never the same URL twice). Data queries put
many municipalities in one URL, batched within `max_url_length`; a 400 answer (Kolada's reply to an
over-long URL) halves the batch and remembers the shorter limit, and a 400 for one municipality is a
clear error. Retries happen on timeouts, broken connections and 5xx only (corpus.http). Each request
has a deadline and a size bound. KPI metadata and searches are cached on disk for `cache_hours`.
All parsing of Kolada's answers is in this module.

Answers are untrusted: JSON is read with its nesting depth bounded (MAX_DEPTH) and its numbers checked
as they are parsed (no NaN or Infinity, integers of at most MAX_INT_DIGITS digits, finite floats), and
each value with its field's range (a year, a count, a key figure), so a hostile answer is one
KoladaError, never a traceback. A 429/503 with Retry-After is retried after that many seconds when it is
at most `http.max_retry_after`, else it is an error saying when to ask again. Paging stops, with a
warning in `warnings`, when `next_page` repeats a page or the chain is longer than the query can need
(its cells over per_page) or than `max_pages`; such a batch is marked `complete = False`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, urlencode, urlsplit

import httpx

from corpus.http import Disallowed, FetchFailed, PoliteClient, Unreachable, classify_status, transport_failure
from corpus.kolada_config import KoladaConfig
from kompass.errors import KompassError

log = logging.getLogger(__name__)
GENDERS = ("T", "K", "M")
MAX_DEPTH = 32            # Kolada's answers nest 4 deep
MAX_INT_DIGITS = 18       # any integer in an answer (counts, periods, flags)
MAX_COUNT = 10 ** 12
YEARS = range(1900, 2201)
MAX_ABS_VALUE = 1e15      # no key figure is larger
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class KoladaError(KompassError):
    """Kolada could not be asked or gave an answer this client cannot use."""


@dataclass(frozen=True)
class KoladaValue:
    """One value of one KPI for one municipality, year and gender (value None: Kolada has none)."""

    kpi: str
    kommunkod: str
    year: int
    gender: str
    value: float | None
    count: int | None
    status: str | None
    is_deleted: bool = False


@dataclass
class DataBatch:
    """The answer to one data query (all its pages): which cells were asked, and the values returned.
    `complete` is False when paging was stopped (a repeated or over-long next_page chain)."""

    kpi: str
    ids: tuple[str, ...]
    years: tuple[int, ...]
    from_date: str | None
    values: list[KoladaValue] = field(default_factory=list)
    pages: int = 0
    complete: bool = True


class _Stopped(Exception):
    """Paging was stopped early (the warning is in the client's `warnings`)."""


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(text.lstrip('-'))} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text[:40]} is out of range")
    return number


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in a JSON text (strings skipped), without parsing it."""
    depth = deepest = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if char in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse_json(text: str, where: str) -> object:
    """JSON with its depth and numbers bounded; KoladaError naming what is wrong otherwise."""
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise KoladaError(f"{where}: not a Kolada answer (JSON nested {depth:,} deep; at most {MAX_DEPTH})")
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_int=_bounded_int, parse_float=_finite_float)
    except (ValueError, RecursionError) as error:
        raise KoladaError(f"{where}: not JSON Kolada could send ({' '.join(str(error).split())[:200]})") from None


def parse_values(payload: dict, where: str) -> list[KoladaValue]:
    """The data objects of one page as KoladaValue rows; anything malformed is a KoladaError naming it."""
    values = []
    for item in payload.get("values", []):
        try:
            kpi, municipality, period = str(item["kpi"]), str(item["municipality"]), int(str(item["period"]))
            if period not in YEARS:
                raise ValueError(f"period {period} is not a year")
            for entry in item.get("values") or []:
                gender = str(entry.get("gender") or "T")
                raw = entry.get("value")
                if gender not in GENDERS or (raw is not None and not isinstance(raw, (int, float))) \
                        or isinstance(raw, bool):
                    raise ValueError(f"gender {gender!r} or value {raw!r}")
                if raw is not None and not (math.isfinite(raw) and abs(raw) <= MAX_ABS_VALUE):
                    raise ValueError(f"value {raw!r} is out of range")
                count = entry.get("count")
                if isinstance(count, (int, float)) and not isinstance(count, bool) and \
                        not (count == int(count) and 0 <= count <= MAX_COUNT):
                    raise ValueError(f"count {count!r} is not a count")
                values.append(KoladaValue(kpi, municipality, period, gender, None if raw is None else float(raw),
                                          int(count) if isinstance(count, (int, float)) else None,
                                          str(entry["status"]) if entry.get("status") is not None else None,
                                          bool(entry.get("is_deleted") or 0)))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            raise KoladaError(f"{where}: a data object Kolada sent cannot be read ({error})") from None
    return values


class JsonCache:
    """Answers kept on disk by URL for a while (metadata and searches), written atomically."""

    def __init__(self, directory: str | Path, hours: float) -> None:
        self.directory = Path(directory)
        self.seconds = hours * 3600

    def _path(self, url: str) -> Path:
        return self.directory / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.json"

    def get(self, url: str) -> dict | None:
        path = self._path(url)
        try:
            if self.seconds <= 0 or time.time() - path.stat().st_mtime > self.seconds:
                return None
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, url: str, payload: dict) -> None:
        if self.seconds <= 0:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(suffix=".part", dir=self.directory)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False)
        os.replace(name, self._path(url))


class KoladaClient:
    """Kolada's metadata and data queries; one instance per run (it learns the URL limit)."""

    def __init__(self, config: KoladaConfig, http: PoliteClient | None = None) -> None:
        self.config = config
        self.http = http or PoliteClient(config.http)
        self.cache = JsonCache(config.cache_path, config.cache_hours)
        self.max_url_length = config.max_url_length
        self.requests = 0
        self.warnings: list[str] = []

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "KoladaClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- one answer ---

    def get(self, url: str) -> dict:
        """One JSON answer (retried on transient failures); FetchFailed carries the status of a 4xx."""
        try:
            self.http.check_robots(url)
        except Unreachable as unreachable:
            raise KoladaError(f"{urlsplit(url).netloc} cannot be reached: {unreachable.cause}") from None
        except Disallowed:
            raise KoladaError(f"{url}: disallowed by the host's robots.txt") from None
        return self.http.with_retries(lambda: self._get_once(url), url)

    def _get_once(self, url: str) -> dict:
        deadline = time.monotonic() + self.config.request_deadline_seconds
        self.requests += 1
        try:
            with self.http.stream(url, {"Accept": "application/json"}) as response:
                classify_status(response)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self.config.max_bytes:
                        raise KoladaError(f"{url}: answer larger than {self.config.max_bytes} bytes")
                    if time.monotonic() > deadline:
                        raise KoladaError(f"{url}: no complete answer within "
                                          f"{self.config.request_deadline_seconds:g} s")
        except httpx.HTTPError as error:
            raise transport_failure(error, url) from None
        try:
            text = bytes(body).decode("utf-8")
        except UnicodeDecodeError as error:
            raise KoladaError(f"{url}: not JSON ({error})") from None
        payload = parse_json(text, url)
        if not isinstance(payload, dict) or not isinstance(payload.get("values"), list):
            raise KoladaError(f"{url}: not a Kolada answer (no list of values)")
        return payload

    def pages(self, url: str, most: int | None = None) -> Iterator[dict]:
        """Every page of a query, following `next_page` on Kolada's own host until it is absent; at most
        `most` pages (what the query can need) and `max_pages`: a longer or repeating chain is stopped
        with a warning, and _Stopped is raised after the last page."""
        seen = set()
        host = urlsplit(self.config.base_url).netloc
        limit = min(self.config.max_pages, most) if most else self.config.max_pages
        first = url
        while url:
            if url in seen or len(seen) >= limit:
                why = ("next_page leads back to a page already read" if url in seen
                       else f"the chain is longer than the {limit} pages this query can need")
                warning = f"{first}: paging stopped after {len(seen)} pages ({why}); the answer may be incomplete"
                log.warning("%s", warning)
                self.warnings.append(warning)
                raise _Stopped(warning)
            seen.add(url)
            payload = self.get(url)
            yield payload
            url = payload.get("next_page")
            if url is not None and (not isinstance(url, str) or urlsplit(url).netloc != host):
                raise KoladaError(f"next_page {url!r} does not lead to {host}; not followed")

    # --- metadata ---

    def _cached(self, url: str) -> list[dict]:
        found = self.cache.get(url)
        if found is not None:
            return found["values"]
        values = []
        try:
            for page in self.pages(url):
                if not all(isinstance(item, dict) for item in page["values"]):
                    raise KoladaError(f"{url}: not a Kolada answer (a value that is not an object)")
                values.extend(page["values"])
        except FetchFailed as failure:
            raise KoladaError(failure.reason) from None
        except _Stopped:
            return values  # used, not cached: the next run asks again
        self.cache.put(url, {"values": values})
        return values

    def search_kpis(self, text: str) -> list[dict]:
        """KPIs whose title contains the text (Kolada's `kpi?title=`)."""
        return self._cached(f"{self.config.base_url}kpi?{urlencode({'title': text})}")

    def kpis(self, ids: list[str]) -> list[dict]:
        """The metadata of the given KPI ids (those Kolada knows)."""
        found = []
        for batch in self._id_batches(f"{self.config.base_url}kpi/", ids):
            found.extend(self._cached(f"{self.config.base_url}kpi/{','.join(batch)}"))
        return found

    # --- data ---

    def data_url(self, kpi: str, ids: tuple[str, ...], years: tuple[int, ...], from_date: str | None) -> str:
        query = {"per_page": self.config.per_page}
        if from_date:
            query["from_date"] = from_date
        return (f"{self.config.base_url}data/kpi/{quote(kpi)}/municipality/{','.join(ids)}"
                f"/year/{','.join(map(str, years))}?{urlencode(query)}")

    def data(self, kpi: str, ids: list[str], years: list[int], from_date: str | None = None) -> Iterator[DataBatch]:
        """The values of one KPI for the municipalities and years, one DataBatch per URL that worked."""
        years_t = tuple(sorted(set(years)))
        prefix_length = len(self.data_url(kpi, (), years_t, from_date))
        for batch in self._id_batches("x" * prefix_length, sorted(set(ids))):
            yield from self._fetch_batch(kpi, tuple(batch), years_t, from_date)

    def _fetch_batch(self, kpi: str, ids: tuple[str, ...], years: tuple[int, ...],
                     from_date: str | None) -> Iterator[DataBatch]:
        url = self.data_url(kpi, ids, years, from_date)
        batch = DataBatch(kpi, ids, years, from_date)
        most = -(-len(ids) * len(years) // self.config.per_page) + 1  # one object per cell, one page to spare
        try:
            for page in self.pages(url, most):
                batch.values.extend(parse_values(page, url))
                batch.pages += 1
        except _Stopped:
            batch.complete = False
        except FetchFailed as failure:
            if failure.status != 400:
                raise KoladaError(f"{kpi}: {failure.reason}") from None
            if len(ids) == 1:
                raise KoladaError(f"{kpi}: Kolada answered 400 (bad parameters, or a URL too long) for "
                                  f"municipality {ids[0]} and years {years[0]}–{years[-1]} ({len(url)} characters)"
                                  ) from None
            self.max_url_length = min(self.max_url_length, len(url) - 1)
            half = len(ids) // 2
            yield from self._fetch_batch(kpi, ids[:half], years, from_date)
            yield from self._fetch_batch(kpi, ids[half:], years, from_date)
            return
        yield batch

    def _id_batches(self, prefix: str, ids: list[str]) -> Iterator[list[str]]:
        """Ids in groups whose comma-joined list keeps `prefix` + list within the URL limit."""
        batch: list[str] = []
        length = len(prefix)
        for kommunkod in ids:
            added = len(kommunkod) + (1 if batch else 0)
            if batch and length + added > self.max_url_length:
                yield batch
                batch, length, added = [], len(prefix), len(kommunkod)
            batch.append(kommunkod)
            length += added
        if batch:
            yield batch
