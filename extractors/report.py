"""PDF → ReportExtract, in stages that each return their result and warnings, assembled once.

    read_document → title block → area tables (by their rows) → comparisons → score summary
    → findings → stated results → assemble (framework, names, checks) → [tagging: good examples]

Every stage reads the same positioned words (`extractors.document`), whatever made the PDF. Missing
parts become warnings. A PDF with no area table that names Kommunkompassen and states a result (a list
of areas, a total in a sentence: `extractors.statements`, the reader web pages use too) is a report of
that result. A PDF is refused as "not a report" only when nothing is found; "no text layer" only when
its pages are images.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extractors import frameworks
from extractors.area_matrix import AreaMatrix, document_rows
from extractors.area_table import AreaTableResult, canonical_names, read_area_table
from extractors.checks import run_checks, value_warnings
from extractors.comparison_table import ComparisonResult, collect, comparison_checks
from extractors.document import Document, read_document
from extractors.errors import NoTextLayer, NotAReport, UnreadableTextLayer
from extractors.findings import FindingsResult, read_findings
from extractors.markers import run_together_numbering
from extractors.records import AreaScore, ReportExtract, SentenceRecord, Source
from extractors.score_summary import SummaryResult, read_score_summary, sum_row_checks
from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings
from extractors.statements import DocumentResult, document_result
from extractors.tables.grid import CellGrid
from extractors.tables.lines_strategy import line_grids
from extractors.tables.reading import Reading, best_readings, grid_readings
from extractors.tables.text_strategy import text_grids
from extractors.titleblock import TitleBlock, read_title_block
from extractors.vocabulary import VOCABULARY

EXTRACTOR_VERSION = "2"
SCAN_IMAGE_SHARE = 0.25  # a page this much covered by images, with almost no text, is a scan
MIN_TEXT = 200  # characters: less than this in the whole PDF is a scan with at most a stamp of text
LOOKED_FOR = ("an area table (rows naming the eight areas of a framework generation, or rows 1–8 with scores), "
              "a score summary (question rows 1.1 … with points), a comparison table, lists of strengths "
              "and areas for improvement under an area, or a stated result (a list of areas with scores, a total "
              "in a sentence)")


@dataclass
class Stages:
    """What each stage found, before assembly (inspectable, e.g. by the debug drawing)."""

    document: Document
    title: TitleBlock
    area: AreaTableResult
    comparisons: ComparisonResult
    summary: SummaryResult
    findings: FindingsResult
    area_headings: dict[int, list[str]]
    matrices: list[AreaMatrix]
    grids: list[CellGrid] = field(default_factory=list)  # the ruled tables of every page (`lines` strategy)
    readings: list[Reading] = field(default_factory=list)  # grid readings not kept, with their scores
    all_readings: list[Reading] = field(default_factory=list)  # every grid reading, kept or not
    stated: DocumentResult | None = None  # results stated outside an area table (`extractors.statements`)


def run_stages(document: Document, settings: ExtractionSettings = DEFAULT_SETTINGS) -> Stages:
    """Every extraction stage over a read document."""
    readable = [page for page in document.pages if page.readable]
    if not readable:
        raise UnreadableTextLayer(_unreadable_message(document))
    if sum(len(line.text) for page in document.pages for line in page.lines + page.removed) < MIN_TEXT \
            and any(page.image_share >= SCAN_IMAGE_SHARE for page in document.pages):
        raise NoTextLayer(f"{document.path.name}: no text layer (almost no text: a scanned PDF): "
                          "it needs OCR (kompass extract --ocr)")
    languages = {page.quality.language for page in readable if page.quality is not None and page.quality.words}
    if languages and "sv" not in languages:
        raise NotAReport(f"{document.path.name}: not a Kommunkompassen report: its text is readable but not Swedish "
                         f"({', '.join(sorted(languages))})")
    title = read_title_block(document.pages[:2])
    rows = document_rows(readable)
    notes: list[str] = []
    grids = table_grids(readable, rows, settings)
    readings = grid_readings(grids, {page.number: page for page in readable}, settings)
    matrices, rejected = _guarded("area tables", lambda: area_tables(readings), ([], readings), notes)
    area = _guarded("area table", lambda: read_area_table(matrices, title.kommun, title.year), AreaTableResult(), notes)
    comparisons = _guarded("comparisons", lambda: collect(matrices, rows, title.kommun, title.year, area.scores),
                           ComparisonResult(), notes)
    summary = _guarded("score summary", lambda: read_score_summary(readable, settings), SummaryResult(), notes)
    findings = _guarded("findings", lambda: read_findings(readable, settings), FindingsResult(), notes)
    headings = frameworks.area_headings([line.text for page in readable for line in page.lines])
    stated = None
    if not area.scores or title.kommun is None:  # a result stated elsewhere, or the municipality named elsewhere
        stated = _guarded("stated results", lambda: document_result(document, title.kommun, title.year), None, notes)
    title.warnings.extend(notes)
    return Stages(document, title, area, comparisons, summary, findings, headings, matrices, grids, rejected, readings,
                  stated)


def table_grids(pages, rows, settings: ExtractionSettings = DEFAULT_SETTINGS) -> list[CellGrid]:
    """Every page's tables as cell grids: from its rules (`lines`; `ocr` on a scan, where the rules were
    found on the image), only on pages that have rules, and from its words' positions (`text`)."""
    grids = [grid for page in pages if page.rules
             for grid in line_grids(page.rules, page.words, page.number, settings, _rules_strategy(page))]
    return grids + text_grids(rows, settings)


