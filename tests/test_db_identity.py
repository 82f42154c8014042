"""One evaluation per report: a different report of the same municipality and year is its own evaluation;
the same report in another file (re-saved, another rendering) is a second document of the same one."""
from __future__ import annotations

import copy

import pypdfium2 as pdfium
import pytest

from db.batch import load_file
from db.schema import open_database
from outputs.compare import compare
from tests.test_db_support import REPORT_PDF, ROOT, canned, integrity, rows

WORD_RENDERING = ROOT / "tests" / "layouts" / "fagersta-2009-word-plain.pdf"


def resave(source, target):
    """The same pages in a new file (other bytes, other sha256), as another site's copy would be."""
    document = pdfium.PdfDocument(str(source))
    copy_ = pdfium.PdfDocument.new()
    copy_.import_pages(document)
    copy_.save(str(target))
    return target


@pytest.fixture(scope="module")
def two_reports_one_year(tmp_path_factory):
    """Two generated reports of Örebro 2012 with different content (scores, findings, prose)."""
    from tests.synthetic.render import render
    from tests.synthetic.synth import synthetic_spec

    folder = tmp_path_factory.mktemp("identity")
    first = synthetic_spec(2)  # Örebro 2012, framework 2010-2019
    second = copy.deepcopy(synthetic_spec(7))  # Karlskoga 2014 (same generation), retitled Örebro 2012
    assert (first.kommun, first.year, first.framework) == ("Örebro", 2012, "2010-2019") == (
        "Örebro", 2012, second.framework)
    second.kommun, second.kommunkod, second.year, second.dates = first.kommun, first.kommunkod, first.year, first.dates
    return (render(first, folder / "örebro-2012-a.pdf", "ruled_side_by_side"),
            render(second, folder / "örebro-2012-b.pdf", "stacked_unruled"))


def test_the_same_report_in_other_files_is_one_evaluation_with_several_documents(tmp_path):
    path = tmp_path / "k.db"
    db = open_database(path)
    outcomes = [load_file(db, pdf) for pdf in (REPORT_PDF, resave(REPORT_PDF, tmp_path / "kopia.pdf"), WORD_RENDERING)]
    db.close()
    assert [o.evaluation for o in outcomes] == ["1982-2009"] * 3
    assert rows(path, "SELECT count(*) FROM evaluations WHERE kommunkod = '1982'") == [(1,)]
    documents = rows(path, "SELECT sha256, filename, same_report_as FROM documents WHERE evaluation = '1982-2009'")
    assert sorted(name for _, name, _ in documents) == sorted([REPORT_PDF.name, "kopia.pdf", WORD_RENDERING.name])
    holder = min(sha for sha, _, _ in documents)  # the smallest sha256 holds the rows, whatever the order
    assert sorted(same for sha, _, same in documents if sha != holder) == [holder, holder]
    assert rows(path, "SELECT DISTINCT document FROM findings WHERE evaluation = '1982-2009'") == [(holder,)]
    findings = rows(path, "SELECT count(*) FROM findings WHERE evaluation = '1982-2009'")[0][0]
    assert findings == 81  # the report's findings once, not once per file
    assert rows(path, "SELECT count(*) FROM area_scores WHERE evaluation = '1982-2009'") == [(8,)]
    assert rows(path, "SELECT count(DISTINCT content_hash) FROM documents WHERE kind = 'report'") == [(1,)]
    assert integrity(path) == "ok"


def test_which_file_holds_the_rows_does_not_depend_on_the_order(tmp_path):
    from tests.test_db_support import content

    copy_path = resave(REPORT_PDF, tmp_path / "kopia.pdf")
    built = []
    for order in ((REPORT_PDF, copy_path, WORD_RENDERING), (WORD_RENDERING, copy_path, REPORT_PDF)):
        path = tmp_path / f"{len(built)}.db"
        db = open_database(path)
        for pdf in order:
            assert not hasattr(load_file(db, pdf), "message")
        db.close()
        built.append(content(path))
    assert built[0] == built[1]


def test_a_different_report_of_the_same_year_is_its_own_evaluation(tmp_path, two_reports_one_year):
    from extractors.pipeline import analyse

    path = tmp_path / "k.db"
    db = open_database(path)
    first, second = (load_file(db, pdf) for pdf in two_reports_one_year)
    assert (first.evaluation, second.evaluation) == ("1880-2012", "1880-2012-2")
    again = load_file(db, two_reports_one_year[1])  # loading it again changes nothing
    assert again.status == "unchanged" and again.evaluation == "1880-2012-2"
    analyses = [analyse(pdf) for pdf in two_reports_one_year]
    assert rows(path, "SELECT evaluation, label, count(*) FROM findings JOIN evaluations e ON e.id = evaluation "
                      "GROUP BY evaluation ORDER BY evaluation") == [
        ("1880-2012", "Örebro 2012", len(analyses[0].extract.findings)),
        ("1880-2012-2", "Örebro 2012 (2)", len(analyses[1].extract.findings))]
    comparison = compare(db, ["Örebro"])  # compare shows both reports of the year, side by side
    db.close()
    assert [e.label for e in comparison.evaluations] == ["Örebro 2012", "Örebro 2012 (2)"]
    for evaluation, analysis in zip(comparison.evaluations, analyses):
        strengths = comparison.frame[comparison.frame.evaluation == evaluation.id]["strengths"]
        listed = [s for cell in strengths for s in cell.split(" • ") if s]
        assert sorted(listed) == sorted(f.text for f in analysis.extract.findings if f.kind == "strength")
    history = canned(path, "municipality_history", kommun="Örebro")
    assert {r["label"] for r in history} == {"Örebro 2012", "Örebro 2012 (2)"}
    assert integrity(path) == "ok"
