"""Loading the real report and the published scores: exact rows, idempotence, atomic failure."""
from __future__ import annotations

import csv
import dataclasses
import sqlite3

import pytest

from db.load import is_loaded, load_analysis, load_published, record_load_error
from db.published import PUBLISHED_CSV
from db.schema import open_database
from db.store import InvalidExtract
from extractors.records import QuestionScore
from tests.test_db_support import (REPORT_PDF, content, dump, fixture_extract, integrity,  # noqa: F401
                                   integrity_after, real_analysis, rows)

pytestmark = pytest.mark.usefixtures("integrity_after")


@pytest.fixture(scope="module")
def analysis():
    return real_analysis()


@pytest.fixture
def built(tmp_path, analysis):
    """A database built from the real report plus the published scores."""
    path = tmp_path / "kommunkompassen.db"
    db = open_database(path)
    load_analysis(db, analysis, source_url="https://example.org/fagersta.pdf", fetched_at="2024-01-01T00:00:00Z")
    load_published(db)
    db.close()
    yield path
    assert integrity(path) == "ok"


def published_rows():
    with PUBLISHED_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_report_rows_match_the_expected_extraction(built, analysis):
    expected = fixture_extract()
    sha = analysis.extract.source.sha256
    assert rows(built, "SELECT sha256, filename, pages, extractor_version, source_url, evaluation FROM documents "
                       "WHERE kind = 'report'") == [
        (sha, REPORT_PDF.name, 28, analysis.extractor_version, "https://example.org/fagersta.pdf", "1982-2009")]
    assert rows(built, "SELECT id, kommunkod, kommun, year, framework, start_date, end_date, total, median_total, "
                       "total_source, document FROM evaluations WHERE id = '1982-2009'") == [
        ("1982-2009", "1982", "Fagersta", 2009, "2002-2009", "2009-10-07", "2009-10-09", 466.0, 463.5, "report", sha)]
    assert rows(built, "SELECT area, score, reference, reference_kind FROM area_scores "
                       "WHERE evaluation = '1982-2009' ORDER BY area") == [
        (a.area, a.score, a.median, "median") for a in expected.areas]
    assert rows(built, "SELECT question, max_points, points, percent FROM question_scores ORDER BY rowid") == [
        (q.question, q.max_points, q.points, q.percent) for q in expected.questions]
    assert rows(built, "SELECT area, kind, text FROM findings ORDER BY seq") == [
        (f.area, f.kind, f.text) for f in expected.findings]
    assert rows(built, "SELECT name, organisation FROM evaluators ORDER BY seq") == [
        (e.name, e.organisation) for e in expected.evaluators]
    assert rows(built, "SELECT count(*), sum(ok) FROM checks") == [(len(analysis.extract.checks),) * 2]
    assert rows(built, "SELECT min(page), max(page) FROM question_scores") == [(27, 28)]


def test_comparison_table_gives_other_evaluations_with_provenance(built, analysis):
    expected = fixture_extract()
    sha = analysis.extract.source.sha256
    got = rows(built, "SELECT e.kommunkod, e.kommun, e.year, s.area, s.score, s.provenance FROM area_scores s "
                      "JOIN evaluations e ON e.id = s.evaluation WHERE s.source = 'comparison_table' "
                      "ORDER BY e.kommun, s.area")
    assert got == sorted(((c.kommunkod, c.kommun, c.year, c.area, c.score, sha) for c in expected.comparisons),
                         key=lambda r: (r[1], r[3]))
    assert rows(built, "SELECT id, total, total_source FROM evaluations WHERE id = '1980-2009'") == [
        ("1980-2009", 594.5, "comparison_table")]


def test_published_scores_exact_rows(built):
    csv_rows = published_rows()
    assert len(csv_rows) == 53
    assert rows(built, "SELECT count(*) FROM area_scores WHERE source IN ('published_page', 'news')") == [
        (sum(1 for r in csv_rows if r["area_no"]),)] == [(34,)]
    assert rows(built, "SELECT count(*), count(DISTINCT evaluation) FROM evaluation_sources "
                       "WHERE source IN ('published_page', 'news')") == [(28, 25)]
    # the municipality's own site is published_page; a newspaper, a press-release service or another
    # municipality's page quoting the result is news
    assert rows(built, "SELECT source, count(*) FROM area_scores WHERE source IN ('published_page', 'news') "
                       "GROUP BY source ORDER BY source") == [("news", 4), ("published_page", 30)]
    assert sorted({host for (host,) in rows(built, "SELECT DISTINCT substr(source_url, 1, instr(substr(source_url, 9), "
                                                   "'/') + 8) FROM evaluation_sources WHERE source = 'news'")}) == [
        "http://www.mynewsdesk.com/", "https://karlskoga.se/", "https://www.eposten.se/", "https://www.mitti.se/",
        "https://www.mynewsdesk.com/", "https://www.orebrokuriren.se/"]
    assert rows(built, "SELECT score, reference, reference_kind, provenance FROM area_scores "
                       "WHERE evaluation = '0115-2021' AND area = 1") == [
        (73.0, 63.0, "Sverigesnitt", "https://www.vallentuna.se/kommun-och-politik/service-och-kvalitetsarbete/"
                                     "kommunkompassen/")]
    assert rows(built, "SELECT reference, reference_kind FROM area_scores WHERE evaluation = '0486-2016'") == [
        (55.0, "medelvärde")]
    assert rows(built, "SELECT total, total_source, framework FROM evaluations WHERE id = '1284-2023'") == [
        (679.0, "published_page", "2020-")]


