"""Strengths and areas for improvement: the two lists under each "Sammanfattning område N".

Reads pypdfium2 lines with their left edges, so that wrapped items (hanging indent, or lines that
continue a sentence) are rejoined and a paragraph after the list is not swallowed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.frameworks import heading_area
from extractors.hyphenation import join_all
from extractors.layout import TextLine
from extractors.records import IMPROVEMENT, STRENGTH, Finding

SUMMARY_HEADING = re.compile(r"^Sammanfattning(?:\s+(?:av\s+)?(?:område|huvudområde))?\s*([1-8])?\b", re.I)
STRENGTH_HEADING = re.compile(r"^(?:(?:Kommunens\s+)?Styrkor|Starka sidor)\s*:?\s*$", re.I)
IMPROVEMENT_HEADING = re.compile(
    r"^(?:(?:Möjliga|Viktiga)\s+)?(?:Förbättringsområden|Förbättringsområde|Förbättringsmöjligheter|"
    r"Förbättringsförslag|Utvecklingsområden)\s*:?\s*$", re.I)
BULLET = re.compile(r"^\s*(?:[•▪■◦*]|[-–—](?=\s)|\d{1,2}[.)](?=\s+[A-ZÅÄÖ”\"]))\s*")
CHAPTER = re.compile(r"^\d\.?\s+[A-ZÅÄÖ]")
SCORE_SUMMARY = re.compile(r"Poängsammanställning|Översikt av poängfördelning", re.I)


@dataclass
class _Item:
    area: int
    kind: str
    lines: list[str]
    page: int
    bullet_x: float
    body_x: float


def _split_heading(text: str) -> list[str]:
    """'Sammanfattning område 7 Styrkor' → ['Sammanfattning område 7', 'Styrkor']."""
    match = re.match(r"^(Sammanfattning\b.*?)\s*\*{0,2}(Styrkor)\*{0,2}\s*$", text)
    return [match.group(1), match.group(2)] if match else [text]


def _continues(line: TextLine, item: _Item, previous_text: str, previous_full: bool, column_break: bool) -> bool:
    """Does a line without a bullet continue the item above it?

    Yes under a hanging indent; at the item's own margin only when the line above was filled to
    the right edge (it wrapped) or the text plainly goes on; after a column or page break, likewise.
    """
    goes_on = line.text[:1].islower() or line.text[:1].isdigit() or previous_full or \
        previous_text.rstrip().endswith(("-", ",", " och", " samt", " för", " av", " i", " med"))
    if column_break:
        if goes_on:
            item.bullet_x = item.body_x = line.x0
        return goes_on
    if abs(line.x0 - item.body_x) <= 3.5 and item.body_x - item.bullet_x > 3:
        return True  # hanging indent
    if abs(line.x0 - item.bullet_x) <= 3.5 or abs(line.x0 - item.body_x) <= 3.5:
        return goes_on
    return False


def _right_edges(lines: list[TextLine]) -> list[float]:
    """For each line, the right edge of the column it stands in (the widest line starting near it)."""
    return [max((o.x1 for o in lines if abs(o.x0 - line.x0) < 40), default=line.x1) for line in lines]


def _clean(lines: list[str]) -> str:
    text = join_all(lines)
    if text.endswith(".") and not text.endswith("..") and not re.search(r"\b\w{1,3}\.\w{1,3}\.$", text):
        text = text[:-1]
    return text.strip()


def read_findings(pages: list[list[TextLine]]) -> list[Finding]:
    """Every strength and improvement item, with its area and the page where it starts."""
    findings: list[Finding] = []
    area: int | None = None
    summary_area: int | None = None
    kind: str | None = None
    item: _Item | None = None
    previous_text = ""
    previous_full = False
    previous_top: float | None = None

    def close() -> None:
        nonlocal item
        if item is not None:
            findings.append(Finding(area=item.area, kind=item.kind, text=_clean(item.lines), page=item.page))
            item = None

    for page_number, lines in enumerate(pages, start=1):
        edges = _right_edges(lines)
        previous_top = None
        for line, edge in zip(lines, edges):
            column_break = previous_top is None or line.top < previous_top - 5
            previous_top = line.top
            for text in _split_heading(line.text.strip()):
                if SCORE_SUMMARY.search(text) and page_number > 2 and len(text) < 60:
                    close()
                    return findings
                heading = heading_area(text) if not BULLET.match(text) else None
                if heading:
                    close()
                    area, summary_area, kind = heading, None, None
                    continue
                summary = SUMMARY_HEADING.match(text)
                if summary and len(text) < 80:
                    close()
                    summary_area = int(summary.group(1)) if summary.group(1) else area
                    kind = None
                    continue
                if summary_area is not None and STRENGTH_HEADING.match(text):
                    close()
                    kind = STRENGTH
                    continue
                if summary_area is not None and IMPROVEMENT_HEADING.match(text):
                    close()
                    kind = IMPROVEMENT
                    continue
                if kind is None or summary_area is None:
                    continue
                bullet = BULLET.match(text)
                if bullet:
                    close()
                    item = _Item(summary_area, kind, [text[bullet.end():]], page_number, line.x0, line.body_x0)
                elif item is not None and _continues(line, item, previous_text, previous_full, column_break):
                    item.lines.append(text)
                else:
                    close()
                    if CHAPTER.match(text) or kind == IMPROVEMENT:
                        summary_area = None
                    kind = None
                previous_text = text
                previous_full = line.x1 >= edge - 0.12 * max(edge - line.x0, 1.0)
    close()
    return findings
