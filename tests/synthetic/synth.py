"""Draw one synthetic `ReportSpec` from a seeded random generator.

Municipalities are real (extractors/data/kommuner.csv); area scores are the published ones
(db/data/published_scores.csv) where all eight are known, drawn to add up to a published total
where only that is known, plausible elsewhere. Question points are halves that add up exactly to
the area score; max points per area sum to 100. Prose is the seed's, recombined and renamed.
"""
from __future__ import annotations

import copy
import csv
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tests.synthetic import names
from tests.synthetic.seedtext import HEADING, ITEM, PARAGRAPH, TABLE2, Block
from tests.synthetic.spec import (MEDELVARDE, MEDIAN, SVERIGESNITT, Area, Comparison, Evaluator, Question,
                                  ReportSpec, seed_spec)
from tests.synthetic.summary_only import make_summary_only
from tests.synthetic.wording import draw_wording
from extractors.municipalities import all_municipalities, kommunkod

PUBLISHED = Path(__file__).resolve().parents[2] / "db" / "data" / "published_scores.csv"
SEED_MEDIANS = (62.0, 57.5, 63.5, 67.0, 51.0, 57.0, 43.0, 74.0)
MEANS_2010 = (55.2, 60.4, 63.1, 56.8, 54.9, 58.3, 57.6, 65.0)
SVERIGESNITT_2020 = (63.0, 65.0, 73.0, 64.0, 61.0, 59.0, 68.0, 64.0)  # Vallentuna's page, April 2021
FIRST_NAMES = ("Anna", "Lars", "Karin", "Per", "Maria", "Johan", "Eva", "Mikael", "Lena", "Anders", "Sofia", "Erik")
LAST_NAMES = ("Lindqvist", "Berg", "Holmström", "Nyberg", "Sandberg", "Åström", "Ekström", "Lundgren", "Öberg")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")
NUMBER_WORDS = {1: "en", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex"}


@dataclass(frozen=True)
class Published:
    kommun: str
    year: int
    generation: str
    scores: tuple[float, ...] | None  # all eight areas, or None
    total: float | None


@lru_cache(maxsize=1)
def published_evaluations() -> tuple[Published, ...]:
    """Evaluations in published_scores.csv with all eight area scores or a total."""
    areas: dict[tuple[str, int], dict[int, float]] = {}
    totals: dict[tuple[str, int], float] = {}
    with PUBLISHED.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["kommun"], int(row["year"]))
            if row["area_no"]:
                areas.setdefault(key, {})[int(row["area_no"])] = float(row["score"])
            elif row["total"]:
                totals[key] = float(row["total"])
    result = []
    for key in sorted(set(areas) | set(totals)):
        full = areas.get(key, {})
        scores = tuple(full[n] for n in range(1, 9)) if len(full) == 8 else None
        if scores or key in totals:
            result.append(Published(key[0], key[1], names.generation_of(key[1]), scores, totals.get(key)))
    return tuple(sorted(result, key=lambda p: p.scores is None))


def halves(value: float) -> float:
    return round(value * 2) / 2


def draw_area_scores(rng: random.Random, total: float | None = None) -> list[float]:
    """Eight plausible area scores in halves (15–95); summing to `total` when given."""
    level = rng.uniform(42, 72) if total is None else total / 8
    scores = [min(95.0, max(15.0, halves(rng.gauss(level, 9)))) for _ in range(8)]
    if total is not None:
        _adjust(rng, scores, total, [15.0] * 8, [95.0] * 8)
    return scores


def _adjust(rng: random.Random, values: list[float], target: float, low: list[float], high: list[float]) -> None:
    """Move values in steps of 0.5 (within bounds) until they sum to `target`."""
    difference = round((target - sum(values)) * 2)
    while difference:
        step = 0.5 if difference > 0 else -0.5
        candidates = [i for i, v in enumerate(values) if low[i] <= v + step <= high[i]]
        if not candidates:
            raise ValueError(f"cannot reach {target} within the bounds")
        values[rng.choice(candidates)] += step
        difference -= 1 if step > 0 else -1


