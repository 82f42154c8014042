"""Issue 24's documents: report-like PDFs whose area table is a ruled table (tests/tables/documents.py),
printed by LibreOffice (from python-docx), Chromium and pdfTeX, each extracting exactly to the values
written beside it: scores, reference and its kind, total, generation, municipality and year.

Each document is first checked to be what it is named for, read by pdfplumber (not by the extractor):
its table as written, labels wrapping to the cell's left edge, merged header cells, a header repeated
over a page break, the areas as columns, rules drawn as filled rectangles or stroked lines. Documents
are built once per session into a temporary folder; a missing producer skips (fails in CI).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from tests.synthetic.checking import number_differences
from tests.tables.builder import TableDocuments
from tests.tables.documents import DOCUMENTS, WORD_LANDSCAPE
from tests.tables.unseen_wording import CANONICAL, G2002, G2010, G2020, UNSEEN_AREA_NAMES, UNSEEN_HEADERS

# What the extractor on main (4a1c1a4) does not read exactly, with the exact difference (strict: a fix
# shows as XPASS and the entry is removed).
KNOWN: dict[str, str] = {}  # documents the extractor reads wrongly today: name → what it reads (xfail strict)


@pytest.fixture(scope="session")
def documents(tmp_path_factory) -> TableDocuments:
    return TableDocuments(tmp_path_factory.mktemp("table-documents"))


def _marked(names):
    return [pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN[name], strict=True)) if name in KNOWN else name
            for name in names]


@pytest.mark.parametrize("name", _marked(DOCUMENTS))
def test_document_extracts_exactly(documents, name):
    expected = DOCUMENTS[name].expected
    got = documents.extract(name)
    assert "error" not in got, got.get("error")
    assert number_differences(expected, got) == []
    assert [c for c in got["checks"] if not c["ok"]] == []
    assert got["questions"] == [] and got["findings"] == []


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_no_stage_fails_on_any_document(documents, name):
    """Issue 24: a stage raising TypeError/AttributeError … is a bug, never a warning (the known failures too)."""
    got = documents.extract(name)
    assert [w for w in got.get("warnings", []) if "could not be read" in w] == []
    if "error" in got:
        assert got["error"].count("\n") == 0 and "Error" not in got["error"]


# --- the documents are what they are named for (read by pdfplumber) -----------------------------------

def _cell(text: str | None) -> str | None:
    """A pdfplumber cell as one line: soft hyphens and line-end hyphens before a lower-case letter mended."""
    if text is None:
        return None
    text = re.sub(r"[\u00ad-]\n(?=[a-zåäö])", "", text.replace("\u00ad\n", ""))
    return " ".join(text.split())


def _plumbed_tables(pdf: Path) -> list[tuple[int, list[list[str | None]]]]:
    """Each page's ruled tables as pdfplumber reads them (a filled background under the whole body, as
    wkhtmltopdf paints it, left out: it would frame the page as one table)."""
    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages[1:]:
            page = page.filter(lambda o: not (o.get("object_type") == "rect" and o["width"] > page.width / 2
                                              and o["height"] > 100))
            found += [(page.page_number, [[_cell(c) for c in row] for row in table]) for table in page.extract_tables()]
    return found


def _written(name: str) -> list[list[str | None]]:
    table = DOCUMENTS[name].table
    return [[None if table.covered(r, c) else value.replace("\u00ad", "") for c, value in enumerate(row)]
            for r, row in enumerate(table.rows)]


def _squeezed(rows):
    """pdfTeX sets no space characters: pdfplumber joins a cell's words; compare without spaces."""
    return [[None if c is None else re.sub(r"\s+", "", c) or None for c in row] for row in rows]


RULED = [n for n, d in DOCUMENTS.items() if d.table.borders and not d.table.horizontal_only]
OVER_BREAK = [n for n, d in DOCUMENTS.items() if d.pages]  # a table split over two pages


@pytest.mark.parametrize("name", [n for n in RULED if n not in OVER_BREAK])
def test_document_holds_its_table_as_written(documents, name):
    tables = _plumbed_tables(documents.pdf(name))
    assert [page for page, _ in tables] == [2], "one table, on the result page"
    got, want = tables[0][1], _written(name)
    if DOCUMENTS[name].producer == "latex":
        got, want = _squeezed(got), _squeezed(want)
        want[1][0] = None  # 'Område' over both header rows: no rule between them
    assert got == want


