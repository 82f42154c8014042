"""How one synthetic report words its tables, headings and labels, drawn from the vocabulary.

Every caption, column header, list heading, reference label and total label comes from
`extractors/data/vocabulary.yml` (`VOCABULARY`), so the test corpus and the extractor read the same
data; the draw is seeded, so a report's wording depends only on (seed, index). `SEED_WORDING` is the
wording of the real Fagersta 2009 report (what the committed layout fixtures show).
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from extractors.vocabulary import VOCABULARY

SEED_AREA_CAPTION = "Tabell 1 {kommun} kommun {year} förhållande till Kommunkompassens huvudområden"
SEED_COMPARISON_CAPTION = "Tabell 2 {genitive} resultat jämfört med {count} andra kommuner."
# Long forms of reference headers seen in reports; the kind is the vocabulary's for the first word.
REFERENCE_TAILS = {
    "median": ("", " för alla hittills rapporterade utvärderingar", " för alla utvärderade kommuner"),
    "medelvärde": ("", " för alla utvärderade kommuner", " samtliga kommuner"),
    "genomsnitt": ("", " för utvärderade kommuner"),
    "nationellt medelvärde": ("",),
    "Sverigesnitt": ("", " {year}"),
    "snitt": ("",),
}
SEED_REFERENCE_HEADERS = {
    "median": "Median för alla hittills rapporterade utvärderingar",
    "medelvärde": "Medelvärde för alla utvärderade kommuner",
}
# Which reference kinds a generation's reports print (weights), per the published reports.
REFERENCE_KINDS = {
    "2002-2009": (("median", 8), ("medelvärde", 2)),
    "2010-2019": (("medelvärde", 4), ("genomsnitt", 2), ("nationellt medelvärde", 2), ("median", 1), ("snitt", 1)),
    "2020-": (("Sverigesnitt", 6), ("genomsnitt", 2), ("nationellt medelvärde", 1), ("snitt", 1)),
}


@dataclass(frozen=True)
class Wording:
    """The words one report uses; format fields: {kommun}, {year}, {genitive}, {count}, {number}."""

    area_caption: str | None  # None: the area table has no caption at all
    area_header: str  # first column of the area table
    score_header: str  # the municipality's own column
    reference_header: str | None  # None: the seed's header for the spec's reference kind
    total_label: str
    comparison_caption: str | None
    summary_heading: str | None  # chapter 4's title; None: the seed's for the generation
    max_header: str
    points_header: str
    percent_header: str
    sum_label: str  # the row closing an area in the score summary
    findings_heading: str  # "Sammanfattning område {number}"
    strengths: str
    improvements: str
    change_header: str = "Förändring"  # a column of changes since the previous evaluation
    minus: str = "-"  # how a negative change is signed: "-" or "−" (U+2212)

    def to_json(self) -> dict:
        return asdict(self)


def reference_header_for(kind: str) -> str:
    """The seed's header for a reference kind ("median" → "Median för alla hittills …")."""
    return SEED_REFERENCE_HEADERS.get(kind, kind)


def summary_heading_for(framework: str) -> str:
    """Chapter 4's title as the seed-style reports word it: 2002–2009 "Poängsammanställning"."""
    return "Poängsammanställning" if framework == "2002-2009" else "Översikt av poängfördelning"


def seed_wording() -> Wording:
    """The wording of the Fagersta 2009 report (and of the committed layout fixtures)."""
    return Wording(
        area_caption=SEED_AREA_CAPTION, area_header="Huvudområde", score_header="{kommun} {year}",
        reference_header=None, total_label="TOTALT", comparison_caption=SEED_COMPARISON_CAPTION,
        summary_heading=None,
        max_header="Max", points_header="Poäng", percent_header="Procent", sum_label="Summa",
        findings_heading="Sammanfattning område {number}", strengths="Styrkor", improvements="Förbättringsområden",
    )


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _label(kind: str):
    return next(label for label in VOCABULARY.reference_labels if label.kind == kind)


def draw_reference(rng: random.Random, framework: str) -> tuple[str, str]:
    """(kind, header): a reference kind usual for the generation and a header worded for it; the
    header is checked to name that kind and no other under the vocabulary."""
    for _ in range(20):
        kind = _weighted(rng, REFERENCE_KINDS[framework])
        word = rng.choice(_label(kind).words)
        header = word + rng.choice(REFERENCE_TAILS.get(kind, ("",)))
        if VOCABULARY.reference_kind(header) == kind:
            return kind, header
    return "median", SEED_REFERENCE_HEADERS["median"]


def _case(rng: random.Random, text: str) -> str:
    return text.upper() if rng.random() < 0.25 else text


def _area_caption(rng: random.Random) -> str | None:
    if rng.random() < 0.3:
        return None
    word = rng.choice(VOCABULARY.area_table.captions)
    if word.startswith("Tabell"):
        return rng.choice((SEED_AREA_CAPTION, "Tabell 1. Resultat per område, {kommun} kommun {year}",
                           "Tabell 1 Resultat för {kommun} kommun"))
    return rng.choice((word, f"{word} {{kommun}} kommun {{year}}", f"{word} – {{kommun}} {{year}}"))


def _comparison_caption(rng: random.Random) -> str:
    word = rng.choice(VOCABULARY.comparison_table.captions)
    if word.startswith("Tabell"):
        return rng.choice((SEED_COMPARISON_CAPTION, "Tabell 2. Jämförelse med {count} andra kommuner"))
    return rng.choice((word, f"{word} ({{count}} kommuner)"))


def _findings_heading(rng: random.Random) -> str:
    word = rng.choice(VOCABULARY.findings.summary_headings)
    if word.casefold().endswith("område"):
        return f"{word} {{number}}"
    return word if rng.random() < 0.5 else f"{word} – område {{number}}"


def draw_wording(rng: random.Random, framework: str) -> tuple[str, Wording]:
    """(reference kind, wording) of one synthetic report."""
    kind, reference = draw_reference(rng, framework)
    summary = VOCABULARY.score_summary
    wording = Wording(
        area_caption=_area_caption(rng),
        area_header=rng.choice(("Huvudområde", "Område", "Kommunkompassens huvudområden", "")),
        score_header=rng.choice(("{kommun} {year}", "{kommun}", "{year}"))
        if rng.random() < 0.6 else rng.choice(VOCABULARY.area_table.score_headers),
        reference_header=reference,
        total_label=_case(rng, rng.choice(VOCABULARY.total_labels)),
        comparison_caption=_comparison_caption(rng),
        summary_heading=rng.choice(summary.headings),
        max_header=rng.choice(summary.max_headers), points_header=rng.choice(summary.points_headers),
        percent_header=rng.choice(summary.percent_headers),
        sum_label=rng.choice(summary.sum_labels),
        findings_heading=_findings_heading(rng),
        strengths=rng.choice(VOCABULARY.findings.strengths),
        improvements=rng.choice(VOCABULARY.findings.improvements),
        change_header=rng.choice(VOCABULARY.change_labels), minus=rng.choice(("-", "\u2212")),
    )
    return kind, wording


def fill(template: str | None, **values) -> str:
    """A wording template with its fields filled ("" for None)."""
    if not template:
        return ""
    return template.format(**values)


def signed(value: float, minus: str = "-") -> str:
    """A change as reports print it: "+16", "-3" (or "−3"), "±0", "+2,5"."""
    from tests.synthetic.spec import swedish_number

    if value == 0:
        return "±0"
    return ("+" if value > 0 else minus) + swedish_number(abs(value))
