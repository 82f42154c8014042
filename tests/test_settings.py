"""Extraction thresholds: one validated dataclass, every setting described."""
import pytest

from extractors.settings import DEFAULT_SETTINGS, ExtractionSettings


def test_every_setting_has_a_description_and_a_valid_default():
    described = ExtractionSettings.describe()
    assert len(described) >= 20
    for name, default, description in described:
        assert description and len(description) > 15, name
        assert getattr(DEFAULT_SETTINGS, name) == default


@pytest.mark.parametrize("change, message", [
    ({"line_overlap": 1.5}, "line_overlap must be ≥ 0.05 and ≤ 1.0"),
    ({"area_name_similarity": 0.1}, "area_name_similarity must be ≥ 0.5"),
    ({"margin_share": "wide"}, "margin_share must be a number"),
])
def test_out_of_range_settings_are_refused_with_the_allowed_range(change, message):
    with pytest.raises(ValueError, match=message):
        ExtractionSettings(**change)


def test_unknown_setting_is_refused():
    with pytest.raises(TypeError):
        ExtractionSettings(segment_gap=3)
