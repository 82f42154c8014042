"""Extraction as stages that return values; tagging after it; degrade, never refuse."""
from __future__ import annotations

import subprocess
import sys

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors.document import read_document
from extractors.errors import NotAReport
from extractors.report import assemble, extract_tables, run_stages


def test_table_extraction_alone_never_loads_spacy(real_report):
    code = ("import sys; from extractors.report import extract_tables; "
            f"r = extract_tables({str(real_report)!r}); "
            "print(len(r.areas), len(r.questions), 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["8", "37", "False"]


def test_each_stage_returns_its_result_and_assembly_is_one_step(real_report, expected_seed):
    stages = run_stages(read_document(real_report))
    assert stages.title.kommun == "Fagersta" and stages.title.year == 2009
    assert [stages.area.scores[a] for a in range(1, 9)] == [a["score"] for a in expected_seed["areas"]]
    assert stages.area.reference_kind == "median" and stages.area.matrix.caption.startswith("Tabell 1")
    assert len(stages.comparisons.comparisons) == len(expected_seed["comparisons"])
    assert len(stages.summary.questions) == len(expected_seed["questions"])
    assert len(stages.findings.findings) == len(expected_seed["findings"])
    report = assemble(stages)
    assert report.total == expected_seed["total"] and all(c.ok for c in report.checks)
    assert assemble(stages).to_json() == report.to_json()  # assembling twice changes nothing


def _summary_only(path, names, header, rows_total):
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(72, 780, "Kommunkompassen 2021 – Vallentuna kommun")
    c.drawString(72, 700, header[0])
    c.drawString(330, 700, header[1])
    c.drawString(390, 700, header[2])
    c.drawString(460, 700, header[3])
    y = 680
    for (first, second), (score, change, reference) in names:
        c.drawString(72, y, first)
        if second:
            y -= 13
            c.drawString(72, y, second)
        c.drawRightString(350, y, score)
        c.drawRightString(420, y, change)
        c.drawRightString(490, y, reference)
        y -= 20
    c.drawString(72, y, "Totalt")
    for x, value in zip((350, 420, 490), rows_total):
        c.drawRightString(x, y, value)
    c.save()
    return path


def test_a_summary_only_2020_report_gives_areas_reference_and_total_and_warns_for_the_rest(tmp_path):
    names = [(("Samspel mellan förtroendevalda", "och medborgare"), ("61", "+16", "63")),
             (("Samhällsutveckling", None), ("55", "+3", "65")), (("Styrning och kontroll", None), ("77", "±0", "73")),
             (("Effektivitet", None), ("60", "-2", "64")), (("Brukarens fokus", None), ("70", "+5", "61")),
             (("Kvalitetsutveckling", None), ("58", "+4", "59")), (("Arbetsliv", None), ("66", "+1", "68")),
             (("Chefs- och ledarskap samt", "medarbetarskap"), ("62", "+9", "64"))]
    pdf = _summary_only(tmp_path / "kort-2021.pdf", names, ("Område", "Poäng", "Förändring", "Sverigesnitt"),
                        ("509", "+36", "517"))
    report = extract_tables(pdf)
    assert report.framework == "2020-" and report.kommun == "Vallentuna" and report.year == 2021
    assert [a.score for a in report.areas] == [61, 55, 77, 60, 70, 58, 66, 62]
    assert [a.median for a in report.areas] == [63, 65, 73, 64, 61, 59, 68, 64]  # never the signed changes
    assert report.reference_kind == "Sverigesnitt" and report.total == 509 and report.median_total == 517
    for missing in ("score summary", "comparison table", "strengths"):
        assert any(missing in w for w in report.warnings), missing


def test_not_a_report_says_what_was_looked_for(tmp_path):
    path = tmp_path / "protokoll.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for line in range(30):
        c.drawString(72, 780 - 14 * line, "Kommunkompassen nämns i protokollet från kommunstyrelsens sammanträde.")
    c.save()
    with pytest.raises(NotAReport, match="area table .*score summary.*comparison table.*strengths"):
        extract_tables(path)
