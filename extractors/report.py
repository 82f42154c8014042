"""PDF → ReportExtract: the one entry point of extraction (pure: reads the file, nothing else).

pypdfium2 reads every page's text cheaply to find the title block, the findings and which pages hold
the tables; pdfplumber then reads only those pages, where word positions matter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from extractors import frameworks
from extractors.checks import run_checks
from extractors.comparison_table import ComparedEvaluation, read_comparison_table
from extractors.errors import DamagedPdf, NoTextLayer, NotAReport
from extractors.findings import read_findings
from extractors.good_examples import find_good_examples
from extractors.layout import Line, TextLine, pdfium_lines, plumber_words, words_to_lines
from extractors.numbers import round_half_up
from extractors.pdftext import line_shape, open_document, running_line_shapes, sha256_of
from extractors.prose import Section, prose_sections
from extractors.records import AreaScore, Check, Comparison, QuestionScore, ReportExtract, Source
from extractors.sentences import ProseSentence, prose_sentences
from extractors.score_summary import ScoreSummary, column_roles, read_page
from extractors.summary_table import read_summary_table
from extractors.titleblock import find_dates, find_evaluators, find_municipality, find_year

EXTRACTOR_VERSION = "1"
SCORE_SUMMARY_HEADING = re.compile(r"^(?:\d\.?\s*)?(Poängsammanställning|Översikt av poängfördelning)\b", re.I)
TABLE_1 = re.compile(r"^Tabell\s*1\b", re.I)
TABLE_2 = re.compile(r"^Tabell\s*2\b", re.I)
_NUM = r"\d{1,3}(?:[,.]\d+)?"
AREA_ROW = re.compile(rf"^(?!Tabell).*[A-Za-zåäöÅÄÖ]{{3}}.*?\s({_NUM})(?:\s+({_NUM}))?\s*$")
TOTAL_ROW = re.compile(rf"^(?:TOTALT|Totalt|Summa|Total)\b\D*\s(\d{{3}}(?:[,.]\d+)?)(?:\s+{_NUM})?\s*$")
COMPARISON_ROW = re.compile(rf"^[1-8]\.?(?:\s+{_NUM}){{2,}}\s*$")


def _find_area_table(pages: list[list[TextLine]]) -> int | None:
    """Without a 'Tabell 1' caption: the page whose total row follows at least six area rows."""
    for index, page in enumerate(pages[1:], start=1):
        texts = [line.text.strip() for line in page]
        for position, text in enumerate(texts):
            total = TOTAL_ROW.match(text)
            if total and 100 <= float(total.group(1).replace(",", ".")) <= 800:
                rows = [t for t in texts[max(0, position - 16):position] if AREA_ROW.match(t)]
                if len(rows) >= 6:
                    return index
    return None


def _find_comparison_table(pages: list[list[TextLine]]) -> int | None:
    """Without a 'Tabell 2' caption: the first page with area rows of three or more numbers."""
    for index, page in enumerate(pages[1:], start=1):
        if sum(1 for line in page if COMPARISON_ROW.match(line.text.strip())) >= 4:
            return index
    return None


def read_text_lines(path: Path) -> tuple[list[list[TextLine]], set[str], list[list[str]]]:
    """Every page's lines with positions, running headers and footers removed; their shapes; and the
    first two pages' lines as printed (the title block may only name the municipality in a footer)."""
    document = open_document(path)
    try:
        pages = [pdfium_lines(document, index)[0] for index in range(len(document))]
    except pdfium.PdfiumError as error:
        raise DamagedPdf(f"{path.name}: the PDF is damaged and cannot be read ({error})") from None
    finally:
        document.close()
    if sum(len(line.text) for page in pages for line in page) < 200:
        raise NoTextLayer(f"{path.name}: no text layer (a scanned PDF needs OCR before extraction)")
    running = running_line_shapes([[line.text for line in page] for page in pages])
    kept = [[line for line in page if line_shape(line.text) not in running] for page in pages]
    return kept, running, [[line.text for line in page] for page in pages[:2]]


