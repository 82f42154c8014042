"""Kolada key figures into the database: which cells to ask for, and storing the answers.

The cells are every (KPI, municipality, year) for the municipalities and years of the evaluations in
the database, widened by `years_before`/`years_after`, asked one year at a time for all the
municipalities that need it. `kolada_requests` remembers the day each cell was last asked for; a cell
asked before is asked again with `from_date` (only what Kolada changed since comes back). Each answered batch is stored in one transaction with its cells, so an interrupted
run keeps what it finished. A value Kolada has as null is kept as NULL; one Kolada deleted is kept
as NULL with `is_deleted` = 1. An unchanged value is not written again.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Callable

import sqlite_utils

from corpus.kolada import DataBatch, KoladaClient, KoladaError
from corpus.kolada_config import KPI_ID, KpiChoice
from kompass.errors import KompassError

KPI_FIELDS = ("title", "description", "definition", "municipality_type", "operating_area", "is_divided_by_gender",
              "publication_date", "perspective", "auspices", "has_ou_data")


class NothingToJoin(KompassError):
    """The database has no evaluation with a kommunkod to fetch key figures for."""


@dataclass
class KoladaSummary:
    kpis: list[str] = field(default_factory=list)
    batches: int = 0
    pages: int = 0
    values: Counter = field(default_factory=Counter)   # new, changed, unchanged, deleted, skipped
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # paging stopped early: values kept, cells asked again next run

    def line(self) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(self.values.items())) or "no values"
        return (f"{len(self.kpis)} KPIs ({', '.join(self.kpis) or 'none'}), {self.batches} queries, "
                f"{self.pages} pages: {counts}")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def wanted_cells(db: sqlite_utils.Database, before: int, after: int) -> dict[str, set[int]]:
    """kommunkod → the years to fetch: each evaluation's year and the years around it (not past this year)."""
    cells: dict[str, set[int]] = defaultdict(set)
    this_year = date.today().year
    for kommunkod, year in db.execute("SELECT kommunkod, year FROM evaluations WHERE kommunkod IS NOT NULL"):
        cells[kommunkod].update(y for y in range(year - before, year + after + 1) if y <= this_year)
    return dict(cells)


def plan_queries(db: sqlite_utils.Database, kpi: str, cells: dict[str, set[int]]) -> dict[tuple, list[str]]:
    """(year, from_date) → municipalities, one query per year: cells never asked without from_date, cells
    asked before with the day they were last asked (only what Kolada changed since comes back)."""
    asked = {(k, y): day for k, y, day in db.execute(
        "SELECT kommunkod, year, fetched_on FROM kolada_requests WHERE kpi = ?", [kpi])}
    queries: dict[tuple, list[str]] = defaultdict(list)
    for kommunkod, years in sorted(cells.items()):
        for year in sorted(years):
            queries[(year, asked.get((kommunkod, year)))].append(kommunkod)
    return dict(sorted(queries.items(), key=lambda item: (item[0][0], item[0][1] or "")))


def resolve_kpis(client: KoladaClient, choices: list[KpiChoice], summary: KoladaSummary) -> list[str]:
    """KPI ids for the configured choices: pinned ids as they are, titles through Kolada's search."""
    ids = []
    for choice in choices:
        if choice.id:
            ids.append(choice.id)
            continue
        try:
            found = client.search_kpis(choice.title)
        except KoladaError as error:
            summary.errors.append(f"KPI {choice.label}: {error}")
            continue
        wanted = " ".join(choice.title.casefold().split())
        exact = [k for k in found if " ".join(str(k.get("title", "")).casefold().split()) == wanted]
        pick = exact if exact else found
        if len(pick) == 1 and KPI_ID.match(str(pick[0].get("id", ""))):
            ids.append(pick[0]["id"])
        else:
            near = "; ".join(f"{k.get('id')} {k.get('title')!r}" for k in found[:5]) or "none"
            summary.errors.append(f"KPI title {choice.title!r}: {len(found)} KPIs match, none exactly "
                                  f"(first: {near}); pin an id in kolada.yml or use --kpi")
    return list(dict.fromkeys(ids))


