"""Draw a `ReportSpec` as a PDF in one of the layout families (reportlab platypus)."""
from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether,
                                NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer, Table)

from tests.synthetic import tables
from tests.synthetic.hyphenated import HyphenatedParagraph
from tests.synthetic.layouts import LayoutSettings, layout_named
from tests.synthetic.seedtext import HEADING, ITEM, PARAGRAPH, TABLE, TABLE1, TABLE2, Block
from tests.synthetic.spec import SUMMARY_ONLY, ReportSpec

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")
TOP, BOTTOM = 22 * mm, 22 * mm


def _register_fonts() -> None:
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
        pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))


def summary_title(spec: ReportSpec) -> str:
    """Chapter 4's title in the report's wording (the seed's: 2002–2009 "Poängsammanställning")."""
    return spec.summary_heading


def contents_lines(spec: ReportSpec) -> list[str]:
    """The title page's table of contents (chapter 4 only when there is a score summary)."""
    lines = ["1. Vad är Kommunkompassen?",
             f"2. {spec.kommun} kommun i förhållande till Kommunkompassen: En sammanfattande genomgång",
             "3. Detaljerad genomgång i förhållande till Kommunkompassens åtta områden"]
    return lines + ([f"4. {spec.summary_heading}"] if spec.has_score_summary else [])


def date_label(spec: ReportSpec, style: str) -> str:
    if style == "iso":
        return spec.date_label
    first, last = spec.dates[0], spec.dates[-1]
    month = MONTHS[int(first[5:7]) - 1]
    days = str(int(first[8:])) if first == last else f"{int(first[8:])}–{int(last[8:])}"
    return f"{days} {month} {first[:4]}"


class FillTo(Flowable):
    """Blank space that leaves exactly `keep` points of the frame free (to force a table split)."""

    def __init__(self, keep: float):
        super().__init__()
        self.keep = keep

    def wrap(self, avail_width, avail_height):
        self.height = max(0.0, avail_height - self.keep)
        return avail_width, self.height

    def draw(self):
        pass


class Styles:
    """Paragraph styles of one layout."""

    def __init__(self, s: LayoutSettings):
        self.settings = s
        self.body = ParagraphStyle("body", fontName=s.font, fontSize=s.size, leading=s.leading, spaceAfter=s.size * 0.6,
                                   alignment=TA_JUSTIFY if s.hyphenate else 0)
        self.h1 = ParagraphStyle("h1", fontName=s.bold_font, fontSize=s.size + 4, leading=s.size * 1.8,
                                 spaceBefore=s.size, spaceAfter=s.size * 0.6, textColor=colors.Color(0.21, 0.37, 0.57))
        self.h2 = ParagraphStyle("h2", parent=self.h1, fontSize=s.size + 1.5, leading=s.size * 1.5,
                                 spaceBefore=s.size * 0.6, spaceAfter=s.size * 0.3)
        self.h3 = ParagraphStyle("h3", parent=self.body, fontName=s.bold_font, spaceAfter=s.size * 0.3)
        self.glyph_item = ParagraphStyle("item", parent=self.body, leftIndent=16, bulletIndent=4, spaceAfter=2,
                                         bulletFontName="Vera")  # a TrueType "•" with a Unicode mapping
        self.title = ParagraphStyle("title", fontName=s.bold_font, fontSize=28, leading=34, spaceAfter=12)

    def para(self, text: str) -> Flowable:
        s = self.settings
        if s.hyphenate:
            return HyphenatedParagraph(text, s.font, s.size, s.leading, space_after=s.size * 0.6)
        return Paragraph(escape(text), self.body)

    def item(self, text: str, dash: str = "–") -> Flowable:
        s = self.settings
        if s.bullets == "glyph":
            return Paragraph(escape(text), self.glyph_item, bulletText="•")
        if s.bullets == "typed_dash":
            return Paragraph(escape(f"{dash} {text}"), ParagraphStyle("dash", parent=self.body, spaceAfter=2))
        return HyphenatedParagraph(text, s.font, s.size, s.leading, bullet="–", indent=10, space_after=2)

    def heading(self, text: str, level: int = 3) -> Paragraph:
        return Paragraph(escape(text), {1: self.h1, 2: self.h2, 3: self.h3}[level])


