"""Datasette plugin for researchers: Swedish order and names, links back to the report PDFs.

- prepare_connection: `COLLATE swedish` (Å Ä Ö after Z); `kompass_kommunkod(text)` (the one name
  resolution of db/names.py: any case, any name form, kommunkod with or without its leading zero);
  `kompass_fold(text)` (casefold for å/ä/ö too); `kompass_fts(words)` (db/search.py: what a user typed as a
  safe FTS5 query that finds each word as a prefix, by its lemma and as a compound's part; Datasette's own
  `escape_fts`, behind every table's search box, is replaced by it, and `_searchmode=raw` is not offered);
  `kompass_mark(text, words)` (the text with what that search finds [marked]); `kompass_topic(topic,
  words)` (1 when every word, as written or by its lemma, begins a word of a good example's topic); `kompass_theme_names(areas)`
  (themes of "2002-2009 6,…"); `kompass_kommun_status(text)` (what the dashboard says about the chosen
  municipality: the one found, or "Ingen kommun …, menade du …?").
  Every function's work is bounded by its arguments' caps (a name longer than MAX_NAME_CHARS is no name, a
  search reads at most db/search.py's MAX_INPUT_CHARS), so none runs long between two of SQLite's progress
  checks: Datasette's time limit stops any query that calls them many times.
- register_routes: `/-/kompass/pdf/<sha256>.pdf` serves a loaded report PDF, read-only, only when
  the file found still has that sha256 (streamed with a fixed buffer, a few at once: outputs/pdf_stream.py);
  links add `#page=N`.
- render_cell: on HTML pages a page number links to the PDF at that page, a document hash is shortened
  to a link, codes (source, kind, theme) read in Swedish and decimals take a comma; JSON and CSV keep the
  codes and the decimal point.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import markupsafe
from datasette import hookimpl
from datasette.utils.asgi import Response

PDF_ROUTE = "/-/kompass/pdf/{sha}.pdf"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
HASH_COLUMNS = ("document", "provenance", "same_report_as")
CODE_LABELS = {
    "source": {"report": "egen rapport", "comparison_table": "jämförelsetabell", "published_page": "publicerad sida",
               "news": "nyhet"},
    "total_source": {"report": "egen rapport", "comparison_table": "jämförelsetabell",
                     "published_page": "publicerad sida", "news": "nyhet"},
    "kind": {"strength": "styrka", "improvement": "förbättringsområde", "cited": "citerad kommun",
             "own": "egen praktik", "report": "rapport", "published_scores": "publicerade poäng"},
}


@lru_cache(maxsize=1)
def _theme_names() -> dict[str, str]:
    from db.frameworks import THEME_NAMES

    return THEME_NAMES


MAX_NAME_CHARS = 200  # longer than any municipality's name in any form: not a name (and never cached)
MAX_AREAS_CHARS = 2000  # a list of areas longer than every generation's areas together: computed uncached


def fts_query(words) -> str:
    """What a user typed as a safe FTS5 query (db/search.py); linear in its length, constant past the caps."""
    from db.search import fts_expression

    return fts_expression(None if words is None else str(words))


def _mark(text, words):
    """The text with the words a search for `words` finds [between brackets] (db/search.py's mark_hits)."""
    from db.search import mark_hits

    return mark_hits(text, words)


def _too_long(text, limit: int) -> bool:
    return text is not None and len(text if isinstance(text, (str, bytes)) else str(text)) > limit


def topic_match(topic, words) -> int:
    """1 when every word of `words` (as written or by its lemma, case-folded) begins a word of `topic`;
    bounded as the search is (at most db/search.py's MAX_INPUT_CHARS of `words` read, MAX_TERMS words)."""
    from db.search import MAX_INPUT_CHARS

    wanted = _topic_starts(str(words or "")[:MAX_INPUT_CHARS])  # a short key: the cache holds no long value
    if not topic or not wanted:
        return 0
    padded = " " + str(topic).casefold()
    return int(all(written in padded or lemma in padded for written, lemma in wanted))


@lru_cache(maxsize=64)
def _topic_starts(words: str) -> tuple[tuple[str, str], ...]:
    """For each word (at most MAX_TERMS): how a topic word it begins starts, as written and by its lemma (read
    once per query, not once per good example: the theme query calls kompass_topic on every row)."""
    from db.search import MAX_TERMS
    from extractors.lemmas import WORD, lemma_of

    return tuple((f" {word.casefold()}", f" {lemma_of(word).casefold()}") for word in WORD.findall(words)[:MAX_TERMS])


def _kommunkod(text):
    from db.names import resolve_code

    return None if _too_long(text, MAX_NAME_CHARS) else resolve_code(text)


def _status(text):
    from db.names import status_line

    if _too_long(text, MAX_NAME_CHARS):
        return f"Ingen kommun har ett namn på över {MAX_NAME_CHARS} tecken."
    return status_line(text)


def _area_theme_names(areas):
    if _too_long(areas, MAX_AREAS_CHARS):
        return theme_names_of_areas.__wrapped__(str(areas))
    return theme_names_of_areas(areas)


def _fold(text):
    return None if text is None else str(text).casefold()


@lru_cache(maxsize=4096)
def theme_names_of_areas(areas: str | None) -> str | None:
    """"2002-2009 6,2020- 7" (generation and area number, comma-separated) → the Swedish names of their
    themes, in theme order: what a list of areas has in common across generations."""
    from db.frameworks import THEME_NAMES, THEME_OF_AREA

    if not areas:
        return None
    themes = set()
    for item in areas.split(","):
        generation, _, number = item.strip().rpartition(" ")
        found = THEME_OF_AREA.get((generation, int(number))) if number.isdigit() else None
        if found:
            themes.add(found[0])
    return ", ".join(THEME_NAMES[theme] for theme in THEME_NAMES if theme in themes) or None


@hookimpl(trylast=True)  # after Datasette's own functions: our escape_fts replaces its
def prepare_connection(conn):
    from db.collation import register

    register(conn)
    conn.create_function("kompass_kommunkod", 1, _kommunkod, deterministic=True)
    conn.create_function("kompass_fold", 1, _fold, deterministic=True)
    conn.create_function("kompass_fts", 1, fts_query, deterministic=True)
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)  # the tables' search box
    conn.create_function("kompass_mark", 2, _mark, deterministic=True)
    conn.create_function("kompass_topic", 2, topic_match, deterministic=True)
    conn.create_function("kompass_kommun_status", 1, _status, deterministic=True)
    conn.create_function("kompass_theme_names", 1, _area_theme_names, deterministic=True)


