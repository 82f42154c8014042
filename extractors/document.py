"""A PDF as pages of positioned words, in reading order, with the small marks drawn beside them.

pypdfium2 reads the text layer: its text in content order (the producer's reading order) gives the
lines; each word gets the loose boxes of its first and last characters (font height, not ink), so
reading every page costs a few hundredths of a second per page. Small filled paths and images are
kept as possible drawn bullets (browsers draw list markers as shapes). Running headers and footers
and bare page numbers are recognised by their place on the page and removed; each page's text layer
is judged readable or not (`extractors.textquality`).
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.errors import DamagedPdf
from extractors.layout import Line, Word, same_line, words_to_lines
from extractors.markers import attach_drawn_bullets, join_lone_markers, mark_ocr_bullets, without_leading_baseline_period
from extractors.pdftext import normalise, open_document, sha256_of
from extractors.ocr_correction import correct_line
from extractors.reading_order import level_boxes, usual_height, without_flat_specks, without_ocr_noise
from extractors.rules import MAX_SEGMENTS_PER_PAGE, Rule, page_rules
from extractors.running import remove_running_lines
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings
from extractors.textquality import TextQuality, judge_page, judge_words, known_words
from extractors.unmapped_glyphs import decode_t1, reads_as_t1

TEXT_LAYER = "text"
OCR = "ocr"
_TOKEN = re.compile(r"[^\s\ufffe]+\ufffe?|\ufffe")
_MARK_OBJECTS = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE)


@dataclass(slots=True)
class Shape:
    """A small drawn mark (a filled circle or square, a tiny image): a possible list bullet."""

    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Page:
    """One page: its lines in reading order, every word, the drawn marks and rules, and how it was read."""

    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]
    shapes: list[Shape] = field(default_factory=list)
    source: str = TEXT_LAYER  # "text" (pypdfium2), "pdfplumber" (re-read), "ocr"
    quality: TextQuality | None = None
    removed: list[Line] = field(default_factory=list)  # running headers, footers, page numbers
    image_share: float = 0.0  # share of the page covered by images
    notes: list[str] = field(default_factory=list)  # what reading the page changed (OCR'd words mended …)
    rules: list[Rule] = field(default_factory=list)  # drawn horizontal and vertical rules (table borders)
    settings: ExtractionSettings = field(default=DEFAULT_SETTINGS, repr=False, compare=False)  # what it was read with

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    @cached_property
    def rows(self) -> list[Line]:
        """The page's words regrouped into geometric rows, top to bottom (for tables)."""
        return words_to_lines(self.words, self.number, self.settings)

    @property
    def readable(self) -> bool:
        return self.quality is None or self.quality.readable


@dataclass
class Document:
    path: Path
    sha256: str
    pages: list[Page]
    ocr_note: str | None = None  # why pages that needed OCR were not OCR'd (Tesseract missing …)

    def unreadable_pages(self) -> list[int]:
        return [p.number for p in self.pages if not p.readable]

    def ocr_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.source == OCR]


