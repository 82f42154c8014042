"""Write a synthetic corpus: N report PDFs (cycling layouts) with `<name>.expected.json` each.

    python -m tests.synthetic.generate --out DIR --count N --seed S
    python -m tests.synthetic.generate --fixtures        # rewrite tests/layouts/

Deterministic for a given seed: report i depends only on (seed, i). Test and benchmark data
only; never loaded into a user's database unless asked.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from tests.synthetic.layouts import LAYOUTS
from tests.synthetic.render import render
from tests.synthetic.spec import expected_json, seed_spec
from tests.synthetic.synth import synthetic_spec


def report_name(index: int, kommun: str, year: int, layout: str) -> str:
    """"007-upplands-väsby-2014-stacked-unruled" (Swedish letters kept on purpose)."""
    slug = re.sub(r"[^\wåäö]+", "-", kommun.casefold()).strip("-")
    return f"{index:03d}-{slug}-{year}-{layout.replace('_', '-')}"


def layout_for(index: int) -> str:
    names = list(LAYOUTS)
    return names[index % len(names)]


def generate(out: Path, count: int, seed: int = 0) -> list[Path]:
    """Write `count` reports into `out`; returns the PDF paths."""
    out.mkdir(parents=True, exist_ok=True)
    base = seed_spec()
    pdfs = []
    for index in range(count):
        spec = synthetic_spec(index, seed, base)
        layout = layout_for(index)
        spec.name = report_name(index, spec.kommun, spec.year, layout)
        pdf = render(spec, out / f"{spec.name}.pdf", layout)
        expected = expected_json(spec, pdf)
        expected["layout"] = layout
        (out / f"{spec.name}.expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pdfs.append(pdf)
    return pdfs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.synthetic.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="directory to write the reports into")
    parser.add_argument("--count", type=int, default=100, help="number of reports (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--fixtures", action="store_true", help="rewrite the seed layout fixtures in tests/layouts/")
    args = parser.parse_args(argv)
    if args.fixtures:
        from tests.synthetic.fixtures import write_layout_fixtures

        for path in write_layout_fixtures():
            print(path)
        return 0
    if args.out is None or args.count < 1:
        parser.error("--out DIR and a positive --count are required (or --fixtures)")
    pdfs = generate(args.out, args.count, args.seed)
    print(f"wrote {len(pdfs)} reports to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
