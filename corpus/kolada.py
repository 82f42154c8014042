"""A client for Kolada's API (v2) on the harvester's polite HTTP client.

Every answer is `{"values": [...], "count": n, "next_page": url?}`; `pages` follows `next_page`
(same host as the base URL only, at most `max_pages`, never the same URL twice). Data queries put
many municipalities in one URL, batched within `max_url_length`; a 400 answer (Kolada's reply to an
over-long URL) halves the batch and remembers the shorter limit, and a 400 for one municipality is a
clear error. Retries happen on timeouts, broken connections and 5xx only (corpus.http). Each request
has a deadline and a size bound. KPI metadata and searches are cached on disk for `cache_hours`.
All parsing of Kolada's answers is in this module.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, urlencode, urlsplit

import httpx

from corpus.http import FetchFailed, PoliteClient, classify_status, transport_failure
from corpus.kolada_config import KoladaConfig
from kompass.errors import KompassError

GENDERS = ("T", "K", "M")


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
    """The answer to one data query (all its pages): which cells were asked, and the values returned."""

    kpi: str
    ids: tuple[str, ...]
    years: tuple[int, ...]
    from_date: str | None
    values: list[KoladaValue] = field(default_factory=list)
    pages: int = 0


def parse_values(payload: dict, where: str) -> list[KoladaValue]:
    """The data objects of one page as KoladaValue rows; anything malformed is a KoladaError naming it."""
    values = []
    for item in payload.get("values", []):
        try:
            kpi, municipality, period = str(item["kpi"]), str(item["municipality"]), int(str(item["period"]))
            for entry in item.get("values") or []:
                gender = str(entry.get("gender") or "T")
                raw = entry.get("value")
                if gender not in GENDERS or (raw is not None and not isinstance(raw, (int, float))):
                    raise ValueError(f"gender {gender!r} or value {raw!r}")
                if isinstance(raw, float) and not math.isfinite(raw):
                    raise ValueError(f"value {raw!r}")
                count = entry.get("count")
                values.append(KoladaValue(kpi, municipality, period, gender, None if raw is None else float(raw),
                                          int(count) if isinstance(count, (int, float)) else None,
                                          str(entry["status"]) if entry.get("status") is not None else None,
                                          bool(entry.get("is_deleted") or 0)))
        except (KeyError, TypeError, ValueError) as error:
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
        self.cache = JsonCache(config.cache_dir, config.cache_hours)
        self.max_url_length = config.max_url_length
        self.requests = 0

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "KoladaClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- one answer ---

    def get(self, url: str) -> dict:
        """One JSON answer (retried on transient failures); FetchFailed carries the status of a 4xx."""
        if not self.http.allowed(url):
            raise KoladaError(f"{url}: disallowed by the host's robots.txt")
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
            payload = json.loads(bytes(body).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise KoladaError(f"{url}: not JSON ({error})") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("values"), list):
            raise KoladaError(f"{url}: not a Kolada answer (no list of values)")
        return payload

    def pages(self, url: str) -> Iterator[dict]:
        """Every page of a query, following `next_page` on Kolada's own host until it is absent."""
        seen = set()
        host = urlsplit(self.config.base_url).netloc
        while url:
            if url in seen or len(seen) >= self.config.max_pages:
                raise KoladaError(f"{url}: paging does not end (a page repeats, or more than "
                                  f"{self.config.max_pages} pages)")
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
        try:
            values = [item for page in self.pages(url) for item in page["values"]]
        except FetchFailed as failure:
            raise KoladaError(failure.reason) from None
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
        try:
            for page in self.pages(url):
                batch.values.extend(parse_values(page, url))
                batch.pages += 1
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
