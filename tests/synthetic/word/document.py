"""Write a `ReportSpec` as a Word document (python-docx) in one Word layout family."""
from __future__ import annotations

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.shared import Mm, Pt, RGBColor

from tests.synthetic.render import contents_lines, date_label
from tests.synthetic.seedtext import HEADING, ITEM, PARAGRAPH, TABLE, TABLE1, TABLE2, Block
from tests.synthetic.spec import SUMMARY_ONLY, ReportSpec
from tests.synthetic.word import ooxml, tables
from tests.synthetic.word.layouts import WordLayout

HEADING_BLUE = RGBColor(0x36, 0x5F, 0x91)
MARGIN = Mm(25)


class WordWriter:
    """One Word document being written: the layout's paragraph kinds over python-docx."""

    def __init__(self, spec: ReportSpec, layout: WordLayout):
        self.spec, self.layout = spec, layout
        self.document = Document()
        ooxml.set_language_and_font(self.document, layout.font, layout.size)
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        self.bullet_list = ooxml.add_bullet_numbering(self.document) if layout.bullets == "numbering" else None
        if layout.hyphenate:
            ooxml.turn_on_hyphenation(self.document)
        self._footer(section)

    @property
    def text_width(self) -> float:
        """Width between the margins of the current section, in points."""
        section = self.document.sections[-1]
        return (section.page_width - section.left_margin - section.right_margin) / 12700

    def _footer(self, section) -> None:
        paragraph = section.footer.paragraphs[0]
        paragraph.text = self.layout.footer.format(kommun=self.spec.kommun, year=self.spec.year)
        ooxml.add_page_field(paragraph)
        for run in paragraph.runs:
            run.font.size = Pt(self.layout.size - 1.5)

    def heading(self, text: str, level: int = 2):
        """A heading: Word's Heading N style, or a bold Normal paragraph in plain layouts."""
        if self.layout.heading_styles:
            paragraph = self.document.add_heading(text, level)
            for run in paragraph.runs:
                run.font.color.rgb = HEADING_BLUE
            return paragraph
        paragraph = self.document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(self.layout.size + {1: 4, 2: 2}.get(level, 0))
        paragraph.paragraph_format.space_before = Pt(self.layout.size * (1.2 if level < 3 else 0.6))
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def para(self, text: str, bold: bool = False):
        paragraph = self.document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = bold
        if self.layout.hyphenate:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.space_after = Pt(self.layout.size * 0.6)
        return paragraph

    def item(self, text: str, line_break_at: int | None = None):
        """A list item: a Word list paragraph (Symbol bullet) or a typed "- " line.

        `line_break_at`: a character offset (at a space) where a manual line break (w:br) replaces
        the space, as an author pressing Shift+Enter would write it."""
        paragraph = self.document.add_paragraph()
        if self.bullet_list is not None:
            ooxml.set_numbering(paragraph, self.bullet_list)
        else:
            text = f"- {text}"
            line_break_at = None if line_break_at is None else line_break_at + 2
        if line_break_at is None:
            paragraph.add_run(text)
        else:
            paragraph.add_run(text[:line_break_at]).add_break(WD_BREAK.LINE)
            paragraph.add_run(text[line_break_at + 1:])
        paragraph.paragraph_format.space_after = Pt(2)
        if self.layout.hyphenate:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        return paragraph

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def blank_space(self, height_pt: float) -> None:
        """An empty paragraph of exactly `height_pt` (what an author leaves for a figure)."""
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.paragraph_format.line_spacing = Pt(height_pt)
        paragraph.paragraph_format.space_after = Pt(0)

    def save(self, path) -> None:
        self.document.core_properties.title = f"Kommunkompassen {self.spec.kommun} {self.spec.year}"
        self.document.core_properties.author = "Sveriges Kommuner och Landsting"
        self.document.save(str(path))


def manual_break(spec: ReportSpec) -> dict[int, tuple[int, int]]:
    """{area: (finding index, offset)}: the longest finding of the report, broken at the space
    nearest its middle (findings indexed strengths first, then improvements)."""
    candidates = [(len(text), area.number, index, text) for area in spec.areas
                  for index, text in enumerate(area.strengths + area.improvements) if " " in text]
    if not candidates:
        return {}
    _, number, index, text = max(candidates)
    middle = len(text) // 2
    offset = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return {number: (index, offset)}