@pytest.mark.parametrize("name", OVER_BREAK)
def test_table_goes_on_over_the_page_break_with_or_without_its_header(documents, name):
    tables = _plumbed_tables(documents.pdf(name))
    written = _written(name)
    assert [page for page, _ in tables] == [2, 3]
    (_, first), (_, second) = tables
    assert first[0] == written[0]
    if name == "word-total-row-overleaf-2010":
        assert len(first) == 9 and second[-1][0] == "Totalt", "the break falls before the total row"
    else:
        assert 2 <= len(first) - 1 <= 7, "the break falls between two area rows"
    if DOCUMENTS[name].table.repeat_header:
        assert second[0] == written[0] and first + second[1:] == written
    else:
        assert second[0] != written[0] and first + second == written
    with pdfplumber.open(documents.pdf(name)) as document:
        assert len(document.pages) == DOCUMENTS[name].pages


def _label_lines(pdf: Path, page: int, first: str, then: str) -> tuple[float, float, float]:
    """(x0 of the label's first word, x0 of the word after `first`, x0 of the word `then` further on)."""
    with pdfplumber.open(pdf) as document:
        words = document.pages[page - 1].extract_words()
    tokens = first.split()
    index = next(i for i in range(len(words)) if [w["text"] for w in words[i:i + len(tokens)]] == tokens)
    continuation = next(w for w in words[index:] if w["text"] == then)
    return words[index]["x0"], words[index + len(tokens)]["x0"], continuation["x0"]


@pytest.mark.parametrize(("name", "first", "then"), [
    ("word-wrapped-labels-2010", "1. Offentlighet", "demokrati"),
    ("word-header-repeated-over-break-2020", "1) Samspel", "förtroendevalda"),
    ("word-unseen-wording-2010", "6. Kommunen", "(personalpolitik)"),
    ("chromium-thin-rect-rules-2002", "Område 3", "samspelet"),
    ("wkhtmltopdf-rect-rules-2020", "1.", "förtroendevalda"),
    ("word-banded-rows-2010", "1.", "demokrati"),
    ("word-unruled-2010", "1.", "demokrati"),
    ("word-horizontal-rules-only-2020", "1.", "förtroendevalda"),
    ("latex-booktabs-2020", "1.", "förtroendevalda"),
    ("chromium-unruled-2002", "1.", "demokratisk"),
])
def test_wrapped_label_returns_to_the_cell_edge(documents, name, first, then):
    number, title, continuation = _label_lines(documents.pdf(name), 2, first, then)
    assert abs(continuation - number) < 1.0  # back at the cell's left edge …
    assert title - continuation > 8.0  # … further left than the title after the number


def test_merged_header_cells_span_their_columns(documents):
    header = {name: _plumbed_tables(documents.pdf(name))[0][1][:2] for name in
              ("word-merged-year-header-2002", "word-merged-year-header-2020", "chromium-thin-rect-rules-2002",
               "latex-hline-rules-2010")}
    assert header["word-merged-year-header-2002"] == [["Område", "Kommunens poäng", None, "Medelvärde"],
                                                      [None, "2005", "2008", None]]
    assert header["word-merged-year-header-2020"] == [["Område", "Kommunens poäng", None, "Median"],
                                                      [None, "2016", "2020", None]]
    assert _plumbed_tables(documents.pdf("word-comparison-group-header-2010"))[0][1][:2] == [
        ["Område", "Lund 2019", "Jämförelse med andra kommuner", None, "Median"],
        [None, None, "Eslöv 2018", "Kävlinge 2017", None]]
    assert header["chromium-thin-rect-rules-2002"] == [["Område", "Resultat", None],
                                                       [None, "Härnösand 2007", "Median"]]
    assert _squeezed(header["latex-hline-rules-2010"]) == [["Område", "Resultat", None],
                                                           [None, "Umeå2016", "Genomsnitt"]]


def test_areas_as_columns_documents_are_landscape_with_areas_heading_the_columns(documents):
    for name in [n for n, d in DOCUMENTS.items() if d.producer == WORD_LANDSCAPE or d.landscape]:
        with pdfplumber.open(documents.pdf(name)) as document:
            page = document.pages[1]
            assert page.width > page.height
        header = _plumbed_tables(documents.pdf(name))[0][1][0]
        if name == "chromium-areas-as-columns-grouped-2002":  # 'Område' merged over the numbered columns
            assert header == ["Kommun", "Område"] + [None] * 7 + ["Totalt"]
            header = _plumbed_tables(documents.pdf(name))[0][1][1]
            assert header[1:9] == [str(a) for a in range(1, 9)]
            continue
        assert header[1:9] == _written(name)[0][1:9]
        assert header[1:9] == [f"Område {a}" for a in range(1, 9)] or \
            any(header[1:9] == list(CANONICAL[g]) for g in (G2002, G2010, G2020))