def _without_raw_search(query_string: bytes) -> bytes:
    """The query string without `_searchmode` (raw FTS5 syntax from a URL is not offered)."""
    from urllib.parse import unquote_to_bytes

    def key(pair: bytes) -> bytes:
        return unquote_to_bytes(pair.split(b"=", 1)[0].replace(b"+", b" "))

    return b"&".join(pair for pair in query_string.split(b"&") if key(pair) != b"_searchmode")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def without_raw_search(scope, receive, send):
            if scope.get("type") == "http" and b"_searchmode" in scope.get("query_string", b""):
                scope = {**scope, "query_string": _without_raw_search(scope["query_string"])}
            await app(scope, receive, send)
        return without_raw_search
    return wrap


def pdf_link(datasette, sha: str, page: int | None = None) -> str:
    url = datasette.urls.path(PDF_ROUTE.format(sha=sha))
    return f"{url}#page={int(page)}" if page else url


def _value(row, column: str):
    """A cell's value (Datasette's table view gives expanded foreign keys as {"value", "label"})."""
    if column not in row.keys():
        return None
    value = row[column]
    return value.get("value") if isinstance(value, dict) else value


def _row_document(row) -> str | None:
    """The report PDF a row comes from (none for a score read from a published web page)."""
    if _value(row, "source") in ("published_page", "news"):
        return None
    for column in HASH_COLUMNS:
        value = _value(row, column)
        if isinstance(value, str) and SHA256.match(value):
            return value
    return None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column == "page" and isinstance(value, int):
        sha = _row_document(row)
        if sha:
            return markupsafe.Markup('<a href="{}" title="Rapporten (PDF) på sidan {}">s. {}</a>').format(
                pdf_link(datasette, sha, value), value, value)
        url = _value(row, "source_url")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return markupsafe.Markup('<a href="{}">s. {}</a>').format(url, value)
        return None
    if column in HASH_COLUMNS and isinstance(value, str) and SHA256.match(value):
        if _row_document(row) is None:
            return markupsafe.Markup('<span title="{}">{}…</span>').format(value, value[:8])
        return markupsafe.Markup('<a href="{}" title="{}">PDF {}…</a>').format(
            pdf_link(datasette, value), value, value[:8])
    if column == "sha256" and table == "documents" and isinstance(value, str) and SHA256.match(value):
        return markupsafe.Markup('{}… <a href="{}">PDF</a>').format(value[:12], pdf_link(datasette, value))
    if isinstance(value, float):  # Swedish pages, Swedish numbers: 59,5 (JSON and CSV keep 59.5)
        from outputs.data import swedish_number

        return markupsafe.Markup('<span title="{}">{}</span>').format(repr(value), swedish_number(value))
    labels = _theme_names() if column == "theme" else CODE_LABELS.get(column)
    if labels and isinstance(value, str) and value in labels:
        return markupsafe.Markup('<span title="{}">{}</span>').format(value, labels[value])
    return None


def _plugin_dirs(datasette) -> list[Path]:
    config = datasette.plugin_config("kompass") or {}
    return [Path(d) for d in config.get("pdf_dirs", [])]


async def pdf_file(request, datasette):
    """A loaded report PDF, read-only (inline, so a browser opens it at `#page=N`), streamed in bounded memory
    with a cap on parallel downloads (outputs/pdf_stream.py)."""
    from outputs.pdf_stream import PdfDownload

    sha = request.url_vars["sha"]
    database = next((name for name in datasette.databases if name != "_internal"), None)
    if database is None:
        return Response.text("Ingen databas", status=404)
    result = await datasette.get_database(database).execute(
        "SELECT path, filename FROM documents WHERE sha256 = ? AND kind = 'report'", [sha])
    row = result.first()
    if row is None:
        return Response.text("Inget sådant dokument i databasen", status=404)
    recorded = row["path"] if "path" in row.keys() else None
    return PdfDownload(datasette, sha, recorded, row["filename"], _plugin_dirs(datasette), request.receive)


@hookimpl
def register_routes():
    return [(r"^/-/kompass/pdf/(?P<sha>[0-9a-f]{64})\.pdf$", pdf_file)]
