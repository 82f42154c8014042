"""A newcomer's install and the database every command uses (issue 25, "Setting up"): `pip install -e .` in a
fresh virtual environment prints no warning and a wheel carries the trained model and every data file; every
command that takes --db reads KOMPASS_DB."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import click
import pytest

from kompass.cli import cli
from tests.outputs_support import ROOT, outputs_db  # noqa: F401  (fixture)

# pip's own complaint about an index folder that a machine's pip.conf names and that does not exist: the
# machine's, not the project's (setuptools' warnings are what this file is about)
MACHINE_PIP_CONFIG = re.compile(r"WARNING: Location '[^']+' is ignored: it is neither a file nor a directory")


def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    found = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.update(_commands(command, f"{prefix}{name} "))
        else:
            found[f"{prefix}{name}"] = command
    return found


def test_every_command_with_db_reads_kompass_db():
    with_db = {name: [p for p in command.params if "--db" in getattr(p, "opts", [])]
               for name, command in _commands(cli).items()}
    with_db = {name: params[0] for name, params in with_db.items() if params}
    assert {"process", "schedule", "load", "compare", "export", "chart", "serve"} <= set(with_db)
    assert {name for name, param in with_db.items() if param.envvar != "KOMPASS_DB"} == set()


def test_process_loads_into_kompass_db(outputs_db, tmp_path):
    """`kompass process` without --db: the database KOMPASS_DB names (here the bundled report is in it already,
    so the run ends before any flow starts)."""
    import shutil

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf", corpus)
    db = tmp_path / "mine.db"
    shutil.copy(outputs_db, db)
    result = subprocess.run([sys.executable, "-m", "kompass", "process", "--corpus", str(corpus)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300,
                            env={**os.environ, "KOMPASS_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert "Nothing new: 0 to process, 1 already loaded" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "mine.db"]  # no other database made


@pytest.mark.slow
def test_editable_install_in_a_fresh_venv_prints_no_warning_and_the_wheel_has_every_data_file(tmp_path):
    """As a newcomer runs it (`pip install -e .`, build isolation fetching setuptools), without the
    dependencies (installed elsewhere; they are not what warns). Then the regular wheel's file list."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip"]
    installed = subprocess.run([*pip, "install", "--no-deps", "-e", str(ROOT)], capture_output=True, text=True,
                               timeout=600, cwd=tmp_path)
    output = installed.stdout + installed.stderr
    assert installed.returncode == 0, output
    warnings = [line for line in output.splitlines() if "warn" in line.lower() and not MACHINE_PIP_CONFIG.search(line)]
    assert warnings == [], "\n".join(warnings)
    assert "Package would be ignored" not in output and "careful" not in output
    built = subprocess.run([*pip, "wheel", "--no-deps", "-w", str(tmp_path / "wheel"), str(ROOT)],
                           capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert built.returncode == 0 and not [line for line in (built.stdout + built.stderr).splitlines()
                                          if "warn" in line.lower() and not MACHINE_PIP_CONFIG.search(line)]
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "kompass", "extractors", "flows", "corpus", "db", "outputs"],
                             capture_output=True, text=True, cwd=ROOT, check=True).stdout.split()
    missing = [path for path in tracked if path not in names]
    assert missing == [], missing  # every module and data file: the model, vocabularies, YAML, the bundled report
    assert "extractors/nlp/model/meta.json" in names and "extractors/tables/grid.py" in names
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
