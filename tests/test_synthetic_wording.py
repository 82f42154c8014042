"""The generator's wording variation (tests/synthetic/wording.py, summary_only.py) and its HTML and LaTeX
renderers: every word drawn from the vocabulary, reflected exactly in the expected JSON."""
from __future__ import annotations

import html
import re

import pytest

from extractors.vocabulary import VOCABULARY
from tests.synthetic.html import HTML_STYLES, HtmlStyle, report_html
from tests.synthetic.latex import TEX_STYLES, TexStyle, report_tex, tex
from tests.synthetic.spec import FULL, SUMMARY_ONLY, expected_json, seed_spec
from tests.synthetic.summary_only import area_table
from tests.synthetic.synth import synthetic_spec
from tests.synthetic.wording import seed_wording, signed

COUNT = 60


@pytest.fixture(scope="module")
def specs():
    base = seed_spec()
    return [synthetic_spec(i, 4, base, wording="varied") for i in range(COUNT)]


def test_every_drawn_word_is_in_the_vocabulary(specs):
    for spec in specs:
        w = spec.wording
        assert w.strengths in VOCABULARY.findings.strengths and w.improvements in VOCABULARY.findings.improvements
        assert w.total_label.casefold() in {t.casefold() for t in VOCABULARY.total_labels}
        assert w.summary_heading in VOCABULARY.score_summary.headings
        assert w.max_header in VOCABULARY.score_summary.max_headers
        assert w.points_header in VOCABULARY.score_summary.points_headers
        assert w.percent_header in VOCABULARY.score_summary.percent_headers
        assert w.sum_label in VOCABULARY.score_summary.sum_labels
        assert w.change_header in VOCABULARY.change_labels
        assert VOCABULARY.findings.summary_headings.starts(spec.words(w.findings_heading, number=3))
        assert VOCABULARY.reference_kind(spec.reference_header) == spec.reference_kind
        if w.area_caption:
            assert VOCABULARY.area_table.captions.starts(spec.words(w.area_caption))
        assert VOCABULARY.comparison_table.captions.starts(spec.words(w.comparison_caption))
        generation = VOCABULARY.generation(spec.framework)
        for area in spec.areas:
            assert area.table_name in generation.area(area.number).all_names
            assert area.summary_name in generation.area(area.number).all_names


def test_wording_really_varies(specs):
    assert len({s.wording.strengths for s in specs}) >= 4
    assert len({s.wording.improvements for s in specs}) >= 6
    assert len({s.reference_kind for s in specs}) >= 4
    assert any(s.wording.area_caption is None for s in specs) and any(s.wording.area_caption for s in specs)
    assert any(a.table_name != a.name for s in specs for a in s.areas)


def test_seed_wording_is_the_seed_reports(specs):
    spec = seed_spec()
    assert spec.wording == seed_wording()
    assert spec.reference_header == "Median för alla hittills rapporterade utvärderingar"
    assert spec.words(spec.wording.area_caption).startswith("Tabell 1 Fagersta kommun 2009")
    assert expected_json(spec)["reference_kind"] == "median"


def test_expected_json_follows_the_drawn_reference_kind(specs):
    for spec in specs:
        assert expected_json(spec)["reference_kind"] == spec.reference_kind


def test_summary_only_reports_are_later_generations_without_lists_or_questions(specs):
    short = [s for s in specs if s.form == SUMMARY_ONLY]
    assert 5 <= len(short) <= COUNT // 2
    assert {s.framework for s in short} <= {"2010-2019", "2020-"}
    for spec in short:
        expected = expected_json(spec)
        assert expected["findings"] == expected["questions"] == expected["comparisons"] == []
        assert {"score summary", "comparison table", "strengths"} <= set(expected["expected_warnings_contain"])
        assert ("evaluators" in expected["expected_warnings_contain"]) == (not spec.evaluators)
        assert [a["score"] for a in expected["areas"]] == [a.score for a in spec.areas]
        assert expected["total"] == sum(a.score for a in spec.areas)
    assert any(s.has_changes for s in short)
    assert all(s.form == FULL for s in specs if s.framework == "2002-2009")


def test_change_column_is_signed_and_never_the_reference(specs):
    assert [signed(16), signed(-3), signed(0), signed(2.5), signed(-1, "−")] == ["+16", "-3", "±0", "+2,5", "−1"]
    for spec in (s for s in specs if s.has_changes):
        table = area_table(spec)
        change = table.change_column
        assert all(re.fullmatch(r"[+\-−]\d+(,\d)?|±0", row[change]) for row in table.rows + [table.total])
        reference = table.header.index(spec.words(spec.reference_header))
        assert reference != change
        assert [row[reference] for row in table.rows] == [f"{a.reference:.1f}".replace(".", ",") for a in spec.areas]


def test_deterministic_for_seed_and_index():
    a, b = synthetic_spec(13, 9, wording="varied"), synthetic_spec(13, 9, wording="varied")
    assert expected_json(a) == expected_json(b) and a.wording == b.wording
    assert synthetic_spec(13, 9, wording="seed").wording == seed_wording()


def test_styles_reject_unknown_choices():
    with pytest.raises(ValueError, match="disc"):
        HtmlStyle("x", "serif", 10, "stars", "grid", "lists", "per_area")
    with pytest.raises(ValueError, match="article"):
        TexStyle("x", "book", "times", "10pt")


def _visible(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


@pytest.mark.parametrize("style", list(HTML_STYLES))
def test_html_report_shows_every_finding_question_and_heading(specs, style):
    spec = next(s for s in specs if s.form == FULL and s.has_score_summary)
    page = report_html(spec, style)
    text = " ".join(_visible(page).split())
    for area in spec.areas:
        for item in area.strengths + area.improvements:
            assert " ".join(item.split()) in text
        for q in area.questions:
            assert " ".join(q.text.split()) in text
    assert spec.wording.strengths in text and spec.wording.improvements in text
    assert spec.words(spec.wording.total_label) in text
    if HTML_STYLES[style].findings == "two_column_table":
        assert '<table class="findings">' in page


@pytest.mark.parametrize("style", list(TEX_STYLES))
def test_latex_source_escapes_and_keeps_every_finding(specs, style):
    spec = next(s for s in specs if s.form == FULL and s.has_score_summary)
    source = report_tex(spec, style)
    assert source.count("\\begin{itemize}") >= 16 and "\\pagestyle{plain}" in source
    for area in spec.areas:
        for item in area.strengths + area.improvements:
            assert tex(item) in source
    assert tex("100 % & $5 #1 a_b {x} ~ ^") == r"100 \% \& \$5 \#1 a\_b \{x\} \textasciitilde{} \textasciicircum{}"
