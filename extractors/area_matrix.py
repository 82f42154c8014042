"""Tables whose rows are the eight areas, found by their content wherever they stand.

A block of rows is an area table when its labels, read top to bottom, name areas 1–8 of one framework
generation (names wrapped over several lines, hyphenated, with or without an area number before them),
or when its rows are labelled 1–8 in one column. Captions and header rows are not needed to find it;
they only name the number columns. The numbers of an area may stand on the label's first line, its
last line, the line after it, or centred beside it; they are matched to the areas in order. A table
may run over several pages. Reading the columns' meaning is left to `area_table` and
`comparison_table`.

    document → rows → parse_row → name_chains / number_chains → AreaMatrix (rows × columns, headers)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.frameworks import FRAMEWORKS
from extractors.hyphenation import join_all
from extractors.layout import Line, Word
from extractors.markers import GLYPHS
from extractors.numbers import bare_number, is_empty_cell, is_number_token, is_unreadable_cell, is_year, parse_number, without_units
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings
from extractors.tables import Column, cluster_columns, column_at, column_bounds
from extractors.tables.matcher import area_score
from extractors.vocabulary import VOCABULARY

_AREA_NUMBER = re.compile(r"^([1-8])[.:)]?$")
_LETTER = re.compile(r"[A-Za-zÅÄÖåäöÉé]")


@dataclass
class Row:
    """One geometric row of a page split into an area-number prefix, label words and number cells."""

    line: Line
    prefix: int | None
    label: list[Word]
    cells: list[Word]  # trailing numbers and empty-cell dashes, left to right

    @property
    def label_text(self) -> str:
        return " ".join(w.text for w in self.label)

    @property
    def page(self) -> int:
        return self.line.page


@dataclass
class AreaMatrix:
    """Eight area rows by some number columns, with the header text over each column."""

    kind: str  # "names" (rows labelled by area names) or "numbers" (rows labelled 1–8)
    generation: str | None  # the generation whose names the labels are (None for numbered rows)
    labels: dict[int, str]
    columns: list[str]  # header text of each number column ("" when none)
    values: dict[int, list[float | None]]  # area → one value per column
    signed: list[bool]  # a column written with signs (+16, -3): changes
    total: list[float | None] | None
    pages: dict[int, int]  # area → page of its numbers
    first_page: int
    caption: str | None = None
    label_similarity: float = 1.0
    boxes: dict[int, tuple[float, float, float, float]] = field(default_factory=dict)  # page → x0, top, x1, bottom
    column_ranges: list[tuple[float, float]] = field(default_factory=list)
    cell_words: dict[int, list[Word | None]] = field(default_factory=dict)  # area → the word of each value
    total_words: list[Word | None] | None = None


def parse_row(line: Line) -> Row:
    """A row's area number, label and number cells; a bullet before the label (a table row set as a list
    item, or a speck OCR took for one) and a doubted word far after it are no part of it."""
    if len(line.words) > 1 and len(line.words[0].text) == 1 and line.words[0].text in GLYPHS:
        line = Line(line.page, line.words[1:])
    words = [w for w in line.words if w.text != "%"]
    words = [_bare(words[i]) for i in without_units([w.text for w in words])]
    cut = len(words)
    while cut > 0 and (is_number_token(words[cut - 1].text) or is_empty_cell(words[cut - 1].text)
                       or (is_unreadable_cell(words[cut - 1]) and cut >= 2
                           and is_number_token(words[cut - 2].text))):  # an OCR'd cell between numbers
        cut -= 1
    label, cells = words[:cut], words[cut:]
    while len(label) > 1 and _stray_after(label[-2], label[-1]):
        label = label[:-1]
    prefix = None
    if label and _AREA_NUMBER.match(label[0].text) and len(label) > 1 and _LETTER.match(label[1].text):
        prefix, label = int(_AREA_NUMBER.match(label[0].text).group(1)), label[1:]
    elif len(label) >= 2 and VOCABULARY.area_prefixes.whole(label[0].text) and _AREA_NUMBER.match(label[1].text):
        prefix, label = int(_AREA_NUMBER.match(label[1].text).group(1)), label[2:]
    elif len(label) == 1 and VOCABULARY.area_prefixes.whole(label[0].text) and cells and _AREA_NUMBER.match(cells[0].text):
        prefix, label, cells = int(cells[0].text[0]), [], cells[1:]
    return Row(line, prefix, label, cells)


def _bare(word: Word) -> Word:
    text = bare_number(word.text)
    return word if text == word.text else replace(word, text=text)


def _stray_after(before: Word, word: Word, settings: ExtractionSettings = DEFAULT_SETTINGS) -> bool:
    """A word OCR doubted, standing a cell's width away from the label it would end ('politiker och
    tjänstemän … se'): a speck in the gap before the numbers, not part of the label."""
    return word.conf is not None and word.conf < settings.ocr_doubt_confidence and \
        word.x0 - before.x1 > settings.segment_gap_em * max(word.height, before.height, 1.0)


