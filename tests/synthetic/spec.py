"""What one synthetic report says: `ReportSpec`, the seed spec, and the extraction it must yield.

Every renderer draws the same spec; `expected_json(spec, pdf)` is the extraction the extractor
must produce from any of them (same keys as `tests/fixtures/fagersta-2009.expected.json`).
Percent values are round-half-up of 100·points/max (Decimal ROUND_HALF_UP).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from tests.synthetic.seedtext import SEED_EXPECTED, Block, read_seed_prose
from tests.synthetic.wording import Wording, reference_header_for, seed_wording, summary_heading_for

FULL = "full"  # the whole report: tables, areas with findings, score summary
SUMMARY_ONLY = "summary-only"  # a short result summary: an area table and a little prose
FORMS = (FULL, SUMMARY_ONLY)
MEDIAN = "median"
MEDELVARDE = "medelvärde"
SVERIGESNITT = "Sverigesnitt"
REFERENCE_KINDS = (MEDIAN, MEDELVARDE, SVERIGESNITT)

# Wording of the seed's own tables (the expected JSON holds the canonical names).
SEED_TABLE1_NAMES = (
    "Offentlighet, öppenhet, och demokratisk kontroll",
    "Tillgänglighet/medborgar- och brukarorientering",
    "Tydlighet i samspelet mellan politiker och tjänstemän",
    "Ledning, decentralisering och delegering",
    "Kontroll och rapportering",
    "Personalpolitik",
    "Verksamhetsutveckling",
    "Kommun som samhällsbyggare",
)
SEED_SUMMARY_NAMES = (
    "Offentlighet och demokratisk kontroll",
    "Tillgänglighet och brukarorientering",
    "Tydlighet i samspelet mellan politiker och tjänstemän",
    "Ledning, decentralisering och delegering",
    "Kontroll och rapportering",
    "Personalpolitik",
    "Verksamhetsutveckling",
    "Kommunen som samhällsbyggare",
)


def percent_of(points: float, max_points: float) -> int:
    """round(100·points/max) with halves rounded up, as the reports print it."""
    value = Decimal(str(points)) * 100 / Decimal(str(max_points))
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def swedish_number(value: float, decimals: int | None = None) -> str:
    """64 → "64", 2.5 → "2,5"; `decimals` forces a fixed count ("62,0")."""
    if decimals is not None:
        return f"{value:.{decimals}f}".replace(".", ",")
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}".replace(".", ",")


@dataclass
class Evaluator:
    name: str
    organisation: str


@dataclass
class Question:
    id: str
    text: str
    max_points: int
    points: float

    @property
    def percent(self) -> int:
        return percent_of(self.points, self.max_points)


@dataclass
class Area:
    """One of the eight areas: scores, questions, prose and findings."""

    number: int
    name: str  # canonical name of the framework generation (what the extractor reports)
    table_name: str  # wording in the area summary table ("Tabell 1")
    summary_name: str  # wording in the score summary header row
    score: float
    reference: float | None
    questions: list[Question] = field(default_factory=list)
    prose_questions: list[str] = field(default_factory=list)  # "1.1 Hur …?" under the heading
    prose: list[Block] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)  # municipalities cited as good examples
    change: float | None = None  # change since the previous evaluation (summary-only reports)


@dataclass
class Comparison:
    kommun: str
    kommunkod: str | None
    year: int
    scores: list[float]  # areas 1–8

    @property
    def total(self) -> float:
        return sum(self.scores)


@dataclass
class ReportSpec:
    """Everything a synthetic report shows, independent of layout."""

    kommun: str
    kommunkod: str | None
    year: int
    dates: list[str]  # ISO dates of the visit
    evaluators: list[Evaluator]
    framework: str
    reference_kind: str
    median_total: float | None
    areas: list[Area]
    comparisons: list[Comparison]
    chapter1: list[Block]
    chapter2: list[Block]
    not_good_examples: list[str] = field(default_factory=list)
    has_score_summary: bool = True
    has_comparison_table: bool = True
    name: str = "report"
    wording: Wording = field(default_factory=seed_wording)
    form: str = FULL
    intro: list[str] = field(default_factory=list)  # summary-only: the paragraphs around the table

    @property
    def has_findings(self) -> bool:
        return self.form == FULL and any(a.strengths or a.improvements for a in self.areas)

    @property
    def reference_header(self) -> str:
        return self.wording.reference_header or reference_header_for(self.reference_kind)

    @property
    def summary_heading(self) -> str:
        return self.wording.summary_heading or summary_heading_for(self.framework)

    @property
    def has_changes(self) -> bool:
        return any(area.change is not None for area in self.areas)

    def words(self, template: str | None, **extra) -> str:
        """A wording template filled with this report's municipality, year and `extra` fields."""
        from extractors.municipalities import genitive

        if not template:
            return ""
        values = {"kommun": self.kommun, "year": self.year, "genitive": genitive(self.kommun),
                  "count": len(self.comparisons)}
        return template.format(**{**values, **extra})

    @property
    def total(self) -> float:
        return sum(area.score for area in self.areas)

    @property
    def date_label(self) -> str:
        """"2009-10-07--09" as on the title page."""
        if not self.dates:
            return str(self.year)
        first, last = self.dates[0], self.dates[-1]
        return first if first == last else f"{first}--{last[-2:]}"


