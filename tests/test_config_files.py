"""The project's YAML configuration files: a missing or broken file is one line naming it."""
from __future__ import annotations

import pytest

from corpus.kolada_config import KoladaConfigError, load_kolada_config
from corpus.sources import SourcesConfigError, load_config


@pytest.mark.parametrize(("load", "error", "what"), [(load_config, SourcesConfigError, "the sources file"),
                                                      (load_kolada_config, KoladaConfigError, "the Kolada configuration")])
def test_a_missing_or_broken_configuration_file_is_one_line_naming_it(tmp_path, load, error, what):
    with pytest.raises(error, match=rf"^{tmp_path}/absent.yml: cannot read {what} \(No such file or directory\)$"):
        load(tmp_path / "absent.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("sources: [unclosed\n", encoding="utf-8")
    with pytest.raises(error, match=rf"^{broken}: not valid YAML") as raised:
        load(broken)
    assert "\n" not in str(raised.value)
    assert load() is not None  # the shipped file reads
