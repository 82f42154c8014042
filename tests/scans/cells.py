"""Where the bundled report prints each number of its tables (from its text layer), and what OCR read there.

`table_cells` names every score-table number of the bundled report by its field — the keys
`extractors.arithmetic` uses — with its box. `ocr_extract` builds the extract OCR would give: each
field's value parsed from the OCR words at that box, with its `Reading`. So OCR and the arithmetic
check are tested together, by position, before and apart from the extractor that will feed them.
"""
from __future__ import annotations

import copy
import re

from extractors.arithmetic import Reading
from extractors.ocr.confusion import value_of
from extractors.ocr.words import OcrPage
from extractors.records import ReportExtract
from tests.scans import BUNDLED, TruthWord, text_words
from tests.scans.compare import is_number, overlapping

AREA_TABLE_PAGE, COMPARISON_PAGES, SUMMARY_PAGES = 3, (3, 4), (26, 27)  # 0-based
QUESTION_ID = re.compile(r"^[1-8]\.\d{1,2}$")


def _rows(words: list[TruthWord]) -> list[list[TruthWord]]:
    rows: list[list[TruthWord]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if rows and abs(rows[-1][0].top - word.top) < 3:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def table_cells(report: ReportExtract) -> dict[tuple, TruthWord]:
    """Field key → the text layer's word holding it, for `report` (the bundled report's true extract)."""
    cells: dict[tuple, TruthWord] = {}
    page4 = text_words(BUNDLED, [AREA_TABLE_PAGE])
    area_rows = [row for row in _rows([w for w in page4 if 360 < w.top < 520])
                 if any(is_number(w.text) for w in row)]
    for number, row in enumerate(area_rows, start=1):
        values = [w for w in row if is_number(w.text)]
        if number <= 8:
            cells[("area", number, "score")], cells[("area", number, "reference")] = values[-2], values[-1]
        else:
            cells[("total",)] = values[-2]
    columns = list(dict.fromkeys((c.kommun, c.year) for c in report.comparisons))
    for index in COMPARISON_PAGES:
        for row in _rows(text_words(BUNDLED, [index])):
            if row[0].text in "12345678" and len(row) == 7 and row[0].x0 < 80:
                for (kommun, year), word in zip(columns, row[2:]):
                    cells[("comparison", kommun, year, int(row[0].text))] = word
    for index in SUMMARY_PAGES:
        for row in _rows(text_words(BUNDLED, [index])):
            for position, word in enumerate(row):
                if not QUESTION_ID.match(word.text):
                    continue
                rest = row[position + 1:]
                end = next((i for i, w in enumerate(rest) if QUESTION_ID.match(w.text)), len(rest))
                numbers = [w for w in rest[:end] if is_number(w.text)]
                if len(numbers) >= 3:
                    for column, cell in zip(("max_points", "points", "percent"), numbers[-3:]):
                        cells[("question", word.text, column)] = cell
    return cells


def ocr_extract(truth: ReportExtract, cells: dict[tuple, TruthWord], pages: list[OcrPage]) -> tuple[ReportExtract, dict]:
    """`truth` with every cell's value replaced by what OCR read there (None if nothing numeric)."""
    by_page = {page.page: page for page in pages}
    report = copy.deepcopy(truth)
    found: dict[tuple, Reading] = {}
    values: dict[tuple, float | None] = {}
    for key, cell in cells.items():
        page = by_page.get(cell.page)
        if page is None:
            continue
        words = overlapping(cell, page.words)
        text = "".join(w.text for w in words)
        confidence = min((w.confidence for w in words), default=0.0)
        alternatives = words[0].alternatives if len(words) == 1 else ()
        found[key] = Reading(text, confidence, alternatives, page=cell.page)
        values[key] = value_of(text)
    for q in report.questions:
        for column in ("max_points", "points", "percent"):
            if ("question", q.question, column) in values:
                setattr(q, column, values[("question", q.question, column)])
    for area in report.areas:
        area.score = values.get(("area", area.area, "score"), area.score)
        area.median = values.get(("area", area.area, "reference"), area.median)
    report.total = values.get(("total",), report.total)
    for c in report.comparisons:
        c.score = values.get(("comparison", c.kommun, c.year, c.area), c.score)
    return report, found
