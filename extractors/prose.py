"""The report's running prose, by area, with the page of every character (for NLP)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from extractors.frameworks import has_numbered_area_headings, named_area_start, wrapped_heading_area
from extractors.hyphenation import join_lines
from extractors.list_headings import is_score_summary_heading
from extractors.markers import marker, strip_marker

CHAPTER_HEADING = re.compile(r"^\d\.?\s+[A-ZÅÄÖ]")


@dataclass
class Section:
    """A stretch of prose under one heading; `page_at(offset)` maps characters to pages."""

    area: int | None
    heading: str
    text: str = ""
    _offsets: list[int] = field(default_factory=list)
    _pages: list[int] = field(default_factory=list)

    def add_line(self, line: str, page: int, new_paragraph: bool) -> None:
        if self._pages and self._pages[-1] == page:
            pass
        else:
            self._offsets.append(len(self.text) + (1 if self.text else 0))
            self._pages.append(page)
        if new_paragraph and self.text:
            self.text += "\n" + line.strip()
        else:
            self.text = join_lines(self.text, line)

    def page_at(self, offset: int) -> int:
        index = bisect.bisect_right(self._offsets, offset) - 1
        return self._pages[max(index, 0)]


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) < 70
        and not stripped.endswith((".", ",", ":", ";"))
        and stripped[:1].isupper()
        and len(stripped.split()) <= 9
    )


def _before_score_summary(lines_by_page: list[list[str]]) -> list[str]:
    found = []
    for page_number, lines in enumerate(lines_by_page, start=1):
        for line in lines:
            if is_score_summary_heading(line.strip()) and page_number > 2:
                return found
            if not marker(line.strip()):
                found.append(line)
    return found


def prose_sections(lines_by_page: list[list[str]]) -> list[Section]:
    """Split the report's lines (running headers removed) into sections, each tagged with its area.

    The area is set by an "Område N" heading (or, where no area heading has a number, by a line naming an
    area alone) and ends at the next chapter heading; the score summary at the end is not prose and is
    left out.
    """
    sections: list[Section] = []
    area: int | None = None
    current = Section(area=None, heading="")
    previous_ended = True
    names_only = not has_numbered_area_headings(_before_score_summary(lines_by_page))
    for page_number, lines in enumerate(lines_by_page, start=1):
        title_went_on = False
        for index, line in enumerate(lines):
            stripped = line.strip()
            if title_went_on:  # the second line of a wrapped area heading
                title_went_on = False
                current.heading = join_lines(current.heading, stripped)
                continue
            if is_score_summary_heading(stripped) and page_number > 2:
                sections.append(current)
                return [s for s in sections if s.text]
            after = lines[index + 1] if index + 1 < len(lines) and not marker(lines[index + 1].strip()) else None
            area_match, title_went_on = (None, False) if marker(stripped) else wrapped_heading_area(stripped, after)
            if names_only and not area_match and not marker(stripped):
                area_match = named_area_start(stripped, lines[index - 1] if index else None, after, area)
            if area_match or (CHAPTER_HEADING.match(stripped) and len(stripped) < 90 and not stripped.endswith(".")):
                area = area_match
                sections.append(current)
                current = Section(area=area, heading=stripped)
                previous_ended = True
                continue
            # A heading can only follow a finished sentence: a short capitalised line after an
            # unfinished one is a wrapped line of a narrow column, not a heading.
            new_paragraph = previous_ended or bool(marker(stripped))
            current.add_line(strip_marker(stripped), page_number, new_paragraph)
            previous_ended = (new_paragraph and _is_heading(stripped)) or stripped.endswith((".", "!", "?", ":"))
    sections.append(current)
    return [s for s in sections if s.text]
