"""Kolada answers a hostile or broken server could send, from real HTTP servers on 127.0.0.1: numbers JSON
does not allow or no key figure has, a huge period, 100,000-deep nesting, Retry-After, a next_page chain
that repeats or never ends, and a host that cannot be reached. Each is one clean error or a warning,
never a traceback; the cache lives under the data folder (XDG), not the current one."""
from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from corpus.kolada import KoladaClient, KoladaError
from corpus.kolada_config import load_kolada_config
from kompass.cli import cli
from tests.hostile_site import Site

DATA = "/v2/data/kpi/N01951/municipality/0686/year/2019?per_page=3"
SEARCH = "/v2/kpi?title=Inv"


def value_object(**entry) -> dict:
    return {"kpi": "N01951", "municipality": "0686", "period": 2019,
            "values": [{"gender": "T", "count": 1, "status": "", "value": 10.0, **entry}]}


def raw(body: str, status: int = 200, headers: dict | None = None):
    return lambda h: h.answer(status, "application/json", body.encode("utf-8"), headers)


class Prefixed(dict):
    """Routes by path prefix (the longest that matches), for chains of ever new page addresses."""

    def get(self, path, default=None):
        matches = [key for key in self if path.startswith(key)]
        return self[max(matches, key=len)] if matches else default


@pytest.fixture
def site():
    made = []

    def make(routes):
        made.append(Site(routes))
        return made[-1]

    yield make
    for server in made:
        server.close()


def config_for(tmp_path, url: str, **overrides):
    settings = {"base_url": f"{url}/v2/", "per_page": 3, "cache_dir": str(tmp_path / "cache"), **overrides}
    lines = [f"{key}: {value}" for key, value in settings.items()]
    lines += ["http:", "  user_agent: kommunkompassen-test/1.0", "  retries: 2", "  retry_delays: [0.01]",
              "  per_host_delay: 0", "  timeout_seconds: 5", "  max_retry_after: 2", "kpis:", "  - id: N01951"]
    path = tmp_path / "kolada.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HOSTILE = {
    "count Infinity": '{"values": [' + json.dumps(value_object())[:-3].replace('"count": 1', '"count": Infinity')
                      + '}]}], "count": Infinity}',
    "count 1e300": json.dumps({"values": [value_object(count=1e300)], "count": 1}),
    "huge period": json.dumps({"values": [{**value_object(), "period": 10 ** 40}], "count": 1}),
    "period not a year": json.dumps({"values": [{**value_object(), "period": 99999}], "count": 1}),
    "value 1e300": json.dumps({"values": [value_object(value=1e300)], "count": 1}),
    "100k-deep nesting": '{"values": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "40 deep": '{"values": [], "y": ' + "[" * 40 + "]" * 40 + "}",
}


def test_nesting_depth_skips_strings():
    from corpus.kolada import nesting_depth

    assert nesting_depth('{"values": [{"title": "[[[{{{ \\" ]]]"}]}') == 3
    assert nesting_depth("[" * 100_000 + "]" * 100_000) == 100_000


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_json_is_one_clean_error(site, tmp_path, case):
    body = HOSTILE[case]
    server = site({DATA: raw(body), SEARCH: raw(body)})
    config = load_kolada_config(config_for(tmp_path, server.url))
    with KoladaClient(config) as client, pytest.raises(KoladaError) as raised:
        list(client.data("N01951", ["0686"], [2019]))
    assert "\n" not in str(raised.value) and len(str(raised.value)) < 600
    result = CliRunner().invoke(cli, ["kolada", "search", "Inv", "--config", str(config_for(tmp_path, server.url))])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if case.startswith("count 1e300") or case.startswith("value") or case.startswith("period not"):
        return  # the search reads metadata: a data object's numbers are not its business
    assert result.exit_code == 1 and result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output


@pytest.mark.timeout(60)
def test_retry_after_is_honoured_up_to_its_cap(site, tmp_path):
    good = json.dumps({"values": [value_object()], "count": 1})
    seen: list[float] = []

    def busy_then_good(h):
        seen.append(time.monotonic())
        if len(seen) == 1:
            return raw('{"error": 503}', 503, {"Retry-After": "1"})(h)
        return raw(good)(h)

    server = site({DATA: busy_then_good})
    with KoladaClient(load_kolada_config(config_for(tmp_path, server.url))) as client:
        [batch] = list(client.data("N01951", ["0686"], [2019]))
    assert [v.value for v in batch.values] == [10.0]
    assert len(seen) == 2 and seen[1] - seen[0] >= 0.95, "the retry waited the second Retry-After asked for"

    server = site({DATA: raw('{"error": 429}', 429, {"Retry-After": "3600"})})
    started = time.monotonic()
    with KoladaClient(load_kolada_config(config_for(tmp_path, server.url))) as client, \
            pytest.raises(KoladaError, match=r"wait 3,600 s \(Retry-After\), more than the 2 s"):
        list(client.data("N01951", ["0686"], [2019]))
    assert time.monotonic() - started < 3 and server.count(DATA) == 1, "not retried at once, not slept for an hour"


