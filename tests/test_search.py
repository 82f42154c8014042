"""Swedish search (db/search.py) through its real edges: `kompass search` as a subprocess, and `kompass serve`
over HTTP (the table search box and the canned queries), on a database built once by `kompass load` of the
bundled report; hostile input to the SQL functions under a memory cap."""
from __future__ import annotations

import csv
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from db.search import MAX_TERM_CHARS, MAX_TERMS, NOTHING, compound_parts, fts_expression, mark_hits, parse
from tests.serving_support import ROOT, kompass_serve, rss_mb

KOMPASS = [sys.executable, "-m", "kompass"]
REPORT = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"
HOSTILE = ['e-tjänster', '"medborgardialog"', '"unclosed', 'AND', 'OR', 'NOT', 'a AND', 'NOT a', 'a OR OR b',
           'budget*', '*', '(', ')', '(a OR b', 'text:budget', 'NEAR(a b)', '^a', '+a -b', "'", '""', '"" ""',
           'a"b', 'x NOT', '{text}: a', 'a:b:c', 'c++', '100%', 'ab_cd', '\\', '\x00', 'é-å-ö', '🙂',
           'kostnads-\nbudget', 'AND OR NOT AND', '--', 'a - b', '"a" NOT "b" OR c', 'e-tjänster*']


def run(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*KOMPASS, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="session")
def loaded(tmp_path_factory) -> Path:
    """The bundled report loaded by the real `kompass load` (once for the whole session)."""
    path = tmp_path_factory.mktemp("search") / "kommunkompassen.db"
    done = run("load", str(REPORT), "--db", str(path), timeout=600)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="session")
def big(tmp_path_factory, loaded) -> tuple[Path, int]:
    """The loaded database plus 1,200 sentences that a search for `budget` finds (more than any page)."""
    from db.search import parts_words

    path = tmp_path_factory.mktemp("search-big") / "kommunkompassen.db"
    conn = sqlite3.connect(loaded)
    conn.execute("VACUUM INTO ?", [str(path)])
    conn.close()
    conn = sqlite3.connect(path)
    document, evaluation = conn.execute("SELECT document, evaluation FROM sentences LIMIT 1").fetchone()
    texts = [f"Rad {i}: kommunen arbetar med kostnadsbudgetering i område {i % 8 + 1}." for i in range(1200)]
    conn.executemany("INSERT INTO sentences (document, seq, evaluation, page, area, text, lemmas, parts) "
                     "VALUES (?, ?, ?, 1, ?, ?, ?, ?)",
                     [(document, 100_000 + i, evaluation, i % 8 + 1, text, text.lower(), parts_words(text))
                      for i, text in enumerate(texts)])
    examples = [f"Västerås har en god kostnadsbudgetering ({n})." for n in range(450)]
    framework = conn.execute("SELECT framework FROM evaluations WHERE id = ?", [evaluation]).fetchone()[0]
    conn.executemany("INSERT INTO good_examples (document, seq, evaluation, framework, area, kind, kommun, kommunkod, "
                     "sentence, page, lemmas, parts) VALUES (?, ?, ?, ?, 1, 'cited', 'Västerås', '1980', ?, 1, ?, ?)",
                     [(document, 100_000 + n, evaluation, framework, text, text.lower(), parts_words(text))
                      for n, text in enumerate(examples)])
    conn.commit()
    total = conn.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?",
                         [fts_expression("budget")]).fetchone()[0]
    conn.close()
    assert total > 1200
    return path, total


# --- the query language ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_whatever_is_typed_is_valid_fts5(text):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61 remove_diacritics 0')")
    conn.execute("INSERT INTO t VALUES ('kommunens e-tjänster och medborgardialog, a b c')")
    conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", [fts_expression(text)]).fetchone()


def test_random_input_is_valid_fts5():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(text)")
    alphabet = 'ab "*()-:^+{}NOTANDOR\'\\åäö_.,;\n\t'
    generator = random.Random(21)
    for _ in range(500):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 40)))
        conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", [fts_expression(text)]).fetchone()


