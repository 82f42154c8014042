"""One harvest run without Prefect: crawl every source, then download each candidate once.

The flow in `flows/harvest.py` runs the same two steps as Prefect tasks; this function is what
tests and scripts call directly.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from corpus.crawl import Candidate, Discovery, discover
from corpus.download import download
from corpus.http import PoliteClient
from corpus.result_pages import PageCollector
from corpus.sources import SourcesConfig
from corpus.store import CorpusStore, ProvenanceRecord


@dataclass
class HarvestReport:
    """What one run found and what became of each candidate."""

    discoveries: list[Discovery] = field(default_factory=list)
    records: list[ProvenanceRecord] = field(default_factory=list)

    def outcomes(self) -> Counter:
        return Counter(record.outcome for record in self.records)

    @property
    def page_errors(self) -> list[str]:
        return [error for found in self.discoveries for error in found.page_errors]

    def summary(self) -> str:
        counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(self.outcomes().items()))
        pages = sum(len(found.pages) for found in self.discoveries)
        return f"{pages} pages read, {len(self.records)} report links: {counts or 'none'}"


def unique_candidates(discoveries: list[Discovery]) -> list[Candidate]:
    """Candidates of all sources, each address once (first finder wins)."""
    seen: dict[str, Candidate] = {}
    for found in discoveries:
        for candidate in found.candidates:
            seen.setdefault(candidate.url, candidate)
    return list(seen.values())


def harvest(config: SourcesConfig, store: CorpusStore, client: PoliteClient | None = None,
            on_record: Callable[[ProvenanceRecord], None] | None = None,
            pages: PageCollector | None = None) -> HarvestReport:
    """Crawl each source and download every candidate report into the store (result pages into `pages`)."""
    store.clear_incoming()
    own_client = client is None
    client = client or PoliteClient(config.settings)
    try:
        report = HarvestReport(discoveries=[
            discover(client, source, config.settings, pages.reader(source.name or None) if pages else None)
            for source in config.sources])
        validators = store.validators()
        for candidate in unique_candidates(report.discoveries):
            record = download(client, store, candidate, config.settings, validators.get(candidate.url))
            report.records.append(record)
            if on_record:
                on_record(record)
    finally:
        if own_client:
            client.close()
    return report
