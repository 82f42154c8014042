"""The project says how it may be used and cited: LICENSE matches pyproject, CITATION.cff is valid and current."""
from __future__ import annotations

import tomllib

import yaml

from tests.test_db_support import ROOT


def test_licence_and_citation_agree_with_the_project():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"  # PEP 639: an SPDX expression, the files in license-files
    assert "LICENSE" in project["license-files"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["license"] == "MIT"
    assert citation["version"] == project["version"]
    assert {"title", "authors", "message", "abstract"} <= set(citation)
    assert any("SKR" in author["name"] for ref in citation["references"] for author in ref["authors"])
