"""The Word-made report generator (tests/synthetic/word): its .docx internals, the committed
fixtures it wrote, and (where LibreOffice is installed) a fresh export that extracts exactly."""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.synthetic.spec import expected_json, seed_spec
from tests.synthetic.word import fonts
from tests.synthetic.word.convert import SofficeNotFound, docx_to_pdf
from tests.synthetic.word.document import manual_break
from tests.synthetic.word.fixtures import (PENDING, fixture_dir, render_word, word_fixture_name, word_spec,
                                            write_docx)
from tests.synthetic.word.layouts import WORD_LAYOUTS, WordLayout, word_layout_named
from extractors.report import extract_report
from tests.expected import differences, failed_checks

HAS_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fixture_pdf(layout: str) -> Path:
    return fixture_dir(layout) / f"{word_fixture_name(layout)}.pdf"


def page_texts(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


@pytest.fixture(scope="module")
def docx_files(tmp_path_factory) -> dict[str, Path]:
    """Every Word layout of the seed spec as a .docx (no LibreOffice needed)."""
    out = tmp_path_factory.mktemp("docx")
    seed = seed_spec()
    return {name: write_docx(word_spec(seed, layout), layout, out / f"{name}.docx")
            for name, layout in WORD_LAYOUTS.items()}


def xml_of(docx: Path, part: str) -> str:
    with zipfile.ZipFile(docx) as archive:
        return archive.read(part).decode("utf-8")


def list_items(spec) -> int:
    """Paragraphs a layout with Word lists writes as list items."""
    from tests.synthetic.seedtext import ITEM

    blocks = spec.chapter1 + spec.chapter2 + [b for a in spec.areas for b in a.prose]
    return (sum(b.kind == ITEM for b in blocks)
            + sum(len(a.prose_questions) + len(a.strengths) + len(a.improvements) for a in spec.areas))


# --- settings --------------------------------------------------------------------------------------

def test_layout_settings_are_validated():
    with pytest.raises(ValueError, match="numbering"):
        WordLayout(name="x", font="DejaVu Sans", size=10, bullets="stars", summary="tab_lines",
                   area_heading="3.{number} {name}", heading_styles=False)
    with pytest.raises(ValueError, match="word-classic"):
        word_layout_named("word-nothing")
    assert len(WORD_LAYOUTS) >= 2 and set(PENDING) <= set(WORD_LAYOUTS)


# --- the .docx internals ---------------------------------------------------------------------------

def test_classic_lists_are_word_numbering_with_a_symbol_bullet(docx_files):
    numbering = xml_of(docx_files["word-classic"], "word/numbering.xml")
    assert re.search(r'<w:numFmt w:val="bullet"/>\s*<w:lvlText w:val="\uf0b7"/>', numbering)
    assert re.search(r'<w:ind w:left="720" w:hanging="360"/>', numbering)
    assert 'w:ascii="Symbol"' in numbering
    document = Document(str(docx_files["word-classic"]))
    numbered = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(numbered) == list_items(seed_spec())
    assert not any(p.text.startswith("- ") for p in numbered)


def test_classic_tables_repeat_headers_merge_area_rows_and_turn_landscape(docx_files):
    document = Document(str(docx_files["word-classic"]))
    comparison = next(t for t in document.tables if t.cell(0, 0).text == "Kriterium")
    assert comparison._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    assert comparison._tbl.tblPr.find(qn("w:tblBorders")) is not None
    summary = document.tables[-1]
    assert summary.cell(0, 2).text == "max- poäng"
    assert len(summary._tbl.xpath('.//w:tcPr/w:gridSpan[@w:val="4"]')) == 8  # one merged name cell per area
    assert [s.orientation for s in document.sections][-1] == 1  # WD_ORIENT.LANDSCAPE
    last = document.sections[-1]
    assert last.page_width > last.page_height
    footer = document.sections[0].footer._element.xml
    assert 'w:fldCharType="begin"' in footer and " PAGE " in footer


def test_plain_summary_is_tabbed_lines_with_hyphenation_and_numbered_headings(docx_files):
    path = docx_files["word-plain"]
    assert "<w:autoHyphenation/>" in xml_of(path, "word/settings.xml")
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs]
    summary = texts[max(i for i, t in enumerate(texts) if t.startswith("4. Poängsammanställning")):]
    assert "1.1\tHur informeras medborgarna?\t40\t26\t65 %" in summary
    question_lines = [t for t in summary if re.match(r"^[1-8]\.\d\t", t)]
    assert len(question_lines) == sum(len(a.questions) for a in seed_spec().areas)
    assert all(t.count("\t") == 4 for t in question_lines)
    body = document.element.body
    assert all(tbl.getparent() is body for tbl in body.iter(qn("w:tbl")))
    assert len(document.tables) == 3  # seats, Tabell 1, Tabell 2: the score summary has none
    assert "3.1 Offentlighet och demokratisk kontroll" in texts
    assert not any(re.match(r"^Område [1-8] ", t) for t in texts)
    assert any(t == "Medelvärde" for t in (c.text for c in document.tables[1].rows[0].cells))
    assert sum(p.alignment == 3 for p in document.paragraphs) > 100  # justified


