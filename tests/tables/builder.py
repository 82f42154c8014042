"""The table documents built once per test session into a pytest temporary folder, and their extracts.

Word documents are converted together by one LibreOffice run the first time any of them is asked for;
Chromium and pdfTeX documents one by one. A missing producer skips the documents that need it with a
reason naming the package, and fails them when CI is set (as `tests/test_producers.py` does).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from extractors.errors import ExtractionError
from tests.tables import render
from tests.tables.documents import DOCUMENTS, WORD, WORD_LANDSCAPE, Doc


def require(message: str) -> None:
    """Fail in CI (CI set), skip elsewhere."""
    if os.environ.get("CI") and os.environ.get("CI", "").lower() not in ("0", "false"):
        pytest.fail(message)
    pytest.skip(message)


class TableDocuments:
    def __init__(self, folder: Path, documents: dict[str, Doc] = DOCUMENTS):
        self.folder = Path(folder)
        self.documents = documents
        self.made: dict[str, Path] = {}
        self.failed: dict[str, str] = {}
        self.extracts: dict[str, dict] = {}

    def pdf(self, name: str) -> Path:
        if name in self.failed:
            require(self.failed[name])
        if name not in self.made:
            doc = self.documents[name]
            try:
                if doc.producer in (WORD, WORD_LANDSCAPE):
                    words = [d for d in self.documents.values() if d.producer in (WORD, WORD_LANDSCAPE)
                             and d.name not in self.made]
                    self.made.update(render.word_pdfs(words, self.folder))
                else:
                    self.made[name] = render.render_one(doc, self.folder / f"{name}.pdf")
            except render.ProducerMissing as missing:
                self.failed[name] = f"{name}: {missing}"
                require(self.failed[name])
        return self.made[name]

    def extract(self, name: str) -> dict:
        """The extract (in process, text layer only), or {"error": message} when extraction refused the PDF."""
        if name not in self.extracts:
            from extractors.report import extract_report

            try:
                self.extracts[name] = extract_report(self.pdf(name), ocr="never").to_json()
            except ExtractionError as error:
                self.extracts[name] = {"error": str(error)}
        return self.extracts[name]
