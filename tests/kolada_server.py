"""A Kolada-shaped API (v2) on 127.0.0.1 for the tests: metadata, search, data with paging and from_date.

What it does the way Kolada does: `{"values", "count", "next_page"}` answers with `next_page` as a full
URL; `per_page` pages; comma-separated municipalities and years; `kpi?title=` substring search;
`from_date` returning only values changed since, with `is_deleted`. What goes wrong on purpose: the first
data request gets a 500 (the client must retry), a URL longer than `url_limit` gets a 400 (the client must
split the batch), and one value is null. The values are a deterministic function of KPI, municipality and
year (`value_of`), so the tests know every number without reading the server's tables.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

BASE_CHANGED_ON = "2024-05-01"
KPIS = {
    "N01951": {"id": "N01951", "title": "Invånare totalt, antal", "description": "Antal invånare totalt den 31/12.",
               "definition": "Invånare totalt, antal", "municipality_type": "K", "operating_area": "Befolkning",
               "is_divided_by_gender": 1, "publication_date": "2024-03-21", "perspective": "Volymer",
               "auspices": "X", "has_ou_data": False},
    "N00901": {"id": "N00901", "title": "Skattesats till kommun, %", "description": "Kommunal skattesats.",
               "definition": "Skattesats", "municipality_type": "K", "operating_area": "Skatter",
               "is_divided_by_gender": 0, "publication_date": "2024-01-15", "perspective": "Resurser",
               "auspices": "X", "has_ou_data": False},
    "U00002": {"id": "U00002", "title": "Invånare 65+ som bor i särskilt boende, andel (%)", "description": "",
               "definition": "", "municipality_type": "K", "operating_area": "Äldreomsorg",
               "is_divided_by_gender": 0, "publication_date": "2024-04-01", "perspective": "Volymer",
               "auspices": "X", "has_ou_data": False},
}
NULL_CELL = ("N00901", "1444", 2014)   # Kolada has no value here: kept as NULL


def value_of(kpi: str, kommunkod: str, year: int, gender: str = "T") -> float | None:
    """The value the server gives for a cell (None for NULL_CELL)."""
    if (kpi, kommunkod, year) == NULL_CELL:
        return None
    if kpi == "N01951":
        total = 10_000 + int(kommunkod) * 7 + (year - 2000) * 31
        return float(total if gender == "T" else (total // 2 + (1 if gender == "K" else 0)))
    return round(20 + int(kommunkod) % 50 / 10 + (year - 2000) / 100, 2)


class KoladaState:
    def __init__(self, url_limit: int = 100_000, per_page: int = 5000) -> None:
        self.url_limit = url_limit
        self.max_per_page = per_page
        self.requests: list[tuple[str, int]] = []
        self.failed_first = False
        self.changes: dict[tuple[str, str, int, str], dict] = {}   # cell → {"value", "changed_on", "is_deleted"}
        self.lock = threading.Lock()
        self.url = ""

    def statuses(self, status: int) -> list[str]:
        return [path for path, s in self.requests if s == status]


class Handler(BaseHTTPRequestHandler):
    state: KoladaState

    def log_message(self, *args) -> None:
        pass

    def answer(self, status: int, payload: dict | None = None) -> None:
        with self.state.lock:
            self.state.requests.append((self.path, status))
        body = json.dumps(payload if payload is not None else {"error": status}, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        segments = [unquote(s) for s in parts.path.strip("/").split("/")]
        if len(self.path) > self.state.url_limit:
            return self.answer(400, {"error": "Request-URI Too Long"})
        if segments[:1] != ["v2"]:
            return self.answer(404)
        route = segments[1:]
        if route == ["kpi"]:
            text = query.get("title", "").casefold()
            return self.page([k for k in KPIS.values() if text in k["title"].casefold()], query, parts.path)
        if len(route) == 2 and route[0] == "kpi":
            return self.page([KPIS[i] for i in route[1].split(",") if i in KPIS], query, parts.path)
        if len(route) == 7 and route[0] == "data" and route[1] == "kpi" and route[3] == "municipality" \
                and route[5] == "year":
            if not self.state.failed_first:
                self.state.failed_first = True
                return self.answer(500, {"error": "Internal Server Error"})
            return self.data(route[2].split(","), route[4].split(","), route[6].split(","), query, parts.path)
        return self.answer(404)

    def data(self, kpis: list[str], ids: list[str], years: list[str], query: dict, path: str) -> None:
        since = query.get("from_date")
        objects = []
        for kpi in kpis:
            if kpi not in KPIS:
                continue
            genders = ("T", "K", "M") if KPIS[kpi]["is_divided_by_gender"] else ("T",)
            for kommunkod in ids:
                for year in map(int, years):
                    values = []
                    for gender in genders:
                        change = self.state.changes.get((kpi, kommunkod, year, gender))
                        changed_on = change["changed_on"] if change else BASE_CHANGED_ON
                        if since and changed_on < since:
                            continue
                        entry = {"gender": gender, "count": 1, "status": "",
                                 "value": change["value"] if change else value_of(kpi, kommunkod, year, gender)}
                        if since:
                            entry["is_deleted"] = int(bool(change and change.get("is_deleted")))
                        values.append(entry)
                    if values:
                        objects.append({"kpi": kpi, "municipality": kommunkod, "period": year, "values": values})
        self.page(objects, query, path)

    def page(self, items: list[dict], query: dict, path: str) -> None:
        per_page = min(int(query.get("per_page", self.state.max_per_page)), self.state.max_per_page)
        number = int(query.get("page", 1))
        chunk = items[(number - 1) * per_page: number * per_page]
        payload = {"values": chunk, "count": len(chunk)}
        if number * per_page < len(items):
            payload["next_page"] = f"{self.state.url}{path.lstrip('/')}?{urlencode({**query, 'page': number + 1})}"
        if number > 1:
            payload["previous_page"] = f"{self.state.url}{path.lstrip('/')}?{urlencode({**query, 'page': number - 1})}"
        self.answer(200, payload)


def start(state: KoladaState) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("KoladaHandler", (Handler,), {"state": state}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/"
    return server