def _seed_questions(expected: dict) -> dict[int, list[Question]]:
    questions: dict[int, list[Question]] = {n: [] for n in range(1, 9)}
    for q in expected["questions"]:
        area = int(q["question"].split(".")[0])
        questions[area].append(Question(q["question"], q["text"], q["max_points"], float(q["points"])))
    return questions


def _seed_findings(expected: dict, area: int, kind: str) -> list[str]:
    return [f["text"] for f in expected["findings"] if f["area"] == area and f["kind"] == kind]


def seed_spec() -> ReportSpec:
    """The Fagersta 2009 report as a spec: numbers from the expected JSON, prose from the text."""
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    prose = read_seed_prose()
    questions = _seed_questions(expected)
    areas = []
    for row in expected["areas"]:
        n = row["area"]
        areas.append(Area(
            number=n, name=row["name"], table_name=SEED_TABLE1_NAMES[n - 1],
            summary_name=SEED_SUMMARY_NAMES[n - 1], score=float(row["score"]),
            reference=row["median"], questions=questions[n],
            prose_questions=prose.area_questions[n], prose=prose.area_prose[n],
            strengths=_seed_findings(expected, n, "strength"),
            improvements=_seed_findings(expected, n, "improvement"),
            cited=[g["kommun"] for g in expected["good_examples_cited"] if g["area"] == n],
        ))
    return ReportSpec(
        kommun=expected["kommun"], kommunkod=expected["kommunkod"], year=expected["year"],
        dates=list(expected["evaluation_dates"]),
        evaluators=[Evaluator(e["name"], e["organisation"]) for e in expected["evaluators"]],
        framework=expected["framework"], reference_kind=MEDIAN,
        median_total=expected["median_total"], areas=areas,
        comparisons=_seed_comparisons(expected), chapter1=prose.chapter1, chapter2=prose.chapter2,
        not_good_examples=list(expected["not_good_examples"]), name="fagersta-2009",
    )


def _seed_comparisons(expected: dict) -> list[Comparison]:
    by_key: dict[tuple[str, int], Comparison] = {}
    for row in expected["comparisons"]:
        key = (row["kommun"], row["year"])
        if key not in by_key:
            by_key[key] = Comparison(row["kommun"], row["kommunkod"], row["year"], [0.0] * 8)
        by_key[key].scores[row["area"] - 1] = float(row["score"])
    return list(by_key.values())


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def expected_json(spec: ReportSpec, pdf_path: str | Path | None = None) -> dict:
    """The extraction the extractor must produce for `spec` rendered to `pdf_path`."""
    result: dict = {"schema_version": 1}
    if pdf_path is not None:
        result["source"] = _source(Path(pdf_path))
    result.update({
        "kommun": spec.kommun, "kommunkod": spec.kommunkod, "year": spec.year,
        "evaluation_dates": list(spec.dates),
        "evaluators": [{"name": e.name, "organisation": e.organisation} for e in spec.evaluators],
        "framework": spec.framework, "total": _number(spec.total),
        "median_total": spec.median_total, "reference_kind": spec.reference_kind,
        "areas": [{"area": a.number, "name": a.name, "score": float(a.score),
                   "median": None if a.reference is None else float(a.reference)} for a in spec.areas],
        "questions": _expected_questions(spec),
        "comparisons": _expected_comparisons(spec),
        "findings": _expected_findings(spec),
        "good_examples_cited": _expected_cited(spec),
        "not_good_examples": list(spec.not_good_examples),
        "expected_warnings_contain": expected_warnings(spec),
    })
    return result


def expected_warnings(spec: ReportSpec) -> list[str]:
    """Substrings the extractor's warnings must contain (one per missing part)."""
    warnings = []
    if not spec.has_score_summary:
        warnings.append("score summary")
    if not spec.has_comparison_table:
        warnings.append("comparison table")
    if spec.form == SUMMARY_ONLY:
        warnings.append("strengths")
        if not spec.evaluators:
            warnings.append("evaluators")
        if not spec.dates:
            warnings.append("evaluation dates")
    return warnings


def _expected_questions(spec: ReportSpec) -> list[dict]:
    if not spec.has_score_summary:
        return []
    return [{"question": q.id, "text": q.text, "max_points": q.max_points, "points": float(q.points),
             "percent": q.percent} for a in spec.areas for q in a.questions]


def _expected_comparisons(spec: ReportSpec) -> list[dict]:
    if not spec.has_comparison_table:
        return []
    return [{"kommun": c.kommun, "year": c.year, "area": n, "score": float(c.scores[n - 1]),
             "kommunkod": c.kommunkod} for n in range(1, 9) for c in spec.comparisons]


def _expected_findings(spec: ReportSpec) -> list[dict]:
    rows = []
    if spec.form != FULL:
        return rows
    for area in spec.areas:
        rows += [{"area": area.number, "kind": "strength", "text": t} for t in area.strengths]
        rows += [{"area": area.number, "kind": "improvement", "text": t} for t in area.improvements]
    return rows


def _expected_cited(spec: ReportSpec) -> list[dict]:
    from extractors.municipalities import kommunkod

    return [{"area": a.number, "kommun": k, "kommunkod": kommunkod(k)} for a in spec.areas for k in a.cited]


def _source(path: Path) -> dict:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        pages = len(document)
    finally:
        document.close()
    return {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "pages": pages, "filename": path.name}
