"""Where extraction's time goes: each stage of one report timed on its own, in process.

The stages are the ones `extractors.report.run_stages` runs, called in the same order on the same
inputs: read (pypdfium2 words, lines, rules, running lines), rows (geometric rows parsed for tables),
grids (the `lines` strategy on pages with rules, and their readings), tables (area tables chosen),
summary, findings, assemble (framework, checks), tagging (sentences and good examples), load (one
transaction into a fresh SQLite file). Each figure is the best of a few runs.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

STAGES = ("read", "rows", "grids", "tables", "summary", "findings", "assemble", "tagging", "load")


def _timed(figures: dict[str, float], name: str, func):
    start = time.perf_counter()
    result = func()
    spent = time.perf_counter() - start
    figures[name] = min(figures.get(name, float("inf")), spent)
    return result


def stage_profile(pdf: Path, repeats: int = 3) -> dict[str, float]:
    """Best-of-`repeats` seconds per stage for one report (the tagging model loaded beforehand)."""
    from extractors import frameworks
    from extractors.area_matrix import document_rows
    from extractors.area_table import read_area_table
    from extractors.comparison_table import collect
    from extractors.document import read_document
    from extractors.findings import read_findings
    from extractors.report import Stages, area_tables, assemble, table_grids
    from extractors.score_summary import read_score_summary
    from extractors.settings import DEFAULT_SETTINGS as settings
    from extractors.tables.reading import grid_readings
    from extractors.tagging import prose_lines, tag_prose
    from extractors.titleblock import read_title_block
    from db.load import load_analysis
    from db.schema import open_database
    from extractors.pipeline import Analysis

    figures: dict[str, float] = {}
    tag_prose([], None, None, True)  # the Swedish pipeline loaded once, as a long-running worker has it
    for _ in range(repeats):
        document = _timed(figures, "read", lambda: read_document(pdf, settings))
        readable = [page for page in document.pages if page.readable]
        title = read_title_block(document.pages[:2])
        rows = _timed(figures, "rows", lambda: document_rows(readable))

        def grids_and_readings():
            grids = table_grids(readable, rows, settings)
            return grids, grid_readings(grids, {p.number: p for p in readable}, settings)

        grids, readings = _timed(figures, "grids", grids_and_readings)

        def tables():
            matrices, rejected = area_tables(readings)
            area = read_area_table(matrices, title.kommun, title.year)
            return matrices, rejected, area, collect(matrices, rows, title.kommun, title.year, area.scores)

        matrices, rejected, area, comparisons = _timed(figures, "tables", tables)
        summary = _timed(figures, "summary", lambda: read_score_summary(readable, settings))
        findings = _timed(figures, "findings", lambda: read_findings(readable, settings))
        headings = frameworks.area_headings([line.text for page in readable for line in page.lines])
        stages = Stages(document, title, area, comparisons, summary, findings, headings, matrices, grids, rejected,
                        readings)
        report = _timed(figures, "assemble", lambda: assemble(stages))
        tagged = _timed(figures, "tagging", lambda: tag_prose(prose_lines(document), report.kommun,
                                                              report.kommunkod, True))
        report.good_examples = tagged.good_examples
        with tempfile.TemporaryDirectory(prefix="kompass-stage-") as tmp:
            db = open_database(Path(tmp) / "stage.db")  # the schema made outside the timing
            analysis = Analysis(report, tagged.sentences)
            _timed(figures, "load", lambda: load_analysis(db, analysis, path=str(pdf)))
            db.close()
    return {name: round(figures[name], 4) for name in STAGES}


def print_profile(label: str, figures: dict[str, float]) -> None:
    total = sum(figures.values())
    parts = ", ".join(f"{name} {figures[name] * 1000:.0f} ms ({100 * figures[name] / total:.0f} %)" for name in STAGES)
    print(f"per-stage profile, {label} (in process, best of runs): {parts}; all {total * 1000:.0f} ms")
