"""`kompass tag`: the tagging stage run alone on the real report."""
from __future__ import annotations

import json
import subprocess
import sys


def test_tag_prints_sentences_with_lemmas_and_the_good_examples(real_report, expected_seed):
    result = subprocess.run([sys.executable, "-m", "kompass", "tag", str(real_report), "--format", "json"],
                            capture_output=True, text=True, check=True)
    data = json.loads(result.stdout)
    assert data["kommun"] == "Fagersta" and data["year"] == 2009
    dialog = [s for s in data["sentences"] if "medborgardialogen" in s["text"]]
    assert dialog and all("medborgardialog" in s["lemmas"].split() for s in dialog)
    assert all(1 <= s["page"] <= 28 for s in data["sentences"])
    cited = {(g["area"], g["kommun"]) for g in data["good_examples"] if g["kind"] == "cited" and g.get("country", "SE") == "SE"}
    assert cited == {(g["area"], g["kommun"]) for g in expected_seed["good_examples_cited"]}


def test_tag_table_for_people(real_report):
    result = subprocess.run([sys.executable, "-m", "kompass", "tag", str(real_report)],
                            capture_output=True, text=True, check=True)
    assert "meningar taggade" in result.stdout and "Järfälla" in result.stdout
