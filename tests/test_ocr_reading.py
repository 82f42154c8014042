"""How OCR'd words become lines a report is read from: bullets, specks, dictionary mends, question ids.
Pure functions on made-up words (Tesseract itself is exercised in test_ocr and test_ocr_extraction)."""
from __future__ import annotations

from extractors.layout import Line, Word
from extractors.markers import mark_ocr_bullets
from extractors.ocr_correction import correct_line
from extractors.reading_order import level_boxes, without_ocr_noise
from extractors.score_summary import mend_ocr_ids

WORDS = {"organisationen", "inlämnade", "enligt", "för", "hela", "i", "och", "sök", "metod", "att", "goda", "ett"}


def is_word(text: str) -> bool:
    return text in WORDS


def _line(*cells: tuple[str, float, float], top: float = 100.0, height: float = 10.0) -> Line:
    return Line(1, [Word(text, x, x + 6 * len(text), top, top + height, conf=conf) for text, x, conf in cells])


def test_a_bullet_ocr_read_as_a_letter_a_digit_or_a_quote_becomes_a_bullet():
    lines = [_line(("e", 71, 45), ("Aktivt", 90, 96)), _line(("6", 63, 7), ("”Tjänstegarantier”", 90, 80)),
             _line(("«Regelbundna", 71, 30), ("brukarundersökningar", 160, 92)),
             _line(("i", 71, 97), ("Fagersta", 80, 97))]  # a real word 'i' opening a sentence is no bullet
    mark_ocr_bullets(lines)
    assert [line.words[0].text for line in lines] == ["•", "•", "•", "i"]
    assert lines[2].words[1].text == "Regelbundna"


def test_specks_go_and_words_numbers_and_dashes_between_words_stay():
    line = _line(("|", 40, 50), ("Kontroll", 71, 96), ("–", 130, 90), ("och", 140, 97), ("Mi", 200, 2),
                 ("40", 300, 97), ("%", 313, 60), (":", 330, 88), ("sök", 350, 45))
    kept = [w.text for w in without_ocr_noise(line.words, is_word)]
    assert kept == ["Kontroll", "–", "och", "40", "%", "sök"]


def test_a_doubted_misreading_is_mended_only_when_one_dictionary_word_fits():
    words, notes = correct_line(_line(("orgänisationen", 10, 60), ("inläninade", 120, 70), ("enl", 200, 60),
                                      ("igt", 230, 60), ("Fagerstaborna", 260, 60), ("goda", 360, 99)).words,
                                is_word, 93.0)
    assert [w.text for w in words] == ["organisationen", "inlämnade", "enligt", "Fagerstaborna", "goda"]
    assert len(notes) == 3
    sure, _ = correct_line(_line(("orgänisationen", 10, 99)).words, is_word, 93.0)
    assert sure[0].text == "orgänisationen"  # OCR was sure: left as read


def test_boxes_of_one_line_are_levelled():
    line = _line(("Hur", 10, 96), ("om", 40, 96))
    line.words[1].top, line.words[1].bottom = 103.0, 108.0
    level_boxes([line])
    assert {(w.top, w.bottom) for w in line.words} == {(100.0, 110.0)}


def _summary_row(top: float, first: str, conf: float | None = 40.0) -> Line:
    words = [Word(first, 72, 72 + 6 * len(first), top, top + 9, conf=conf),
             Word("Hur", 97, 115, top, top + 9, conf=96.0)]
    words += [Word(text, x, x + 12, top, top + 9, conf=96.0) for text, x in (("20", 329), ("9", 367), ("45%", 403))]
    return Line(28, words)


def test_misread_question_ids_are_counted_from_the_area_header_and_their_own_digits():
    header = Line(28, [Word("7", 72, 78, 60, 69, conf=97.0), Word("Verksamhetsutveckling", 97, 200, 60, 69, conf=90.0)])
    lines = [header, _summary_row(80, "ve"), _summary_row(95, "92"), _summary_row(110, "73."),
             _summary_row(125, "7.4", 91.0), _summary_row(140, "75")]
    notes = mend_ocr_ids(lines, 28)
    assert [line.words[0].text for line in lines[1:]] == ["7.1", "7.2", "7.3", "7.4", "7.5"]
    assert len(notes) == 4 and all("page 28: question id read" in note for note in notes)


def test_an_id_run_its_own_digits_contradict_is_left_alone():
    header = Line(28, [Word("7", 72, 78, 60, 69, conf=97.0), Word("Verksamhetsutveckling", 97, 200, 60, 69, conf=90.0)])
    lines = [header, _summary_row(80, "Ry"), _summary_row(95, "74"), _summary_row(110, "7.4", 91.0)]
    assert mend_ocr_ids(lines, 28) == []  # 'Ry', '74' cannot be 7.1, 7.2 before a 7.4: nothing is guessed
    assert [line.words[0].text for line in lines[1:]] == ["Ry", "74", "7.4"]
