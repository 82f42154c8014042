"""The synthetic report generator's own invariants (tests/synthetic), on real rendered PDFs."""
from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from tests.synthetic.fixtures import FIXTURE_DIR, fixture_name, write_layout_fixtures
from tests.synthetic.generate import generate, main
from tests.synthetic.layouts import LAYOUTS, LayoutSettings
from tests.synthetic.names import AREA_NAMES, GENERATIONS
from tests.synthetic.spec import expected_json, seed_spec
from tests.synthetic.synth import published_evaluations, synthetic_spec
from extractors.municipalities import lookup, name_forms

SEED_EXPECTED = Path(__file__).parent / "fixtures" / "fagersta-2009.expected.json"
SPECS = 60


@pytest.fixture(scope="module")
def specs():
    base = seed_spec()
    return [synthetic_spec(i, 7, base) for i in range(SPECS)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Eight generated reports: every layout twice."""
    out = tmp_path_factory.mktemp("synthetic")
    generate(out, 8, seed=3, wording="seed")
    return out


def fixture_pdf(layout: str) -> Path:
    return FIXTURE_DIR / f"{fixture_name(layout)}.pdf"


def skeleton(text: str) -> str:
    """Text without whitespace and hyphens: wrapping and hyphenation do not change it."""
    return re.sub(r"[\s\-\ufffe]", "", text)


RUNNING = re.compile(r"^(Sida \d+( av \d+)?|– \d+ –|Kommunkompassen – .+ sida \d+|.+ kommun – Kommunkompassen \d{4}"
                     r"|Kommunkompassen \d{4} · .+)$")


def pdfium_text(path: Path) -> str:
    """All text of the PDF without running headers and footers, whitespace collapsed."""
    document = pdfium.PdfDocument(str(path))
    pages = []
    try:
        for i in range(len(document)):
            lines = document[i].get_textpage().get_text_range().splitlines()
            pages += [line for line in lines if not RUNNING.match(line.strip())]
    finally:
        document.close()
    return " ".join(" ".join(pages).replace("\ufffe", "").split())


def half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- the seed spec and the committed fixtures ---------------------------------------------------

def test_seed_spec_reproduces_the_seed_expected_extraction():
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    produced = expected_json(seed_spec())
    for key, value in expected.items():
        assert produced[key] == value, key


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_committed_fixture_is_what_the_generator_writes(layout, tmp_path):
    write_layout_fixtures(tmp_path)
    name = fixture_name(layout)
    committed = json.loads((FIXTURE_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))
    fresh = json.loads((tmp_path / f"{name}.expected.json").read_text(encoding="utf-8"))
    committed["source"].pop("sha256"), fresh["source"].pop("sha256")
    assert committed == fresh
    assert pdfium_text(FIXTURE_DIR / f"{name}.pdf") == pdfium_text(tmp_path / f"{name}.pdf")
    assert (FIXTURE_DIR / f"{name}.pdf").stat().st_size < 300_000


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_fixture_shows_every_finding_question_and_comparison(layout):
    expected = json.loads((FIXTURE_DIR / f"{fixture_name(layout)}.expected.json").read_text(encoding="utf-8"))
    text = pdfium_text(fixture_pdf(layout))
    assert expected["source"]["pages"] >= 15
    for item in expected["findings"] + expected["questions"]:
        assert skeleton(item["text"]) in skeleton(text), item
    for comparison in {(c["kommun"], c["year"]) for c in expected["comparisons"]}:
        assert comparison[0] in text


# --- numbers of synthetic specs -------------------------------------------------------------------

def test_question_points_add_up_exactly(specs):
    for spec in specs:
        assert spec.total == sum(a.score for a in spec.areas)
        for area in spec.areas:
            assert sum(q.max_points for q in area.questions) == 100, (spec.kommun, area.number)
            assert sum(q.points for q in area.questions) == area.score, (spec.kommun, area.number)
            for q in area.questions:
                assert 0 <= q.points <= q.max_points and (q.points * 2).is_integer()
                assert q.percent == half_up(Decimal(str(q.points)) * 100 / q.max_points)


def test_published_scores_are_used(specs):
    published = published_evaluations()
    full = [p for p in published if p.scores]
    assert full, "published_scores.csv has evaluations with all eight areas"
    for index, p in enumerate(published):
        spec = specs[index]
        assert (spec.kommun, spec.year) == (p.kommun, p.year)
        if p.scores:
            assert [a.score for a in spec.areas] == list(p.scores)
        else:
            assert spec.total == p.total


def test_all_generations_with_their_area_names(specs):
    seen = {spec.framework for spec in specs}
    assert seen == set(GENERATIONS)
    for spec in specs:
        assert tuple(a.name for a in spec.areas) == AREA_NAMES[spec.framework]


def test_missing_parts_are_reflected_in_expected_json(specs):
    no_summary = [s for s in specs if not s.has_score_summary]
    no_comparison = [s for s in specs if not s.has_comparison_table]
    assert no_summary and no_comparison
    for spec in no_summary:
        expected = expected_json(spec)
        assert expected["questions"] == [] and "score summary" in expected["expected_warnings_contain"]
    for spec in no_comparison:
        expected = expected_json(spec)
        assert expected["comparisons"] == [] and "comparison table" in expected["expected_warnings_contain"]


def test_cited_good_examples_are_other_municipalities_named_in_their_area(specs):
    for spec in specs:
        others = {c.kommun for c in spec.comparisons}
        for area in spec.areas:
            text = " ".join(b.text for b in area.prose)
            for kommun in area.cited:
                assert kommun != spec.kommun and kommun not in others
                forms = name_forms(lookup(kommun))
                assert any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) for form in forms), (kommun, area.number)
        if spec.kommun != "Fagersta":  # the seed's name is gone, except as a renamed neighbour
            assert "Fagersta" not in " ".join(b.text for b in spec.chapter2) or "Fagersta" in spec.not_good_examples


def test_deterministic_for_a_seed(tmp_path):
    assert expected_json(synthetic_spec(30, 5)) == expected_json(synthetic_spec(30, 5))
    assert expected_json(synthetic_spec(30, 5)) != expected_json(synthetic_spec(30, 6))
    first, second = tmp_path / "a", tmp_path / "b"
    generate(first, 2, seed=11, wording="seed")
    generate(second, 2, seed=11, wording="seed")
    for pdf in first.glob("*.pdf"):
        assert pdf.read_bytes() == (second / pdf.name).read_bytes()
        assert (first / f"{pdf.stem}.expected.json").read_text() == (second / f"{pdf.stem}.expected.json").read_text()


# --- rendered synthetic reports ------------------------------------------------------------------

def test_generated_reports_open_and_name_their_municipality(corpus):
    pdfs = sorted(corpus.glob("*.pdf"))
    assert len(pdfs) == 8
    assert {json.loads(p.with_suffix("").with_suffix(".expected.json").read_text())["layout"]
            for p in pdfs} == set(LAYOUTS)
    for pdf in pdfs:
        expected = json.loads(pdf.with_name(f"{pdf.stem}.expected.json").read_text(encoding="utf-8"))
        with pdfplumber.open(pdf) as document:
            assert len(document.pages) == expected["source"]["pages"]
            first = document.pages[0].extract_text()
        assert f"av {expected['kommun']} Kommun" in first
        text = pdfium_text(pdf)
        for item in expected["findings"] + expected["questions"]:
            assert skeleton(item["text"]) in skeleton(text), item
        summary_heading = re.search(r"4\. (Poängsammanställning|Översikt av poängfördelning) Kommunens", text)
        assert bool(summary_heading) == bool(expected["questions"])
        assert ("Tabell 2" in text) == bool(expected["comparisons"])


def test_cli_requires_an_output_directory(capsys):
    with pytest.raises(SystemExit):
        main(["--count", "3"])
    assert "--out" in capsys.readouterr().err


def test_layout_settings_reject_unknown_choices():
    with pytest.raises(ValueError, match="side_by_side"):
        LayoutSettings(name="x", font="Helvetica", bold_font="Helvetica-Bold", size=9, leading=11, margin=40,
                       rules="grid", summary="diagonal", comparison="columns", bullets="glyph")


# --- the layouts really differ -------------------------------------------------------------------

def plumber_pages(layout: str) -> list:
    with pdfplumber.open(fixture_pdf(layout)) as document:
        return [(page.width, page.height, len(page.lines), len(page.rects), page.extract_text() or "")
                for page in document.pages]


def test_ruled_layout_has_grid_lines_and_landscape_summary_with_two_areas_side_by_side():
    pages = plumber_pages("ruled_side_by_side")
    tables = [p for p in pages if "Tabell 1" in p[4]]
    assert tables and tables[0][2] > 20  # grid lines
    landscape = [p for p in pages if p[0] > p[1]]
    assert len(landscape) >= 2 and all(p[2] > 10 for p in landscape)
    assert "Poängsammanställning" in landscape[0][4]
    assert re.search(r"^1\.1 .*\b40 26 65% 2\.1 ", landscape[0][4], re.M)  # areas 1 and 2 on one row
    assert all(re.search(r"Kommunkompassen – Fagersta kommun 2009 sida \d+$", p[4]) for p in pages)
    split = [i for i, p in enumerate(pages) if "Tabell 2" in p[4]][0]
    assert re.search(r"^5 56 48 24 54 67 86$", pages[split][4], re.M)
    assert re.search(r"^6 44,5 43 36,5 50 70 82$", pages[split + 1][4], re.M)  # continued overleaf
    assert "•" in "".join(p[4] for p in pages)


def test_stacked_layout_has_no_ruling_at_all_and_running_header_and_footer():
    pages = plumber_pages("stacked_unruled")
    assert all(p[2] == 0 and p[3] == 0 for p in pages)
    assert all(p[0] < p[1] for p in pages)
    headers = [p[4].split("\n")[0] for p in pages[1:]]
    assert all(h == "Fagersta kommun – Kommunkompassen 2009" for h in headers)
    assert all(re.search(r"– \d+ –$", p[4]) for p in pages)
    text = "\n".join(p[4] for p in pages)
    assert "•" not in text and re.search(r"^– Aktivt informationsarbete", text, re.M)
    summary = [i for i, p in enumerate(pages) if "KOMMUNKOMPASSEN – RESULTAT" in p[4]][0]
    assert re.search(r"^1 Offentlighet och demokratisk kontroll$", pages[summary][4], re.M)
    assert "8.4" in pages[-1][4] and "8.4" not in pages[summary][4]  # split over pages


def test_hyphenated_layout_splits_words_and_findings_at_line_ends():
    expected = json.loads((FIXTURE_DIR / f"{fixture_name('hyphenated_twocol_text')}.expected.json").read_text())
    lines = []
    with pdfplumber.open(fixture_pdf("hyphenated_twocol_text")) as document:
        for page in document.pages:
            for half in ((0, 0, page.width / 2, page.height), (page.width / 2, 0, page.width, page.height)):
                lines += (page.crop(half).extract_text() or "").split("\n")
    broken = [i for i, line in enumerate(lines[:-1]) if re.search(r"[a-zåäö]-$", line) and lines[i + 1][:1].islower()]
    assert len(broken) > 100
    single_lines = set(lines)
    wrapped = [f["text"] for f in expected["findings"] if not any(f["text"] in line for line in single_lines)]
    assert len(wrapped) >= 10
    mended = " ".join(lines)
    mended = re.sub(r"([a-zåäö])- ([a-zåäö])", r"\1\2", mended)
    hyphen_split = [t for t in wrapped if t in mended and t not in " ".join(lines)]
    assert len(hyphen_split) >= 2, hyphen_split
    assert "Medelvärde för alla utvärderade kommuner" in mended


def test_hyphenated_layout_wraps_question_texts_over_three_lines_or_more():
    with pdfplumber.open(fixture_pdf("hyphenated_twocol_text")) as document:
        page = next(p for p in document.pages if "KOMMUNKOMPASSEN – RESULTAT" in (p.extract_text() or ""))
        lines = page.extract_text().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("3.3 "))
    end = next(i for i, line in enumerate(lines) if line.startswith("3.4 "))
    assert end - start >= 3
    assert re.search(r" 30 22,5 75%$", lines[start])


def test_transposed_layout_has_municipality_rows_totals_and_no_lines():
    pages = plumber_pages("transposed_comparison")
    text = "\n".join(p[4] for p in pages)
    assert all(p[2] == 0 for p in pages) and sum(p[3] for p in pages) > 20  # shading, not lines
    assert re.search(r"^Eksjö 2008 59 37 60 71 48 43 43 68 429$", text, re.M)
    assert re.search(r"^Kommun År 1 2 3 4 5 6 7 8 Totalt$", text, re.M)
    assert "Sverigesnitt" in text
    assert re.search(r"^Summa 100 64 64 %$", text, re.M)
    assert re.search(r"^Summa 100 59,5 60 %$", text, re.M)  # 59.5 → 60 (half up)
    assert re.search(r"Sida 3 av \d+", text)
