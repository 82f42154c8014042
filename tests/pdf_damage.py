"""Damaged copies of a real PDF for the silent-change fuzz sets (`tests/test_fuzz_silent.py`).

The report is first opened up: every object read through the cross-reference table, every Flate
stream inflated, and written again with a fresh table (`open_pdf` → `OpenPdf.write`). On that form:

- `byte_mutations`: seeded damage inside content streams and other objects (bytes flipped, a stream
  truncated, a range duplicated or deleted), written with a consistent table; and damage to the
  written file itself (flips, a cut, a range duplicated or deleted) that leaves the table stale.
- `digit_changes`: one printed digit of a number changed to another digit, in the page's content
  stream. Text is shown in subset TrueType fonts whose codes are glyph numbers, so the code of the
  digit glyph is swapped for the code of another digit of the same font (read from its ToUnicode map):
  the page then draws, and a reader extracts, the other digit. Nothing else in the file changes.
"""
from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, field

OBJECT_HEAD = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
LENGTH = re.compile(rb"/Length\s+(\d+)(\s+\d+\s+R)?")
FLATE = re.compile(rb"/Filter\s*/FlateDecode")
REFERENCE = rb"%s\s+(\d+)\s+0\s+R"
TEXT_SHOW = re.compile(rb"/(\w+)\s+[\d.]+\s+Tf"  # a font chosen, or a string shown:
                       rb"|(\[(?:[^\]\\]|\\.)*\]\s*TJ|(?:\((?:[^)\\]|\\.)*\)|<[0-9A-Fa-f\s]*>)\s*Tj)", re.S)