def question_points(rng: random.Random, maxima: list[int], score: float) -> list[float]:
    """Points in halves, 0 ≤ p ≤ max, adding up exactly to the area score."""
    points = [float(min(m, max(0.0, halves(score * m / 100 + rng.uniform(-0.12, 0.12) * m)))) for m in maxima]
    _adjust(rng, points, score, [0.0] * len(maxima), [float(m) for m in maxima])
    return points


def _references(rng: random.Random, generation: str) -> tuple[str, list[float], float]:
    if generation == names.GEN_2002:
        medians = [halves(m + rng.uniform(-2, 2)) for m in SEED_MEDIANS]
        return MEDIAN, medians, halves(sum(medians) - rng.uniform(0, 15))
    if generation == names.GEN_2010:
        means = [round(m + rng.uniform(-1.5, 1.5), 1) for m in MEANS_2010]
        return MEDELVARDE, means, round(sum(means), 1)
    return SVERIGESNITT, list(SVERIGESNITT_2020), sum(SVERIGESNITT_2020)


def _area_names(rng: random.Random, generation: str, number: int, year: int) -> tuple[str, str, str]:
    canonical = names.AREA_NAMES[generation][number - 1]
    variants = names.AREA_VARIANTS[generation].get(number, ())
    if generation == names.GEN_2010 and number == 2 and year < 2015:
        variants = ()  # "Brukarfokus, tillgänglighet och bemötande" came with the 2015 update
    table = rng.choice(variants) if variants and rng.random() < 0.5 else canonical
    summary = rng.choice(variants) if variants and rng.random() < 0.3 else canonical
    return canonical, table, summary


def _questions(rng: random.Random, seed_area: Area, number: int, score: float) -> list[Question]:
    maxima = [q.max_points for q in seed_area.questions]
    if rng.random() < 0.5:
        rng.shuffle(maxima)
    points = question_points(rng, maxima, score)
    return [Question(f"{number}.{k}", q.text, maxima[k - 1], points[k - 1])
            for k, q in enumerate(seed_area.questions, start=1)]


def _findings(rng: random.Random, items: list[str]) -> list[str]:
    chosen = rng.sample(items, k=rng.randint(min(3, len(items)), len(items)))
    if len(chosen) >= 4 and rng.random() < 0.4:  # one long item that wraps over several lines
        second = chosen.pop()
        chosen[0] = f"{chosen[0]}, samt {second[0].lower()}{second[1:]}"
    return chosen


def _recombine(rng: random.Random, blocks: list[Block]) -> list[Block]:
    """Keep the opening section, shuffle the other sections, drop some paragraphs."""
    sections: list[list[Block]] = []
    for block in blocks:
        if block.kind == HEADING or not sections:
            sections.append([])
        sections[-1].append(copy.copy(block))
    head, rest = sections[:1], sections[1:]
    rng.shuffle(rest)
    kept = []
    for section in head + rest:
        kept += [b for b in section if b.kind != PARAGRAPH or rng.random() > 0.05]
    return kept


def _pick_others(rng: random.Random, count: int, exclude: set[str]) -> list:
    pool = [m for m in all_municipalities() if m.name not in exclude]
    return rng.sample(pool, k=count)


def _comparisons(rng: random.Random, generation: str, year: int, exclude: set[str]) -> list[Comparison]:
    low = names.YEARS[generation][0]
    result = []
    published = [p for p in published_evaluations() if p.scores and p.generation == generation
                 and p.year <= year and p.kommun not in exclude]
    for p in published[: rng.randint(0, len(published))]:
        result.append(Comparison(p.kommun, kommunkod(p.kommun), p.year, list(p.scores)))
    chosen = {c.kommun for c in result}
    for m in _pick_others(rng, max(0, rng.randint(3, 6) - len(result)), exclude | chosen):
        result.append(Comparison(m.name, m.kommunkod, rng.randint(low, year), draw_area_scores(rng)))
    return result


