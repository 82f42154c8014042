"""The score summary ("Poängsammanställning"): every sub-question with max points, points and percent.

Works on word positions, not ruling lines, so ruled and unruled tables, two areas side by side or
stacked, wrapped texts and tables split over pages all read the same way:
  page_to_lines → find_columns (x of question ids) → rows_in_column → row_to_question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.hyphenation import join_all
from extractors.layout import Line, Word, words_to_lines
from extractors.number_status import derived
from extractors.numbers import is_number_token, is_unreadable_cell, parse_number, round_half_up
from extractors.records import Check, QuestionScore
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings
from extractors.tables import cluster_columns
from extractors.tables.matcher import best_area
from extractors.vocabulary import VOCABULARY

QUESTION_ID = re.compile(r"^([1-8])\.(\d{1,2})\.?$")
AREA_HEADER_ID = re.compile(r"^(?:Område\s*)?([1-8])\.?$")
_NUM = r"\d{1,3}(?:[,.]\d+)?"
QUESTION_ROW = re.compile(rf"^(?:[•-]\s*)?[1-8]\.\d{{1,2}}\.?\s+\D.*\s{_NUM}\s+{_NUM}(?:\s*%)?")


def _is_terminator(text: str) -> bool:
    """A sum row or an area header closing the questions above it ('Summa', 'Totalt', 'Område 2')."""
    return text[:1].isupper() and bool(VOCABULARY.score_summary.sum_labels.starts(text) or VOCABULARY.total_labels.starts(text)
                or VOCABULARY.area_prefixes.starts(text))


@dataclass
class RawQuestion:
    question: str
    area: int
    text: str
    numbers: list[tuple[Word, float]]
    page: int
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # x0, top, x1, bottom of its row


@dataclass
class ScoreSummary:
    questions: list[RawQuestion] = field(default_factory=list)
    area_titles: dict[int, list[str]] = field(default_factory=dict)
    area_totals: dict[int, list[tuple[Word, float]]] = field(default_factory=dict)  # an area's sum row
    notes: list[str] = field(default_factory=list)


def _id_words(lines: list[Line]) -> list[tuple[Line, Word]]:
    """Question ids that open a cell: first in their line, or right after a number of the column before."""
    found = []
    for line in lines:
        for index, word in enumerate(line.words):
            if not QUESTION_ID.match(word.text):
                continue
            before = line.words[index - 1].text if index else None
            if before is None or is_number_token(before) or before in ("•", "-", "–"):
                found.append((line, word))
    return found


def find_columns(lines: list[Line]) -> list[float]:
    """The left edges of the question-id columns on a page (one, or two when areas stand side by side)."""
    ids = [word for _, word in _id_words(lines)]
    if not ids:
        return []
    clusters = cluster_columns(ids, tolerance=4)
    lefts = [c.x0 for c in clusters if len(c.words) >= max(1, len(ids) // 6)]
    return sorted(lefts)


def _in_column(word: Word, left: float, right: float) -> bool:
    return left - 6 <= word.x0 < right - 6


def _is_area_title(words: list[Word], settings: ExtractionSettings = DEFAULT_SETTINGS) -> bool:
    """An area header without its number ("Tillgänglighet och brukarorientering")."""
    text = " ".join(w.text for w in words)
    if not text[:1].isupper() or len(words) > 10 or any(is_number_token(w.text) for w in words):
        return False
    return best_area(text)[0] >= settings.area_title_similarity


def _is_area_header(words: list[Word]) -> bool:
    """An area's header row: its number then its title ("2 Tillgänglighet …", "2 – Tillgänglighet …")."""
    if not AREA_HEADER_ID.match(words[0].text) or len(words) < 2:
        return False
    title = words[2:] if words[1].text in ("–", "-", "—", ":") else words[1:]
    return bool(title) and title[0].text[:1].isupper()


def _is_row_start(words: list[Word], left: float) -> bool:
    """A line that starts a new cell row in this column: an id, an area header, a sum row."""
    first = words[0]
    if _is_area_title(words):
        return True
    if abs(first.x0 - left) > 8:
        return _is_terminator(first.text) and any(is_number_token(w.text) for w in words)
    if QUESTION_ID.match(first.text):
        return True
    if _is_area_header(words):
        return True
    return _is_terminator(first.text)


