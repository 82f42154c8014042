"""The harvest queue: what a round of harvesting still has to do, kept in the corpus between runs.

A round is one crawl of the sources and the download of every report link it found. A run does
as much of it as its caps (pages, downloads) and its deadline allow; the rest stays in
`harvest-queue.json`, and the next run continues it (the crawl's frontier first, then the links
not yet fetched) instead of starting again from the first link. Which links are done is read from
`provenance.jsonl` (records carry the round), so a run killed with `kill -9` resumes where it died.
The file is replaced atomically; when a round is complete it is removed and the next run crawls
afresh.
"""
from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from corpus.store import CorpusStore, utc_now

QUEUE_FILE = "harvest-queue.json"
QUEUE_VERSION = 1


@dataclass(frozen=True)
class Candidate:
    """A link that may lead to a report."""

    url: str
    found_on: str
    link_text: str = ""


@dataclass(frozen=True)
class PageTask:
    """A page of the crawl still to read: where it was found, how deep, and for which source."""

    url: str
    depth: int
    found_on: str
    link_text: str
    source: str


@dataclass
class HarvestQueue:
    round: str
    started_at: str
    frontier: list[PageTask] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)          # pages queued once in this round (never twice)
    candidates: list[Candidate] = field(default_factory=list)
    _known: set[str] = field(default_factory=set, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._known = {c.url for c in self.candidates}

    @classmethod
    def fresh(cls, source_urls: list[str]) -> "HarvestQueue":
        """A new round starting at the listing pages."""
        return cls(round=f"{utc_now()}-{secrets.token_hex(3)}", started_at=utc_now(),
                   frontier=[PageTask(url, 0, url, "", url) for url in source_urls],
                   seen=list(dict.fromkeys(source_urls)))

    @property
    def crawled(self) -> bool:
        return not self.frontier

    def add_candidate(self, candidate: Candidate) -> None:
        if candidate.url not in self._known:
            self._known.add(candidate.url)
            self.candidates.append(candidate)

    def to_json(self) -> dict:
        return {"version": QUEUE_VERSION, "round": self.round, "started_at": self.started_at,
                "frontier": [asdict(p) for p in self.frontier], "seen": self.seen,
                "candidates": [asdict(c) for c in self.candidates]}

    @classmethod
    def from_json(cls, data: dict) -> "HarvestQueue":
        return cls(round=data["round"], started_at=data["started_at"],
                   frontier=[PageTask(**p) for p in data.get("frontier", [])], seen=list(data.get("seen", [])),
                   candidates=[Candidate(**c) for c in data.get("candidates", [])])


def queue_path(store: CorpusStore) -> Path:
    return store.root / QUEUE_FILE


def load_queue(store: CorpusStore) -> HarvestQueue | None:
    """The unfinished round of an earlier run, if any (an unreadable file is set aside, not trusted)."""
    path = queue_path(store)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != QUEUE_VERSION:
            raise ValueError(f"version {data.get('version')}")
        return HarvestQueue.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        os.replace(path, path.with_suffix(".unreadable.json"))
        return None


def save_queue(store: CorpusStore, queue: HarvestQueue) -> None:
    """Write the queue atomically (a temporary file in the corpus, then a rename)."""
    store.root.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=".harvest-queue-", suffix=".json", dir=store.root)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(queue.to_json(), handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(name, queue_path(store))


def drop_queue(store: CorpusStore) -> None:
    queue_path(store).unlink(missing_ok=True)
