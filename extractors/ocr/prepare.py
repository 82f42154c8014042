"""A page as an image ready for Tesseract: rendered at a resolution chosen for accuracy, grey,
straightened and cleaned of specks — the steps OCRmyPDF and Tesseract's own docs recommend.

Each step is a function returning a new image, so the benchmark can measure what each one buys.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageFilter

MAX_PIXELS = 60_000_000
RULE_INK_SHARE = 0.8  # a stretch of 0.4 in (0.3 in down) at least this much ink is a rule …
RULE_CLEAR_SHARE = 0.3  # … if 0.02 in either side of it is at most this much ink  # an A3 page at 600 dpi; bounds memory whatever the PDF claims


@dataclass(frozen=True)
class PreparedPage:
    """The image Tesseract reads and how its pixels map to points (`dpi`; `width_pt`, `height_pt`: the
    size of the upright, straightened, cropped page)."""

    image: Image.Image
    dpi: float
    width_pt: float
    height_pt: float
    scan_dpi: float | None  # the embedded scan's own resolution, if the page is one image
    skew_degrees: float  # the page was rotated by this much (counter-clockwise) to straighten it
    turned: int = 0  # the page was turned by this much (counter-clockwise) to stand upright
    cropped: bool = False  # a photo's surround was cut off: the page is the sheet
    rules: tuple = ()  # the table rules found (and erased), in points of this page: ("h"|"v", at, start, end)


def scan_dpi(page: pdfium.PdfPage) -> float | None:
    """The resolution of the image covering most of the page (a scan), or None if there is none."""
    width, height = page.get_size()
    best: tuple[float, float] | None = None
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = image.get_bounds()
        shown_w, shown_h = abs(right - left), abs(top - bottom)
        if shown_w * shown_h < 0.5 * width * height:
            continue
        pixels_w, pixels_h = image.get_px_size()
        dpi = max(pixels_w / (shown_w / 72), pixels_h / (shown_h / 72))
        area = shown_w * shown_h
        if best is None or area > best[0]:
            best = (area, dpi)
    return None if best is None else best[1]


def render_dpi(native: float | None, target: int, maximum: int) -> float:
    """Read at `target` dpi; a finer scan at its own resolution up to `maximum`."""
    if native is None:
        return float(target)
    return float(min(max(target, round(native)), maximum))


def render(page: pdfium.PdfPage, dpi: float) -> Image.Image:
    """The page in greyscale at `dpi` (pdfium interpolates a coarser scan while scaling it up)."""
    width, height = page.get_size()
    pixels = (width * dpi / 72) * (height * dpi / 72)
    if pixels > MAX_PIXELS:
        dpi *= math.sqrt(MAX_PIXELS / pixels)
    return page.render(scale=dpi / 72, grayscale=True, may_draw_forms=False).to_pil().convert("L")


def ink_threshold(grey: np.ndarray) -> int:
    """Otsu's threshold of a greyscale image: pixels at or below it are ink. On a page whose paper
    the light flattening made pure white, a blurred page's grey rims can outweigh its ink and put
    Otsu's cut between white and everything else: then it is taken among the pixels that are not
    pure white."""
    histogram = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    threshold = _otsu(histogram)
    if threshold >= 250 and histogram[:255].sum() > 0:
        histogram[255] = 0
        threshold = _otsu(histogram)
    return threshold


def _otsu(histogram: np.ndarray) -> int:
    total = histogram.sum()
    levels = np.arange(256)
    weight_dark = np.cumsum(histogram)
    mean_dark = np.cumsum(histogram * levels)
    overall = mean_dark[-1]
    weight_light = total - weight_dark
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (overall * weight_dark / total - mean_dark) ** 2 / (weight_dark * weight_light)
    between = np.nan_to_num(between)
    return int(np.argmax(between))


def _profile_sharpness(ys: np.ndarray, xs: np.ndarray, degrees: float, rows: int) -> float:
    """How sharply the ink falls into rows when the page is straightened by `degrees`."""
    shifted = ys - xs * math.tan(math.radians(degrees))
    counts = np.bincount(np.clip(np.round(shifted).astype(np.int64) + rows, 0, 3 * rows), minlength=3 * rows + 1)
    return float(np.dot(counts, counts))


def measure_skew(image: Image.Image, max_degrees: float = 5.0) -> float:
    """The turn (degrees, counter-clockwise) that makes the lines level, found by projection profiles:
    the angle at which the ink falls most sharply into rows."""
    if max_degrees <= 0:
        return 0.0
    scale = min(1.0, 1200 / max(image.size))
    small = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))), Image.BILINEAR)
    grey = np.asarray(small, dtype=np.uint8)
    ys, xs = np.nonzero(grey <= ink_threshold(grey))
    if len(ys) < 200:
        return 0.0
    if len(ys) > 150_000:
        pick = np.random.default_rng(0).choice(len(ys), 150_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)
    rows = grey.shape[0]
    best, step = 0.0, 0.25
    candidates = np.arange(-max_degrees, max_degrees + step / 2, step)
    for _ in range(3):  # 0.25° steps, then 0.05°, then 0.01° around the best
        scores = [_profile_sharpness(ys, xs, angle, rows) for angle in candidates]
        best = float(candidates[int(np.argmax(scores))])
        step /= 5
        candidates = np.arange(best - 5 * step, best + 5.5 * step, step)
    return round(best, 2)


def straighten(image: Image.Image, degrees: float) -> Image.Image:
    """Rotate about the centre so text runs level; the canvas keeps its size, corners filled white."""
    if abs(degrees) < 0.05:
        return image
    return image.rotate(degrees, resample=Image.BICUBIC, expand=False, fillcolor=255)


def _window_share(mask: np.ndarray, length: int) -> np.ndarray:
    """Share of `mask` in each window [x, x+length) of each row (columns - length + 1 of them)."""
    summed = np.zeros((mask.shape[0], mask.shape[1] + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=summed[:, 1:])
    return (summed[:, length:] - summed[:, :-length]) / length


def _ruled(ink: np.ndarray, length: int, axis: int, clearance: int, share: float = RULE_INK_SHARE) -> np.ndarray:
    """Ink lying in a stretch `length` long along `axis` that is at least `share` ink — counting a pixel
    as ink when it or a neighbour across is, so a rule a scanner broke into dashes or a turn left in
    steps is still one rule — with little ink `clearance` pixels to either side: a rule is a thin line
    with white beside it, where a row through a line of text (serifs, bold letters) has glyphs above
    or below."""
    ink = ink if axis == 1 else ink.T
    rows, columns = ink.shape
    covered = np.zeros((rows, columns), dtype=bool)
    if columns < length or rows <= 2 * clearance:
        return covered if axis == 1 else covered.T
    band = ink.copy()
    band[1:, :] |= ink[:-1, :]
    band[:-1, :] |= ink[1:, :]
    dense = _window_share(band, length) >= share
    beside = _window_share(ink, length)
    clear = np.zeros_like(dense)
    clear[clearance:-clearance] = (beside[:-2 * clearance] <= RULE_CLEAR_SHARE) & (beside[2 * clearance:] <= RULE_CLEAR_SHARE)
    starts = dense & clear
    begun = np.zeros((rows, columns + 1), dtype=np.int32)
    np.cumsum(np.pad(starts, ((0, 0), (0, length - 1))), axis=1, out=begun[:, 1:])
    covered[:, :length] = begun[:, 1:length + 1] > 0  # some window starting in (x-length, x] holds x
    covered[:, length:] = (begun[:, length + 1:] - begun[:, 1:columns - length + 1]) > 0
    covered &= ink
    return covered if axis == 1 else covered.T


def _long_lines(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Only the rule pixels of rows (axis 1) or columns (axis 0) that hold at least `length` of them
    (a row either side counted, for a rule a little out of level): a table's rules, not a stretch of
    dense text that looked like one."""
    lines = mask if axis == 1 else mask.T
    counts = lines.sum(axis=1)
    near = counts.copy()
    for shift in (1, 2):
        near = np.maximum(near, np.roll(counts, shift))
        near = np.maximum(near, np.roll(counts, -shift))
    kept = lines & (near >= length)[:, None]
    return kept if axis == 1 else kept.T


