"""Statements read from a vector bar chart's data labels: part of the statement reader (`extractors.statements`).

A chart whose text is kept as text puts a number over (or inside) each bar and the category's name under
the axis. The numbers that stand in a column of their own, evenly above one another, are the axis ticks and
never values. Every other number is a bar's label; the words under the axis nearest its bar (horizontally)
are its category, read top to bottom — a name wrapped over lines, even broken mid-word, is joined both
ways and kept when it names an area; a turned name (45°, 90°) is a chain of touching word boxes rising to
its bar. At least two areas, each once, make a chart.
"""
from __future__ import annotations

import itertools
import re

from extractors.statements import AREA, CHART, Statement, name_area

_VALUE = re.compile(r"^\d{1,3}(?:[.,]\d{1,2})?$")
MAX_LABEL_LINES = 4


def _center(word) -> float:
    return (word.x0 + word.x1) / 2


def _ticks(numbers: list) -> set[int]:
    """Indexes of numbers standing in a column of at least three (an axis' ticks)."""
    ticks: set[int] = set()
    for i, word in enumerate(numbers):
        column = [j for j, other in enumerate(numbers) if abs(other.x1 - word.x1) <= 2.5]
        if len(column) >= 3:
            ticks.update(column)
    return ticks


def chart_statements(page) -> list[Statement]:
    """The area scores a page's bar chart labels state (an empty list when the page has no such chart)."""
    words = [w for line in page.lines for w in line.words]
    span = _run_spans(page.lines)
    numbers = [w for w in words if _VALUE.match(w.text)]
    ticks = _ticks(numbers)
    values = [w for i, w in enumerate(numbers) if i not in ticks and 0 <= float(w.text.replace(",", ".")) <= 100]
    if len(values) < 2:
        return []
    tick_words = [numbers[i] for i in ticks]
    floor = max([w.bottom for w in values] + [w.bottom for w in tick_words])
    values.sort(key=_center)
    centers = [_center(w) for w in values]
    gaps = [b - a for a, b in zip(centers, centers[1:])]
    if not gaps or min(gaps) <= 0:
        return []
    reach = min(gaps) / 2
    # words under the axis, in lines no wider than a bar's slot (a caption or sentence under the chart is not)
    below = [w for w in words if w.top >= floor - 1 and not _VALUE.match(w.text) and span[id(w)] <= 2.4 * reach]
    found: list[Statement] = []
    for value, center in zip(values, centers):
        label = sorted((w for w in below if abs(_center(w) - center) < reach and w.top - floor < 80),
                       key=lambda w: (round(w.top), w.x0))
        lines = _lines(label)
        name = _area_of(lines)
        if name is None:
            continue
        number, text = name
        found.append(Statement(AREA, float(value.text.replace(",", ".")), f"{text}: {value.text}", CHART,
                               area=number, area_name=text, page=page.number))
    turned = _turned_labels([w for w in words if w.top >= floor - 1 and not _VALUE.match(w.text)
                             and span[id(w)] <= 2.4 * reach],
                            values, centers, reach, page.number)
    found = max((found, turned), key=len)
    areas = [s.area for s in found]
    if len(found) < 2 or len(set(areas)) != len(areas):
        return []
    return found


def _turned_labels(words: list, values: list, centers: list[float], reach: float, page: int) -> list[Statement]:
    """Category names turned (45°, 90°): each name is a chain of touching word boxes rising to the axis; the
    chain's top word ends at its bar (right-aligned) or is centred under it."""
    groups = _touching(words)
    found: list[Statement] = []
    for value, center in zip(values, centers):
        def distance(group):
            top = min(group, key=lambda w: w.top)
            return min(abs(top.x1 - center), abs(_center(top) - center))

        near = [g for g in groups if distance(g) < reach]
        if not near:
            continue
        group = min(near, key=distance)
        text = _chain_text(sorted(group, key=lambda w: w.x0 - w.top))
        if (area := name_area(text)) is not None:
            found.append(Statement(AREA, float(value.text.replace(",", ".")), f"{text}: {value.text}", CHART,
                                   area=area.number, area_name=text, page=page))
    return found


def _chain_text(chain: list) -> str:
    """A turned name's text: its words with spaces; a name read character by character (a vertical label) is
    joined, with a space where two characters stand further apart than the usual step."""
    if sum(1 for w in chain if len(w.text) == 1) * 2 < len(chain):
        return " ".join(w.text for w in chain)
    gaps = [max(b.x0 - a.x1, a.top - b.bottom, 0.0) for a, b in zip(chain, chain[1:])]
    usual = sorted(gaps)[len(gaps) // 2] if gaps else 0.0
    text = chain[0].text if chain else ""
    for gap, word in zip(gaps, chain[1:]):
        text += (" " if gap > usual + 1.5 else "") + word.text
    return text


def _touching(words: list, gap: float = 3.0) -> list[list]:
    """Words grouped by boxes that touch or overlap (within `gap` points both ways)."""
    groups: list[list] = []
    for word in words:
        joined = [g for g in groups if any(word.x0 - gap <= o.x1 and o.x0 - gap <= word.x1 and
                                           word.top - gap <= o.bottom and o.top - gap <= word.bottom for o in g)]
        merged = [word] + [w for g in joined for w in g]
        groups = [g for g in groups if not any(g is j for j in joined)] + [merged]
    return groups


def _run_spans(lines) -> dict[int, float]:
    """Each word's run width: a line split where words stand further apart than a space (two category
    labels side by side on one baseline are two runs; a sentence is one wide run)."""
    spans: dict[int, float] = {}
    for line in lines:
        runs: list[list] = []
        for word in line.words:
            if runs and word.x0 - runs[-1][-1].x1 <= 0.5 * max(word.bottom - word.top, 1.0):
                runs[-1].append(word)
            else:
                runs.append([word])
        for run in runs:
            for word in run:
                spans[id(word)] = run[-1].x1 - run[0].x0
    return spans


def _lines(words: list) -> list[str]:
    """A label's lines, top to bottom, up to the first gap wider than a line (the label ends there)."""
    lines: list[list] = []
    for word in words:
        if lines and abs(lines[-1][-1].top - word.top) < 2:
            lines[-1].append(word)
        elif lines and word.top - lines[-1][-1].bottom > 1.5 * (lines[-1][-1].bottom - lines[-1][-1].top):
            break
        else:
            lines.append([word])
    return [" ".join(w.text for w in line) for line in lines][:MAX_LABEL_LINES]


def _area_of(lines: list[str]) -> tuple[int, str] | None:
    """The area a wrapped label names: its lines joined by a space or (a word broken mid-way) by nothing."""
    if not lines:
        return None
    best = None
    for joins in itertools.product((" ", ""), repeat=len(lines) - 1):
        text = lines[0] + "".join(j + line for j, line in zip(joins, lines[1:]))
        if (area := name_area(text)) is not None and (best is None or area.match > best[0]):
            best = (area.match, area.number, text)
    return best[1:] if best else None
