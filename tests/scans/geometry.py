"""Scans made with other tools than `tests.scans.scan_pdf`: Ghostscript rasterises the pages (not
pdfium), Pillow turns them on their side, skews them, lets the light fall off across the sheet,
blurs them or lays them on a dark desk as a phone photo, JPEG-compresses them (or makes them 1-bit),
and MuPDF (`mutool convert`) wraps them as a PDF — so the OCR's geometry is tested on images neither
its own renderer nor its own PDF writer made.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter


def rasterise(source: Path, page: int, dpi: int) -> Image.Image:
    """Page `page` (0-based) of `source` as a greyscale image, rendered by Ghostscript."""
    if shutil.which("gs") is None:
        raise RuntimeError("gs is missing: apt-get install ghostscript")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "page.png"
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", f"-r{dpi}",
                        "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", f"-dFirstPage={page + 1}",
                        f"-dLastPage={page + 1}", f"-sOutputFile={out}", str(source)], check=True, timeout=120)
        return Image.open(out).convert("L").copy()


@dataclass(frozen=True)
class Sheet:
    """What happens to a page between the printer and the PDF."""

    dpi: int = 150
    turn: int = 0  # 90/180/270: the page fed sideways or upside down (counter-clockwise)
    skew: float = 0.0  # degrees, counter-clockwise
    light_falloff: float = 0.0  # the far side this much darker than the near (0.45: 45 % darker)
    blur: float = 0.0  # Gaussian radius in pixels
    desk: float = 0.0  # a dark surround this share of the sheet's size on each side (a photo)
    bilevel: bool = False  # 1-bit black and white
    jpeg_quality: int = 70
    seed: int = 0


def degrade(image: Image.Image, sheet: Sheet) -> Image.Image:
    rng = np.random.default_rng(sheet.seed)
    if sheet.light_falloff:
        pixels = np.asarray(image, dtype=np.float32)
        height, width = pixels.shape
        across = np.linspace(1.0, 1.0 - sheet.light_falloff, width)[None, :]
        down = np.linspace(1.0, 1.0 - 0.4 * sheet.light_falloff, height)[:, None]
        image = Image.fromarray(np.clip(pixels * across * down, 0, 255).astype(np.uint8), mode="L")
    if sheet.desk:
        margin_x, margin_y = int(sheet.desk * image.width), int(sheet.desk * image.height)
        desk = rng.normal(55, 12, (image.height + 2 * margin_y, image.width + 2 * margin_x))
        canvas = Image.fromarray(np.clip(desk, 0, 255).astype(np.uint8), mode="L")
        canvas.paste(image, (margin_x, margin_y))
        image = canvas
    fill = 50 if sheet.desk else 255
    if sheet.skew:
        image = image.rotate(sheet.skew, resample=Image.BICUBIC, expand=bool(sheet.desk), fillcolor=fill)
    if sheet.turn:
        image = image.rotate(sheet.turn, expand=True)
    if sheet.blur:
        image = image.filter(ImageFilter.GaussianBlur(sheet.blur))
    if sheet.bilevel:
        image = image.point(lambda value: 255 if value > 150 else 0).convert("1")
    return image


def sheet_pdf(source: Path, out: Path, sheet: Sheet, pages: list[int]) -> Path:
    """An image-only PDF of `pages` of `source`, each degraded by `sheet`, wrapped by MuPDF."""
    if shutil.which("mutool") is None:
        raise RuntimeError("mutool is missing: apt-get install mupdf-tools")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for index in pages:
            image = degrade(rasterise(source, index, sheet.dpi), sheet)
            path = Path(folder) / f"page-{index:03d}.png"
            if not sheet.bilevel:  # the scanner's JPEG: its artefacts kept in what MuPDF stores
                jpeg = Path(folder) / f"page-{index:03d}.jpg"
                image.save(jpeg, quality=sheet.jpeg_quality)
                image = Image.open(jpeg).convert("L")
            image.save(path, dpi=(sheet.dpi, sheet.dpi))
            files.append(str(path))
        subprocess.run(["mutool", "convert", "-o", str(out), *files], check=True, timeout=300)
    return out