def _evaluation(rng: random.Random, index: int) -> tuple[str, int, list[float] | None, float | None]:
    """(kommun, year, area scores or None, total or None): published evaluations first, then drawn."""
    published = published_evaluations()
    if index < len(published):
        p = published[index]
        return p.kommun, p.year, list(p.scores) if p.scores else None, p.total
    generation = names.GENERATIONS[index % 3]
    low, high = names.YEARS[generation]
    return rng.choice(all_municipalities()).name, rng.randint(low, high), None, None


def _dates(rng: random.Random, year: int) -> list[str]:
    month, day = rng.randint(2, 11), rng.randint(1, 24)
    return [f"{year}-{month:02d}-{day + k:02d}" for k in range(rng.randint(2, 3))]


def _evaluators(rng: random.Random, year: int, kommun: str) -> list[Evaluator]:
    organisation = "Sveriges Kommuner och Regioner" if year >= 2019 else "Sveriges Kommuner och Landsting"
    people = rng.sample([f"{f} {l}" for f in FIRST_NAMES for l in LAST_NAMES], k=rng.randint(2, 3))
    peer = rng.choice([m.name for m in all_municipalities() if m.name != kommun])
    organisations = [organisation] * (len(people) - 1) + [rng.choice([organisation, f"{names.genitive(peer)} kommun"])]
    return [Evaluator(name, org) for name, org in zip(people, organisations)]


def _chapter1(blocks: list[Block], generation: str) -> list[Block]:
    """Chapter 1 with the list of the eight areas in the generation's wording."""
    result, area_items = [], None
    for block in blocks:
        if block.kind == PARAGRAPH and block.text.startswith("De åtta huvudområdena"):
            result.append(block)
            result += [Block(ITEM, name) for name in names.AREA_NAMES[generation]]
            area_items = 8
            continue
        if area_items and block.kind == ITEM:
            area_items -= 1
            continue
        result.append(block)
    return result


def _chapter2(blocks: list[Block], spec: ReportSpec) -> list[Block]:
    """Chapter 2 with the summary figures of this report; no comparison paragraph without the table."""
    from tests.synthetic.spec import swedish_number

    result = []
    for block in blocks:
        text = block.text
        if text.startswith("Jämfört med medianvärdet"):
            continue  # names areas and scores of the seed
        if text.startswith("Nedan presenteras ytterligare en tabell"):
            if not (spec.has_comparison_table and spec.comparisons):
                continue
            text = text.replace("fem andra", f"{NUMBER_WORDS[len(spec.comparisons)]} andra")
        if block.kind == TABLE2 and not (spec.has_comparison_table and spec.comparisons):
            continue
        text = text.replace("466 poäng", f"{swedish_number(spec.total)} poäng")
        if spec.median_total is not None:
            text = text.replace("463,5 poäng", f"{swedish_number(spec.median_total, 1)} poäng")
        month = MONTHS[int(spec.dates[0][5:7]) - 1]
        text = text.replace("oktober 2009", f"{month} {spec.year}").replace("2009", str(spec.year))
        result.append(Block(block.kind, text, block.rows))
    return result


def _areas(rng: random.Random, seed: ReportSpec, year: int, scores: list[float],
           references: list[float], used: set[str]) -> tuple[list[Area], dict[str, str]]:
    """The eight areas; cited good examples renamed to municipalities not used elsewhere."""
    areas, renames = [], {}
    generation = names.generation_of(year)
    for number in range(1, 9):
        seed_area = seed.areas[names.SEED_AREA_FOR[generation][number - 1] - 1]
        canonical, table_name, summary_name = _area_names(rng, generation, number, year)
        questions = _questions(rng, seed_area, number, scores[number - 1])
        for old in seed_area.cited:
            if old not in renames:
                renames[old] = _pick_others(rng, 1, used)[0].name
                used.add(renames[old])
        areas.append(Area(
            number=number, name=canonical, table_name=table_name, summary_name=summary_name,
            score=scores[number - 1], reference=references[number - 1], questions=questions,
            prose_questions=[f"{q.id} {q.text}" for q in questions], prose=_recombine(rng, seed_area.prose),
            strengths=_findings(rng, seed_area.strengths), improvements=_findings(rng, seed_area.improvements),
            cited=list(dict.fromkeys(renames[old] for old in seed_area.cited)),
        ))
    return areas, renames


