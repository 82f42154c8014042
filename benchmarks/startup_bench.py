"""Whole-process times, as a user meets them: `kompass --help`, and `kompass extract` of the bundled
report beside a process that only has pdfplumber read the text of every page.

Each command runs as its own process, several times, interleaved with its comparison so that both see
the same machine load; the median is reported (the first run of each is a warm-up for the disk cache).
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

PDFPLUMBER_TEXT = ("import sys, pdfplumber\n"
                   "with pdfplumber.open(sys.argv[1]) as pdf:\n"
                   "    for page in pdf.pages:\n"
                   "        page.extract_text()\n")


def kompass_command() -> list[str]:
    """The installed `kompass` script beside this Python, else `python -m kompass`."""
    script = Path(sys.executable).with_name("kompass")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kompass"]


def run_seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    return time.perf_counter() - start


def median_of(commands: dict[str, list[str]], repeats: int) -> dict[str, float]:
    """Median whole-process seconds of each command, the commands run in turn `repeats` times."""
    for command in commands.values():
        run_seconds(command)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(run_seconds(command))
    return {name: statistics.median(values) for name, values in times.items()}


def bench_startup(pdf: Path, repeats: int = 5) -> dict[str, float]:
    """`kompass --help` and whole-process `kompass extract PDF --format json` against pdfplumber text."""
    kompass = kompass_command()
    help_s = median_of({"help": [*kompass, "--help"]}, max(repeats, 9))["help"]
    both = median_of({"extract": [*kompass, "extract", str(pdf), "--format", "json"],
                      "pdfplumber": [sys.executable, "-c", PDFPLUMBER_TEXT, str(pdf)]}, repeats)
    return {"help_s": round(help_s, 3), "extract_process_s": round(both["extract"], 3),
            "pdfplumber_process_s": round(both["pdfplumber"], 3),
            "extract_process_ratio": round(both["extract"] / both["pdfplumber"], 3)}