def _rule_kinds(pdf: Path) -> tuple[int, int]:
    """(stroked lines, thin filled rectangles under 1.5 pt across) on the result page."""
    with pdfplumber.open(pdf) as document:
        page = document.pages[1]
        thin = [r for r in page.rects if r["fill"] and not r["stroke"] and min(r["width"], r["height"]) < 1.5]
        return len(page.lines), len(thin)


@pytest.mark.parametrize("name", ["chromium-thin-rect-rules-2002", "wkhtmltopdf-rect-rules-2020",
                                  "chromium-areas-as-columns-grouped-2002"])
def test_browsers_draw_every_rule_as_a_thin_filled_rectangle(documents, name):
    lines, thin = _rule_kinds(documents.pdf(name))
    assert lines == 0 and thin >= 40


@pytest.mark.parametrize("name", ["word-wrapped-labels-2010", "latex-hline-rules-2010", "weasyprint-rect-rules-2020"])
def test_word_pdftex_and_weasyprint_draw_rules_as_stroked_lines(documents, name):
    """pdfTeX (TeX Live 2022 and later) strokes \\hline and '|' as zero-width lines, no filled rules."""
    lines, thin = _rule_kinds(documents.pdf(name))
    assert lines >= 12 and thin == 0


def test_horizontal_rules_only_and_a_double_rule_under_the_header(documents):
    with pdfplumber.open(documents.pdf("word-horizontal-rules-only-2020")) as document:
        lines = document.pages[1].lines
        assert len(lines) >= 11 and all(line["height"] == 0 for line in lines)  # no vertical rule
    with pdfplumber.open(documents.pdf("word-areas-as-columns-years-2010")) as document:
        page = document.pages[1]
        first_value = next(w for w in page.extract_words() if w["text"] == "2012")
        under_header = sorted({round(line["top"], 1) for line in page.lines if line["height"] == 0
                               and first_value["top"] - 6 < line["top"] < first_value["top"] + 2})
        assert len(under_header) == 2 and under_header[1] - under_header[0] < 3.0  # two thin rules


def test_booktabs_rules_are_horizontal_only_and_the_browser_table_has_none(documents):
    with pdfplumber.open(documents.pdf("latex-booktabs-2020")) as document:
        lines = document.pages[1].lines
        assert len(lines) == 3 and all(line["height"] == 0 for line in lines)  # top, mid, bottom rule
    with pdfplumber.open(documents.pdf("chromium-unruled-2002")) as document:
        assert document.pages[1].lines == [] and document.pages[1].rects == []


def test_banded_and_unruled_tables_have_no_rules_but_the_bands(documents):
    with pdfplumber.open(documents.pdf("word-banded-rows-2010")) as document:
        page = document.pages[1]
        assert page.lines == [] and len({round(r["top"]) for r in page.rects}) == 5  # five shaded rows
        assert all(r["fill"] and r["height"] > 10 for r in page.rects)
    with pdfplumber.open(documents.pdf("word-unruled-2010")) as document:
        assert document.pages[1].lines == document.pages[1].rects == []


@pytest.mark.parametrize("generation", [G2002, G2010, G2020])
def test_unseen_wording_documents_print_the_test_side_names(documents, generation):
    name = f"word-unseen-wording-{generation[:4]}"
    labels = [row[0] for row in _plumbed_tables(documents.pdf(name))[0][1][1:9]]
    assert labels == [f"{a}. {title}" for a, title in enumerate(UNSEEN_AREA_NAMES[generation], 1)]


def test_unseen_wording_is_not_in_the_vocabulary():
    """The names the tests call unseen are kept on the test side and are no name or variant of vocabulary.yml."""
    import yaml

    path = Path(__file__).parents[1] / "extractors" / "data" / "vocabulary.yml"
    vocabulary = yaml.safe_load(path.read_text(encoding="utf-8"))
    known = {name.casefold() for generation in vocabulary["generations"] for area in generation["areas"]
             for name in [area["name"], *area["variants"]]}
    for names in UNSEEN_AREA_NAMES.values():
        assert not {name.casefold() for name in names} & known
    phrases = [*vocabulary["area_table"]["score_headers"], *vocabulary["area_table"]["max_headers"],
               *vocabulary["change_labels"], *(w for group in vocabulary["reference_labels"] for w in group["words"])]
    phrases = {phrase.casefold() for phrase in phrases}
    assert not {" ".join(header.split()).casefold() for header, _, _ in UNSEEN_HEADERS} & phrases
    canonical = {g["id"]: tuple(a["name"] for a in g["areas"]) for g in vocabulary["generations"]}
    assert canonical == CANONICAL  # the test side's names are the frameworks' own


