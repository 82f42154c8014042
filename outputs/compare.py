"""`kompass compare`: evaluations side by side with rank and percentile per area, strengths and improvements.

Ranks and percentiles come from the view `area_ranks` (within the framework generation); rows are
matched across evaluations by theme, so evaluations of different generations line up approximately.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlite_utils
from rich.table import Table

from kompass.errors import KompassError
from outputs.data import Evaluation, choose_evaluation, evaluations_of

FINDING_SEPARATOR = " • "
COLUMNS = ["evaluation", "kommunkod", "kommun", "year", "framework", "theme", "area", "area_name", "score",
           "source", "rank", "evaluations", "percentile", "strengths", "improvements"]


class YearsDoNotMatch(KompassError):
    """--year was given a number of times that matches neither one nor the number of municipalities."""


@dataclass
class Comparison:
    evaluations: list[Evaluation]
    frame: pd.DataFrame             # one row per evaluation and area, COLUMNS

    @property
    def mixed_frameworks(self) -> bool:
        return len({e.framework for e in self.evaluations}) > 1


def pick_evaluations(db: sqlite_utils.Database, kommuner: list[str], years: list[int]) -> list[Evaluation]:
    """One evaluation per municipality: --year once for all, once per municipality, or the latest scored."""
    if len(years) not in (0, 1, len(kommuner)):
        raise YearsDoNotMatch(f"--year given {len(years)} times for {len(kommuner)} municipalities; "
                              "give it once (for all) or once per municipality")
    per_kommun = years * len(kommuner) if len(years) == 1 else years or [None] * len(kommuner)
    return [choose_evaluation(evaluations_of(db, k), y) for k, y in zip(kommuner, per_kommun)]


def compare(db: sqlite_utils.Database, kommuner: list[str], years: list[int] | None = None) -> Comparison:
    """The comparison table of the chosen evaluations (long form, one row per evaluation and area)."""
    evaluations = pick_evaluations(db, kommuner, list(years or []))
    frames = [_evaluation_frame(db, e) for e in evaluations]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    return Comparison(evaluations, frame[COLUMNS])


def _evaluation_frame(db: sqlite_utils.Database, evaluation: Evaluation) -> pd.DataFrame:
    scores = pd.read_sql_query(
        """SELECT c.evaluation, c.kommunkod, c.kommun, c.year, c.framework, c.theme, c.area, c.area_name,
             c.score, c.source, r.rank, r.evaluations, r.percentile
           FROM chosen_area_scores c
           JOIN area_ranks r ON r.evaluation = c.evaluation AND r.area = c.area
           WHERE c.evaluation = ? ORDER BY c.area""", db.conn, params=[evaluation.id],
        dtype={"kommunkod": "string"})
    findings = pd.read_sql_query(
        "SELECT area, kind, text FROM findings WHERE evaluation = ? ORDER BY seq", db.conn, params=[evaluation.id])
    for kind, column in (("strength", "strengths"), ("improvement", "improvements")):
        joined = findings[findings.kind == kind].groupby("area")["text"].agg(FINDING_SEPARATOR.join)
        scores[column] = [joined.get(area, "") for area in scores["area"]]
    return scores


def to_rich(comparison: Comparison, with_findings: bool = True) -> Table:
    """The side-by-side terminal table: per theme, each evaluation's score, rank/n and percentile."""
    table = Table(title="Kommunkompassen: jämförelse per område", show_lines=with_findings)
    table.add_column("Område")
    for evaluation in comparison.evaluations:
        table.add_column(f"{evaluation.label}\n{evaluation.framework}", overflow="fold")
    frame = comparison.frame
    for theme in _themes_in_order(frame):
        rows = frame[frame.theme == theme]
        first = rows.iloc[0]
        label = f"{first.area}. {first.area_name}" + (" (≈ tema)" if comparison.mixed_frameworks else "")
        table.add_row(label, *(_cell(rows[rows.evaluation == e.id], with_findings) for e in comparison.evaluations))
    if comparison.mixed_frameworks:
        table.caption = "Olika ramverk: raderna matchas via tema (ungefärligt); rang inom respektive ramverk."
    else:
        table.caption = "Rang och percentil bland alla utvärderingar i databasen inom samma ramverk."
    return table


def _themes_in_order(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame.sort_values(["evaluation", "area"]).theme))


def _cell(rows: pd.DataFrame, with_findings: bool) -> str:
    if rows.empty:
        return "–"
    row = rows.iloc[0]
    text = f"[bold]{row.score:g}[/bold]  rang {row['rank']}/{row.evaluations}, percentil {row.percentile:g}"
    if with_findings:
        for mark, column in (("+", "strengths"), ("−", "improvements")):
            text += "".join(f"\n{mark} {item}" for item in row[column].split(FINDING_SEPARATOR) if item)
    return text
