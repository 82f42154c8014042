"""Every threshold of extraction in one validated dataclass, with its default and what it means.

Like pdfplumber's `TableSettings`: `ExtractionSettings()` gives the defaults; `ExtractionSettings(**changes)`
checks each value. Distances are in PDF points unless named `*_em` (a multiple of the line's text height).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields


def _setting(default: float, description: str, low: float = 0.0, high: float | None = None):
    return field(default=default, metadata={"description": description, "low": low, "high": high})


@dataclass(frozen=True)
class ExtractionSettings:
    # Reading words and lines
    line_overlap: float = _setting(0.5, "share of the smaller word's height two words must share vertically "
                                        "to stand on one line", 0.05, 1.0)
    wide_word_em: float = _setting(0.95, "a word wider than this many text heights per character is re-read "
                                         "character by character (two cells run together)", 0.3)
    touching_em: float = _setting(0.08, "two words closer than this (in text heights) touch: one word a producer "
                                        "set glyph by glyph", 0.0, 0.5)
    char_gap_em: float = _setting(0.3, "a gap wider than this between two characters splits a word", 0.05)
    segment_gap_em: float = _setting(2.0, "a horizontal gap wider than this splits a line into two cells or "
                                          "columns", 0.5)
    # Drawn list markers (bullets as shapes)
    marker_min_size: float = _setting(1.2, "smallest side of a drawn bullet", 0.1)
    marker_max_em: float = _setting(0.9, "largest side of a drawn bullet, in text heights", 0.1)
    marker_reach_em: float = _setting(3.0, "how far left of a line's first word a drawn bullet may stand", 0.2)
    # Running headers and footers
    running_min_share: float = _setting(0.4, "share of pages a line must recur on (same words, digits folded, "
                                             "same height on the page) to be a running header or footer", 0.0, 1.0)
    running_min_pages: float = _setting(3, "fewest pages a running header or footer must recur on", 2)
    running_y_tolerance: float = _setting(6.0, "how far a running line's height on the page may vary", 0.0)
    running_ocr_similarity: float = _setting(0.9, "how alike an OCR'd margin line must be to a running header or "
                                                  "footer to be one (difflib ratio)", 0.5, 1.0)
    margin_share: float = _setting(0.13, "top and bottom share of the page where headers, footers and page "
                                         "numbers stand", 0.0, 0.5)
    # Text-layer quality
    min_known_share: float = _setting(0.3, "share of a page's words that must be known Swedish words for its "
                                           "text layer to count as readable", 0.0, 1.0)
    min_words_to_judge: float = _setting(12, "a page with fewer words is judged by its characters only", 1)
    short_page_words: float = _setting(60, "a page with fewer words (a title page, a one-page summary) is held to "
                                           "half the known-word share: names and headings are never condemned "
                                           "for being few", 1)
    min_other_language_share: float = _setting(0.2, "share of a page's words that are common words of one other "
                                                    "language (English, Norwegian, Danish, Finnish, German) for its "
                                                    "text layer to count as readable text in that language (never "
                                                    "OCR'd)", 0.0, 1.0)
    min_letters_for_swedish: float = _setting(400, "a page with this many letters must hold some å, ä or ö (about "
                                                   "one letter in 25 in Swedish) to count as readable", 50)
    max_unmapped_share: float = _setting(0.2, "share of characters without a Unicode mapping above which a page "
                                              "is unreadable", 0.0, 1.0)
    ocr_doubt_confidence: float = _setting(50.0, "OCR confidence (0–100) below which a short non-word or a stray "
                                                 "dash is taken for a speck, not text", 0.0, 100.0)
    ocr_speck_height: float = _setting(0.3, "an OCR'd word whose box is less than this share of the usual word "
                                            "height on its page is a speck (ink, not print)", 0.0, 1.0)
    ocr_speck_digit_height: float = _setting(0.45, "the same share for a token with digits (digits stand as high "
                                                   "as capitals)", 0.0, 1.0)
    ocr_speck_sure_confidence: float = _setting(85.0, "a low token OCR is at least this sure of is kept (its box "
                                                      "may be cut short on a small font)", 0.0, 100.0)
    ocr_doubted_speck_height: float = _setting(0.5, "the same share for a token OCR doubted (below "
                                                    "ocr_doubt_confidence)", 0.0, 1.0)
    ocr_correct_confidence: float = _setting(93.0, "an OCR'd word below this confidence that is no Swedish word is "
                                                   "mended when one dictionary word is one or two OCR confusions "
                                                   "away", 0.0, 100.0)
    # Recognising area names and headings
    area_name_similarity: float = _setting(0.82, "similarity (0–1) a label needs to an area name of the vocabulary "
                                                 "to count as that area", 0.5, 1.0)
    area_name_weak_similarity: float = _setting(0.6, "similarity (0–1) enough for a label between two well-named "
                                                      "areas of a table, if it is most like its own area", 0.5, 1.0)
    area_name_weak_links: float = _setting(2, "loosely named areas a table of area names may have (never two in "
                                              "a row, never the first or last)", 0, 6)
    heading_similarity: float = _setting(0.82, "similarity (0–1) a heading's title needs to an area name", 0.5, 1.0)
    area_title_similarity: float = _setting(0.88, "similarity (0–1) an unnumbered row of the score summary needs to "
                                                  "an area name to start that area", 0.5, 1.0)
    # Ruled tables (the `lines` strategy: the page's rules → cells)
    rule_snap_tolerance: float = _setting(3.0, "parallel rules closer than this are one rule (a thin rectangle's two "
                                               "edges; cell borders drawn twice)", 0.0, 20.0)
    rule_join_tolerance: float = _setting(3.0, "collinear rules with a gap up to this are joined into one", 0.0, 20.0)
    rule_min_length: float = _setting(3.0, "shorter rules are no cell border", 0.0)
    rule_intersection_tolerance: float = _setting(3.0, "how far a rule may stop short of another and still meet it",
                                                  0.0, 20.0)
    # Area tables found by their rows
    label_max_lines: float = _setting(4, "an area name in a table wraps over at most this many lines", 1)
    label_line_gap_em: float = _setting(2.5, "largest gap between two lines of one area name, in text heights", 0.0)
    area_row_gap_em: float = _setting(4.0, "largest gap between one area's label and the next area's, in text "
                                           "heights", 0.0)
    column_align_tolerance: float = _setting(8.0, "how far the left edges or centres of one table column's labels "
                                                  "may differ", 0.0)
    cell_cluster_tolerance: float = _setting(6.0, "how close number cells must stand to form one column", 0.0)
    header_max_rows: float = _setting(5, "rows above a table's first area row that may hold its column headers", 0)
    header_max_distance: float = _setting(80.0, "how far above the first area row a header row may stand", 0.0)
    summary_break_em: float = _setting(3.5, "a gap of this many text heights ends a column of the score summary", 0.5)
    # Lists of findings
    indent_tolerance: float = _setting(3.5, "how far two left edges may differ and still count as one indent", 0.5)
    full_line_share: float = _setting(0.12, "a line ending within this share of its column's width from the right "
                                            "edge is full (the text wrapped)", 0.0, 0.5)
    paragraph_gap_factor: float = _setting(1.8, "in a list without bullets, a gap this many times the list's line gap "
                                                "starts a new item", 1.0)
    hanging_indent_max: float = _setting(60.0, "largest indent of an item's continuation lines under a hanging "
                                               "indent", 3.0)
    cell_gap_em: float = _setting(1.0, "a gap wider than this many text heights before a word starts a table cell "
                                       "(where a drawn bullet may stand)", 0.2)

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            low, high = item.metadata["low"], item.metadata["high"]
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"{item.name} must be a number, got {value!r}")
            if value < low or (high is not None and value > high):
                bounds = f"≥ {low}" + (f" and ≤ {high}" if high is not None else "")
                raise ValueError(f"{item.name} must be {bounds} ({item.metadata['description']}); got {value!r}")

    @classmethod
    def describe(cls) -> list[tuple[str, float, str]]:
        """(name, default, description) of every setting, for documentation and `--help`."""
        return [(f.name, f.default, f.metadata["description"]) for f in fields(cls)]


DEFAULT_SETTINGS = ExtractionSettings()