def document_rows(pages) -> list[Row]:
    """Every page's geometric rows, in page order, parsed."""
    rows = []
    for page in pages:
        rows.extend(parse_row(line) for line in page.rows)
    return rows


def _first_word_keys() -> set[str]:
    return {name.split()[0].casefold()[:4] for areas in FRAMEWORKS.values() for a in areas for name in a.all_names}


_KEYS = _first_word_keys()


def _area_similarity(generation: str, area: int, text: str, at_least: float) -> float:
    return area_score(text, area, generation, at_least)


def _longest_name(generation: str, area: int) -> int:
    return max(len(name) for name in FRAMEWORKS[generation][area - 1].all_names)


def _match_label(labelled: list[Row], start: int, generation: str, area: int,
                 settings: ExtractionSettings, weak: bool = False) -> list[tuple[int, float]]:
    """Ways the label rows from `start` can name `area`: (row count, similarity), best first.

    `weak`: a label only loosely like the area's names ("Kontroll och uppföljning" for "Kontroll och
    rapportering"), accepted when it is still more like this area than any other of the generation."""
    threshold = settings.area_name_weak_similarity if weak else settings.area_name_similarity
    first = labelled[start]
    if first.prefix is not None and first.prefix != area:
        return []
    if not first.label or first.label[0].text.casefold()[:4] not in _KEYS and first.prefix is None:
        return []
    found: list[tuple[int, float]] = []
    text_lines: list[str] = []
    for count in range(1, int(settings.label_max_lines) + 1):
        if start + count > len(labelled):
            break
        row = labelled[start + count - 1]
        if count > 1 and (row.prefix is not None or not _continues_label(labelled[start + count - 2], row, settings)):
            break
        text_lines.append(row.label_text)
        text = join_all(text_lines)
        longest = _longest_name(generation, area)
        if len(text) > (1.4 * longest + 4 if count > 1 else 2 * longest + 4):
            break  # past any name of the area: a sentence, or lines joined too far
        score = _area_similarity(generation, area, text, threshold)
        if score >= threshold and (not weak or _closest_area(generation, text) == area):
            found.append((count, score))
    return sorted(found, key=lambda item: (-round(item[1], 3), -item[0]))


def _closest_area(generation: str, text: str) -> int:
    return max(range(1, 9), key=lambda area: _area_similarity(generation, area, text, 0.0))


def _aligned(a: Line, b: Line, tolerance: float) -> bool:
    """Left edges or centres line up: two lines of one table column."""
    return abs(a.x0 - b.x0) <= tolerance or abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) <= tolerance


def _continues_label(above: Row, below: Row, settings: ExtractionSettings) -> bool:
    """`below` can continue the label of `above`: the same column, the next line (or the next page)."""
    if below.page != above.page:
        return below.page == above.page + 1
    tolerance = settings.column_align_tolerance
    in_column = _aligned(Line(0, above.label), Line(0, below.label), tolerance) or \
        abs(below.line.x0 - above.line.x0) <= tolerance  # wrapped back to the cell's edge, under the area's number
    return in_column and below.line.top - above.line.bottom <= settings.label_line_gap_em * max(above.line.height, 4.0)


def _name_chain(labelled: list[Row], start: int, generation: str,
                settings: ExtractionSettings) -> tuple[list[tuple[int, int]], float] | None:
    """Label rows naming areas 1–8 in order from `start`: [(first row, row count)] per area, and the
    mean similarity. Where a name could end after one line or two ('Kommunen som arbetsgivare' /
    '– personalpolitik'), the way that lets the next areas follow wins."""

    def extend(area: int, position: int, spans: list, scores: list, weak_links: int, after_weak: bool):
        if area > 8:
            return spans, sum(scores) / len(scores)
        if position >= len(labelled):
            return None
        if area > 1 and labelled[position].page != labelled[position - 1].page:
            position = _past_repeated_header(labelled, position, generation, area, settings)
        if area > 1 and not _next_area_row(labelled[position - 1], labelled[position], labelled[start], settings):
            return None
        for count, score in _match_label(labelled, position, generation, area, settings):
            found = extend(area + 1, position + count, spans + [(position, count)], scores + [score], weak_links, False)
            if found is not None:
                return found
        # a loosely worded name between two well-named areas (never the first or last, never two in a row)
        if 1 < area < 8 and not after_weak and weak_links < settings.area_name_weak_links:
            for count, score in _match_label(labelled, position, generation, area, settings, weak=True):
                found = extend(area + 1, position + count, spans + [(position, count)], scores + [score],
                               weak_links + 1, True)
                if found is not None:
                    return found
        return None

    return extend(1, start, [], [], 0, False)


