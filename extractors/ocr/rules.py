"""The `ocr` strategy's edges: the table rules a scan's preparation finds, as segments in points.

`prepare.find_rules` marks the pixels of rules (long thin stretches of ink, white beside them) so they
can be erased before Tesseract reads the digits beside them. The same marks, read as runs of pixels
and joined across the few pixel rows a rule is thick, are the page's rules: the `lines` strategy
builds cell grids from them as it does from a text layer's drawn rules.
"""
from __future__ import annotations

import numpy as np

MAX_RULES = 2000  # per page and direction: a page of more marks is no table
GAP_PX = 3  # a run broken by this many pixels (a scanner's dropout) is one rule


def _runs(line: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True in a 1-d mask, runs GAP_PX apart or closer joined."""
    padded = np.concatenate(([False], line, [False]))
    changes = np.flatnonzero(padded[1:] != padded[:-1])
    runs: list[tuple[int, int]] = []
    for start, end in zip(changes[0::2], changes[1::2]):
        if runs and start - runs[-1][1] <= GAP_PX:
            runs[-1] = (runs[-1][0], int(end))
        else:
            runs.append((int(start), int(end)))
    return runs


def _segments(mask: np.ndarray, scale: float, orientation: str) -> list[tuple[str, float, float, float]]:
    """Rules along the rows of `mask`: the runs of consecutive pixel rows that overlap merged into one
    rule at their middle row (a rule is a few pixels thick)."""
    rows = np.flatnonzero(mask.any(axis=1))
    open_rules: list[list[float]] = []  # [first row, last row, start, end]
    done: list[list[float]] = []
    for row in rows:
        still_open = []
        runs = _runs(mask[row])
        for rule in open_rules:
            if rule[1] < row - 1:
                done.append(rule)
            else:
                still_open.append(rule)
        open_rules = still_open
        for start, end in runs:
            for rule in open_rules:
                if rule[1] == row - 1 and start < rule[3] and end > rule[2]:
                    rule[1], rule[2], rule[3] = row, min(rule[2], start), max(rule[3], end)
                    break
            else:
                open_rules.append([row, row, start, end])
        if len(done) + len(open_rules) > MAX_RULES:
            break
    done.extend(open_rules)
    return [(orientation, round((first + last + 1) / 2 * scale, 2), round(start * scale, 2), round(end * scale, 2))
            for first, last, start, end in done[:MAX_RULES]]


def rule_segments(across: np.ndarray, down: np.ndarray, scale: float) -> list[tuple[str, float, float, float]]:
    """Horizontal rules from `across` and vertical ones from `down` (pixel masks of one page), in points
    (`scale`: points per pixel): (orientation, at, start, end) as `extractors.rules.Rule` takes them."""
    return _segments(across, scale, "h") + _segments(down.T, scale, "v")