def find_rules(image: Image.Image, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of table rules (stretches of ink longer than any glyph: 0.4 inch across, 0.3 inch down,
    on lines of rule 2 inches across or 0.6 inch down in all): (across, down) masks."""
    grey = np.asarray(image, dtype=np.uint8)
    ink = grey <= ink_threshold(grey)
    clearance = max(3, int(round(0.02 * dpi)))
    across = _long_lines(_ruled(ink, max(20, int(0.4 * dpi)), axis=1, clearance=clearance), int(2.0 * dpi), axis=1)
    down = _long_lines(_ruled(ink, max(15, int(0.3 * dpi)), axis=0, clearance=clearance), int(0.6 * dpi), axis=0)
    return across, down


def remove_rules(image: Image.Image, dpi: float, found: tuple[np.ndarray, np.ndarray] | None = None) -> Image.Image:
    """Erase table rules (`find_rules`) and their anti-aliased edges, so digits that touch a cell border
    are not read with it as '1', 'I' or '|', while text is left alone."""
    across, down = found if found is not None else find_rules(image, dpi)
    rules = across | down
    if not rules.any():
        return image
    edges = rules.copy()  # one pixel either side
    edges[1:, :] |= rules[:-1, :]
    edges[:-1, :] |= rules[1:, :]
    edges[:, 1:] |= rules[:, :-1]
    edges[:, :-1] |= rules[:, 1:]
    cleaned = np.asarray(image, dtype=np.uint8).copy()
    cleaned[edges] = 255
    return Image.fromarray(cleaned, mode="L")


def _box_sums(mask: np.ndarray, size: int) -> np.ndarray:
    """For each pixel, how many mask pixels lie in the size×size window centred on it."""
    half = size // 2
    padded = np.pad(mask.astype(np.int32), half + 1)
    integral = padded.cumsum(axis=0).cumsum(axis=1)
    rows, columns = mask.shape
    top, left = np.arange(rows), np.arange(columns)
    bottom, right = top + size, left + size
    return (integral[np.ix_(bottom, right)] - integral[np.ix_(top, right)]
            - integral[np.ix_(bottom, left)] + integral[np.ix_(top, left)])


def remove_specks(image: Image.Image, dpi: float) -> Image.Image:
    """Erase specks: ink that fits in a 3×3 pixel box with no other ink within about 1 pt around it.
    A full stop or decimal comma stays, as it sits next to its digits; so do specks touching text."""
    grey = np.asarray(image, dtype=np.uint8)
    ink = grey <= ink_threshold(grey)
    ring = max(5, int(round(0.014 * dpi)) * 2 + 1)  # ~1 pt either side of a 3×3 box
    near = _box_sums(ink, 3)
    around = _box_sums(ink, ring)
    specks = ink & (near == around)
    if not specks.any():
        return image
    grown = _box_sums(specks, 3) > 0  # their anti-aliased rims too
    cleaned = grey.copy()
    cleaned[grown & (grey < 255) & (around == near)] = 255
    return Image.fromarray(cleaned, mode="L")


def remove_faint_specks(image: Image.Image, dpi: float, core: int, most: int) -> Image.Image:
    """On a page whose paper is already white, erase what is left of a speck the scan had: a cluster of
    non-white pixels fitting a `core`-pixel box, `most` pixels at most, with nothing else within 1.5
    pt around the box (a faint rim a JPEG'd speck leaves after whitening). An i's dot or a decimal
    comma is more ink and darker, and stands closer to its letter."""
    grey = np.asarray(image, dtype=np.uint8)
    ink = grey < 255
    clearance = max(1, int(round(1.5 * dpi / 72)))
    near = _box_sums(ink, core)
    around = _box_sums(ink, core + 2 * clearance)
    centres = (near > 0) & (near == around) & (near <= most)  # all ink within reach lies in the core box
    if not centres.any():
        return image
    specks = _box_sums(centres, core) > 0  # the core box around each such centre holds only its cluster
    rim = _box_sums(specks, 3) > 0  # and the cluster's anti-aliased rim
    cleaned = grey.copy()
    cleaned[rim & (grey < 255) & (_box_sums(ink & ~specks, 3) == 0)] = 255
    return Image.fromarray(cleaned, mode="L")


def flatten_light(image: Image.Image, dpi: float) -> Image.Image:
    """Uneven light evened out: the paper's brightness estimated everywhere (the lightest grey within
    about a third of an inch — wider than any glyph's stroke — on a copy reduced to ~25 dpi, then
    smoothed) and every pixel divided by it, so paper reads white under a shadow or a light falling
    off across a photographed sheet, and ink keeps its contrast against the paper around it."""
    grey = np.asarray(image, dtype=np.float32)
    factor = max(1, int(round(dpi / 25)))
    small = image.resize((max(1, image.width // factor), max(1, image.height // factor)), Image.BOX)
    size = max(3, int(round(dpi / factor / 3)) | 1)  # ~1/3 inch at the reduced resolution, odd
    paper = small.filter(ImageFilter.MaxFilter(size)).filter(ImageFilter.MinFilter(size))
    paper = paper.filter(ImageFilter.BoxBlur(size // 2)).resize(image.size, Image.BILINEAR)
    background = np.maximum(np.asarray(paper, dtype=np.float32), 1.0)
    flattened = np.clip(grey * 255.0 / background, 0, 255).astype(np.uint8)
    return Image.fromarray(flattened, mode="L")


def whiten_paper(image: Image.Image) -> Image.Image:
    """Paper made pure white: every pixel lighter than halfway between the ink threshold (Otsu) and
    white becomes white. The faint ghosts a scan leaves (a rule's blurred edge after the rule is
    erased, a speck's JPEG halo, show-through) are then nothing to the number pass, which thresholds
    each small cut afresh and otherwise reads such a ghost as a '1' or widens the word's box to it."""
    grey = np.asarray(image, dtype=np.uint8)
    threshold = ink_threshold(grey)
    paper = (threshold + 255) // 2
    if not (grey > paper).any():
        return image
    cleaned = grey.copy()
    cleaned[grey > paper] = 255
    return Image.fromarray(cleaned, mode="L")


def prepare_page(page: pdfium.PdfPage, target_dpi: int, max_dpi: int, deskew: bool, max_skew: float,
                 denoise: bool, unrule: bool, light: bool = True, orient: bool = True,
                 language: str = "swe") -> PreparedPage:
    """Render, crop to the sheet, even out the light, turn upright, straighten and clean one page.

    The page a scan shows is found on its pixels: a photo's dark surround is cut off (the sheet then
    has its own resolution, its short side an A4 page's), a page scanned on its side or upside down
    is turned upright (`geometry.upright_turn`), and its skew is measured and taken out. The prepared
    page's size in points is that of the image Tesseract reads, so words are placed on the upright,
    straightened sheet."""
    from extractors.ocr.geometry import crop_to_sheet, upright_turn
    from extractors.ocr.rules import rule_segments

    width, height = page.get_size()
    native = scan_dpi(page)
    dpi = render_dpi(native, target_dpi, max_dpi)
    base = native if native is not None and native < dpi else dpi
    # Light and specks are cleaned at the scan's own resolution, before scaling blurs specks into blobs.
    image = render(page, base)
    base = image.width * 72 / width
    cropped = False
    if orient and native is not None:
        image, base, cropped = crop_to_sheet(image, base)
    if light:
        image = flatten_light(image, base)
    if denoise:
        image = remove_specks(image, base)
    if base < target_dpi:
        size = (round(image.width * target_dpi / base), round(image.height * target_dpi / base)) if cropped else \
            (round(width * target_dpi / 72), round(height * target_dpi / 72))  # the page's own proportions
        image = image.resize(size, Image.LANCZOS)
        dpi = float(target_dpi)
    else:
        dpi = base
    turn = upright_turn(image, dpi, language) if orient and native is not None else 0
    if turn:
        image = image.rotate(turn, expand=True, fillcolor=255)
    skew = measure_skew(image, max_skew) if deskew else 0.0
    image = straighten(image, skew)
    rules: tuple = ()
    if unrule:
        found = find_rules(image, dpi)
        rules = tuple(rule_segments(*found, 72 / dpi))
        image = remove_rules(image, dpi, found)
    if light:
        image = whiten_paper(image)
        if denoise and base < dpi:
            # What whitening left of a speck of the scan: the faint rim of about one of its pixels
            # scaled up, three at most (an i's dot or a decimal comma is more and darker).
            scale = dpi / base
            image = remove_faint_specks(image, dpi, core=round(2 * scale) | 1, most=round(3 * scale ** 2))
    return PreparedPage(image=image, dpi=dpi, width_pt=image.width * 72 / dpi, height_pt=image.height * 72 / dpi,
                        scan_dpi=native, skew_degrees=skew if abs(skew) >= 0.05 else 0.0, turned=turn,
                        cropped=cropped, rules=rules)