def _past_repeated_header(labelled: list[Row], position: int, generation: str, area: int,
                          settings: ExtractionSettings) -> int:
    """At the top of a new page, the first row that names `area` (a table's header may be repeated)."""
    cut = {row.line.text for row in labelled[max(0, position - 2):position]}  # a row the break printed twice
    for skip in range(0, int(settings.header_max_rows) + 1):
        here = position + skip
        if here >= len(labelled) or labelled[here].page != labelled[position].page:
            break
        if labelled[here].line.text not in cut and _match_label(labelled, here, generation, area, settings):
            return here
    return position


def _next_area_row(above: Row, below: Row, first: Row, settings: ExtractionSettings) -> bool:
    """The next area's label starts in the first area's column, a few lines below (or on the next page)."""
    if below.page != above.page:
        return below.page == above.page + 1
    tolerance = settings.column_align_tolerance
    in_column = _aligned(Line(0, first.label), Line(0, below.label), tolerance) or \
        abs(below.line.x0 - first.line.x0) <= tolerance  # rows start at the cell's edge (a justified label moves)
    return in_column and below.line.top - above.line.bottom <= settings.area_row_gap_em * max(above.line.height, 4.0)


def _number_rows_between(rows: list[Row], first: int, last: int) -> list[int]:
    """Rows with numbers in the span, leaving out header rows of years repeated after a page break."""
    found = []
    for index in range(first, last + 1):
        numbers = [parse_number(w.text) for w in rows[index].cells]
        if any(n is not None for n in numbers) and not all(n is not None and is_year(n) for n in numbers):
            found.append(index)
    return found


def _assign_numbers(rows: list[Row], label_rows: list[list[int]], candidates: list[int]) -> dict[int, int] | None:
    """Area → index of the row holding its numbers: in order when there are eight, else by position."""
    if len(candidates) == 8:
        return {area: candidates[area - 1] for area in range(1, 9)}
    assigned: dict[int, int] = {}
    for index in candidates:
        middle = rows[index].line.top + rows[index].line.height / 2
        page = rows[index].page
        within = [area for area, members in enumerate(label_rows, start=1)
                  if index in members or any(rows[m].page == page and rows[m].line.top - 2 <= middle <= rows[m].line.bottom + 2
                                             for m in members)]
        if len(within) != 1 or within[0] in assigned:
            return None
        assigned[within[0]] = index
    return assigned if len(assigned) == 8 else None


def _total_row(rows: list[Row], after: int, settings: ExtractionSettings) -> int | None:
    """The total row right below the last area (past a header repeated at the top of a new page)."""
    index = after + 1
    skipped = 0
    while index < len(rows) and skipped <= settings.header_max_rows:
        row = rows[index]
        if VOCABULARY.total_labels.starts(row.label_text or "") and row.cells:
            return index
        numbers = [parse_number(w.text) for w in row.cells]
        years_only = bool(numbers) and all(n is not None and is_year(n) for n in numbers)
        if row.page == rows[after].page or not (years_only or not row.cells):
            return None
        index += 1
        skipped += 1
    return None


def _is_caption(text: str) -> bool:
    return bool(VOCABULARY.area_table.captions.starts(text) or VOCABULARY.comparison_table.captions.starts(text))


def _header_rows(rows: list[Row], first: int, settings: ExtractionSettings) -> list[Row]:
    """The rows over the table's first area row that hold its column headers: everything up to a caption
    right above, else up to the first line of running text."""
    page = rows[first].page
    top = rows[first].line.top
    above = [r for r in rows[max(0, first - int(settings.header_max_rows)):first]
             if r.page == page and top - r.line.bottom < settings.header_max_distance]
    captions = [i for i, row in enumerate(above) if _is_caption(row.line.text)]
    if captions:
        return above[captions[-1] + 1:]
    kept: list[Row] = []
    for row in reversed(above):
        if _is_prose(row.line):
            break
        kept.insert(0, row)
    return kept