def _blocks(blocks: list[Block], st: Styles, spec: ReportSpec, width: float) -> list[Flowable]:
    story: list[Flowable] = []
    for block in blocks:
        if block.kind == HEADING:
            story += [CondPageBreak(4 * st.settings.leading), st.heading(block.text, 2)]
        elif block.kind == PARAGRAPH:
            story.append(st.para(block.text))
        elif block.kind == ITEM:
            story.append(st.item(block.text, dash="-"))
        elif block.kind == TABLE:
            story += [Table(block.rows, colWidths=[width * 0.5, width * 0.15], hAlign="LEFT",
                            style=tables.table_style(st.settings, header_rows=0)), Spacer(1, 8)]
        elif block.kind == TABLE1:
            story += _table1(spec, st, width)
        elif block.kind == TABLE2 and spec.has_comparison_table and spec.comparisons:
            story += _table2(spec, st, width)
    return story


def _table1(spec: ReportSpec, st: Styles, width: float) -> list[Flowable]:
    caption = spec.words(spec.wording.area_caption)
    parts = ([st.heading(caption)] if caption else []) + [tables.area_summary(spec, st.settings, width)]
    return [KeepTogether(parts), Spacer(1, 10)]


def _table2(spec: ReportSpec, st: Styles, width: float) -> list[Flowable]:
    caption = st.heading(spec.words(spec.wording.comparison_caption))
    parts = tables.comparison_tables(spec, st.settings, width)
    if len(parts) == 2:  # leave room for the caption and the first part only: the rest goes overleaf
        _, first_height = parts[0].wrap(width, 10_000)
        return [FillTo(first_height + 3 * st.settings.leading), caption, parts[0], PageBreak(), parts[1],
                Spacer(1, 10)]
    return [caption, *parts, Spacer(1, 10)]


def _title_page(spec: ReportSpec, st: Styles) -> list[Flowable]:
    s = st.settings
    story: list[Flowable] = [Paragraph("Sektionen för Demokrati och styrning", st.body), Spacer(1, 30 * mm),
                             Paragraph("Kommunkompassen", st.title), Paragraph("Analys", st.h1),
                             Paragraph(escape(f"av {spec.kommun} Kommun"), st.h1),
                             Paragraph(date_label(spec, s.date_style), st.h2), Spacer(1, 12 * mm),
                             Paragraph("Innehåll:", st.h3)]
    contents = contents_lines(spec)
    story += [Paragraph(escape(line), st.body) for line in contents]
    story.append(Spacer(1, 15 * mm))
    story += [Paragraph(escape(f"{e.name}, {e.organisation}"), st.body) for e in spec.evaluators]
    return story + [PageBreak()]