def _find_page(pages: list[list[TextLine]], pattern: re.Pattern, start: int = 0, last: bool = False) -> int | None:
    hits = [i for i, page in enumerate(pages) if i >= start and any(pattern.match(l.text.strip()) for l in page)]
    if not hits:
        return None
    return hits[-1] if last else hits[0]


QUESTION_ROW = re.compile(rf"^(?:[•-]\s*)?[1-8]\.\d{{1,2}}\.?\s+\D.*\s{_NUM}\s+{_NUM}(?:\s*%)?")


@dataclass
class TablePages:
    """Where the tables are (0-based page indexes), found from the cheap pypdfium2 text."""

    area_table: int | None
    comparison_table: int | None
    score_summary: list[int]

    @classmethod
    def locate(cls, pages: list[list[TextLine]]) -> "TablePages":
        area = _find_page(pages, TABLE_1, start=1)
        comparison = _find_page(pages, TABLE_2, start=1)
        summary = _find_page(pages, SCORE_SUMMARY_HEADING, start=2, last=True)
        if summary is not None:
            summary_pages = list(range(summary, len(pages)))
        else:  # no heading: the pages that hold question rows with their numbers
            summary_pages = [i for i, page in enumerate(pages) if i >= 2 and
                             sum(1 for line in page if QUESTION_ROW.match(line.text.strip())) >= 3]
        return cls(area if area is not None else _find_area_table(pages),
                   comparison if comparison is not None else _find_comparison_table(pages), summary_pages)

    @staticmethod
    def _with_next(index: int | None) -> list[int]:
        return [] if index is None else [index + 1, index + 2]  # 1-based: the page and the next

    def area_pages(self) -> list[int]:
        return self._with_next(self.area_table)

    def comparison_pages(self) -> list[int]:
        return self._with_next(self.comparison_table)

    def summary_pages(self) -> list[int]:
        return [i + 1 for i in self.score_summary]

    def all_pages(self, count: int) -> list[int]:
        wanted = set(self.area_pages()) | set(self.comparison_pages()) | set(self.summary_pages())
        return sorted(p for p in wanted if 1 <= p <= count)


def extract_report(path: str | Path) -> ReportExtract:
    """Extract everything the report holds; missing parts become warnings, not errors."""
    return extract_with_prose(path)[0]


def extract_with_prose(path: str | Path) -> tuple[ReportExtract, list[Section], list[ProseSentence]]:
    """The extract, and the prose sections and sentences it was read from (so tagging splits once)."""
    path = Path(path)
    pages, running, title_pages = read_text_lines(path)
    texts = [[line.text for line in page] for page in pages]
    if not any("kommunkompass" in line.casefold().replace(" ", "") for page in texts[:5] for line in page):
        raise NotAReport(f"{path.name}: not a Kommunkompassen report (its first pages never name Kommunkompassen)")
    report = ReportExtract(source=Source(sha256=sha256_of(path), pages=len(pages), filename=path.name))
    _read_title_block(report, title_pages)
    where = TablePages.locate(pages)
    area_titles = _read_tables(path, report, where, running)
    report.findings = read_findings(pages)
    if not report.findings:
        report.warn("no strengths or areas for improvement found (no 'Sammanfattning område N' lists)")
    if not (report.areas or report.questions or report.comparisons or report.findings):
        raise NotAReport(f"{path.name}: names Kommunkompassen but holds no scores, score summary or findings")
    sections = prose_sections(texts)
    sentences = list(prose_sentences(sections))
    report.good_examples = find_good_examples(sections, report.kommun, report.kommunkod, sentences=sentences)
    _decide_framework(report, pages, area_titles)
    _orient_area_columns(report)
    _complete_from_questions(report)
    report.checks = run_checks(report) + report.checks  # the comparison tables' own checks come last
    for check in report.checks:
        if not check.ok:
            report.warn(f"check failed: {check.name} ({check.detail})")
    return report, sections, sentences


