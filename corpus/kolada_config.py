"""The Kolada configuration (`corpus/kolada.yml`): the API's address, the KPIs, paging, batching, caching.

Every key is declared here once with its default; unknown keys are an error naming the valid ones.
`KOMPASS_KOLADA_URL` in the environment replaces the base URL.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from corpus.sources import HarvestSettings
from corpus.yaml_file import read_yaml
from kompass.errors import KompassError

DEFAULT_CONFIG = Path(__file__).with_name("kolada.yml")
BASE_URL_VARIABLE = "KOMPASS_KOLADA_URL"
KPI_ID = re.compile(r"^[A-Z]\d{5}$")
HTTP_KEYS = ("user_agent", "timeout_seconds", "retries", "retry_delays", "per_host_delay", "max_retry_after")


class KoladaConfigError(KompassError):
    """The Kolada configuration is missing, not YAML, or holds unknown keys or bad values."""


@dataclass(frozen=True)
class KpiChoice:
    """One configured key figure: a pinned id, or an exact title to look up (or both)."""

    id: str | None = None
    title: str | None = None

    def __post_init__(self) -> None:
        if not self.id and not self.title:
            raise ValueError("a KPI needs an id or a title")
        if self.id and not KPI_ID.match(self.id):
            raise ValueError(f"{self.id!r} is not a Kolada KPI id (a letter and five digits, e.g. N01951)")

    @property
    def label(self) -> str:
        return self.id or repr(self.title)


@dataclass(frozen=True)
class KoladaConfig:
    base_url: str = "https://api.kolada.se/v2/"
    years_before: int = 1
    years_after: int = 1
    max_url_length: int = 2000
    per_page: int = 5000
    max_pages: int = 100
    max_bytes: int = 20 * 1024 * 1024
    request_deadline_seconds: float = 120.0
    cache_dir: str = "kolada-cache"   # relative: under the project's data folder (kompass.options.data_dir)
    cache_hours: float = 24.0
    http: HarvestSettings = field(default_factory=HarvestSettings)
    kpis: tuple[KpiChoice, ...] = ()

    @property
    def cache_path(self) -> Path:
        """Where the cache lives: `cache_dir` itself when absolute, else under the user's data folder
        ($XDG_DATA_HOME/kommunkompassen), never the current folder."""
        from kompass.options import data_dir

        path = Path(self.cache_dir).expanduser()
        return path if path.is_absolute() else data_dir() / path

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url {self.base_url!r} is not an http(s) address")
        if not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")
        for name in ("years_before", "years_after", "cache_hours"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more")
        for name in ("max_url_length", "per_page", "max_pages", "max_bytes", "request_deadline_seconds"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.max_url_length < len(self.base_url) + 60:
            raise ValueError(f"max_url_length {self.max_url_length} leaves no room after the base URL")
        if not 1 <= self.per_page <= 5000:
            raise ValueError("per_page must be between 1 and 5000 (Kolada's maximum)")


def _mapping(data, where: str) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KoladaConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    return data


def _check_keys(data: dict, known: list[str] | tuple[str, ...], where: str) -> None:
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise KoladaConfigError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}; valid keys: {', '.join(known)}")


def parse_config(data: dict | None, where: str = "kolada") -> KoladaConfig:
    """A validated KoladaConfig from parsed YAML (the environment's base URL wins)."""
    data = dict(_mapping(data, where))
    _check_keys(data, [f.name for f in fields(KoladaConfig)], where)
    http = _mapping(data.pop("http", None), f"{where}: http")
    _check_keys(http, HTTP_KEYS, f"{where}: http")
    kpis = data.pop("kpis", None) or []
    if not isinstance(kpis, list):
        raise KoladaConfigError(f"{where}: kpis must be a list")
    if os.environ.get(BASE_URL_VARIABLE):
        data["base_url"] = os.environ[BASE_URL_VARIABLE]
    try:
        choices = []
        for index, item in enumerate(kpis):
            item = _mapping(item, f"{where}: kpis[{index}]")
            _check_keys(item, ("id", "title"), f"{where}: kpis[{index}]")
            choices.append(KpiChoice(**item))
        return KoladaConfig(**data, http=HarvestSettings(**http), kpis=tuple(choices))
    except (TypeError, ValueError) as error:
        raise KoladaConfigError(f"{where}: {error}") from None


def load_kolada_config(path: str | Path | None = None) -> KoladaConfig:
    """Read the Kolada configuration (default: the one shipped in `corpus/`)."""
    path = Path(path) if path else DEFAULT_CONFIG
    return parse_config(read_yaml(path, KoladaConfigError, "the Kolada configuration"), str(path))
