"""The vocabulary file: loaded once, validated, unknown keys refused; phrases match as words."""
from pathlib import Path

import pytest
import yaml

from extractors.vocabulary import VOCABULARY, VOCABULARY_FILE, VocabularyError, load_vocabulary


def test_every_generation_names_eight_areas_in_order():
    for generation in VOCABULARY.generations:
        assert [a.number for a in generation.areas] == list(range(1, 9))
    assert VOCABULARY.generation_of_year(2009).id == "2002-2009"
    assert VOCABULARY.generation_of_year(2015).id == "2010-2019"
    assert VOCABULARY.generation_of_year(2031).id == "2020-"


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "vocabulary.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_unknown_key_is_refused_with_its_place(tmp_path):
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    data["findings"]["strenghts"] = ["Styrkor"]
    with pytest.raises(VocabularyError, match=r"findings: unknown key\(s\) strenghts"):
        load_vocabulary(_write(tmp_path, data))


def test_missing_key_and_wrong_shape_are_refused(tmp_path):
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    del data["total_labels"]
    with pytest.raises(VocabularyError, match="missing key"):
        load_vocabulary(_write(tmp_path, data))
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    data["generations"][0]["areas"] = data["generations"][0]["areas"][:7]
    with pytest.raises(VocabularyError, match="areas 1–8"):
        load_vocabulary(_write(tmp_path, data))
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    data["change_labels"] = "Förändring"
    with pytest.raises(VocabularyError, match="list of non-empty strings"):
        load_vocabulary(_write(tmp_path, data))


def test_phrases_match_whole_words_case_insensitively_across_whitespace():
    improvements = VOCABULARY.findings.improvements
    assert improvements.whole("FÖRBÄTTRINGSOMRÅDEN:")
    assert improvements.whole("Områden  att\nutveckla")
    assert not improvements.whole("Förbättringsområden inom skolan")
    assert VOCABULARY.total_labels.starts("Totalt 466 463,5")
    assert not VOCABULARY.total_labels.starts("Totalbild av kommunen")
    assert VOCABULARY.reference_kind("Median för alla hittills rapporterade utvärderingar") == "median"
    assert VOCABULARY.reference_kind("Sverigesnitt") == "Sverigesnitt"
    assert VOCABULARY.reference_kind("Nationellt medelvärde") == "nationellt medelvärde"
    assert VOCABULARY.reference_kind("Förändring") is None
