"""OCR results on disk, one JSON file per page, keyed by the PDF's sha256, the settings and the engine.

A page is written to a temporary file and renamed into place, so a reader never sees half a file;
a file that does not parse is treated as absent (and overwritten by the next run).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from extractors.ocr.words import OcrPage, OcrWord

CACHE_FORMAT = 3  # 2: words carry Tesseract's line; 3: pages carry the table rules found
MAX_ENTRY_BYTES = 8 << 20  # one page's words; a larger file is not ours


def cache_key(sha256: str, settings_key: dict, engine: str) -> str:
    """One folder name per document × settings × Tesseract version and models."""
    payload = json.dumps({"format": CACHE_FORMAT, "settings": settings_key, "engine": engine}, sort_keys=True)
    return f"{sha256[:32]}-{hashlib.sha256(payload.encode()).hexdigest()[:16]}"


class OcrCache:
    """Pages of one document read with one set of settings."""

    def __init__(self, root: Path, key: str):
        self.folder = Path(root) / key

    def _path(self, index: int) -> Path:
        return self.folder / f"page-{index + 1:04d}.json"

    def get(self, index: int) -> OcrPage | None:
        path = self._path(index)
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
            words = [OcrWord(**{**word, "alternatives": tuple(word["alternatives"])}) for word in data.pop("words")]
            data["from_cache"] = True
            return OcrPage(**data, words=words)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def put(self, index: int, page: OcrPage) -> None:
        """Store a finished page (pages that failed are not cached: the next run tries again)."""
        if page.error is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".page-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(asdict(page), out, ensure_ascii=False)
            os.replace(temporary, self._path(index))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