def _rename_prose(spec: ReportSpec, mapping: dict[str, str]) -> None:
    rename = names.renamer(mapping)
    skl = "Sveriges Kommuner och Regioner" if spec.year >= 2019 else None
    for blocks in [spec.chapter1, spec.chapter2] + [a.prose for a in spec.areas]:
        for block in blocks:
            block.text = rename(block.text)
            if skl:
                block.text = block.text.replace("Sveriges Kommuner och Landsting", skl)
    for area in spec.areas:  # a cited name whose paragraph was dropped is not expected
        text = " ".join(b.text for b in area.prose)
        area.cited = [k for k in area.cited if names.mentions(text, k)]


WORDINGS = ("seed", "varied")
SUMMARY_ONLY_SHARE = 0.3  # of 2010- and 2020-generation reports, when wording varies


def synthetic_spec(index: int, seed: int = 0, base: ReportSpec | None = None, wording: str = "seed") -> ReportSpec:
    """The `index`-th synthetic report of the corpus drawn with `seed` (deterministic).

    `wording="varied"` draws captions, headings and labels from the vocabulary and makes about a third
    of the later generations' reports summary-only; "seed" words everything as the seed report does."""
    if wording not in WORDINGS:
        raise ValueError(f"wording={wording!r}: choose one of {', '.join(WORDINGS)}")
    spec = _full_spec(index, seed, base)
    if wording == "varied":
        rng = random.Random(f"wording {seed} {index}")  # its own stream: the numbers stay as drawn
        spec.reference_kind, spec.wording = draw_wording(rng, spec.framework)
        if spec.framework != names.GEN_2002 and rng.random() < SUMMARY_ONLY_SHARE:
            make_summary_only(spec, rng)
    return spec


def _full_spec(index: int, seed: int, base: ReportSpec | None) -> ReportSpec:
    rng = random.Random(seed * 1_000_003 + index)
    base = base or seed_spec()
    kommun, year, scores, total = _evaluation(rng, index)
    generation = names.generation_of(year)
    scores = scores or draw_area_scores(rng, total)
    kind, references, reference_total = _references(rng, generation)
    neighbours = [k for k in base.not_good_examples]
    used = {kommun, base.kommun, *neighbours}
    comparisons = _comparisons(rng, generation, year, set(used))
    used |= {c.kommun for c in comparisons}
    areas, renames = _areas(rng, base, year, scores, references, used)
    mapping = {base.kommun: kommun, **renames}
    if kommun in neighbours:
        mapping[kommun] = base.kommun
    kod = next(m.kommunkod for m in all_municipalities() if m.name == kommun)
    spec = ReportSpec(
        kommun=kommun, kommunkod=kod, year=year, dates=_dates(rng, year),
        evaluators=_evaluators(rng, year, kommun), framework=generation, reference_kind=kind,
        median_total=reference_total, areas=areas, comparisons=comparisons,
        chapter1=_chapter1(copy.deepcopy(base.chapter1), generation), chapter2=[],
        not_good_examples=[mapping.get(k, k) for k in neighbours],
        has_score_summary=rng.random() > 0.1, has_comparison_table=rng.random() > 0.15,
    )
    if not spec.has_comparison_table:
        spec.comparisons = []
    spec.chapter2 = _chapter2(copy.deepcopy(base.chapter2), spec)
    _rename_prose(spec, mapping)
    return spec