def _rules_strategy(page) -> str:
    """`ocr` for rules a scan's preparation found on the image, `lines` for rules the PDF draws."""
    from extractors.document import OCR

    return "ocr" if page.source == OCR else "lines"


def area_tables(readings: list[Reading]) -> tuple[list[AreaMatrix], list[Reading]]:
    """The area tables: the best reading of each table, whichever strategy made its grid (a ruled grid on a
    tie), and the readings not kept."""
    chosen, rejected = best_readings(readings)
    return sorted(chosen, key=lambda m: m.first_page), rejected


def _guarded(stage: str, run, empty, notes: list[str]):
    """One stage's result; a stage that fails on this document leaves its part empty and says why,
    so one unreadable table never costs the rest of the report."""
    try:
        return run()
    except (ValueError, KeyError, IndexError, ZeroDivisionError) as error:  # a TypeError or AttributeError is a bug
        notes.append(f"the {stage} could not be read ({type(error).__name__}: {error}); left out")
        return empty


def _unreadable_message(document: Document) -> str:
    bad = [p for p in document.pages if not p.readable]
    reasons = [p.quality.reason for p in bad if p.quality is not None and p.quality.reason]
    needs = f"it needs OCR, and {document.ocr_note}" if document.ocr_note else "it needs OCR (kompass extract --ocr)"
    if set(reasons) == {"no text"}:
        return f"{document.path.name}: no text layer (a scanned PDF): {needs}"
    worst = next((r for r in reasons if r != "no text"), "")
    failed = [r for r in reasons if r.startswith("OCR failed")]
    if failed:
        return (f"{document.path.name}: OCR could not read {len(failed)} of {len(document.pages)} pages "
                f"(e.g. {failed[0][len('OCR failed ('):-1]}); the rest was not enough to go on")
    if document.ocr_pages():
        return (f"{document.path.name}: unreadable even after OCR on {len(bad)} of {len(document.pages)} pages "
                f"(e.g. page {bad[0].number}: {worst})")
    return (f"{document.path.name}: the text layer is unreadable on {len(bad)} of {len(document.pages)} pages "
            f"(e.g. page {bad[0].number}: {worst}), typically fonts without a Unicode map: {needs}")


def names_kommunkompassen(document: Document) -> bool:
    return any(VOCABULARY.report_names.search(line.text.replace(" ", "")) or VOCABULARY.report_names.search(line.text)
               for page in document.pages[:5] for line in page.lines + page.removed)