def _area_story(spec: ReportSpec, st: Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [st.heading("3 Detaljerad genomgång i förhållande till Kommunkompassens åtta områden", 1)]
    for area in spec.areas:
        story += [CondPageBreak(8 * st.settings.leading), st.heading(f"Område {area.number} {area.name}", 1)]
        story += [st.item(text, dash="-") for text in area.prose_questions]
        story += _blocks(area.prose, st, spec, width)
        wording = spec.wording
        story += [CondPageBreak(6 * st.settings.leading),
                  st.heading(spec.words(wording.findings_heading, number=area.number), 2), st.heading(wording.strengths)]
        story += [st.item(text) for text in area.strengths]
        story.append(st.heading(wording.improvements))
        story += [st.item(text) for text in area.improvements]
    return story


def _summary_story(spec: ReportSpec, st: Styles, width: float) -> list[Flowable]:
    s = st.settings
    story: list[Flowable] = [st.heading(f"4. {summary_title(spec)}", 1), st.heading("Kommunens resultat per område"),
                             st.para("Nedan följer en redovisning av poäng på varje delfråga. Den sammanlagda "
                                     "poängen på varje huvudområde är 100 möjliga."),
                             st.heading(f"KOMMUNKOMPASSEN – RESULTAT AV HUVUDOMRÅDEN OCH DELFRÅGOR "
                                        f"{spec.kommun.upper()} KOMMUN {spec.year}")]
    if s.summary == "side_by_side":
        story += tables.summary_side_by_side(spec, s, width)
    elif s.summary == "stacked":
        story += tables.summary_stacked(spec, s, width)
    elif s.summary == "with_totals":
        story += tables.summary_with_totals(spec, s, width)
    else:
        for area in spec.areas:
            story += [CondPageBreak(10 * s.leading), st.heading(f"Område {area.number} – {area.summary_name}"),
                      tables.summary_per_area(spec, s, area, width), Spacer(1, 8)]
    return story


def _summary_only_story(spec: ReportSpec, st: Styles, width: float) -> list[Flowable]:
    """A short result summary: title lines, a few paragraphs, the area table, a closing paragraph."""
    from tests.synthetic.summary_only import title_lines

    title, subtitle, *rest = title_lines(spec)
    story: list[Flowable] = [Paragraph(title, st.title), Paragraph(escape(subtitle), st.h1)]
    story += [Paragraph(escape(line), st.body) for line in rest] + [Spacer(1, 6 * mm)]
    story += [st.para(text) for text in spec.intro[:-1]]
    story += _table1(spec, st, width)
    return story + [st.para(spec.intro[-1])]


def build_story(spec: ReportSpec, s: LayoutSettings, width: float, wide_width: float) -> list[Flowable]:
    st = Styles(s)
    if spec.form == SUMMARY_ONLY:
        return _summary_only_story(spec, st, width)
    story = _title_page(spec, st)
    story.append(st.heading("1 Vad är Kommunkompassen", 1))
    story += _blocks(spec.chapter1, st, spec, width)
    story += [PageBreak(), st.heading(f"2 {spec.kommun} kommun i förhållande till Kommunkompassen: "
                                      "En sammanfattande genomgång", 1)]
    story += _blocks(spec.chapter2, st, spec, width)
    if s.two_column_areas:
        story += [NextPageTemplate("twocol"), PageBreak()]
        story += _area_story(spec, st, (width - 6 * mm) / 2)
        story += [NextPageTemplate("portrait")]
    else:
        story += [PageBreak()] + _area_story(spec, st, width)
    if spec.has_score_summary:
        story += [NextPageTemplate("landscape" if s.landscape_summary else "portrait"), PageBreak()]
        story += _summary_story(spec, st, wide_width if s.landscape_summary else width)
    return story


def _decorate(s: LayoutSettings, spec: ReportSpec, pages: int | None):
    def on_page(canvas, doc):
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFont(s.font, s.size - 1)
        values = {"kommun": spec.kommun, "year": spec.year, "page": canvas.getPageNumber(), "pages": pages or 0}
        if s.running_header:
            canvas.drawRightString(width - s.margin, height - 12 * mm, s.running_header.format(**values))
        canvas.drawString(s.margin, 12 * mm, s.footer.format(**values))
        canvas.restoreState()
    return on_page


def _document(target, s: LayoutSettings, spec: ReportSpec, pages: int | None) -> BaseDocTemplate:
    doc = BaseDocTemplate(target, pagesize=A4, leftMargin=s.margin, rightMargin=s.margin, topMargin=TOP,
                          bottomMargin=BOTTOM, title=f"Kommunkompassen {spec.kommun} {spec.year}",
                          author="Sveriges Kommuner och Landsting", creator="tests.synthetic", invariant=1)
    decorate = _decorate(s, spec, pages)
    width, height = A4
    frame = Frame(s.margin, BOTTOM, width - 2 * s.margin, height - TOP - BOTTOM, id="body")
    column = (width - 2 * s.margin - 6 * mm) / 2
    columns = [Frame(s.margin, BOTTOM, column, height - TOP - BOTTOM, id="left"),
               Frame(s.margin + column + 6 * mm, BOTTOM, column, height - TOP - BOTTOM, id="right")]
    lw, lh = landscape(A4)
    wide = Frame(s.margin, 18 * mm, lw - 2 * s.margin, lh - 36 * mm, id="wide")
    doc.addPageTemplates([PageTemplate("portrait", [frame], onPage=decorate, pagesize=A4),
                          PageTemplate("twocol", columns, onPage=decorate, pagesize=A4),
                          PageTemplate("landscape", [wide], onPage=decorate, pagesize=landscape(A4))])
    return doc


def render(spec: ReportSpec, path: str | Path, layout: str | LayoutSettings = "ruled_side_by_side") -> Path:
    """Write `spec` as a PDF at `path` in the given layout family; returns the path."""
    _register_fonts()
    s = layout_named(layout) if isinstance(layout, str) else layout
    path = Path(path)
    width = A4[0] - 2 * s.margin
    wide_width = landscape(A4)[0] - 2 * s.margin
    pages = None
    if "{pages}" in s.footer:  # first pass to count the pages
        counter = _document(io.BytesIO(), s, spec, None)
        counter.build(build_story(spec, s, width, wide_width))
        pages = counter.page
    doc = _document(str(path), s, spec, pages)
    doc.build(build_story(spec, s, width, wide_width))
    return path


def fixture_spec(spec: ReportSpec, layout: str) -> ReportSpec:
    """The seed spec as a layout's fixture shows it (some layouts word the reference column differently)."""
    forced = layout_named(layout).reference_kind
    return replace(spec, reference_kind=forced) if forced else spec