STRING = re.compile(rb"\((?:[^)\\]|\\.)*\)|<[0-9A-Fa-f\s]*>", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


@dataclass
class PdfObject:
    number: int
    head: bytes  # the dictionary (or the whole body of an object without stream)
    stream: bytes | None = None  # inflated


@dataclass
class OpenPdf:
    objects: dict[int, PdfObject]
    trailer: bytes
    header: bytes = b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n"
    kinds: dict[int, str] = field(default_factory=dict)  # object number → "content", "font", "other"

    def write(self) -> bytes:
        out = bytearray(self.header)
        offsets = {}
        for number in sorted(self.objects):
            obj = self.objects[number]
            offsets[number] = len(out)
            out += b"%d 0 obj\n" % number
            if obj.stream is None:
                out += obj.head + b"\nendobj\n"
            else:
                head = LENGTH.sub(b"/Length %d" % len(obj.stream), obj.head, count=1)
                out += head + b"\nstream\n" + obj.stream + b"\nendstream\nendobj\n"
        start = len(out)
        size = max(self.objects) + 1
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        out += b"trailer\n" + self.trailer + b"\nstartxref\n%d\n%%%%EOF\n" % start
        return bytes(out)

    def copy(self) -> OpenPdf:
        objects = {n: PdfObject(o.number, o.head, o.stream) for n, o in self.objects.items()}
        return OpenPdf(objects, self.trailer, self.header, dict(self.kinds))


def _xref_offsets(data: bytes) -> dict[int, int]:
    start = int(re.search(rb"startxref\s+(\d+)", data[-1024:]).group(1))
    section = data[start:data.index(b"trailer", start)]
    lines = section.split(b"\n")[1:]
    offsets, number, i = {}, 0, 0
    while i < len(lines):
        parts = lines[i].split()
        if len(parts) == 2:
            number = int(parts[0])
        elif len(parts) == 3:
            if parts[2] == b"n":
                offsets[number] = int(parts[0])
            number += 1
        i += 1
    return offsets


def open_pdf(data: bytes) -> OpenPdf:
    """Every object of a PDF with a classic cross-reference table, its Flate streams inflated."""
    offsets = _xref_offsets(data)
    raw: dict[int, tuple[bytes, int | None]] = {}
    for number, offset in offsets.items():
        head_end = OBJECT_HEAD.match(data, offset).end()
        stream_at = data.find(b"stream", head_end)
        end_at = data.find(b"endobj", head_end)
        if 0 <= stream_at < end_at:
            raw[number] = (data[head_end:stream_at].strip(), stream_at)
        else:
            raw[number] = (data[head_end:end_at].strip(), None)
    objects = {}
    for number, (head, stream_at) in raw.items():
        if stream_at is None:
            objects[number] = PdfObject(number, head)
            continue
        length = LENGTH.search(head)
        size = int(raw[int(length.group(1))][0]) if length.group(2) else int(length.group(1))
        body_at = stream_at + len(b"stream") + (2 if data[stream_at + 6:stream_at + 8] == b"\r\n" else 1)
        stream = data[body_at:body_at + size]
        if FLATE.search(head):
            stream, head = zlib.decompress(stream), FLATE.sub(b"", head)
        objects[number] = PdfObject(number, LENGTH.sub(b"/Length 0", head, count=1), stream)
    trailer_at = data.rindex(b"trailer")
    trailer = data[trailer_at + 7:data.index(b"startxref", trailer_at)].strip()
    trailer = re.sub(rb"/DocChecksum\s*/\w+", b"", trailer)
    pdf = OpenPdf(objects, trailer)
    contents = {int(m) for o in objects.values() for m in re.findall(REFERENCE % rb"/Contents", o.head)}
    fonts = {n for n, o in objects.items() if b"/FontFile" in o.head or b"/Type/Font" in o.head.replace(b" ", b"")}
    pdf.kinds = {n: "content" if n in contents else "font" if n in fonts else "other" for n in objects}
    return pdf


# --- byte mutations ---------------------------------------------------------------------------------

OBJECT_KINDS = ("flip", "truncate", "duplicate", "delete")
FILE_KINDS = ("file-flip", "file-cut", "file-duplicate", "file-delete")


@dataclass(frozen=True)
class Mutation:
    kind: str
    where: str  # "object 12 (content) at 345, 20 bytes", "file at 1234"
    data: bytes


def _damage(data: bytes, kind: str, rng: random.Random) -> tuple[bytes, str]:
    if not data:
        return data, "empty"
    at = rng.randrange(len(data))
    span = min(len(data) - at, rng.choice([1, 4, 16, 64, 256, 1024]))
    if kind.endswith("flip"):
        out = bytearray(data)
        flips = rng.choice([1, 2, 8, 32])
        for _ in range(flips):
            position = rng.randrange(max(0, at - 512), min(len(out), at + 512))
            out[position] ^= 1 << rng.randrange(8)
        return bytes(out), f"{flips} bit(s) near {at}"
    if kind.endswith(("truncate", "cut")):
        return data[:at], f"cut at {at} of {len(data)}"
    if kind.endswith("duplicate"):
        return data[:at + span] + data[at:], f"{span} bytes at {at} repeated"
    return data[:at] + data[at + span:], f"{span} bytes at {at} deleted"


def byte_mutations(opened: OpenPdf, count: int, seed: int) -> list[Mutation]:
    """`count` damaged copies, three in four inside one object (mostly page content), the rest in the file."""
    rng = random.Random(seed)
    written = opened.write()
    numbers = sorted(opened.objects)
    contents = [n for n in numbers if opened.kinds[n] == "content"]
    copies = []
    for index in range(count):
        if index % 4 == 3:
            kind = FILE_KINDS[(index // 4) % len(FILE_KINDS)]
            damaged, detail = _damage(written, kind, rng)
            copies.append(Mutation(kind, f"file: {detail}", damaged))
            continue
        kind = OBJECT_KINDS[index % len(OBJECT_KINDS)]
        number = rng.choice(contents) if rng.random() < 0.7 else rng.choice(numbers)
        pdf = opened.copy()
        obj = pdf.objects[number]
        if obj.stream is not None:
            obj.stream, detail = _damage(obj.stream, kind, rng)
        else:
            obj.head, detail = _damage(obj.head, kind, rng)
        copies.append(Mutation(kind, f"object {number} ({pdf.kinds[number]}): {detail}", pdf.write()))
    return copies


# --- one printed digit changed ----------------------------------------------------------------------

def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 1
    while i < len(literal) - 1:
        char = literal[i:i + 1]
        if char == b"\\":
            following = literal[i + 1:i + 2]
            if following in ESCAPES:
                out += ESCAPES[following]
                i += 2
                continue
            octal = re.match(rb"[0-7]{1,3}", literal[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            i += 1
            continue
        out += char
        i += 1
    return bytes(out)


def string_bytes(token: bytes) -> bytes:
    if token.startswith(b"<"):
        digits = re.sub(rb"\s", b"", token[1:-1])
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
    return _unescape(token)


def to_unicode(cmap: bytes) -> dict[int, str]:
    """Single-byte codes → text, from a ToUnicode CMap's bfchar and bfrange entries."""
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(first + offset)
    return table


@dataclass(frozen=True)
class PrintedNumber:
    """One shown string of a page's content stream that reads as a number."""

    page: int  # 1-based
    content: int  # object number of the content stream
    start: int  # the string token's span in the stream
    end: int
    font: str
    codes: bytes
    text: str


def _page_objects(pdf: OpenPdf) -> list[int]:
    """Pages in order, following the page tree from the catalog."""
    root = int(re.search(REFERENCE % rb"/Root", pdf.trailer).group(1))

    def walk(number: int) -> list[int]:
        head = pdf.objects[number].head
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", head)
        if kids is None:
            return [number]
        return [page for kid in re.findall(rb"(\d+)\s+0\s+R", kids.group(1)) for page in walk(int(kid))]

    pages = int(re.search(REFERENCE % rb"/Pages", pdf.objects[root].head).group(1))
    return walk(pages)


def _fonts_of(pdf: OpenPdf, page: int) -> dict[str, dict[int, str]]:
    head = pdf.objects[page].head
    resources = re.search(REFERENCE % rb"/Resources", head)
    body = pdf.objects[int(resources.group(1))].head if resources else head
    fonts = re.search(REFERENCE % rb"/Font", body)
    font_dict = pdf.objects[int(fonts.group(1))].head if fonts else body
    maps = {}
    for name, number in re.findall(rb"/(\w+)\s+(\d+)\s+0\s+R", font_dict):
        unicode_ref = re.search(REFERENCE % rb"/ToUnicode", pdf.objects[int(number)].head)
        if unicode_ref:
            maps[name.decode()] = to_unicode(pdf.objects[int(unicode_ref.group(1))].stream)
    return maps


def printed_numbers(pdf: OpenPdf) -> list[PrintedNumber]:
    """Every shown string that is a number (digits with at most one '.', ',' or '-' inside)."""
    found = []
    for page_no, page in enumerate(_page_objects(pdf), start=1):
        maps = _fonts_of(pdf, page)
        for content in (int(n) for n in re.findall(REFERENCE % rb"/Contents", pdf.objects[page].head)):
            stream, font = pdf.objects[content].stream, None
            for match in TEXT_SHOW.finditer(stream):
                if match.group(1):
                    font = match.group(1).decode()
                    continue
                table = maps.get(font, {})
                for string in STRING.finditer(stream, match.start(2), match.end(2)):
                    codes = string_bytes(string.group())
                    text = "".join(table.get(code, "\0") for code in codes)
                    if re.fullmatch(r"\d+([.,-]\d+)?\s*%?", text.strip()):
                        found.append(PrintedNumber(page_no, content, string.start(), string.end(), font,
                                                   codes, text))
    return found


def change_digit(pdf: OpenPdf, number: PrintedNumber, rng: random.Random) -> tuple[bytes, str] | None:
    """The PDF with one digit of `number` drawn as another digit of the same font; None if the font
    holds no other digit."""
    page = _page_objects(pdf)[number.page - 1]
    table = _fonts_of(pdf, page)[number.font]
    digit_codes = {text: code for code, text in table.items() if text.isdigit() and len(text) == 1}
    positions = [i for i, code in enumerate(number.codes) if table.get(code, "").isdigit()]
    old_position = rng.choice(positions)
    old = table[number.codes[old_position]]
    others = sorted(d for d in digit_codes if d != old)
    if not others:
        return None
    new = rng.choice(others)
    codes = bytearray(number.codes)
    codes[old_position] = digit_codes[new]
    changed = pdf.copy()
    stream = changed.objects[number.content].stream
    changed.objects[number.content].stream = stream[:number.start] + b"<" + bytes(codes).hex().encode() + b">" + \
        stream[number.end:]
    text = number.text[:old_position] + new + number.text[old_position + 1:]
    return changed.write(), f"page {number.page}: {number.text.strip()} → {text.strip()}"
