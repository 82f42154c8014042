"""Datasette plugin: the Kommunkompassen dashboard, chart routes and links from evaluations to charts.

- get_metadata: the datasette-dashboards configuration of `dashboards.yml`, bound to the served database
  (Vega charts told to interpret expressions, so no `eval` is needed under the CSP);
- register_routes: `/-/kompass/chart/<evaluation>.svg|png` and `/-/kompass/area/<framework>/<area>.svg|png`
  draw the same matplotlib charts as `kompass chart` (cached, a few at a time: outputs/chart_cache.py);
- render_cell: an evaluation id in a view links to its chart (the id percent-encoded, the text escaped);
- prepare_connection: `kompass_html(text)` escapes text the dashboard's tables insert as HTML,
  `kompass_url(text)` percent-encodes a value for a URL, `kompass_chart_link(evaluation, text)` is
  the escaped link to an evaluation's chart;
- asgi_wrapper: a Content-Security-Policy on every response (outputs/csp.py).

Datasette's default error handler pretty-prints with `rich` when it is installed, and on a plain
404 (no exception being handled) `rich` raises, so every unmatched path answered 500. Turning that
printing off keeps Datasette's own 404 and error pages.
"""
from __future__ import annotations

import copy
import html
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote

import markupsafe
import sqlite_utils
import yaml
from datasette import hookimpl
from datasette.utils.asgi import Response

from kompass.errors import KompassError
from outputs.chart_cache import ChartRenderer, ChartsBusy
from outputs.csp import content_security_policy

DASHBOARDS_FILE = Path(__file__).parent / "dashboards.yml"
CHART_ROUTE = "/-/kompass/chart/{evaluation}.{kind}"
CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
# Views whose `evaluation` column names an evaluation (tables link it to the evaluations row instead).
EVALUATION_VIEWS = ("evaluation_areas", "evaluation_themes", "chosen_area_scores", "area_ranks")
RENDERER = ChartRenderer(workers=1, waiting=16, wait_s=30)


@lru_cache(maxsize=1)
def _dashboards() -> dict:
    return yaml.safe_load(DASHBOARDS_FILE.read_text(encoding="utf-8"))


def dashboards_for(database: str) -> dict:
    """The dashboards configuration with every `db: DATABASE` bound to the served database's name,
    and every Vega chart set to interpret its expressions (`ast`), which the CSP requires (no eval).
    A fresh copy: the caller may change it."""
    return copy.deepcopy(_bound_dashboards(database))


@lru_cache(maxsize=8)
def _bound_dashboards(database: str) -> dict:
    config = copy.deepcopy(_dashboards())
    for dashboard in config.values():
        for part in (*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()):
            if part.get("db") == "DATABASE":
                part["db"] = database
            if part.get("library") in ("vega", "vega-lite"):
                usermeta = part.setdefault("display", {}).setdefault("usermeta", {})
                usermeta.setdefault("embedOptions", {})["ast"] = True
    return config


def _served_database(datasette) -> str | None:
    names = [name for name in datasette.databases if name != "_internal"]
    return names[0] if names else None


@hookimpl
def get_metadata(datasette, key, database, table):
    """Called for every metadata lookup (a dozen per request): the bound configuration is built once per
    database and shared, never copied here; Datasette hands plugins a copy (`plugin_config` resolves
    secrets into a new dict), so datasette-dashboards filling in its filters leaves it as it is."""
    served = _served_database(datasette)
    if served is None:
        return {}
    return {"plugins": {"datasette-dashboards": _bound_dashboards(served)}}


def chart_path(evaluation: str, kind: str = "svg") -> str:
    """The chart route of an evaluation, its id percent-encoded (an id may hold any character)."""
    return CHART_ROUTE.format(evaluation=quote(str(evaluation), safe=""), kind=kind)