def store_kpis(db: sqlite_utils.Database, metadata: list[dict], fetched_at: str) -> None:
    """Upsert KPI metadata rows (unchanged ones are left as they are)."""
    for item in metadata:
        row = {name: item.get(name) for name in KPI_FIELDS}
        row["id"] = str(item["id"])
        for flag in ("is_divided_by_gender", "has_ou_data"):
            row[flag] = int(bool(row[flag])) if row[flag] is not None else None
        old = db.execute("SELECT " + ", ".join(KPI_FIELDS) + " FROM kolada_kpis WHERE id = ?", [row["id"]]).fetchone()
        if old is None or tuple(old) != tuple(row[name] for name in KPI_FIELDS):
            db["kolada_kpis"].upsert({**row, "fetched_at": fetched_at}, pk="id")


def store_batch(db: sqlite_utils.Database, batch: DataBatch, fetched_at: str, summary: KoladaSummary) -> None:
    """One answered query in one transaction: its values (only what changed) and the cells it covered."""
    known = {row[0] for row in db.execute("SELECT kommunkod FROM municipalities")}
    with db.atomic():
        for value in batch.values:
            if value.kommunkod not in known or value.kpi != batch.kpi:
                summary.values["skipped"] += 1
                continue
            key = [value.kpi, value.kommunkod, value.year, value.gender]
            old = db.execute("SELECT value, count, status, is_deleted FROM kolada_values WHERE kpi = ? AND "
                             "kommunkod = ? AND year = ? AND gender = ?", key).fetchone()
            new = (None if value.is_deleted else value.value, value.count, value.status, int(value.is_deleted))
            if old is not None and tuple(old) == new:
                summary.values["unchanged"] += 1
                continue
            summary.values["deleted" if value.is_deleted else ("changed" if old else "new")] += 1
            db["kolada_values"].upsert(
                {"kpi": value.kpi, "kommunkod": value.kommunkod, "year": value.year, "gender": value.gender,
                 "value": new[0], "count": new[1], "status": new[2], "is_deleted": new[3], "fetched_at": fetched_at},
                pk=("kpi", "kommunkod", "year", "gender"))
        day = fetched_at[:10]
        if not batch.complete:  # paging was stopped: these cells are asked again in full next time
            summary.batches += 1
            summary.pages += batch.pages
            return
        db["kolada_requests"].upsert_all(
            [{"kpi": batch.kpi, "kommunkod": k, "year": y, "fetched_on": day} for k in batch.ids for y in batch.years
             if k in known], pk=("kpi", "kommunkod", "year"))
    summary.batches += 1
    summary.pages += batch.pages


def fetch_kolada(db: sqlite_utils.Database, client: KoladaClient, choices: list[KpiChoice],
                 progress: Callable[[str], None] | None = None) -> KoladaSummary:
    """Fetch the KPIs' metadata and values for every evaluation's municipality and years into the database."""
    summary = KoladaSummary()
    cells = wanted_cells(db, client.config.years_before, client.config.years_after)
    if not cells:
        raise NothingToJoin("the database has no evaluation with a kommunkod; load reports or published scores "
                            "first (kompass load / load-published)")
    ids = resolve_kpis(client, choices, summary)
    try:
        metadata = client.kpis(ids) if ids else []
    except KoladaError as error:
        summary.errors.append(f"KPI metadata: {error}")
        summary.warnings.extend(client.warnings)
        return summary
    with db.atomic():
        store_kpis(db, metadata, now())
    found = {str(item["id"]) for item in metadata}
    summary.errors.extend(f"KPI {kpi}: Kolada knows no such KPI" for kpi in ids if kpi not in found)
    for kpi in (k for k in ids if k in found):
        summary.kpis.append(kpi)
        try:
            for (year, since), municipalities in plan_queries(db, kpi, cells).items():
                for batch in client.data(kpi, municipalities, [year], since):
                    store_batch(db, batch, now(), summary)
                    if progress:
                        progress(kpi)
        except KoladaError as error:
            summary.errors.append(str(error))
    summary.warnings.extend(client.warnings)
    return summary