def test_words_lemmas_operators_and_phrases():
    assert fts_expression("e-tjänster") == '("e tjänster"* OR "e tjänst"*)'
    assert fts_expression('"medborgardialog"') == '"medborgardialog"'
    assert fts_expression("budgetar") == '("budgetar"* OR "budget"*)'
    assert fts_expression("budget AND kostnad") == fts_expression("budget kostnad") == '("budget"* AND "kostnad"*)'
    assert fts_expression("a OR b") == '"a" OR "b"'
    assert fts_expression("budget NOT kostnad") == '(("budget"*) NOT "kostnad"*)'
    assert fts_expression("NOT kostnad") == fts_expression("") == fts_expression("* ( ) :") == NOTHING


def test_input_is_capped_and_linear():
    words = " ".join(f"ord{i}" for i in range(100))
    assert sum(len(required) + len(excluded) for required, excluded in parse(words)) == MAX_TERMS
    for text in ("a" * 900_000, "ab-" * 300_000, '"' * 900_000, "ord " * 250_000, "å" * 5_000_000):
        start = time.perf_counter()
        expression = fts_expression(text)
        assert time.perf_counter() - start < 0.5
        assert len(expression) <= MAX_TERMS * (2 * MAX_TERM_CHARS + 40)


def test_compounds_split_into_known_parts():
    assert compound_parts("kostnadsbudgetering") == ("kostnad", "budgetering")
    assert compound_parts("Medborgarbudget") == ("medborgare", "budget")
    assert compound_parts("e-tjänster") == ("e", "tjänst")
    assert compound_parts("information") == ()
    assert compound_parts("a" * 10_000) == ()
    assert mark_hits("Fortsätt med kostnadsbudgetering och budgeten.", "budgetar") == \
        "Fortsätt med [kostnadsbudgetering] och [budgeten]."


def test_an_older_database_gets_compound_parts_and_searchable_good_examples(tmp_path):
    import sqlite_utils

    from db.migrations import migrate
    from db.schema import open_database

    path = tmp_path / "v7.db"
    old = sqlite_utils.Database(path)
    assert migrate(old, target=7)[-1] == 7
    old["documents"].insert({"sha256": "e" * 64, "kind": "report", "filename": "old.pdf", "extractor_version": "0"})
    old["evaluations"].insert({"id": "0686-2008", "kommunkod": "0686", "kommun": "Eksjö", "year": 2008,
                               "document": "e" * 64})
    old["findings"].insert({"document": "e" * 64, "seq": 1, "evaluation": "0686-2008", "area": 1, "kind": "strength",
                            "text": "Kostnadsbudgetering för hela kommunen",
                            "lemmas": "kostnadsbudgetering för hel kommun"})
    old["good_examples"].insert({"document": "e" * 64, "seq": 1, "evaluation": "0686-2008", "framework": "2002-2009",
                                 "area": 1, "kind": "cited", "kommun": "Västerås", "kommunkod": "1980",
                                 "sentence": "Västerås har e-tjänster för medborgardialog."})
    old.close()
    open_database(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT parts FROM findings").fetchone() == ("kostnad budgetering",)
    assert conn.execute("SELECT count(*) FROM findings_fts WHERE findings_fts MATCH ?",
                        [fts_expression("budget")]).fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM good_examples_fts WHERE good_examples_fts MATCH ?",
                        [fts_expression("e-tjänster")]).fetchone() == (1,)
    conn.close()


# --- kompass search --------------------------------------------------------------------------------