@pytest.mark.timeout(60)
def test_paging_stops_at_a_repeated_or_endless_chain_with_a_warning(site, tmp_path):
    def page(h, next_page):
        raw(json.dumps({"values": [value_object()], "count": 1, "next_page": next_page}))(h)

    holder = {}
    server = site({DATA: lambda h: page(h, holder["url"] + DATA)})
    holder["url"] = server.url
    with KoladaClient(load_kolada_config(config_for(tmp_path, server.url))) as client:
        [batch] = list(client.data("N01951", ["0686"], [2019]))
        assert not batch.complete and len(batch.values) == 1 and server.count(DATA) == 1
        [warning] = client.warnings
        assert "paging stopped after 1 pages" in warning and "already read" in warning

    counter = iter(range(2, 10 ** 6))
    endless = site(Prefixed({DATA: lambda h: page(h, f"{holder['endless']}{DATA}&page={next(counter)}")}))
    holder["endless"] = endless.url
    started = time.monotonic()
    with KoladaClient(load_kolada_config(config_for(tmp_path, endless.url))) as client:
        [batch] = list(client.data("N01951", ["0686"], [2019]))
        assert not batch.complete and batch.pages == 2, "one cell needs one page (one to spare)"
        [warning] = client.warnings
        assert "longer than the 2 pages this query can need" in warning
    assert len(endless.requests) == 1 + 2 and time.monotonic() - started < 5  # robots.txt and two pages


@pytest.mark.timeout(60)
def test_an_unreachable_host_says_so_and_the_cache_is_under_the_data_folder(site, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    config = config_for(tmp_path, "http://127.0.0.1:9")
    text = config.read_text(encoding="utf-8")
    config.write_text("\n".join(line for line in text.splitlines() if not line.startswith("cache_dir")) + "\n")
    result = CliRunner().invoke(cli, ["kolada", "search", "Inv", "--config", str(config)])
    assert result.exit_code == 1 and "127.0.0.1:9 cannot be reached" in result.output, result.output
    assert "robots" not in result.output.split("cannot be reached")[0] and "disallowed" not in result.output

    server = site({SEARCH: raw(json.dumps({"values": [{"id": "N01951", "title": "Invånare totalt, antal"}],
                                           "count": 1}))})
    config.write_text(config.read_text().replace("http://127.0.0.1:9", server.url))
    result = CliRunner().invoke(cli, ["kolada", "search", "Inv", "--config", str(config)])
    assert result.exit_code == 0 and "N01951" in result.output, result.output
    assert list(here.iterdir()) == [], "nothing written in the current folder"
    assert len(list((tmp_path / "xdg" / "kommunkompassen" / "kolada-cache").glob("*.json"))) == 1


@pytest.mark.timeout(120)
def test_a_stopped_chain_keeps_its_values_warns_and_asks_its_cells_again_next_time(site, tmp_path):
    from db.kolada import fetch_kolada
    from db.published import load_published
    from db.schema import open_database

    holder = {}
    metadata = json.dumps({"values": [{"id": "N01951", "title": "Invånare totalt, antal"}], "count": 1})
    looping = site(Prefixed({
        "/v2/kpi/N01951": raw(metadata),
        "/v2/data/": lambda h: raw(json.dumps({"values": [value_object()], "count": 1,
                                               "next_page": holder["url"] + h.path}))(h)}))
    holder["url"] = looping.url
    db_path = tmp_path / "k.db"
    db = open_database(db_path)
    try:
        load_published(db)
        with KoladaClient(load_kolada_config(config_for(tmp_path, looping.url))) as client:
            summary = fetch_kolada(db, client, list(client.config.kpis))
        assert not summary.errors and summary.warnings and all("paging stopped" in w for w in summary.warnings)
        assert db.execute("SELECT value FROM kolada_values WHERE kommunkod = '0686' AND year = 2019").fetchall() \
            == [(10.0,)], "what was read is kept"
        assert db.execute("SELECT count(*) FROM kolada_requests").fetchone()[0] == 0, \
            "cells of a stopped chain are not marked as fetched: the next run asks them again in full"
    finally:
        db.close()
    result = CliRunner().invoke(cli, ["kolada", "fetch", "--db", str(db_path), "--config",
                                      str(config_for(tmp_path, looping.url))])
    assert result.exit_code == 0 and "Warning: " in result.output and "paging stopped" in result.output, result.output
