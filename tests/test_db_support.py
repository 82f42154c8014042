"""Shared helpers for the database tests (no tests here): the fixture extract, DB dumps, Datasette."""
from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3

import pytest
from pathlib import Path

from extractors.pipeline import Analysis
from extractors.records import (AreaScore, Check, Comparison, Evaluator, Finding, GoodExample, QuestionScore,
                                ReportExtract, SentenceRecord, Source)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "fagersta-2009.expected.json"
REPORT_PDF = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"


def fixture_extract() -> ReportExtract:
    """The expected extraction of the Fagersta 2009 report as a ReportExtract (pages unknown: None)."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    sha = hashlib.sha256(REPORT_PDF.read_bytes()).hexdigest()
    return ReportExtract(
        source=Source(sha256=sha, pages=28, filename=REPORT_PDF.name),
        kommun=data["kommun"], kommunkod=data["kommunkod"], year=data["year"],
        evaluation_dates=data["evaluation_dates"],
        evaluators=[Evaluator(**e) for e in data["evaluators"]],
        framework=data["framework"], total=data["total"], median_total=data["median_total"],
        areas=[AreaScore(page=None, **a) for a in data["areas"]],
        questions=[QuestionScore(page=None, **q) for q in data["questions"]],
        comparisons=[Comparison(**c) for c in data["comparisons"]],
        findings=[Finding(page=None, **f) for f in data["findings"]],
        good_examples=[GoodExample(kind="cited", sentence="", page=None, **g) for g in data["good_examples_cited"]],
        checks=[Check("areas sum to total", True, "466 = 466")],
    )


def fixture_analysis(sentences: list[SentenceRecord] | None = None) -> Analysis:
    return Analysis(extract=fixture_extract(), sentences=sentences or [], extractor_version="1")


def dump(path: Path) -> str:
    """Every row and schema statement of the database, as text."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def real_analysis() -> Analysis:
    """The bundled real report through the real extraction pipeline."""
    from extractors.pipeline import analyse

    return analyse(REPORT_PDF)


def fixture_good_examples() -> list[GoodExample]:
    """The expected cited good examples of the real report (kind, sentence and page unknown here)."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [GoodExample(kind="cited", sentence="", page=None, **g) for g in data["good_examples_cited"]]


def rows(path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def canned(db_path: Path, name: str, **params: str) -> list[dict]:
    """Run a canned query through Datasette's own in-process client; its rows as dicts."""
    from urllib.parse import urlencode

    from db.datasette import database_name, make_datasette

    datasette = make_datasette(db_path)

    async def fetch() -> list[dict]:
        response = await datasette.client.get(
            f"/{database_name(db_path)}/{name}.json?" + urlencode({**params, "_shape": "array"}))
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(fetch())


def content(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted (row order, integer row ids and load times aside, the database's content)."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE '%_fts%' AND name NOT LIKE 'sqlite_%' "
                                             "AND name != 'build_info'")]
        result = {}
        for t in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{t}])")
                       if not (r[1] == "id" and r[2] == "INTEGER" and r[5]) and r[1] != "loaded_at"]
            select = ", ".join(f"[{c}]" for c in columns)
            result[t] = sorted(conn.execute(f"SELECT {select} FROM [{t}]").fetchall(), key=repr)
        return result
    finally:
        conn.close()


@pytest.fixture(autouse=False)
def integrity_after(tmp_path):
    """After the test: every SQLite file it left in tmp_path passes PRAGMA integrity_check."""
    yield
    for path in sorted(tmp_path.rglob("*.db")):
        if path.read_bytes()[:16] == b"SQLite format 3\x00":
            assert integrity(path) == "ok", path
