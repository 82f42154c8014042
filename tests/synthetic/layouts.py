"""Layout families of synthetic reports, each a validated settings dataclass.

The four families differ in what an extractor has to cope with, not in colour: ruling lines or
none, score summary side by side / stacked / per area with totals, portrait or landscape,
running headers, bullet glyphs or typed dashes, hyphenation, fonts and comparison orientation.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm

SUMMARY_STYLES = ("side_by_side", "stacked", "per_area", "with_totals")
COMPARISON_STYLES = ("columns_split", "columns", "transposed")
BULLET_STYLES = ("glyph", "typed_dash", "hanging_dash")
RULE_STYLES = ("grid", "none", "horizontal", "shaded")


@dataclass(frozen=True)
class LayoutSettings:
    """How one layout family draws a report."""

    name: str
    font: str
    bold_font: str
    size: float
    leading: float
    margin: float  # left/right page margin in points
    rules: str  # "grid" | "none" | "horizontal" | "shaded"
    summary: str  # score summary: see SUMMARY_STYLES
    comparison: str  # see COMPARISON_STYLES
    bullets: str  # see BULLET_STYLES
    landscape_summary: bool = False
    two_column_areas: bool = False
    hyphenate: bool = False
    running_header: str | None = None  # format string with {kommun}, {year}
    footer: str = "Kommunkompassen – {kommun} kommun {year}    sida {page}"
    percent_format: str = "{}%"
    date_style: str = "iso"  # "iso": 2009-10-07--09; "words": 7–9 oktober 2009
    valign: str = "TOP"
    reference_kind: str | None = None  # wording forced on the seed fixture (None: the spec's own)

    def __post_init__(self):
        for value, allowed, label in ((self.summary, SUMMARY_STYLES, "summary"),
                                      (self.comparison, COMPARISON_STYLES, "comparison"),
                                      (self.bullets, BULLET_STYLES, "bullets"),
                                      (self.rules, RULE_STYLES, "rules")):
            if value not in allowed:
                raise ValueError(f"{label}={value!r}: choose one of {', '.join(allowed)}")
        if self.date_style not in ("iso", "words"):
            raise ValueError(f"date_style={self.date_style!r}: choose 'iso' or 'words'")


RULED = LayoutSettings(
    name="ruled_side_by_side", font="Helvetica", bold_font="Helvetica-Bold", size=10, leading=13.5,
    margin=25 * mm, rules="grid", summary="side_by_side", comparison="columns_split", bullets="glyph",
    landscape_summary=True,
)
STACKED = LayoutSettings(
    name="stacked_unruled", font="Times-Roman", bold_font="Times-Bold", size=11, leading=13.2,
    margin=15 * mm, rules="none", summary="stacked", comparison="columns", bullets="typed_dash",
    running_header="{kommun} kommun – Kommunkompassen {year}", footer="– {page} –", percent_format="{}",
)
HYPHENATED = LayoutSettings(
    name="hyphenated_twocol_text", font="Helvetica", bold_font="Helvetica-Bold", size=9, leading=11,
    margin=18 * mm, rules="horizontal", summary="per_area", comparison="columns", bullets="hanging_dash",
    two_column_areas=True, hyphenate=True, footer="Sida {page}", date_style="words",
    reference_kind="medelvärde",
)
TRANSPOSED = LayoutSettings(
    name="transposed_comparison", font="Vera", bold_font="VeraBd", size=9.5, leading=12.5,
    margin=22 * mm, rules="shaded", summary="with_totals", comparison="transposed", bullets="glyph",
    running_header="Kommunkompassen {year} · {kommun}", footer="Sida {page} av {pages}", percent_format="{} %",
    valign="MIDDLE", reference_kind="Sverigesnitt",
)

LAYOUTS: dict[str, LayoutSettings] = {layout.name: layout for layout in (RULED, STACKED, HYPHENATED, TRANSPOSED)}


def layout_named(name: str) -> LayoutSettings:
    """The layout called `name`; ValueError naming the valid ones otherwise."""
    try:
        return LAYOUTS[name]
    except KeyError:
        raise ValueError(f"unknown layout {name!r}: choose one of {', '.join(LAYOUTS)}") from None
