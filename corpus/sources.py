"""The harvest configuration (`corpus/sources.yml`): sources to watch and how to fetch politely.

Each key is declared once here with its default; unknown keys are rejected with a message that
lists the valid ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from corpus.yaml_file import read_yaml
from kompass.errors import KompassError

DEFAULT_CONFIG = Path(__file__).with_name("sources.yml")
DEFAULT_USER_AGENT = "kommunkompassen-pipeline/0.1 (harvester of Kommunkompassen evaluation reports)"
REPORT_PATTERN = r"(?i)kommun-?kompass"


class SourcesConfigError(KompassError):
    """The sources file is missing, not YAML, or holds unknown keys or bad values."""


@dataclass(frozen=True)
class HarvestSettings:
    """How the harvester fetches: limits, retries, politeness and the report-recognising rules."""

    user_agent: str = DEFAULT_USER_AGENT
    max_depth: int = 2
    max_pages: int = 200              # HTML pages read per run (all sources); the rest wait for the next run
    max_downloads: int = 200          # report links fetched per run; the rest wait for the next run
    max_bytes: int = 50 * 1024 * 1024
    timeout_seconds: float = 30.0     # connecting, and waiting for any byte
    page_deadline_seconds: float = 60.0       # a page or robots.txt, all attempts, however slowly it trickles
    download_deadline_seconds: float = 600.0  # one report, all attempts
    run_deadline_seconds: float = 3 * 3600.0  # one harvest run; what is left waits for the next run
    retries: int = 3
    retry_delays: tuple[float, ...] = (2.0, 5.0, 15.0)
    per_host_delay: float = 1.0
    max_crawl_delay: float = 60.0     # a longer robots.txt Crawl-delay is capped to this (with a warning)
    max_retry_after: float = 60.0     # a 429/5xx's Retry-After is waited up to this; a longer one ends the fetch
    report_link: str = REPORT_PATTERN
    report_text: str = REPORT_PATTERN

    def __post_init__(self) -> None:
        for name in ("max_depth", "max_pages", "max_downloads", "max_bytes", "retries"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more, not {getattr(self, name)}")
        for name in ("page_deadline_seconds", "download_deadline_seconds", "run_deadline_seconds"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, not {getattr(self, name)}")
        if self.timeout_seconds <= 0 or self.per_host_delay < 0:
            raise ValueError("timeout_seconds must be positive and per_host_delay 0 or more")
        if not 0 <= self.max_retry_after <= 3600:
            raise ValueError(f"max_retry_after must be between 0 and 3600 seconds, not {self.max_retry_after}")
        if not 0 <= self.max_crawl_delay <= 3600:
            raise ValueError(f"max_crawl_delay must be between 0 and 3600 seconds, not {self.max_crawl_delay}")
        if not self.retry_delays and self.retries:
            raise ValueError("retry_delays needs at least one delay when retries > 0")
        object.__setattr__(self, "retry_delays", tuple(float(d) for d in self.retry_delays))
        for name in ("report_link", "report_text"):
            try:
                re.compile(getattr(self, name))
            except re.error as error:
                raise ValueError(f"{name} is not a valid regular expression: {error}") from None

    def delay_before_retry(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` (1-based); the last delay repeats."""
        return self.retry_delays[min(attempt, len(self.retry_delays)) - 1]

    def link_is_report(self, url: str, text: str) -> bool:
        return bool(re.search(self.report_link, url) or re.search(self.report_link, text or ""))

    def text_names_report(self, text: str) -> bool:
        return bool(re.search(self.report_text, text))


@dataclass(frozen=True)
class Source:
    """One listing page to watch; links are followed within its site up to `max_depth`."""

    url: str
    name: str = ""
    max_depth: int | None = None
    also_hosts: tuple[str, ...] = field(default_factory=tuple)
    # The municipality's own domains: a result page there is `published_page`; elsewhere it is `news`
    # unless the site is named after the municipality (grastorp.se) or calls itself by its name.
    own_domains: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"source url {self.url!r} is not an http(s) address")
        object.__setattr__(self, "also_hosts", tuple(self.also_hosts))
        if isinstance(self.own_domains, str) or not all(isinstance(d, str) and d for d in self.own_domains):
            raise ValueError("own_domains must be a list of domain names")
        object.__setattr__(self, "own_domains", tuple(d.lower() for d in self.own_domains))

    def depth(self, settings: HarvestSettings) -> int:
        return settings.max_depth if self.max_depth is None else self.max_depth


@dataclass(frozen=True)
class SourcesConfig:
    settings: HarvestSettings
    sources: tuple[Source, ...]

    def with_sources(self, urls: list[str]) -> "SourcesConfig":
        """The same settings with the given listing pages instead of the configured ones."""
        return replace(self, sources=tuple(Source(url=url, name=url) for url in urls))


def _build(cls, data: dict, where: str):
    if not isinstance(data, dict):
        raise SourcesConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    known = [f.name for f in fields(cls)]
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise SourcesConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(known)}")
    try:
        return cls(**data)
    except (TypeError, ValueError) as error:
        raise SourcesConfigError(f"{where}: {error}") from None


def parse_config(data: dict, where: str = "sources") -> SourcesConfig:
    """Build a validated SourcesConfig from parsed YAML."""
    data = data or {}
    unknown = sorted(set(data) - {"settings", "sources"})
    if unknown:
        raise SourcesConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; valid keys: settings, sources")
    settings = _build(HarvestSettings, data.get("settings") or {}, f"{where}: settings")
    sources = tuple(_build(Source, item, f"{where}: sources[{index}]")
                    for index, item in enumerate(data.get("sources") or []))
    return SourcesConfig(settings=settings, sources=sources)


def load_config(path: str | Path | None = None) -> SourcesConfig:
    """Read a sources file (default: the one shipped in `corpus/`)."""
    path = Path(path) if path else DEFAULT_CONFIG
    return parse_config(read_yaml(path, SourcesConfigError, "the sources file"), str(path))
