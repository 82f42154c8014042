"""Every command that takes a database reads it from KOMPASS_DB when --db is not given.

Each command is run as a user runs it (a subprocess, or the same click command in process for the
quick read-only ones) with KOMPASS_DB set and no --db, and what it did is looked for in that file
(or, for a file that does not exist, in the error naming it). The commands are found in the click
tree, so a new command with --db must be added to RUN or NOT_RUN here.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kompass.cli import cli
from tests.outputs_support import outputs_db, query  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"
HTML_PAGE = b"<!DOCTYPE html><html><body>Sidan saknas</body></html>"

RUN = {"load", "load-published", "process", "serve", "search", "compare", "chart", "export", "kolada fetch",
       "harvest"}
NOT_RUN = {"schedule": "runs until stopped; it hands its database to the flows it starts when the cron time "
                       "comes (its KOMPASS_DB is checked by tests/test_clean_install.py)"}
READERS = {"search": ["search", "Fagersta"], "compare": ["compare", "Fagersta"],
           "chart": ["chart", "Fagersta", "--out", "chart.svg"], "export": ["export", "--out", "export"]}


def commands_with_db(group: click.Group, prefix: str = "") -> set[str]:
    found = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= commands_with_db(command, f"{prefix}{name} ")
        elif any("--db" in getattr(param, "opts", []) for param in command.params):
            found.add(f"{prefix}{name}")
    return found


def kompass(*args, db: Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "KOMPASS_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "kompass", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


def test_every_command_with_a_database_is_run_here():
    assert commands_with_db(cli) == RUN | set(NOT_RUN)


def test_load_writes_into_kompass_db(tmp_path):
    page = tmp_path / "felsida.pdf"
    page.write_bytes(HTML_PAGE)
    db = tmp_path / "mine.db"
    result = kompass("load", page, db=db, cwd=tmp_path)
    assert result.returncode == 1 and "is an HTML page" in result.stderr
    assert result.stdout.strip().endswith(f"→ {db}")
    assert [row["filename"] for row in query(db, "SELECT filename FROM load_errors")] == ["felsida.pdf"]


def test_process_writes_into_kompass_db(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "felsida.pdf").write_bytes(HTML_PAGE)
    db = tmp_path / "mine.db"
    result = kompass("process", "--corpus", corpus, db=db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 loaded, 0 unchanged, 1 failed, 0 skipped"
    assert [row["filename"] for row in query(db, "SELECT filename FROM load_errors")] == ["felsida.pdf"]


def test_load_published_and_kolada_fetch_write_into_kompass_db(tmp_path):
    db = tmp_path / "mine.db"
    published = kompass("load-published", db=db, cwd=tmp_path)
    assert published.returncode == 0, published.stderr
    assert query(db, "SELECT count(*) AS n FROM area_scores")[0]["n"] > 0
    empty = tmp_path / "empty.db"  # no evaluation: kolada fetch opens it, then says there is nothing to fetch for
    env_url = {"KOMPASS_KOLADA_URL": "http://127.0.0.1:9/v3"}
    result = subprocess.run([sys.executable, "-m", "kompass", "kolada", "fetch"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120, env={**os.environ, **env_url, "KOMPASS_DB": str(empty)})
    assert result.returncode == 1 and "no evaluation with a kommunkod" in result.stderr
    assert empty.is_file()


@pytest.mark.parametrize("name", sorted(READERS))
def test_readers_read_kompass_db(name, outputs_db, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "mine.db"
    shutil.copy(outputs_db, db)
    runner = CliRunner()
    result = runner.invoke(cli, READERS[name], env={"KOMPASS_DB": str(db)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    if name in ("search", "compare"):
        assert "Fagersta" in result.output
    else:
        written = tmp_path / READERS[name][-1]
        assert written.exists() and (written.is_file() or any(written.iterdir()))
    absent = tmp_path / "saknas.db"
    missing = runner.invoke(cli, READERS[name], env={"KOMPASS_DB": str(absent)})
    assert missing.exit_code == 1 and f"{absent}: no such database" in missing.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_serves_kompass_db(outputs_db, tmp_path):  # noqa: F811
    db = tmp_path / "mine.db"
    shutil.copy(outputs_db, db)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "kompass", "serve", "--port", str(port)], cwd=tmp_path,
                              env={**os.environ, "KOMPASS_DB": str(db)}, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/databases.json", timeout=5) as answer:
                    names = [database["name"] for database in __import__("json").load(answer)]
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "kompass serve did not answer within 120 s"
                time.sleep(0.3)
        assert names == ["mine"]
    finally:
        server.terminate()
        server.wait(30)


@pytest.mark.slow
def test_harvest_stores_page_results_in_kompass_db(tmp_path):
    """harvest's --db is optional: with KOMPASS_DB set it also reads the pages it fetched into that file."""
    from tests.hostile_site import Site, html

    site = Site({"/": html("<p>Inga rapporter här.</p>")})
    db = tmp_path / "mine.db"
    try:
        result = kompass("harvest", "--source", site.url + "/", "--corpus", tmp_path / "c", db=db, cwd=tmp_path)
    finally:
        site.close()
    assert result.returncode == 0, result.stderr[-2000:]
    assert "result pages:" in result.stdout and db.is_file()