def _is_prose(line: Line) -> bool:
    """A running line of text, not a row of header cells: long, mostly lower-case words, and no gap
    wider than a couple of spaces."""
    gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:])]
    lower = sum(1 for w in line.words if w.text[:1].islower())
    return len(line.text) > 60 and lower >= 0.5 * len(line.words) and (not gaps or max(gaps) < 1.2 * line.height)


def _caption(rows: list[Row], first: int, settings: ExtractionSettings) -> str | None:
    page = rows[first].page
    for row in reversed(rows[max(0, first - int(settings.header_max_rows) - 2):first]):
        text = row.line.text
        if row.page == page and (VOCABULARY.area_table.captions.starts(text) or VOCABULARY.comparison_table.captions.starts(text)):
            return text
    return None


def _columns(rows: list[Row], indexes: list[int], label_right: float, settings: ExtractionSettings) -> list[Column]:
    """The number columns; each spans and is aligned by its clean numbers only, where it has some: an
    OCR'd cell with a speck read into it ('"60') is wider than its number and would pull a header word
    into its column."""
    words = [w for i in indexes for w in rows[i].cells if w.x0 >= label_right - 1]
    columns = cluster_columns(words, tolerance=settings.cell_cluster_tolerance)
    for column in columns:
        clean = [w for w in column.words if is_number_token(w.text)]
        if clean:
            column.words = clean
            column.x0, column.x1 = min(w.x0 for w in clean), max(w.x1 for w in clean)
    return columns


def _column_headers(header: list[Row], columns: list[Column], label_right: float) -> list[str]:
    texts: list[list[str]] = [[] for _ in columns]
    bounds = column_bounds(columns)
    for row in header:
        line: list[list[str]] = [[] for _ in columns]
        for word in row.line.words:  # word by word: cell gutters can be as narrow as a space
            if word.x0 < label_right and word.x1 < columns[0].x0 - 2:
                continue  # the label column's own header ("Huvudområde", "Kriterium")
            index = column_at(word.xc, bounds)
            if index is not None:
                line[index].append(word.text)
        for index, words in enumerate(line):
            if words:
                texts[index].append(" ".join(words))
    return ["\n".join(t) for t in texts]


def _cells_by_column(row: Row, columns: list[Column], label_right: float) -> list[Word | None] | None:
    cells: list[Word | None] = [None] * len(columns)
    for word in row.cells:
        if word.x0 < label_right - 1:
            continue
        index = min(range(len(columns)), key=lambda i: abs(columns[i].xc - word.xc))
        if cells[index] is not None:
            return None  # two numbers in one column: not one row of this table
        cells[index] = word
    return cells


def _build(kind: str, generation: str | None, rows: list[Row], label_rows: list[list[int]],
           number_rows: dict[int, int], similarity_score: float, settings: ExtractionSettings) -> AreaMatrix | None:
    first_row = min(min(members) for members in label_rows)
    label_right = max((w.x1 for members in label_rows for m in members for w in rows[m].label), default=0.0)
    if kind == "numbers":
        label_right = max(rows[number_rows[a]].line.words[0].x1 for a in range(1, 9))
    total_index = _total_row(rows, max(max(number_rows.values()), max(m for members in label_rows for m in members)),
                             settings)
    indexes = [number_rows[a] for a in range(1, 9)] + ([total_index] if total_index is not None else [])
    columns = _columns(rows, indexes, label_right, settings)
    if not columns or len(columns) > 12:
        return None
    values: dict[int, list[float | None]] = {}
    cell_words: dict[int, list[Word | None]] = {}
    signed = [False] * len(columns)
    for area in range(1, 9):
        cells = _cells_by_column(rows[number_rows[area]], columns, label_right)
        if cells is None:
            return None
        cell_words[area] = cells
        values[area] = [None if w is None else parse_number(w.text) for w in cells]
        for position, word in enumerate(cells):
            if word is not None and re.match(r"^\(?[+±\u2212\u2013-]\d", word.text):
                signed[position] = True
    total = total_words = None
    if total_index is not None:
        total_words = _cells_by_column(rows[total_index], columns, label_right)
        total = None if total_words is None else [None if w is None else parse_number(w.text) for w in total_words]
    header = _header_rows(rows, first_row, settings)
    headers = _column_headers(header, columns, label_right)
    labels = {area: join_all([rows[m].label_text for m in members]) for area, members in enumerate(label_rows, start=1)}
    members = [r.line for r in header] + [rows[i].line for i in indexes] + \
        [rows[m].line for group in label_rows for m in group]
    return AreaMatrix(kind=kind, generation=generation, labels=labels, columns=headers, values=values, signed=signed,
                      total=total, pages={a: rows[number_rows[a]].page for a in range(1, 9)},
                      first_page=rows[first_row].page, caption=_caption(rows, first_row, settings),
                      label_similarity=similarity_score, boxes=_boxes(members),
                      column_ranges=[(c.x0, c.x1) for c in columns], cell_words=cell_words, total_words=total_words)


