"""Numbers as Swedish reports write them: decimal comma, percent signs, thin spaces."""
from __future__ import annotations

import re

NUMBER = re.compile(r"^[−-]?\d{1,3}(?:[ \u00a0\u2009]?\d{3})*(?:[,.]\d+)?$")
NUMBER_TOKEN = re.compile(r"^\(?[−-]?\d+(?:[,.]\d+)?\)?%?$")


def parse_number(token: str) -> float | None:
    """'2,5' → 2.5, '65%' → 65.0, '1 000' → 1000.0; None if the token is not a number."""
    cleaned = token.strip().rstrip("%").strip().replace("\u2212", "-")
    cleaned = cleaned.replace("\u00a0", "").replace("\u2009", "").replace(" ", "")
    if not re.fullmatch(r"-?\d+(?:[,.]\d+)?", cleaned):
        return None
    return float(cleaned.replace(",", "."))


def is_number_token(token: str) -> bool:
    return bool(NUMBER_TOKEN.match(token.strip())) or token.strip() == "%"


def is_year(value: float | None) -> bool:
    return value is not None and value == int(value) and 1990 <= value <= 2100


def round_half_up(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)