class _Frame:
    """Maps pdfium's page space (origin bottom left, unrotated) to the displayed page, origin top left."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        self.x0, self.y0, self.x1, self.y1 = page.get_cropbox()
        self.rotation = page.get_rotation() % 360
        width, height = self.x1 - self.x0, self.y1 - self.y0
        self.width, self.height = (height, width) if self.rotation in (90, 270) else (width, height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return y - self.y0, x - self.x0
        if self.rotation == 180:
            return self.x1 - x, y - self.y0
        if self.rotation == 270:
            return self.y1 - y, self.x1 - x
        return x - self.x0, self.y1 - y

    def shows(self, x0: float, x1: float, top: float, bottom: float) -> bool:
        """Whether a box belongs to the displayed page: printers' crop marks and slug lines above, below
        or left of the crop box are not the report's text. Text running off the right edge is kept: a
        table wider than the page (an overfull line) still holds the report's numbers."""
        if x1 <= 0 or not 0 < (top + bottom) / 2 < self.height:
            return False
        if x0 >= self.width:  # wholly right of the page: an overfull line's words, not a mark across a corner
            return top >= 0 and bottom <= self.height
        return True

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, x1, top, bottom) on the displayed page."""
        ax, ay = self.point(left, top)
        bx, by = self.point(right, bottom)
        return min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)


class _CharBoxes:
    """Loose character boxes (font ascent to descent) from pdfium, with the tight box as fallback."""

    def __init__(self, textpage: pdfium.PdfTextPage, frame: _Frame) -> None:
        self.raw = textpage.raw
        self.frame = frame
        self.rect = pdfium_c.FS_RECTF()
        self.left, self.right, self.bottom, self.top = (ctypes.c_double() for _ in range(4))
        self.upright = frame.rotation == 0

    def __call__(self, index: int) -> tuple[float, float, float, float] | None:
        r = self.rect
        if pdfium_c.FPDFText_GetLooseCharBox(self.raw, index, r) and r.top > r.bottom and r.right >= r.left:
            if self.upright:
                frame = self.frame
                return r.left - frame.x0, r.right - frame.x0, frame.y1 - r.top, frame.y1 - r.bottom
            return self.frame.box(r.left, r.bottom, r.right, r.top)
        if pdfium_c.FPDFText_GetCharBox(self.raw, index, self.left, self.right, self.bottom, self.top):
            return self.frame.box(self.left.value, self.bottom.value, self.right.value, self.top.value)
        return None


def _word(text: str, first: tuple, last: tuple) -> Word:
    return Word(text, first[0] if first[0] < last[0] else last[0], first[1] if first[1] > last[1] else last[1],
                first[2] if first[2] < last[2] else last[2], first[3] if first[3] > last[3] else last[3])


def _split_by_characters(raw: str, start: int, boxes: _CharBoxes, settings: ExtractionSettings) -> list[Word]:
    """Re-read a suspicious token character by character, cutting where characters stand apart."""
    words: list[Word] = []
    current: list[tuple[str, tuple]] = []
    for offset, char in enumerate(raw):
        box = boxes(start + offset)
        if box is None:
            continue
        if current:
            previous = current[-1][1]
            height = max(previous[3] - previous[2], 1.0)
            apart = box[0] - previous[1] > settings.char_gap_em * height or box[0] < previous[0] - 1
            jumped = abs((box[2] + box[3]) / 2 - (previous[2] + previous[3]) / 2) > 0.5 * height
            if apart or jumped:
                words.append(_from_chars(current))
                current = []
        current.append((char, box))
    if current:
        words.append(_from_chars(current))
    return [w for w in words if w.text]


def _from_chars(chars: list[tuple[str, tuple]]) -> Word:
    text = normalise("".join(c for c, _ in chars).replace("\ufffe", "-")).strip()
    boxes = [b for _, b in chars]
    return Word(text, min(b[0] for b in boxes), max(b[1] for b in boxes), min(b[2] for b in boxes),
                max(b[3] for b in boxes))


def _beside_last(word: Word, last: Word, settings: ExtractionSettings) -> bool:
    """A line break pdfium put between two glyphs set side by side on one baseline is not one (some
    producers place every glyph on its own)."""
    return same_line(word, last, settings) and 0 <= word.x0 - last.x1 + 1 <= settings.touching_em * max(word.height, 1.0) + 1


def _joined(first: Word, second: Word) -> Word:
    return Word(first.text + second.text, first.x0, second.x1, min(first.top, second.top),
                max(first.bottom, second.bottom))


def _text_lines(textpage: pdfium.PdfTextPage, frame: _Frame, number: int,
                settings: ExtractionSettings) -> tuple[list[Line], str]:
    """The page's words grouped into lines in content order, and the raw text; a line also ends where
    the next word stands left of the last one or on another height (pdfium joins a hyphenated line
    to the next)."""
    raw = textpage.get_text_range()
    boxes = _CharBoxes(textpage, frame)
    lines: list[Line] = []
    current: list[Word] = []
    last_end = 0
    broken = False  # pdfium put a line break before this token
    for match in _TOKEN.finditer(raw):
        start, end = match.span()
        broken = "\n" in raw[last_end:start] or "\r" in raw[last_end:start]
        last_end = end
        token = match.group()
        first, last = boxes(start), boxes(end - 1)
        if first is None or last is None:
            continue
        height = max(first[3] - first[2], 1.0)
        wide = last[1] - first[0] > settings.wide_word_em * height * len(token) + 2
        if wide or abs((first[2] + first[3]) / 2 - (last[2] + last[3]) / 2) > 0.5 * height:
            found = _split_by_characters(token, start, boxes, settings)
        else:
            text = normalise(token.replace("\ufffe", "-")).strip()
            found = [_word(text, first, last)] if text else []
        for word in found:
            if not frame.shows(word.x0, word.x1, word.top, word.bottom):
                continue
            if current and broken and not _beside_last(word, current[-1], settings):
                lines.append(Line(number, current))
                current = []
            broken = False
            if current and (word.x0 < current[-1].x1 - 1 or not same_line(word, current[-1], settings)):
                lines.append(Line(number, current))
                current = []
            if current and word.x0 - current[-1].x1 <= settings.touching_em * max(word.height, 1.0):
                current[-1] = _joined(current[-1], word)  # glyphs set one by one, touching: one word
                continue
            current.append(word)
    if current:
        lines.append(Line(number, current))
    return lines, raw


def _shapes(page: pdfium.PdfPage, frame: _Frame,
            settings: ExtractionSettings) -> tuple[list[Shape], float, list[Rule], bool]:
    """Small, roughly square drawn marks (the candidates for drawn list bullets), the share of the
    page that images cover (a scan is one image over the whole page), and the drawn rules (table
    borders; `extractors.rules`), with whether their count was cut at the bound."""
    shapes = []
    paths = []
    image_area = 0.0
    for obj in page.get_objects(filter=_MARK_OBJECTS, max_depth=1):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths.append(obj)
        left, bottom, right, top = obj.get_bounds()
        x0, x1, y0, y1 = frame.box(left, bottom, right, top)
        if not frame.shows(x0, x1, y0, y1):
            continue
        width, height = x1 - x0, y1 - y0
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            image_area += max(0.0, min(x1, frame.width) - max(x0, 0.0)) * max(0.0, min(y1, frame.height) - max(y0, 0.0))
        if min(width, height) < settings.marker_min_size or max(width, height) > 12:
            continue
        if 0.5 <= width / height <= 2.0:
            shapes.append(Shape(x0, x1, y0, y1))
    rules, cut = page_rules(paths, frame.point, frame.width, frame.height)
    return shapes, min(1.0, image_area / max(frame.width * frame.height, 1.0)), rules, cut


def read_page(document: pdfium.PdfDocument, index: int, settings: ExtractionSettings = DEFAULT_SETTINGS) -> Page:
    """One page's lines of words and its drawn marks, from the text layer."""
    page = document[index]
    try:
        frame = _Frame(page)
        textpage = page.get_textpage()
        try:
            lines, raw = _text_lines(textpage, frame, index + 1, settings)
            quality = judge_page(lines, raw, textpage, settings)
        finally:
            textpage.close()
        shapes, image_share, rules, rules_cut = _shapes(page, frame, settings)
        if quality.readable and image_share >= SCAN_IMAGE_SHARE and _invisible_text_share(page) >= 0.9:
            quality = TextQuality(False, quality.words, quality.known_share, INVISIBLE_OCR_LAYER)
    finally:
        page.close()
    lines = join_lone_markers(lines)
    attach_drawn_bullets(lines, shapes, settings.marker_max_em, settings.marker_reach_em, settings.cell_gap_em)
    notes = [f"page {index + 1}: more than {MAX_SEGMENTS_PER_PAGE} drawn path segments; the rest were not read "
             "as table rules"] if rules_cut else []
    return Page(index + 1, frame.width, frame.height, lines, shapes, TEXT_LAYER, quality, image_share=image_share,
                rules=rules, notes=notes, settings=settings)


