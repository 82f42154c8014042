"""OCR figures: seconds per page and for a whole scanned report; accuracy bought by each preparation step.

`make bench` calls `ocr_figures()` (timing). `python -m benchmarks.ocr_bench --steps` measures word
and number accuracy against the bundled report's own text layer, one preparation step added at a
time, on scans made at 150, 200 and 300 dpi (the README's table comes from it; about 6 minutes).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from extractors.ocr import OcrSettings, OcrUnavailable, ocr_pages
from tests.scans import BUNDLED, ScanStyle, garbage_text_layer, scan_pdf, text_words
from tests.scans.compare import Accuracy, accuracy

TABLE_PAGES = [3, 26]  # 0-based: the area and comparison tables (page 4), the score summary (page 27)
SCANS = {
    "300 dpi, straight, JPEG q85": ScanStyle(dpi=300),
    "200 dpi, -1.5°, specks, JPEG q75": ScanStyle(dpi=200, rotate_degrees=-1.5, speckle=0.0008, jpeg_quality=75, seed=2),
    "200 dpi black and white (G4), -1.5°": ScanStyle(dpi=200, rotate_degrees=-1.5, speckle=0.0005, bilevel=True, seed=3),
    "150 dpi, +1.5°, specks, JPEG q60": ScanStyle(dpi=150, rotate_degrees=1.5, speckle=0.001, jpeg_quality=60, seed=1),
}


def steps(native_dpi: int | None) -> dict[str, OcrSettings]:
    """Preparation steps added one at a time; the last line is the default settings."""
    base = OcrSettings(use_cache=False)
    native = base.with_changes(deskew=False, denoise=False, remove_rules=False, number_pass=False,
                               **({"target_dpi": native_dpi, "max_dpi": native_dpi} if native_dpi else {}))
    upsampled = native.with_changes(target_dpi=base.target_dpi, max_dpi=base.max_dpi)
    deskewed = upsampled.with_changes(deskew=True)
    denoised = deskewed.with_changes(denoise=True)
    unruled = denoised.with_changes(remove_rules=True)
    return {"grey, scan's own dpi": native, "+ upsampled to 300 dpi": upsampled, "+ deskew": deskewed,
            "+ speck removal": denoised, "+ table rules erased": unruled, "+ number pass (default)": base}


def measure(pdf: Path, pages: list[int], settings: OcrSettings) -> tuple[Accuracy, float]:
    truth = text_words(BUNDLED, TABLE_PAGES)
    started = time.perf_counter()
    read = ocr_pages(pdf, pages, settings)
    seconds = time.perf_counter() - started
    for page, original in zip(read, TABLE_PAGES):
        page.page = original + 1
    return accuracy(read, truth), seconds


def step_table(folder: Path) -> list[tuple[str, str, Accuracy, float]]:
    rows = []
    for name, style in SCANS.items():
        pdf = scan_pdf(BUNDLED, folder / f"scan-{style.dpi}-{style.seed}.pdf", style, pages=TABLE_PAGES)
        for step, settings in steps(style.dpi).items():
            result, seconds = measure(pdf, [0, 1], settings)
            rows.append((name, step, result, seconds))
            print(f"{name:38} {step:28} {result.summary()}  {seconds:.1f} s", flush=True)
    garbage = garbage_text_layer(BUNDLED, folder / "garbage.pdf")
    for step, settings in list(steps(None).items())[2:]:
        result, seconds = measure(garbage, TABLE_PAGES, settings)
        rows.append(("garbage text layer (300 dpi render)", step, result, seconds))
        print(f"{'garbage text layer, rendered 300 dpi':38} {step:28} {result.summary()}  {seconds:.1f} s", flush=True)
    return rows


def ocr_figures() -> dict:
    """Seconds per page (one worker, cold cache) and a whole scanned report (all cores) — for `make bench`."""
    try:
        with tempfile.TemporaryDirectory(prefix="kompass-ocr-bench-") as tmp:
            folder = Path(tmp)
            scan = scan_pdf(BUNDLED, folder / "scan-150.pdf", SCANS["150 dpi, +1.5°, specks, JPEG q60"])
            one = OcrSettings(workers=1, cache_dir=folder / "cache-a")
            started = time.perf_counter()
            ocr_pages(scan, TABLE_PAGES, one)
            per_page = (time.perf_counter() - started) / len(TABLE_PAGES)
            every = OcrSettings(cache_dir=folder / "cache-b")
            started = time.perf_counter()
            pages = ocr_pages(scan, None, every)
            whole = time.perf_counter() - started
            started = time.perf_counter()
            ocr_pages(scan, None, every)
            cached = time.perf_counter() - started
    except OcrUnavailable as error:
        print(f"OCR: skipped ({error})")
        return {}
    workers = every.worker_count(len(pages))
    print(f"OCR (Tesseract, 150-dpi skewed speckled scan of the bundled report): {per_page:.2f} s per table page "
          f"(one process); whole report of {len(pages)} pages {whole:.1f} s with {workers} processes "
          f"= {whole / len(pages):.2f} s/page; again from the cache {cached:.2f} s")
    return {"ocr_s_per_page": round(per_page, 2), "ocr_report_pages": len(pages), "ocr_report_s": round(whole, 1),
            "ocr_cached_report_s": round(cached, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", action="store_true", help="accuracy of each preparation step")
    arguments = parser.parse_args()
    if arguments.steps:
        with tempfile.TemporaryDirectory(prefix="kompass-ocr-steps-") as tmp:
            step_table(Path(tmp))
    else:
        print(ocr_figures())


if __name__ == "__main__":
    main()
