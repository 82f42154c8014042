"""`kompass chart`, `kompass compare` and `kompass export`: thin edges over `outputs/`.

Conventions of sqlite-utils: data goes to standard output unless --out names a file (`--out -` is
standard output too); `--csv` and `--json` are shortcuts for --format; `--bom` or `--excel` make a
CSV that Excel opens right. Nothing heavy is imported until a command runs.
"""
from __future__ import annotations

from pathlib import Path

import click

from kompass.errors import one_line_errors
from kompass.options import db_option, out_option

COMPARE_FORMATS = ("table", "csv", "tsv", "json", "xlsx", "parquet")
EXPORT_FORMATS = ("csv", "xlsx", "parquet")
read_db = db_option(creates=False)


def _open(db_path: Path):
    from outputs.data import open_existing

    return open_existing(db_path)


@click.command("chart")
@click.argument("kommun", required=False)
@click.option("--year", type=int, help="The evaluation's year (default: the latest with area scores; "
              "several evaluations and no year draw each area's trend).")
@click.option("--area", type=click.IntRange(1, 8), help="Draw the distribution of all evaluations in area N "
              "of one framework generation, KOMMUN marked.")
@click.option("--framework", help="Framework generation for --area (2002-2009, 2010-2019 or 2020-); needed "
              "without KOMMUN when several generations have scores in area N.")
@click.option("--kpi", metavar="ID", help="With --area N: a scatter of area N's scores against this Kolada KPI "
              "(its value in each evaluation's year; fetch it first with `kompass kolada fetch --kpi ID`); with "
              "KOMMUN, in that municipality's framework generation with it marked.")
@out_option("PNG or SVG file to write (default: chart-<kommun or area>.png); `-` writes to standard output "
            "in --format.")
@click.option("--format", "fmt", type=click.Choice(["png", "svg"]), default=None,
              help="Picture format for `--out -` (default png; otherwise the file's suffix decides).")
@read_db
@one_line_errors
def chart_command(kommun: str | None, year: int | None, area: int | None, framework: str | None,
                  kpi: str | None, out: Path | None, fmt: str | None, db_path: Path) -> None:
    """Draw an evaluation's area scores against the reference value (median or mean), a municipality's
    trend over its evaluations, (--area N) the distribution of all evaluations in one area, or
    (--kpi ID --area N) one area's scores against a Kolada key figure."""
    import sys

    from corpus.kolada_config import KPI_ID
    from outputs.charts import chart_bytes, chart_data, kpi_scatter_data, save_chart

    if kpi and area is None:
        raise click.UsageError("--kpi needs --area N (the area whose scores are set against the KPI)")
    if kpi and not KPI_ID.match(kpi.strip().upper()):
        raise click.UsageError(f"--kpi {kpi!r} is not a Kolada KPI id (a letter and five digits, e.g. N01951)")
    db = _open(db_path)
    try:
        if kpi:
            data = kpi_scatter_data(db, kpi.strip().upper(), area, kommun=kommun, year=year, framework=framework)
        else:
            data = chart_data(db, kommun, year=year, area=area, framework=framework)
    finally:
        db.close()
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(chart_bytes(data, fmt or "png"))
        sys.stdout.flush()
        return
    default = f"chart-kpi-{kpi.strip().upper()}-omrade-{area}" if kpi else \
        f"chart-{kommun or 'omrade'}{f'-{area}' if area else ''}"
    out = out or Path(f"{default}.{fmt or 'png'}")
    save_chart(data, out)
    click.echo(f"wrote {out} ({data.kind}: {data.title}; {data.caption})", err=True)


@click.command("compare")
@click.argument("kommuner", nargs=-1, required=True)
@click.option("--year", "years", type=int, multiple=True, help="Year of the evaluation: once for all, or once "
              "per municipality in order (default: each one's latest with area scores).")
@click.option("--format", "fmt", type=click.Choice(COMPARE_FORMATS), default=None,
              help="table (for people, Swedish number format; the default), or data: csv, tsv, json (decimal "
                   "point), xlsx, parquet.")
