"""What a researcher meets in the served database: Datasette's own search understands Swedish inflection,
rows read as "Fagersta 2009" with short keys, every table, view and column is described in Swedish, names sort
Å Ä Ö after Z, page numbers open the report PDF at that page, and the metadata says where the data comes from."""
from __future__ import annotations

import asyncio
import hashlib
import re
import shutil
from urllib.parse import urlencode

import pytest

from db.datasette import database_name, make_datasette
from db.load import load_analysis, load_published
from db.schema import open_database
from tests.test_db_support import REPORT_PDF, real_analysis, rows

ENGLISH = re.compile(r"\b(the|of|and|with|every|search|compare|from)\b", re.I)


@pytest.fixture(scope="module")
def analysis():
    return real_analysis()


@pytest.fixture(scope="module")
def served(tmp_path_factory, analysis):
    """The real report loaded from a copy in a folder of its own (so the test can move it), plus published scores."""
    folder = tmp_path_factory.mktemp("served")
    pdf = folder / REPORT_PDF.name
    shutil.copy(REPORT_PDF, pdf)
    path = folder / "kommunkompassen.db"
    db = open_database(path)
    load_analysis(db, analysis, path=str(pdf))
    load_published(db)
    db.close()
    return path, pdf


def get(db_path, *paths, pdf_dirs=None):
    datasette = make_datasette(db_path, pdf_dirs)

    async def run():
        return [await datasette.client.get(p) for p in paths]

    return asyncio.run(run())


def test_the_table_search_box_finds_inflected_forms(served, analysis):
    path, _ = served
    name = database_name(path)
    (found,) = get(path, f"/{name}/findings.json?" + urlencode({"_search": "medborgardialog", "_shape": "array"}))
    want = [f.text for f in analysis.extract.findings if "medborgardialog" in f.text.casefold()]
    assert want and sorted(r["text"] for r in found.json()) == sorted(want)
    assert any("medborgardialogen" in r["text"] for r in found.json())  # the whole word alone would miss it
    (page,) = get(path, f"/{name}/findings?_search=medborgardialog")
    assert page.status_code == 200 and "medborgardialogen" in page.text


def test_sentences_hold_no_headings(served, analysis):
    path, _ = served
    assert rows(path, "SELECT count(*) FROM sentences WHERE text IN ('Medborgardialog', 'Styrkor', "
                      "'Sammanfattning område 1', 'Allmänt')") == [(0,)]
    (hits,) = get(path, f"/{database_name(path)}/sentences.json?_search=Medborgardialog&_shape=array")
    assert hits.json() and all(len(r["text"].split()) > 3 for r in hits.json())


def test_rows_read_as_people_name_them(served):
    path, _ = served
    name = database_name(path)
    findings, evaluations = get(path, f"/{name}/findings?_size=5", f"/{name}/evaluations?_size=100")
    link_cells = re.findall(r'<td class="col-(?:Link|id) type-pk">(.*?)</td>', findings.text)
    assert link_cells and all(not re.search(r"[0-9a-f]{64}", cell) for cell in link_cells)  # short row keys
    assert re.search(rf'href="/{name}/findings/1"', findings.text)
    assert "Fagersta 2009" in findings.text  # the evaluation column shows the label
    kinds = re.findall(r'<td class="col-kind[^"]*">(.*?)</td>', findings.text)
    assert kinds and all("styrka" in k or "förbättringsområde" in k for k in kinds)  # codes read in Swedish
    assert ">strength<" not in findings.text
    (scores,) = get(path, f"/{name}/chosen_area_scores?evaluation=1982-2009")
    assert ">59,5<" in scores.text and ">59.5<" not in scores.text  # decimal comma on Swedish pages
    assert "Hudiksvall" in evaluations.text or "Fagersta 2009" in evaluations.text
    assert rows(path, "SELECT label FROM evaluations WHERE id = '1982-2009'") == [("Fagersta 2009",)]


