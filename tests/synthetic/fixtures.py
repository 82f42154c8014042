"""The seed report drawn in every layout family: the committed fixtures under tests/layouts/."""
from __future__ import annotations

import json
from pathlib import Path

from tests.synthetic.layouts import LAYOUTS
from tests.synthetic.render import fixture_spec, render
from tests.synthetic.spec import expected_json, seed_spec

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "tests" / "layouts"


def fixture_name(layout: str) -> str:
    return f"fagersta-2009-{layout.replace('_', '-')}"


def write_layout_fixtures(out_dir: Path = FIXTURE_DIR) -> list[Path]:
    """Render the seed spec in each layout; write `<name>.pdf` and `<name>.expected.json`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    seed = seed_spec()
    written = []
    for layout in LAYOUTS:
        spec = fixture_spec(seed, layout)
        pdf = render(spec, out_dir / f"{fixture_name(layout)}.pdf", layout)
        expected = expected_json(spec, pdf)
        expected["layout"] = layout
        target = out_dir / f"{fixture_name(layout)}.expected.json"
        target.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written += [pdf, target]
    return written