def test_whole_database_counts(built):
    counts = dict(rows(built, "SELECT 'municipalities', count(*) FROM municipalities UNION ALL "
                              "SELECT 'framework_areas', count(*) FROM framework_areas UNION ALL "
                              "SELECT 'evaluations', count(*) FROM evaluations UNION ALL "
                              "SELECT 'area_scores', count(*) FROM area_scores UNION ALL "
                              "SELECT 'documents', count(*) FROM documents UNION ALL "
                              "SELECT 'load_errors', count(*) FROM load_errors"))
    # 1 own + 5 compared + 25 published evaluations; 8 + 40 + 34 area scores.
    assert counts == {"municipalities": 290, "framework_areas": 24, "evaluations": 31, "area_scores": 82,
                      "documents": 2, "load_errors": 0}
    assert rows(built, "SELECT typeof(kommunkod), count(*) FROM municipalities GROUP BY 1") == [("text", 290)]
    assert rows(built, "SELECT kommunkod, name, county, skr_group FROM municipalities WHERE kommunkod = '0114'") == [
        ("0114", "Upplands Väsby", "Stockholms län", "Pendlingskommun nära storstad")]


def test_loading_twice_changes_nothing(built, analysis):
    before = dump(built)
    db = open_database(built)
    assert is_loaded(db, analysis.extract.source.sha256, analysis.extractor_version)
    assert load_analysis(db, analysis).status == "unchanged"
    assert load_published(db) == {}
    db.close()
    assert dump(built) == before


def test_new_extractor_version_replaces_the_documents_rows(built, analysis):
    before = content(built)
    db = open_database(built)
    newer = dataclasses.replace(analysis, extractor_version="2")
    assert load_analysis(db, newer).status == "loaded"
    assert rows(built, "SELECT extractor_version FROM documents WHERE kind = 'report'") == [("2",)]
    assert load_analysis(db, dataclasses.replace(analysis, extractor_version=analysis.extractor_version)).status \
        == "loaded"
    db.close()
    assert content(built) == before


def _broken(analysis, version):
    """The analysis with a duplicate question number halfway through the question rows."""
    questions = list(analysis.extract.questions)
    half = len(questions) // 2
    questions.insert(half, QuestionScore(questions[0].question, "duplicate", 10, 5, 50, 27))
    extract = dataclasses.replace(analysis.extract, questions=questions)
    return dataclasses.replace(analysis, extract=extract, extractor_version=version)


def test_failure_mid_document_leaves_no_partial_rows(tmp_path, analysis):
    path = tmp_path / "kommunkompassen.db"
    db = open_database(path)
    load_published(db)
    before = dump(path)
    with pytest.raises(sqlite3.IntegrityError):
        load_analysis(db, _broken(analysis, "1"))
    db.close()
    assert dump(path) == before
    assert integrity(path) == "ok"


def test_failed_reload_keeps_the_previous_version(built, analysis):
    before = dump(built)
    db = open_database(built)
    with pytest.raises(sqlite3.IntegrityError):
        load_analysis(db, _broken(analysis, "2"))
    db.close()
    assert dump(built) == before


def test_invalid_extract_is_refused_before_writing(built, analysis):
    before = dump(built)
    extract = dataclasses.replace(analysis.extract, year=None)
    db = open_database(built)
    with pytest.raises(InvalidExtract, match="no municipality or year"):
        load_analysis(db, dataclasses.replace(analysis, extract=extract, extractor_version="3"))
    db.close()
    assert dump(built) == before


def test_load_errors_are_recorded_and_counted(built):
    db = open_database(built)
    record_load_error(db, "broken.pdf", "ab" * 32, "NotAReport: broken.pdf: not a Kommunkompassen report")
    record_load_error(db, "broken.pdf", "ab" * 32, "NotAReport: broken.pdf: not a Kommunkompassen report")
    record_load_error(db, "missing.pdf", None, "FileNotFoundError: missing.pdf")
    db.close()
    assert rows(built, "SELECT filename, sha256, attempts FROM load_errors ORDER BY filename") == [
        ("broken.pdf", "ab" * 32, 2), ("missing.pdf", "", 1)]
