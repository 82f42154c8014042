"""`kompass compare`: evaluations side by side with rank and percentile per area, strengths and improvements.

Ranks and percentiles come from the view `area_ranks` (within the framework generation); rows are
matched across evaluations by theme, so evaluations of different generations line up approximately
(the `approximate` column says where). Every row carries generation, area number, area name and theme.
Two reports of one municipality and year are two evaluations, shown side by side. Each area carries the
report's own reference value (`reference`) and what it is (`reference_kind`: median, medelvärde,
Sverigesnitt …). `--questions` compares the sub-questions of the reports' score summaries instead
(the rows of the export's `question_scores`).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlite_utils
from rich.table import Table

from kompass.errors import KompassError
from outputs.data import REFERENCE_LABELS, Evaluation, choose_evaluations, evaluations_of, swedish_number

FINDING_SEPARATOR = " • "
COLUMNS = ["evaluation", "label", "kommunkod", "kommun", "year", "framework", "theme", "theme_name", "area",
           "area_name", "approximate", "score", "reference", "reference_kind", "source", "rank", "evaluations", "percentile", "strengths",
           "improvements", "document", "page"]


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
    """The evaluations per municipality: --year once for all, once per municipality, or the latest scored
    (every report of that year)."""
    if len(years) not in (0, 1, len(kommuner)):
        raise YearsDoNotMatch(f"--year given {len(years)} times for {len(kommuner)} municipalities; "
                              "give it once (for all) or once per municipality")
    per_kommun = years * len(kommuner) if len(years) == 1 else years or [None] * len(kommuner)
    chosen: list[Evaluation] = []
    for kommun, year in zip(kommuner, per_kommun):
        chosen += [e for e in choose_evaluations(evaluations_of(db, kommun), year) if e not in chosen]
    return chosen


def compare(db: sqlite_utils.Database, kommuner: list[str], years: list[int] | None = None) -> Comparison:
    """The comparison table of the chosen evaluations (long form, one row per evaluation and area)."""
    evaluations = pick_evaluations(db, kommuner, list(years or []))
    frames = [_evaluation_frame(db, e) for e in evaluations]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    comparison = Comparison(evaluations, frame)
    if comparison.mixed_frameworks:  # a theme is approximate when any compared area only partly matches it
        approximate = frame.groupby("theme")["approximate"].transform("max")
        frame["approximate"] = approximate.astype(int)
    else:
        frame["approximate"] = 0
    comparison.frame = frame[COLUMNS]
    return comparison


def _evaluation_frame(db: sqlite_utils.Database, evaluation: Evaluation) -> pd.DataFrame:
    scores = pd.read_sql_query(
        """SELECT c.evaluation, c.label, c.kommunkod, c.kommun, c.year, c.framework, c.theme, c.theme_name, c.area,
             c.area_name, c.approximate, c.score, c.reference, c.reference_kind, c.source, r.rank, r.evaluations, r.percentile, c.document, c.page
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
    """The side-by-side terminal table (Swedish, decimal comma): per theme, each evaluation's area, score,
    rank/n and percentile."""
    table = Table(title="Kommunkompassen: jämförelse per tema", show_lines=True)
    table.add_column("Tema")
    for evaluation in comparison.evaluations:
        table.add_column(f"{evaluation.label}\nramverk {evaluation.framework}", overflow="fold")
    frame = comparison.frame
    for theme in _themes_in_order(frame):
        rows = frame[frame.theme == theme]
        first = rows.iloc[0]
        label = first.theme_name + (" (≈)" if first.approximate else "")
        table.add_row(label, *(_cell(rows[rows.evaluation == e.id], with_findings) for e in comparison.evaluations))
    if comparison.mixed_frameworks:
        table.caption = ("Olika ramverk: områdena matchas via tema, ≈ = ungefärligt; rang inom respektive ramverk. "
                         "Områdets nummer och namn står i varje cell.")
    else:
        table.caption = "Rang och percentil bland alla utvärderingar i databasen inom samma ramverk."
    return table


