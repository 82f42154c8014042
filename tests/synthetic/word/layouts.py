"""Word layout families: what each Word-made report does differently, as a validated dataclass."""
from __future__ import annotations

from dataclasses import dataclass

BULLET_STYLES = ("numbering", "typed_dash")
SUMMARY_STYLES = ("table_side_by_side", "tab_lines")
AREA_HEADINGS = ("Område {number} {name}", "3.{number} {name}")
NUMBER_ALIGNMENTS = ("left", "right", "center")


@dataclass(frozen=True)
class WordLayout:
    """How one Word-made layout writes a report."""

    name: str
    font: str
    size: float  # body text, points
    bullets: str  # "numbering": a Word list (Symbol bullet, hanging indent); "typed_dash": "- " typed
    summary: str  # "table_side_by_side": one landscape table, two areas a row; "tab_lines": tabbed lines
    area_heading: str  # format with {number} and {name}
    heading_styles: bool  # Word's Heading 1/2 styles, or bold Normal paragraphs
    hyphenate: bool = False  # w:autoHyphenation in settings.xml, with justified text
    break_table2: bool = False  # Tabell 2 starts low on a page so it continues overleaf (header repeated)
    manual_break_finding: bool = False  # one long finding has a manual line break (w:br) inside
    number_align: str = "left"  # numbers in table cells: Word's default (left), or right/centred
    reference_kind: str | None = None  # wording forced on the seed fixture (None: the spec's own)
    reference_header: str | None = None  # Tabell 1's reference column header (None: from the kind)
    footer: str = "Kommunkompassen – {kommun} kommun {year} sida "  # a PAGE field follows

    def __post_init__(self):
        for value, allowed, label in ((self.bullets, BULLET_STYLES, "bullets"),
                                      (self.summary, SUMMARY_STYLES, "summary"),
                                      (self.area_heading, AREA_HEADINGS, "area_heading"),
                                      (self.number_align, NUMBER_ALIGNMENTS, "number_align")):
            if value not in allowed:
                raise ValueError(f"{label}={value!r}: choose one of {', '.join(map(repr, allowed))}")
        if self.size <= 0:
            raise ValueError(f"size={self.size!r}: must be positive")


CLASSIC = WordLayout(
    name="word-classic", font="Liberation Sans", size=10.5, bullets="numbering",
    summary="table_side_by_side", area_heading="Område {number} {name}", heading_styles=True,
    break_table2=True,
)
PLAIN = WordLayout(
    name="word-plain", font="DejaVu Serif", size=10, bullets="typed_dash", summary="tab_lines",
    area_heading="3.{number} {name}", heading_styles=False, hyphenate=True, manual_break_finding=True,
    reference_kind="medelvärde", reference_header="Medelvärde",
)

NUMBERS_RIGHT = WordLayout(
    name="word-numbers-right", font="Liberation Serif", size=11, bullets="numbering",
    summary="table_side_by_side", area_heading="Område {number} {name}", heading_styles=True,
    break_table2=True, number_align="right",
)

WORD_LAYOUTS: dict[str, WordLayout] = {layout.name: layout for layout in (CLASSIC, PLAIN, NUMBERS_RIGHT)}


def word_layout_named(name: str) -> WordLayout:
    """The Word layout called `name`; ValueError naming the valid ones otherwise."""
    try:
        return WORD_LAYOUTS[name]
    except KeyError:
        raise ValueError(f"unknown Word layout {name!r}: choose one of {', '.join(WORD_LAYOUTS)}") from None