def visual_lines(words: list[Word], tolerance: float = 2.0) -> list[list[Word]]:
    """Words with the same top (within `tolerance`) form one visual line, left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(lines[-1][0].top - word.top) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _gap(upper: list[Word], lower: list[Word]) -> float:
    """Distance between two visual lines' middles, less a line height: the white space between them,
    measured so that words of different fonts or box heights do not tilt it."""
    def middle(words: list[Word]) -> float:
        return sum(w.middle for w in words) / len(words)

    def height(words: list[Word]) -> float:
        return sum(w.height for w in words) / len(words)

    return middle(lower) - middle(upper) - (height(lower) + height(upper)) / 2


def rows_in_column(lines: list[Line], left: float, right: float,
                   settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[list[list[Word]]]:
    """Cut the column into rows: each row is a list of visual lines, starting at an id or header.

    A line that does not start a row joins the row above or below, whichever it stands closer to,
    so vertically centred cells (text lines above their id) read correctly.
    """
    words = [w for line in lines for w in line.words if _in_column(w, left, right)]
    visual = visual_lines(words)
    rows: list[list[list[Word]]] = []
    pending: list[list[Word]] = []
    for index, line in enumerate(visual):
        height = max(6.0, min(line[0].bottom - line[0].top, 20.0))
        gap_above = _gap(visual[index - 1], line) if index else float("inf")
        gap_below = _gap(line, visual[index + 1]) if index + 1 < len(visual) else float("inf")
        if gap_above > settings.summary_break_em * height and rows:
            rows.append([])  # a large gap: a note or footer below the table, not a cell
        if _is_row_start(line, left):
            rows.append([*pending, line])
            pending = []
        elif pending or (gap_below + max(0.5, 0.25 * height) < gap_above and gap_below < 2 * height
                         and index + 1 < len(visual)
                         and QUESTION_ID.match(visual[index + 1][0].text)):
            pending.append(line)
        elif rows and rows[-1]:
            rows[-1].append(line)
    return [row for row in rows if row]


def number_zone(rows: list[list[list[Word]]]) -> float | None:
    """The x where the number columns begin: numbers that recur at the right of most question rows."""
    candidates = []
    for row in rows:
        identifier = _row_id(row)
        if identifier is None:
            continue
        for words in row:
            trailing = []
            for word in reversed(words):
                if is_number_token(word.text) and word is not identifier:
                    trailing.append(word)
                else:
                    break
            if len(trailing) >= 2:
                candidates.append(min(w.x0 for w in trailing))
                break
    if not candidates:
        return None
    candidates.sort()
    return candidates[len(candidates) // 2] - 12 if len(candidates) > 2 else min(candidates) - 2


def _split_row(row: list[list[Word]], zone: float) -> tuple[list[str], list[Word]]:
    text_lines, numbers = [], []
    for words in row:
        if any(w.x0 >= zone and not is_number_token(w.text) and not is_unreadable_cell(w) for w in words):
            continue  # a column header line ("Nr Delfråga Maxpoäng Poäng Andel"), not question text
        text_words = []
        for word in words:
            if word.x0 >= zone and (is_number_token(word.text) or is_unreadable_cell(word)):
                numbers.append(word)
            elif word.x0 < zone:
                text_words.append(word.text)  # words over the number columns are headers
        if text_words:
            text_lines.append(" ".join(text_words))
    return text_lines, numbers


def _row_id(row: list[list[Word]]) -> Word | None:
    for line in row:
        if QUESTION_ID.match(line[0].text):
            return line[0]
    return None


_LEADING_RULE = re.compile(r"^[—–_-]+\s+")  # a table's ruling OCR read as a dash before the question


def row_to_question(row: list[list[Word]], zone: float, page: int) -> RawQuestion | None:
    first = _row_id(row)
    if first is None or not QUESTION_ID.match(row[-1][0].text if len(row) == 1 else first.text):
        return None
    if any(AREA_HEADER_ID.match(line[0].text) and not QUESTION_ID.match(line[0].text) for line in row[:1]):
        return None
    match = QUESTION_ID.match(first.text)
    every = [w for line in row for w in line]
    box = (min(w.x0 for w in every), min(w.top for w in every), max(w.x1 for w in every), max(w.bottom for w in every))
    row = [[w for w in line if w is not first] for line in row]
    text_lines, numbers = _split_row(row, zone)
    merged = _merge_percent_signs(numbers)
    return RawQuestion(
        question=f"{match.group(1)}.{int(match.group(2))}", area=int(match.group(1)),
        text=_LEADING_RULE.sub("", join_all(text_lines)), numbers=merged, page=page, box=box)


def _merge_percent_signs(words: list[Word]) -> list[tuple[Word, float]]:
    """'65', '%' → one percent cell; keep each number with its word for column roles."""
    merged: list[tuple[Word, float]] = []
    for word in [w for line in words_to_lines(words, 0) for w in line.words]:  # line by line, left to right
        if word.text == "%" and merged:
            previous, value = merged[-1]
            merged[-1] = (Word(previous.text + "%", previous.x0, word.x1, previous.top, previous.bottom), value)
            continue
        value = parse_number(word.text)
        if value is not None or is_unreadable_cell(word):
            merged.append((word, value))  # an OCR'd cell that does not read as a number: value None
    return merged


def _id_parts(text: str) -> tuple[int, int] | None:
    """The area and number OCR's digits spell when the dot went missing ('13)' → (1, 3), '74' → (7, 4))."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if 2 <= len(digits) <= 3 and digits[0] in "12345678" and digits[1] != "0":
        return int(digits[0]), int(digits[1:])
    return None


