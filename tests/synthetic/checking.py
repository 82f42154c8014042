"""Judging an extract against a generated report's expected JSON: numbers exact, findings counted."""
from __future__ import annotations

from dataclasses import dataclass

from tests.expected import differences, norm


@dataclass
class FindingScore:
    """Findings of one or more reports: how many expected items came out exactly, and extra ones."""

    exact: int = 0
    expected: int = 0
    unexpected: int = 0

    def __iadd__(self, other: "FindingScore") -> "FindingScore":
        self.exact += other.exact
        self.expected += other.expected
        self.unexpected += other.unexpected
        return self

    @property
    def recall(self) -> float:
        return self.exact / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        returned = self.exact + self.unexpected
        return self.exact / returned if returned else 1.0


def number_differences(expected: dict, got: dict) -> list[str]:
    """Every difference but the findings: numbers, question texts, comparisons, title block, the
    reference kind, and each expected warning that was not given."""
    diffs = [d for d in differences(expected, got) if not d.startswith("finding ")]
    if "reference_kind" in expected and expected["reference_kind"] != got.get("reference_kind"):
        diffs.append(f"reference_kind: expected {expected['reference_kind']!r} got {got.get('reference_kind')!r}")
    for wanted in expected.get("expected_warnings_contain", []):
        if not any(wanted in warning for warning in got.get("warnings", [])):
            diffs.append(f"no warning mentions {wanted!r}")
    return diffs


def finding_score(expected: dict, got: dict) -> FindingScore:
    want = {(f["area"], f["kind"], norm(f["text"])) for f in expected.get("findings", [])}
    have = {(f["area"], f["kind"], norm(f["text"])) for f in got.get("findings", [])}
    return FindingScore(exact=len(want & have), expected=len(want), unexpected=len(have - want))
