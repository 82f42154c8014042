"""OCR figures: pages per second of a whole scanned report; the cost and accuracy of each step.

`make bench` calls `ocr_figures()`: a whole-process `kompass extract` of the external scan (or, without
../shared, of a scan made here), cold and from the cache. `python -m benchmarks.ocr_bench --costs`
prints the CPU seconds of each step of reading a page. `python -m benchmarks.ocr_bench --steps` measures word
and number accuracy against the bundled report's own text layer, one preparation step added at a
time, on scans made at 150, 200 and 300 dpi (the README's table comes from it; about 6 minutes).
"""
from __future__ import annotations

import argparse
import os
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


EXTERNAL_SCAN = "fagersta-2009-scan.pdf"  # the real report scanned at 150 dpi (../shared/external), when present
ROOT = Path(__file__).resolve().parent.parent


def external_scan() -> Path | None:
    """The external scan beside the repository ($KOMPASS_EXTERNAL, else ../shared/external up to two levels up)."""
    import os

    folders = [Path(os.environ["KOMPASS_EXTERNAL"])] if os.environ.get("KOMPASS_EXTERNAL") else []
    folders += [ROOT.parent / "shared" / "external", ROOT.parent.parent / "shared" / "external"]
    return next((folder / EXTERNAL_SCAN for folder in folders if (folder / EXTERNAL_SCAN).is_file()), None)


def whole_process(pdf: Path, cache: Path) -> tuple[float, bool]:
    """`kompass extract PDF --format json` as a new process: (wall seconds, whether it succeeded)."""
    import subprocess
    import sys

    kompass = Path(sys.executable).parent / "kompass"
    started = time.perf_counter()
    done = subprocess.run([str(kompass), "extract", str(pdf), "--format", "json", "--timeout", "1200"],
                          capture_output=True, text=True, env={**os.environ, "KOMPASS_OCR_CACHE": str(cache)})
    return time.perf_counter() - started, done.returncode == 0


def ocr_figures() -> dict:
    """OCR pages per second of a whole-process `kompass extract` of a scanned report (cold cache, then
    again from the cache): the external 150-dpi scan when present, else a scan made here — for `make bench`."""
    import pypdfium2 as pdfium

    try:
        from extractors.ocr.engine import languages_of
        from extractors.ocr.tesseract import find_tessdata

        find_tessdata(languages_of(OcrSettings()))
    except OcrUnavailable as error:
        print(f"OCR: skipped ({error})")
        return {}
    with tempfile.TemporaryDirectory(prefix="kompass-ocr-bench-") as tmp:
        folder = Path(tmp)
        scan = external_scan()
        what = f"external {EXTERNAL_SCAN}"
        if scan is None:
            scan = scan_pdf(BUNDLED, folder / "scan-150.pdf", SCANS["150 dpi, +1.5°, specks, JPEG q60"])
            what = "150-dpi skewed speckled scan of the bundled report, made here"
        document = pdfium.PdfDocument(str(scan))
        pages = len(document)
        document.close()
        cold, cold_ok = whole_process(scan, folder / "cache")
        warm, warm_ok = whole_process(scan, folder / "cache")
        costs = step_costs(scan, [0, 3, 26])  # a title, a table and the score-summary page, one process
    cpu = sum(seconds for name, seconds in costs.items() if not name.startswith(("engine", "OSD")))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"OCR whole-process `kompass extract` of the {what} ({pages} pages): {cold:.1f} s = "
          f"{pages / cold:.2f} pages/s (target >= 1); CPU {cpu:.2f} s a page in one process (Tesseract's page pass "
          f"{costs['Tesseract page pass']:.2f} s); "
          f"again from the cache {warm:.2f} s{'' if cold_ok and warm_ok else ' (the extraction FAILED)'}; "
          f"load average {load:.1f}")
    return {"ocr_pages": pages, "ocr_whole_process_s": round(cold, 1), "ocr_pages_per_s": round(pages / cold, 2),
            "ocr_cpu_s_per_page": round(cpu, 2),
            "ocr_tesseract_page_pass_s": round(costs["Tesseract page pass"], 2), "ocr_cached_s": round(warm, 2),
            "ocr_ok": cold_ok and warm_ok, "ocr_load": round(load, 1)}


