"""Rebuild the named regression fixtures: `python -m tests.regressions.build [KIND …]`.

Writes `tests/regressions/<kind>.pdf` and `<kind>.expected.json` for each kind in
`tests.regressions.kinds.KINDS` (all by default). Needs the producers' tools (Chromium,
wkhtmltopdf, WeasyPrint, pdfTeX, poppler, Ghostscript, qpdf); the committed files are what the
tests read.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.regressions.registry import KINDS

FIXTURE_DIR = Path(__file__).resolve().parent
MAX_BYTES = 300_000


def build(kind: str, out_dir: Path = FIXTURE_DIR, kinds: dict = KINDS) -> tuple[Path, Path]:
    """Build one fixture of `kinds` (the named regressions by default); returns (pdf, expected json)."""
    if kind not in kinds:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(kinds)}")
    pdf = Path(out_dir) / f"{kind}.pdf"
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    expected = {"kind": kind, "what": " ".join(kinds[kind].__doc__.split()) if kinds[kind].__doc__ else kind}
    expected |= kinds[kind](pdf)
    if pdf.stat().st_size > MAX_BYTES:
        raise ValueError(f"{pdf.name}: {pdf.stat().st_size} bytes, over the {MAX_BYTES} byte limit for fixtures")
    target = pdf.with_suffix(".expected.json")
    target.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return pdf, target


def main(argv: list[str] | None = None) -> int:
    kinds = (argv if argv is not None else sys.argv[1:]) or list(KINDS)
    for kind in kinds:
        pdf, _ = build(kind)
        print(f"{pdf}  {pdf.stat().st_size // 1000} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