@click.option("--csv", "as_csv", is_flag=True, help="Shortcut for --format csv.")
@click.option("--json", "as_json", is_flag=True, help="Shortcut for --format json.")
@click.option("--bom", is_flag=True, help="CSV/TSV: start with a UTF-8 byte-order mark (Excel then reads å, ä, ö).")
@click.option("--excel", is_flag=True, help="CSV for Swedish Excel: byte-order mark, `;` between fields and "
              "decimal comma.")
@out_option("File to write; default or `-`: standard output (xlsx and parquet need a file or a pipe).")
@click.option("--no-findings", is_flag=True, help="Leave strengths and improvements out of the terminal table.")
@click.option("--questions", is_flag=True, help="Compare the sub-questions of the reports' score summaries (points, "
              "max and percent per question) instead of the areas.")
@read_db
@one_line_errors
def compare_command(kommuner: tuple[str, ...], years: tuple[int, ...], fmt: str | None, as_csv: bool,
                    as_json: bool, bom: bool, excel: bool, out: Path | None, no_findings: bool, questions: bool,
                    db_path: Path) -> None:
    """Compare municipalities side by side: score, the report's reference value (median, mean or
    Sverigesnitt, named in reference_kind), rank and percentile per area within the framework
    generation, with each evaluation's strengths and areas for improvement; --questions: per
    sub-question. Evaluations of different generations are matched through shared themes, flagged
    approximate."""
    from outputs.compare import compare, compare_questions, questions_to_rich, to_rich
    from outputs.export import CsvStyle, write_frame

    fmt = fmt or ("csv" if as_csv or bom or excel else "json" if as_json else "table")
    db = _open(db_path)
    try:
        comparison = (compare_questions if questions else compare)(db, list(kommuner), list(years))
    finally:
        db.close()
    if fmt == "table":
        from rich.console import Console

        Console().print(questions_to_rich(comparison) if questions else
                        to_rich(comparison, with_findings=not no_findings))
        return
    written = write_frame(comparison.frame, out, fmt, CsvStyle.from_flags(bom=bom, excel=excel))
    if written is not None:
        rows = "sub-questions" if questions else "areas"
        click.echo(f"wrote {written} ({len(comparison.frame)} rows: {len(comparison.evaluations)} evaluations "
                   f"× {rows})", err=True)


@click.command("export")
@read_db
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv", show_default=True,
              help="csv: a Frictionless Data Package (datapackage.json beside one CSV per table); xlsx: one "
                   "workbook with a sheet per table (written in constant memory); parquet: one file per table.")
@click.option("--excel", is_flag=True, help="CSV for Swedish Excel, as `compare --excel`: byte-order mark, `;` "
              "between fields and decimal comma (datapackage.json states the dialect).")
@click.option("--bom", is_flag=True, help="Same as --excel: a byte-order mark alone still opens as one column in "
              "Swedish Excel, which splits on `;`.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="Directory to write into.")
@one_line_errors
def export_command(db_path: Path, fmt: str, excel: bool, bom: bool, out_dir: Path) -> None:
    """Export every evaluation for R, Stata, pandas or Excel: a wide table (one row per evaluation, one
    column per theme), a long one (one row per evaluation and area, with generation, area name and
    theme), all scores with their sources, ranks, sub-questions, findings, good examples, sentences,
    municipalities and the Kolada key figures (around each evaluation, and as fetched), with a data
    dictionary (kommunkod typed as text, leading zero kept)."""
    from outputs.export import CsvStyle, write_export

    if str(out_dir) == "-":
        raise click.UsageError("export writes several files (a Data Package): give --out DIRECTORY; "
                               "for one table on standard output use kompass compare … --csv")
    if (excel or bom) and fmt != "csv":
        raise click.UsageError(f"--excel and --bom are for the CSV export, not --format {fmt}")
    db = _open(db_path)
    try:
        exported = write_export(db, out_dir, fmt, CsvStyle.from_flags(excel=excel or bom))
    finally:
        db.close()
    for path in exported.paths:
        click.echo(f"wrote {path}", err=True)
    click.echo(", ".join(f"{n} {name.replace('_', ' ')}" for name, n in exported.rows.items()), err=True)


COMMANDS = [chart_command, compare_command, export_command]