def assemble(stages: Stages) -> ReportExtract:
    """One ReportExtract from the stages' results: framework, canonical names, checks, warnings."""
    document, title, summary = stages.document, stages.title, stages.summary
    report = ReportExtract(source=Source(sha256=document.sha256, pages=len(document.pages), filename=document.path.name))
    report.kommun, report.kommunkod, report.year = title.kommun, title.kommunkod, title.year
    subject = stages.stated.subject if stages.stated is not None else None
    if subject is not None and (title.kommun is None or (stages.stated.evaluation is not None
                                                         and subject.name != title.kommun)):
        report.kommun, report.kommunkod = subject.name, subject.kommunkod  # the subject of the stated result
    if subject is not None and subject.kommunkod is None and subject.name == report.kommun:
        report.country, report.national_code = subject.country, subject.code
    report.evaluation_dates, report.evaluators = title.dates, title.evaluators
    report.warnings.extend(title.warnings)
    for page in document.pages:
        if not page.readable:
            report.warn(f"page {page.number}: the text layer is unreadable ({page.quality.reason}); not read")
        report.warnings.extend(page.notes)
    _add_areas(report, stages)
    report.questions = summary.questions
    report.warnings.extend(summary.warnings)
    report.comparisons = stages.comparisons.comparisons
    report.warnings.extend(stages.comparisons.warnings)
    if not stages.comparisons.found_table:
        report.warn("no comparison table (Tabell 2) found")
    report.findings = stages.findings.findings
    report.warnings.extend(stages.findings.warnings)
    if not report.findings:
        report.warn("no strengths or areas for improvement found (no lists under 'Styrkor' / 'Förbättringsområden')")
    for finding in report.findings:
        if labels := run_together_numbering(finding.text):
            report.warn(f"a {finding.kind} of area {finding.area} (page {finding.page}) holds numbered items "
                        f"{', '.join(labels)}: several findings may have been read as one")
    _decide_framework(report, stages)
    _orient_area_columns(report)
    _complete_from_questions(report)
    sums, totals = dict(summary.sums), dict(stages.comparisons.totals)
    if document.ocr_pages():
        report, sums, totals = _verify_ocr(report, stages)
    report.checks = run_checks(report) + sum_row_checks(report.questions, sums) + \
        comparison_checks(report.comparisons, totals)
    report.warnings.extend(value_warnings(report))
    for check in report.checks:
        if not check.ok:
            report.warn(f"check failed: {check.name} ({check.detail})")
    return report


def _verify_ocr(report: ReportExtract, stages: Stages):
    """Hold OCR'd numbers to the report's arithmetic (`extractors.arithmetic`): mend a misreading only
    where one reading makes every sum agree, else leave it empty with a warning; mark every record
    read by OCR with its confidence."""
    from extractors.arithmetic import Reading, verify

    words = {**stages.area.words, **stages.comparisons.words, **stages.summary.words}
    pages = _pages_of(report)
    readings = {key: Reading(word.text, word.conf, word.alternatives, pages.get(key))
                for key, word in words.items() if word is not None and word.conf is not None}
    verified = verify(report, readings, stages.summary.sums, stages.comparisons.totals, stages.summary.left_out)
    checked = verified.report
    _mark_confidence(checked, words)
    checked.source.ocr_pages = stages.document.ocr_pages()
    return checked, verified.summary_sums, verified.comparison_totals


def _pages_of(report: ReportExtract) -> dict[tuple, int]:
    pages: dict[tuple, int] = {}
    for q in report.questions:
        for name in ("points", "max_points", "percent"):
            pages[("question", q.question, name)] = q.page
    for area in report.areas:
        pages[("area", area.area, "score")] = pages[("area", area.area, "reference")] = area.page
    for c in report.comparisons:
        pages[("comparison", c.kommun, c.year, c.area)] = c.page
    return pages


def _mark_confidence(report: ReportExtract, words: dict[tuple, object]) -> None:
    def lowest(*keys) -> float | None:
        found = [words[k].conf for k in keys if k in words and words[k] is not None and words[k].conf is not None]
        return min(found) if found else None

    for area in report.areas:
        area.ocr_confidence = lowest(("area", area.area, "score"), ("area", area.area, "reference"))
    for q in report.questions:
        q.ocr_confidence = lowest(*(("question", q.question, n) for n in ("points", "max_points", "percent")))
    for c in report.comparisons:
        c.ocr_confidence = lowest(("comparison", c.kommun, c.year, c.area))


