"""Strengths and areas for improvement: the lists under each area's summary, however they are drawn.

Reads the document's lines in reading order. A list starts at a strengths or improvements heading
(`list_headings`: the vocabulary's wordings, or a run-in "Styrka:") once the area is known (an area
heading, one naming the area alone where no heading is numbered, or "Sammanfattning område N").
An item starts at a bullet — a glyph, a drawn mark (see `markers`), a dash or a number — or, in a
list without bullets, at the list's left edge under a hanging indent or after a paragraph gap; it
goes on over wrapped lines, column and page breaks. A header line holding both headings side by
side opens a two-column findings table, read column by column.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field, replace

from extractors.frameworks import has_numbered_area_headings, heading_area, named_area_start, wrapped_heading_area
from extractors.hyphenation import join_all
from extractors.layout import Line
from extractors.list_headings import (is_score_summary_heading, lines_before_score_summary, list_kind, run_in_label,
                                      summary_heading_area)
from extractors.markers import is_marker_only, marker, strip_marker
from extractors.records import IMPROVEMENT, STRENGTH, Finding
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings

CHAPTER = re.compile(r"^\d\.?\s+[A-ZÅÄÖ]")
_CONTINUING_ENDS = ("-", ",", ":", " och", " samt", " eller", " för", " av", " i", " med", " att", " som", " till",
                    " om", " på", " vid", " hur", " där", " när", " mellan", " inom", " genom", " än", " en", " ett",
                    " den", " det", " de", " t.ex.", " bl.a.", " både", " ska", " bör", " kan", " från", " under")


@dataclass(frozen=True)
class ItemTrace:
    """Where a list item started and what opened it (for the debug drawing)."""

    page: int
    box: tuple[float, float, float, float]  # x0, top, x1, bottom of its first line
    kind: str
    opened_by: str  # "glyph", "shape" (a drawn bullet), "unmarked" (hanging indent or paragraph)


@dataclass
class FindingsResult:
    findings: list[Finding] = field(default_factory=list)
    traces: list[ItemTrace] = field(default_factory=list)
    two_column_tables: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Item:
    area: int
    kind: str
    lines: list[str]
    page: int
    start_x: float  # left edge of the item's first line (its bullet, if any)
    body_x: float | None  # left edge of its text; None until known (an unmarked item)
    bottom: float
    marked: bool
    trace: ItemTrace | None = None
    confidences: list[float] = field(default_factory=list)  # OCR confidence of its words (none: text layer)


@dataclass
class _List:
    """One list being read (one column of a two-column table is its own list)."""

    area: int
    kind: str
    left: float | None = None  # the column's left boundary (two-column tables)
    right: float | None = None
    item: _Item | None = None
    marked: bool = False  # a bullet was seen in this list
    previous_text: str = ""
    previous_x1: float | None = None  # right end of the list's last line, and of its column
    previous_edge: float | None = None
    previous_bottom: float | None = None
    line_gap: float | None = None
    done: list[tuple[Finding, ItemTrace | None]] = field(default_factory=list)

    def start(self, line: Line, page: int, text: str, body_x: float | None, marked: bool) -> None:
        self.close()
        opened_by = (line.marker or "glyph") if marked else "unmarked"
        trace = ItemTrace(page, (line.x0, line.top, line.x1, line.bottom), self.kind, opened_by)
        self.item = _Item(self.area, self.kind, [text], page, line.x0, body_x, line.bottom, marked, trace,
                          _confidences(line))
        self.marked = self.marked or marked

    def close(self) -> None:
        if self.item is not None:
            text = _clean(self.item.lines)
            if text:
                confidences = self.item.confidences
                finding = Finding(area=self.item.area, kind=self.item.kind, text=text, page=self.item.page,
                                  ocr_confidence=round(sum(confidences) / len(confidences), 1) if confidences else None)
                self.done.append((finding, self.item.trace))
            self.item = None


def _confidences(line: Line) -> list[float]:
    return [w.conf for w in line.words if w.conf is not None]


def _clean(lines: list[str]) -> str:
    text = join_all(lines)
    if text.endswith(".") and not text.endswith("..") and not re.search(r"\b\w{1,3}\.\w{1,3}\.$", text):
        text = text[:-1]
    return text.strip()


def _goes_on(text: str, previous_text: str, previous_full: bool) -> bool:
    return text[:1].islower() or text[:1].isdigit() or previous_full or previous_text.rstrip().endswith(_CONTINUING_ENDS)


def _opens_upper(text: str) -> bool:
    """The first letter is a capital (quotes and brackets before it do not count)."""
    letter = next((ch for ch in text if ch.isalnum()), "")
    return letter.isupper()


class FindingsReader:
    """A small state machine over the document's lines; `read()` returns every finding."""

    def __init__(self, settings: ExtractionSettings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.area: int | None = None
        self.in_summary = False
        self.lists: list[_List] = []
        self.result = FindingsResult()
        self.stopped = False
        self.headings: tuple[Line, Line] | None = None  # the two headings of a two-column table
        self.boundary_seen = False  # the column boundary was measured on lines below the headings
        self.opened: dict[tuple[int, str], int] = {}  # (area, kind) → page of the heading that opened its list

    def _note_opened(self, kind: str, page: int) -> None:
        """An area has one list of each kind: a second one means an area heading was missed before it."""
        key = (self.area, kind)
        if key in self.opened:
            name = "strengths" if kind == STRENGTH else "areas for improvement"
            self.result.warnings.append(
                f"page {page}: a second list of {name} under area {self.area} (the first on page "
                f"{self.opened[key]}); an area heading between them may have been missed, so these findings "
                "may belong to another area")
        else:
            self.opened[key] = page

    # -- headings ---------------------------------------------------------------------------
    def _close_lists(self) -> None:
        for current in self.lists:
            current.close()
            for finding, trace in current.done:
                self.result.findings.append(finding)
                if trace is not None:
                    self.result.traces.append(trace)
        self.lists = []

    def _heading(self, line: Line, page: int, following: list[Line]) -> bool:
        """Handle a heading line; True when the line was one."""
        text = line.text.strip()
        if is_score_summary_heading(text) and page > 2:
            self._close_lists()
            self.stopped = True
            return True
        if line.marker is None:
            after = following[0] if following and following[0].page == line.page and following[0].marker is None \
                else None
            area, _ = wrapped_heading_area(text, after.text if after else None, self.settings.heading_similarity)
            if area:
                self._close_lists()
                self.area, self.in_summary = area, False
                return True
            is_summary, area = summary_heading_area(text, self.area)
            if is_summary:
                self._close_lists()
                self.area, self.in_summary = area, True
                return True
        segments = line.segments(self.settings)
        kinds = [list_kind(s.text) for s in segments]
        if len(segments) == 2 and all(kinds) and kinds[0] != kinds[1] and self.area:
            self._close_lists()
            measured = column_boundary(segments[0], segments[1], self._until_heading(following))
            boundary = segments[1].x0 - 4 if measured is None else measured
            self.lists = [_List(self.area, kinds[0], right=boundary), _List(self.area, kinds[1], left=boundary)]
            for opened in kinds:
                self._note_opened(opened, page)
            self.headings = (segments[0], segments[1])
            self.result.two_column_tables += 1
            self.boundary_seen = measured is not None
            return True
        kind = list_kind(text)
        if kind and self.area:
            self._open(kind, line)
            return True
        if kinds and kinds[0] and len(segments) > 1 and self.area:  # 'Styrkor | • item …' as a table row
            self._open(kinds[0], segments[0])
            for segment in segments[1:]:
                self._item_line(self.lists[0], segment, page, column_break=False, edge=line.x1)
            return True
        if line.marker is None and CHAPTER.match(text) and len(text) < 90 and not text.endswith("."):
            self._close_lists()
            self.area, self.in_summary = None, False
            return True
        return False

    def _name_heading(self, line: Line, before: Line | None, after: list[Line]) -> bool:
        """A line naming an area alone starts it, in a report whose area chapters carry no number."""
        if not self.names_only or line.marker is not None:
            return False
        area = named_area_start(line.text, before.text if before else None, after[0].text if after else None,
                                self.area)
        if area is None:
            return False
        self._close_lists()
        self.area, self.in_summary = area, False
        return True

    def _run_in_item(self, line: Line, page: int, edge: float) -> bool:
        """A finding opened by its kind as a run-in label ("Styrka: Kommunen har …"), in an area: it starts
        an item of that kind's list (opened if need be); the lines after it go on as a wrapped item's do."""
        found = run_in_label(line) if self.area is not None and line.marker is None else None
        if found is None:
            return False
        kind, label_words = found
        current = self.lists[0] if len(self.lists) == 1 else None
        if current is None or current.kind != kind or current.left is not None or current.right is not None:
            self._open(kind, line)
            current = self.lists[0]
        rest = line.words[label_words:]
        text = " ".join(w.text for w in rest)
        current.start(line, page, text, rest[0].x0, marked=True)
        current.previous_text, current.previous_bottom = text, line.bottom
        current.previous_x1, current.previous_edge = line.x1, edge
        return True

    def _until_heading(self, lines: list[Line]) -> list[Line]:
        """The lines up to the next heading: the body of a table that starts above them."""
        body = []
        for line in lines:
            text = line.text.strip()
            if line.marker is None and (heading_area(text, self.settings.heading_similarity) or CHAPTER.match(text)
                                        or summary_heading_area(text, None)[0] or list_kind(text)
                                        or is_score_summary_heading(text)):
                break
            body.append(line)
        return body

    def _open(self, kind: str, line: Line) -> None:
        two_column = [l for l in self.lists if l.left is not None or l.right is not None]
        if two_column:
            for current in two_column:  # a heading inside a column of a two-column table
                if _in_column(current, line):
                    current.close()
                    current.kind = kind
                    self._note_opened(kind, line.page)
                    return
        self._close_lists()
        self.lists = [_List(self.area, kind)]
        self._note_opened(kind, line.page)

    # -- items ------------------------------------------------------------------------------
    def _item_line(self, current: _List, line: Line, page: int, column_break: bool, edge: float) -> bool:
        """Add a line to `current`; False when the line ends the list."""
        text = line.text.strip()
        found = marker(text)
        gap = None if current.previous_bottom is None or column_break else line.top - current.previous_bottom
        if found:
            first = line.words[0]
            body = line.words[1].x0 if is_marker_only(first.text) and len(line.words) > 1 else first.x0
            current.start(line, page, strip_marker(text), body, marked=True)
        elif current.item is not None and not current.marked and "".join(current.item.lines).strip() \
                and self._starts_unmarked(current, line, text, gap):
            current.start(line, page, text, None, marked=False)
        elif current.item is not None and self._bullet_lost_to_ocr(current, line, text):
            start_x, body_x = current.item.start_x, current.item.body_x
            current.start(line, page, text, body_x, marked=True)
            current.item.start_x = start_x
            current.item.trace = replace(current.item.trace, opened_by="ocr, bullet not seen")
        elif current.item is not None and self._continues(current, line, text, column_break, gap):
            current.item.lines.append(text)
            current.item.confidences += _confidences(line)
        elif current.item is None and not current.marked and current.previous_bottom is None:
            current.start(line, page, text, None, marked=False)
        else:
            return False
        if gap is not None and gap > 0 and (current.line_gap is None or gap < current.line_gap):
            current.line_gap = gap
        current.previous_text = text
        current.previous_x1, current.previous_edge = line.x1, edge
        current.previous_bottom = line.bottom
        return True

    def _continues(self, current: _List, line: Line, text: str, column_break: bool, gap: float | None) -> bool:
        item = current.item
        if not "".join(item.lines).strip():
            item.body_x = line.x0  # a bullet alone at the foot of a page: its text starts the next page
            return True
        tolerance = self.settings.indent_tolerance
        goes_on = _goes_on(text, current.previous_text, self._wrapped(current, line))
        if column_break:
            return goes_on or (item.body_x is not None and abs(line.x0 - item.body_x) <= tolerance
                               and item.body_x - item.start_x > 3 and not current.marked)
        paragraph = self.settings.paragraph_gap_factor
        if gap is not None and current.line_gap is not None and gap > paragraph * current.line_gap + 2 and not goes_on:
            return False  # a paragraph gap
        if item.body_x is not None and abs(line.x0 - item.body_x) <= tolerance and item.body_x - item.start_x > 3:
            return True  # hanging indent
        if item.body_x is None and item.start_x + 3 < line.x0 <= item.start_x + self.settings.hanging_indent_max:
            item.body_x = line.x0  # the first continuation of an unmarked item shows its hanging indent
            return True
        if abs(line.x0 - item.start_x) <= tolerance or (item.body_x is not None and abs(line.x0 - item.body_x) <= tolerance):
            return goes_on
        return False

    def _bullet_lost_to_ocr(self, current: _List, line: Line, text: str) -> bool:
        """On an OCR'd page of a bulleted list: a line at the items' text indent that opens with a capital
        after a line that did not wrap (its first word would have fitted there) is an item whose bullet OCR
        did not see. A text layer's bullets are all there, so its lines are never split this way."""
        item = current.item
        if not current.marked or not item.marked or item.body_x is None or not "".join(item.lines).strip():
            return False
        if not line.words or any(w.conf is None for w in line.words) or not _opens_upper(text):
            return False
        if abs(line.x0 - item.body_x) > self.settings.indent_tolerance or item.body_x - item.start_x <= 3:
            return False
        if current.previous_text.rstrip().endswith(_CONTINUING_ENDS) or current.previous_x1 is None:
            return False
        return not self._wrapped(current, line) and not self._could_wrap(current, line)

    @staticmethod
    def _could_wrap(current: _List, line: Line) -> bool:
        """Could the last line have wrapped before this line's first word (it would not have fitted)?"""
        first = line.words[0]
        space = max(0.25 * first.height, 1.0)
        return current.previous_x1 + space + (first.x1 - first.x0) > current.previous_edge + 1.0

    def _wrapped(self, current: _List, line: Line) -> bool:
        """Did the list's last line wrap? Yes when this line's first word would not have fitted after it."""
        if current.previous_x1 is None:
            return False
        words = [w for w in line.words if not is_marker_only(w.text)] or line.words
        first = words[0]
        space = max(0.25 * first.height, 1.0)
        fits = current.previous_x1 + space + (first.x1 - first.x0) <= current.previous_edge + 1.0
        near_edge = current.previous_x1 >= current.previous_edge - self.settings.full_line_share * \
            max(current.previous_edge - line.x0, 1.0)
        return near_edge and not fits

    def _starts_unmarked(self, current: _List, line: Line, text: str, gap: float | None) -> bool:
        """In a list without bullets: a new item at the list's left edge that does not go on the last."""
        item = current.item
        if abs(line.x0 - item.start_x) > self.settings.indent_tolerance or not _opens_upper(text):
            return False
        hanging = item.body_x is not None and item.body_x - item.start_x > 3
        unfinished = current.previous_text.rstrip().endswith(_CONTINUING_ENDS)
        return hanging or not unfinished or not self._wrapped(current, line) or (gap is not None and current.line_gap is not None
                                                          and gap > self.settings.paragraph_gap_factor * current.line_gap)

    # -- driving ----------------------------------------------------------------------------
    def read(self, pages) -> FindingsResult:
        self.names_only = not has_numbered_area_headings(lines_before_score_summary(pages))
        for page in pages:
            edges = _right_edges(page.lines)
            previous_top: float | None = None
            for index, (line, edge) in enumerate(zip(page.lines, edges)):
                column_break = previous_top is None or line.top < previous_top - 5
                previous_top = line.top
                if self._run_in_item(line, page.number, edge):
                    continue
                before = page.lines[index - 1] if index else None
                if self._name_heading(line, before, page.lines[index + 1:index + 2]) or \
                        self._heading(line, page.number, page.lines[index + 1:index + 60]):
                    if self.stopped:
                        return self.result
                    continue
                if not self.lists:
                    continue
                self._route(line, page.number, column_break, edge, page.lines[index:index + 60])
        self._close_lists()
        return self.result

    def _route(self, line: Line, page: int, column_break: bool, edge: float, following: list[Line]) -> None:
        if len(self.lists) == 1:
            current = self.lists[0]
            if not self._item_line(current, line, page, column_break, edge):
                self._close_lists()
                if current.kind == IMPROVEMENT:
                    self.in_summary = False
            return
        if not self.boundary_seen and self.headings is not None:  # the headings ended the page before
            measured = column_boundary(*self.headings, self._until_heading(following))
            if measured is not None:
                self.lists[0].right = self.lists[1].left = measured
            self.boundary_seen = True
        boundary = self.lists[0].right
        left = [w for w in line.words if w.x0 < boundary]
        right = [w for w in line.words if w.x0 >= boundary]
        if left and left[-1].x1 > boundary + 2:
            self._close_lists()  # a line across both columns: the table has ended
            return
        for current, words in ((self.lists[0], left), (self.lists[1], right)):
            if words:
                part = Line(line.page, words, marker=line.marker if words[0] is line.words[0] else None)
                if len(words) > 1 and words[0].text == "•" and part.marker is None:
                    part.marker = "glyph"
                self._item_line(current, part, page, column_break, current.right or edge)


def column_boundary(left: Line, right: Line, following: list[Line]) -> float | None:
    """Where the right column of a two-column findings table begins: the emptiest vertical strip
    between the two headings' centres in the lines below them (headings may be centred over
    their cells, so the text of a column can start left of its heading). None without lines below."""
    low, high = (left.x0 + left.x1) / 2, (right.x0 + right.x1) / 2
    words = [w for line in following for w in line.words if w.x1 > low and w.x0 < high]
    if not words or high - low < 4:
        return None
    best_count, best_end, best_width = None, right.x0 - 4, 0.0
    run_start, run_count = None, None
    x = low
    while x <= high:
        count = sum(1 for w in words if w.x0 < x < w.x1)
        if run_count is None or count != run_count:
            run_start, run_count = x, count
        width = x - run_start
        if best_count is None or count < best_count or (count == best_count and width > best_width):
            best_count, best_width, best_end = count, width, x
        x += 1.0
    starts = [w.x0 for w in words if w.x0 >= best_end - best_width - 1]
    return (min(starts) - 1) if starts else best_end


def _in_column(current: _List, line: Line) -> bool:
    if current.left is not None and line.x0 < current.left:
        return False
    if current.right is not None and line.x0 >= current.right:
        return False
    return True


def _right_edges(lines: list[Line]) -> list[float]:
    """For each line, the right edge of the column it stands in (the widest line starting near it)."""
    spans = sorted((line.x0, line.x1) for line in lines)
    by_start: dict[float, float] = {}
    window: deque[tuple[float, float]] = deque()  # spans in the window by start, their right edges falling
    following = 0
    for x0, _ in spans:  # the starts in increasing order: a sliding window of starts within 40 points
        if x0 in by_start:
            continue
        while following < len(spans) and spans[following][0] - x0 < 40:
            span = spans[following]
            while window and window[-1][1] <= span[1]:
                window.pop()
            window.append(span)
            following += 1
        while window[0][0] - x0 <= -40:
            window.popleft()
        by_start[x0] = window[0][1]
    return [by_start[line.x0] for line in lines]


def read_findings(pages, settings: ExtractionSettings = DEFAULT_SETTINGS) -> FindingsResult:
    """Every strength and improvement, with its area and the page where it starts."""
    return FindingsReader(settings).read(pages)
