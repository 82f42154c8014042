"""The generated corpus extracts with every number exact, across all layouts and framework generations.

Reports come from `tests.synthetic.generate` at test time with a fixed seed; each is compared with
the `<name>.expected.json` the generator wrote beside it (`tests.expected.differences`). The default
run checks one report per layout × generation; the whole 100 are behind the `slow` marker.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.synthetic.generate import generate
from tests.synthetic.layouts import LAYOUTS
from extractors.report import extract_report
from tests.expected import differences, failed_checks

SEED = 0
SAMPLE_FROM = 34  # the first 34 reports of seed 0 hold every layout × generation
GENERATIONS = ("2002-2009", "2010-2019", "2020-")

# Extraction differences known on seed 0, as strict xfails with their reason; none at present
# (wrapped list items across lines, columns and pages, and split header names, are read exactly).
KNOWN: dict[int, str] = {}
KNOWN_IN_SAMPLE: dict[tuple[str, str], str] = {}


def expected_of(pdf: Path) -> dict:
    return json.loads(pdf.with_name(pdf.stem + ".expected.json").read_text(encoding="utf-8"))


def one_per_layout_and_generation(pdfs: list[Path]) -> dict[tuple[str, str], Path]:
    chosen: dict[tuple[str, str], Path] = {}
    for pdf in pdfs:
        expected = expected_of(pdf)
        chosen.setdefault((expected["layout"], expected["framework"]), pdf)
    return chosen


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict[tuple[str, str], Path]:
    pdfs = generate(tmp_path_factory.mktemp("synthetic"), SAMPLE_FROM, seed=SEED, wording="seed")
    return one_per_layout_and_generation(pdfs)


@pytest.fixture(scope="module")
def whole_corpus(tmp_path_factory) -> list[Path]:
    return generate(tmp_path_factory.mktemp("synthetic-100"), 100, seed=SEED, wording="seed")


def assert_exact(pdf: Path) -> None:
    expected = expected_of(pdf)
    got = extract_report(pdf).to_json()
    assert differences(expected, got) == [], pdf.name
    assert failed_checks(expected, got) == [], pdf.name
    cited = {(g["area"], g["kommun"]) for g in got["good_examples"] if g["kind"] == "cited" and g.get("country", "SE") == "SE"}
    gold = {(g["area"], g["kommun"]) for g in expected["good_examples_cited"]}
    assert cited <= gold, f"{pdf.name}: cited but not an example: {sorted(cited - gold)}"
    assert len(gold - cited) <= max(1, len(gold) // 20), f"{pdf.name}: missed {sorted(gold - cited)}"


def test_sample_covers_every_layout_and_generation(sample):
    assert {layout for layout, _ in sample} == {name for name in LAYOUTS}
    assert {generation for _, generation in sample} == set(GENERATIONS)


def _marked(cases, known):
    return [pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason=known[case])) if case in known
            else case for case in cases]


@pytest.mark.parametrize(("layout", "generation"),
                         _marked([(layout, generation) for layout in LAYOUTS for generation in GENERATIONS],
                                 KNOWN_IN_SAMPLE))
def test_sample_report_extracts_exactly(sample, layout, generation):
    assert_exact(sample[(layout, generation)])


@pytest.mark.slow
@pytest.mark.parametrize("index", [pytest.param(i, marks=pytest.mark.xfail(strict=True, reason=KNOWN[i]))
                                   if i in KNOWN else i for i in range(100)])
def test_whole_generated_corpus_extracts_exactly(whole_corpus, index):
    assert_exact(whole_corpus[index])
