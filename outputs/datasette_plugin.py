"""Datasette plugin: the Kommunkompassen dashboard, chart routes and links from evaluations to charts.

- get_metadata: the datasette-dashboards configuration of `dashboards.yml`, bound to the served database;
- register_routes: `/-/kompass/chart/<evaluation>.svg|png` and `/-/kompass/area/<framework>/<area>.svg|png`
  draw the same matplotlib charts as `kompass chart`;
- render_cell: an evaluation id in a view links to its chart;
- prepare_connection: `kompass_html(text)` escapes text the dashboard's tables insert as HTML.
"""
from __future__ import annotations

import copy
import html
from functools import lru_cache
from pathlib import Path

import markupsafe
import sqlite_utils
import yaml
from datasette import hookimpl
from datasette.utils.asgi import Response

from kompass.errors import KompassError

DASHBOARDS_FILE = Path(__file__).parent / "dashboards.yml"
CHART_ROUTE = "/-/kompass/chart/{evaluation}.{kind}"
CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
# Views whose `evaluation` column names an evaluation (tables link it to the evaluations row instead).
EVALUATION_VIEWS = ("evaluation_areas", "evaluation_themes", "chosen_area_scores", "area_ranks")


@lru_cache(maxsize=1)
def _dashboards() -> dict:
    return yaml.safe_load(DASHBOARDS_FILE.read_text(encoding="utf-8"))


def dashboards_for(database: str) -> dict:
    """The dashboards configuration with every `db: DATABASE` bound to the served database's name."""
    config = copy.deepcopy(_dashboards())
    for dashboard in config.values():
        for part in (*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()):
            if part.get("db") == "DATABASE":
                part["db"] = database
    return config


def _served_database(datasette) -> str | None:
    names = [name for name in datasette.databases if name != "_internal"]
    return names[0] if names else None


@hookimpl
def get_metadata(datasette, key, database, table):
    served = _served_database(datasette)
    if served is None:
        return {}
    return {"plugins": {"datasette-dashboards": dashboards_for(served)}}


@hookimpl
def prepare_connection(conn):
    conn.create_function("kompass_html", 1, lambda text: None if text is None else html.escape(str(text)),
                         deterministic=True)


def _with_chart_link(datasette, text, evaluation: str) -> markupsafe.Markup:
    url = datasette.urls.path(CHART_ROUTE.format(evaluation=evaluation, kind="svg"))
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
    from outputs.charts import chart_bytes, chart_data, profile_data

    evaluation = chart_args.pop("evaluation", None)

    def render(conn):
        db = sqlite_utils.Database(conn)
        data = profile_data(db, evaluation) if evaluation else chart_data(db, **chart_args)
        return chart_bytes(data, kind)

    try:
        body = await datasette.get_database().execute_fn(render)
    except KompassError as error:
        return Response.text(f"Error: {error}", status=404)
    return Response(body, content_type=CONTENT_TYPES[kind])


async def evaluation_chart(request, datasette):
    """The profile chart of one evaluation (its area scores beside the reference value)."""
    return await _chart_response(datasette, request.url_vars["kind"], evaluation=request.url_vars["evaluation"])


async def area_chart(request, datasette):
    """The distribution of one area in a framework generation, `?kommun=` marked."""
    return await _chart_response(
        datasette, request.url_vars["kind"], kommun=request.args.get("kommun") or None,
        area=int(request.url_vars["area"]), framework=request.url_vars["framework"])


@hookimpl
def register_routes():
    return [
        (r"^/-/kompass/chart/(?P<evaluation>[^/]+)\.(?P<kind>svg|png)$", evaluation_chart),
        (r"^/-/kompass/area/(?P<framework>[^/]+)/(?P<area>[1-8])\.(?P<kind>svg|png)$", area_chart),
    ]