def test_every_table_view_and_column_is_described_in_swedish(served):
    path, _ = served
    (metadata,) = get(path, "/-/metadata.json")
    database = metadata.json()["databases"][database_name(path)]
    names = [r[0] for r in rows(path, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                      "AND name NOT LIKE '%_fts%' AND name NOT LIKE 'sqlite_%'")]
    assert {"findings_by_area", "good_examples_by_area", "evaluation_themes", "build_info"} <= set(names)
    for table in names:
        described = database["tables"][table]
        assert described.get("description") and not described["description"].startswith("Tabellen "), table
        columns = [r[1] for r in rows(path, f"PRAGMA table_info([{table}])")]
        missing = [c for c in columns if not described.get("columns", {}).get(c)]
        assert not missing, (table, missing)
    assert database["tables"]["evaluations"]["label_column"] == "label"
    for query_name, query in database["queries"].items():
        assert not ENGLISH.search(query["title"]), query["title"]
        assert not ENGLISH.search(query["description"]), query["description"]


def test_served_metadata_names_source_licence_build_date_and_version(served):
    path, _ = served
    (metadata,) = get(path, "/-/metadata.json")
    data = metadata.json()
    assert data["source"] and data["license"] and "MIT" in data["license"]
    built = rows(path, "SELECT value FROM build_info WHERE key = 'built_at'")[0][0]
    assert f"byggd {built}" in data["description_html"] and "kommunkompassen 0." in data["description_html"]


def test_names_sort_in_swedish_order(served):
    path, _ = served
    sql = ("select name from municipalities where name in ('Ystad', 'Åre', 'Älmhult', 'Örebro', 'Alingsås', "
           "'Åmål', 'Ängelholm') order by name collate swedish")
    (response,) = get(path, f"/{database_name(path)}.json?" + urlencode({"sql": sql, "_shape": "array"}))
    assert [r["name"] for r in response.json()] == ["Alingsås", "Ystad", "Åmål", "Åre", "Älmhult", "Ängelholm",
                                                     "Örebro"]


def test_every_page_number_links_to_the_pdf_at_that_page(served, analysis):
    path, pdf = served
    name = database_name(path)
    sha = analysis.extract.source.sha256
    pages = get(path, *(f"/{name}/{t}?_size=3" for t in ("findings", "sentences", "good_examples", "question_scores")),
                f"/{name}/chosen_area_scores?evaluation=1982-2009", f"/{name}/findings_with_word?ord=medborgardialog&typ=")
    for response in pages:
        assert response.status_code == 200
        assert re.search(rf'href="/-/kompass/pdf/{sha}\.pdf#page=\d+"', response.text), response.url
    (served_pdf,) = get(path, f"/-/kompass/pdf/{sha}.pdf")
    assert served_pdf.status_code == 200 and served_pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(served_pdf.content).hexdigest() == sha
    (unknown,) = get(path, f"/-/kompass/pdf/{'0' * 64}.pdf")
    assert unknown.status_code == 404


def test_a_moved_or_changed_pdf_is_served_only_from_a_folder_given_and_unchanged(served, tmp_path, analysis):
    path, pdf = served
    sha = analysis.extract.source.sha256
    elsewhere = tmp_path / "flyttad"
    elsewhere.mkdir()
    moved = elsewhere / pdf.name
    shutil.move(pdf, moved)
    try:
        (gone,) = get(path, f"/-/kompass/pdf/{sha}.pdf")
        assert gone.status_code == 404 and "--pdfs" in gone.text
        (found,) = get(path, f"/-/kompass/pdf/{sha}.pdf", pdf_dirs=[elsewhere])
        assert found.status_code == 200
        moved.write_bytes(b"%PDF-1.4 another file under the same name")
        (changed,) = get(path, f"/-/kompass/pdf/{sha}.pdf", pdf_dirs=[elsewhere])
        assert changed.status_code == 404  # only the bytes that were loaded are served
    finally:
        shutil.copy(REPORT_PDF, pdf)
