"""Downloading one candidate report safely into the store, ending in one ProvenanceRecord.

Conditional request (If-None-Match / If-Modified-Since from the provenance log), redirects checked
against robots.txt of every host they reach, retries on transient failures only, one deadline for
all attempts, the content type and size checked before the body is read, the body streamed to a
temporary file with its size bounded while it is decompressed, then the PDF header and the first
pages checked; only a complete, accepted report is moved into the corpus under its sha256.
Nothing partial is kept: a failure of any kind discards the temporary file.

The first pages are read by pdfium in a guarded worker process (extractors.guard: its address space
capped at CHECK_MEMORY_MB, stopped at CHECK_SECONDS or the download's deadline if sooner), the same
bounds extraction runs under: a PDF bomb of a few kilobytes that makes pdfium allocate gigabytes
is a rejected download, and the harvester's own memory never sees it.
"""
from __future__ import annotations

import logging
from typing import Callable

import httpx

from corpus.bodies import BodyTooLarge, UnsupportedEncoding, bounded_chunks
from corpus.crawl import PDF_TYPES, Candidate, media_type
from corpus.http import Deadline, Disallowed, FetchFailed, PoliteClient, TransientFailure, classify_status
from corpus.sources import HarvestSettings
from corpus.store import (ACCEPTED, DUPLICATE, FAILED, NOT_MODIFIED, REJECTED, SKIPPED, STORED, CorpusStore,
                          Incoming, ProvenanceRecord, Validators, utc_now)

log = logging.getLogger(__name__)

CHECK_MEMORY_MB = 256     # address space a first-pages check may add (an 8.9 MB scan needs < 192)
CHECK_SECONDS = 60.0      # and the time it may take (never past the download's deadline)
BINARY_TYPES = {"application/octet-stream", "binary/octet-stream", "application/download",
                "application/force-download", ""}
FIRST_PAGES = 2