def _read_tables(path: Path, report: ReportExtract, where: TablePages, running: set[str]) -> dict[int, list[str]]:
    """Read the three tables with pdfplumber, opening only the pages that hold them."""
    try:
        with pdfplumber.open(path, pages=where.all_pages(report.source.pages)) as pdf:
            by_number = {page.page_number: page for page in pdf.pages}
            _read_area_scores(report, _lines_of(by_number, where.area_pages(), running))
            _read_comparisons(report, _lines_of(by_number, where.comparison_pages(), running), where.comparison_table)
            return _read_questions(report, by_number, where.summary_pages(), running)
    except DamagedPdf:
        raise
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds on broken files
        raise DamagedPdf(f"{path.name}: the PDF could not be parsed for its tables "
                         f"({type(error).__name__}: {error})") from None


def _lines_of(by_number: dict, numbers: list[int], running: set[str]) -> list[Line]:
    lines: list[Line] = []
    for number in numbers:
        page = by_number.get(number)
        if page is not None:
            lines.extend(l for l in words_to_lines(plumber_words(page), number) if line_shape(l.text) not in running)
    return lines


def _read_title_block(report: ReportExtract, texts: list[list[str]]) -> None:
    first_pages = [line for page in texts[:2] for line in page]
    municipality = find_municipality(first_pages)
    if municipality is None:
        report.warn("the evaluated municipality was not recognised in the title block")
    else:
        report.kommun, report.kommunkod = municipality.name, municipality.kommunkod
    report.evaluation_dates = find_dates(first_pages)
    report.year = find_year(first_pages, report.evaluation_dates)
    if not report.evaluation_dates:
        report.warn("no evaluation dates found in the title block")
    report.evaluators = find_evaluators(first_pages, report.kommun)
    if not report.evaluators:
        report.warn("no evaluators found in the title block")


def _read_area_scores(report: ReportExtract, lines: list[Line]) -> None:
    start = next((i for i, line in enumerate(lines) if TABLE_1.match(line.text)), 0)
    table = read_summary_table(lines, start) if lines else None
    if table is None:
        report.warn("no area summary table (Tabell 1) found")
        return
    report.reference_kind = table.reference_kind
    report.areas = [AreaScore(area=i, name=row.label, score=row.score, median=row.reference, page=row.page,
                              reference_kind=table.reference_kind) for i, row in enumerate(table.rows, start=1)]
    if table.total is not None:
        report.total, report.median_total = table.total.score, table.total.reference
    else:
        report.warn("the area summary table has no total row; total computed from the areas")


def _read_comparisons(report: ReportExtract, lines: list[Line], table_page: int | None) -> None:
    if table_page is None or not lines:
        report.warn("no comparison table (Tabell 2) found")
        return
    start = next((i + 1 for i, line in enumerate(lines) if TABLE_2.match(line.text)), 0)
    evaluations = read_comparison_table(lines[start:])
    if not evaluations:
        report.warn(f"page {table_page + 1}: a comparison table was announced but could not be read")
    for evaluation in evaluations:
        if _is_self(report, evaluation):
            continue
        _add_comparison(report, evaluation)


def _is_self(report: ReportExtract, evaluation: ComparedEvaluation) -> bool:
    """The evaluated municipality's own column (by name, or by the very same eight scores and year)."""
    if evaluation.kommun == report.kommun and evaluation.year in (report.year, None):
        return True
    own = {area.area: area.score for area in report.areas}
    return evaluation.year == report.year and len(own) == 8 and own == evaluation.scores


def _add_comparison(report: ReportExtract, evaluation: ComparedEvaluation) -> None:
    if evaluation.year is None:
        report.warn(f"comparison column '{evaluation.label}' has no year; left out")
        return
    if evaluation.kommunkod is None:
        report.warn(f"comparison '{evaluation.label}' is not a Swedish municipality in kommuner.csv")
    for area, score in sorted(evaluation.scores.items()):
        report.comparisons.append(Comparison(kommun=evaluation.kommun, kommunkod=evaluation.kommunkod,
                                             year=evaluation.year, area=area, score=score, page=evaluation.page))
    if evaluation.total is not None:
        total = sum(evaluation.scores.values())
        report.checks.append(Check(f"comparison {evaluation.kommun} {evaluation.year}: areas sum to total",
                                   abs(total - evaluation.total) < 0.001, f"{total:g} vs {evaluation.total:g}"))