SCAN_IMAGE_SHARE = 0.9  # an image over this share of the page: a scanned page
INVISIBLE_OCR_LAYER = ("an invisible text layer over a scanned image (another program's OCR, its numbers never "
                       "held to the report's sums)")


def _invisible_text_share(page: pdfium.PdfPage) -> float:
    """Share of the page's text objects drawn invisibly (render mode 3): the words an OCR program lays
    over a scan so that it can be searched."""
    texts = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=3))
    if not texts:
        return 0.0
    invisible = sum(1 for obj in texts
                    if pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
    return invisible / len(texts)


def _read_page_or_note(document: pdfium.PdfDocument, index: int, settings: ExtractionSettings) -> Page:
    """One page; a page pdfium cannot parse becomes an empty, unreadable page instead of failing the PDF."""
    try:
        return read_page(document, index, settings)
    except pdfium.PdfiumError as error:
        reason = f"the page could not be read ({error})"
        return Page(index + 1, 0.0, 0.0, [], quality=TextQuality(False, 0, 0.0, reason))


def reread_with_pdfplumber(path: Path, pages: list[Page], settings: ExtractionSettings) -> None:
    """Pages pdfium could not decode, read again with pdfplumber (pdfminer.six decodes some fonts
    differently); a page is replaced only when pdfplumber's text is readable."""
    unreadable = [page for page in pages if not page.readable and page.quality.reason not in ("no text",
                                                                                             INVISIBLE_OCR_LAYER)]
    if not unreadable:
        return
    import pdfplumber

    try:
        coded: list[str] = []  # words with glyph codes pdfminer could not map, on the pages so far
        with pdfplumber.open(path, pages=[page.number for page in unreadable]) as pdf:
            for position, (page, plumbed) in enumerate(zip(unreadable, pdf.pages)):
                plumbed = plumbed.crop(plumbed.bbox)  # what lies outside the crop box is not shown
                words = [Word(text, w["x0"], w["x1"], w["top"], w["bottom"])
                         for w in plumbed.extract_words(x_tolerance=1.5, y_tolerance=2)
                         if (text := normalise(w["text"]).strip())]
                coded.extend(w.text for w in words if "(cid:" in w.text)
                if coded and reads_as_t1(coded):  # TeX's T1 fonts without a Unicode map
                    words = [replace(w, text=decode_t1(w.text)) for w in words]
                quality = judge_words([w.text for w in words], settings)
                if quality.readable:
                    page.lines = join_lone_markers(words_to_lines(words, page.number, settings))
                    page.quality = quality
                    page.source = "pdfplumber"
                    page.__dict__.pop("rows", None)
                elif position == 0:
                    return  # pdfplumber cannot read the first such page either: the fonts carry no text
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds; the pages stay unreadable
        return


OCR_AUTO, OCR_ALWAYS, OCR_NEVER = "auto", "always", "never"


def is_municipality(name: str) -> bool:
    from extractors.municipalities import lookup

    return lookup(name) is not None


def is_swedish_word(word: str) -> bool:
    """A Swedish word form: the treebank's and the vocabulary's, a municipality's name, then spaCy's
    lookup table."""
    if word in known_words():
        return True
    from extractors.lemmas import lemma_table

    if is_municipality(word):
        return True

    table = lemma_table()
    return word in table or table.is_lemma(word)


def ocr_lines(ocr_words, number: int, settings: ExtractionSettings, notes: list[str],
              known_words: frozenset[str] = frozenset()) -> list[Line]:
    """Tesseract's words as lines in its reading order: its own text lines (a slightly slanted line
    stays one), each word given the line's height (`level_boxes`), bullets OCR read as 'e' or '«' made
    bullets, specks it read as characters (flat ones first, on Tesseract's own boxes) left out, and words it misread mended where a dictionary
    settles them (`ocr_correction`; each mend added to `notes`). `known_words` (casefolded) are words the
    document prints on its text pages: a scanned page among them is read with their vocabulary too."""

    def is_word(text: str) -> bool:
        return text.casefold() in known_words or is_swedish_word(text)

    def is_name(text: str) -> bool:  # a capitalised word the text pages print is one of the document's names
        return text.casefold() in known_words or is_municipality(text)

    by_line: dict[int, list[Word]] = {}
    for w in ocr_words:
        if w.text:
            by_line.setdefault(w.line, []).append(
                Word(w.text, w.x0, w.x1, w.top, w.bottom, conf=w.confidence, alternatives=w.alternatives))
    lines = []
    usual_on_page = usual_height([w for words in by_line.values() for w in words])
    for words in by_line.values():
        words = without_leading_baseline_period(sorted(words, key=lambda w: w.x0))
        words = without_flat_specks(words, usual_on_page, settings)
        if words:  # one Tesseract line may hold cells far apart: kept whole here, the tables read rows of words
            lines.append(Line(number, words))
    level_boxes(lines)
    mark_ocr_bullets(lines)  # before the specks go: a bullet OCR doubted is still a bullet
    kept = []
    for line in lines:
        words = without_ocr_noise(line.words, is_word, settings)
        words, mended = correct_line(words, is_word, settings.ocr_correct_confidence, is_name)
        notes.extend(mended)
        if words:
            kept.append(Line(number, words, marker=line.marker if words[0] is line.words[0] else None))
    mark_ocr_bullets(kept)  # a bullet that stood behind a speck
    return kept


def needs_ocr(page: Page) -> bool:
    """An unreadable text layer, or no text on a page that is mostly image (a scan)."""
    if page.readable or page.quality is None:
        return False
    if page.quality.reason == "no text":
        return page.image_share >= 0.25
    return not page.quality.reason.startswith("the page could not")


def text_page_words(pages: list[Page]) -> frozenset[str]:
    """The words (casefolded, letters only, three or more) the readable text pages print: names of
    municipalities, areas and questions a scanned page of the same document prints too."""
    return frozenset(core.casefold() for page in pages for word in page.words
                     if len(core := word.text.strip(".,:;!?()\"”")) >= 3 and core.isalpha())


def read_with_ocr(path: Path, pages: list[Page], mode: str, settings: ExtractionSettings,
                  ocr_settings=None, progress=None) -> str | None:
    """OCR the pages that need it (every page with mode 'always'): their words replace the text
    layer's. Returns why pages that needed OCR were left unread (Tesseract missing), else None."""
    targets = [page for page in pages if mode == OCR_ALWAYS or (mode == OCR_AUTO and needs_ocr(page))]
    if not targets:
        return None
    from extractors.ocr import OcrSettings, OcrUnavailable, ocr_pages

    try:
        results = ocr_pages(path, [page.number - 1 for page in targets], ocr_settings or OcrSettings(),
                            progress=progress)
    except OcrUnavailable as error:
        if mode == OCR_ALWAYS:
            raise
        return str(error)
    known = text_page_words([page for page in pages if page not in targets and page.readable])
    for page, result in zip(targets, results):
        if result.error:
            page.quality = TextQuality(False, 0, 0.0, f"OCR failed ({result.error})")
            continue
        page.width, page.height = result.width, result.height
        mended: list[str] = []
        page.lines = join_lone_markers(ocr_lines(result.words, page.number, settings, mended, known))
        if mended:
            page.notes.append(f"page {page.number}: {len(mended)} OCR'd words mended by the dictionary "
                              f"({'; '.join(mended[:4])}{' …' if len(mended) > 4 else ''})")
        page.shapes = []
        page.rules = [Rule(*rule) for rule in result.rules]  # the rules the scan's preparation found (the `ocr` strategy)
        page.source = OCR
        page.quality = judge_words([w.text for line in page.lines for w in line.words], settings)
        page.__dict__.pop("rows", None)
    return None


def read_document(path: str | Path, settings: ExtractionSettings = DEFAULT_SETTINGS, ocr: str = OCR_AUTO,
                  ocr_settings=None, progress=None) -> Document:
    """Every page of a PDF as positioned words, running headers and footers removed; pages without a
    readable text layer read by OCR (`ocr`: 'auto' those pages, 'always' every page, 'never')."""
    if ocr not in (OCR_AUTO, OCR_ALWAYS, OCR_NEVER):
        raise ValueError(f"ocr must be one of {OCR_AUTO}, {OCR_ALWAYS}, {OCR_NEVER}; got {ocr!r}")
    path = Path(path)
    document = open_document(path)
    try:
        pages = [_read_page_or_note(document, index, settings) for index in range(len(document))]
    finally:
        document.close()
    failed = [page for page in pages if page.quality is not None and page.quality.reason.startswith("the page could not")]
    if failed and not any(page.readable for page in pages):
        raise DamagedPdf(f"{path.name}: the PDF is damaged and cannot be read (page {failed[0].number}: "
                         f"{failed[0].quality.reason})")
    reread_with_pdfplumber(path, pages, settings)
    note = read_with_ocr(path, pages, ocr, settings, ocr_settings, progress) if ocr != OCR_NEVER else None
    remove_running_lines(pages, settings)
    return Document(path=path, sha256=sha256_of(path), pages=pages, ocr_note=note)
