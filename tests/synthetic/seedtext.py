"""Parse the seed report's plain text into prose blocks per chapter and per area.

The seed text (`tests/fixtures/kommunkompassen-fagersta-2009.txt`) is the real Fagersta 2009
report as plain text, with the page breaks of the PDF showing as blank lines inside paragraphs.
Numbers are NOT taken from here (they come from the expected JSON); only prose.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
SEED_TEXT = SEED_DIR / "kommunkompassen-fagersta-2009.txt"
SEED_EXPECTED = SEED_DIR / "fagersta-2009.expected.json"

HEADING = "h"
PARAGRAPH = "p"
ITEM = "li"
TABLE = "table"
TABLE1 = "table1"  # placeholder: the area summary table goes here
TABLE2 = "table2"  # placeholder: the comparison table goes here

_AREA = re.compile(r"^Område ([1-8])\b")
_QUESTION = re.compile(r"^(?:- )?([1-8]\.\d)\s+(.*)$")
_SUMMARY = re.compile(r"^Sammanfattning område ([1-8])")
_CHAPTER = re.compile(r"^([1-4])\.? [A-ZÅÄÖ]")
_END = (".", "!", "?", ":", "”", '"', ";")


@dataclass
class Block:
    """One piece of prose: a heading, a paragraph, a list item or a small table."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class SeedProse:
    """The seed's prose: chapters 1–2 and, per area, the question list and its prose."""

    chapter1: list[Block]
    chapter2: list[Block]
    area_questions: dict[int, list[str]]
    area_prose: dict[int, list[Block]]


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs, with page-break splits rejoined."""
    raw: list[str] = []
    for line in lines:
        if not line.strip():
            raw.append("")
        elif raw and raw[-1]:
            raw[-1] += "\n" + line.strip()
        else:
            raw.append(line.strip())
    paragraphs = [p for p in raw if p]
    joined: list[str] = []
    for para in paragraphs:
        previous = joined[-1] if joined else ""
        if previous and _continues(previous, para):
            if previous.endswith("-") and previous[-2:-1].isalpha():
                joined[-1] = previous[:-1] + para
            else:
                joined[-1] = previous + " " + para
        else:
            joined.append(para)
    return joined


def _continues(previous: str, para: str) -> bool:
    if "\t" in previous or "\t" in para or previous.startswith("- ") or para.startswith("- "):
        return False
    if previous.endswith(_END) or not para[:1].islower():
        return False
    return len(previous) > 60


def _blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    for para in _paragraphs(lines):
        if "\t" in para:
            rows = [cell.split("\t") for cell in para.split("\n")]
            blocks.append(Block(TABLE, rows=rows))
            continue
        for piece in para.split("\n"):
            blocks.extend(_classify(piece))
    for block, following in zip(blocks, blocks[1:]):
        if block.kind == HEADING and following.kind == ITEM:
            block.kind = PARAGRAPH  # "… samspelet mellan" introduces a list
    return blocks


def _classify(piece: str) -> list[Block]:
    text = " ".join(piece.split())
    if not text:
        return []
    if text.startswith("- "):
        return [Block(ITEM, text[2:].strip())]
    if len(text) < 70 and not text.endswith(_END) and len(text.split()) <= 8:
        return [Block(HEADING, text)]
    return [Block(PARAGRAPH, text)]


def _line_index(lines: list[str], pattern: str, start: int = 0) -> int:
    for index in range(start, len(lines)):
        if lines[index].startswith(pattern):
            return index
    raise ValueError(f"seed text: no line starting with {pattern!r}")


def _chapter2(lines: list[str]) -> list[Block]:
    """Chapter 2 with the two score tables replaced by placeholders."""
    start = _line_index(lines, "Allmänt om Fagersta")
    end = _line_index(lines, "3 Detaljerad genomgång")
    body = lines[start:end]
    blocks: list[Block] = []
    skipping = False
    segment: list[str] = []
    for line in body:
        if line.startswith("Tabell 1") or line.startswith("Tabell 2"):
            blocks.extend(_blocks(segment))
            segment = []
            blocks.append(Block(TABLE1 if line.startswith("Tabell 1") else TABLE2))
            skipping = True
            continue
        if skipping:
            if line.startswith(("TOTALT", "Totalt")):
                skipping = False
            continue
        segment.append(line)
    blocks.extend(_blocks(segment))
    return blocks


def _area_parts(lines: list[str]) -> tuple[dict[int, list[str]], dict[int, list[Block]]]:
    questions: dict[int, list[str]] = {}
    prose: dict[int, list[Block]] = {}
    for number in range(1, 9):
        start = _line_index(lines, f"Område {number} ")
        end = _line_index(lines, f"Sammanfattning område {number}", start)
        body = lines[start + 1:end]
        first_prose = _line_index(body, "Allmänt")
        questions[number] = _question_list(body[:first_prose])
        prose[number] = _blocks(body[first_prose:])
    return questions, prose


def _question_list(lines: list[str]) -> list[str]:
    """The "N.M question" lines under an area heading, wrapped lines rejoined."""
    items: list[str] = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        match = _QUESTION.match(text)
        if match:
            items.append(f"{match.group(1)} {match.group(2)}")
        elif items:
            joined = items[-1][:-1] + text if items[-1].endswith("-") else items[-1] + " " + text
            items[-1] = joined
    return items


def read_seed_prose(path: Path = SEED_TEXT) -> SeedProse:
    """Parse the seed text file into chapters and area prose."""
    lines = path.read_text(encoding="utf-8").splitlines()
    chapter1_start = _line_index(lines, "1 Vad är Kommunkompassen") + 1
    chapter1_end = _line_index(lines, "2 Fagersta kommun")
    questions, prose = _area_parts(lines)
    return SeedProse(
        chapter1=_blocks(lines[chapter1_start:chapter1_end]),
        chapter2=_chapter2(lines),
        area_questions=questions,
        area_prose=prose,
    )


def with_lists(blocks: list[Block]):
    """The blocks with each run of list items gathered into one list of their texts."""
    items: list[str] = []
    for block in blocks:
        if block.kind == ITEM:
            items.append(block.text)
            continue
        if items:
            yield items
            items = []
        yield block
    if items:
        yield items
