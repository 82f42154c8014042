"""The corpus directory as a content-addressed store: `<sha256>.pdf` files plus a provenance log.

Every fetch, skip, failure and deferral of a harvest is one line of `provenance.jsonl`, pages of the
crawl included (`kind: page`).

Downloads are written to `.incoming/` inside the corpus directory (same file system, so the final
move is atomic) and only renamed to `<sha256>.pdf` once complete and accepted. A document already
present by hash is never stored twice. `provenance.jsonl` is an append-only log with one
`ProvenanceRecord` per fetch attempt; the latest validators (ETag, Last-Modified) of a URL come
from it, so conditional requests survive between runs.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterator

from kompass.errors import KompassError

PROVENANCE_FILE = "provenance.jsonl"
HASHES_FILE = ".hashes.json"   # sha256 of each file by (name, size, mtime_ns): hashed once, not on every run
INCOMING_DIR = ".incoming"
STORED_NAME = re.compile(r"^[0-9a-f]{64}\.pdf$")

# Outcomes of one fetch attempt.
STORED = "stored"              # new document, moved into the corpus
DUPLICATE = "duplicate"        # complete and accepted, but its hash was already in the corpus
NOT_MODIFIED = "not-modified"  # the server answered 304 to a conditional request
REJECTED = "rejected"          # fetched, but not a Kommunkompassen report PDF (see reason)
FAILED = "failed"              # HTTP error, timeout, deadline, redirect loop or cut-off body (see reason)
SKIPPED = "skipped"            # not fetched: robots.txt of its host (or of a host it redirects to)
DEFERRED = "deferred"          # not fetched in this run (a per-run cap or the run's deadline); waits in the queue
CUT = "cut"                    # a page cut at its deadline: the links read before the cut were followed (see reason)
OUTCOMES = (STORED, DUPLICATE, NOT_MODIFIED, REJECTED, FAILED, SKIPPED, DEFERRED, CUT)
PAGE = "page"                  # `kind` of a record about an HTML page of the crawl (None: a report link)
ACCEPTED = (STORED, DUPLICATE)


class CorpusNotFound(KompassError):
    """The corpus directory to process does not exist."""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class ProvenanceRecord:
    """What happened when one URL was fetched once."""

    url: str
    fetched_at: str
    outcome: str
    status: int | None = None
    final_url: str | None = None
    sha256: str | None = None
    size: int | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    found_on: str | None = None
    link_text: str | None = None
    reason: str | None = None
    kind: str | None = None        # PAGE for a crawled page; None for a report link
    round: str | None = None       # the harvest round (one crawl and its downloads, over one or more runs)

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome {self.outcome!r} is not one of {', '.join(OUTCOMES)}")

    def to_json(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}

    @classmethod
    def from_json(cls, data: dict) -> "ProvenanceRecord":
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass
class Validators:
    """What a conditional request needs: the last ETag and Last-Modified seen for a URL."""

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    outcome: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass
class Incoming:
    """A download in progress: a temporary file in `.incoming/` and the running sha256."""

    path: Path
    handle: BinaryIO
    digest: "hashlib._Hash"
    size: int = 0

    def write(self, chunk: bytes) -> None:
        self.handle.write(chunk)
        self.digest.update(chunk)
        self.size += len(chunk)

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()


class CorpusStore:
    """A directory of `<sha256>.pdf` documents with their provenance."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.provenance_path = self.root / PROVENANCE_FILE
        self.incoming_dir = self.root / INCOMING_DIR

    def path_for(self, sha256: str) -> Path:
        return self.root / f"{sha256}.pdf"

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def documents(self) -> list[Path]:
        """Every PDF in the corpus directory (stored ones and bundled ones), sorted by name."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")

    def sha256s(self, paths: list[Path]) -> dict[Path, str | Exception]:
        """The sha256 of each file (or the error that stopped reading it), each hashed once per (name, size,
        mtime_ns): the answers are kept in `.hashes.json` in the corpus, so a run over an unchanged corpus
        reads no file (a 20 GB sparse file costs 17 s a time). A corpus that cannot be written is hashed
        without the cache."""
        from extractors.pdftext import sha256_of

        cache_path = self.root / HASHES_FILE
        try:
            cached = json.loads(cache_path.read_text(encoding="utf-8"))
            cached = cached if isinstance(cached, dict) else {}
        except (OSError, ValueError):
            cached = {}
        found: dict[Path, str | Exception] = {}
        fresh: dict[str, list] = {}
        for path in paths:
            try:
                info = path.stat()
            except OSError as error:
                found[path] = error
                continue
            key = [info.st_size, info.st_mtime_ns]
            entry = cached.get(path.name)
            if isinstance(entry, list) and len(entry) == 3 and entry[:2] == key and isinstance(entry[2], str):
                found[path] = entry[2]
            else:
                try:
                    found[path] = sha256_of(path)
                except (OSError, KompassError) as error:
                    found[path] = error
                    continue
            fresh[path.name] = [*key, found[path]]
        if fresh != cached:
            try:
                descriptor, name = tempfile.mkstemp(suffix=".part", dir=self.root)
                with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                    json.dump(fresh, handle)
                os.replace(name, cache_path)
            except OSError:
                with contextlib.suppress(OSError, UnboundLocalError):
                    os.unlink(name)
        return found

    def clear_incoming(self) -> int:
        """Remove temporary files a killed run left behind; return how many."""
        removed = 0
        if self.incoming_dir.is_dir():
            for leftover in self.incoming_dir.iterdir():
                leftover.unlink(missing_ok=True)
                removed += 1
            self.incoming_dir.rmdir()
        return removed

    def begin(self) -> Incoming:
        """Open a temporary file for a download; finish with `commit` or `discard`."""
        self.incoming_dir.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(suffix=".part", dir=self.incoming_dir)
        return Incoming(path=Path(name), handle=os.fdopen(descriptor, "wb"), digest=hashlib.sha256())

    def discard(self, incoming: Incoming) -> None:
        if not incoming.handle.closed:
            incoming.handle.close()
        incoming.path.unlink(missing_ok=True)
        self._remove_empty_incoming()

    def close(self, incoming: Incoming) -> None:
        """Flush a complete download to disk so it can be inspected before `commit`."""
        if not incoming.handle.closed:
            incoming.handle.flush()
            os.fsync(incoming.handle.fileno())
            incoming.handle.close()

    def commit(self, incoming: Incoming) -> tuple[str, bool]:
        """Move a complete download into the corpus under its hash; (sha256, newly stored)."""
        self.close(incoming)
        sha256 = incoming.sha256
        target = self.path_for(sha256)
        if target.exists():
            self.discard(incoming)
            return sha256, False
        os.replace(incoming.path, target)
        self._remove_empty_incoming()
        return sha256, True

    def _remove_empty_incoming(self) -> None:
        try:
            self.incoming_dir.rmdir()
        except OSError:
            pass

    def record(self, record: ProvenanceRecord) -> None:
        """Append one record to the provenance log."""
        self.root.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True)
        with open(self.provenance_path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def records(self) -> list[ProvenanceRecord]:
        return list(self._read_records())

    def _read_records(self) -> Iterator[ProvenanceRecord]:
        if not self.provenance_path.exists():
            return
        with open(self.provenance_path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield ProvenanceRecord.from_json(json.loads(line))

    def attempted_in(self, round_id: str) -> set[str]:
        """Report links fetched (or skipped for good) in a round: what a resumed run need not fetch again."""
        return {record.url for record in self._read_records()
                if record.round == round_id and record.kind is None and record.outcome != DEFERRED}

    def validators(self) -> dict[str, Validators]:
        """Per URL, the validators of its latest complete download (a 304 keeps the earlier ones)."""
        latest: dict[str, Validators] = {}
        for record in self._read_records():
            if record.outcome in ACCEPTED or (record.outcome == REJECTED and record.sha256):
                latest[record.url] = Validators(record.etag, record.last_modified, record.sha256, record.outcome)
        return latest

    def origin_of(self, sha256: str) -> ProvenanceRecord | None:
        """The first record that brought this document into the corpus (None for bundled files)."""
        for record in self._read_records():
            if record.sha256 == sha256 and record.outcome in ACCEPTED:
                return record
        return None

    def origins(self) -> dict[str, ProvenanceRecord]:
        """sha256 → first accepting provenance record, for every harvested document."""
        found: dict[str, ProvenanceRecord] = {}
        for record in self._read_records():
            if record.sha256 and record.outcome in ACCEPTED and record.sha256 not in found:
                found[record.sha256] = record
        return found
