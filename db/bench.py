"""Timing the canned queries through Datasette in-process (for `make bench`, never for tests)."""
from __future__ import annotations

import asyncio
import math
import re
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlencode

from db.datasette import canned_queries, database_name, make_datasette

PARAMETER = re.compile(r"(?<!:):(\w+)")


def _first(conn: sqlite3.Connection, sql: str, default: str) -> str:
    row = conn.execute(sql).fetchone()
    return str(row[0]) if row and row[0] is not None else default


def _first_word(text: str, default: str) -> str:
    words = [w for w in re.findall(r"\w+", text) if len(w) >= 5]
    return words[0] if words else default


def sample_parameters(db_path: str | Path) -> dict[str, dict[str, str]]:
    """Parameter values for each canned query, taken from the database's own rows."""
    conn = sqlite3.connect(db_path)
    try:
        busiest = [r[0] for r in conn.execute(
            "SELECT kommun FROM chosen_area_scores GROUP BY kommun ORDER BY count(*) DESC, kommun LIMIT 2")]
        busiest += ["Fagersta", "Västerås"][len(busiest):]
        framework, area = conn.execute(
            "SELECT framework, area FROM chosen_area_scores GROUP BY framework, area "
            "ORDER BY count(*) DESC, framework, area LIMIT 1").fetchone() or ("2002-2009", 1)
        finding = _first(conn, "SELECT text FROM findings ORDER BY document, seq LIMIT 1", "kommun")
        sentence = _first(conn, "SELECT text FROM sentences ORDER BY document, seq LIMIT 1", "kommun")
    finally:
        conn.close()
    return {
        "compare_municipalities": {"kommun_a": busiest[0].lower(), "kommun_b": busiest[1]},
        "good_examples_for_area": {"omrade": str(area), "typ": ""},
        "most_cited_municipalities": {"omrade": ""},
        "findings_with_word": {"ord": _first_word(finding, "kommun"), "typ": ""},
        "top_and_bottom_per_area": {"ramverk": framework, "omrade": str(area), "n": "3"},
        "municipality_history": {"kommun": busiest[0]},
        "search_sentences": {"q": _first_word(sentence, "kommun")},
        "search_good_examples": {"q": "exempel"},
    }


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def canned_query_times(db_path: str | Path, repeats: int = 20) -> dict[str, float]:
    """95th-percentile time in milliseconds of each canned query over `repeats` runs."""
    datasette = make_datasette(db_path)
    name = database_name(db_path)
    samples = sample_parameters(db_path)
    queries = canned_queries(db_path)

    async def run() -> dict[str, float]:
        times: dict[str, float] = {}
        for query, definition in queries.items():
            params = samples.get(query) or {p: "" for p in PARAMETER.findall(definition["sql"])}
            url = f"/{name}/{query}.json?" + urlencode({**params, "_shape": "array"})
            await datasette.client.get(url)  # warm-up: connections, schema
            runs = []
            for _ in range(repeats):
                start = time.perf_counter()
                response = await datasette.client.get(url)
                runs.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"canned query {query} failed: HTTP {response.status_code}")
            times[query] = round(_p95(runs), 3)
        return times

    return asyncio.run(run())
