"""`kompass extract` and `kompass tag`: one report to the JSON contract, its tagged prose, or readable tables."""
from __future__ import annotations

import functools
import json
import types
from pathlib import Path

import click

from kompass.errors import one_line_errors


def bounds(command):
    """--timeout and --memory-mb: the same bounds `kompass load` reads every PDF under."""
    from extractors.guard import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S

    command = click.option("--memory-mb", type=click.IntRange(min=64), default=DEFAULT_MEMORY_MB, show_default=True,
                           help="Megabytes of memory the reader may add while reading the PDF.")(command)
    return click.option("--timeout", "timeout_s", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT_S,
                        show_default=True, help="Seconds the PDF may take before its reader is stopped; a scan gets up to 60 s more after "
                             "each OCR'd page, at most ten times this in all.")(command)


def read_bounded(pdf: Path, timeout_s: float, memory_mb: int, target=None, on_progress=None):
    """Run `target(pdf)` in a worker bounded in time and memory, after checking the path is a regular file."""
    from extractors.guard import extract_in_subprocess
    from kompass.inputs import check_input

    check_input(pdf)  # a FIFO, device, directory or oversized file: one line, nothing opened
    options = {"fork": True, "on_progress": on_progress}
    if target is None:
        return extract_in_subprocess(pdf, timeout_s, memory_mb, **options)
    return extract_in_subprocess(pdf, timeout_s, memory_mb, target=target, **options)


@click.command("extract")
@click.argument("pdf", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["json", "table"]), default="table",
              show_default=True, help="json: the schema_version 1 object; table: a summary for people.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of stdout ('-' is stdout); with --debug-page, the PNG to write.")
@click.option("--debug-page", type=click.IntRange(min=1), default=None, metavar="N",
              help="Draw what extraction detected on page N (words, lines, removed headers, drawn bullets, "
                   "tables and columns, question rows, list items) into the PNG given by --out.")
@click.option("--ocr/--no-ocr", "ocr", default=None,
              help="--ocr: read every page with OCR (Tesseract), whatever its text layer; --no-ocr: never. "
                   "By default only pages without a usable text layer (scans, fonts without a Unicode map) are "
                   "OCR'd, and OCR'd numbers are held to the report's own sums.")
@click.option("--setting", "setting_pairs", multiple=True, metavar="NAME=VALUE",
              help="Change one extraction threshold for this run (repeatable), e.g. --setting "
                   "area_name_similarity=0.85; every name, default and meaning: extractors/settings.py.")
@bounds
@one_line_errors
def extract_command(pdf: Path, output_format: str, out: Path | None, debug_page: int | None,
                    ocr: bool | None, setting_pairs: tuple[str, ...], timeout_s: float, memory_mb: int) -> None:
    """Extract scores, findings and good examples from one report PDF (read in a bounded worker)."""
    from extractors.report import extract_report  # imported here: `kompass --help` stays fast

    settings = parse_settings(setting_pairs)

    if debug_page is not None:
        from extractors.debug import LEGEND, draw_page
        from kompass.inputs import check_input

        if out is None or str(out) == "-":
            raise click.UsageError("--debug-page needs --out PAGE.png")
        check_input(pdf)
        for note in draw_page(pdf, debug_page, out, settings=settings):
            click.echo(note, err=True)
        click.echo(f"wrote {out} ({LEGEND})", err=True)
        return
    mode = "auto" if ocr is None else ("always" if ocr else "never")
    with ocr_progress() as progress:
        report = read_bounded(pdf, timeout_s, memory_mb, target=functools.partial(extract_report, ocr=mode, settings=settings),
                              on_progress=lambda page: progress(types.SimpleNamespace(page=page)))
    if output_format == "json":
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=1)
        if out is None or str(out) == "-":
            click.echo(text)
        else:
            out.write_text(text + "\n", encoding="utf-8")
    else:
        from extractors.summary_view import print_summary

        print_summary(report)


def parse_settings(pairs: tuple[str, ...]):
    """ExtractionSettings with the NAME=VALUE changes given; a bad name or value is a usage error."""
    from dataclasses import fields

    from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings

    if not pairs:
        return DEFAULT_SETTINGS
    known = {f.name for f in fields(ExtractionSettings)}
    changes: dict[str, float] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or name not in known:
            raise click.BadParameter(f"{pair!r}: expected NAME=VALUE with NAME one of the extraction settings "
                                     f"(e.g. area_name_similarity)", param_hint="--setting")
        try:
            changes[name] = float(value.replace(",", "."))
        except ValueError:
            raise click.BadParameter(f"{pair!r}: {value!r} is not a number", param_hint="--setting") from None
    try:
        return ExtractionSettings(**changes)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--setting") from None


@click.command("tag")
@click.argument("pdf", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["json", "table"]), default="table",
              show_default=True, help="json: every sentence with its lemmas, and the good examples; "
                                      "table: the good examples and a count of sentences.")
@bounds
@one_line_errors
def tag_command(pdf: Path, output_format: str, timeout_s: float, memory_mb: int) -> None:
    """Tag one report's Swedish prose: sentences with lemmas, and the good examples it cites."""
    from dataclasses import asdict

    analysis = read_bounded(pdf, timeout_s, memory_mb)
    extract = analysis.extract
    if output_format == "json":
        click.echo(json.dumps({"source": asdict(extract.source), "kommun": extract.kommun, "year": extract.year,
                               "sentences": [asdict(s) for s in analysis.sentences],
                               "good_examples": [asdict(g) for g in extract.good_examples]},
                              ensure_ascii=False, indent=1))
    else:
        from extractors.summary_view import print_good_examples

        print_good_examples(extract, len(analysis.sentences))


class ocr_progress:
    """A progress bar on stderr while pages are OCR'd (seconds a page); silent when nothing is OCR'd."""

    def __enter__(self):
        self.bar = None
        return self.advance

    def advance(self, page) -> None:
        if self.bar is None:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("OCR {task.completed} pages, last: page {task.fields[page]}"),
                                TimeElapsedColumn(), transient=True, console=_stderr_console())
            self.bar.start()
            self.task = self.bar.add_task("ocr", total=None, page=page.page)
        self.bar.update(self.task, advance=1, page=page.page)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


COMMANDS = [extract_command, tag_command]
