"""The `kompass` command starts fast and tells the truth: nothing heavy is imported for --help, the default
database does not depend on the current folder, and bad input gets one honest line."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kompass.cli import cli
from kompass.options import CHECKOUT, default_db
from tests.test_db_support import REPORT_PDF, ROOT, rows

HEAVY = ("spacy", "thinc", "sqlite_utils", "prefect", "pandas", "pdfplumber", "pypdfium2", "datasette",
         "matplotlib", "numpy", "httpx", "rich")


def test_help_imports_nothing_heavy():
    """`kompass --help` (and every subcommand's --help) loads click and the command modules only."""
    script = ("import sys\nfrom kompass.cli import main\nsys.argv = ['kompass'] + sys.argv[1:]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    for args in (["--help"], ["extract", "--help"], ["compare", "--help"], ["serve", "--help"]):
        result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT,
                                timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == "[]", (args, result.stdout[-300:])


def test_default_database_is_the_same_from_any_folder(tmp_path):
    script = "from kompass.options import default_db; print(default_db())"
    here = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    there = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert here.stdout == there.stdout == f"{default_db()}\n"
    assert default_db().is_absolute() and default_db() == CHECKOUT / "var" / "kommunkompassen.db"


def test_db_help_says_what_each_command_does_with_a_missing_database(tmp_path):
    runner = CliRunner()
    assert "created when missing" in runner.invoke(cli, ["load", "--help"]).output
    for command in ("compare", "chart", "export", "serve"):
        text = " ".join(runner.invoke(cli, [command, "--help"]).output.split())
        assert "created when missing" not in text and "it must exist" in text, command
    missing = tmp_path / "none.db"
    result = runner.invoke(cli, ["compare", "Fagersta", "--db", str(missing)])
    assert result.exit_code == 1 and "no such database" in result.output and not missing.exists()


def test_load_of_a_missing_file_is_one_line_and_not_recorded(tmp_path):
    db = tmp_path / "k.db"
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "nothere.pdf"), str(REPORT_PDF), "--db", str(db)])
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'nothere.pdf'}: no such file" in result.stderr
    assert "Traceback" not in result.output and "FileNotFoundError" not in result.output
    assert "1 loaded, 0 unchanged, 1 failed" in result.stdout
    assert rows(db, "SELECT count(*) FROM load_errors") == [(0,)]  # a typo is not a failed document


def test_serve_on_a_busy_port_is_one_line_before_anything_else(tmp_path):
    from db.schema import open_database

    db = tmp_path / "k.db"
    open_database(db).close()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "kompass", "serve", "--db", str(db), "--port", str(port)],
                                capture_output=True, text=True, cwd=ROOT, timeout=60,
                                env={**os.environ, "KOMPASS_DB": ""})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); another program uses it: "
        "choose another with --port"]


@pytest.mark.parametrize("args", [["compare", "Fagerstra"], ["chart", "fagerstra"]])
def test_misspelt_names_get_a_suggestion(tmp_path, args):
    from tests.outputs_support import build_database

    db = build_database(tmp_path / "k.db")
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.strip() == 'Error: no municipality "' + args[1] + '"; did you mean Fagersta?'


def test_tagging_loads_spacy_without_its_command_line():
    script = ("import sys\nimport extractors.good_examples\nfrom extractors.swedish import load_nlp\n"
              "doc = load_nlp()('Järfälla är ett gott exempel.')\n"
              "print(sorted(m for m in ('typer', 'weasel', 'requests', 'jinja2') if m in sys.modules))\n"
              "print([(e.text, e.ent_id_) for e in doc.ents])\n"
              "try:\n    sys.modules['spacy.cli.info'].info()\nexcept RuntimeError as error:\n    print(error)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[]", "[('Järfälla', '0123')]",
                                          "spaCy's command line is not loaded in this process; run "
                                          "`python -m spacy info`"]


def test_the_lemma_table_is_built_once_and_read_from_the_cache(tmp_path):
    from extractors.lemma_store import LemmaStore, source_table

    store = LemmaStore(folder=tmp_path)
    assert store.get("medborgardialogen") is None and store.get("kommunerna") == "kommun"
    assert store.is_lemma("kommun") and "kommunerna" in store
    built = list(tmp_path.glob("sv-lemmas-*.sqlite"))
    assert len(built) == 1 and built[0].stat().st_size > 1_000_000
    stamp = built[0].stat().st_mtime_ns
    again = LemmaStore(folder=tmp_path)
    assert again.get("kommunerna") == "kommun" and built[0].stat().st_mtime_ns == stamp  # reused, not rebuilt
    assert source_table().name == "sv_lemma_lookup.json.gz"


def test_the_database_code_loads_sqlite_utils_without_pandas_and_pandas_still_imports_later():
    """`db.sqlite_light`: the first import of sqlite-utils runs with pandas and numpy hidden (they were most of
    a no-op load's start-up); importing `db` itself imports nothing heavy; pandas imports as usual after."""
    script = ("import sys\nimport db\nbefore = 'sqlite_utils' in sys.modules\nimport db.load\n"
              "import sqlite_utils\nsqlite_utils.Database(memory=True)['t'].insert({'a': 1})\n"
              "print(before, 'pandas' in sys.modules, 'numpy' in sys.modules)\nimport pandas\nprint(pandas.DataFrame)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "False False False"
