"""`kompass extract --format table`: a readable summary of one extract for a person at a terminal."""
from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from extractors.number_status import numbered_records, status_of
from extractors.records import DERIVED, EMPTY, MENDED, READ, ReportExtract

STATUS_WORDS = {READ: "lästa", MENDED: "rättade av summorna", DERIVED: "framräknade", EMPTY: "tomma"}


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}".replace(".", ",")


def print_summary(report: ReportExtract, console: Console | None = None) -> None:
    console = console or Console()
    dates = ", ".join(report.evaluation_dates) or "okänt datum"
    console.print(f"[bold]{report.kommun or 'Okänd kommun'}[/bold] ({report.kommunkod or '–'}) "
                  f"{report.year or ''} · ramverk {report.framework or '?'} · {dates}")
    for evaluator in report.evaluators:
        console.print(f"  utvärderare: {evaluator.name}" + (f", {evaluator.organisation}" if evaluator.organisation else ""))
    reference = report.reference_kind or "referens"
    areas = Table(title="Huvudområden", show_lines=False)
    for column in ("", "Område", "Poäng", reference.capitalize(), "Sida"):
        areas.add_column(column, justify="right" if column in ("Poäng", reference.capitalize(), "Sida") else "left")
    for area in report.areas:
        areas.add_row(str(area.area), area.name, _fmt(area.score), _fmt(area.median), str(area.page))
    areas.add_row("", "[bold]Totalt[/bold]", _fmt(report.total), _fmt(report.median_total), "")
    console.print(areas)
    questions = Table(title="Delfrågor")
    for column in ("Fråga", "Text", "Max", "Poäng", "%", "Sida"):
        questions.add_column(column, overflow="fold")
    for q in report.questions:
        questions.add_row(q.question, q.text, _fmt(q.max_points), _fmt(q.points), _fmt(q.percent), str(q.page))
    console.print(questions)
    kinds = Counter(f.kind for f in report.findings)
    compared = sorted({(c.kommun, c.year) for c in report.comparisons})
    console.print(f"Styrkor: {kinds.get('strength', 0)} · Förbättringsområden: {kinds.get('improvement', 0)} · "
                  f"goda exempel: {len(report.good_examples)} · jämförda kommuner: "
                  + (", ".join(f"{k} {y}" for k, y in compared) or "inga"))
    failed = [c for c in report.checks if not c.ok]
    console.print(f"Kontroller: {len(report.checks) - len(failed)}/{len(report.checks)} OK")
    statuses = Counter(status_of(record, name).status for record, names in numbered_records(report) for name in names)
    console.print("Tal: " + " · ".join(f"{statuses.get(status, 0)} {word}" for status, word in STATUS_WORDS.items()))
    for warning in report.warnings:
        console.print(f"[yellow]varning:[/yellow] {warning}")


def print_good_examples(report: ReportExtract, sentences: int, console: Console | None = None) -> None:
    """The good examples of one report, one row each, after a line on what was tagged."""
    console = console or Console()
    console.print(f"[bold]{report.kommun or 'Okänd kommun'}[/bold] {report.year or ''}: {sentences} meningar "
                  f"taggade, {len(report.good_examples)} goda exempel")
    table = Table(title="Goda exempel")
    for column in ("Område", "Typ", "Kommun", "Mening", "Sida"):
        table.add_column(column, overflow="fold")
    kinds = {"cited": "citerad", "own": "egen"}
    for example in report.good_examples:
        name = example.kommun if example.country == "SE" else f"{example.kommun} ({example.country})"
        table.add_row(str(example.area or "–"), kinds.get(example.kind, example.kind), name,
                      example.sentence, str(example.page))
    console.print(table)
