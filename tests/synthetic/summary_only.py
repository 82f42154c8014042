"""Summary-only reports of the 2010 and 2020 generations, and the area table every renderer draws.

A summary-only report is what many municipalities published after an evaluation: a page or two with
the eight area scores, often beside the previous evaluation's change ("+16", "-3", "±0") and a
national reference ("Sverigesnitt"), a total row, a few paragraphs — and no score summary, no
comparison table and no strengths or improvements. Area names wrap over two or three lines in a
narrow column, with the numbers on the last line.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from tests.synthetic.spec import SUMMARY_ONLY, ReportSpec, swedish_number
from tests.synthetic.wording import signed

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")


def _change(rng: random.Random, score: float) -> float:
    """A change since the previous evaluation that leaves the previous score within 0–100."""
    for _ in range(10):
        change = float(round(rng.gauss(4, 7)))
        if rng.random() < 0.08:
            change = 0.0
        if 0 <= score - change <= 100:
            return change
    return 0.0


def make_summary_only(spec: ReportSpec, rng: random.Random) -> None:
    """Turn a full spec into a summary-only one (in place): no findings, summary, comparisons, prose."""
    spec.form = SUMMARY_ONLY
    spec.has_score_summary = False
    spec.has_comparison_table = False
    spec.comparisons, spec.chapter1, spec.chapter2, spec.not_good_examples = [], [], [], []
    with_changes = rng.random() < 0.8
    for area in spec.areas:
        area.questions, area.prose_questions, area.prose = [], [], []
        area.strengths, area.improvements, area.cited = [], [], []
        area.change = _change(rng, area.score) if with_changes else None
    if rng.random() < 0.35:
        spec.median_total = None
    if rng.random() < 0.7:
        spec.evaluators = []
    if rng.random() < 0.4:
        spec.dates = []
    spec.intro = _intro(spec, rng)


def previous_year(spec: ReportSpec) -> int:
    return spec.year - (4 if spec.year - 4 >= 2010 or spec.framework == "2020-" else 3)


def _intro(spec: ReportSpec, rng: random.Random) -> list[str]:
    from extractors.municipalities import genitive

    organisation = "Sveriges Kommuner och Regioner (SKR)" if spec.year >= 2019 else \
        "Sveriges Kommuner och Landsting (SKL)"
    when = f"i {MONTHS[int(spec.dates[0][5:7]) - 1]} {spec.year}" if spec.dates else f"år {spec.year}"
    paragraphs = [
        f"Kommunkompassen är ett analysverktyg som {organisation} erbjuder kommunerna. {genitive(spec.kommun)} kommun "
        f"utvärderades {when}. Utvärderingen omfattar åtta områden med högst 100 poäng vardera, "
        f"sammanlagt 800 poäng.",
    ]
    if spec.has_changes:
        change = sum(area.change for area in spec.areas)
        direction = "fler" if change > 0 else "färre"
        paragraphs.append(
            f"{genitive(spec.kommun)} kommun fick totalt {swedish_number(spec.total)} poäng, "
            + (f"{swedish_number(abs(change))} poäng {direction} än vid föregående utvärdering {previous_year(spec)}."
               if change else f"lika många som vid föregående utvärdering {previous_year(spec)}."))
    paragraphs.append(rng.choice((
        "Tabellen visar resultatet per område.",
        "Resultatet per område framgår av tabellen nedan.",
        "I tabellen jämförs kommunens poäng med referensvärdet för de kommuner som utvärderats.",
    )))
    closing = rng.choice((
        "Den fullständiga rapporten med styrkor och förbättringsområden finns att läsa på kommunens webbplats.",
        "Analysen redovisas i sin helhet i en separat rapport.",
        "Kommunen kommer att använda resultatet i sitt fortsatta utvecklingsarbete.",
    ))
    return paragraphs + [closing]


@dataclass(frozen=True)
class AreaTable:
    """The area table as text cells: a header row, eight area rows and a total row."""

    header: list[str]
    rows: list[list[str]]
    total: list[str]
    change_column: int | None  # index of the change column, if any


def area_table(spec: ReportSpec, change_first: bool = True, reference_decimals: int | None = 1) -> AreaTable:
    """Cells of the area table in the report's wording: name, score, [change], reference."""
    w = spec.wording
    with_change = spec.has_changes
    header = [spec.words(w.area_header), spec.words(w.score_header)]
    columns = ["score", "change", "reference"] if change_first else ["score", "reference", "change"]
    if not with_change:
        columns.remove("change")
    titles = {"score": spec.words(w.score_header), "change": spec.words(w.change_header),
              "reference": spec.words(spec.reference_header)}
    header = [spec.words(w.area_header)] + [titles[c] for c in columns]
    rows = []
    for area in spec.areas:
        values = {"score": swedish_number(area.score),
                  "change": "" if area.change is None else signed(area.change, w.minus),
                  "reference": "–" if area.reference is None else swedish_number(area.reference, reference_decimals)}
        rows.append([area.table_name] + [values[c] for c in columns])
    total_change = sum(a.change for a in spec.areas if a.change is not None)
    totals = {"score": swedish_number(spec.total), "change": signed(total_change, w.minus),
              "reference": "–" if spec.median_total is None
              else swedish_number(spec.median_total, reference_decimals)}
    total = [w.total_label] + [totals[c] for c in columns]
    return AreaTable(header, rows, total, columns.index("change") + 1 if with_change else None)


def title_lines(spec: ReportSpec) -> list[str]:
    """The title block of a summary-only report: what, whose, when (and by whom, if said)."""
    from extractors.municipalities import genitive

    lines = ["Kommunkompassen", f"Resultat för {genitive(spec.kommun)} kommun {spec.year}"]
    if spec.dates:
        first, last = spec.dates[0], spec.dates[-1]
        days = str(int(first[8:])) if first == last else f"{int(first[8:])}–{int(last[8:])}"
        lines.append(f"Utvärderingen genomfördes {days} {MONTHS[int(first[5:7]) - 1]} {spec.year}")
    if spec.evaluators:
        lines.append("Utvärderare:")
        lines += [f"{e.name}, {e.organisation}" for e in spec.evaluators]
    return lines