def step_costs(pdf: Path, indexes: list[int]) -> dict[str, float]:
    """CPU seconds a page of each step of reading a scanned page, in one process (the engine's own order:
    `extractors.ocr.engine.ocr_page`), with OSD timed apart though the engine asks it only of pages in doubt."""
    from collections import defaultdict

    from PIL import Image

    from extractors.ocr import prepare
    from extractors.ocr.geometry import crop_to_sheet, upright_turn
    from extractors.ocr.tesseract import Recogniser
    from extractors.pdftext import open_document

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    costs: dict[str, float] = defaultdict(float)

    def timed(name, function, *arguments, **keywords):
        started = time.process_time()
        result = function(*arguments, **keywords)
        costs[name] += time.process_time() - started
        return result

    settings = OcrSettings()
    recogniser = timed("engine start (once a process)", Recogniser, settings.language, settings.number_language,
                       settings.page_segmentation, True)
    document = open_document(pdf)
    for index in indexes:
        page = document[index]
        width, height = page.get_size()
        native = prepare.scan_dpi(page)
        base = native if native is not None and native < settings.target_dpi else settings.target_dpi
        image = timed("render", prepare.render, page, base)
        base = image.width * 72 / width
        image, base, _ = timed("crop to the sheet", crop_to_sheet, image, base)
        image = timed("light", prepare.flatten_light, image, base)
        image = timed("specks", prepare.remove_specks, image, base)
        if base < settings.target_dpi:
            size = (round(width * settings.target_dpi / 72), round(height * settings.target_dpi / 72))
            image = timed("scale to 300 dpi", image.resize, size, Image.LANCZOS)
        dpi = float(max(base, settings.target_dpi))
        timed("OSD (only pages in doubt)", upright_turn, image, dpi)
        skew = timed("measure skew", prepare.measure_skew, image, settings.max_skew_degrees)
        image = timed("straighten", prepare.straighten, image, skew)
        image = timed("erase rules", prepare.remove_rules, image, dpi)
        image = timed("whiten paper", prepare.whiten_paper, image)
        scale = dpi / base
        image = timed("faint specks", prepare.remove_faint_specks, image, dpi, core=round(2 * scale) | 1,
                      most=round(3 * scale ** 2))
        words = timed("Tesseract page pass", recogniser.read_page, image, 120)
        timed("number pass (numbers only)", recogniser.read_numbers, image, words)
        page.close()
    document.close()
    return {name: seconds / (1 if name.startswith("engine") else len(indexes)) for name, seconds in costs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", action="store_true", help="accuracy of each preparation step")
    parser.add_argument("--costs", action="store_true", help="CPU seconds of each step of reading a scanned page")
    arguments = parser.parse_args()
    if arguments.costs:
        with tempfile.TemporaryDirectory(prefix="kompass-ocr-costs-") as tmp:
            scan = external_scan() or scan_pdf(BUNDLED, Path(tmp) / "scan-150.pdf", SCANS["150 dpi, +1.5°, specks, JPEG q60"])
            costs = step_costs(scan, [0, 1, 3, 10, 20, 26])
        total = sum(seconds for name, seconds in costs.items() if not name.startswith(("engine", "OSD")))
        for name, seconds in costs.items():
            print(f"{name:34} {seconds:6.3f} s")
        print(f"{'a page in all (without OSD)':34} {total:6.3f} s")
    elif arguments.steps:
        with tempfile.TemporaryDirectory(prefix="kompass-ocr-steps-") as tmp:
            step_table(Path(tmp))
    else:
        print(ocr_figures())


if __name__ == "__main__":
    main()
