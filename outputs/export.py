"""`kompass export` and the files of `kompass compare`: tables a researcher opens in R, Stata, pandas or Excel.

Each frame is read from a view or table as it stands (no recomputation), with codes kept as text so
`0686` keeps its leading zero. The CSV export is a Frictionless Data Package: `datapackage.json`
(schemas typing kommunkod as string, source, licences, build date, version) beside one CSV per table
and `data_dictionary.csv` (every column described in Swedish). Machine formats use a decimal point;
`--excel` writes the CSV Swedish Excel expects (byte-order mark, `;`, decimal comma).
"""
from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlite_utils

from db.dictionary import describe
from kompass.errors import KompassError

FORMATS = ("csv", "xlsx", "parquet")
TEXT_COLUMNS = ("kommunkod", "example_kommunkod", "evaluation", "report_evaluation", "provenance", "document",
                "county_code", "question", "label", "earlier", "later", "example_code", "example_country")
INTEGER_COLUMNS = ("area", "year", "page", "report_no", "rank", "rank_from_bottom", "evaluations", "approximate",
                   "areas_known", "disagreements", "sources", "disagreement", "report_year", "position", "seq",
                   "sentence_no")
LICENSES = [
    {"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "Programmet (kommunkompassen)"},
    {"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/",
     "title": "Kommunlistan (SCB via swedish-geodata); kommungrupp Källa: SKR"},
    {"name": "CC-BY-SA-4.0", "path": "https://creativecommons.org/licenses/by-sa/4.0/",
     "title": "Lemman (modell tränad på UD Swedish-Talbanken)"},
]
SOURCES = [
    {"title": "Kommunkompassens rapporter, © SKL/SKR och kommunerna, citerade för forskning",
     "path": "https://skr.se/demokratiledningstyrning/stodforattstyraochleda/attstyraforresultat/"
             "kommunkompassenutvarderingsverktyg.683.html"},
    {"title": "Resultat som kommunerna publicerat på sina webbsidor (varje rad med sin adress: source_url)"},
]

# name of the exported frame → (description, SQL). Views from db/views.py where they exist.
_WITH_NAMES = """LEFT JOIN framework_areas fa ON fa.framework = e.framework AND fa.area = {alias}.area
        LEFT JOIN themes t ON t.id = fa.theme"""
FRAMES: dict[str, tuple[str, str]] = {
    "evaluations": ("En rad per utvärdering, en kolumn per tema (jämförbart över ramverk; approximate = 1 när något "
                    "område bara ungefär motsvarar sitt tema)", """
        SELECT w.evaluation, w.label, w.kommunkod, w.kommun, w.county, w.skr_group, w.year, w.report_no,
          w.framework, w.total, w.total_source, w.democracy AS theme_democracy, w.user_focus AS theme_user_focus,
          w.steering AS theme_steering, w.leadership AS theme_leadership, w.results AS theme_results,
          w.employer AS theme_employer, w.development AS theme_development, w.community AS theme_community,
          w.approximate, w.areas_known, w.disagreements, e.document, d.source_url
        FROM evaluation_themes w JOIN evaluations e ON e.id = w.evaluation
        LEFT JOIN documents d ON d.sha256 = e.document
        ORDER BY kompass_sortkey(w.kommun), w.year, w.evaluation"""),
    "evaluation_area_scores": ("En rad per utvärdering och område (vald poäng) med ramverk, områdesnamn och tema", """
        SELECT evaluation, label, kommunkod, kommun, year, framework, area, area_name, theme, theme_name, approximate,
          score, reference, reference_kind, source, sources, disagreement, min_score, max_score, document, page,
          source_url
        FROM chosen_area_scores ORDER BY kompass_sortkey(kommun), year, evaluation, area"""),
    "area_scores": ("Poäng per område från varje källa (egen rapport, jämförelsetabell, publicerad sida)", """
        SELECT s.evaluation, e.label, e.kommunkod, e.kommun, e.year, s.framework, s.area, fa.name AS area_name,
          fa.theme, t.name AS theme_name, fa.approximate, s.score, s.reference, s.reference_kind, s.source,
          s.provenance, s.document, s.page, s.source_url
        FROM area_scores s JOIN evaluations e ON e.id = s.evaluation
        LEFT JOIN framework_areas fa ON fa.framework = s.framework AND fa.area = s.area
        LEFT JOIN themes t ON t.id = fa.theme
        ORDER BY kompass_sortkey(e.kommun), e.year, s.evaluation, s.area, s.source, s.provenance"""),
    "area_ranks": ("Rang och percentil per område inom ramverket", """
        SELECT framework, area, area_name, theme, theme_name, evaluation, label, kommunkod, kommun, year, score, rank,
          rank_from_bottom, evaluations, percentile
        FROM area_ranks ORDER BY framework, area, rank, kompass_sortkey(kommun)"""),
    "question_scores": ("Poäng per delfråga ur rapportens poängsammanställning", f"""
        SELECT q.evaluation, e.label, e.kommunkod, e.kommun, e.year, e.framework, q.area, fa.name AS area_name,
          fa.theme, t.name AS theme_name, q.question, q.text, q.max_points, q.points, q.percent, q.document, q.page
        FROM question_scores q JOIN evaluations e ON e.id = q.evaluation
        {_WITH_NAMES.format(alias="q")}
        ORDER BY kompass_sortkey(e.kommun), e.year, q.evaluation, q.id"""),
    "findings": ("Styrkor och förbättringsområden per område", """
        SELECT evaluation, label, kommunkod, kommun, year, framework, area, area_name, theme, theme_name, kind,
          kind_label, text, document, page, source_url
        FROM findings_by_area ORDER BY kompass_sortkey(kommun), year, evaluation, id"""),
    "good_examples": ("Goda exempel: citerade kommuner och den utvärderade kommunens egen praktik", """
        SELECT framework, area, area_name, theme, theme_name, kind, kind_label, example_kommun, example_kommunkod,
          example_county, example_country, example_code, report_evaluation, report_label, report_kommun, report_year,
          sentence, sentence_no, sentence_before, sentence_after, heading, topic, document, page, source_url
        FROM good_examples_by_area
        ORDER BY framework, area, kind, kompass_sortkey(example_kommun), report_year"""),
    "sentences": ("Rapporternas meningar (rubriker ej medräknade) med lemman", f"""
        SELECT s.evaluation, e.label, e.kommunkod, e.kommun, e.year, e.framework, s.area, fa.name AS area_name,
          fa.theme, t.name AS theme_name, s.seq AS sentence_no, s.text, s.lemmas, s.document, s.page
        FROM sentences s JOIN evaluations e ON e.id = s.evaluation
        {_WITH_NAMES.format(alias="s")}
        ORDER BY kompass_sortkey(e.kommun), e.year, s.evaluation, s.id"""),
    "municipalities": ("Sveriges 290 kommuner med län och SKR:s kommungrupp", """
        SELECT kommunkod, name, county, county_code, skr_group FROM municipalities ORDER BY kommunkod"""),
    "framework_areas": ("Korsnyckeln: varje ramverks områden och deras tema", """
        SELECT fa.framework, fa.area, fa.name AS area_name, fa.theme, t.name AS theme_name, fa.approximate, fa.variants
        FROM framework_areas fa JOIN themes t ON t.id = fa.theme ORDER BY fa.framework, fa.area"""),
    "themes": ("Temana som gör områden jämförbara mellan ramverk", """
        SELECT id AS theme, name AS theme_name, position, description FROM themes ORDER BY position"""),
    "evaluation_kpi_values": ("Varje utvärdering bredvid Koladas nyckeltal för samma år (hämtade med kompass kolada)", """
        SELECT * FROM evaluation_kpi_values ORDER BY kompass_sortkey(kommun), year, kpi, gender"""),
}


class UnsupportedExportFormat(KompassError):
    """The export format is not one of csv, xlsx, parquet."""


class BinaryToTerminal(KompassError):
    """An xlsx or parquet file would be written to a terminal."""


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV is written: plain UTF-8 with `,` and a decimal point (the default, for programs), with a
    byte-order mark (`bom`), or for Swedish Excel (`excel`: byte-order mark, `;`, decimal comma)."""

    bom: bool = False
    excel: bool = False

    @classmethod
    def from_flags(cls, bom: bool = False, excel: bool = False) -> "CsvStyle":
        return cls(bom=bom or excel, excel=excel)

    @property
    def encoding(self) -> str:
        return "utf-8-sig" if self.bom else "utf-8"

    def options(self, sep: str = ",") -> dict:
        return {"sep": ";" if self.excel else sep, "decimal": "," if self.excel else "."}


def read_frame(db: sqlite_utils.Database, name: str) -> pd.DataFrame:
    """One exported frame as pandas reads it from the database, code columns as text."""
    frame = pd.read_sql_query(FRAMES[name][1], db.conn)
    return typed(frame)


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes as text; whole-number columns as integers even where some are missing (never `6.0`)."""
    for column in frame.columns:
        if column in TEXT_COLUMNS:
            frame[column] = frame[column].astype("string")
        elif column in INTEGER_COLUMNS and pd.api.types.is_float_dtype(frame[column]):
            values = frame[column].dropna()
            if (values == values.round()).all():
                frame[column] = frame[column].astype("Int64")
    return frame


def export_frames(db: sqlite_utils.Database) -> dict[str, pd.DataFrame]:
    """Every exported frame by name."""
    return {name: read_frame(db, name) for name in FRAMES}


def _to_stdout(out) -> bool:
    return out is None or str(out) == "-"


def write_frame(frame: pd.DataFrame, out: str | Path | None, fmt: str, style: CsvStyle = CsvStyle()) -> Path | None:
    """Write one frame as csv, tsv, json, xlsx or parquet to `out`, or to standard output when `out` is None
    or `-` (returns the path written, None for standard output)."""
    writers = {
        "csv": lambda target: frame.to_csv(target, index=False, **style.options()),
        "tsv": lambda target: frame.to_csv(target, index=False, **style.options(sep="\t")),
        "json": lambda target: frame.to_json(target, orient="records", force_ascii=False, indent=1),
        "xlsx": lambda target: frame.to_excel(target, index=False, engine="openpyxl"),
        "parquet": lambda target: frame.to_parquet(target, index=False),
    }
    if fmt not in writers:
        raise UnsupportedExportFormat(f"{fmt}: formats are {', '.join(writers)}")
    text = fmt in ("csv", "tsv", "json")
    if _to_stdout(out):
        if not text and sys.stdout.isatty():
            raise BinaryToTerminal(f"{fmt} is a binary format: give --out FILE.{fmt} or pipe the output")
        buffer = io.StringIO() if text else io.BytesIO()
        writers[fmt](buffer)
        data = buffer.getvalue()
        if text:
            data = (style.encoding == "utf-8-sig" and fmt != "json") * "\ufeff" + data
            data = data.encode("utf-8")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return None
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    if text and fmt != "json":
        with path.open("w", encoding=style.encoding, newline="") as handle:
            writers[fmt](handle)
    elif fmt == "json":
        with path.open("w", encoding="utf-8") as handle:
            writers[fmt](handle)
    else:
        writers[fmt](path)
    return path


def _field_type(series: pd.Series, name: str) -> str:
    if name in TEXT_COLUMNS or name.endswith("kommunkod"):
        return "string"
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def _schema(name: str, frame: pd.DataFrame) -> dict:
    fields = []
    for column in frame.columns:
        field = {"name": column, "type": _field_type(frame[column], column)}
        description = describe(column)
        if description:
            field["description"] = description
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def build_info(db: sqlite_utils.Database) -> dict[str, str]:
    if not db["build_info"].exists():
        return {}
    return dict(db.execute("SELECT key, value FROM build_info").fetchall())


def data_dictionary(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every exported column: table, column, type, description (Swedish)."""
    rows = []
    for name, frame in frames.items():
        for field in _schema(name, frame)["fields"]:
            rows.append({"table": name, "column": field["name"], "type": field["type"],
                         "description": field.get("description", "")})
    return pd.DataFrame(rows, columns=["table", "column", "type", "description"])


def datapackage(db: sqlite_utils.Database, frames: dict[str, pd.DataFrame], fmt: str, bom: bool) -> dict:
    """The Frictionless Data Package descriptor of the written files."""
    build = build_info(db)
    resources = []
    for name, frame in frames.items():
        resource = {"name": name.replace("_", "-"), "path": f"{name}.{fmt}", "title": name,
                    "description": FRAMES[name][0] if name in FRAMES else "", "format": fmt,
                    "schema": _schema(name, frame)}
        if fmt == "csv":
            resource.update({"mediatype": "text/csv", "encoding": "utf-8-sig" if bom else "utf-8"})
        resources.append(resource)
    return {
        "name": "kommunkompassen", "title": "Kommunkompassen – utvärderingar av svenska kommuner",
        "description": "Poäng per område och delfråga, styrkor och förbättringsområden, goda exempel och meningar "
                       "ur Kommunkompassens rapporter (SKL/SKR). Områdenas nummer betyder olika saker i de tre "
                       "ramverken; jämför över ramverk via temana (approximate = ungefärligt). Läs kommunkod som text.",
        "version": build.get("program_version", ""), "created": build.get("built_at", ""),
        "licenses": LICENSES, "sources": SOURCES, "resources": resources,
    }


def write_export(db: sqlite_utils.Database, frames: dict[str, pd.DataFrame], out_dir: str | Path, fmt: str,
                 bom: bool = False) -> list[Path]:
    """Write the frames (csv: a Data Package; xlsx: one workbook; parquet: one file each) and the data
    dictionary; returns the paths written."""
    if fmt not in FORMATS:
        raise UnsupportedExportFormat(f"{fmt}: export formats are {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    dictionary = data_dictionary(frames)
    if fmt == "xlsx":
        path = out_dir / "kommunkompassen.xlsx"
        about = pd.DataFrame([{"key": k, "value": v} for k, v in {
            **build_info(db), "licenses": "; ".join(f"{l['title']}: {l['name']}" for l in LICENSES),
            "sources": "; ".join(s["title"] for s in SOURCES)}.items()])
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame.to_excel(writer, sheet_name=name[:31], index=False)
            dictionary.to_excel(writer, sheet_name="data_dictionary", index=False)
            about.to_excel(writer, sheet_name="about", index=False)
        return [path]
    style = CsvStyle.from_flags(bom=bom)
    paths = [write_frame(frame, out_dir / f"{name}.{fmt}", fmt, style) for name, frame in frames.items()]
    paths.append(write_frame(dictionary, out_dir / "data_dictionary.csv", "csv", style))
    descriptor = out_dir / "datapackage.json"
    descriptor.write_text(json.dumps(datapackage(db, frames, fmt, bom), ensure_ascii=False, indent=1),
                          encoding="utf-8")
    return [*paths, descriptor]
