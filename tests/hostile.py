"""Malformed and hostile inputs named .pdf, generated deterministically from a seed report.

Every kind a harvest can meet: truncated and bit-flipped copies, encrypted files, zero pages,
thousands of pages, deeply nested objects, cyclic page trees, huge images, other formats and
HTML pages named .pdf, empty files. `hostile_inputs()` returns them in memory; `write_inputs()`
writes them to a folder.
"""
from __future__ import annotations

import io
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

# Kinds whose every input must fail; a bit-flipped report may still be read (then it loads).
MUST_FAIL = ("truncated", "encrypted", "zero_pages", "many_pages", "nested", "cyclic", "huge_image",
             "not_pdf", "html", "empty", "blank_page")


@dataclass(frozen=True)
class HostileInput:
    name: str
    kind: str
    data: bytes


def build_pdf(objects: list[bytes], root: int = 1, header: bytes = b"%PDF-1.7\n") -> bytes:
    """A PDF whose object i+1 is objects[i], with a correct cross-reference table."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def _page(parent: int = 2, contents: int | None = None, resources: bytes = b"<< >>") -> bytes:
    tail = b" /Contents %d 0 R" % contents if contents else b""
    return b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s%s >>" % (parent, resources, tail)


def _catalog(pages: int = 2) -> bytes:
    return b"<< /Type /Catalog /Pages %d 0 R >>" % pages


def _pages(kids: list[int], count: int | None = None, parent: int | None = None) -> bytes:
    refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    up = b" /Parent %d 0 R" % parent if parent else b""
    return b"<< /Type /Pages /Kids [%s] /Count %d%s >>" % (refs, len(kids) if count is None else count, up)


def zero_pages() -> list[bytes]:
    return [build_pdf([_catalog(), _pages([])]),
            build_pdf([_catalog(), _pages([], count=5)]),
            build_pdf([b"<< /Type /Catalog >>"])]


def many_pages() -> list[bytes]:
    """Thousands of pages, cheaply: one tiny page listed again and again, and a real 2,000-page file."""
    repeated = build_pdf([_catalog(), _pages([3] * 5000), _page()])
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(100, 100))
    for number in range(2000):
        c.drawString(10, 50, f"Sida {number}")
        c.showPage()
    c.save()
    return [repeated, buffer.getvalue()]


def nested() -> list[bytes]:
    """Deeply nested arrays and dictionaries, and a page tree thousands of levels deep."""
    depth = 50_000
    array = b"[" * depth + b"]" * depth
    dictionary = b"<< /A " * depth + b">>" * depth
    variants = [build_pdf([_catalog(), _pages([3]), _page(resources=array)]),
                build_pdf([_catalog(), _pages([3]), _page(resources=dictionary)]),
                build_pdf([b"<< /Type /Catalog /Pages 2 0 R /Deep " + array + b" >>", _pages([3]), _page()])]
    levels = 3000  # Pages → Pages → … → Page
    tree = [_catalog()] + [_pages([n + 1], count=1, parent=n - 1 if n > 2 else None) for n in range(2, levels + 2)]
    tree.append(_page(parent=levels + 1))
    variants.append(build_pdf(tree))
    return variants


def cyclic() -> list[bytes]:
    """Page trees that point back at themselves, and an object that is its own length."""
    self_kid = build_pdf([_catalog(), _pages([2, 3]), _page()])
    loop = build_pdf([_catalog(), _pages([3]), _pages([2])])
    own_length = build_pdf([_catalog(), _pages([3]), _page(contents=4),
                            b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream"])
    return [self_kid, loop, own_length]


def huge_images() -> list[bytes]:
    """An image declaring 100,000 × 100,000 pixels, and a real 6,000 × 6,000 one (36 MB raw, tiny compressed)."""
    declared = _stream(zlib.compress(b"\0" * 1000),
                       b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceRGB "
                       b"/BitsPerComponent 8 /Filter /FlateDecode")
    real = _stream(zlib.compress(b"\0" * (6000 * 6000), 9),
                   b"/Type /XObject /Subtype /Image /Width 6000 /Height 6000 /ColorSpace /DeviceGray "
                   b"/BitsPerComponent 8 /Filter /FlateDecode")
    draw = _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q")
    resources = b"<< /XObject << /Im1 5 0 R >> >>"
    return [build_pdf([_catalog(), _pages([3]), _page(contents=4, resources=resources), draw, image])
            for image in (declared, real)]


def blank_page() -> bytes:
    return build_pdf([_catalog(), _pages([3]), _page()])


def encrypted(rng: random.Random) -> list[bytes]:
    """Password-protected reports (user passwords), and owner-only protection over non-report text."""
    files = []
    for number in range(8):
        password = "".join(rng.choice("abcdefghijkåäö0123456789") for _ in range(rng.randint(1, 12)))
        encryption = StandardEncryption(password, ownerPassword="ägare", strength=[40, 128][number % 2])
        if number >= 6:  # opens without a password: readable, but not a report
            encryption = StandardEncryption("", ownerPassword=password, canPrint=0)
        buffer = io.BytesIO()
        c = canvas.Canvas(buffer, encrypt=encryption)
        c.drawString(72, 800, "Kommunkompassen — utvärdering av Fagersta kommun 2009")
        c.showPage()
        c.save()
        files.append(buffer.getvalue())
    return files


def truncations(report: bytes, rng: random.Random, count: int) -> list[bytes]:
    """Cut before the trailer: nothing can be read (the page tree's root sits at the end)."""
    end = len(report) - 200
    cuts = rng.sample(range(1, end), count - 2) + [9, 1024]
    return [report[:cut] for cut in sorted(cuts)]


def tail_cuts(report: bytes) -> list[bytes]:
    """Only the last bytes missing (`%%EOF`, part of the trailer): a reader may recover the whole report."""
    return [report[:len(report) - cut] for cut in (1, 6, 10, 40)]


def bit_flips(report: bytes, rng: random.Random, count: int) -> list[bytes]:
    copies = []
    for _ in range(count):
        data = bytearray(report)
        for _ in range(rng.choice([1, 2, 8, 32, 128])):
            position = rng.randrange(len(data))
            data[position] ^= 1 << rng.randrange(8)
        copies.append(bytes(data))
    return copies


def small_report(report_path: Path, pages: list[int]) -> bytes:
    """Some pages of the seed report as a PDF of their own (bit flips of it are cheap to read)."""
    source = pdfium.PdfDocument(str(report_path))
    target = pdfium.PdfDocument.new()
    target.import_pages(source, [page - 1 for page in pages])
    buffer = io.BytesIO()
    target.save(buffer)
    target.close()
    source.close()
    return buffer.getvalue()


NOT_PDF_HEADS = [b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"\xff\xd8\xff\xe0\x00\x10JFIF", b"\x1f\x8b\x08",
                 b"\x7fELF\x02\x01\x01", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\"error\": ", b"\xef\xbb\xbf",
                 b"\xff\xfe%\x00P\x00D\x00F\x00", b"%!PS-Adobe-3.0\n", b"%PDF", b"%PDF-1.4\n", b"%PDF-1.7\n%%EOF\n"]


def not_pdf(rng: random.Random, count: int) -> list[bytes]:
    """Other formats' headers and random bytes; a few start with %PDF but hold nothing more."""
    files = []
    for number in range(count):
        head = NOT_PDF_HEADS[number % len(NOT_PDF_HEADS)]
        files.append(head + rng.randbytes(rng.choice([0, 16, 500, 5000])))
    return files


HTML_PAGES = [
    "<!DOCTYPE html><html><head><title>404</title></head><body>Sidan finns inte</body></html>",
    "<html><body><h1>Kommunkompassen</h1><a href='rapport.pdf'>Rapport</a></body></html>",
    "<HTML><BODY>Logga in för att läsa dokumentet</BODY></HTML>",
    "<!doctype html><meta charset=utf-8><p>Omdirigerar… %PDF-1.4 obj endobj</p>",
    "<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'><body>Fel 500</body></html>",
]


def html(count: int) -> list[bytes]:
    return [(HTML_PAGES[n % len(HTML_PAGES)] + "\n" * n + "<!-- %d -->" % n).encode() for n in range(count)]


def hostile_inputs(report_path: Path, *, seed: int = 6, truncated: int = 240, flipped_small: int = 150,
                   flipped_full: int = 12) -> list[HostileInput]:
    """The whole deterministic set (≥ 500 with the defaults); `flipped_full` copies are the slow ones."""
    rng = random.Random(seed)
    report = report_path.read_bytes()
    small = small_report(report_path, [1, 2])
    groups = {
        "truncated": truncations(report, rng, truncated),
        "tail_cut": tail_cuts(report),
        "flipped_small": bit_flips(small, rng, flipped_small),
        "flipped": bit_flips(report, rng, flipped_full),
        "encrypted": encrypted(rng),
        "zero_pages": zero_pages(),
        "many_pages": many_pages(),
        "nested": nested(),
        "cyclic": cyclic(),
        "huge_image": huge_images(),
        "blank_page": [blank_page()],
        "not_pdf": not_pdf(rng, 60),
        "html": html(20),
        "empty": [b"", b" ", b"\n\n"],
    }
    return [HostileInput(f"{kind}-{number:03d}.pdf", kind, data)
            for kind, files in groups.items() for number, data in enumerate(files)]


def write_inputs(inputs: list[HostileInput], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for item in inputs:
        path = folder / item.name
        path.write_bytes(item.data)
        paths.append(path)
    return paths


# Misbehaving readers, to prove the guard bounds time and memory with real processes.
def hang(path):
    """Never returns (a reader stuck in a loop)."""
    import time

    while True:
        time.sleep(1)


def exhaust_memory(path):
    """Allocates without end (a reader decompressing a bomb)."""
    blocks = []
    while True:
        blocks.append(bytearray(64 * 1024 * 1024))


def crash(path):
    """Dies the way a crashing C library does."""
    import os

    os.abort()


def echo(path):
    return str(path)


def slow_pages(path, progress=None):
    """Reports a page every half second for three seconds (a long scan being OCR'd), then answers."""
    import time

    for page in range(1, 7):
        time.sleep(0.5)
        progress(page)
    return str(path)


def endless_pages(path, progress=None):
    """Reports pages for ever (a reader that shows progress but never finishes)."""
    import time

    page = 0
    while True:
        time.sleep(0.2)
        page += 1
        progress(page)