def chart_link(evaluation: str | None, text) -> str | None:
    """`<a href="…chart…">text</a>` with the URL and the text escaped (the dashboard inserts it as HTML)."""
    if evaluation is None:
        return None
    return str(markupsafe.Markup('<a href="{}">{}</a>').format(chart_path(evaluation), "" if text is None else text))


@hookimpl
def prepare_connection(conn):
    conn.create_function("kompass_html", 1, lambda text: None if text is None else html.escape(str(text)),
                         deterministic=True)
    conn.create_function("kompass_url", 1, lambda text: None if text is None else quote(str(text), safe=""),
                         deterministic=True)
    conn.create_function("kompass_chart_link", 2, chart_link, deterministic=True)


def _with_chart_link(datasette, text, evaluation: str) -> markupsafe.Markup:
    url = datasette.urls.path(chart_path(evaluation))
    return markupsafe.Markup('{} <a href="{}" title="diagram">[diagram]</a>').format(text, url)


@hookimpl
def render_cell(row, value, column, table, datasette):
    if column == "evaluation" and table in EVALUATION_VIEWS and isinstance(value, str) and value:
        return _with_chart_link(datasette, value, value)
    if table == "evaluations" and column == "kommun" and value and "id" in row.keys():
        return _with_chart_link(datasette, value, row["id"])  # the id itself is Datasette's row link
    return None


@hookimpl
def menu_links(datasette, actor):
    return [{"href": datasette.urls.path("/-/dashboards/kommunkompassen"), "label": "Kommunkompassen – översikt"}]


async def _chart_response(datasette, kind: str, **chart_args) -> Response:
    """Read the chart's numbers on a SQL thread, then draw it on the chart pool (cached)."""
    from outputs.charts import chart_data, profile_data

    evaluation = chart_args.pop("evaluation", None)

    def read(conn):
        db = sqlite_utils.Database(conn, execute_plugins=False)
        return profile_data(db, evaluation) if evaluation else chart_data(db, **chart_args)

    try:
        data = await datasette.get_database().execute_fn(read)
        cached = RENDERER.cached(data, kind) is not None
        body = await RENDERER.render(data, kind)
    except KompassError as error:
        return Response.text(f"Error: {error}", status=404)
    except ChartsBusy as busy:
        return Response.text(f"Busy: {busy}; try again in a few seconds", status=503, headers={"Retry-After": "5"})
    return Response(body, content_type=CONTENT_TYPES[kind], headers={"X-Kompass-Chart": "cached" if cached else "drawn"})


async def evaluation_chart(request, datasette):
    """The profile chart of one evaluation (its area scores beside the reference value)."""
    return await _chart_response(datasette, request.url_vars["kind"],
                                 evaluation=unquote(request.url_vars["evaluation"]))


async def area_chart(request, datasette):
    """The distribution of one area in a framework generation, `?kommun=` marked."""
    return await _chart_response(
        datasette, request.url_vars["kind"], kommun=request.args.get("kommun") or None,
        area=int(request.url_vars["area"]), framework=unquote(request.url_vars["framework"]))


@hookimpl
def register_routes():
    return [
        (r"^/-/kompass/chart/(?P<evaluation>[^/]+)\.(?P<kind>svg|png)$", evaluation_chart),
        (r"^/-/kompass/area/(?P<framework>[^/]+)/(?P<area>[1-8])\.(?P<kind>svg|png)$", area_chart),
    ]


@hookimpl
def startup(datasette):
    """Before serving: a 404 that stays a 404 (see the module docstring), and matplotlib imported with its
    font cache built: done later, on the chart thread, that would hold the interpreter for seconds while
    every other request waited."""
    import datasette.handle_exception as default_error_handler  # here, not at import: no import cycle

    from outputs.charts import ChartData, Series, chart_bytes

    default_error_handler.rich = None

    chart_bytes(ChartData("profile", "", ["1"], [Series("", [1.0]), Series("", [1.0])], ""), "png")


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: content_security_policy(app, datasette)
