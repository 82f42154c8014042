"""Schema migrations: numbered steps, each applied in its own transaction.

The version reached is kept in SQLite's `PRAGMA user_version` (written inside the same
transaction as the step) and each applied step is listed in `schema_migrations`.
A step, once released, never changes: a new table or column is a new step.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

TEXT, INTEGER, REAL = str, int, float
SWEDISH_FTS = "unicode61 remove_diacritics 0"  # the default folds å/ä/ö: `far` would match `får`


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite_utils.Database], None]


def _reference_tables(db: sqlite_utils.Database) -> None:
    db["municipalities"].create(
        {"kommunkod": TEXT, "name": TEXT, "county": TEXT, "county_code": TEXT, "skr_group": TEXT},
        pk="kommunkod", not_null={"name"})
    db["frameworks"].create({"id": TEXT, "first_year": INTEGER, "last_year": INTEGER, "areas": INTEGER}, pk="id")
    db["themes"].create({"id": TEXT, "position": INTEGER, "description": TEXT}, pk="id")
    db["framework_areas"].create(
        {"framework": TEXT, "area": INTEGER, "name": TEXT, "variants": TEXT, "theme": TEXT, "approximate": INTEGER},
        pk=("framework", "area"), not_null={"name", "theme"},
        foreign_keys=[("framework", "frameworks", "id"), ("theme", "themes", "id")])


def _document_tables(db: sqlite_utils.Database) -> None:
    db["documents"].create(
        {"sha256": TEXT, "kind": TEXT, "filename": TEXT, "source_url": TEXT, "fetched_at": TEXT,
         "pages": INTEGER, "extractor_version": TEXT, "evaluation": TEXT},
        pk="sha256", not_null={"kind", "filename", "extractor_version"})
    db["load_errors"].create(
        {"filename": TEXT, "sha256": TEXT, "message": TEXT, "attempts": INTEGER},
        pk=("filename", "sha256"), not_null={"message"}, defaults={"sha256": "", "attempts": 1})
    for name, columns, pk in (
        ("checks", {"document": TEXT, "name": TEXT, "ok": INTEGER, "detail": TEXT}, ("document", "name")),
        ("warnings", {"document": TEXT, "seq": INTEGER, "message": TEXT}, ("document", "seq")),
    ):
        db[name].create(columns, pk=pk, foreign_keys=[("document", "documents", "sha256")])


def _evaluation_tables(db: sqlite_utils.Database) -> None:
    db["evaluations"].create(
        {"id": TEXT, "kommunkod": TEXT, "kommun": TEXT, "year": INTEGER, "framework": TEXT,
         "start_date": TEXT, "end_date": TEXT, "total": REAL, "median_total": REAL, "total_source": TEXT,
         "document": TEXT},
        pk="id", not_null={"kommun", "year"},
        foreign_keys=[("kommunkod", "municipalities", "kommunkod"), ("framework", "frameworks", "id"),
                      ("document", "documents", "sha256")])
    db["evaluation_sources"].create(
        {"evaluation": TEXT, "source": TEXT, "provenance": TEXT, "document": TEXT, "source_url": TEXT,
         "total": REAL, "median_total": REAL, "reference_kind": TEXT, "page": INTEGER, "note": TEXT},
        pk=("evaluation", "source", "provenance"),
        foreign_keys=[("evaluation", "evaluations", "id"), ("document", "documents", "sha256")])
    db["area_scores"].create(
        {"evaluation": TEXT, "framework": TEXT, "area": INTEGER, "source": TEXT, "provenance": TEXT,
         "area_name": TEXT, "score": REAL, "reference": REAL, "reference_kind": TEXT,
         "document": TEXT, "source_url": TEXT, "page": INTEGER},
        pk=("evaluation", "area", "source", "provenance"), not_null={"score"},
        foreign_keys=[("evaluation", "evaluations", "id"), ("framework", "frameworks", "id"),
                      ("document", "documents", "sha256")])


def _report_tables(db: sqlite_utils.Database) -> None:
    """Rows that only a report's own text gives: evaluators, questions, findings, good examples."""
    fks = [("document", "documents", "sha256"), ("evaluation", "evaluations", "id")]
    db["evaluators"].create(
        {"document": TEXT, "seq": INTEGER, "evaluation": TEXT, "name": TEXT, "organisation": TEXT},
        pk=("document", "seq"), not_null={"name"}, foreign_keys=fks)
    db["question_scores"].create(
        {"document": TEXT, "question": TEXT, "evaluation": TEXT, "area": INTEGER, "text": TEXT,
         "max_points": REAL, "points": REAL, "percent": REAL, "page": INTEGER},
        pk=("document", "question"), not_null={"max_points", "points"}, foreign_keys=fks)
    db["findings"].create(
        {"document": TEXT, "seq": INTEGER, "evaluation": TEXT, "area": INTEGER, "kind": TEXT, "text": TEXT,
         "page": INTEGER},
        pk=("document", "seq"), not_null={"kind", "text"}, foreign_keys=fks)
    db["good_examples"].create(
        {"document": TEXT, "seq": INTEGER, "evaluation": TEXT, "framework": TEXT, "area": INTEGER,
         "kind": TEXT, "kommun": TEXT, "kommunkod": TEXT, "sentence": TEXT, "page": INTEGER},
        pk=("document", "seq"), not_null={"kind", "kommun"},
        foreign_keys=[*fks, ("kommunkod", "municipalities", "kommunkod")])


