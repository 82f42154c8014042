"""`kompass chart`, `kompass compare` and `kompass export`: thin edges over `outputs/`."""
from __future__ import annotations

from pathlib import Path

import click

from db.cli import db_option
from kompass.errors import one_line_errors
from outputs.data import open_existing

COMPARE_FORMATS = ("table", "csv", "xlsx", "parquet", "json")
EXPORT_FORMATS = ("csv", "xlsx", "parquet")


@click.command("chart")
@click.argument("kommun", required=False)
@click.option("--year", type=int, help="The evaluation's year (default: the latest with area scores; "
              "several evaluations and no year draw each area's trend).")
@click.option("--area", type=click.IntRange(1, 8), help="Draw the distribution of all evaluations in area N, "
              "KOMMUN marked.")
@click.option("--framework", help="Framework generation for --area without KOMMUN (e.g. 2002-2009).")
@click.option("--kpi", metavar="ID", help="With --area N: a scatter of area N's scores against this Kolada KPI "
              "(its value in each evaluation's year; fetch it first with `kompass kolada fetch --kpi ID`).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="PNG or SVG file to write "
              "(default: chart-<kommun or area>.png).")
@db_option
@one_line_errors
def chart_command(kommun: str | None, year: int | None, area: int | None, framework: str | None,
                  kpi: str | None, out: Path | None, db_path: Path) -> None:
    """Draw an evaluation's area scores against the reference value (median or mean), a municipality's
    trend over its evaluations, (--area N) the distribution of all evaluations in one area, or
    (--kpi ID --area N) one area's scores against a Kolada key figure."""
    from outputs.charts import chart_data, kpi_scatter_data, save_chart

    from corpus.kolada_config import KPI_ID

    if kpi and area is None:
        raise click.UsageError("--kpi needs --area N (the area whose scores are set against the KPI)")
    if kpi and not KPI_ID.match(kpi.strip().upper()):
        raise click.UsageError(f"--kpi {kpi!r} is not a Kolada KPI id (a letter and five digits, e.g. N01951)")
    db = open_existing(db_path)
    try:
        if kpi:
            data = kpi_scatter_data(db, kpi.strip().upper(), area, framework=framework)
        else:
            data = chart_data(db, kommun, year=year, area=area, framework=framework)
    finally:
        db.close()
    default = f"chart-kpi-{kpi.strip().upper()}-omrade-{area}.png" if kpi else \
        f"chart-{kommun or 'omrade'}{f'-{area}' if area else ''}.png"
    out = out or Path(default)
    save_chart(data, out)
    click.echo(f"wrote {out} ({data.kind}: {data.title}; {data.caption})")


@click.command("compare")
@click.argument("kommuner", nargs=-1, required=True)
@click.option("--year", "years", type=int, multiple=True, help="Year of the evaluation: once for all, or once "
              "per municipality in order (default: each one's latest with area scores).")
@click.option("--format", "fmt", type=click.Choice(COMPARE_FORMATS), default="table", show_default=True,
              help="A terminal table, or a file through pandas.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: "
              "jamforelse.<format>; for the table format, nothing is written).")
@click.option("--no-findings", is_flag=True, help="Leave strengths and improvements out of the terminal table.")
@db_option
@one_line_errors
def compare_command(kommuner: tuple[str, ...], years: tuple[int, ...], fmt: str, out: Path | None,
                    no_findings: bool, db_path: Path) -> None:
    """Compare municipalities side by side: score, rank and percentile per area within the framework
    generation, with each evaluation's strengths and areas for improvement."""
    from outputs.compare import compare, to_rich
    from outputs.export import write_frame

    db = open_existing(db_path)
    try:
        comparison = compare(db, list(kommuner), list(years))
    finally:
        db.close()
    if fmt == "table":
        from rich.console import Console

        Console().print(to_rich(comparison, with_findings=not no_findings))
        return
    path = write_frame(comparison.frame, out or Path(f"jamforelse.{fmt}"), fmt)
    click.echo(f"wrote {path} ({len(comparison.frame)} rows: {len(comparison.evaluations)} evaluations × areas)")


@click.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv", show_default=True,
              help="csv and parquet write one file per table; xlsx one workbook with a sheet per table.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="Directory to write into.")
@one_line_errors
def export_command(db_path: Path, fmt: str, out_dir: Path) -> None:
    """Export the comparison table (one row per evaluation), all area scores with their sources, ranks,
    findings and good examples for R, Stata or Excel (kommunkod kept as text with its leading zero)."""
    from outputs.export import export_frames, write_frames

    db = open_existing(db_path)
    try:
        frames = export_frames(db)
    finally:
        db.close()
    for path in write_frames(frames, out_dir, fmt):
        click.echo(f"wrote {path}")
    click.echo(", ".join(f"{len(frame)} {name.replace('_', ' ')}" for name, frame in frames.items()))


COMMANDS = [chart_command, compare_command, export_command]
