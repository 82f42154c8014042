"""Export a .docx to PDF with LibreOffice (`soffice --headless --convert-to pdf`)."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from kompass.errors import KompassError

CONVERT_TIMEOUT = 180  # seconds


class SofficeNotFound(KompassError):
    """LibreOffice is not installed: Word-made fixtures cannot be rebuilt without it."""


class ConversionFailed(KompassError):
    """LibreOffice ran but wrote no PDF."""


def soffice() -> str:
    """The path of LibreOffice's `soffice`; SofficeNotFound with an install hint otherwise."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise SofficeNotFound("LibreOffice (soffice) is not installed; it is needed only to rebuild the "
                              "Word-made fixtures: apt-get install libreoffice-writer-nogui")
    return found


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    """Convert `docx` into `out_dir/<stem>.pdf` with a throwaway LibreOffice profile."""
    docx, out_dir = Path(docx), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        command = [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT, check=False)
    pdf = out_dir / f"{docx.stem}.pdf"
    if result.returncode != 0 or not pdf.exists():
        raise ConversionFailed(f"{docx}: soffice wrote no PDF (exit {result.returncode}): "
                               f"{(result.stderr or result.stdout).strip()[:300]}")
    return pdf
