"""`kompass extract`: one report to the JSON contract or a readable table."""
from __future__ import annotations

import json
from pathlib import Path

import click

from extractors.report import extract_report
from kompass.errors import one_line_errors


@click.command("extract")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["json", "table"]), default="table",
              show_default=True, help="json: the schema_version 1 object; table: a summary for people.")
@one_line_errors
def extract_command(pdf: Path, output_format: str) -> None:
    """Extract scores, findings and good examples from one report PDF."""
    report = extract_report(pdf)
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        from extractors.summary_view import print_summary

        print_summary(report)


COMMANDS = [extract_command]