# --- through the command line ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["word-merged-year-header-2002"])  # one: the rest run in process (time)
def test_cli_extract_json_gives_the_expected_values(documents, name):
    kompass = shutil.which("kompass", path=str(Path(sys.executable).parent)) or shutil.which("kompass")
    assert kompass, "kompass is not on PATH (make install)"
    result = subprocess.run([kompass, "extract", str(documents.pdf(name)), "--format", "json"], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-500:]
    got = json.loads(result.stdout)
    assert number_differences(DOCUMENTS[name].expected, got) == []
    assert all(check["ok"] for check in got["checks"])


# --- the two real external examples of the kind (read from ../shared when it is there) ---------------

def _shared_external() -> Path | None:
    root = Path(__file__).resolve().parents[1]
    for candidate in [parent / "shared" for parent in list(root.parents)[:3]]:
        if (candidate / "external" / "MANIFEST.tsv").is_file():
            return candidate / "external"
    return None


@pytest.mark.parametrize("name", ["orebro-2012", "vallentuna-2021"])
def test_external_ruled_word_tables_extract_exactly(name):
    """The two documents made outside the project that issue 24 names; the project never needs them to run."""
    from extractors.report import extract_report

    folder = _shared_external()
    if folder is None:
        pytest.skip("../shared/external is not on this machine (the external documents are no part of the project)")
    expected = json.loads((folder / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = extract_report(folder / f"{name}.pdf", ocr="never").to_json()
    assert number_differences(expected, got) == []
    assert [c for c in got["checks"] if not c["ok"]] == []


# --- a missing producer: skipped with the package named, failed in CI ----------------------------------

@pytest.mark.parametrize(("ci", "outcome"), [(None, pytest.skip.Exception), ("true", pytest.fail.Exception)])
def test_a_missing_producer_skips_naming_its_package_and_fails_in_ci(tmp_path, monkeypatch, ci, outcome):
    from tests.synthetic.producers import tools

    monkeypatch.setattr(tools.shutil, "which", lambda name, *args, **kwargs: None)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    documents = TableDocuments(tmp_path)
    with pytest.raises(outcome, match="apt-get install chromium"):
        documents.pdf("chromium-thin-rect-rules-2002")
    with pytest.raises(outcome, match="apt-get install libreoffice-writer-nogui"):
        documents.pdf("word-wrapped-labels-2010")
    assert list(tmp_path.iterdir()) == []


# --- a whole 2020– report made the same way (issue 24: "loses all eight reference values") --------------

@pytest.mark.slow
def test_full_2020_word_report_with_numbered_labels_wrapping_to_the_cell_edge(tmp_path):
    """The synthetic corpus's report 5 (Höganäs 2020: Tabell 1 with Sverigesnitt, Tabell 2, the score summary,
    findings) in the ruled Word layout, its Tabell 1 labels numbered '1. …' so the first wraps back to the
    cell's left edge: every number exact, every finding item-exact."""
    from tests.synthetic.checking import finding_score
    from tests.synthetic.producers.tools import has_tool
    from tests.synthetic.spec import expected_json
    from tests.synthetic.synth import synthetic_spec
    from tests.synthetic.word.fixtures import render_word
    from tests.tables.builder import require
    from extractors.report import extract_report

    if not has_tool("soffice"):
        require("soffice is not installed: apt-get install libreoffice-writer-nogui")
    spec = synthetic_spec(5, 0, wording="seed")
    assert (spec.framework, spec.kommun, spec.year) == ("2020-", "Höganäs", 2020)
    for area in spec.areas:
        area.table_name = f"{area.number}. {area.name}"
    pdf = render_word(spec, "word-classic", tmp_path / "hoganas-2020.pdf")
    with pdfplumber.open(pdf) as document:
        page = next(p for p in document.pages if "Tabell 1" in (p.extract_text() or ""))
        words = page.extract_words()
    first = next(i for i, w in enumerate(words) if w["text"] == "1." and words[i + 1]["text"] == "Samspel")
    after = next(w for w in words[first:] if w["text"] == "medborgare")
    assert abs(after["x0"] - words[first]["x0"]) < 1.0  # wrapped back to the cell's left edge
    expected = expected_json(spec, pdf)
    got = extract_report(pdf, ocr="never").to_json()
    assert number_differences(expected, got) == []
    score = finding_score(expected, got)
    assert (score.exact, score.unexpected) == (score.expected, 0)
    assert [c for c in got["checks"] if not c["ok"]] == []
