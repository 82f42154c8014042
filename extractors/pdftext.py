"""Reading a PDF's plain text cheaply with pypdfium2, normalised right after extraction."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from extractors.errors import DamagedPdf, EncryptedPdf, NotAPdf, ReadFailed, TooLarge

MAX_PAGES = 400

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
BULLET_GLYPHS = ("\uf0b7\uf0a7\uf0d8\uf076\u2022\u25aa\u25cf\u25e6\u2023\u2043\u25a0\u25a1\u00b7\uf0fc\u2219"
                 "\u27a2\u27a4\u25b8\u25ba\uf0e8\uf0a8\uf0a1\u25c6\u25c7\u2666\u2043\u204c\u204d")


_NEEDS_WORK = re.compile("[^\x20-\x7e\u00a1-\u00ac\u00ae-\u00b6\u00b8-\u02ff]")  # outside printable Latin: look closer


_SOFT_HYPHEN_AT_END = re.compile(r"(?<=\w)\u00ad(?=\s*$)")
_SWAPPED_ASCII = re.compile("[\u4100-\u5a00\u6100-\u7a00]")


def _unswap(match: re.Match) -> str:
    """A Latin letter whose UTF-16 bytes a producer swapped ('fi' → U+6600 U+6900, as Ghostscript's
    pdfwrite writes a ligature's ToUnicode): Swedish reports hold no CJK characters ending in 00."""
    code = ord(match.group())
    return chr(code >> 8) if code & 0xFF == 0 else match.group()


def normalise(text: str) -> str:
    """NFC, no control characters, soft hyphens or ligatures; bullets kept as '•'."""
    if not _NEEDS_WORK.search(text):
        return text
    text = _SWAPPED_ASCII.sub(_unswap, text)
    text = unicodedata.normalize("NFC", text)
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    # A hyphen where a word broke at a line end: U+2010 (Chromium, WeasyPrint) or a soft hyphen ending the
    # token become "-", which joining the lines mends; a soft hyphen inside a word was never shown.
    text = _SOFT_HYPHEN_AT_END.sub("-", text).replace("\u2010", "-")
    text = text.replace("\u00ad", "").replace("\u00a0", " ").replace("\u2009", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for glyph in BULLET_GLYPHS:
        text = text.replace(glyph, "•")
    return _CONTROL.sub("", text)


def read_failed(path: Path, error: OSError) -> ReadFailed:
    return ReadFailed(f"{Path(path).name}: cannot be read ({error.strerror or error}); check the disk or copy "
                      "the file again")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except (IsADirectoryError, FileNotFoundError):
        raise
    except OSError as error:
        raise read_failed(path, error) from None
    return digest.hexdigest()


@dataclass
class PdfText:
    """Plain text of every page (index 0 = page 1)."""

    path: Path
    pages: list[str]


def check_header(path: Path) -> None:
    """Raise NotAPdf unless the first KiB holds a PDF header (ReadFailed when the bytes cannot be read)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except (IsADirectoryError, FileNotFoundError):
        raise
    except OSError as error:
        raise read_failed(path, error) from None
    if not head:
        raise DamagedPdf(f"{path.name}: the file is empty")
    if b"%PDF-" not in head:
        kind = "is an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "is not a PDF"
        raise NotAPdf(f"{path.name}: {kind} (no %PDF header); expected a report PDF")


def _declares_encryption(path: Path, window: int = 1 << 16) -> bool:
    """True when the trailer (or, in a small file, anywhere) names an /Encrypt dictionary."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        if size <= 4 * window:
            return b"/Encrypt" in handle.read()
        head = handle.read(window)
        handle.seek(size - window)
        return b"/Encrypt" in head or b"/Encrypt" in handle.read()


def open_document(path: str | Path) -> pdfium.PdfDocument:
    """Open with pypdfium2, turning its failures into named errors."""
    path = Path(path)
    check_header(path)
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        # pdfium's error code can be stale from an earlier file: judge encryption by the file itself.
        if _declares_encryption(path):
            raise EncryptedPdf(f"{path.name}: the PDF is encrypted; remove the password and try again") from None
        raise DamagedPdf(f"{path.name}: the PDF is damaged and cannot be read ({error})") from None
    if len(document) == 0:
        document.close()
        raise DamagedPdf(f"{path.name}: the PDF has no pages")
    if len(document) > MAX_PAGES:
        pages = len(document)
        document.close()
        raise TooLarge(f"{path.name}: {pages} pages is more than a report has (limit {MAX_PAGES})")
    return document


def read_pages(path: Path) -> PdfText:
    """Plain text of each page, normalised."""
    document = open_document(path)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(normalise(textpage.get_text_range()))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as error:
        raise DamagedPdf(f"{path.name}: the PDF is damaged and cannot be read ({error})") from None
    finally:
        document.close()
    return PdfText(path=path, pages=pages)
