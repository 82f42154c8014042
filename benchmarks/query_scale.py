"""Canned queries at 1,000 and 10,000 evaluations: the SQL before the precomputed aggregates beside the SQL now.

`python -m benchmarks.query_scale [--sizes 1000 10000] [--repeats 40] [--keep DIR]`

The databases are built as `benchmarks/query_bench.py` builds its 1,000 (generated evaluations through the real
loader), from 100 templates drawn by the synthetic report generator without rendering PDFs (`spec_templates`).
Each query runs in one process on two read-only connections to the same file, the old SQL (with the old views,
db/canned_before.py) and the new, in turn (old, new, old, new …), so a drift of the shared machine's speed
touches both alike; each side's p95 is given as wall-clock and as CPU time of the process (the CPU time is what
the query costs; the wall-clock time adds the waits of a loaded machine). Both sides must return the same rows.
Beside them, the p95 of the new query through Datasette (`db/bench.py`, as `make bench` measures it).
"""
from __future__ import annotations

import argparse
import hashlib
import math
import os
import sqlite3
import time
from pathlib import Path

from benchmarks.query_bench import build_database
from db.bench import PARAMETER, canned_query_times, sample_parameters
from db.canned_before import queries_before, use_views_before
from db.datasette import canned_queries

TEMPLATES = 100
# Besides each query with make bench's parameters (db/bench.py), the other paths of the queries that changed.
EXTRA_CASES = (
    ("most_cited_municipalities", "omrade=1", {"omrade": "1"}),
    ("most_cited_municipalities", "omrade=och", {"omrade": "och"}),  # six areas of each generation
    ("good_examples_for_area", "omrade=", {"omrade": ""}),
    ("good_examples_for_area", "omrade=medborgardialog", {"omrade": "medborgardialog"}),  # topic words
    ("findings_with_word", "typ=styrka", {"typ": "styrka"}),
)


def spec_templates(count: int = TEMPLATES, seed: int = 0) -> list[dict]:
    """The expected extractions of the first `count` synthetic reports (as `make bench` generates them, with
    the seed report's wording), without rendering their PDFs: the templates of the query databases."""
    from tests.synthetic.spec import expected_json, seed_spec
    from tests.synthetic.synth import synthetic_spec

    base = seed_spec()
    templates = []
    for index in range(count):
        expected = expected_json(synthetic_spec(index, seed, base, wording="seed"))
        sha = hashlib.sha256(f"template-{seed}-{index}".encode()).hexdigest()
        expected["source"] = {"sha256": sha, "pages": 30, "filename": f"template-{index}.pdf"}
        templates.append(expected)
    return templates


def database_of(size: int, folder: Path, templates: list[dict]) -> tuple[Path, dict]:
    """The database of `size` evaluations in `folder`, built unless a complete one is there."""
    path = folder / f"evaluations-{size}.db"
    if path.exists():
        conn = sqlite3.connect(path)
        try:
            have = conn.execute("SELECT count(DISTINCT evaluation) FROM documents").fetchone()[0]
        finally:
            conn.close()
        if have == size:
            return path, {"db_build_s": None}
        path.unlink()
    return path, build_database(path, templates, size)


def _connection(path: Path, before: bool) -> sqlite3.Connection:
    from outputs.datasette_research import prepare_connection

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    prepare_connection(conn)  # the served functions: kompass_fts, kompass_mark, COLLATE swedish …
    if before:
        use_views_before(conn)
    return conn


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def side_by_side(path: Path, repeats: int = 40) -> dict[str, dict]:
    """Per canned query (and EXTRA_CASES): p95 wall and CPU milliseconds of the old and the new SQL, and whether
    the rows agree."""
    new_sql = {name: q["sql"] for name, q in canned_queries(path).items()}
    old_sql = queries_before(new_sql)
    samples = sample_parameters(path)
    cases = [(name, name, {}) for name in new_sql] + [(f"{name} {label}", name, extra)
                                                       for name, label, extra in EXTRA_CASES]
    old, new = _connection(path, before=True), _connection(path, before=False)
    results = {}
    try:
        for label, name, extra in cases:
            params = {p: "" for p in PARAMETER.findall(new_sql[name]) + PARAMETER.findall(old_sql[name])}
            params.update({**samples.get(name, {}), **extra})
            runs = {"old": ([], []), "new": ([], [])}
            rows = {}
            for turn in range(repeats + 1):  # the first turn warms both up and is not counted
                for side, conn, text in (("old", old, old_sql[name]), ("new", new, new_sql[name])):
                    wall, cpu = time.perf_counter(), time.process_time()
                    rows[side] = conn.execute(text, params).fetchall()
                    if turn:
                        runs[side][0].append((time.perf_counter() - wall) * 1000)
                        runs[side][1].append((time.process_time() - cpu) * 1000)
            results[label] = {"rows": len(rows["new"]), "same_rows": sorted(map(repr, rows["old"])) == sorted(
                map(repr, rows["new"])), **{f"{side}_{kind}": round(p95(values), 2) for side, (w, c) in runs.items()
                                           for kind, values in (("wall", w), ("cpu", c))}}
    finally:
        old.close()
        new.close()
    return results


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def report(size: int, built: dict, path: Path, repeats: int) -> dict[str, float]:
    print(f"{size} evaluations ({load_average()}): built in {built.get('db_build_s')} s "
          f"({path.stat().st_size / 1e6:.0f} MB); p95 ms over {repeats} runs, old SQL | new SQL")
    compared = side_by_side(path, repeats)
    print(f"  {'query':50s} {'rows':>5s}  {'old wall':>9s} {'new wall':>9s}  {'old cpu':>8s} {'new cpu':>8s}  same rows")
    for name, r in compared.items():
        print(f"  {name:50s} {r['rows']:5d}  {r['old_wall']:9.2f} {r['new_wall']:9.2f}  {r['old_cpu']:8.2f} "
              f"{r['new_cpu']:8.2f}  {'yes' if r['same_rows'] else 'NO'}", flush=True)
    try:
        served = canned_query_times(path, repeats=repeats)
    except RuntimeError as error:  # a query over Datasette's time limit on this machine
        print(f"  through Datasette: {error}")
        served = {}
    print("  new SQL through Datasette, p95 wall ms: "
          + ", ".join(f"{name} {value:.2f}" for name, value in served.items()))
    print(f"  after: {load_average()}")
    figures = {f"q{size}_{name.replace(' ', '_')}_{key}": value for name, r in compared.items()
               for key, value in r.items()}
    figures.update({f"q{size}_{name}_datasette_p95_ms": value for name, value in served.items()})
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.query_scale", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--keep", type=Path, default=Path("var/bench"),
                        help="folder of the databases, kept for the next run (default var/bench)")
    args = parser.parse_args(argv)
    args.keep.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    templates = spec_templates()
    print(f"{len(templates)} templates in {time.perf_counter() - start:.1f} s")
    for size in args.sizes:
        path, built = database_of(size, args.keep, templates)
        from db.schema import open_database

        open_database(path).close()  # a database kept from before is brought up to date (migration 10)
        report(size, built, path, args.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