def write_title_page(w: WordWriter) -> None:
    spec = w.spec
    w.para("Sektionen för Demokrati och styrning")
    w.blank_space(60)
    title = w.document.add_paragraph()
    run = title.add_run("Kommunkompassen")
    run.bold, run.font.size = True, Pt(28)
    w.heading("Analys", 1)
    w.heading(f"av {spec.kommun} Kommun", 1)
    w.heading(date_label(spec, "iso"), 2)
    w.blank_space(24)
    w.para("Innehåll:", bold=True)
    contents = contents_lines(spec)
    for line in contents:
        w.para(line)
    w.blank_space(30)
    for evaluator in spec.evaluators:
        w.para(f"{evaluator.name}, {evaluator.organisation}")
    w.page_break()


def write_blocks(w: WordWriter, blocks: list[Block]) -> None:
    for block in blocks:
        if block.kind == HEADING:
            w.heading(block.text, 2)
        elif block.kind == PARAGRAPH:
            w.para(block.text)
        elif block.kind == ITEM:
            w.item(block.text)
        elif block.kind == TABLE:
            tables.small_table(w, block.rows)
        elif block.kind == TABLE1:
            tables.area_summary(w)
        elif block.kind == TABLE2 and w.spec.has_comparison_table and w.spec.comparisons:
            tables.comparison(w)


def write_areas(w: WordWriter) -> None:
    w.heading("3 Detaljerad genomgång i förhållande till Kommunkompassens åtta områden", 1)
    breaks = manual_break(w.spec) if w.layout.manual_break_finding else {}
    for area in w.spec.areas:
        w.heading(w.layout.area_heading.format(number=area.number, name=area.name), 1)
        for question in area.prose_questions:
            w.item(question)
        write_blocks(w, area.prose)
        wording = w.spec.wording
        w.heading(w.spec.words(wording.findings_heading, number=area.number), 2)
        for label, texts, offset in ((wording.strengths, area.strengths, 0),
                                     (wording.improvements, area.improvements, len(area.strengths))):
            w.heading(label, 3)
            for index, text in enumerate(texts, start=offset):
                at = breaks.get(area.number)
                w.item(text, at[1] if at and at[0] == index else None)


def write_summary(w: WordWriter) -> None:
    spec = w.spec
    if w.layout.summary == "table_side_by_side":
        ooxml.add_landscape_section(w.document)
    else:
        w.page_break()
    w.heading(f"4. {spec.summary_heading}", 1)
    w.para("Kommunens resultat per område", bold=True)
    w.para("Nedan följer en redovisning av poäng på varje delfråga. Den sammanlagda poängen på varje "
           "huvudområde är 100 möjliga.")
    w.para(f"KOMMUNKOMPASSEN – RESULTAT AV HUVUDOMRÅDEN OCH DELFRÅGOR {spec.kommun.upper()} KOMMUN {spec.year}",
           bold=True)
    if w.layout.summary == "table_side_by_side":
        tables.summary_side_by_side(w)
    else:
        tables.summary_tab_lines(w)


def write_summary_only(w: WordWriter) -> None:
    """A short result summary: title lines, a few paragraphs and the area table."""
    from tests.synthetic.summary_only import title_lines

    title, subtitle, *rest = title_lines(w.spec)
    paragraph = w.document.add_paragraph()
    run = paragraph.add_run(title)
    run.bold, run.font.size = True, Pt(24)
    w.heading(subtitle, 1)
    for line in rest:
        w.para(line)
    for text in w.spec.intro[:-1]:
        w.para(text)
    tables.area_summary(w)
    w.para(w.spec.intro[-1])


def build_document(spec: ReportSpec, layout: WordLayout) -> WordWriter:
    """The whole report as a Word document (not yet saved)."""
    w = WordWriter(spec, layout)
    if spec.form == SUMMARY_ONLY:
        write_summary_only(w)
        return w
    write_title_page(w)
    w.heading("1 Vad är Kommunkompassen", 1)
    write_blocks(w, spec.chapter1)
    w.page_break()
    w.heading(f"2 {spec.kommun} kommun i förhållande till Kommunkompassen: En sammanfattande genomgång", 1)
    write_blocks(w, spec.chapter2)
    w.page_break()
    write_areas(w)
    if spec.has_score_summary:
        write_summary(w)
    return w