class Rejected(Exception):
    """A complete answer that is not a Kommunkompassen report PDF; `reason` says what it was."""

    def __init__(self, reason: str, sha256: str | None = None, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.sha256 = sha256
        self.size = size


def first_pages_text(path, pages: int = FIRST_PAGES) -> str:
    """Normalised text of the first pages (pypdfium2); raises extractors' named errors."""
    from extractors.pdftext import normalise, open_document

    document = open_document(path)
    try:
        texts = []
        for index in range(min(pages, len(document))):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(normalise(textpage.get_text_range()))
            textpage.close()
            page.close()
        return "\n".join(texts)
    finally:
        document.close()


def check_report(path, settings: HarvestSettings, deadline: Deadline | None = None) -> None:
    """Raise Rejected unless the file is a readable PDF whose first pages name Kommunkompassen; the pages
    are read in a guarded worker (bounded memory, a deadline)."""
    from extractors.errors import ExtractionError
    from extractors.guard import extract_in_subprocess

    seconds = CHECK_SECONDS if deadline is None else max(1.0, min(CHECK_SECONDS, deadline.remaining()))
    try:
        text = extract_in_subprocess(path, timeout_s=seconds, memory_mb=CHECK_MEMORY_MB, target=first_pages_text)
    except ExtractionError as error:
        raise Rejected(str(error).split(": ", 1)[-1]) from None
    except Exception as error:  # noqa: BLE001 — a reader's bug on one hostile file must not stop the run
        log.warning("checking %s failed: %s: %s", path, type(error).__name__, error)
        raise Rejected(f"the PDF could not be checked ({type(error).__name__}: {error})") from None
    if not settings.text_names_report(text):
        raise Rejected(f"a PDF, but its first {FIRST_PAGES} pages do not name Kommunkompassen")


def check_headers(response: httpx.Response, settings: HarvestSettings) -> None:
    """Reject before reading the body: wrong content type or a declared size over the limit."""
    kind = media_type(response)
    if kind not in PDF_TYPES | BINARY_TYPES:
        raise Rejected(f"content type {kind or 'missing'}, not a PDF")
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_bytes:
        raise Rejected(f"{declared} bytes is over the size limit of {settings.max_bytes}")


def read_body(response: httpx.Response, incoming: Incoming, settings: HarvestSettings) -> None:
    """Stream the body into the temporary file, the size limit applied while decompressing, then
    compare the bytes received with the declared length."""
    try:
        for chunk in bounded_chunks(response, settings.max_bytes):
            incoming.write(chunk)
    except BodyTooLarge as too_large:
        raise Rejected(str(too_large)) from None
    except UnsupportedEncoding as unsupported:
        raise Rejected(str(unsupported)) from None
    declared = response.headers.get("content-length")
    received = response.num_bytes_downloaded
    if declared and declared.isdigit() and received != int(declared):
        raise TransientFailure(f"body cut off: {received} of {declared} bytes")


def conditional_headers(validators: Validators | None, store: CorpusStore) -> dict[str, str]:
    """Validators of the last complete download, unless the document it gave has left the corpus."""
    if validators is None:
        return {}
    if validators.outcome in ACCEPTED and not (validators.sha256 and store.has(validators.sha256)):
        return {}
    return validators.headers()


def _receive(response: httpx.Response, store: CorpusStore, settings: HarvestSettings,
             deadline: Deadline | None = None) -> tuple[str, bool]:
    """Body of a 2xx answer into the store: (sha256, newly stored); raises Rejected or TransientFailure."""
    check_headers(response, settings)
    incoming = store.begin()
    try:
        read_body(response, incoming, settings)
        store.close(incoming)
        try:
            check_report(incoming.path, settings, deadline)
        except Rejected as rejected:
            raise Rejected(rejected.reason, incoming.sha256, incoming.size) from None
        return store.commit(incoming)
    finally:
        store.discard(incoming)


def _fetch_once(client: PoliteClient, store: CorpusStore, candidate: Candidate, headers: dict[str, str],
                settings: HarvestSettings, validators: Validators | None, deadline: Deadline,
                round_id: str | None) -> ProvenanceRecord:
    record = ProvenanceRecord(url=candidate.url, fetched_at=utc_now(), outcome=FAILED, round=round_id,
                              found_on=candidate.found_on, link_text=candidate.link_text or None)
    response = None
    try:
        with client.open(candidate.url, deadline, headers) as response:
            record.status = response.status_code
            record.final_url = str(response.url) if str(response.url) != candidate.url else None
            record.content_type = response.headers.get("content-type")
            record.etag = response.headers.get("etag")
            record.last_modified = response.headers.get("last-modified")
            if response.status_code == 304:
                record.outcome, record.sha256 = NOT_MODIFIED, validators.sha256 if validators else None
                return record
            classify_status(response)
            try:
                record.sha256, new = _receive(response, store, settings, deadline)
            except Rejected as rejected:
                record.outcome, record.reason = REJECTED, rejected.reason
                record.sha256, record.size = rejected.sha256, rejected.size
                return record
    except httpx.HTTPError as error:
        raise client.failure(error, candidate.url, response, deadline) from None
    record.outcome = STORED if new else DUPLICATE
    record.size = store.path_for(record.sha256).stat().st_size
    return record


def download(client: PoliteClient, store: CorpusStore, candidate: Candidate, settings: HarvestSettings,
             validators: Validators | None = None, deadline: Deadline | None = None,
             round_id: str | None = None) -> ProvenanceRecord:
    """Fetch one candidate into the store within its deadline; append the record to the provenance log."""
    deadline = deadline or client.deadline(settings.download_deadline_seconds)
    headers = conditional_headers(validators, store)
    attempt: Callable[[], ProvenanceRecord] = lambda: _fetch_once(  # noqa: E731
        client, store, candidate, headers, settings, validators, deadline, round_id)
    try:
        record = client.with_retries(attempt, candidate.url, deadline)
    except FetchFailed as failure:
        outcome = SKIPPED if isinstance(failure, Disallowed) else FAILED
        record = ProvenanceRecord(url=candidate.url, fetched_at=utc_now(), outcome=outcome, round=round_id,
                                  status=None if outcome == SKIPPED else failure.status,
                                  found_on=candidate.found_on, link_text=candidate.link_text or None,
                                  reason=failure.reason)
    store.record(record)
    log.info("%s: %s%s", candidate.url, record.outcome, f" ({record.reason})" if record.reason else "")
    return record
