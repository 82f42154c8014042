"""Tabell 2: the same eight scores for other named municipalities and years (either orientation)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.hyphenation import join_all
from extractors.layout import Line, Word
from extractors.municipalities import lookup
from extractors.numbers import parse_number
from extractors.tables import (Column, cluster_columns, column_of_header, header_phrases, is_year_word,
                               trailing_numbers, values)

TOTAL_LABEL = re.compile(r"^(totalt?|summa|total\s*poäng)$", re.I)


@dataclass
class ComparedEvaluation:
    """One column (or row) of the comparison table: a municipality, a year, eight scores and a total."""

    label: str
    kommun: str | None
    kommunkod: str | None
    year: int | None
    scores: dict[int, float] = field(default_factory=dict)
    total: float | None = None
    page: int | None = None


def _area_row(line: Line) -> tuple[int, list[Word]] | None:
    """'3 59,5 60 51,5 …' → (3, number words); 'Totalt 466 …' → (0, …)."""
    label, numbers = trailing_numbers(line)
    if not label and numbers and re.fullmatch(r"[1-8]\.?", numbers[0].text):
        label, numbers = numbers[:1], numbers[1:]  # the area number is the row label
    if len(numbers) < 2 or len(label) > 2:
        return None
    text = " ".join(w.text for w in label)
    if re.fullmatch(r"(Område\s*)?[1-8]\.?", text):
        return int(re.search(r"[1-8]", text).group()), numbers
    if TOTAL_LABEL.match(text):
        return 0, numbers
    return None


def _name_and_year(text: str) -> tuple[str, int | None]:
    year_match = re.search(r"\b((?:19|20)\d{2})\b", text)
    year = int(year_match.group(1)) if year_match else None
    name = re.sub(r"\b(?:19|20)\d{2}\b", " ", text)
    name = join_all(name.split("\n"))
    name = re.sub(r"(\w)- (\w)", lambda m: m.group(1) + m.group(2) if m.group(2).islower() else m.group(0), name)
    return " ".join(name.split()), year


def _resolve(label: str) -> tuple[str, str | None]:
    found = lookup(label) or lookup(re.sub(r"\s+(kommun|stad)$", "", label, flags=re.I))
    return (found.name, found.kommunkod) if found else (label, None)


def _header_columns(header: list[Line], columns: list[Column]) -> list[str]:
    """Concatenate header phrases over each number column, top to bottom."""
    texts: list[list[str]] = [[] for _ in columns]
    xs = [c.xc for c in columns]
    pitch = (xs[-1] - xs[0]) / (len(xs) - 1) if len(xs) > 1 else 60.0
    boundary = columns[0].x0 - pitch / 2
    for line in header:
        for phrase in header_phrases(line.words):
            if phrase[-1].x1 < boundary:
                continue  # the row-label column ("Kriterium", "Område")
            index = column_of_header(phrase, [c.x1 for c in columns])
            if index is not None:
                texts[index].append(" ".join(w.text for w in phrase))
    return ["\n".join(t) if t else "" for t in texts]


def read_area_rows_table(lines: list[Line]) -> list[ComparedEvaluation]:
    """Orientation A: a row per area (1–8, Totalt), a column per municipality-year."""
    first = next((i for i, line in enumerate(lines) if _area_row(line) and _area_row(line)[0] == 1), None)
    if first is None:
        return []
    width = len(_area_row(lines[first])[1])
    columns = cluster_columns([w for w in lines[first].words if w in _area_row(lines[first])[1]])
    header = [line for line in lines[max(0, first - 4):first] if line.page == lines[first].page]
    header = [line for line in header if not re.match(r"^Tabell\b", line.text)]
    labels = _header_columns(header, columns)
    evaluations = []
    for label in labels:
        name, year = _name_and_year(label)
        kommun, kod = _resolve(name)
        evaluations.append(ComparedEvaluation(label=" ".join(label.split()), kommun=kommun, kommunkod=kod, year=year))
    for line in lines[first:]:
        row = _area_row(line)
        if row is None:
            if line.page == lines[first].page or evaluations[0].scores.keys() >= set(range(1, 9)):
                if evaluations[0].total is not None or len(evaluations[0].scores) == 8:
                    break
            continue  # running header on the next page
        area, numbers = row
        if len(numbers) != width:
            break
        for evaluation, value in zip(evaluations, values(numbers)):
            if area:
                evaluation.scores[area] = value
                evaluation.page = evaluation.page or line.page
            else:
                evaluation.total = value
        if area == 0:
            break
    return evaluations


def read_municipality_rows_table(lines: list[Line]) -> list[ComparedEvaluation]:
    """Orientation B: a row per municipality-year, columns 1–8 (and Totalt)."""
    evaluations = []
    for line in lines:
        label, numbers = trailing_numbers(line)
        label_text = " ".join(w.text for w in label)
        name, year = _name_and_year(label_text)
        if year is None:  # the year may stand as its own number cell just before the scores
            if numbers and is_year_word(numbers[0]):
                year, numbers = int(parse_number(numbers[0].text)), numbers[1:]
        if len(numbers) not in (8, 9) or year is None or not name:
            if evaluations:
                break
            continue
        kommun, kod = _resolve(name)
        scores = values(numbers)
        evaluations.append(ComparedEvaluation(
            label=label_text, kommun=kommun, kommunkod=kod, year=year,
            scores={area: scores[area - 1] for area in range(1, 9)},
            total=scores[8] if len(scores) == 9 else None, page=line.page))
    return evaluations


def read_comparison_table(lines: list[Line]) -> list[ComparedEvaluation]:
    """Whichever orientation the table after the caption has."""
    by_area = read_area_rows_table(lines)
    if by_area and all(len(e.scores) == 8 for e in by_area):
        return by_area
    by_municipality = read_municipality_rows_table(lines)
    return by_municipality or by_area

