"""Precision and recall of the cited good examples on the hand-marked development set.

    python -m benchmarks.good_examples_bench [--misses] [--set dev|holdout|blind]

tests/data/good_examples_dev.tsv holds sentences in evaluators' styles with the municipalities each
cites marked by hand (the cue words were tuned on it); tests/data/good_examples_holdout.tsv was written
after that tuning and scored once (one round of generalisation by construction followed);
tests/data/good_examples_blind.tsv was written after the last change to the cues and is only scored. Every sentence is read as a paragraph of its own in a report on
the evaluated municipality of its row. A hit is a (sentence, municipality, country) pair found and marked.
"""
from __future__ import annotations

import argparse
import csv
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEV_SET = DATA / "good_examples_dev.tsv"  # used to tune the cue words
HOLDOUT_SET = DATA / "good_examples_holdout.tsv"  # written after tuning, scored once; one round of generalisation followed
BLIND_SET = DATA / "good_examples_blind.tsv"  # written after the last change to the cues, never tuned on
SETS = {"dev": DEV_SET, "holdout": HOLDOUT_SET, "blind": BLIND_SET}
MARKED = re.compile(r"^(?P<name>.+?)(?:\s+\((?P<country>[A-Z]{2})\))?$")


@dataclass
class DevSentence:
    kommun: str
    sentence: str
    cited: set[tuple[str, str]]


@dataclass
class Scores:
    sentences: int
    marked: int
    found: int
    hits: int
    seconds: float = 0.0
    misses: list[tuple[str, tuple[str, str]]] = field(default_factory=list)
    extra: list[tuple[str, tuple[str, str]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.marked if self.marked else 1.0


def read_dev_set(path: Path = DEV_SET) -> list[DevSentence]:
    """The rows of the development set ("#" lines are comments; the first other line is the header)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    rows = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        cited = set()
        for item in filter(None, (part.strip() for part in (row["citerade"] or "").split(";"))):
            match = MARKED.match(item)
            cited.add((match["name"], match["country"] or "SE"))
        rows.append(DevSentence(row["utvärderad"], row["mening"], cited))
    return rows


def score(rows: list[DevSentence] | None = None) -> Scores:
    """Run the good-example finder on each sentence and count hits against the marks."""
    from extractors.good_examples import find_good_examples
    from extractors.municipalities import kommunkod
    from extractors.prose import Section
    from extractors.records import CITED

    rows = read_dev_set() if rows is None else rows
    scores = Scores(len(rows), 0, 0, 0)
    find_good_examples([], None, None)  # load the pipeline outside the timing
    start = time.perf_counter()
    for row in rows:
        section = Section(area=1, heading="Område 1")
        section.add_line(row.sentence, 1, True)
        found = {(e.kommun, e.country) for e in find_good_examples([section], row.kommun, kommunkod(row.kommun))
                 if e.kind == CITED}
        scores.marked += len(row.cited)
        scores.found += len(found)
        scores.hits += len(found & row.cited)
        scores.misses += [(row.sentence, m) for m in sorted(row.cited - found)]
        scores.extra += [(row.sentence, m) for m in sorted(found - row.cited)]
    scores.seconds = round(time.perf_counter() - start, 2)
    return scores


def good_example_figures() -> dict:
    """The development and held-out sets' figures for `make bench` (printed and returned as key=value pairs)."""
    figures = {}
    names = {"dev": "development", "holdout": "held-out", "blind": "blind held-out"}
    for key, path in SETS.items():
        name = names[key]
        scores = score(read_dev_set(path))
        print(f"good examples on the {name} set ({scores.sentences} sentences, {scores.marked} marked "
              f"citations): precision {scores.precision:.3f}, recall {scores.recall:.3f} "
              f"({scores.hits} hits, {scores.found - scores.hits} extra, {scores.marked - scores.hits} missed; "
              f"{scores.seconds} s)")
        figures.update({f"good_examples_{key}_sentences": scores.sentences,
                        f"good_examples_{key}_precision": round(scores.precision, 3),
                        f"good_examples_{key}_recall": round(scores.recall, 3)})
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the missed and the extra citations")
    parser.add_argument("--set", choices=sorted(SETS), default="dev", help="which hand-marked set to score")
    args = parser.parse_args()
    scores = score(read_dev_set(SETS[args.set]))
    if args.misses:
        for sentence, (name, country) in scores.misses:
            print(f"missed {name} ({country}): {sentence}")
        for sentence, (name, country) in scores.extra:
            print(f"extra  {name} ({country}): {sentence}")
    print(f"precision={scores.precision:.3f} recall={scores.recall:.3f} hits={scores.hits} "
          f"found={scores.found} marked={scores.marked} sentences={scores.sentences} seconds={scores.seconds}")


if __name__ == "__main__":
    main()
