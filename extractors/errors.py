"""Errors raised while reading a report; each message names the file and what to do."""
from __future__ import annotations

from kompass.errors import KompassError


class ExtractionError(KompassError):
    """A document could not be extracted at all."""


class NotAPdf(ExtractionError):
    """The file does not start with a PDF header (an HTML page or other bytes named .pdf)."""


class EncryptedPdf(ExtractionError):
    """The PDF is password protected."""


class DamagedPdf(ExtractionError):
    """The PDF could not be parsed (truncated, corrupted or empty)."""


class NoTextLayer(ExtractionError):
    """The PDF has no extractable text (a scanned report needs OCR first)."""


class UnreadableTextLayer(NoTextLayer):
    """The PDF has text, but it decodes to garbage (fonts without a Unicode map): it needs OCR."""


class NotAReport(ExtractionError):
    """The PDF is readable but is not a Kommunkompassen report."""


class TooLarge(ExtractionError):
    """The PDF exceeds the page limit set for one report."""


class ReadFailed(ExtractionError):
    """The file system could not give the file's bytes (an I/O error, a disk or network share failing)."""