def _themes_in_order(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame.sort_values(["evaluation", "area"]).theme))


def _cell(rows: pd.DataFrame, with_findings: bool) -> str:
    if rows.empty:
        return "–"
    row = rows.iloc[0]
    text = (f"[dim]{row.area}. {row.area_name}[/dim]\n[bold]{swedish_number(row.score)}[/bold]  "
            f"rang {row['rank']}/{row.evaluations}, percentil {swedish_number(row.percentile)}")
    if row.reference is not None and row.reference == row.reference:
        kind = REFERENCE_LABELS.get(row.reference_kind, row.reference_kind or "referens")
        text += f"\n{kind.lower() if kind != 'Sverigesnitt' else kind} {swedish_number(row.reference)}"
    if with_findings:
        for mark, column in (("+", "strengths"), ("−", "improvements")):
            text += "".join(f"\n{mark} {item}" for item in row[column].split(FINDING_SEPARATOR) if item)
    return text


QUESTION_COLUMNS = ["evaluation", "label", "kommunkod", "kommun", "year", "framework", "area", "area_name", "theme",
                    "theme_name", "question", "text", "max_points", "points", "percent", "document", "page"]


@dataclass
class QuestionComparison:
    evaluations: list[Evaluation]
    frame: pd.DataFrame             # one row per evaluation and sub-question, QUESTION_COLUMNS

    @property
    def mixed_frameworks(self) -> bool:
        return len({e.framework for e in self.evaluations}) > 1


def compare_questions(db: sqlite_utils.Database, kommuner: list[str],
                      years: list[int] | None = None) -> QuestionComparison:
    """The sub-question scores of the chosen evaluations (the export's `question_scores`, long form)."""
    from outputs.export import QUESTION_SCORES, typed

    evaluations = pick_evaluations(db, kommuner, list(years or []))
    marks = ", ".join("?" * len(evaluations)) or "NULL"
    frame = pd.read_sql_query(QUESTION_SCORES.format(where=f"q.evaluation IN ({marks})") + " ORDER BY q.id",
                              db.conn, params=[e.id for e in evaluations])
    order = {e.id: i for i, e in enumerate(evaluations)}
    frame = frame.sort_values("evaluation", key=lambda c: c.map(order), kind="stable").reset_index(drop=True)
    return QuestionComparison(evaluations, typed(frame)[QUESTION_COLUMNS])


def questions_to_rich(comparison: QuestionComparison) -> Table:
    """Sub-questions side by side (Swedish, decimal comma): points of max and percent per evaluation; questions
    are matched by number within a framework generation (numbers mean different questions across them)."""
    table = Table(title="Kommunkompassen: jämförelse per delfråga", show_lines=False)
    table.add_column("Delfråga", overflow="fold")
    for evaluation in comparison.evaluations:
        table.add_column(f"{evaluation.label}\nramverk {evaluation.framework}", justify="right")
    frame = comparison.frame
    keys = list(dict.fromkeys(zip(frame.framework, frame.question)))
    for framework, question in keys:
        rows = frame[(frame.framework == framework) & (frame.question == question)]
        first = rows.iloc[0]
        label = f"{question} {first.text}" + (f" [dim]({framework})[/dim]" if comparison.mixed_frameworks else "")
        cells = []
        for evaluation in comparison.evaluations:
            mine = rows[rows.evaluation == evaluation.id]
            if mine.empty:
                cells.append("–")
                continue
            row = mine.iloc[0]
            cells.append(f"{swedish_number(row.points)}/{swedish_number(row.max_points)} "
                         f"({swedish_number(row.percent)} %)")
        table.add_row(label, *cells)
    without = [e.label for e in comparison.evaluations if e.id not in set(frame.evaluation)]
    caption = "Poäng per delfråga ur rapporternas poängsammanställning (poäng/max, procent)."
    if without:
        caption += f" Utan delfrågor i databasen: {', '.join(without)}."
    table.caption = caption
    return table
