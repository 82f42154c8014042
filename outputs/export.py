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
                "county_code", "question", "label", "earlier", "later", "example_code", "example_country", "kpi",
                "gender", "status")
INTEGER_COLUMNS = ("area", "year", "page", "report_no", "rank", "rank_from_bottom", "evaluations", "approximate",
                   "areas_known", "disagreements", "sources", "disagreement", "report_year", "position", "seq",
                   "sentence_no", "kpi_year", "year_offset", "count", "is_deleted", "is_divided_by_gender",
                   "has_ou_data")
LICENSES = [
    {"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "Programmet (kommunkompassen)"},
    {"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/",
     "title": "Kommunlistan (SCB via swedish-geodata); kommungrupp Källa: SKR"},
    {"name": "CC-BY-SA-4.0", "path": "https://creativecommons.org/licenses/by-sa/4.0/",
     "title": "Lemman (modell tränad på UD Swedish-Talbanken)"},
    {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
     "title": "Nyckeltal ur Kolada (Källa: Kolada (RKA))"},
]
SOURCES = [
    {"title": "Kommunkompassens rapporter, © SKL/SKR och kommunerna, citerade för forskning",
     "path": "https://skr.se/demokratiledningstyrning/stodforattstyraochleda/attstyraforresultat/"
             "kommunkompassenutvarderingsverktyg.683.html"},
    {"title": "Resultat som kommunerna publicerat på sina webbsidor (varje rad med sin adress: source_url)"},
    {"title": "Kolada (RKA), Rådet för främjande av kommunala analyser", "path": "https://www.kolada.se/"},
]

# name of the exported frame → (description, SQL). Views from db/views.py where they exist.
_WITH_NAMES = """LEFT JOIN framework_areas fa ON fa.framework = e.framework AND fa.area = {alias}.area
        LEFT JOIN themes t ON t.id = fa.theme"""


def _status_of(field: str, row: str, where: str) -> str:
    """A number's status (db/number_status_schema.py) as a column `<field>_status` beside it."""
    return (f"(SELECT n.status FROM number_status n WHERE n.document = {row}.document AND n.field = '{field}' "
            f"AND {where}) AS {field}_status")


_QUESTION_STATUS = ", ".join(_status_of(field, "q", "n.source = 'report' AND n.question = q.question")
                             for field in ("max_points", "points", "percent"))
_AREA_STATUS = ", ".join(_status_of(field, "s", "n.evaluation = s.evaluation AND n.source = s.source AND n.area = s.area")
                         for field in ("score", "reference"))
# Per sub-question scores with generation, area name and theme (also `kompass compare --questions`).
QUESTION_SCORES = f"""
        SELECT q.evaluation, e.label, e.kommunkod, e.kommun, e.year, e.framework, q.area, fa.name AS area_name,
          fa.theme, t.name AS theme_name, q.question, q.text, q.max_points, q.points, q.percent, {_QUESTION_STATUS},
          q.document, q.page
        FROM question_scores q JOIN evaluations e ON e.id = q.evaluation
        {_WITH_NAMES.format(alias="q")}
        WHERE {{where}}"""
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
    "area_scores": ("Poäng per område från varje källa (egen rapport, jämförelsetabell, publicerad sida)", f"""
        SELECT s.evaluation, e.label, e.kommunkod, e.kommun, e.year, s.framework, s.area, fa.name AS area_name,
          fa.theme, t.name AS theme_name, fa.approximate, s.score, s.reference, s.reference_kind, {_AREA_STATUS},
          s.source, s.provenance, s.document, s.page, s.source_url
        FROM area_scores s JOIN evaluations e ON e.id = s.evaluation
        LEFT JOIN framework_areas fa ON fa.framework = s.framework AND fa.area = s.area
        LEFT JOIN themes t ON t.id = fa.theme
        ORDER BY kompass_sortkey(e.kommun), e.year, s.evaluation, s.area, s.source, s.provenance"""),
    "area_ranks": ("Rang och percentil per område inom ramverket", """
        SELECT framework, area, area_name, theme, theme_name, evaluation, label, kommunkod, kommun, year, score, rank,
          rank_from_bottom, evaluations, percentile
        FROM area_ranks ORDER BY framework, area, rank, kompass_sortkey(kommun)"""),
    "question_scores": ("Poäng per delfråga ur rapportens poängsammanställning",
                        QUESTION_SCORES.format(where="1") + "\n        ORDER BY kompass_sortkey(e.kommun), e.year, "
                        "q.evaluation, q.id"),
    "number_status": ("Hur varje tal i en rapport kom till: read (läst som tryckt), mended (OCR:ens läsning rättad av "
                      "rapportens summor; printed: vad OCR läste), derived (räknat ur en summa: derived_from) eller "
                      "empty (tomt; warning säger varför)", """
        SELECT n.evaluation, e.label, e.kommunkod, e.kommun, e.year, e.framework, n.source, n.area, n.question,
          n.field, n.value, n.status, n.printed, n.derived_from, n.warning, n.document, n.page
        FROM number_status n JOIN evaluations e ON e.id = n.evaluation
        ORDER BY kompass_sortkey(e.kommun), e.year, n.evaluation, n.source, n.area, n.question, n.id"""),
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
    "evaluation_kpi_values": ("Varje utvärdering bredvid Koladas nyckeltal för samma år (hämtade med kompass kolada); "
                              "area_N_name och area_N_theme säger vad område N är i utvärderingens ramverk", """
        SELECT * FROM evaluation_kpi_values ORDER BY kompass_sortkey(kommun), year, kpi, gender"""),
    "evaluation_kpi_years": ("Varje utvärdering bredvid Koladas nyckeltal för åren runt den (year_offset: -1 året "
                             "före, 0 utvärderingsåret, 1 året efter)", """
        SELECT * FROM evaluation_kpi_years ORDER BY kompass_sortkey(kommun), year, evaluation, kpi, gender, kpi_year"""),
    "kolada_values": ("Koladas värden som de hämtades: nyckeltal, kommun, år och kön (Källa: Kolada (RKA), CC BY 4.0)", """
        SELECT kpi, kommunkod, year, gender, value, count, status, is_deleted, fetched_at
        FROM kolada_values ORDER BY kpi, kommunkod, year, gender"""),
    "kolada_kpis": ("Koladas nyckeltal med Koladas metadata (Källa: Kolada (RKA), CC BY 4.0)", """
        SELECT id AS kpi, title AS kpi_title, description, definition, municipality_type, operating_area,
          is_divided_by_gender, publication_date, perspective, auspices, has_ou_data, fetched_at AS kpi_fetched_at
        FROM kolada_kpis ORDER BY id"""),
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


class ColumnKinds:
    """The Data Package type of each column of a table streamed row by row (what `_field_type` says of the
    same column read by pandas: text codes as string, whole numbers as integer, other numbers as number)."""

    def __init__(self, columns: list[str]):
        self.columns = columns
        self.seen: dict[str, set[type]] = {c: set() for c in columns}
        self.fractional: set[str] = set()

    def add(self, row: tuple) -> None:
        for column, value in zip(self.columns, row):
            if value is None:
                continue
            self.seen[column].add(type(value))
            if isinstance(value, float) and not value.is_integer():
                self.fractional.add(column)

    def kind(self, column: str) -> str:
        seen = self.seen[column]
        if column in TEXT_COLUMNS or column.endswith("kommunkod") or not seen or seen - {int, float, bool}:
            return "string"
        if seen <= {int, bool} or (column in INTEGER_COLUMNS and column not in self.fractional):
            return "integer"
        return "number"


def _schema(name: str, kinds: dict[str, str], style: "CsvStyle | None" = None) -> dict:
    """A table's Data Package schema from its columns' types; a Swedish-Excel CSV's numbers have a decimal
    comma, and the schema says so (`decimalChar`)."""
    fields = []
    for column, kind in kinds.items():
        field = {"name": column, "type": kind}
        if kind == "number" and style is not None and style.excel:
            field["decimalChar"] = ","
        description = describe(column, name)
        if description:
            field["description"] = description
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def frame_kinds(frame: pd.DataFrame) -> dict[str, str]:
    return {column: _field_type(frame[column], column) for column in frame.columns}


def build_info(db: sqlite_utils.Database) -> dict[str, str]:
    if not db["build_info"].exists():
        return {}
    return dict(db.execute("SELECT key, value FROM build_info").fetchall())


def data_dictionary(schemas: dict[str, dict]) -> pd.DataFrame:
    """Every exported column: table, column, type, description (Swedish)."""
    rows = []
    for name, schema in schemas.items():
        for field in schema["fields"]:
            rows.append({"table": name, "column": field["name"], "type": field["type"],
                         "description": field.get("description", "")})
    return pd.DataFrame(rows, columns=["table", "column", "type", "description"])


def datapackage(db: sqlite_utils.Database, schemas: dict[str, dict], fmt: str, style: "CsvStyle") -> dict:
    """The Frictionless Data Package descriptor of the written files; a CSV's dialect (delimiter, byte-order
    mark, decimal comma) is stated in each resource."""
    build = build_info(db)
    resources = []
    for name, schema in schemas.items():
        resource = {"name": name.replace("_", "-"), "path": f"{name}.{fmt}", "title": name,
                    "description": FRAMES[name][0] if name in FRAMES else "", "format": fmt, "schema": schema}
        if fmt == "csv":
            resource.update({"mediatype": "text/csv", "encoding": style.encoding})
            if style.excel:
                resource["dialect"] = {"delimiter": ";"}
        resources.append(resource)
    excel = (" Filerna är skrivna för svensk Excel: byte-order mark, semikolon mellan fälten och decimalkomma."
             if fmt == "csv" and style.excel else "")
    return {
        "name": "kommunkompassen", "title": "Kommunkompassen – utvärderingar av svenska kommuner",
        "description": "Poäng per område och delfråga, styrkor och förbättringsområden, goda exempel och meningar "
                       "ur Kommunkompassens rapporter (SKL/SKR). Områdenas nummer betyder olika saker i de tre "
                       "ramverken; jämför över ramverk via temana (approximate = ungefärligt). Läs kommunkod som text."
                       + excel,
        "version": build.get("program_version", ""), "created": build.get("built_at", ""),
        "licenses": LICENSES, "sources": SOURCES, "resources": resources,
    }


@dataclass
class Exported:
    paths: list[Path]
    rows: dict[str, int]      # rows written per table


def write_export(db: sqlite_utils.Database, out_dir: str | Path, fmt: str, style: CsvStyle = CsvStyle()) -> Exported:
    """Write every exported table (csv: a Data Package; xlsx: one workbook, streamed; parquet: one file each)
    and the data dictionary, one table in memory at a time (xlsx: one row at a time)."""
    if fmt not in FORMATS:
        raise UnsupportedExportFormat(f"{fmt}: export formats are {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        return write_workbook(db, out_dir / "kommunkompassen.xlsx")
    paths, rows, schemas = [], {}, {}
    for name in FRAMES:
        frame = read_frame(db, name)
        paths.append(write_frame(frame, out_dir / f"{name}.{fmt}", fmt, style))
        schemas[name] = _schema(name, frame_kinds(frame), style if fmt == "csv" else None)
        rows[name] = len(frame)
        del frame
    paths.append(write_frame(data_dictionary(schemas), out_dir / "data_dictionary.csv", "csv", style))
    descriptor = out_dir / "datapackage.json"
    descriptor.write_text(json.dumps(datapackage(db, schemas, fmt, style), ensure_ascii=False, indent=1),
                          encoding="utf-8")
    return Exported([*paths, descriptor], rows)


XLSX_MAX_ROWS = 1_048_576      # Excel's rows per sheet (the header is one of them)
XLSX_MAX_TEXT = 32_767         # characters in one cell


def _cell(value):
    """A value as a cell takes it: text without the control characters XML forbids, at most Excel's length."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > XLSX_MAX_TEXT:
            value = value[:XLSX_MAX_TEXT - 1] + "…"
    return value


def write_workbook(db: sqlite_utils.Database, path: Path) -> Exported:
    """One workbook, a sheet per table, written in constant memory: rows go from the SQLite cursor straight to
    openpyxl's write-only sheets (a table longer than a sheet continues in `name (2)`)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    rows, schemas = {}, {}
    for name, (_, sql) in FRAMES.items():
        cursor = db.conn.execute(sql)
        columns = [d[0] for d in cursor.description]
        kinds = ColumnKinds(columns)
        count, part, sheet, in_sheet = 0, 1, None, XLSX_MAX_ROWS
        for row in cursor:
            if in_sheet >= XLSX_MAX_ROWS:
                sheet = workbook.create_sheet(name[:31] if part == 1 else f"{name[:26]} ({part})")
                sheet.append(columns)
                part, in_sheet = part + 1, 1
            kinds.add(row)
            sheet.append([_cell(value) for value in row])
            count, in_sheet = count + 1, in_sheet + 1
        if sheet is None:  # an empty table: its header only
            workbook.create_sheet(name[:31]).append(columns)
        rows[name] = count
        schemas[name] = _schema(name, {column: kinds.kind(column) for column in columns})
    dictionary = workbook.create_sheet("data_dictionary")
    frame = data_dictionary(schemas)
    dictionary.append(list(frame.columns))
    for record in frame.itertuples(index=False):
        dictionary.append(list(record))
    about = workbook.create_sheet("about")
    about.append(["key", "value"])
    for key, value in {**build_info(db), "licenses": "; ".join(f"{l['title']}: {l['name']}" for l in LICENSES),
                       "sources": "; ".join(s["title"] for s in SOURCES)}.items():
        about.append([key, value])
    workbook.save(path)
    return Exported([path], rows)
