"""`kompass export`: the database's comparison tables as files a researcher opens in R, Stata or Excel.

Each frame is read from a view or table as it stands (no recomputation), with kommunkod kept as
text so codes like `0686` keep their leading zero in CSV, Excel and Parquet alike.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlite_utils

from kompass.errors import KompassError

FORMATS = ("csv", "xlsx", "parquet")
TEXT_COLUMNS = ("kommunkod", "cited_kommunkod", "evaluation", "citing_evaluation", "provenance")

# name of the exported frame → the SQL that reads it (views from db/views.py where they exist).
FRAMES: dict[str, str] = {
    "evaluations": "SELECT * FROM evaluation_areas ORDER BY kommun, year",
    "chosen_area_scores": "SELECT * FROM chosen_area_scores ORDER BY kommun, year, area",
    "area_scores": """SELECT e.kommunkod, e.kommun, e.year, s.* FROM area_scores s
        JOIN evaluations e ON e.id = s.evaluation ORDER BY e.kommun, e.year, s.area, s.source, s.provenance""",
    "area_ranks": "SELECT * FROM area_ranks ORDER BY framework, area, rank, kommun",
    "findings": """SELECT f.evaluation, e.kommunkod, e.kommun, e.year, e.framework, f.area,
        fa.name AS area_name, f.kind, f.seq, f.text, f.page, f.document FROM findings f
        JOIN evaluations e ON e.id = f.evaluation
        LEFT JOIN framework_areas fa ON fa.framework = e.framework AND fa.area = f.area
        ORDER BY e.kommun, e.year, f.seq""",
    "good_examples": "SELECT * FROM good_examples_by_area ORDER BY framework, area, cited_kommun, citing_year",
    "evaluation_kpi_values": "SELECT * FROM evaluation_kpi_values ORDER BY kommun, year, kpi, gender",
}


class UnsupportedExportFormat(KompassError):
    """The export format is not one of csv, xlsx, parquet."""


def read_frame(db: sqlite_utils.Database, name: str) -> pd.DataFrame:
    """One exported frame as pandas reads it from the database, code columns as text."""
    frame = pd.read_sql_query(FRAMES[name], db.conn)
    for column in TEXT_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].astype("string")
    return frame


def export_frames(db: sqlite_utils.Database) -> dict[str, pd.DataFrame]:
    """Every exported frame by name."""
    return {name: read_frame(db, name) for name in FRAMES}


def write_frames(frames: dict[str, pd.DataFrame], out_dir: str | Path, fmt: str) -> list[Path]:
    """Write the frames: one file each for csv and parquet, one workbook with a sheet each for xlsx."""
    if fmt not in FORMATS:
        raise UnsupportedExportFormat(f"{fmt}: export formats are {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        path = out_dir / "kommunkompassen.xlsx"
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame.to_excel(writer, sheet_name=name[:31], index=False)
        return [path]
    paths = []
    for name, frame in frames.items():
        path = out_dir / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False, encoding="utf-8")
        else:
            frame.to_parquet(path, index=False)
        paths.append(path)
    return paths


def write_frame(frame: pd.DataFrame, path: str | Path, fmt: str) -> Path:
    """Write one frame in csv, xlsx, parquet or json (used by `kompass compare --format`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writers = {
        "csv": lambda: frame.to_csv(path, index=False, encoding="utf-8"),
        "xlsx": lambda: frame.to_excel(path, index=False, engine="openpyxl"),
        "parquet": lambda: frame.to_parquet(path, index=False),
        "json": lambda: frame.to_json(path, orient="records", force_ascii=False, indent=1),
    }
    if fmt not in writers:
        raise UnsupportedExportFormat(f"{fmt}: formats are {', '.join(writers)}")
    writers[fmt]()
    return path

