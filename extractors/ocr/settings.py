"""OCR settings: one frozen dataclass with defaults and a line of description each."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

# Only these fields change what Tesseract reads; the others (workers, deadline, cache folder) do not
# and so stay out of the cache key.
_RESULT_FIELDS = ("language", "number_language", "target_dpi", "max_dpi", "deskew", "max_skew_degrees",
                  "denoise", "remove_rules", "page_segmentation", "number_pass", "normalise_light",
                  "orient")


PREPARATION_VERSION = 4  # bump when extractors/ocr/prepare.py changes what Tesseract is shown


def default_cache_dir() -> Path:
    """$KOMPASS_OCR_CACHE, else $XDG_CACHE_HOME/kommunkompassen/ocr, else ~/.cache/kommunkompassen/ocr."""
    explicit = os.environ.get("KOMPASS_OCR_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kommunkompassen" / "ocr"


@dataclass(frozen=True)
class OcrSettings:
    """How pages are prepared and recognised (defaults chosen by the measurements in the README)."""

    language: str = "swe"
    """Tesseract model for the page's text (Debian: tesseract-ocr-swe)."""
    number_language: str = "eng"
    """Model for the second pass over number-like words ('%' and digits; the Swedish model reads '%' as '90')."""
    number_pass: bool = True
    """Re-read every number-like word alone, digits and ',.%' only, with `number_language`."""
    target_dpi: int = 300
    """Resolution pages are recognised at; a scan below it is upsampled to it."""
    max_dpi: int = 400
    """A scan finer than `target_dpi` is read at its own resolution, up to this."""
    orient: bool = True
    """Turn a scanned page upright (0/90/180/270: Tesseract's OSD, else the most confident of four
    readings) and cut a photo's dark surround off."""
    deskew: bool = True
    """Measure the skew angle (projection profiles of the ink) and rotate the page straight."""
    max_skew_degrees: float = 5.0
    """The largest skew looked for, either way."""
    normalise_light: bool = True
    """Even out uneven light (the paper's brightness estimated and divided out) and turn the paper's
    faint ghosts (a rule's blurred edge, a speck's halo) white."""
    denoise: bool = True
    """Erase isolated specks (at the scan's own resolution, before it is scaled up)."""
    remove_rules: bool = True
    """Erase table rules before recognition (digits touching a cell border are otherwise misread)."""
    page_segmentation: int = 4
    """Tesseract's page segmentation mode (4: one column of text of varying sizes; mode 3, automatic
    layout, drops lone digits in table cells)."""
    workers: int = 0
    """Processes OCR'ing pages side by side; 0: one per available core."""
    page_timeout_s: float = 120.0
    """Deadline for one page (rendering, preparation and recognition)."""
    cache_dir: Path | None = None
    """Where results are kept by file sha256 and settings; None: `default_cache_dir()`."""
    use_cache: bool = True
    """Read and write the cache."""

    def __post_init__(self):
        if not 70 <= self.target_dpi <= self.max_dpi <= 1200:
            raise ValueError(f"need 70 <= target_dpi <= max_dpi <= 1200, got {self.target_dpi}, {self.max_dpi}")
        if not 0 <= self.max_skew_degrees <= 45:
            raise ValueError(f"max_skew_degrees must be within 0..45, got {self.max_skew_degrees}")
        if not self.page_timeout_s > 0:
            raise ValueError(f"page_timeout_s must be positive, got {self.page_timeout_s}")
        if self.workers < 0:
            raise ValueError(f"workers must be 0 (all cores) or more, got {self.workers}")

    def result_key(self) -> dict:
        """The settings that change the recognised words (part of the cache key), and the version of
        the page preparation (a change to how pages are cleaned changes the words too)."""
        values = asdict(self)
        return {**{name: values[name] for name in _RESULT_FIELDS}, "preparation": PREPARATION_VERSION}

    def worker_count(self, pages: int) -> int:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        return max(1, min(pages, self.workers or cores))

    def with_changes(self, **changes) -> "OcrSettings":
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise TypeError(f"unknown OCR settings: {', '.join(sorted(unknown))}")
        return replace(self, **changes)
