"""Shared helpers for the database tests (no tests here): the fixture extract, DB dumps, Datasette."""
from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
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