def _add_areas(report: ReportExtract, stages: Stages) -> None:
    area = stages.area
    report.warnings.extend(area.warnings)
    if not area.scores and stages.comparisons.own_rows:
        own = stages.comparisons.own_rows[0]
        area.scores, area.total, area.pages = dict(own.scores), own.total, {a: own.page for a in own.scores}
        reference = stages.comparisons.reference
        if reference is not None:
            area.references, area.reference_kind, area.reference_total = dict(reference.scores), reference.kind, reference.total
        report.warn(f"page {own.page}: area scores read from the comparison table's row for {own.label}")
    if not area.scores and stages.stated is not None and stages.stated.evaluation is not None:
        _add_stated(report, stages.stated)
        return
    if not area.scores:
        report.warn("no area table found (no rows naming the eight areas with scores)")
        return
    if area.matrix is not None and area.matrix.kind == "numbers" and not any(area.references.values()):
        _reference_from_rows(report, area, stages)
    report.reference_kind = area.reference_kind
    report.areas = [AreaScore(area=a, name=area.labels.get(a, ""), score=area.scores[a],
                              median=area.references.get(a), page=area.pages.get(a, 0),
                              reference_kind=area.reference_kind) for a in range(1, 9)]
    report.total, report.median_total = area.total, area.reference_total
    if area.total is None:
        report.warn("the area table has no total row; total computed from the areas")
    if area.reference_kind is None and any(v is not None for v in area.references.values()):
        report.warn("the reference column's kind (median, medelvärde …) is not named")


def _add_stated(report: ReportExtract, stated: DocumentResult) -> None:
    """A result stated outside an area table (a list of areas, a total in a sentence): what it states is
    extracted, the rest is warned."""
    evaluation = stated.evaluation
    report.year = evaluation.year
    report.warnings.extend(stated.warnings)
    report.areas = [AreaScore(area=n, name=s.area_name or "", score=s.value, median=s.reference, page=s.page or 0,
                              reference_kind=s.reference_kind) for n, s in sorted(evaluation.areas.items())]
    kinds = {s.reference_kind for s in evaluation.areas.values() if s.reference_kind}
    report.reference_kind = kinds.pop() if len(kinds) == 1 else None
    if evaluation.total is not None:
        report.total = evaluation.total.value
    where = "; ".join(sorted({f"page {s.page}: {s.shape}" for s in [*evaluation.areas.values(),
                                                                    *([evaluation.total] if evaluation.total else [])]}))
    report.warn(f"no area table: the result is read from what the text states ({where})")
    if not evaluation.areas:
        report.warn("only the total is stated: no area scores")
    elif len(evaluation.areas) < 8:
        report.warn(f"areas {', '.join(str(a) for a in range(1, 9) if a not in evaluation.areas)} are not stated")
    if evaluation.total is None:
        report.warn("no total is stated")
    if evaluation.areas and all(s.reference is None for s in evaluation.areas.values()):
        report.warn("no reference values (median or mean) are stated")


def _reference_from_rows(report: ReportExtract, area: AreaTableResult, stages: Stages) -> None:
    """Scores read from a table of areas numbered 1–8 (a comparison table) have no reference column; a
    table with the areas as columns may give the same scores in a row of the municipality's and the
    reference in a row of its own ('Median alla utvärderingar 62 57,5 …'). Without one, say so."""
    reference = stages.comparisons.reference
    if reference is not None and any(own.scores == area.scores for own in stages.comparisons.own_rows):
        area.references, area.reference_kind = dict(reference.scores), reference.kind
        area.reference_total = reference.total
        return
    report.warn(f"page {area.matrix.first_page}: the scores were read from a table of areas numbered 1–8 without "
                "a reference column; no table of area names was read, so the reference values (median or mean) "
                "are missing")


def _decide_framework(report: ReportExtract, stages: Stages) -> None:
    """The generation whose area names the report uses; canonical area names follow from it."""
    titles: dict[int, list[str]] = {number: list(names) for number, names in stages.summary.area_titles.items()}
    for area in report.areas:
        if area.name:
            titles.setdefault(area.area, []).append(area.name)
    for number, headings in stages.area_headings.items():
        titles.setdefault(number, []).extend(headings)
    generation = stages.area.generation
    if generation is None:
        generation, _ = frameworks.detect_framework(titles, report.year)
    report.framework = generation
    if generation is None:
        report.warn("framework generation not recognised")
        return
    names = canonical_names(generation, {})
    for area in report.areas:
        area.name = names[area.area]