def test_plain_has_one_finding_with_a_manual_line_break(docx_files):
    spec = seed_spec()
    (area, (index, offset)), = manual_break(spec).items()
    text = (spec.areas[area - 1].strengths + spec.areas[area - 1].improvements)[index]
    assert text[offset] == " "
    document = Document(str(docx_files["word-plain"]))
    broken = [p for p in document.paragraphs if p._p.findall(f".//{W}br") and p.text.startswith("- ")]
    assert [p.text for p in broken] == [f"- {text[:offset]}\n{text[offset + 1:]}"]


def test_wrap_keeps_every_word_and_fits_the_width():
    text = seed_spec().areas[2].questions[2].text
    lines = fonts.wrap(text, "DejaVu Serif", 9, 200)
    assert " ".join(lines) == text and len(lines) > 1
    assert all(fonts.text_width(line, "DejaVu Serif", 9) <= 200 for line in lines)


def test_missing_soffice_is_a_one_line_error(tmp_path, monkeypatch, docx_files):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SofficeNotFound, match="apt-get install"):
        docx_to_pdf(docx_files["word-plain"], tmp_path)


# --- the committed fixtures --------------------------------------------------------------------------

@pytest.mark.parametrize("layout", list(WORD_LAYOUTS))
def test_committed_fixture_matches_the_spec(layout):
    pdf = fixture_pdf(layout)
    committed = json.loads(pdf.with_name(f"{pdf.stem}.expected.json").read_text(encoding="utf-8"))
    fresh = expected_json(word_spec(seed_spec(), word_layout_named(layout)), pdf)
    fresh["layout"] = layout
    assert committed == fresh
    assert pdf.stat().st_size < 300_000
    assert (layout in PENDING) == (pdf.parent.name == "pending")


def test_classic_fixture_carries_word_internals():
    pdf = fixture_pdf("word-classic")
    pages = page_texts(pdf)
    assert sum(t.count("\uf0b7") for t in pages) == list_items(seed_spec())
    header_pages = [i for i, t in enumerate(pages) if "Kriterium" in t and "Eksjö 2008" in t]
    assert len(header_pages) == 2 and header_pages[1] == header_pages[0] + 1  # Tabell 2 header repeated
    with pdfplumber.open(pdf) as document:
        sizes = [(round(p.width), round(p.height)) for p in document.pages]
    assert sizes[0] == (595, 842) and sizes[-1] == (842, 595)
    assert all(re.search(rf"Kommunkompassen – Fagersta kommun 2009 sida {n}\b", t) for n, t in enumerate(pages, 1))


def test_plain_fixture_is_hyphenated_and_has_no_bullet_glyphs():
    pages = page_texts(fixture_pdf("word-plain"))
    assert sum(t.count("\ufffe") for t in pages) > 100  # line-end hyphens of automatic hyphenation
    assert not any("\uf0b7" in t or "•" in t for t in pages)
    assert any("1.1 Hur informeras medborgarna? 40 26 65 %" in t for t in pages)


# --- a fresh export (LibreOffice) -------------------------------------------------------------------

@needs_soffice
@pytest.mark.parametrize("layout", [name for name in WORD_LAYOUTS if name not in PENDING])
def test_fresh_export_extracts_exactly(layout, tmp_path):
    spec = word_spec(seed_spec(), word_layout_named(layout))
    pdf = render_word(spec, layout, tmp_path / f"{word_fixture_name(layout)}.pdf")
    got = extract_report(pdf).to_json()
    expected = expected_json(spec, pdf)
    assert differences(expected, got) == []
    assert failed_checks(expected, got) == []
