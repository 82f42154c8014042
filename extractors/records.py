"""Records of one extracted report: the JSON contract between extraction and loading."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

SCHEMA_VERSION = 1

STRENGTH = "strength"
IMPROVEMENT = "improvement"
CITED = "cited"
OWN = "own"

# What each number of a record is (`number_status`, see extractors/number_status.py)
READ = "read"        # as printed: the text layer's, or OCR's reading as it stood
MENDED = "mended"    # OCR's reading changed by the report's arithmetic (`printed`: what OCR read)
DERIVED = "derived"  # not readable: computed from other numbers (`derived_from`: which sum or rule)
EMPTY = "empty"      # no number: not printed, or left empty because it could not be verified (`warning`)
NUMBER_STATUSES = (READ, MENDED, DERIVED, EMPTY)


@dataclass
class Source:
    sha256: str
    pages: int
    filename: str
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR (no usable text layer)


@dataclass
class NumberStatus:
    """How one number of a record was come by; the number itself stays in its own field."""

    status: str  # READ, MENDED, DERIVED or EMPTY
    printed: str | None = None  # what OCR read there (a number mended, derived or left empty by the arithmetic)
    derived_from: str | None = None  # for DERIVED: the sum or rule the value was computed from
    warning: str | None = None  # the warning that says so


@dataclass
class Evaluator:
    name: str
    organisation: str | None = None


@dataclass
class AreaScore:
    area: int
    name: str
    score: float | None  # None only where an OCR'd number could not be verified (said in warnings)
    median: float | None
    page: int
    reference_kind: str | None = None  # "median", "medelvärde", "Sverigesnitt", …
    ocr_confidence: float | None = None  # lowest OCR confidence (0–100) of its numbers; None: text layer
    number_status: dict[str, NumberStatus] = field(default_factory=dict)  # "score", "median" → its status


@dataclass
class QuestionScore:
    question: str
    text: str
    max_points: float | None  # None only where an OCR'd number could not be verified
    points: float | None
    percent: float | None
    page: int
    ocr_confidence: float | None = None
    number_status: dict[str, NumberStatus] = field(default_factory=dict)  # "max_points", "points", "percent"


@dataclass
class Comparison:
    kommun: str
    kommunkod: str | None
    year: int
    area: int
    score: float | None
    page: int | None = None
    ocr_confidence: float | None = None
    number_status: dict[str, NumberStatus] = field(default_factory=dict)  # "score" → its status


@dataclass
class Finding:
    area: int
    kind: str  # STRENGTH or IMPROVEMENT
    text: str
    page: int
    ocr_confidence: float | None = None  # mean OCR confidence of its words; None: text layer


@dataclass
class GoodExample:
    area: int | None
    kind: str  # CITED or OWN
    kommun: str
    kommunkod: str | None  # the Swedish kommunkod; None for a municipality of another country
    sentence: str
    page: int
    country: str = "SE"  # ISO code of the municipality's country ("Larvik i Norge": NO)
    code: str | None = None  # its national code (for Sweden the kommunkod); None when no list knows it
    sentence_no: int | None = None  # the sentence's number among the report's sentence records (seq)
    sentence_before: str = ""  # the sentences before and after it in its section ("" at an edge)
    sentence_after: str = ""
    heading: str = ""  # the heading of its paragraph (else its section's)
    topic: str = ""  # lemmas of the content words of the sentence and its neighbours, space-joined


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class ReportExtract:
    """Everything extracted from one report; `to_json()` gives the schema_version 1 object."""

    source: Source
    kommun: str | None = None
    kommunkod: str | None = None
    year: int | None = None
    country: str | None = None           # set only for a municipality outside Sweden (FI, NO, DK)
    national_code: str | None = None     # its own country's municipality code (kommunkod stays Swedish)
    evaluation_dates: list[str] = field(default_factory=list)
    evaluators: list[Evaluator] = field(default_factory=list)
    framework: str | None = None
    total: float | None = None
    median_total: float | None = None
    reference_kind: str | None = None
    areas: list[AreaScore] = field(default_factory=list)
    questions: list[QuestionScore] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    good_examples: list[GoodExample] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    number_status: dict[str, NumberStatus] = field(default_factory=dict)  # "total", "median_total" → its status

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def to_json(self) -> dict:
        data = asdict(self)
        for name in ("country", "national_code"):
            if data[name] is None:
                del data[name]
        for record in [data, *data["areas"], *data["questions"], *data["comparisons"]]:
            record["number_status"] = {name: {key: value for key, value in status.items() if value is not None}
                                       for name, status in record["number_status"].items()}
        return {"schema_version": SCHEMA_VERSION, **data}



@dataclass
class SentenceRecord:
    """One sentence of the report's prose, for full-text search (text and its lemmas)."""

    page: int
    area: int | None
    text: str
    lemmas: str