def initial_schema(db: sqlite_utils.Database) -> None:
    _reference_tables(db)
    _document_tables(db)
    _evaluation_tables(db)
    _report_tables(db)


def full_text_search(db: sqlite_utils.Database) -> None:
    """Sentences with their lemmas, and full-text indexes over sentences and findings."""
    db["sentences"].create(
        {"document": TEXT, "seq": INTEGER, "evaluation": TEXT, "page": INTEGER, "area": INTEGER,
         "text": TEXT, "lemmas": TEXT},
        pk=("document", "seq"), not_null={"text"},
        foreign_keys=[("document", "documents", "sha256"), ("evaluation", "evaluations", "id")])
    db["sentences"].enable_fts(["text", "lemmas"], tokenize=SWEDISH_FTS, create_triggers=True)
    db["findings"].enable_fts(["text"], tokenize=SWEDISH_FTS, create_triggers=True)


def result_pages_and_kolada(db: sqlite_utils.Database) -> None:
    """Figures read from municipal result pages (with their words and history) and Kolada key figures."""
    db["page_figures"].create(
        {"document": TEXT, "seq": INTEGER, "url": TEXT, "fetched_at": TEXT, "evaluation": TEXT, "year": INTEGER,
         "kind": TEXT, "area": INTEGER, "value": REAL, "reference": REAL, "reference_kind": TEXT,
         "shape": TEXT, "excerpt": TEXT},
        pk=("document", "seq"), not_null={"url", "kind", "value", "excerpt"},
        foreign_keys=[("document", "documents", "sha256"), ("evaluation", "evaluations", "id")])
    db["result_page_history"].create(
        {"url": TEXT, "content_sha256": TEXT, "fetched_at": TEXT, "reader_version": TEXT, "kommunkod": TEXT,
         "kommun": TEXT, "evaluations": INTEGER, "figures": TEXT},
        pk=("url", "content_sha256", "fetched_at"), not_null={"reader_version"})
    db["kolada_kpis"].create(
        {"id": TEXT, "title": TEXT, "description": TEXT, "definition": TEXT, "municipality_type": TEXT,
         "operating_area": TEXT, "is_divided_by_gender": INTEGER, "publication_date": TEXT, "perspective": TEXT,
         "auspices": TEXT, "has_ou_data": INTEGER, "fetched_at": TEXT},
        pk="id", not_null={"title"})
    db["kolada_values"].create(
        {"kpi": TEXT, "kommunkod": TEXT, "year": INTEGER, "gender": TEXT, "value": REAL, "count": INTEGER,
         "status": TEXT, "is_deleted": INTEGER, "fetched_at": TEXT},
        pk=("kpi", "kommunkod", "year", "gender"), not_null={"fetched_at"}, defaults={"is_deleted": 0},
        foreign_keys=[("kpi", "kolada_kpis", "id"), ("kommunkod", "municipalities", "kommunkod")])
    db["kolada_values"].create_index(["kommunkod", "year"])
    db["kolada_requests"].create(
        {"kpi": TEXT, "kommunkod": TEXT, "year": INTEGER, "fetched_on": TEXT},
        pk=("kpi", "kommunkod", "year"), not_null={"fetched_on"})


from db.researcher_schema import evaluation_identity, readable_row_keys, swedish_search_and_names  # noqa: E402


from db.ocr_schema import ocr_provenance  # noqa: E402 - the steps after the initial schema live in their modules
from db.search_schema import search_index  # noqa: E402
from db.examples_schema import good_example_context  # noqa: E402
from db.aggregates_schema import precomputed_aggregates  # noqa: E402

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", initial_schema),
    Migration(2, "sentences and full-text search", full_text_search),
    Migration(3, "result pages and Kolada key figures", result_pages_and_kolada),
    Migration(4, "integer row keys instead of sha256 + number", readable_row_keys),
    Migration(5, "one evaluation per report: labels, content fingerprints, document paths, build info",
              evaluation_identity),
    Migration(6, "lemmas in the findings' full-text index; Swedish theme names", swedish_search_and_names),
    Migration(7, "OCR: pages read by OCR, each record's OCR confidence, unverifiable numbers left empty",
              ocr_provenance),
    Migration(8, "search: compound parts in the full-text indexes; good examples searchable", search_index),
    Migration(9, "good examples: country and national code, sentence number, neighbouring sentences, heading, topic",
              good_example_context),
    Migration(10, "precomputed aggregates for the canned queries (chosen cells, cited municipalities), kept by triggers",
              precomputed_aggregates),
)
LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database, target: int = LATEST_VERSION) -> list[int]:
    """Apply every step above the database's version up to `target`; returns the versions applied."""
    applied = []
    for migration in MIGRATIONS:
        if schema_version(db) < migration.version <= target:
            with db.atomic():
                if not db["schema_migrations"].exists():
                    db["schema_migrations"].create({"version": INTEGER, "name": TEXT}, pk="version")
                migration.apply(db)
                db["schema_migrations"].insert({"version": migration.version, "name": migration.name})
                db.execute(f"PRAGMA user_version = {int(migration.version)}")
            applied.append(migration.version)
    return applied