def _read_questions(report: ReportExtract, by_number: dict, numbers: list[int], running: set[str]) -> dict[int, list[str]]:
    summary = ScoreSummary()
    for number in numbers:
        read_page(_lines_of(by_number, [number], running), number, by_number[number].width, summary)
    if not summary.questions:
        report.warn("no score summary (Poängsammanställning) with sub-question scores found")
        return summary.area_titles
    summary.questions.sort(key=lambda q: (q.area, int(q.question.split(".")[1])))
    max_at, points_at, percent_at = column_roles(summary.questions)
    seen = set()
    derived_percent = False
    for raw in summary.questions:
        if raw.question in seen:
            report.warn(f"page {raw.page}: question {raw.question} appears twice; the first is kept")
            continue
        values = [value for _, value in raw.numbers]
        needed = max(i for i in (max_at, points_at, percent_at) if i is not None)
        if len(values) <= needed or max_at < 0:
            report.warn(f"page {raw.page}: question {raw.question} has {len(values)} numbers, expected {needed + 1}; left out")
            continue
        seen.add(raw.question)
        maximum, points = values[max_at], values[points_at]
        if percent_at is not None:
            percent = values[percent_at]
        else:
            percent = round_half_up(100 * points / maximum) if maximum else 0
            derived_percent = True
        report.questions.append(QuestionScore(question=raw.question, text=raw.text, max_points=maximum,
                                              points=points, percent=percent, page=raw.page))
    if derived_percent:
        report.warn("the score summary has no percent column; percent computed as round(100·points/max)")
    _check_sum_rows(report, summary.area_totals, (max_at, points_at, percent_at))
    return summary.area_titles


def _check_sum_rows(report: ReportExtract, totals: dict[int, list[float]], roles: tuple) -> None:
    """Where the score summary prints an area's sum row, it must equal the sum of that area's questions."""
    width = max(i for i in roles if i is not None) + 1
    for area, numbers in sorted(totals.items()):
        if len(numbers) == width:
            stated = numbers[roles[1]]
        elif len(numbers) == 2 and numbers[0] == 100:
            stated = numbers[1]
        elif len(numbers) == 1:
            stated = numbers[0]
        else:
            continue
        points = sum(q.points for q in report.questions if q.question.split(".")[0] == str(area))
        report.checks.append(Check(f"area {area}: the score summary's sum row matches its questions",
                                   abs(points - stated) < 0.001, f"{points:g} vs {stated:g}"))


def _decide_framework(report: ReportExtract, pages: list[list[TextLine]], area_titles: dict[int, list[str]]) -> None:
    """The generation whose area names the report uses; canonical area names follow from it."""
    titles: dict[int, list[str]] = {number: list(names) for number, names in area_titles.items()}
    for page in pages:
        for line in page:
            match = re.match(r"^(?:Område|Huvudområde)\s+([1-8])\s*[:.–-]?\s*(.+)$", line.text.strip())
            if match:
                titles.setdefault(int(match.group(1)), []).append(match.group(2))
    for area in report.areas:
        titles.setdefault(area.area, []).append(area.name)
    report.framework, _ = frameworks.detect_framework(titles, report.year)
    if report.framework is None:
        report.warn("framework generation not recognised")
        return
    for area in report.areas:
        area.name = frameworks.area_name(report.framework, area.area)


def _orient_area_columns(report: ReportExtract) -> None:
    """If the question sums match the reference column and not the score column, the header misled us."""
    sums: dict[int, float] = {}
    for q in report.questions:
        area = int(q.question.split(".")[0])
        sums[area] = sums.get(area, 0) + q.points
    matches_score = sum(1 for a in report.areas if a.area in sums and abs(sums[a.area] - a.score) < 0.001)
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
        if report.areas and report.total is None:
            report.total = sum(a.score for a in report.areas)
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
