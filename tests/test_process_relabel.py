"""A cached analysis is loaded under the name of the file it is loaded from, not the first name it had.

`kompass process` caches each analysis by content and analysis version (Prefect's persisted
results). The same report found again under another name, in another corpus, comes from that
cache: its row in `documents` must name the file this run loaded.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess

import pytest

from tests.serving_support import KOMPASS, ROOT
from tests.test_process import FAGERSTA


def _process(corpus, db_path) -> subprocess.CompletedProcess:
    result = subprocess.run([*KOMPASS, "process", "--corpus", str(corpus), "--db", str(db_path)], cwd=ROOT,
                            capture_output=True, text=True, env=dict(os.environ, COLUMNS="200"), timeout=400)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.mark.timeout(600)
def test_a_cached_analysis_takes_the_name_of_the_file_it_is_loaded_from(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    shutil.copy(FAGERSTA, first / "fagersta-2009.pdf")
    shutil.copy(FAGERSTA, second / "rapport-fran-kommunens-webbplats.pdf")
    _process(first, tmp_path / "one.db")
    again = _process(second, tmp_path / "two.db")
    assert re.search(r"Task run 'analyse [0-9a-f]{12}' - Finished in state Cached", again.stdout + again.stderr)
    with sqlite3.connect(tmp_path / "two.db") as conn:
        assert conn.execute("SELECT filename FROM documents WHERE kind = 'report'").fetchall() == [
            ("rapport-fran-kommunens-webbplats.pdf",)]
