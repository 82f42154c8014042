"""`make test`'s pytest run, timed: wall time, the summary line, the slowest tests and the sum of all
durations (the suite's CPU-bound time, less sensitive than wall time to other load on the machine)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOWEST = 15
TARGET_S = 300  # `make test` ≤ 5 minutes on two cores
DURATION = re.compile(r"^(\d+\.\d+)s (setup|call|teardown)\s+(\S.*)$")
SUMMARY = re.compile(r"^=*\s*(\d+ (passed|failed).*) in [\d.]+s")


def parse(output: str) -> tuple[list[tuple[float, str, str]], str]:
    """The durations pytest printed (seconds, phase, test id), slowest first, and the summary line."""
    durations = [(float(m[1]), m[2], m[3]) for m in map(DURATION.match, output.splitlines()) if m]
    summaries = [m[1] for m in map(SUMMARY.match, output.splitlines()) if m]
    return sorted(durations, reverse=True), (summaries[-1] if summaries else "no summary line")


def bench_suite(args: tuple[str, ...] = ()) -> dict:
    """Run the default test selection (as `make test` does) with every duration reported, and print
    the wall time, load average, the slowest tests and the sum of durations."""
    command = [sys.executable, "-m", "pytest", "-q", "--durations=0", "-p", "no:randomly", *args]
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - started
    durations, summary = parse(result.stdout)
    total = sum(seconds for seconds, _, _ in durations)
    print(f"make test's pytest run: {summary}; wall {wall:.0f} s (target ≤ {TARGET_S} s), sum of test "
          f"durations {total:.0f} s; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"  slowest {SLOWEST}:")
    for seconds, phase, test in durations[:SLOWEST]:
        print(f"  {seconds:8.2f}s {phase:<8} {test}")
    if result.returncode != 0:
        print(f"warning: pytest exited with {result.returncode}:")
        for line in result.stdout.splitlines():
            if line.startswith(("FAILED ", "ERROR ")):
                print(f"  {line}")
    return {"suite_wall_s": round(wall, 1), "suite_durations_s": round(total, 1),
            "suite_result": summary.replace(" ", "_").replace(",", "")}


if __name__ == "__main__":
    bench_suite(tuple(sys.argv[1:]))
