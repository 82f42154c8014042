"""Running a PDF producer's command-line tool: found on PATH or a clear error, always with a deadline."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from kompass.errors import KompassError

DEFAULT_TIMEOUT = 120  # seconds for one tool run
# Debian packages that provide each tool (what .ci/run installs).
PACKAGES = {
    "chromium": "chromium", "wkhtmltopdf": "wkhtmltopdf", "pdflatex": "texlive-latex-recommended",
    "gs": "ghostscript", "ps2pdf": "ghostscript", "qpdf": "qpdf", "mutool": "mupdf-tools",
    "pdftocairo": "poppler-utils", "pdftops": "poppler-utils", "soffice": "libreoffice-writer-nogui",
}
# A fixed clock for the tools that honour it (pdfTeX, Ghostscript with -dPDFSETTINGS, …).
SOURCE_DATE_EPOCH = "1262304000"  # 2010-01-01


class ToolMissing(KompassError):
    """A producer's program is not installed."""


class ToolFailed(KompassError):
    """A producer's program ran but wrote no usable PDF (or ran out of time)."""


def tool(name: str) -> str:
    """The path of program `name`; ToolMissing with the Debian package to install otherwise."""
    candidates = {"chromium": ("chromium", "chromium-browser", "google-chrome")}.get(name, (name,))
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    package = PACKAGES.get(name, name)
    raise ToolMissing(f"{name} is not installed: apt-get install {package}")


def has_tool(name: str) -> bool:
    try:
        tool(name)
    except ToolMissing:
        return False
    return True


def deterministic_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "FORCE_SOURCE_DATE": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"})
    env.update(extra or {})
    return env


def run_tool(command: list[str], output: Path, *, timeout: float = DEFAULT_TIMEOUT, cwd: Path | None = None,
             env: dict[str, str] | None = None) -> Path:
    """Run `command` (its program resolved with `tool`) and return `output`, which it must have written."""
    command = [tool(command[0]), *command[1:]]
    output = Path(output)
    if output.exists():
        output.unlink()
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout, cwd=cwd,
                                env=env or deterministic_env(), stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        raise ToolFailed(f"{Path(command[0]).name} did not finish within {timeout:g} s") from None
    if not output.exists() or output.stat().st_size == 0:
        message = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise ToolFailed(f"{Path(command[0]).name} wrote no PDF (exit {result.returncode}): {' | '.join(message)}")
    return output
