"""Write a synthetic corpus: N report PDFs with `<name>.expected.json` each.

    python -m tests.synthetic.generate --out DIR --count N --seed S [--producer P] [--wording seed]
    python -m tests.synthetic.generate --fixtures        # rewrite tests/layouts/

Producers: reportlab (default), libreoffice, chromium, chromium-hf, wkhtmltopdf, weasyprint, pdflatex,
gs, qpdf, pdftocairo, mutool, or "mixed" (report i by producer i mod 11). Each cycles through its own
styles. Wording "varied" (default) draws captions, headings and labels from the vocabulary and makes
about a third of the 2010- and 2020-generation reports summary-only; "seed" words reports as the
seed does. Deterministic for a given seed: report i depends only on (seed, i, producer). Test and
benchmark data only; never loaded into a user's database unless asked.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from tests.synthetic.producers import PRODUCERS, Producer, resave_real
from tests.synthetic.producers.tools import ToolFailed, ToolMissing
from tests.synthetic.spec import expected_json, seed_spec
from tests.synthetic.synth import WORDINGS, synthetic_spec

ROOT = Path(__file__).resolve().parents[2]
REAL_REPORT = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"
REAL_EXPECTED = ROOT / "tests" / "fixtures" / "fagersta-2009.expected.json"
MIXED = "mixed"


def report_name(index: int, kommun: str, year: int, layout: str) -> str:
    """"007-upplands-väsby-2014-stacked-unruled" (Swedish letters kept on purpose)."""
    slug = re.sub(r"[^\wåäö]+", "-", kommun.casefold()).strip("-")
    return f"{index:03d}-{slug}-{year}-{layout.replace('_', '-')}"


def producer_for(index: int, producer: str) -> Producer:
    if producer == MIXED:
        names = list(PRODUCERS)
        return PRODUCERS[names[index % len(names)]]
    try:
        return PRODUCERS[producer]
    except KeyError:
        raise ValueError(f"unknown producer {producer!r}: choose one of {', '.join(PRODUCERS)}, {MIXED}") from None


def layout_for(index: int) -> str:
    return PRODUCERS["reportlab"].variant(index)


def _write_expected(expected: dict, target: Path) -> None:
    target.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _real_report(out: Path, index: int, producer: Producer) -> Path:
    """The bundled real report re-saved by a re-save producer, with the seed's expected extraction."""
    variant = producer.variant(index)
    name = f"{index:03d}-fagersta-2009-real-{producer.name}-{variant.strip('/')}"
    pdf = resave_real(REAL_REPORT, out / f"{name}.pdf", producer.name, variant)
    expected = json.loads(REAL_EXPECTED.read_text(encoding="utf-8"))
    expected["source"] = expected_json(seed_spec(), pdf)["source"]
    expected.update({"layout": "real-report", "producer": producer.name, "variant": variant, "form": "full",
                     "reference_kind": "median"})
    _write_expected(expected, out / f"{name}.expected.json")
    return pdf


def generate_one(out: Path, index: int, seed: int = 0, producer: str = "reportlab", wording: str = "varied",
                 base=None) -> Path:
    """Write report `index` of the corpus (PDF and expected JSON) into `out`; returns the PDF."""
    out.mkdir(parents=True, exist_ok=True)
    chosen = producer_for(index, producer)
    if chosen.uses_real_report and index == 0:
        return _real_report(out, index, chosen)
    spec = synthetic_spec(index, seed, base or seed_spec(), wording=wording)
    variant = chosen.variant(index)
    label = variant if chosen.name == "reportlab" else f"{chosen.name}-{variant.strip('/')}"
    spec.name = report_name(index, spec.kommun, spec.year, label)
    pdf = chosen.render(spec, out / f"{spec.name}.pdf", variant)
    expected = expected_json(spec, pdf)
    readable, swedish = swedish_items_readable(spec, pdf)
    if readable < 0.5 * swedish:  # the producer broke the text layer (å, ä, ö lost): only OCR can read it
        expected = {"schema_version": 1, "source": expected["source"], "expected_error_contains": ["OCR"],
                    "text_layer": f"damaged: {readable} of {swedish} items with å, ä or ö readable"}
    expected.update({"layout": variant, "producer": chosen.name, "form": spec.form,
                     "wording": spec.wording.to_json()})
    _write_expected(expected, out / f"{spec.name}.expected.json")
    return pdf


def _skeleton(text: str) -> str:
    return re.sub(r"[\s\-\u00ad\ufffe\u2010]", "", text)


def swedish_items_readable(spec, pdf: Path) -> tuple[int, int]:
    """(readable, all): of the report's findings, question texts and area names that hold å, ä or ö,
    how many pypdfium2 reads back from the PDF (whitespace and hyphens aside)."""
    import pypdfium2 as pdfium

    items = [t for a in spec.areas for t in a.strengths + a.improvements + [q.text for q in a.questions]
             + [a.table_name]]
    items = [_skeleton(t) for t in items if re.search("[åäöÅÄÖ]", t)]
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = _skeleton("".join(document[i].get_textpage().get_text_range() for i in range(len(document))))
    finally:
        document.close()
    return sum(1 for item in items if item in text), len(items)


def generate(out: Path, count: int, seed: int = 0, producer: str = "reportlab", wording: str = "varied",
             start: int = 0) -> list[Path]:
    """Write reports `start` … `start + count - 1` into `out`; returns the PDF paths."""
    out.mkdir(parents=True, exist_ok=True)
    base = seed_spec()
    return [generate_one(out, index, seed, producer, wording, base) for index in range(start, start + count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.synthetic.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="directory to write the reports into")
    parser.add_argument("--count", type=int, default=100, help="number of reports (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--producer", default="reportlab", choices=[*PRODUCERS, MIXED],
                        help="the PDF producer (default reportlab)")
    parser.add_argument("--wording", default="varied", choices=WORDINGS, help="wording of tables and headings")
    parser.add_argument("--fixtures", action="store_true", help="rewrite the seed layout fixtures in tests/layouts/")
    args = parser.parse_args(argv)
    if args.fixtures:
        from tests.synthetic.fixtures import write_layout_fixtures

        for path in write_layout_fixtures():
            print(path)
        return 0
    if args.out is None or args.count < 1:
        parser.error("--out DIR and a positive --count are required (or --fixtures)")
    try:
        pdfs = generate(args.out, args.count, args.seed, args.producer, args.wording)
    except (ToolMissing, ToolFailed) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {len(pdfs)} reports to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
