"""How OCR'd words become lines a report is read from: bullets, specks, dictionary mends, question ids.
Pure functions on made-up words (Tesseract itself is exercised in test_ocr and test_ocr_extraction)."""
from __future__ import annotations

from extractors.document import Page
from extractors.findings import read_findings
from extractors.layout import Line, Word
from extractors.markers import mark_ocr_bullets, without_leading_baseline_period
from extractors.ocr_correction import correct_line, is_compound
from extractors.reading_order import level_boxes, without_flat_specks, without_ocr_noise
from extractors.running import remove_running_lines
from extractors.settings import DEFAULT_SETTINGS
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


def test_specks_read_beside_a_bullet_and_a_period_at_mid_height_still_make_a_bullet():
    lines = [_line(('"ee', 62, 40), ("3.1", 90, 96), height=24), _line(("-e", 63, 30), ("--3.3", 90, 90), height=24),
             _line((".", 71, 88), ("Ökad", 90, 97))]
    mark_ocr_bullets(lines)
    assert [[w.text for w in line.words] for line in lines] == [["•", "3.1"], ["•", "3.3"], ["•", "Ökad"]]


def test_a_period_low_on_the_line_before_its_first_word_is_a_speck_not_a_bullet():
    heading = [Word(".", 66, 66.5, 356, 356.5, conf=89), Word("Område", 72, 128, 345, 356, conf=96)]
    assert [w.text for w in without_leading_baseline_period(heading)] == ["Område"]
    bullet = [Word(".", 71, 75, 241, 246, conf=88), Word("Ökad", 90, 113, 238, 252, conf=97)]
    assert without_leading_baseline_period(bullet) == bullet


def test_a_lone_quote_and_a_doubted_period_inside_a_sentence_are_specks():
    words, notes = correct_line(_line(('"goda', 10, 80), ("för", 60, 97)).words, is_word, 93.0)
    assert [w.text for w in words] == ["goda", "för"] and notes == ['"goda → goda']
    quoted, _ = correct_line(_line(('"goda', 10, 80), ('hela"', 60, 97)).words, is_word, 93.0)
    assert [w.text for w in quoted] == ['"goda', 'hela"']  # a pair of quotes is print
    words, _ = correct_line(_line(("för.", 10, 88), ("hela", 40, 96)).words, is_word, 93.0)
    assert [w.text for w in words] == ["för", "hela"]
    kept, _ = correct_line(_line(("för.", 10, 88), ("Hela", 40, 96)).words, is_word, 93.0)
    assert kept[0].text == "för."  # a sentence may end there
    sure, _ = correct_line(_line(("för.", 10, 99), ("hela", 40, 96)).words, is_word, 93.0)
    assert sure[0].text == "för."  # OCR was sure of it
    abbreviation, _ = correct_line(_line(("ca.", 10, 80), ("hela", 40, 96)).words, lambda w: w in WORDS | {"ca"}, 93.0)
    assert abbreviation[0].text == "ca."


def test_a_speck_glued_to_a_word_goes_but_acronyms_and_compounds_stay():
    words, notes = correct_line(_line(("ochi", 10, 84), ("ALMI", 50, 60), ("metodsök", 90, 70)).words, is_word, 93.0)
    assert [w.text for w in words] == ["och", "ALMI", "metodsök"] and notes == ["ochi → och"]
    assert is_compound("metodsök", is_word) and is_compound("metodssök", is_word)
    assert not is_compound("metodxyz", is_word)


def _words_line(number: int, x0: float, top: float, text: str, conf: float | None) -> Line:
    """One line of words 5 points a letter apart, from x0 (a '•' first word stands 19 points before the text)."""
    words, x = [], x0
    for token in text.split():
        width = 5.0 * len(token)
        words.append(Word(token, x, x + width, top, top + 10, conf=conf))
        x += width + (15.0 if token == "•" else 3.0)
    return Line(number, words)


def _findings_page(conf: float | None) -> Page:
    texts = [(72, "Område 1 Offentlighet och demokratisk kontroll"), (72, "Förbättringsområden"),
             (71, "• Tydliggör chefernas uppdrag genom chefskontrakt med mycket tydliga och individuella"),
             (91, "resultatförväntningar"), (91, "Ökad systematik i förvaltningsledningens verksamhetsbesök")]
    lines = [_words_line(5, x0, 100 + 14 * n, text, conf) for n, (x0, text) in enumerate(texts)]
    return Page(5, 595, 842, lines, source="ocr" if conf is not None else "text")


def test_an_item_whose_bullet_ocr_did_not_see_is_still_an_item_but_a_text_layer_line_is_never_split():
    ocr = read_findings([_findings_page(95.0)]).findings
    assert [f.text for f in ocr] == ["Tydliggör chefernas uppdrag genom chefskontrakt med mycket tydliga och "
                                     "individuella resultatförväntningar",
                                     "Ökad systematik i förvaltningsledningens verksamhetsbesök"]
    text_layer = read_findings([_findings_page(None)]).findings
    assert len(text_layer) == 1 and text_layer[0].text.endswith("resultatförväntningar Ökad systematik i "
                                                                "förvaltningsledningens verksamhetsbesök")


def _margin_pages(footer_of) -> list[Page]:
    pages = []
    for number in range(1, 6):
        body = _words_line(number, 72, 300, "Kommunen har en tydlig vision", 95.0)
        footer = _words_line(number, 72, 800, footer_of(number), 95.0)
        pages.append(Page(number, 595, 842, [body, footer]))
    return pages