def _boxes(lines: list[Line]) -> dict[int, tuple[float, float, float, float]]:
    boxes: dict[int, tuple[float, float, float, float]] = {}
    for line in lines:
        box = (line.x0, line.top, line.x1, line.bottom)
        old = boxes.get(line.page)
        boxes[line.page] = box if old is None else (min(old[0], box[0]), min(old[1], box[1]),
                                                     max(old[2], box[2]), max(old[3], box[3]))
    return boxes


def name_matrices(rows: list[Row], settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[AreaMatrix]:
    """Tables whose label rows name areas 1–8 of one generation, in order."""
    labelled = [i for i, row in enumerate(rows) if row.label]
    labelled_rows = [rows[i] for i in labelled]
    matrices: list[AreaMatrix] = []
    position = 0
    while position < len(labelled_rows):
        best = None
        for start in range(position, min(position + 3, len(labelled_rows))):  # overlapping starts: the best wins
            for generation in FRAMEWORKS:
                chain = _name_chain(labelled_rows, start, generation, settings)
                if chain and (best is None or chain[1] > best[2]):
                    best = (generation, chain[0], chain[1])
            if best is None:
                break
        if best is None:
            position += 1
            continue
        generation, spans, score = best
        label_rows = [[labelled[p] for p in range(start, start + count)] for start, count in spans]
        first, last = label_rows[0][0], label_rows[-1][-1]
        candidates = _number_rows_between(rows, first, last)
        if last + 1 < len(rows) and not rows[last + 1].label and rows[last + 1].cells:
            candidates.append(last + 1)  # numbers on the line after the last name
        assigned = _assign_numbers(rows, label_rows, candidates)
        matrix = _build("names", generation, rows, label_rows, assigned, score, settings) if assigned else None
        if matrix is not None:
            matrices.append(matrix)
        position = spans[-1][0] + spans[-1][1]
    return matrices


def _row_number(row: Row) -> int | None:
    """The area number labelling a row of a numbered table ('3 59,5 60 …', 'Område 3 …')."""
    if row.prefix is not None and not row.label:
        return row.prefix
    if not row.label and row.cells and _AREA_NUMBER.match(row.cells[0].text):
        return int(row.cells[0].text[0])
    return None


def _number_chain(rows: list[Row], index: int, settings: ExtractionSettings) -> list[int]:
    """Rows labelled 1, 2, … 8 from `index`, in one column; header rows repeated after a page break skipped."""
    chain: list[int] = []
    position = index
    for area in range(1, 9):
        if chain:
            position = chain[-1] + 1
            new_page = position < len(rows) and rows[position].page != rows[chain[-1]].page
            limit = position + (int(settings.header_max_rows) if new_page else 0)
            while position < min(limit, len(rows) - 1) and (
                    _row_number(rows[position]) is None or rows[position].line.text == rows[chain[-1]].line.text):
                position += 1  # a header repeated at the top of the next page, or the row cut by the break
        if position >= len(rows):
            break
        row = rows[position]
        if _row_number(row) != area or len(row.cells) < 2 or \
                (chain and abs(row.line.x0 - rows[chain[0]].line.x0) > settings.column_align_tolerance):
            break
        chain.append(position)
    return chain


def number_matrices(rows: list[Row], settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[AreaMatrix]:
    """Tables whose rows are labelled 1–8 (or 'Område 1' …) in one column, each with numbers."""
    matrices = []
    index = 0
    while index < len(rows):
        chain = _number_chain(rows, index, settings) if _row_number(rows[index]) == 1 else []
        if len(chain) == 8:
            matrix = _build("numbers", None, rows, [[i] for i in chain], {a: chain[a - 1] for a in range(1, 9)}, 1.0,
                            settings)
            if matrix is not None:
                matrices.append(matrix)
            index = chain[-1] + 1
        else:
            index += 1
    return matrices


def find_area_matrices(rows: list[Row], settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[AreaMatrix]:
    """Every table among the document's rows whose rows are the eight areas, in page order."""
    found = name_matrices(rows, settings) + number_matrices(rows, settings)
    return sorted(found, key=lambda m: m.first_page)
