"""Test scans made from the repository's own PDFs: what a scanner and an old distiller make of a report.

- `scan_pdf`: pages rendered to greyscale images at a scanner's resolution, optionally rotated,
  speckled, smudged, JPEG-compressed or reduced to black and white (CCITT G4), and wrapped as an
  image-only PDF (Pillow's PDF writer: no text layer at all).
- `garbage_text_layer`: the PDF printed to PostScript (pdftops) and back (Ghostscript's ps2pdf);
  the fonts lose their Unicode maps, so every text extractor decodes garbage.
- `text_words`: the original PDF's words with positions (pdfplumber), the ground truth OCR is
  compared with by position.

Nothing here is committed as a file: tests make the scans once per session, the benchmark in a
temporary folder.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "corpus" / "kommunkompassen-fagersta-2009.pdf"


@dataclass(frozen=True)
class Smudge:
    """An ink blot over part of a page: `box` in PDF points (x0, top, x1, bottom), top-left origin."""

    page: int  # 0-based
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class ScanStyle:
    """How a page is degraded on its way through the scanner."""

    dpi: int = 300
    rotate_degrees: float = 0.0  # counter-clockwise, as the paper lay crooked
    speckle: float = 0.0  # share of pixels turned into dark specks
    jpeg_quality: int = 85  # Pillow writes greyscale pages as JPEG; ignored when bilevel
    bilevel: bool = False  # black and white, CCITT G4, as fax-era scanners stored pages
    seed: int = 0


def page_image(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")


def blot(image: Image.Image, box_px: tuple[int, int, int, int], seed: int = 0) -> Image.Image:
    """An irregular dark smear over a box, as a thumb or a drop of ink leaves it."""
    image = image.copy()
    draw = ImageDraw.Draw(image)
    rng = np.random.default_rng(seed)
    x0, top, x1, bottom = box_px
    for _ in range(12):
        cx, cy = rng.uniform(x0, x1), rng.uniform(top, bottom)
        rx, ry = rng.uniform(0.2, 0.5) * (x1 - x0), rng.uniform(0.3, 0.6) * (bottom - top)
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=int(rng.uniform(20, 90)))
    return image


def degrade(image: Image.Image, style: ScanStyle, seed: int) -> Image.Image:
    """Rotate about the centre (white corners), then sprinkle specks of one to two pixels."""
    if style.rotate_degrees:
        image = image.rotate(style.rotate_degrees, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if style.speckle:
        pixels = np.asarray(image, dtype=np.uint8).copy()
        rng = np.random.default_rng(seed)
        count = int(style.speckle * pixels.size)
        ys = rng.integers(0, pixels.shape[0] - 1, count)
        xs = rng.integers(0, pixels.shape[1] - 1, count)
        shade = rng.integers(0, 110, count).astype(np.uint8)
        pixels[ys, xs] = shade
        big = rng.random(count) < 0.3  # some specks are two pixels across
        pixels[ys[big] + 1, xs[big]] = shade[big]
        pixels[ys[big], xs[big] + 1] = shade[big]
        image = Image.fromarray(pixels, mode="L")
    if style.bilevel:
        image = image.point(lambda value: 255 if value > 160 else 0).convert("1")
    return image


def scan_pdf(source: Path, out: Path, style: ScanStyle, pages: list[int] | None = None,
             smudges: tuple[Smudge, ...] = ()) -> Path:
    """An image-only PDF of `source` (0-based `pages`, default all) as a scanner would make it."""
    document = pdfium.PdfDocument(str(source))
    try:
        indexes = list(range(len(document))) if pages is None else pages
        images = []
        for index in indexes:
            image = page_image(document[index], style.dpi)
            scale = style.dpi / 72
            for smudge in smudges:
                if smudge.page == index:
                    image = blot(image, tuple(int(round(v * scale)) for v in smudge.box), style.seed)
            images.append(degrade(image, style, style.seed * 1000 + index))
    finally:
        document.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    options = {"resolution": float(style.dpi)}
    if not style.bilevel:
        options["quality"] = style.jpeg_quality
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], **options)
    return out


_SHARED_SCANS: dict[tuple, Path] = {}
SHARED_PAGES = [0, 3, 4, 8, 26, 27]  # title, Tabell 1 and 2, area 1's lists, the score summary


def shared_scan(folder: Path, style: ScanStyle, pages: list[int] = SHARED_PAGES) -> Path:
    """One scan file per (style, pages) for the whole test session, made in `folder` the first time.

    The OCR cache is keyed by the file's sha256 (and a new scan file has a new creation date), so modules
    that read the same scan through this share one OCR of each page instead of each making its own."""
    key = (style, tuple(pages))
    if key not in _SHARED_SCANS or not _SHARED_SCANS[key].exists():
        name = f"shared-{style.dpi}-{style.seed}-{len(_SHARED_SCANS)}.pdf"
        _SHARED_SCANS[key] = scan_pdf(BUNDLED, folder / name, style, pages=list(pages))
    return _SHARED_SCANS[key]


def garbage_text_layer(source: Path, out: Path, timeout_s: float = 120) -> Path:
    """`source` printed to PostScript and distilled back: the text draws, but decodes to garbage."""
    for tool in ("pdftops", "ps2pdf"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is missing: apt-get install poppler-utils ghostscript")
    postscript = out.with_suffix(".ps")
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftops", str(source), str(postscript)], check=True, timeout=timeout_s)
    subprocess.run(["ps2pdf", str(postscript), str(out)], check=True, timeout=timeout_s)
    postscript.unlink()
    return out


@dataclass(frozen=True)
class TruthWord:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int  # 1-based


def text_words(source: Path, pages: list[int]) -> list[TruthWord]:
    """The text layer's words of the given 0-based pages, with pdfplumber's positions."""
    found = []
    with pdfplumber.open(source, pages=[index + 1 for index in pages]) as pdf:
        for page in pdf.pages:
            for word in page.extract_words(x_tolerance=1.5, y_tolerance=2):
                found.append(TruthWord(word["text"], word["x0"], word["x1"], word["top"], word["bottom"],
                                       page.page_number))
    return found


def find_word(source: Path, page: int, text: str, near: tuple[float, float] | None = None) -> TruthWord:
    """The text layer's word `text` on a 0-based page (the one nearest `near` (x, top) if several)."""
    hits = [word for word in text_words(source, [page]) if word.text == text]
    if not hits:
        raise LookupError(f"no word {text!r} on page {page + 1} of {source.name}")
    if near is None:
        return hits[0]
    return min(hits, key=lambda w: abs(w.x0 - near[0]) + abs(w.top - near[1]))


def ocr_folder(tmp_path_factory, name: str, cache: bool = True) -> Path:
    """A folder for a module's scans, once Tesseract and its models are known to be there: without them
    the OCR tests skip, except in CI (CI set), where they fail. `cache`: the OCR cache in a fresh folder."""
    import os

    import pytest

    from extractors.ocr import OcrSettings, OcrUnavailable
    from extractors.ocr.engine import languages_of
    from extractors.ocr.tesseract import find_tessdata

    try:
        find_tessdata(languages_of(OcrSettings()))
    except OcrUnavailable as missing:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"{missing}; CI runs these tests")
    if cache:
        os.environ.setdefault("KOMPASS_OCR_CACHE", str(tmp_path_factory.mktemp("ocr-cache")))
    return tmp_path_factory.mktemp(name)
