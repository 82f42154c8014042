"""`kompass extract` and `kompass tag`: one report to the JSON contract, its tagged prose, or readable tables."""
from __future__ import annotations

import json
from pathlib import Path

import click

from kompass.errors import one_line_errors


@click.command("extract")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["json", "table"]), default="table",
              show_default=True, help="json: the schema_version 1 object; table: a summary for people.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of stdout ('-' is stdout); with --debug-page, the PNG to write.")
@click.option("--debug-page", type=click.IntRange(min=1), default=None, metavar="N",
              help="Draw what extraction detected on page N (words, lines, removed headers, drawn bullets, "
                   "tables and columns, question rows, list items) into the PNG given by --out.")
@one_line_errors
def extract_command(pdf: Path, output_format: str, out: Path | None, debug_page: int | None) -> None:
    """Extract scores, findings and good examples from one report PDF."""
    from extractors.report import extract_report

    if debug_page is not None:
        from extractors.debug import LEGEND, draw_page

        if out is None or str(out) == "-":
            raise click.UsageError("--debug-page needs --out PAGE.png")
        for note in draw_page(pdf, debug_page, out):
            click.echo(note, err=True)
        click.echo(f"wrote {out} ({LEGEND})", err=True)
        return
    report = extract_report(pdf)
    if output_format == "json":
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=1)
        if out is None or str(out) == "-":
            click.echo(text)
        else:
            out.write_text(text + "\n", encoding="utf-8")
    else:
        from extractors.summary_view import print_summary

        print_summary(report)


@click.command("tag")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["json", "table"]), default="table",
              show_default=True, help="json: every sentence with its lemmas, and the good examples; "
                                      "table: the good examples and a count of sentences.")
@one_line_errors
def tag_command(pdf: Path, output_format: str) -> None:
    """Tag one report's Swedish prose: sentences with lemmas, and the good examples it cites."""
    from dataclasses import asdict

    from extractors.pipeline import analyse

    analysis = analyse(pdf)
    extract = analysis.extract
    if output_format == "json":
        click.echo(json.dumps({"source": asdict(extract.source), "kommun": extract.kommun, "year": extract.year,
                               "sentences": [asdict(s) for s in analysis.sentences],
                               "good_examples": [asdict(g) for g in extract.good_examples]},
                              ensure_ascii=False, indent=1))
    else:
        from extractors.summary_view import print_good_examples

        print_good_examples(extract, len(analysis.sentences))


COMMANDS = [extract_command, tag_command]
