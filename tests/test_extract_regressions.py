"""Each document kind that once failed (issue 10) has a named fixture in tests/regressions/, built by
`python -m tests.regressions.build`; each must extract exactly (the unreadable text layer: a one-line
error naming OCR). The fixtures' own properties are checked too, so they stay what they are named for.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pytest

from extractors.errors import ExtractionError
from extractors.report import extract_report
from tests.regressions.kinds import known_word_share, page_texts
from tests.regressions.registry import KINDS
from tests.synthetic.checking import finding_score, number_differences
from tests.expected import failed_checks

FIXTURES = Path(__file__).parent / "regressions"
# Kinds the extractor does not yet read exactly, with the reason (issue 10): none since main a9a1e6d.
KNOWN: dict[str, str] = {}


def expected_of(kind: str) -> dict:
    return json.loads((FIXTURES / f"{kind}.expected.json").read_text(encoding="utf-8"))


def _marked(kinds):
    return [pytest.param(k, marks=pytest.mark.xfail(reason=KNOWN[k], strict=False)) if k in KNOWN else k
            for k in kinds]


READABLE = [k for k in KINDS if "expected_error_contains" not in expected_of(k)]
UNREADABLE = [k for k in KINDS if "expected_error_contains" in expected_of(k)]


def test_every_kind_has_a_committed_fixture_and_nothing_else_is_there():
    assert sorted(p.stem for p in FIXTURES.glob("*.pdf")) == sorted(KINDS)
    for kind in KINDS:
        assert expected_of(kind)["kind"] == kind
        assert (FIXTURES / f"{kind}.pdf").stat().st_size < 300_000


@pytest.mark.parametrize("kind", _marked(READABLE))
def test_fixture_extracts_exactly(kind):
    expected = expected_of(kind)
    got = extract_report(FIXTURES / f"{kind}.pdf").to_json()
    assert number_differences(expected, got) == []
    score = finding_score(expected, got)
    assert (score.exact, score.unexpected) == (score.expected, 0), f"findings: {score}"
    assert failed_checks(expected, got) == []


@pytest.mark.parametrize("kind", _marked(UNREADABLE))
def test_unreadable_text_layer_without_ocr_is_a_one_line_error_naming_ocr(kind):
    with pytest.raises(ExtractionError) as raised:
        extract_report(FIXTURES / f"{kind}.pdf", ocr="never")
    message = str(raised.value)
    assert "\n" not in message and "OCR" in message, message
    assert "not a Kommunkompassen report" not in message


# --- the fixtures are what they are named for --------------------------------------------------

def test_drawn_bullet_fixtures_have_no_bullet_characters_but_drawn_shapes():
    for kind in ("chromium-drawn-bullets", "wkhtmltopdf-drawn-bullets"):
        pdf = FIXTURES / f"{kind}.pdf"
        assert "•" not in "".join(page_texts(pdf))
        with pdfplumber.open(pdf) as document:
            assert sum(len(p.curves) + len(p.rects) for p in document.pages) > 50


def test_bullet_fixture_has_lone_bullet_lines_at_many_page_edges():
    pages = [[line.strip() for line in text.splitlines() if line.strip()]
             for text in page_texts(FIXTURES / "bullet-on-its-own-line.pdf")]
    assert sum(1 for lines in pages if "•" in lines[:3] + lines[-3:]) >= 0.4 * len(pages)


def test_page_number_fixture_has_only_a_page_number_as_footer_and_a_list_over_a_break():
    pages = [[line.strip() for line in text.splitlines() if line.strip()]
             for text in page_texts(FIXTURES / "page-number-footer-list-break.pdf")]
    assert all(re.fullmatch(r"\d{1,2}", lines[-1]) for lines in pages[1:])
    assert expected_of("page-number-footer-list-break")["list_split_over_pages"]


def test_slash_fixture_wraps_a_question_right_after_the_slash():
    with pdfplumber.open(FIXTURES / "slash-wrapped-question.pdf") as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert re.search(r"avdelningar/\n(?:.*\n)?enheter\?", text) or re.search(r"avdelningar/\nenheter", text)
    assert any(q["text"].endswith("avdelningar/enheter?") for q in expected_of("slash-wrapped-question")["questions"])


def test_unreadable_fixture_decodes_to_garbage_in_pypdfium2():
    assert known_word_share(FIXTURES / "no-unicode-map.pdf") < 0.01
    assert len("".join(page_texts(FIXTURES / "no-unicode-map.pdf"))) > 5_000  # a text layer, but garbage


def test_embedded_cmap_fixture_is_read_by_pypdfium2_and_dropped_by_pdfplumber():
    pdf = FIXTURES / "embedded-cmap.pdf"
    assert "Sammanfattning område 1" in "".join(page_texts(pdf))
    with pdfplumber.open(pdf) as document:
        assert sum(len(page.chars) for page in document.pages) == 0


def test_summary_only_fixtures_have_no_caption_a_change_column_and_a_total_row():
    for kind, reference in (("summary-only-2010", "Genomsnitt"), ("summary-only-2020", "Sverigesnitt")):
        expected = expected_of(kind)
        text = "".join(page_texts(FIXTURES / f"{kind}.pdf"))
        assert not re.search(r"Tabell\s*1", text) and reference in text
        assert re.search(r"[+−-]\d+", text) and expected["findings"] == [] and expected["questions"] == []
        assert {"score summary", "strengths"} <= set(expected["expected_warnings_contain"])


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
def test_builder_rebuilds_the_committed_fixture(kind, tmp_path):
    from tests.regressions.build import build
    from tests.test_producers import require_tools

    require_tools(("chromium", "wkhtmltopdf", "pdflatex", "pdftops", "ps2pdf", "qpdf"))
    _, target = build(kind, tmp_path)
    fresh, committed = json.loads(target.read_text(encoding="utf-8")), expected_of(kind)
    for data in (fresh, committed):
        data.pop("source", None)
        data.pop("known_word_share", None)
        data.pop("question_column_mm", None)
    assert fresh == committed


def test_audit_fixtures_show_what_the_corpus_never_had():
    """The kinds the audit of unseen documents found (tests/audit): each still shows its property."""
    import pypdfium2 as pdfium

    text = {kind: "\n".join(page_texts(FIXTURES / f"{kind}.pdf")) for kind in
            ("unseen-list-headings", "word-numbered-findings", "table-wording-variants", "print-shop-cropbox")}
    assert "Kommunens starka sidor" in text["unseen-list-headings"]
    assert re.search(r"(?m)^\s*b\)\s", text["word-numbered-findings"])
    assert "Kontroll och uppföljning" in text["table-wording-variants"]
    assert "Sammanlagd poäng" in text["table-wording-variants"]
    document = pdfium.PdfDocument(str(FIXTURES / "print-shop-cropbox.pdf"))
    try:
        page = document[0]
        assert page.get_cropbox() != page.get_mediabox()  # the A4 page sits on a larger sheet
    finally:
        document.close()
    assert "✐" in text["print-shop-cropbox"]  # the crop package's marks are text in the layer


def test_second_audit_fixtures_show_what_the_corpus_never_had():
    text = {kind: "\n".join(page_texts(FIXTURES / f"{kind}.pdf")) for kind in
            ("area-headings-section-numbers", "latex-scrartcl-toc-footnotes", "summary-fraga-ids")}
    assert re.search(r"3\.2 Tillgänglighet och\s*\n\s*brukarorientering", text["area-headings-section-numbers"])
    assert re.search(r"Fråga\s+1\.1", text["summary-fraga-ids"])
    with pdfplumber.open(FIXTURES / "latex-scrartcl-toc-footnotes.pdf") as document:
        plumbed = " ".join(page.extract_text() or "" for page in document.pages)
    assert "(cid:246)" in plumbed and "(cid:229)" in plumbed  # ö and å as bare T1 codes: no Unicode map
