"""Table cells Tesseract's page pass left out, found by the columns of the numbers it did read
(pure geometry; test_ocr_extraction runs it on scans)."""
from __future__ import annotations

from extractors.ocr.cells import Box, columns_of, missing_cells
from extractors.ocr.tesseract import is_numberlike

ROW_HEIGHT = 40


def _table(rows: list[list[str | None]], left_text: str = "Hur informeras medborgarna?") -> list:
    """Words of a score-summary-like table in pixels: an id, a question, then max, points and percent
    columns (None: a cell the page pass did not read)."""
    words = []
    for number, cells in enumerate(rows):
        top = 100 + number * ROW_HEIGHT
        words.append((f"1.{number + 1}", Box(100, top, 140, top + 24), 96.0))
        words.append((left_text, Box(180, top, 900, top + 24), 95.0))
        for text, x in zip(cells, (1300, 1450, 1600)):
            if text is not None:
                words.append((text, Box(x, top, x + 15 * len(text), top + 24), 96.0))
    return words


def test_numbers_make_columns_only_where_enough_rows_have_one():
    boxes = [Box(1300, 100 + 40 * n, 1330, 124 + 40 * n) for n in range(5)] + [Box(2000, 100, 2030, 124)]
    assert columns_of(boxes) == [(1300, 1330)]


def test_a_cell_left_out_beside_a_read_number_of_its_row_is_found():
    rows = [["40", "26", "65%"], ["20", "16", "80%"], [None, "16", "80%"], ["30", "22,5", "75%"], ["20", "9", "45%"]]
    cells = missing_cells(_table(rows), is_numberlike)
    assert len(cells) == 1
    (cell,) = cells
    assert cell.left < 1300 < cell.right and cell.top < 100 + 2 * ROW_HEIGHT + 12 < cell.bottom


def test_no_cell_is_looked_for_across_text_over_a_word_already_there_or_on_a_page_without_a_table():
    rows = [["40", "26", "65%"], ["20", "16", "80%"], [None, "16", "80%"], ["30", "22,5", "75%"], ["20", "9", "45%"]]
    words = _table(rows)
    speck = ("—", Box(1305, 100 + 2 * ROW_HEIGHT, 1320, 110 + 2 * ROW_HEIGHT), 3.0)  # something read there
    assert missing_cells(words + [speck], is_numberlike) == []
    # the ids' column stands beside the question text, not beside the max column: no cell between them
    assert all(cell.left >= 1200 for cell in missing_cells(words, is_numberlike))
    prose = [("2009", Box(100 + 300 * n, 100, 180 + 300 * n, 124), 96.0) for n in range(5)]
    assert missing_cells(prose, is_numberlike) == []


def test_a_number_two_sure_readings_agree_on_is_sure_whatever_one_unsure_reading_says():
    from extractors.ocr.tesseract import DISAGREEING_CONFIDENCE, PixelWord, _choose

    def word(text: str, confidence: float) -> PixelWord:
        return PixelWord(text, 0, 0, 40, 20, confidence)

    outvoted = _choose(word("57,5", 95.8), [word("57,5", 96.4), word("57,9", 67.1)])
    assert (outvoted.text, outvoted.confidence) == ("57,5", 96.4) and "57,9" in outvoted.alternatives
    disputed = _choose(word("57,5", 95.8), [word("57,5", 96.4), word("57,9", 90.0)])  # a sure dissent
    assert disputed.confidence == DISAGREEING_CONFIDENCE
    alone = _choose(word("57,9", 95.0), [word("57,5", 96.4), word("57,5", 60.0)])  # agreement, but unsure
    assert alone.confidence == DISAGREEING_CONFIDENCE