def _parts(text: str) -> tuple[int, int] | None:
    match = QUESTION_ID.match(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def mend_ocr_ids(lines: list[Line], page: int) -> list[str]:
    """OCR'd question ids read wrong ('13)', '74', 'VÄG)') in the id column of rows that end in numbers
    are restored: a run of such rows after id n.k takes n.k+1, n.k+2 … when that fits the next id read
    right in the column, or — with no id after it — when the digits OCR did read agree and none
    contradicts. The words are rewritten and a note names each."""
    notes: list[str] = []
    columns = cluster_columns([word for _, word in _id_words(lines)], tolerance=4)
    for column in columns:
        entries = []  # (top, word, parts or None) down the column: ids read right and suspects
        for line in lines:
            first = next((w for w in line.words if abs(w.x0 - column.x0) <= max(6.0, w.height)), None)
            if first is None:
                continue
            parts = _parts(first.text)
            after = [w for w in line.words if w.x0 > first.x1]
            numbers = sum(1 for w in after if is_number_token(w.text) or is_unreadable_cell(w))
            if parts is not None:
                entries.append((first.top, first, parts))
            elif first.conf is not None and len(first.text) <= 6 and numbers >= 2:
                entries.append((first.top, first, None))
            elif AREA_HEADER_ID.match(first.text):
                entries.append((first.top, first, ("area", int(AREA_HEADER_ID.match(first.text).group(1)))))
        entries.sort(key=lambda entry: entry[0])
        index = 0
        while index < len(entries):
            if entries[index][2] is not None:
                index += 1
                continue
            end = index
            while end < len(entries) and entries[end][2] is None:
                end += 1
            before = entries[index - 1][2] if index else None
            if before is not None and before[0] == "area":
                before = (before[1], 0)  # right under area n's header: the run starts at n.1
            after = entries[end][2] if end < len(entries) and entries[end][2][0] != "area" else None
            notes += _mend_run([entry[1] for entry in entries[index:end]], before, after, page)
            index = end
    return notes


def _mend_run(words: list[Word], before: tuple[int, int] | None, after: tuple[int, int] | None,
              page: int) -> list[str]:
    if before is None:  # rows above any id or area header: nothing to count from
        return []
    area, number = before
    guesses = [(area, number + step) for step in range(1, len(words) + 1)]
    own = [_id_parts(word.text) for word in words]
    if any(o is not None and o != g for o, g in zip(own, guesses)):
        return []  # a digit OCR did read says otherwise
    fits_next = after is not None and (after == (area, number + len(words) + 1) or after == (area + 1, 1))
    agreeing = sum(1 for o, g in zip(own, guesses) if o == g)
    if not fits_next and (after is not None or 2 * agreeing < len(words)):
        return []
    notes = []
    for word, (a, n) in zip(words, guesses):
        place = f"it follows {area}.{number}" if number else f"under area {area}'s header"
        notes.append(f"page {page}: question id read '{word.text}', taken as {a}.{n} ({place} in its column"
                     f"{' and its digits agree' if _id_parts(word.text) else ''})")
        word.text = f"{a}.{n}"
    return notes


def read_page(lines: list[Line], page: int, width: float, summary: ScoreSummary,
              settings: ExtractionSettings = DEFAULT_SETTINGS) -> None:
    """Add the questions, area titles and area sums found on one page to `summary`."""
    if any(w.conf is not None for line in lines for w in line.words):
        summary.notes.extend(mend_ocr_ids(lines, page))
    lefts = find_columns(lines)
    for index, left in enumerate(lefts):
        right = lefts[index + 1] if index + 1 < len(lefts) else width + 10
        rows = rows_in_column(lines, left, right, settings)
        page_zone = number_zone(rows)
        if page_zone is None:
            continue
        last_area = None
        if rows and summary.questions and summary.questions[-1].page == page - 1 and index == 0:
            rows[0] = _continue_previous_page(rows[0], zone=page_zone, previous=summary.questions[-1])
        for block in blocks(rows):
            zone = number_zone(block)
            zone = page_zone if zone is None else zone
            for row in block:
                question = row_to_question(row, zone, page)
                if question:
                    summary.questions.append(question)
                    last_area = question.area
                    continue
                _read_other_row(row, zone, last_area, summary)


def _continue_previous_page(row: list[list[Word]], zone: float, previous: RawQuestion) -> list[list[Word]]:
    """Lines at a page top above the first question's id finish the last question of the page before
    when its text stopped mid-sentence (a row the page break cut), rather than belonging below."""
    identifier = _row_id(row)
    if identifier is None or previous.text.rstrip().endswith(("?", ".", "!", ":", ")")):
        return row
    leading = []
    for line in row:
        if identifier in line:
            break
        leading.append(line)
    if not leading:
        return row
    text_lines, _ = _split_row(leading, zone)
    previous.text = join_all([previous.text, *text_lines])
    return row[len(leading):]


def blocks(rows: list[list[list[Word]]]) -> list[list[list[list[Word]]]]:
    """Rows cut at each area's header: one table per area may have its number columns elsewhere."""
    found: list[list[list[list[Word]]]] = [[]]
    for row in rows:
        first = row[0]
        if found[-1] and _row_id(row) is None and (_is_area_title(first) or _is_area_header(first)
                                                    or VOCABULARY.area_prefixes.starts(first[0].text)):
            found.append([])
        found[-1].append(row)
    return [block for block in found if block]


def _read_other_row(row: list[list[Word]], zone: float, last_area: int | None, summary: ScoreSummary) -> None:
    words = row[0]
    header = AREA_HEADER_ID.match(words[0].text)
    text_lines, numbers = _split_row(row, zone)
    if header and len(words) > 1:
        title_words = words[2:] if words[1].text in ("–", "-", "—", ":") else words[1:]
        title = join_all([" ".join(w.text for w in title_words if w.x0 < zone), *text_lines[1:]])
        summary.area_titles.setdefault(int(header.group(1)), []).append(title)
        if numbers:  # "1 Offentlighet och demokrati 100 64 64%": the area's own sum on its header row
            summary.area_totals[int(header.group(1))] = _merge_percent_signs(numbers)
    elif _is_terminator(words[0].text) and numbers and last_area:
        summary.area_totals[last_area] = _merge_percent_signs(numbers)


def column_roles(questions: list[RawQuestion], header_words: dict[int, list[Word]] | None = None) -> tuple[int, int, int | None]:
    """Which of a row's numbers are max points, points and percent (positions in the row): named by the
    headers over them (the vocabulary's `max_headers`, `points_headers`, `percent_headers`), by their
    place only in a table without such headers."""
    counts = [len(q.numbers) for q in questions if q.numbers]
    if not counts:
        return 0, 1, None
    width = max(set(counts), key=counts.count)
    named = _named_by_headers([q for q in questions if len(q.numbers) == width], width, header_words or {})
    if named is not None:
        return named
    has_percent_sign = any(w.text.endswith("%") for q in questions for w, _ in q.numbers)
    if width >= 3:
        return width - 3, width - 2, width - 1
    if width == 2 and has_percent_sign:
        return -1, 0, 1
    return 0, 1, None


def header_words_by_page(rows_by_page: dict[int, list[Line]], questions: list[RawQuestion],
                         settings: ExtractionSettings = DEFAULT_SETTINGS) -> dict[int, list[Word]]:
    """Per page, the words standing over its first question row (within `header_max_distance`): the
    score summary's column headers, where it prints them."""
    found: dict[int, list[Word]] = {}
    for page, lines in rows_by_page.items():
        tops = [q.box[1] for q in questions if q.page == page]
        if not tops:
            continue
        first = min(tops)
        found[page] = [w for line in lines if first - settings.header_max_distance <= line.top and line.bottom <= first + 1
                       for w in line.words]
    return found


def _header_role(text: str) -> str | None:
    words = VOCABULARY.score_summary
    for role, phrases in (("max", words.max_headers), ("percent", words.percent_headers),
                          ("points", words.points_headers)):
        if phrases.search(text):
            return role
    return None


def _named_by_headers(questions: list[RawQuestion], width: int,
                      header_words: dict[int, list[Word]]) -> tuple[int, int, int | None] | None:
    """Positions of max, points and percent named by the header words over each number's column; None
    unless every position is named and no role twice."""
    votes: list[dict[str, int]] = [{} for _ in range(width)]
    for question in questions:
        words = header_words.get(question.page, [])
        numbers = [number for number, _ in question.numbers]
        over: list[list[Word]] = [[] for _ in numbers]
        reach = max(numbers[-1].x1 - numbers[0].x0, 20.0) / max(len(numbers), 1)
        for word in words:  # a header word belongs to the number column nearest its centre
            if word.x1 < numbers[0].x0 - reach / 2 or word.x0 > numbers[-1].x1 + reach / 2:
                continue
            nearest = min(range(len(numbers)), key=lambda k: abs(numbers[k].xc - word.xc))
            if abs(numbers[nearest].xc - word.xc) <= reach:
                over[nearest].append(word)
        for position, header in enumerate(over):
            text = join_all([w.text for w in sorted(header, key=lambda w: (w.top, w.x0))])
            role = _header_role(text) if text else None
            if role:
                votes[position][role] = votes[position].get(role, 0) + 1
    roles = [max(v, key=v.get) if v else None for v in votes]
    if None in roles or len(set(roles)) != width or "points" not in roles:
        return None
    return (roles.index("max") if "max" in roles else -1, roles.index("points"),
            roles.index("percent") if "percent" in roles else None)


@dataclass
class SummaryResult:
    """The score summary's questions, the area titles and sum rows it prints, and what it checked."""

    questions: list[QuestionScore] = field(default_factory=list)
    area_titles: dict[int, list[str]] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    boxes: list[tuple[int, tuple[float, float, float, float], str]] = field(default_factory=list)  # page, box, id
    sums: dict[int, float] = field(default_factory=dict)  # area → the points its sum row states
    words: dict[tuple, Word] = field(default_factory=dict)  # ("question", "3.4", "points") … → its word
    left_out: set[str] = field(default_factory=set)  # questions whose rows were seen but could not be read


def summary_pages(rows_by_page: dict[int, list[Line]]) -> list[int]:
    """Pages holding question rows ('2.3 Hur … 4 2,5 63%'): the score summary, wherever it stands and
    however many pages it runs over; it ends where its rows end. A page with a single question row
    counts when it follows a page of the summary (the last row spilt over the break)."""
    counts = {number: sum(1 for line in lines if QUESTION_ROW.match(line.text.strip()))
              for number, lines in rows_by_page.items()}
    pages = []
    for number, count in counts.items():
        if count >= 2 or (count == 1 and pages and pages[-1] == number - 1):
            pages.append(number)
    return pages


def without_question_prefixes(lines: list[Line]) -> list[Line]:
    """Lines with the word some reports print before a question's id left out ("Fråga 1.1" → "1.1")."""
    prefixes = VOCABULARY.score_summary.question_prefixes
    kept = []
    for line in lines:
        words = [w for i, w in enumerate(line.words)
                 if not (i + 1 < len(line.words) and QUESTION_ID.match(line.words[i + 1].text) and prefixes.whole(w.text))]
        kept.append(line if len(words) == len(line.words) else Line(line.page, words, marker=line.marker))
    return kept


def read_score_summary(pages, settings: ExtractionSettings = DEFAULT_SETTINGS) -> SummaryResult:
    """Every sub-question of the score summary, with max points, points and percent."""
    result = SummaryResult()
    rows_by_page = {page.number: without_question_prefixes(page.rows) for page in pages}
    result.pages = summary_pages(rows_by_page)
    summary = ScoreSummary()
    for number in result.pages:
        page = next(p for p in pages if p.number == number)
        read_page(rows_by_page[number], number, page.width, summary, settings)
    result.area_titles = summary.area_titles
    result.warnings.extend(summary.notes)
    result.boxes = [(q.page, q.box, q.question) for q in summary.questions]
    if not summary.questions:
        result.warnings.append("no score summary (Poängsammanställning) with sub-question scores found")
        return result
    roles = column_roles(summary.questions, header_words_by_page(rows_by_page, summary.questions, settings))
    _to_questions(summary, result, roles)
    _check_sum_rows(result, summary.area_totals, roles)
    return result


def _to_questions(summary: ScoreSummary, result: SummaryResult, roles: tuple[int, int, int | None]) -> None:
    summary.questions.sort(key=lambda q: (q.area, int(q.question.split(".")[1])))
    max_at, points_at, percent_at = roles
    seen = set()
    derived_percent = False
    for raw in summary.questions:
        if raw.question in seen:
            result.warnings.append(f"page {raw.page}: question {raw.question} appears twice; the first is kept")
            continue
        values = [value for _, value in raw.numbers]
        needed = max(i for i in (max_at, points_at, percent_at) if i is not None)
        if len(values) != needed + 1 or max_at < 0:  # too few, or two rows run together: never guess
            result.warnings.append(f"page {raw.page}: question {raw.question} has {len(values)} numbers, "
                                   f"expected {needed + 1}; left out")
            result.left_out.add(raw.question)
            continue
        seen.add(raw.question)
        maximum, points = values[max_at], values[points_at]
        if percent_at is not None:
            percent = values[percent_at]
            signed = raw.numbers[percent_at][0].text.endswith("%")
            reordered = (maximum, points, percent) if None in (maximum, points, percent) else \
                _consistent_order(maximum, points, percent, percent_known=signed)
            words = {"max_points": raw.numbers[max_at][0], "points": raw.numbers[points_at][0],
                     "percent": raw.numbers[percent_at][0]}
            if reordered != (maximum, points, percent):
                words["max_points"], words["points"] = words["points"], words["max_points"]
                result.warnings.append(
                    f"page {raw.page}: question {raw.question}: numbers {maximum:g}, {points:g}, {percent:g} do not "
                    f"agree in the column order; taken as max {reordered[0]:g}, points {reordered[1]:g}, percent "
                    f"{reordered[2]:g}, the only order in which points ≤ max and percent = points / max")
                maximum, points, percent = reordered
        else:
            percent = round_half_up(100 * points / maximum) if maximum and points is not None else None
            derived_percent = True
            words = {"max_points": raw.numbers[max_at][0], "points": raw.numbers[points_at][0]}
        for name, word in words.items():
            result.words[("question", raw.question, name)] = word
        result.questions.append(QuestionScore(question=raw.question, text=raw.text, max_points=maximum,
                                              points=points, percent=percent, page=raw.page))
    if derived_percent:
        warning = "the score summary has no percent column; percent computed as round(100·points/max)"
        result.warnings.append(warning)
        for question in result.questions:
            if question.percent is not None:
                derived(question, "percent", "round(100·points/max)", warning)


def _consistent_order(maximum: float, points: float, percent: float,
                      percent_known: bool = False) -> tuple[float, float, float]:
    """The (max, points, percent) as read when they agree; else the one other order of the same three
    numbers that agrees (points ≤ max, percent = round(100·points/max)), if exactly one does. A value
    printed with '%' stays the percent."""
    from itertools import permutations

    from extractors.checks import percent_matches

    def agrees(m: float, p: float, c: float) -> bool:
        return 0 < m and 0 <= p <= m and percent_matches(p, m, c)

    if agrees(maximum, points, percent):
        return maximum, points, percent
    orders = [(points, maximum, percent)] if percent_known else list(permutations((maximum, points, percent)))
    others = {order for order in orders if agrees(*order)}
    return others.pop() if len(others) == 1 else (maximum, points, percent)


def _check_sum_rows(result: SummaryResult, totals: dict[int, list[tuple[Word, float]]], roles: tuple) -> None:
    """Where the score summary prints an area's sum row, it must equal the sum of that area's questions."""
    width = max(i for i in roles if i is not None) + 1
    for area, cells in sorted(totals.items()):
        numbers = [value for _, value in cells]
        if len(numbers) == width:
            at = roles[1]
        elif len(numbers) == 2 and numbers[0] == 100:
            at = 1
        elif len(numbers) == 1:
            at = 0
        else:
            continue
        result.sums[area] = numbers[at]
        result.words[("summary_sum", area)] = cells[at][0]
    result.checks = sum_row_checks(result.questions, result.sums)


def sum_row_checks(questions: list[QuestionScore], sums: dict[int, float | None]) -> list[Check]:
    """Each sum row the score summary prints equals its questions' points."""
    checks = []
    for area, stated in sorted(sums.items()):
        points = [q.points for q in questions if q.question.split(".")[0] == str(area)]
        if stated is None or not points or None in points:
            continue
        checks.append(Check(f"area {area}: the score summary's sum row matches its questions",
                            abs(sum(points) - stated) < 0.001, f"{sum(points):g} vs {stated:g}"))
    return checks