def test_an_ocrd_footer_with_a_letter_misread_is_still_the_running_footer():
    pages = _margin_pages(lambda n: "Kommunkompassen Fagersta kommun 2009" if n != 3 else "Kornmunkompassen Fagersta kommun 2009")
    remove_running_lines(pages, DEFAULT_SETTINGS)
    assert all(len(page.lines) == 1 and page.removed for page in pages)
    unlike = _margin_pages(lambda n: "Kommunkompassen Fagersta kommun 2009" if n != 3 else "Kommunens vision för 2009 och framåt")
    remove_running_lines(unlike, DEFAULT_SETTINGS)
    assert len(unlike[2].lines) == 2  # a different line there stays


def test_a_text_layer_line_is_a_running_footer_only_when_it_is_the_same():
    pages = _margin_pages(lambda n: "Kommunkompassen Fagersta kommun 2009" if n != 3 else "Kornmunkompassen Fagersta kommun 2009")
    for page in pages:
        for line in page.lines:
            line.words = [Word(w.text, w.x0, w.x1, w.top, w.bottom) for w in line.words]
    remove_running_lines(pages, DEFAULT_SETTINGS)
    assert len(pages[2].lines) == 2 and all(page.removed for n, page in enumerate(pages) if n != 2)


def test_letters_and_digits_far_lower_than_their_line_are_specks_unless_ocr_was_sure():
    row = [Word("Personalpolitik", 72, 132, 477, 490, conf=92), Word("44,5", 222, 240, 480, 488, conf=96),
           Word("mo", 299, 300, 488, 488.5, conf=0), Word("1", 254, 259, 714 - 234, 717 - 234, conf=56),
           Word("9", 367, 369, 487, 489, conf=96), Word("57,0", 374, 391, 479, 488, conf=97)]
    kept = [w.text for w in without_flat_specks(row, 10.0)]
    assert kept == ["Personalpolitik", "44,5", "9", "57,0"]  # a sure '9' may have a short box
    alone = [Word("8", 377, 394, 407, 411, conf=37)]  # a line of its own: measured against the page
    assert without_flat_specks(alone, 10.0) == [] and without_flat_specks(alone, None) == alone
    bullet = [Word("o", 71, 76, 300, 304, conf=40), Word("Aktivt", 90, 120, 296, 306, conf=96),
              Word("arbete", 124, 150, 296, 306, conf=96)]
    assert [w.text for w in without_flat_specks(bullet, 10.0)] == ["o", "Aktivt", "arbete"]  # a bullet stays
    marks = [Word(text, 10 * n, 10 * n + 4, 100, 101, conf=20) for n, text in enumerate("|:—")]
    assert without_flat_specks(marks, None) == marks  # no letters or digits anywhere: nothing to measure by


def test_a_lone_mark_between_a_bullet_and_the_items_capital_is_the_bullets_shadow():
    lines = [_line(("»", 71, 9), ("2", 80, 92), ("God", 89, 96), ("förmåga", 111, 96)),
             _line(("•", 71, 90), ("3", 80, 96), ("förvaltningar", 89, 96))]  # an item may start with a number
    mark_ocr_bullets(lines)
    assert [[w.text for w in line.words] for line in lines] == [["•", "God", "förmåga"], ["•", "3", "förvaltningar"]]


def test_the_nearest_dictionary_word_wins_and_a_compound_loses_only_a_speck_dot():
    words = {"alla", "ålla", "kultur", "arrangemang", "kostnad", "budgetering"}
    mended, _ = correct_line(_line(("älla", 10, 90), ("kulturärrangemang", 50, 86), ("kostnädsbudgetering", 200, 91),
                                   ("kultureriksdag", 400, 60)).words, lambda w: w in words, 93.0)
    assert [w.text for w in mended] == ["alla", "kulturarrangemang", "kostnadsbudgetering", "kultureriksdag"]


def test_a_capitalised_word_inside_a_sentence_may_be_a_name_and_is_mended_only_to_a_name():
    words = {"mörten", "och", "fagersta", "hela"}
    names = {"Fagersta"}
    mended, _ = correct_line(_line(("och", 10, 97), ("Morten", 40, 80), ("och", 90, 97), ("Fägersta", 120, 80)).words,
                             lambda w: w in words, 93.0, is_name=lambda text: text in names)
    assert [w.text for w in mended] == ["och", "Morten", "och", "Fagersta"]
    first, _ = correct_line(_line(("Helä", 10, 80), ("och", 50, 97)).words, lambda w: w in words, 93.0)
    assert first[0].text == "Hela"  # a sentence's first word is no name by its capital
    item, _ = correct_line(_line(("•", 10, 90), ("Helä", 30, 80)).words, lambda w: w in words, 93.0)
    assert item[1].text == "Hela"  # nor an item's


def test_pages_ocr_could_not_finish_are_named_as_such_not_sent_back_to_ocr():
    from pathlib import Path

    from extractors.document import Document
    from extractors.report import _unreadable_message
    from extractors.textquality import TextQuality

    reason = "OCR failed (page 1: OCR did not finish within its deadline (120 s a page))"
    pages = [Page(n, 595, 842, [], quality=TextQuality(False, 0, 0.0, reason.replace("page 1", f"page {n}")))
             for n in (1, 2)]
    message = _unreadable_message(Document(Path("scan.pdf"), "0" * 64, pages))
    assert message == ("scan.pdf: OCR could not read 2 of 2 pages (e.g. page 1: OCR did not finish within its "
                       "deadline (120 s a page)); the rest was not enough to go on")
