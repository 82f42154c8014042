"""Bad input: one clear line on stderr, a non-zero exit, never a traceback; partial reports still yield."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen import canvas

from extractors.errors import DamagedPdf, EncryptedPdf, NotAPdf, NotAReport
from extractors.report import extract_report


def _pdf_with_text(path: Path, lines: list[str], encrypt: str | None = None) -> Path:
    c = canvas.Canvas(str(path), encrypt=encrypt)
    for page in range(3):
        y = 800
        for number, line in enumerate(lines):
            c.drawString(72, y, f"{line} ({page}.{number})")
            y -= 14
        c.showPage()
    c.save()
    return path


def _subset(real_report: Path, pages: list[int], path: Path) -> Path:
    source = pdfium.PdfDocument(str(real_report))
    target = pdfium.PdfDocument.new()
    target.import_pages(source, [p - 1 for p in pages])
    target.save(str(path))
    return path


def _run_cli(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kompass", "extract", str(path), "--format", "json"],
                          capture_output=True, text=True)


@pytest.fixture
def bad_files(tmp_path, real_report):
    html = tmp_path / "felsida.pdf"
    html.write_text("<!DOCTYPE html><html><body>Sidan finns inte</body></html>", encoding="utf-8")
    random_bytes = tmp_path / "brus.pdf"
    random_bytes.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "tom.pdf"
    empty.write_bytes(b"")
    truncated = tmp_path / "avklippt.pdf"
    truncated.write_bytes(real_report.read_bytes()[:40_000])
    encrypted = _pdf_with_text(tmp_path / "krypterad.pdf", ["Kommunkompassen"] * 20, encrypt="hemligt")
    other = _pdf_with_text(tmp_path / "budget.pdf", ["Budget 2024 för Fagersta kommun"] + ["Driftbudget och investeringar."] * 30)
    brochure = _pdf_with_text(tmp_path / "broschyr.pdf", ["Kommunkompassen – ett verktyg för utvärdering"]
                              + ["Så går en utvärdering till, steg för steg."] * 30)
    return {"brochure": (brochure, NotAReport), "html": (html, NotAPdf), "bytes": (random_bytes, NotAPdf), "empty": (empty, DamagedPdf),
            "truncated": (truncated, DamagedPdf), "encrypted": (encrypted, EncryptedPdf), "other": (other, NotAReport)}


@pytest.mark.parametrize("kind", ["html", "bytes", "empty", "truncated", "encrypted", "other", "brochure"])
def test_bad_input_raises_a_named_error(bad_files, kind):
    path, error = bad_files[kind]
    with pytest.raises(error) as raised:
        extract_report(path)
    assert path.name in str(raised.value)


@pytest.mark.parametrize("kind", ["html", "bytes", "empty", "truncated", "encrypted", "other"])
def test_cli_prints_one_line_and_exits_non_zero(bad_files, kind):
    path, _ = bad_files[kind]
    result = _run_cli(path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_report_without_score_summary_keeps_the_rest(tmp_path, real_report, expected_seed):
    report = extract_report(_subset(real_report, list(range(1, 27)), tmp_path / "utan-poang.pdf"))
    assert report.questions == []
    assert any("score summary" in w for w in report.warnings)
    assert [a.score for a in report.areas] == [a["score"] for a in expected_seed["areas"]]
    assert len(report.findings) == len(expected_seed["findings"])


def test_report_without_tables_warns_and_derives_nothing_wrong(tmp_path, real_report, expected_seed):
    pages = [p for p in range(1, 29) if p not in (4, 5)]
    report = extract_report(_subset(real_report, pages, tmp_path / "utan-tabeller.pdf"))
    assert report.comparisons == []
    assert any("Tabell 2" in w for w in report.warnings)
    assert any("computed from the score summary" in w for w in report.warnings)
    assert report.total == expected_seed["total"]  # the sum of the question points, stated as derived
    assert all(a.median is None for a in report.areas)
    assert all(c.ok for c in report.checks)


def test_missing_file_is_a_usage_error(tmp_path):
    result = _run_cli(tmp_path / "finns-inte.pdf")
    assert result.returncode == 2 and "does not exist" in result.stderr
