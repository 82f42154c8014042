"""An HTML page as the reader of results needs it: its lines in reading order and its tables.

Parsed with lxml's HTML parser (libxml2: tolerant of broken markup, no network, no entities
resolved). Scripts, styles, forms and navigation are dropped; block elements and `<br>` end a line;
each line and table remembers the heading it stands under. Everything here is untrusted text:
it is only ever compared, stored as a quotation, or escaped when shown.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from extractors.statements import Grid, TextLine

MAX_TEXT_CHARS = 2_000_000     # text kept from one page; the rest is ignored
MAX_CELLS = 20_000             # cells read from one page's tables
MAX_COLSPAN = 20
SKIPPED = {"script", "style", "noscript", "template", "svg", "form", "select", "button", "nav", "iframe",
           "object", "head"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "main", "aside",
                     "header", "footer", "blockquote", "figure", "figcaption", "caption", "pre", "hr",
                     "address", "details", "summary", "tr", "body", "html"}
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200c-\u200f\u2060\ufeff]")


def clean(text: str) -> str:
    """Whitespace (including no-break and thin spaces) as single spaces; soft hyphens, invisible and control
    characters (terminal escape sequences among them) removed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text or "")).strip()


# A page's lines and tables are the statement reader's lines and grids (a PDF gives the same kinds).
Line = TextLine
Table = Grid


@dataclass
class PageText:
    """The readable content of one page."""

    title: str = ""
    h1: str = ""
    site_name: str = ""        # the site's own name (`og:site_name`, `application-name`)
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join([self.title, *(line.text for line in self.lines),
                          *(table.row_text(i) for table in self.tables for i in range(len(table.rows)))])

    def content_sha256(self) -> str:
        """Hash of the visible text: markup, scripts and whitespace changes do not make a new version."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class _Walker:
    def __init__(self) -> None:
        self.page = PageText()
        self.parts: list[str] = []
        self.heading = ""
        self.chars = 0
        self.cells = 0

    def end_line(self, is_heading: bool = False) -> None:
        text = clean("".join(self.parts))
        self.parts = []
        if not text or self.chars > MAX_TEXT_CHARS:
            return
        self.chars += len(text)
        self.page.lines.append(Line(text, "" if is_heading else self.heading, is_heading))
        if is_heading:
            self.heading = text

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def walk(self, element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in SKIPPED or not tag:
            self.add(element.tail if tag else None)
            return
        if tag == "table":
            self.end_line()
            self.table(element)
            self.add(element.tail)
            return
        if tag in HEADINGS:
            self.end_line()
            self.add(element.text_content())
            self.end_line(is_heading=True)
            self.add(element.tail)
            return
        if tag in BLOCKS:
            self.end_line()
        if tag == "br":
            self.end_line()
        self.add(element.text)
        for child in element:
            self.walk(child)
        if tag in BLOCKS:
            self.end_line()
        self.add(element.tail)

    def table(self, element) -> None:
        rows, header_rows, in_body = [], 0, False
        for row in element.iter("tr"):
            if _nearest_table(row) is not element:
                continue
            cells = []
            for cell in row:
                if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                    continue
                text = clean(cell.text_content())
                span = _span(cell.get("colspan"))
                cells.extend([text] * span)
                self.cells += span
            if not any(cells) or self.cells > MAX_CELLS:
                continue
            is_header = all(c.tag.lower() == "th" for c in row if isinstance(c.tag, str)) or \
                (row.getparent() is not None and row.getparent().tag == "thead")
            if is_header and not in_body:
                header_rows += 1
            else:
                in_body = True
            rows.append(tuple(cells))
        caption = element.find("caption")
        if rows:
            self.page.tables.append(Table(tuple(rows), header_rows,
                                          clean(caption.text_content()) if caption is not None else "",
                                          self.heading))


def _nearest_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(value: str | None) -> int:
    try:
        return max(1, min(MAX_COLSPAN, int(value or 1)))
    except ValueError:
        return 1


_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True,
                               huge_tree=False)


def page_text(html: str) -> PageText:
    """Parse a page's HTML into its title, lines and tables (an unparsable page gives an empty one)."""
    try:
        root = lxml.html.document_fromstring(html[:4 * MAX_TEXT_CHARS] or "<html></html>", parser=_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return PageText()
    walker = _Walker()
    title = root.find(".//title")
    walker.page.title = clean(title.text_content()) if title is not None else ""
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() in ("og:site_name", "application-name"):
            walker.page.site_name = clean(meta.get("content") or "")
            break
    h1 = root.find(".//h1")
    walker.page.h1 = clean(h1.text_content()) if h1 is not None else ""
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.end_line()
    return walker.page
