"""One harvest run: continue (or start) a round, crawl within the budget, download within the budget.

`HarvestRun` holds one run's state so that the Prefect flow (`flows/harvest.py`) and this module's
`harvest()` run the same steps: `crawl()`, then `download(candidate)` for each of `pending()`,
then `finish()`, which records what was deferred and keeps the queue for the next run (or removes
it when the round is complete). Every step ends within the run's deadline.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from corpus.crawl import RunBudget, crawl, page_record
from corpus.download import download
from corpus.http import PoliteClient
from corpus.queue import Candidate, HarvestQueue, drop_queue, load_queue, save_queue
from corpus.web_pages import PageCollector
from corpus.sources import SourcesConfig
from corpus.store import CUT, DEFERRED, PAGE, CorpusStore, ProvenanceRecord, utc_now


@dataclass
class HarvestReport:
    """What one run did: pages read, the record of every report link it fetched, and what it left."""

    pages: list[str] = field(default_factory=list)
    page_records: list[ProvenanceRecord] = field(default_factory=list)  # pages skipped or failed
    records: list[ProvenanceRecord] = field(default_factory=list)       # report links fetched
    deferred: int = 0          # report links left for the next run
    pages_left: int = 0        # crawl frontier left for the next run
    resumed: bool = False      # this run continued an earlier run's round

    def outcomes(self) -> Counter:
        return Counter(record.outcome for record in self.records)

    @property
    def page_errors(self) -> list[str]:
        """Pages not read (failed or closed by robots.txt); pages cut at their deadline are in `pages_cut`."""
        return [f"{record.url}: {record.reason}" for record in self.page_records if record.outcome != CUT]

    @property
    def pages_cut(self) -> list[ProvenanceRecord]:
        """Pages a deadline cut while they arrived (their links up to the cut were followed)."""
        return [record for record in self.page_records if record.outcome == CUT]

    def summary(self) -> str:
        counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(self.outcomes().items()))
        left = f"; left for the next run: {self.deferred} report links, {self.pages_left} pages" \
            if self.deferred or self.pages_left else ""
        cut = len(self.pages_cut)
        cut_text = f" ({cut} page{'s' if cut != 1 else ''} cut at {'their' if cut != 1 else 'its'} deadline)" \
            if cut else ""
        return f"{len(self.pages)} pages read{cut_text}, {len(self.records)} report links: {counts or 'none'}{left}"


class HarvestRun:
    """One run over a corpus: its queue (continued or fresh), its budget, its client."""

    def __init__(self, config: SourcesConfig, store: CorpusStore, client: PoliteClient | None = None,
                 on_record: Callable[[ProvenanceRecord], None] | None = None,
                 pages: PageCollector | None = None) -> None:
        self.config, self.store, self.settings, self.pages = config, store, config.settings, pages
        self.own_client = client is None
        self.client = client or PoliteClient(config.settings)
        self.on_record = on_record
        self.budget = RunBudget(self.client.deadline(self.settings.run_deadline_seconds),
                                self.settings.max_pages, self.settings.max_downloads)
        self.removed_partial = store.clear_incoming()
        self.report = HarvestReport()
        queue = load_queue(store)
        self.report.resumed = queue is not None
        self.queue = queue or HarvestQueue.fresh([source.url for source in config.sources])
        self.attempted = store.attempted_in(self.queue.round) if self.report.resumed else set()
        self.validators = store.validators()
        save_queue(store, self.queue)

    def _record_page(self, record: ProvenanceRecord) -> None:
        self.store.record(record)
        self.report.page_records.append(record)

    def crawl(self) -> list[str]:
        """Read pages of the round's frontier within the budget; new report links join the queue."""
        sources = {source.url: source for source in self.config.sources}
        read = crawl(self.client, self.queue, sources, self.settings, self.budget, self._record_page,
                     saved=lambda: save_queue(self.store, self.queue), on_page=self._read_page if self.pages else None)
        self.report.pages.extend(read)
        return read

    def _read_page(self, source, url: str, html: str) -> None:
        self.pages.reader(source.name or None, source.own_domains)(url, html)

    def pending(self) -> list[Candidate]:
        """Report links of the round not yet fetched (by this run or an earlier one)."""
        return [c for c in self.queue.candidates if c.url not in self.attempted]

    def download(self, candidate: Candidate) -> ProvenanceRecord | None:
        """Fetch one report link, or None when the run's budget is spent (it stays queued)."""
        if self.budget.why_stopped("download") is not None:
            return None
        self.budget.downloads_left -= 1
        deadline = self.client.deadline(self.settings.download_deadline_seconds, self.budget.deadline)
        record = download(self.client, self.store, candidate, self.settings, self.validators.get(candidate.url),
                          deadline, self.queue.round)
        self.attempted.add(candidate.url)
        self.report.records.append(record)
        if self.on_record:
            self.on_record(record)
        return record

    def finish(self) -> HarvestReport:
        """Record what waits for the next run; keep the queue for it, or remove it when the round is done."""
        try:
            left = self.pending()
            for candidate in left:
                self.store.record(ProvenanceRecord(
                    url=candidate.url, fetched_at=utc_now(), outcome=DEFERRED, found_on=candidate.found_on,
                    link_text=candidate.link_text or None, round=self.queue.round,
                    reason=self.budget.why_stopped("download") or "deferred to the next run"))
            for task in self.queue.frontier:
                self.store.record(page_record(task, DEFERRED, self.budget.why_stopped(PAGE)
                                              or "deferred to the next run", self.queue.round))
            self.report.deferred, self.report.pages_left = len(left), len(self.queue.frontier)
            if left or self.queue.frontier:
                save_queue(self.store, self.queue)
            else:
                drop_queue(self.store)
        finally:
            if self.own_client:
                self.client.close()
        return self.report


def harvest(config: SourcesConfig, store: CorpusStore, client: PoliteClient | None = None,
            on_record: Callable[[ProvenanceRecord], None] | None = None,
            pages: PageCollector | None = None) -> HarvestReport:
    """One run: crawl (continuing an unfinished round), then download every pending report link
    (the HTML pages read go to `pages`, the result-page reader, when given)."""
    run = HarvestRun(config, store, client, on_record, pages)
    try:
        run.crawl()
        for candidate in run.pending():
            if run.download(candidate) is None:
                break
    finally:
        report = run.finish()
    return report