def search(db: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    done = run("search", *args, "--db", str(db), env=env) if env is None else run("search", *args, env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def hits(db: Path, text: str, *args: str) -> list[dict]:
    return json.loads(search(db, text, "--format", "json", *args).stdout)["hits"]


def test_cli_help():
    done = run("search", "--help")
    assert done.returncode == 0 and "--in [sentences|findings|good-examples]" in done.stdout
    assert "KOMPASS_DB" in done.stdout and "--kommun" in done.stdout and "--format" in done.stdout


def test_cli_hyphen_quotes_and_compounds(loaded):
    assert any("e-tjänster" in h["text"] for h in hits(loaded, "e-tjänster"))
    quoted = hits(loaded, '"medborgardialog"')
    assert quoted and all("medborgardialog" in h["text"].casefold() for h in quoted)
    budget = hits(loaded, "budget", "--in", "findings")
    assert any("kostnadsbudgetering" in h["text"].casefold() for h in budget)
    assert any("[Kostnadsbudgetering]" in h["snippet"] or "[kostnadsbudgetering]" in h["snippet"] for h in budget)


def test_cli_lemma_forms_and_and(loaded):
    plain = {h["text"] for h in hits(loaded, "budget")}
    inflected = {h["text"] for h in hits(loaded, "budgetar")}
    assert plain and plain <= inflected  # budgetar → budget: every sentence about budgets
    both = hits(loaded, "budget AND uppföljning")
    assert both and all("budget" in h["text"].casefold() and "uppfölj" in h["text"].casefold() for h in both)
    assert {h["text"] for h in both} < plain
    either = {h["text"] for h in hits(loaded, "medborgardialog OR budget")}
    assert plain < either
    without = {h["text"] for h in hits(loaded, "budget NOT uppföljning")}
    assert without == plain - {h["text"] for h in both}


def test_cli_ranks_and_filters(loaded):
    ranked = hits(loaded, "medborgardialog")
    assert [h["hit"] for h in ranked] == list(range(1, len(ranked) + 1))
    assert all(h["matches"] == len(ranked) for h in ranked)
    assert hits(loaded, "medborgardialog", "--kommun", "1982") == ranked
    assert hits(loaded, "medborgardialog", "--kommun", "Västerås") == []
    examples = hits(loaded, "kommun", "--in", "good-examples")
    assert examples and all(h["example_kommun"] and h["sentence"] for h in examples)


def test_cli_formats_and_kompass_db(loaded):
    table = search(loaded, "e-tjänster")
    assert "[e]-[tjänster]" in table.stdout and table.stderr.strip().endswith("sentences match")
    rows = list(csv.DictReader(io.StringIO(search(loaded, "medborgardialog", "--format", "csv").stdout)))
    assert rows and rows[0]["matches"] == str(len(rows))
    from_env = search(loaded, "medborgardialog", "--format", "csv", env={"KOMPASS_DB": str(loaded)})
    assert list(csv.DictReader(io.StringIO(from_env.stdout))) == rows
    for text in ('e-tjänster*', '"unclosed', 'NOT', '(a OR b', 'text:budget', "'"):
        done = run("search", text, "--db", str(loaded))
        assert done.returncode == 0 and "Traceback" not in done.stderr, (text, done.stderr)


def test_cli_errors_are_one_line(tmp_path, loaded):
    missing = run("search", "x", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 1 and missing.stderr.startswith("Error:") and len(missing.stderr.splitlines()) == 1
    unknown = run("search", "x", "--kommun", "Fagerst", "--db", str(loaded))
    assert unknown.returncode == 1 and "Fagersta" in unknown.stderr and "Traceback" not in unknown.stderr


def test_cli_gives_every_hit_of_a_result_larger_than_a_page(big):
    path, total = big
    done = search(path, "budget", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == total and len({(r["document"], r["text"]) for r in rows}) >= 1200
    assert [int(r["hit"]) for r in rows] == list(range(1, total + 1))
    assert f"{total} sentences match" in done.stderr
    limited = search(path, "budget", "--limit", "250", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(limited.stdout)))) == 250
    assert f"{total} sentences match, showing the best 250" in limited.stderr


# --- the web: table search box and canned queries -----------------------------------------------------


@pytest.fixture(scope="module")
def served(big):
    path, total = big
    with kompass_serve(path) as (base, process):
        yield base, process, total


def get_json(base: str, path: str, **params) -> httpx.Response:
    response = httpx.get(base + path, params=params, timeout=30)
    assert response.status_code == 200, (path, params, response.text[:300])
    return response


def test_search_box_understands_swedish(served):
    base, _process, _total = served
    findings = get_json(base, "/kommunkompassen/findings.json",
                        _search="budget", _shape="array").json()
    assert any("kostnadsbudgetering" in f["text"].casefold() for f in findings)
    for text in ("e-tjänster", '"medborgardialog"', "budget AND uppföljning", "(", "NOT", "*"):
        get_json(base, "/kommunkompassen/sentences.json", _search=text, _shape="array")
        get_json(base, "/kommunkompassen/sentences.json", _search=text, _searchmode="raw", _shape="array")
    hyphen = get_json(base, "/kommunkompassen/sentences.json", _search="e-tjänster", _shape="array").json()
    assert any("e-tjänster" in s["text"] for s in hyphen)
    page = httpx.get(base + "/kommunkompassen/findings", params={"_search": "budgetar"}, timeout=30)
    assert page.status_code == 200 and "ostnadsbudgetering" in page.text


def test_search_box_pages_through_every_hit(served):
    base, _process, total = served
    seen, url = [], "/kommunkompassen/sentences.json"
    params = {"_search": "budget", "_size": "max"}
    for _ in range(20):
        body = get_json(base, url, **params).json()
        seen += [row[0] for row in body["rows"]]
        if not body.get("next"):
            break
        params["_next"] = body["next"]
    assert len(seen) == len(set(seen)) == total


@pytest.mark.parametrize("query, parameter", [("search_sentences", "q"), ("findings_with_word", "ord"),
                                              ("search_good_examples", "q")])
def test_canned_searches_escape_and_rank(served, query, parameter):
    base, _process, _total = served
    for text in HOSTILE:
        get_json(base, f"/kommunkompassen/{query}.json", **{parameter: text, "_shape": "array"})
    rows = get_json(base, f"/kommunkompassen/{query}.json", **{parameter: "e-tjänster kommunens",
                                                               "_shape": "array"}).json()
    assert [r["hit"] for r in rows] == list(range(1, len(rows) + 1))


def test_canned_queries_find_hyphens_quotes_compounds(served):
    base, _process, _total = served
    hyphen = get_json(base, "/kommunkompassen/search_sentences.json", q="e-tjänster", _shape="array").json()
    assert any("e-tjänster" in r["text"] for r in hyphen)
    quoted = get_json(base, "/kommunkompassen/search_sentences.json", q='"medborgardialog"', _shape="array").json()
    assert quoted and all("medborgardialog" in r["text"].casefold() for r in quoted)
    budget = get_json(base, "/kommunkompassen/findings_with_word.json", ord="budget", _shape="array").json()
    assert any("kostnadsbudgetering" in r["text"].casefold() for r in budget)
    lemma = get_json(base, "/kommunkompassen/findings_with_word.json", ord="budgetar", _shape="array").json()
    assert {r["text"] for r in budget} <= {r["text"] for r in lemma}


def test_canned_search_pages_and_says_how_many_match(served):
    base, _process, total = served
    seen = []
    for page in range(1, 20):
        body = get_json(base, "/kommunkompassen/search_sentences.json", q="budget", sida=str(page)).json()
        rows = [dict(zip(body["columns"], row)) for row in body["rows"]]
        assert body["truncated"] is False and len(rows) <= 200
        if not rows:
            break
        assert {r["matches"] for r in rows} == {total}
        seen += [(r["document"], r["text"], r["page"], r["hit"]) for r in rows]
    assert len(seen) == total and [s[3] for s in seen] == list(range(1, total + 1))
    assert len({s[:3] for s in seen}) == len(seen)


def test_every_paged_canned_query_says_how_many_rows_there_are(served):
    base, _process, _total = served

    def page(query: str, number: int, **params) -> list[dict]:
        return get_json(base, f"/kommunkompassen/{query}.json", sida=str(number), _shape="array", **params).json()

    for query, params in (("good_examples_for_area", {"omrade": "1", "typ": ""}),
                          ("search_good_examples", {"q": "budget"})):
        first, second, third, fourth = (page(query, n, **params) for n in (1, 2, 3, 4))
        matches = first[0]["matches"]
        assert matches >= 450 and len(first) == len(second) == 200 and len(third) == matches - 400
        assert fourth == [] and {r["matches"] for r in first + second + third} == {matches}
    cited = page("most_cited_municipalities", 1, omrade="")
    assert cited[0]["kommun"] == "Västerås" and cited[0]["matches"] == len(cited)


# --- bounded SQL functions ------------------------------------------------------------------------------


def test_sql_functions_are_bounded_under_a_memory_cap(big):
    """`select kompass_fts(printf('%.*c', 900000, 'a'))` (once 23 GB) through the real server, with its
    address space capped at 1.5 GB (the server maps ~0.7 GB): it answers at once and stays small."""
    path, _total = big
    with kompass_serve(path, address_space_mb=1536) as (base, process):
        before = rss_mb(process.pid)
        for sql in ("select kompass_fts(printf('%.*c', 900000, 'a'))",
                    "select length(kompass_fts(printf('%.*c', 900000, 'a') || ' ' || printf('%.*c', 90000, 'b')))",
                    "select kompass_mark(printf('%.*c', 900000, 'a'), printf('%.*c', 900000, 'a'))",
                    "select kompass_kommunkod(printf('%.*c', 900000, 'a'))",
                    "select kompass_kommun_status(printf('%.*c', 900000, 'a'))",
                    "select kompass_sortkey(printf('%.*c', 900000, 'a'))",
                    "select escape_fts(printf('%.*c', 900000, '\"'))"):
            start = time.monotonic()
            response = httpx.get(base + "/kommunkompassen.json", params={"sql": sql, "_shape": "array"}, timeout=30)
            assert response.status_code in (200, 400), response.text[:300]
            assert time.monotonic() - start < 5, sql
        many = httpx.get(base + "/kommunkompassen.json", timeout=30, params={"_shape": "array", "sql": (
            "with recursive n(i) as (select 1 union all select i + 1 from n where i < 100000) "
            "select count(kompass_fts(printf('%.*c', 16000, 'a') || i)) from n")})
        assert many.status_code == 400 and "interrupted" in many.text.lower()  # the time limit stopped it
        assert process.poll() is None
        assert rss_mb(process.pid) < before + 150


@pytest.mark.slow
def test_a_burst_of_long_words_leaves_memory_near_baseline(big):
    """20 clients each sending ten 16,000-letter words to findings_with_word (once 183 MB → 1.25 GB): the
    server stays under 500 MB, `select 1` answers within a second meanwhile, and memory returns near the
    baseline."""
    path, _total = big
    with kompass_serve(path) as (base, process):
        for _ in range(3):  # warm: connections, lemma table, caches
            httpx.get(base + "/kommunkompassen/findings_with_word.json", params={"ord": "budget"}, timeout=30)
        baseline, peak, errors, pings = rss_mb(process.pid), 0.0, [], []
        stop = threading.Event()

        def client(seed: int) -> None:
            generator = random.Random(seed)
            with httpx.Client(timeout=30) as session:
                for _ in range(10):
                    word = "".join(generator.choice("abcdefghijklmnopqrstuvwxyzåäö") for _ in range(16_000))
                    try:
                        status = session.get(base + "/kommunkompassen/findings_with_word.json",
                                             params={"ord": word, "typ": ""}).status_code
                    except httpx.HTTPError as error:
                        status = repr(error)
                    if status != 200:
                        errors.append(status)

        def watch() -> None:
            nonlocal peak
            with httpx.Client(timeout=30) as session:
                while not stop.is_set():
                    peak = max(peak, rss_mb(process.pid))
                    start = time.monotonic()
                    session.get(base + "/kommunkompassen.json", params={"sql": "select 1"})
                    pings.append(time.monotonic() - start)
                    time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        clients = [threading.Thread(target=client, args=(seed,)) for seed in range(20)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(timeout=120)
        stop.set()
        watcher.join(timeout=30)
        assert not any(thread.is_alive() for thread in clients)
        assert errors == []
        after = rss_mb(process.pid)
        pings.sort()
        p95 = pings[max(0, int(0.95 * len(pings)) - 1)]
        print(f"RSS baseline {baseline:.0f} MB, peak {peak:.0f} MB, after {after:.0f} MB; select 1 p95 {p95:.3f} s")
        assert peak < 500 and p95 <= 1.0
        assert after <= baseline * 1.10 + 5


def test_search_into_a_reader_that_leaves_says_nothing(loaded):
    """`kompass search … | head -1`: the reader closes the pipe; no `Error: Broken pipe` line follows."""
    done = subprocess.run(f"{sys.executable} -m kompass search kommun --db {loaded} | head -1", shell=True,
                          capture_output=True, text=True, cwd=ROOT, timeout=120, executable="/bin/bash")
    assert done.stdout.startswith("hit  label") and len(done.stdout.splitlines()) == 1
    assert "Error" not in done.stderr, done.stderr
