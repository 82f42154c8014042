"""OCR for scanned pages and unreadable text layers: Tesseract's words in PDF points.

    from extractors.ocr import ocr_pages, OcrSettings
    pages = ocr_pages("scan.pdf", [3, 26], OcrSettings())   # 0-based page indexes
    for word in pages[0].words: word.text, word.x0, word.x1, word.top, word.bottom, word.confidence
"""
from extractors.ocr.engine import ocr_page, ocr_pages
from extractors.ocr.settings import OcrSettings, default_cache_dir
from extractors.ocr.tesseract import INSTALL_HINT, OcrUnavailable
from extractors.ocr.words import OcrPage, OcrWord

__all__ = ["INSTALL_HINT", "OcrPage", "OcrSettings", "OcrUnavailable", "OcrWord", "default_cache_dir",
           "ocr_page", "ocr_pages"]
