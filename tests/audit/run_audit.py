"""Run `kompass extract` (the whole process) on every audit PDF and compare with its expected result.

`python -m tests.audit.run_audit [KIND …]` reads `tests/audit/out/<kind>.pdf` and
`<kind>.expected.json` (built by `tests.audit.build_unseen`, `build_unseen_2` or `build_unseen_3`), prints one summary row per kind and
the first differences of each failure; `--json FILE` writes every difference.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from tests.audit import build_unseen, build_unseen_2, build_unseen_3
from tests.audit.build_unseen import OUT_DIR
from tests.expected import differences, norm

KOMPASS = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "kompass"
TIMEOUT = 300
KINDS = {**build_unseen.KINDS, **build_unseen_2.KINDS, **build_unseen_3.KINDS}  # all audits write to OUT_DIR


def extract(pdf: Path) -> tuple[dict | None, str | None]:
    """(extract, None) or (None, the one-line error) from `kompass extract PDF --format json`."""
    try:
        result = subprocess.run([str(KOMPASS), "extract", str(pdf), "--format", "json"], capture_output=True,
                                text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        return None, f"no result within {TIMEOUT} s"
    if result.returncode != 0:
        return None, (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
    return json.loads(result.stdout), None


def finding_keys(rows: list[dict]) -> set[tuple]:
    return {(row["area"], row["kind"], norm(row["text"])) for row in rows}


def compare(expected: dict, got: dict) -> dict:
    """Numbers (everything but findings) and findings item-exact, plus the missing warnings."""
    diffs = differences(expected, got)
    numbers = [d for d in diffs if not d.startswith("finding ")]
    want, have = finding_keys(expected.get("findings", [])), finding_keys(got.get("findings", []))
    warnings = " | ".join(got.get("warnings", []))
    missing_warnings = [w for w in expected.get("expected_warnings_contain", []) if w not in warnings]
    if expected.get("check_good_examples"):  # the cited municipalities, per area, as a number-like value
        cited = sorted((g["area"], g["kommun"]) for g in expected.get("good_examples_cited", []))
        found = sorted((g["area"], g["kommun"]) for g in got.get("good_examples", []) if g["kind"] == "cited")
        if cited != found:
            numbers.append(f"good examples cited: expected {cited!r} got {found!r}")
    return {"numbers": numbers, "findings_ok": len(want & have), "findings_expected": len(want),
            "findings_unexpected": len(have - want), "finding_diffs": [d for d in diffs if d.startswith("finding ")],
            "missing_warnings": missing_warnings, "warnings": got.get("warnings", []),
            "failed_checks": [c["name"] + ": " + c["detail"] for c in got.get("checks", []) if not c["ok"]]}


def result_cell(row: dict) -> str:
    if row.get("error"):
        return f"refused: {row['error']}"
    parts = []
    missing = [d for d in row["numbers"] if " got None" in d or "got []" in d or "got {}" in d]
    wrong = [d for d in row["numbers"] if d not in missing]
    if wrong:
        parts.append(f"{len(wrong)} values wrong")
    if missing:
        parts.append(f"{len(missing)} missing")
    if row["findings_expected"] or row["findings_unexpected"]:
        parts.append(f"findings {row['findings_ok']} of {row['findings_expected']}"
                     + (f" (+{row['findings_unexpected']} unexpected)" if row["findings_unexpected"] else ""))
    if row["missing_warnings"]:
        parts.append("warnings lacking " + ", ".join(row["missing_warnings"]))
    exact = not wrong and not missing and row["findings_ok"] == row["findings_expected"] \
        and not row["findings_unexpected"] and not row["missing_warnings"]
    return "exact" if exact else "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kinds", nargs="*", help="kinds to run (default: all built)")
    parser.add_argument("--json", type=Path, help="write every difference to this file")
    parser.add_argument("--show", type=int, default=6, help="differences shown per failure")
    args = parser.parse_args(argv)
    rows = []
    for kind in args.kinds or list(KINDS):
        pdf, expected_file = OUT_DIR / f"{kind}.pdf", OUT_DIR / f"{kind}.expected.json"
        if not pdf.exists():
            module = next(m.__name__.rsplit(".", 1)[1] for m in (build_unseen_3, build_unseen_2, build_unseen)
                          if kind in m.KINDS)
            print(f"{kind}: not built (python -m tests.audit.{module} {kind})")
            continue
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        got, error = extract(pdf)
        row = {"kind": kind, "producer": expected.get("producer"), "error": error}
        if got is not None:
            row |= compare(expected, got)
        row["result"] = result_cell(row)
        rows.append(row)
        print(f"| {kind} | {row['producer']} | {row['result']} |", flush=True)
    for row in rows:
        if row["result"] != "exact" and not row.get("error"):
            print(f"\n## {row['kind']}")
            for line in (row["numbers"] + row["finding_diffs"])[:args.show]:
                print("  " + line[:220])
            if row["failed_checks"]:
                print("  failed checks: " + "; ".join(row["failed_checks"])[:400])
            if row["warnings"]:
                print("  warnings: " + " | ".join(row["warnings"])[:400])
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0 if all(row["result"] == "exact" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
