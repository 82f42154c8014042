"""Lines in reading order for words that come without one (OCR): rows, cut into cells at wide gaps,
and a page of two text columns read column by column.

A text layer has its producer's order; Tesseract's words only have positions. Rows are found as for
tables (`words_to_lines`); where one vertical gutter separates two columns of text over most of the
page, the left column is read before the right.
"""
from __future__ import annotations

from extractors.layout import Line, Word, words_to_lines
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings


def _gutter(segments: list[Line], width: float) -> float | None:
    """x of a gutter between two text columns: a strip in the page's middle half that no segment
    crosses, with text on both sides on many rows; None for a one-column page."""
    if len(segments) < 12:
        return None
    best = None
    for step in range(int(width * 0.3), int(width * 0.7), 2):
        x = float(step)
        if any(s.x0 < x < s.x1 for s in segments):
            continue
        left = sum(1 for s in segments if s.x1 <= x)
        right = sum(1 for s in segments if s.x0 >= x)
        if left >= 0.3 * len(segments) and right >= 0.3 * len(segments):
            best = x if best is None or abs(x - width / 2) < abs(best - width / 2) else best
    return best


def level_boxes(rows: list[Line]) -> None:
    """OCR boxes hug each glyph's ink ('Hur' reaches higher than 'om'); a text layer's boxes span the
    font's height. Every word of a row gets the row's top and bottom, so what reads lines by their
    boxes sees OCR'd text as it sees a text layer."""
    for row in rows:
        top, bottom = min(w.top for w in row.words), max(w.bottom for w in row.words)
        for word in row.words:
            word.top, word.bottom = top, bottom


def lines_in_reading_order(words: list[Word], page: int, width: float,
                           settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[Line]:
    rows = words_to_lines(words, page, settings)
    level_boxes(rows)
    segments = [segment for row in rows for segment in row.segments(settings)]
    gutter = _gutter(segments, width)
    if gutter is None:
        return rows
    left = [s for s in segments if s.x1 <= gutter]
    right = [s for s in segments if s.x0 >= gutter]
    spanning = [s for s in segments if s.x0 < gutter < s.x1]
    return sorted(left + spanning, key=lambda s: s.top) + sorted(right, key=lambda s: s.top)


_DASH = {"-", "–", "—"}


def usual_height(words: list[Word]) -> float | None:
    """The height of the words holding letters or digits, at two thirds up their sizes (specks, low, do
    not pull it down); None when there are none."""
    heights = sorted(w.bottom - w.top for w in words if any(ch.isalnum() for ch in w.text))
    return heights[2 * len(heights) // 3] if heights else None


def without_flat_specks(words: list[Word], usual_on_page: float | None,
                        settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[Word]:
    """Letters and digits OCR read into specks left out: a token far lower than the usual word of its
    page (or of its Tesseract line, if set larger), and OCR not sure of it, is ink, not print ('mo' a
    point high between two table cells). Run on Tesseract's own boxes, before a line's words are given one
    height (`level_boxes`)."""
    usual = max((usual_height(words) or 0.0) if len(words) >= 3 else 0.0, usual_on_page or 0.0)
    if not usual:
        return words
    kept = []
    for index, word in enumerate(words):
        maybe_bullet = index == 0 and not any(ch.isdigit() for ch in word.text)  # a bullet OCR read as 'o'
        doubted = (word.conf or 0) < settings.ocr_doubt_confidence and not maybe_bullet
        digits = any(ch.isdigit() for ch in word.text)
        share = max(settings.ocr_doubted_speck_height if doubted else 0.0,
                    settings.ocr_speck_digit_height if digits else settings.ocr_speck_height)
        if any(ch.isalnum() for ch in word.text) and word.bottom - word.top < share * usual \
                and (word.conf or 0) < settings.ocr_speck_sure_confidence:
            continue
        kept.append(word)
    return kept


def without_ocr_noise(words: list[Word], is_word, settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[Word]:
    """Specks OCR read as characters (':', '|', '>', 'd', 'Mi' …) left out: symbols that are not a
    percent sign after a number or a dash between words, and short words OCR doubted that are not
    Swedish (`is_word`). Numbers and real words stay, however unsure."""
    rows = words_to_lines(words, 0, settings)
    kept: list[Word] = []
    for row in rows:
        for index, word in enumerate(row.words):
            text = word.text.strip()
            if any(ch.isalnum() for ch in text):
                letters_only = text.isalpha()
                if letters_only and len(text) <= 3 and (word.conf or 0) < settings.ocr_doubt_confidence \
                        and not is_word(text.casefold()):
                    continue
                kept.append(word)
                continue
            before = row.words[index - 1] if index else None
            after = row.words[index + 1] if index + 1 < len(row.words) else None
            if text == "%" and before is not None and any(ch.isdigit() for ch in before.text):
                kept.append(word)
            elif text == "•":
                kept.append(word)
            elif text in _DASH and after is not None and any(ch.isalpha() for ch in after.text) \
                    and (word.conf or 0) >= settings.ocr_doubt_confidence:
                kept.append(word)  # a dash before a word: in running text, or a list's marker
    return kept
