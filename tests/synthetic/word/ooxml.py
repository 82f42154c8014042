"""Word features python-docx has no API for, written as WordprocessingML (OOXML) elements.

Each helper adds what Microsoft Word itself writes: a bullet numbering definition with a
Symbol-font bullet (U+F0B7) and a hanging indent, table borders, repeated header rows,
merged cells, a landscape section, a footer with a PAGE field, right tab stops and automatic
hyphenation in the document settings.
"""
from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

SYMBOL_BULLET = "\uf0b7"  # Word's bullet: a private-use code point of the Symbol font


def element(tag: str, **attributes: str) -> OxmlElement:
    """`<w:tag w:key="value" …/>`."""
    node = OxmlElement(tag)
    for key, value in attributes.items():
        node.set(qn(f"w:{key}"), str(value))
    return node


def add_bullet_numbering(document, indent_twips: int = 720, hanging_twips: int = 360) -> int:
    """A bullet list definition (abstractNum + num) as Word writes it; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(abstract_ids, default=0) + 1, max(num_ids, default=0) + 1
    abstract = element("w:abstractNum", abstractNumId=abstract_id)
    abstract.append(element("w:multiLevelType", val="hybridMultilevel"))
    level = element("w:lvl", ilvl=0)
    for tag, value in (("w:start", 1), ("w:numFmt", "bullet"), ("w:lvlText", SYMBOL_BULLET), ("w:lvlJc", "left")):
        level.append(element(tag, val=value))
    paragraph = element("w:pPr")
    paragraph.append(element("w:ind", left=indent_twips, hanging=hanging_twips))
    level.append(paragraph)
    run = element("w:rPr")
    run.append(element("w:rFonts", ascii="Symbol", hAnsi="Symbol", hint="default"))
    level.append(run)
    abstract.append(level)
    first_num = numbering.find(qn("w:num"))  # abstractNum elements must precede num elements
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = element("w:num", numId=num_id)
    num.append(element("w:abstractNumId", val=abstract_id))
    numbering.append(num)
    return num_id


def set_numbering(paragraph, num_id: int, level: int = 0) -> None:
    """Make `paragraph` an item of list `num_id`."""
    properties = paragraph._p.get_or_add_pPr()
    numbering = element("w:numPr")
    numbering.append(element("w:ilvl", val=level))
    numbering.append(element("w:numId", val=num_id))
    properties.insert(0, numbering)


def set_table_borders(table, size_eighths: int = 4, inside: bool = True) -> None:
    """Single black borders around (and, with `inside`, between) all cells."""
    properties = table._tbl.tblPr
    borders = element("w:tblBorders")
    edges = ("top", "left", "bottom", "right") + (("insideH", "insideV") if inside else ())
    for edge in edges:
        borders.append(element(f"w:{edge}", val="single", sz=size_eighths, space=0, color="000000"))
    properties.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                     "w:tblCaption", "w:tblDescription")


def repeat_as_header(row) -> None:
    """Word repeats this row at the top of every page the table continues on."""
    row._tr.get_or_add_trPr().insert_element_before(element("w:tblHeader"), "w:tblCellSpacing", "w:jc",
                                                    "w:hidden")


def keep_row_together(row) -> None:
    """The row may not break across pages."""
    row._tr.get_or_add_trPr().insert_element_before(element("w:cantSplit"), "w:trHeight", "w:tblHeader",
                                                    "w:tblCellSpacing", "w:jc", "w:hidden")


def shade(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().insert_element_before(
        element("w:shd", val="clear", color="auto", fill=fill),
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def add_landscape_section(document):
    """A new section on a new page, turned to landscape (width and height swapped)."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = max(width, height), min(width, height)
    return section


def add_page_field(paragraph) -> None:
    """A PAGE field (begin, instruction, separate, cached result, end), as Word writes it."""
    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run

    run_with(element("w:fldChar", fldCharType="begin"))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run_with(instruction)
    run_with(element("w:fldChar", fldCharType="separate"))
    paragraph.add_run("1")
    run_with(element("w:fldChar", fldCharType="end"))


def add_right_tab_stops(paragraph, positions_pt: list[float]) -> None:
    """Right-aligned tab stops at the given distances from the left margin."""
    stops = paragraph.paragraph_format.tab_stops
    for position in positions_pt:
        stops.add_tab_stop(Pt(position), WD_TAB_ALIGNMENT.RIGHT)


def add_left_tab_stops(paragraph, positions_pt: list[float]) -> None:
    stops = paragraph.paragraph_format.tab_stops
    for position in positions_pt:
        stops.add_tab_stop(Pt(position), WD_TAB_ALIGNMENT.LEFT)


def turn_on_hyphenation(document, zone_twips: int = 357) -> None:
    """`<w:autoHyphenation/>` in settings.xml: Word (and LibreOffice) hyphenate the whole document."""
    settings = document.settings.element
    for tag in ("w:autoHyphenation", "w:hyphenationZone"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    # schema order: … w:defaultTabStop, w:autoHyphenation, …, w:hyphenationZone …
    anchor = settings.find(qn("w:defaultTabStop"))
    hyphenation = element("w:autoHyphenation")
    zone = element("w:hyphenationZone", val=zone_twips)
    if anchor is not None:
        anchor.addnext(hyphenation)
        hyphenation.addnext(zone)
    else:
        settings.insert(0, zone)
        settings.insert(0, hyphenation)


def set_language_and_font(document, font: str, size_pt: float, language: str = "sv-SE") -> None:
    """Document defaults: font, size and proofing language (hyphenation follows the language)."""
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size_pt)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{key}"), font)
    properties = style.element.get_or_add_rPr()
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    properties.append(element("w:lang", val=language, eastAsia=language, bidi="ar-SA"))
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        heading = document.styles[name]
        heading.font.name = font
        heading_fonts = heading.element.get_or_add_rPr().get_or_add_rFonts()
        for key in ("ascii", "hAnsi", "cs", "eastAsia"):
            heading_fonts.set(qn(f"w:{key}"), font)
        for theme in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
            heading_fonts.attrib.pop(qn(f"w:{theme}"), None)


def set_column_widths(table, widths_pt: list[float]) -> None:
    """Column widths in the table grid (what LibreOffice reads) and in every cell (what Word reads)."""
    table.autofit = False
    table._tbl.tblPr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_pt):
        column.set(qn("w:w"), str(round(width * 20)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_pt):
            cell.width = Pt(width)
