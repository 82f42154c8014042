"""A picture of what extraction saw on one page: words, lines, drawn bullets, removed headers and
footers, table bounds and columns, question rows and where list items started.

Drawn over pdfplumber's rendering of the page (`to_image`), like its `debug_tablefinder`.
"""
from __future__ import annotations

from pathlib import Path

from extractors.document import read_document
from extractors.errors import ExtractionError
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings

WORD = (0, 0, 255, 40)
LINE = (0, 140, 0, 160)
REMOVED = (220, 0, 0, 200)
BULLET = (255, 0, 255, 220)
TABLE = (255, 140, 0, 220)
RULE = (120, 120, 120, 200)
GRID = (0, 120, 120, 220)
CELL = (0, 180, 180, 120)
QUESTION = (0, 160, 200, 200)
ITEM = {"strength": (0, 170, 0, 230), "improvement": (200, 0, 120, 230)}

LEGEND = ("blue fill: words · green: lines in reading order · red: running headers, footers, page numbers "
          "(removed) · magenta: drawn bullets · grey: drawn rules · teal: cell grids (thick) and their cells · "
          "orange: area/comparison tables chosen and their number columns · "
          "cyan: score-summary question rows · thick green/pink: first line of a strength/improvement item")


def draw_page(pdf: str | Path, page_number: int, out: str | Path, resolution: int = 110,
              settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[str]:
    """Write the debug picture of `page_number` (1-based) to `out`; returns notes on what was found."""
    import pdfplumber

    from extractors.report import run_stages

    pdf = Path(pdf)
    document = read_document(pdf, settings)
    if not 1 <= page_number <= len(document.pages):
        raise ExtractionError(f"{pdf.name}: no page {page_number} (the PDF has {len(document.pages)})")
    page = document.pages[page_number - 1]
    notes = [f"page {page_number}: {len(page.words)} words in {len(page.lines)} lines, "
             f"{len(page.removed)} running lines removed, {len(page.shapes)} small drawn marks, "
             f"{len(page.rules)} drawn rules"]
    if page.quality is not None and not page.quality.readable:
        notes.append(f"page {page_number}: text layer unreadable ({page.quality.reason})")
    try:
        stages = run_stages(document, settings)
    except ExtractionError as error:
        stages = None
        notes.append(f"extraction stopped: {error}")
    with pdfplumber.open(pdf, pages=[page_number]) as opened:
        image = opened.pages[0].to_image(resolution=resolution)
        image.draw_rects([(w.x0, w.top, w.x1, w.bottom) for w in page.words], fill=WORD, stroke=WORD, stroke_width=0)
        image.draw_rects([(l.x0, l.top, l.x1, l.bottom) for l in page.lines], fill=None, stroke=LINE)
        image.draw_rects([(l.x0, l.top, l.x1, l.bottom) for l in page.removed], fill=None, stroke=REMOVED, stroke_width=2)
        image.draw_rects([(s.x0, s.top, s.x1, s.bottom) for s in page.shapes], fill=None, stroke=BULLET, stroke_width=2)
        image.draw_lines([((r.box[0], r.box[1]), (r.box[2], r.box[3])) for r in page.rules], stroke=RULE, stroke_width=1)
        if stages is not None:
            notes += _draw_grids(image, stages, page_number)
            notes += _draw_stages(image, stages, page_number)
        else:
            from extractors.area_matrix import document_rows
            from extractors.report import table_grids

            for grid in table_grids([page], document_rows([page]), settings):
                _draw_grid(image, grid)
                notes.append(f"{grid.name} grid {grid.row_count}×{grid.column_count} (nothing was read from it)")
        image.save(str(out))
    return notes


def _draw_grid(image, grid) -> None:
    image.draw_rects([cell.box for cell in grid.unique_cells()], fill=None, stroke=CELL, stroke_width=1)
    image.draw_rect(grid.box, fill=None, stroke=GRID, stroke_width=3)


def _draw_grids(image, stages, page_number: int) -> list[str]:
    """The page's cell grids, the reading kept for each and the readings not kept, with their scores."""
    notes = []
    grids = [g for g in stages.grids if g.page == page_number]
    owner: dict[str, int] = {}  # each score-summary row shown under the first grid (ruled before text) holding it
    for page, box, qid in stages.summary.boxes:
        if page != page_number:
            continue
        for index, grid in enumerate(grids):
            x0, top, x1, bottom = grid.box
            if x0 - 2 <= (box[0] + box[2]) / 2 <= x1 + 2 and top - 2 <= (box[1] + box[3]) / 2 <= bottom + 2:
                owner.setdefault(qid, index)
                break
    for index, grid in enumerate(grids):
        _draw_grid(image, grid)
        notes.append(f"{grid.name} grid {grid.row_count}×{grid.column_count} at "
                     f"({grid.box[0]:.0f}, {grid.box[1]:.0f})–({grid.box[2]:.0f}, {grid.box[3]:.0f})")
        kept = [m for m in stages.matrices if any(r.matrix is m and grid in r.grids for r in stages.all_readings)]
        for matrix in kept:
            notes.append(f"  chosen reading: {matrix.kind} table, {matrix.generation or 'numbered rows'}, "
                         f"score {next(r.score for r in stages.all_readings if r.matrix is matrix):.2f}")
        questions = [qid for page, box, qid in stages.summary.boxes if page == page_number and owner.get(qid) == index]
        if questions:
            notes.append(f"  chosen reading: score summary, {len(questions)} question rows ({questions[0]} … {questions[-1]})")
        others = [r for r in stages.readings if grid in r.grids]
        near = sorted(others, key=lambda r: -r.score)[:4]
        for reading in near:
            notes.append(f"  not kept: {reading.describe()}")
        if len(others) > len(near):
            notes.append(f"  … and {len(others) - len(near)} more readings not kept")
    return notes


def _draw_stages(image, stages, page_number: int) -> list[str]:
    notes = []
    for matrix in stages.matrices:
        box = matrix.boxes.get(page_number)
        if box is None:
            continue
        image.draw_rect(box, fill=None, stroke=TABLE, stroke_width=3)
        for x0, x1 in matrix.column_ranges:
            image.draw_rect((x0, box[1], x1, box[3]), fill=None, stroke=TABLE, stroke_width=1)
        notes.append(f"{'area-name' if matrix.kind == 'names' else 'numbered'} table, columns: "
                     + " | ".join(" ".join(c.split()) or "(no header)" for c in matrix.columns))
    questions = [(box, qid) for page, box, qid in stages.summary.boxes if page == page_number]
    image.draw_rects([box for box, _ in questions], fill=None, stroke=QUESTION)
    if questions:
        notes.append(f"{len(questions)} score-summary rows: {', '.join(q for _, q in questions)}")
    items = [t for t in stages.findings.traces if t.page == page_number]
    for trace in items:
        image.draw_rect(trace.box, fill=None, stroke=ITEM[trace.kind], stroke_width=3)
    if items:
        kinds = {}
        for trace in items:
            kinds[trace.opened_by] = kinds.get(trace.opened_by, 0) + 1
        notes.append(f"{len(items)} list items start here (opened by: "
                     + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + ")")
    return notes
