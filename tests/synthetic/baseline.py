"""How the extractor does on the producer corpus and the regression fixtures, failures by kind.

    python -m tests.synthetic.baseline --out DIR [--producer P …] [--indices 20,22,…]

Generates (or reuses) the reports in DIR, extracts each, and prints a table of failure kinds per
producer with counts and one example message each; `--json FILE` writes every report's result.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from tests.synthetic.checking import finding_score, number_differences

KIND_OF_FIELD = {"kommun": "title block", "kommunkod": "title block", "year": "title block",
                 "evaluation_dates": "title block", "evaluators": "title block", "framework": "framework",
                 "total": "area table", "median_total": "area table", "area": "area table",
                 "reference_kind": "area table: reference kind", "question": "score summary",
                 "comparisons": "comparison table", "no": "warnings"}


def failure_kinds(expected: dict, got: dict | None, error: str | None) -> dict[str, str]:
    """{kind: example message} of one report's failures (empty when it extracts exactly)."""
    if error is not None:
        if "expected_error_contains" in expected and all(w in error for w in expected["expected_error_contains"]):
            return {}
        short = error.split(": ", 1)[-1]
        return {f"error: {short[:60]}": error}
    if "expected_error_contains" in expected:
        return {"no error for an unreadable text layer": "extracted without an error"}
    kinds: dict[str, str] = {}
    for diff in number_differences(expected, got):
        kinds.setdefault(KIND_OF_FIELD.get(diff.split(" ")[0].rstrip(":"), "other"), diff)
    score = finding_score(expected, got)
    if score.expected and score.exact == 0:
        kinds["findings: all lost"] = f"0 of {score.expected} findings"
    elif score.exact < score.expected or score.unexpected:
        kinds["findings: some wrong"] = f"{score.exact} of {score.expected} exact, {score.unexpected} unexpected"
    return kinds


def run_one(pdf: Path) -> dict:
    from extractors.errors import ExtractionError
    from extractors.report import extract_report

    expected = json.loads(pdf.with_name(pdf.stem + ".expected.json").read_text(encoding="utf-8"))
    got, error = None, None
    try:
        got = extract_report(pdf).to_json()
    except ExtractionError as failure:
        error = str(failure)
    kinds = failure_kinds(expected, got, error)
    score = finding_score(expected, got) if got else None
    return {"pdf": pdf.name, "producer": expected.get("producer", "?"), "form": expected.get("form", "full"),
            "kinds": kinds, "findings": None if score is None else [score.exact, score.expected, score.unexpected]}


def summarise(results: list[dict]) -> str:
    by_producer: dict[str, Counter] = defaultdict(Counter)
    examples: dict[tuple[str, str], str] = {}
    totals = Counter()
    for result in results:
        totals[result["producer"]] += 1
        for kind, message in result["kinds"].items():
            by_producer[result["producer"]][kind] += 1
            examples.setdefault((result["producer"], kind), f"{result['pdf']}: {message}")
    lines = []
    for producer in sorted(totals):
        exact = sum(1 for r in results if r["producer"] == producer and not r["kinds"])
        lines.append(f"{producer}: {exact}/{totals[producer]} exact")
        for kind, count in by_producer[producer].most_common():
            lines.append(f"  {count:3d} × {kind} — e.g. {examples[(producer, kind)][:160]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from tests.synthetic.generate import generate_one
    from tests.synthetic.producers import PRODUCERS

    parser = argparse.ArgumentParser(prog="python -m tests.synthetic.baseline", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--producer", action="append", choices=list(PRODUCERS))
    parser.add_argument("--indices", default=",".join(str(i) for i in range(20, 44, 2)))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--regressions", action="store_true", help="also the fixtures in tests/regressions")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    indices = [int(i) for i in args.indices.split(",")]
    from tests.synthetic.producers.tools import ToolFailed

    pdfs, failed = [], []
    for name in args.producer or list(PRODUCERS):
        wanted = ([0] if PRODUCERS[name].uses_real_report else []) + indices
        for index in wanted:
            done = sorted((args.out / name).glob(f"{index:03d}-*.expected.json"))
            try:
                pdfs.append(done[0].with_name(done[0].name.replace(".expected.json", ".pdf")) if done
                            else generate_one(args.out / name, index, args.seed, name))
            except ToolFailed as error:
                failed.append(f"{name} {index}: {error}")
    if args.regressions:
        pdfs += sorted((Path(__file__).resolve().parents[1] / "regressions").glob("*.pdf"))
    results = [run_one(pdf) for pdf in pdfs]
    for result in results:
        if not result["pdf"][:3].isdigit():  # a named fixture
            result["producer"] = f"regressions ({result['producer']})"
    print(summarise(results))
    for line in failed:
        print(f"not generated: {line}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
