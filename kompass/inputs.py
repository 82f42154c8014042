"""Input files a user names: only regular files of a bounded size are read, and hashing streams.

A FIFO blocks whoever opens it, a device never ends, a directory cannot be read, and a sparse
file can claim gigabytes: each gets a one-line error before any reader opens it. The file is
opened without blocking (O_NONBLOCK) and judged by fstat of that very descriptor, so a path that
is swapped for a FIFO after a check cannot stall the reader either.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from kompass.errors import KompassError

MAX_INPUT_BYTES = 256 * 1024 * 1024  # far above any real report (the bundled one is 1.2 MB)
CHUNK = 1 << 20


class UnreadableInput(KompassError):
    """The path is unreadable, not a regular file, or too large to be a report."""


class InputMissing(UnreadableInput):
    """No file at the path (nothing to record about it)."""


def shown(text: str) -> str:
    """A file name (or a message holding one) as text any terminal, log or database takes: bytes of a name
    that are not UTF-8 (Python keeps them as lone surrogates) become `\\xNN`, the rest is unchanged."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
            .encode("utf-8", "backslashreplace").decode("utf-8")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB" if size < 1024 ** 3 else f"{size / 1024 ** 3:,.1f} GB"


def open_input(path: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> int:
    """An open descriptor of a regular file of at most `max_bytes`; UnreadableInput otherwise."""
    path = Path(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise UnreadableInput(f"{path.name}: is a directory, not a PDF file; skipped") from None
    except FileNotFoundError:
        raise InputMissing(f"{path.name}: no such file ({path})") from None
    except OSError as error:
        raise UnreadableInput(f"{path.name}: cannot be read ({error.strerror or error})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableInput(f"{path.name}: is {_kind(info.st_mode)}, not a PDF file; skipped")
        if info.st_size > max_bytes:
            raise UnreadableInput(f"{path.name}: {_megabytes(info.st_size)} is over the "
                                  f"{_megabytes(max_bytes)} limit for one report; skipped")
        os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def check_input(path: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> None:
    """Raise UnreadableInput unless `path` is a regular file a reader may open."""
    os.close(open_input(path, max_bytes))


def sha256_of_input(path: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """The file's sha256, read in 1 MB blocks (never the whole file in memory)."""
    digest = hashlib.sha256()
    with os.fdopen(open_input(path, max_bytes), "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()
