"""`ocr_pages`: the words of chosen pages of a PDF, read by Tesseract, cached, pages side by side.

Each page is rendered with pypdfium2, prepared (see `prepare`), recognised (see `tesseract`) and
its words mapped back to PDF points with a top-left origin — the coordinates pdfplumber gives — so
extraction reads OCR'd pages with the same word-position code as text pages.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections.abc import Callable
from pathlib import Path

from extractors.errors import DamagedPdf
from extractors.ocr.cache import OcrCache, cache_key
from extractors.ocr.prepare import prepare_page
from extractors.ocr.settings import OcrSettings, default_cache_dir
from extractors.ocr.tesseract import PixelWord, Recogniser, engine_fingerprint, find_tessdata
from extractors.ocr.words import OcrPage, OcrWord
from extractors.pdftext import normalise, open_document, sha256_of

STARTUP_S = 30.0  # a worker process's start and model load, allowed once on top of the page deadlines
_recogniser: tuple[tuple, Recogniser] | None = None  # one per worker process, kept between pages


def languages_of(settings: OcrSettings) -> tuple[str, ...]:
    wanted = {settings.language, settings.number_language} if settings.number_pass else {settings.language}
    return tuple(sorted(wanted))


def _recogniser_for(settings: OcrSettings) -> Recogniser:
    global _recogniser
    key = (settings.language, settings.number_language, settings.page_segmentation, settings.number_pass)
    if _recogniser is None or _recogniser[0] != key:
        if _recogniser is not None:
            _recogniser[1].close()
        _recogniser = (key, Recogniser(*key))
    return _recogniser[1]


def to_points(words: list[PixelWord], scale_x: float, scale_y: float) -> list[OcrWord]:
    """Pixel boxes → PDF points (top-left origin), text normalised as the text layer's is."""
    result = []
    for word in words:
        text = normalise(word.text).strip()
        if not text:
            continue
        result.append(OcrWord(text=text, x0=round(word.left * scale_x, 2), x1=round(word.right * scale_x, 2),
                              top=round(word.top * scale_y, 2), bottom=round(word.bottom * scale_y, 2),
                              confidence=word.confidence,
                              alternatives=tuple(normalise(alt) for alt in word.alternatives), line=word.line))
    return result


def ocr_page(path: Path, index: int, settings: OcrSettings) -> OcrPage:
    """One page, start to end; failures become the page's `error`, never an exception."""
    started = time.monotonic()
    width = height = 0.0
    try:
        document = open_document(path)
        try:
            page = document[index]
            width, height = page.get_size()
            prepared = prepare_page(page, settings.target_dpi, settings.max_dpi, settings.deskew,
                                    settings.max_skew_degrees, settings.denoise, settings.remove_rules,
                                    settings.normalise_light, settings.orient, settings.language)
            page.close()
        finally:
            document.close()
        remaining = settings.page_timeout_s - (time.monotonic() - started)
        if remaining <= 0:
            raise TimeoutError(f"preparing the page took longer than {settings.page_timeout_s:.0f} s")
        pixel_words = _recogniser_for(settings).read(prepared.image, remaining)
        # The page as read: upright, straightened and cut to the sheet, so its size is the image's.
        words = to_points(pixel_words, prepared.width_pt / prepared.image.width, prepared.height_pt / prepared.image.height)
        return OcrPage(page=index + 1, width=round(prepared.width_pt, 2), height=round(prepared.height_pt, 2),
                       words=words, dpi=round(prepared.dpi, 1),
                       scan_dpi=None if prepared.scan_dpi is None else round(prepared.scan_dpi, 1),
                       skew_degrees=prepared.skew_degrees, turned=prepared.turned, cropped=prepared.cropped,
                       seconds=round(time.monotonic() - started, 3), rules=[list(r) for r in prepared.rules])
    except Exception as error:  # noqa: BLE001 - one page's failure is recorded, the others go on
        return OcrPage(page=index + 1, width=width, height=height, seconds=round(time.monotonic() - started, 3),
                       error=f"page {index + 1}: OCR failed ({type(error).__name__}: {error})")


def _worker_start() -> None:
    """One OpenMP thread per worker: the workers already fill the cores. A worker ends with the
    process that started it, even when that one is killed (a reader stopped at its deadline)."""
    from kompass.lifetime import die_with_parent

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    die_with_parent()


def _in_daemon() -> bool:
    return bool(multiprocessing.current_process().daemon)


def _run_in_pool(path: Path, indexes: list[int], settings: OcrSettings, workers: int,
                 done: Callable[[OcrPage], None]) -> None:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pool = context.Pool(processes=workers, initializer=_worker_start)
    overran = False
    try:
        started = time.monotonic()
        pending = [(index, pool.apply_async(ocr_page, (path, index, settings))) for index in indexes]
        for position, (index, result) in enumerate(pending):
            deadline = started + STARTUP_S + settings.page_timeout_s * math.ceil((position + 1) / workers)
            try:
                done(result.get(timeout=max(0.0, deadline - time.monotonic())))
            except multiprocessing.TimeoutError:
                overran = True
                done(OcrPage(page=index + 1, width=0.0, height=0.0, error=(
                    f"page {index + 1}: OCR did not finish within its deadline ({settings.page_timeout_s:.0f} s a page)")))
    finally:
        if overran:
            pool.terminate()
        else:
            pool.close()
        pool.join()


def ocr_pages(pdf_path: str | Path, page_indexes: list[int] | None = None, settings: OcrSettings | None = None,
              progress: Callable[[OcrPage], None] | None = None) -> list[OcrPage]:
    """OCR the pages at `page_indexes` (0-based; None: every page), in that order.

    Pages already read with the same settings and engine come from the cache. The rest are OCR'd in
    parallel worker processes (in this process when it is itself a daemon worker, or one page or
    one core is all there is). Raises OcrUnavailable (one line naming the apt packages) when
    Tesseract or its Swedish model is missing; a page that fails carries its `error` instead.
    """
    settings = settings or OcrSettings()
    path = Path(pdf_path)
    languages = languages_of(settings)
    find_tessdata(languages)
    document = open_document(path)
    count = len(document)
    document.close()
    indexes = list(range(count)) if page_indexes is None else list(page_indexes)
    bad = [index for index in indexes if not 0 <= index < count]
    if bad:
        raise DamagedPdf(f"{path.name}: no page index {bad[0]} (the PDF has {count} pages)")
    cache = None
    if settings.use_cache:
        key = cache_key(sha256_of(path), settings.result_key(), engine_fingerprint(languages))
        cache = OcrCache(settings.cache_dir or default_cache_dir(), key)
    results: dict[int, OcrPage] = {}

    def done(page: OcrPage) -> None:
        results[page.page - 1] = page
        if cache is not None and not page.from_cache:
            try:
                cache.put(page.page - 1, page)
            except OSError:
                pass  # a read-only or full cache folder costs a re-run, not the result
        if progress is not None:
            progress(page)

    todo = []
    for index in dict.fromkeys(indexes):
        cached = cache.get(index) if cache is not None else None
        if cached is not None:
            done(cached)
        else:
            todo.append(index)
    workers = settings.worker_count(len(todo))
    if todo and (workers == 1 or _in_daemon()):
        for index in todo:
            done(ocr_page(path, index, settings))
    elif todo:
        _run_in_pool(path, todo, settings, workers, done)
    return [results[index] for index in indexes]
