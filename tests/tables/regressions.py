"""Named regression fixtures from the table documents (registered in tests/regressions/registry.py): ruled
word-processor tables whose area labels wrap back to the cell's left edge, one per framework generation.

`python -m tests.regressions.build KIND` writes tests/regressions/<kind>.pdf and .expected.json; the
committed PDFs are what the tests read, so the project never needs ../shared/external at run time.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pdfplumber

from tests.regressions.kinds import _require
from tests.tables.documents import DOCUMENTS
from tests.tables.render import render_one


def _source(pdf: Path) -> dict:
    with pdfplumber.open(pdf) as document:
        pages = len(document.pages)
    return {"sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(), "pages": pages, "filename": pdf.name}


def _wraps_to_cell_edge(pdf: Path, number: str, continuation: str) -> bool:
    """On the result page, the label's continuation line starts where its number does, left of its first word."""
    with pdfplumber.open(pdf) as document:
        words = document.pages[1].extract_words()
    first = next(i for i, w in enumerate(words) if w["text"] == number)
    after = next(w for w in words[first:] if w["text"] == continuation)
    return abs(after["x0"] - words[first]["x0"]) < 1.0 and words[first + 1]["x0"] - after["x0"] > 8.0


def _header_rows(pdf: Path) -> list[list[list[str | None]]]:
    """The first two rows of each ruled table after the title page, as pdfplumber reads them."""
    with pdfplumber.open(pdf) as document:
        return [[[None if c is None else " ".join(c.split()) for c in row] for row in table[:2]]
                for page in document.pages[1:] for table in page.extract_tables()]


def _wrapped(number: str, continuation: str):
    return lambda pdf: _wraps_to_cell_edge(pdf, number, continuation)


def _merged_years(pdf: Path) -> bool:
    return _header_rows(pdf) == [[["Område", "Kommunens poäng", None, "Medelvärde"], [None, "2005", "2008", None]]] \
        and _wraps_to_cell_edge(pdf, "Offentlighet", "kontroll")


def _over_break(pdf: Path) -> bool:
    tables = _header_rows(pdf)
    return len(tables) == 2 and tables[0][0] == tables[1][0] == ["Område", "Lerum 2022", "Sverigesnitt",
                                                                 "Förändring sedan 2018"] \
        and _wraps_to_cell_edge(pdf, "1)", "förtroendevalda")


def _fixture(document: str, shows, what_it_shows: str):
    doc = DOCUMENTS[document]

    def build(pdf: Path) -> dict:
        render_one(doc, pdf)
        _require(shows(pdf), f"{pdf.name}: {what_it_shows} not shown")
        with pdfplumber.open(pdf) as printed:
            _require(sum(len(p.lines) for p in printed.pages) >= 12, f"{pdf.name}: the table is not ruled")
        return {"source": _source(pdf), "producer": "python-docx+libreoffice", "document": doc.name} | doc.expected

    build.__doc__ = doc.what
    return build


KINDS = {
    "word-ruled-wrapped-labels": _fixture("word-wrapped-labels-2010", _wrapped("1.", "demokrati"),
                                          "a label wrapping back to the cell's left edge"),
    "word-ruled-merged-year-header": _fixture("word-merged-year-header-2002", _merged_years,
                                              "'Kommunens poäng' merged over '2005' / '2008'"),
    "word-ruled-header-over-page-break": _fixture("word-header-repeated-over-break-2020", _over_break,
                                                  "the header row repeated on the next page"),
}
