"""`kompass load` and `kompass load-published`: a bad file is recorded and the run goes on."""
from __future__ import annotations

import pytest

import shutil

from click.testing import CliRunner

from db.cli import COMMANDS, load_command, load_published_command
from tests.test_db_support import REPORT_PDF, dump, integrity, integrity_after, rows  # noqa: F401

pytestmark = pytest.mark.usefixtures("integrity_after")


def test_load_records_a_bad_file_and_goes_on(tmp_path):
    bad = tmp_path / "Årsredovisning.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("plain text, no PDF header")
    db_path = tmp_path / "k.db"
    result = CliRunner().invoke(load_command, [str(bad), str(REPORT_PDF), str(not_pdf), "--db", str(db_path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 2 and errors[0].startswith("Error: Årsredovisning.pdf") and "notes.pdf" in errors[1]
    assert "1 loaded, 0 unchanged, 2 failed" in result.stdout
    assert rows(db_path, "SELECT filename, attempts FROM load_errors ORDER BY filename") == [
        ("notes.pdf", 1), ("Årsredovisning.pdf", 1)]
    assert rows(db_path, "SELECT id FROM evaluations WHERE document IS NOT NULL") == [("1982-2009",)]
    assert integrity(db_path) == "ok"


def test_load_again_is_a_no_op_and_exit_zero(tmp_path):
    db_path = tmp_path / "k.db"
    copy = tmp_path / "copy of fagersta.pdf"
    shutil.copy(REPORT_PDF, copy)
    runner = CliRunner()
    assert runner.invoke(load_command, [str(REPORT_PDF), "--db", str(db_path)]).exit_code == 0
    assert runner.invoke(load_published_command, ["--db", str(db_path)]).exit_code == 0
    before = dump(db_path)
    again = runner.invoke(load_command, [str(copy), "--db", str(db_path)])  # same bytes, other name
    assert again.exit_code == 0 and "0 loaded, 1 unchanged, 0 failed" in again.stdout
    published = runner.invoke(load_published_command, ["--db", str(db_path)])
    assert "unchanged" in published.stdout
    assert dump(db_path) == before


def test_load_error_is_cleared_when_the_file_loads(tmp_path):
    db_path = tmp_path / "k.db"
    pdf = tmp_path / "report.pdf"
    pdf.write_text("broken")
    runner = CliRunner()
    assert runner.invoke(load_command, [str(pdf), "--db", str(db_path)]).exit_code == 1
    assert rows(db_path, "SELECT count(*) FROM load_errors") == [(1,)]
    shutil.copy(REPORT_PDF, pdf)
    assert runner.invoke(load_command, [str(pdf), "--db", str(db_path)]).exit_code == 0
    assert rows(db_path, "SELECT count(*) FROM load_errors") == [(0,)]


def test_every_command_has_help():
    for command in COMMANDS:
        result = CliRunner().invoke(command, ["--help"])
        assert result.exit_code == 0 and len(command.help or "") > 20, command.name