def _orient_area_columns(report: ReportExtract) -> None:
    """If the question sums match the reference column and not the score column, the header misled us."""
    sums: dict[int, float] = {}
    for q in report.questions:
        area = int(q.question.split(".")[0])
        sums[area] = sums.get(area, 0) + (q.points or 0)
    matches_score = sum(1 for a in report.areas if a.area in sums and a.score is not None
                        and abs(sums[a.area] - a.score) < 0.001)
    matches_reference = sum(1 for a in report.areas if a.area in sums and a.median is not None
                            and abs(sums[a.area] - a.median) < 0.001)
    if matches_reference >= 6 and matches_score <= 1:
        for area in report.areas:
            area.score, area.median = area.median, area.score
        if report.median_total is not None:
            report.total, report.median_total = report.median_total, report.total
        report.warn("area table: the question sums identify the score column; score and reference swapped")


def _complete_from_questions(report: ReportExtract) -> None:
    """With no area table, area scores are the sums of their questions (said in a warning)."""
    if report.areas or not report.questions:
        if report.areas and report.total is None and all(a.score is not None for a in report.areas):
            report.total = sum(a.score for a in report.areas)
        return
    if any(q.points is None for q in report.questions):
        return
    sums: dict[int, float] = {}
    pages: dict[int, int] = {}
    for q in report.questions:
        area = int(q.question.split(".")[0])
        sums[area] = sums.get(area, 0) + q.points
        pages.setdefault(area, q.page)
    if len(sums) == 8 and report.framework:
        report.areas = [AreaScore(area=a, name=frameworks.area_name(report.framework, a), score=sums[a], median=None,
                                  page=pages[a]) for a in sorted(sums)]
        report.total = sum(sums.values())
        report.warn("area scores computed from the score summary (no area table found)")


def extract_tables(path: str | Path, settings: ExtractionSettings = DEFAULT_SETTINGS,
                   document: Document | None = None) -> ReportExtract:
    """Everything but the tagging stage: scores, questions, comparisons, findings, checks (no spaCy)."""
    document = document or read_document(path, settings)
    stages = run_stages(document, settings)
    report = assemble(stages)
    if not (report.areas or report.questions or report.comparisons or report.findings or report.total is not None):
        if document.unreadable_pages():
            raise UnreadableTextLayer(_unreadable_message(document))
        raise NotAReport(f"{document.path.name}: not a Kommunkompassen report: found none of {LOOKED_FOR}")
    if not stages.area.scores and not names_kommunkompassen(document):
        raise NotAReport(f"{document.path.name}: not a Kommunkompassen report: it never names Kommunkompassen "
                         f"and has no area table ({LOOKED_FOR.split(', ')[0]})")
    return report


def extract_report(path: str | Path, settings: ExtractionSettings = DEFAULT_SETTINGS, ocr: str = "auto",
                   progress=None) -> ReportExtract:
    """The whole extract, good examples included (the tagging stage runs after the tables).
    `ocr`: 'auto' reads pages without a usable text layer by OCR, 'always' every page, 'never' none."""
    return extract_with_prose(path, settings, ocr, progress, with_sentences=False)[0]


def extract_with_prose(path: str | Path, settings: ExtractionSettings = DEFAULT_SETTINGS, ocr: str = "auto",
                       progress=None, with_sentences: bool = True) -> tuple[ReportExtract, list[SentenceRecord]]:
    """The extract with its good examples, and (with `with_sentences`) its prose sentences with lemmas.

    Where it pays, the Swedish pipeline loads in a process of its own while the PDF is read."""
    from extractors.early_tagging import early_tagger
    from extractors.tagging import prose_lines, tag_prose

    with early_tagger() as tagger:
        document = read_document(path, settings, ocr=ocr, progress=progress)
        report = extract_tables(path, settings, document)
        prose = (prose_lines(document), report.kommun, report.kommunkod, with_sentences)
        tagged = tagger.tag(*prose) if tagger is not None else tag_prose(*prose)
    report.good_examples = tagged.good_examples
    return report, tagged.sentences
