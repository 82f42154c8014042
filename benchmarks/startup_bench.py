"""Whole-process times, as a user meets them: `kompass --help`, and `kompass extract` of the bundled
report beside a process that only has pdfplumber read the text of every page.

Each command runs as its own process, several times, interleaved with its comparison so that both see
the same machine load; the median is reported (the first run of each is a warm-up for the disk cache).
"""
from __future__ import annotations

import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_seconds(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one whole process."""
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    return time.perf_counter() - start, _children_cpu() - cpu


def median_of(commands: dict[str, list[str]], repeats: int) -> dict[str, tuple[float, float]]:
    """Median whole-process (wall, CPU) seconds of each command, the commands run in turn `repeats` times.
    CPU seconds are the steadier figure on a shared machine; wall-clock is what a user waits."""
    for command in commands.values():
        run_seconds(command)  # warm-up
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(run_seconds(command))
    return {name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
            for name, values in times.items()}


def bench_startup(pdf: Path, repeats: int = 5) -> dict[str, float]:
    """`kompass --help` and whole-process `kompass extract PDF --format json` against pdfplumber text."""
    kompass = kompass_command()
    help_s, help_cpu = median_of({"help": [*kompass, "--help"]}, max(repeats, 9))["help"]
    both = median_of({"extract": [*kompass, "extract", str(pdf), "--format", "json"],
                      "pdfplumber": [sys.executable, "-c", PDFPLUMBER_TEXT, str(pdf)]}, repeats)
    (extract_s, extract_cpu), (plumber_s, plumber_cpu) = both["extract"], both["pdfplumber"]
    return {"help_s": round(help_s, 3), "help_cpu_s": round(help_cpu, 3),
            "extract_process_s": round(extract_s, 3), "pdfplumber_process_s": round(plumber_s, 3),
            "extract_process_ratio": round(extract_s / plumber_s, 3),
            "extract_process_cpu_s": round(extract_cpu, 3), "pdfplumber_process_cpu_s": round(plumber_cpu, 3),
            "extract_process_cpu_ratio": round(extract_cpu / plumber_cpu, 3)}
