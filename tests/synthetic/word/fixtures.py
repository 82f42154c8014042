"""The seed report written in each Word layout: fixtures `tests/layouts/fagersta-2009-word-*`.

Rebuilding needs LibreOffice; the committed PDFs are what the tests read.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path

from tests.synthetic.spec import ReportSpec, expected_json, seed_spec
from tests.synthetic.word.convert import docx_to_pdf
from tests.synthetic.word.document import build_document
from tests.synthetic.word.layouts import WORD_LAYOUTS, WordLayout, word_layout_named

FIXTURE_DIR = Path(__file__).resolve().parents[3] / "tests" / "layouts"
PENDING_DIR = FIXTURE_DIR / "pending"  # fixtures the extractor does not yet read exactly
PENDING: tuple[str, ...] = ()  # none: right-aligned numbers under left-aligned headers are read exactly now


def word_fixture_name(layout: str) -> str:
    """"word-classic" → "fagersta-2009-word-classic"."""
    return f"fagersta-2009-{layout}"


def word_spec(spec: ReportSpec, layout: WordLayout) -> ReportSpec:
    """The spec as the layout shows it (some layouts word the reference column differently)."""
    return replace(spec, reference_kind=layout.reference_kind) if layout.reference_kind else spec


def write_docx(spec: ReportSpec, layout: str | WordLayout, path: Path) -> Path:
    """Write `spec` in `layout` as a .docx at `path`."""
    layout = word_layout_named(layout) if isinstance(layout, str) else layout
    build_document(spec, layout).save(path)
    return Path(path)


def render_word(spec: ReportSpec, layout: str | WordLayout, pdf_path: Path) -> Path:
    """Write `spec` as Word and export it to `pdf_path` with LibreOffice."""
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="word-") as work:
        docx = write_docx(spec, layout, Path(work) / f"{pdf_path.stem}.docx")
        made = docx_to_pdf(docx, Path(work))
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        pdf_path.write_bytes(made.read_bytes())
    return pdf_path


def fixture_dir(layout: str, out_dir: Path = FIXTURE_DIR) -> Path:
    """Where a layout's fixture lives: `out_dir`, or its `pending/` folder for PENDING layouts."""
    return Path(out_dir) / "pending" if layout in PENDING else Path(out_dir)


def write_word_fixtures(out_dir: Path = FIXTURE_DIR, layouts: list[str] | None = None) -> list[Path]:
    """Render the seed spec in each Word layout; write `<name>.pdf` and `<name>.expected.json`
    (under `pending/` for the layouts the extractor does not yet read exactly)."""
    seed = seed_spec()
    written = []
    for name in layouts or list(WORD_LAYOUTS):
        layout = word_layout_named(name)
        spec = word_spec(seed, layout)
        pdf = render_word(spec, layout, fixture_dir(name, out_dir) / f"{word_fixture_name(name)}.pdf")
        expected = expected_json(spec, pdf)
        expected["layout"] = name
        target = pdf.parent / f"{pdf.stem}.expected.json"
        target.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written += [pdf, target]
    return written


if __name__ == "__main__":
    for path in write_word_fixtures():
        print(path)
