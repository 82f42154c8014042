"""A database of 1,000 evaluations built without rendering PDFs, and its canned queries timed.

Each evaluation is an Analysis made from a generated report's expected extraction (areas,
questions, comparisons, findings, cited good examples) under another municipality and year,
with ~250 sentences of the seed report's prose as its tagged text (lemmas: the lower-cased
words). The rows go in through the real loader (`db.load.load_analysis`), so they are the
rows a real run would write; canned queries are then timed (`benchmarks/query_scale.py`, `db.bench`).
"""
from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

from db.load import load_analysis
from db.schema import open_database
from extractors.frameworks import generation_by_year
from extractors.municipalities import Municipality, all_municipalities
from extractors.pipeline import Analysis
from extractors.records import (CITED, AreaScore, Comparison, Evaluator, Finding, GoodExample, QuestionScore,
                                ReportExtract, SentenceRecord, Source)

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT / "tests" / "fixtures" / "kommunkompassen-fagersta-2009.txt"
SENTENCES_PER_EVALUATION = 250
# For round r of the municipalities: the framework generation and the first year drawn.
# (Round 3 repeats round 0's generation: index + 870 moves the year by 6 of 8, so no (kommun, year) repeats.)
ROUNDS = (("2002-2009", 2002, 8), ("2010-2019", 2010, 10), ("2020-", 2020, 5), ("2002-2009", 2002, 8))


def seed_sentences(path: Path = SEED_TEXT) -> list[str]:
    text = " ".join(path.read_text(encoding="utf-8").split())
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", text)
    return [s for s in sentences if 40 <= len(s) <= 400]


def _sentences(pool: list[str], index: int, seed_name: str, kommun: str) -> list[SentenceRecord]:
    start = (index * 37) % len(pool)
    chosen = (pool[start:] + pool[:start])[:SENTENCES_PER_EVALUATION]
    records = []
    for number, sentence in enumerate(chosen):
        text = sentence.replace(seed_name, kommun)
        records.append(SentenceRecord(page=3 + number // 12, area=number % 8 + 1, text=text,
                                      lemmas=" ".join(re.findall(r"\w+", text.casefold()))))
    return records


def _extract(template: dict, municipality: Municipality, year: int, sha: str) -> ReportExtract:
    rename = template["kommun"]
    return ReportExtract(
        source=Source(sha256=sha, pages=template["source"].get("pages") or 30, filename=f"{sha[:12]}.pdf"),
        kommun=municipality.name, kommunkod=municipality.kommunkod, year=year,
        evaluation_dates=[f"{year}-10-07", f"{year}-10-09"],
        evaluators=[Evaluator(e["name"], e.get("organisation")) for e in template["evaluators"]],
        framework=template["framework"], total=template["total"], median_total=template["median_total"],
        reference_kind=template.get("reference_kind"),
        areas=[AreaScore(a["area"], a["name"], a["score"], a.get("median"), 4) for a in template["areas"]],
        questions=[QuestionScore(q["question"], q["text"], q["max_points"], q["points"], q["percent"], 27)
                   for q in template["questions"]],
        comparisons=[Comparison(c["kommun"], c.get("kommunkod"), c["year"], c["area"], c["score"], 4)
                     for c in template["comparisons"] if c["kommun"] != municipality.name],
        findings=[Finding(f["area"], f["kind"], f["text"].replace(rename, municipality.name), 9)
                  for f in template["findings"]],
        good_examples=[GoodExample(g.get("area"), CITED, g["kommun"], g.get("kommunkod"),
                                   f"{g['kommun']} är ett gott exempel.", 12)
                       for g in template.get("good_examples_cited", []) if g["kommun"] != municipality.name],
    )


def synthetic_analyses(templates: list[dict], count: int = 1000, indexes=None):
    """`count` analyses of distinct evaluations (municipality, year), each from a template of its generation
    (or those of the given `indexes`: index i is the same evaluation whatever the count)."""
    municipalities = all_municipalities()
    pool = seed_sentences()
    by_generation = {g: [t for t in templates if t["framework"] == g] for g, _, _ in ROUNDS}
    rounds = [r for r in ROUNDS if by_generation[r[0]]]  # a small corpus may lack a generation
    for index in (range(count) if indexes is None else indexes):
        municipality = municipalities[index % len(municipalities)]
        generation, first, span = rounds[(index // len(municipalities)) % len(rounds)]
        year = first + index % span
        assert generation_by_year(year) == generation
        template = by_generation[generation][index % len(by_generation[generation])]
        sha = hashlib.sha256(f"synthetic-{index}".encode()).hexdigest()
        extract = _extract(template, municipality, year, sha)
        yield Analysis(extract=extract, sentences=_sentences(pool, index, template["kommun"], municipality.name))


def build_database(db_path: Path, templates: list[dict], count: int = 1000) -> dict[str, float]:
    """Load `count` synthetic evaluations; returns the build time and row counts."""
    start = time.perf_counter()
    db = open_database(db_path)
    try:
        db.execute("PRAGMA synchronous = OFF")  # a throw-away benchmark database
        for analysis in synthetic_analyses(templates, count):
            load_analysis(db, analysis)
        own = db.execute("SELECT count(DISTINCT evaluation) FROM documents").fetchone()[0]
        evaluations = db.execute("SELECT count(*) FROM evaluations").fetchone()[0]
        sentences = db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    finally:
        db.close()
    return {"db_evaluations_reported": own, "db_evaluations_all": evaluations, "db_sentences": sentences,
            "db_build_s": round(time.perf_counter() - start, 1)}
