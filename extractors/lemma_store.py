"""spaCy's Swedish lemma lookup table as a small SQLite file, built once and then read word by word.

Parsing `sv_lemma_lookup.json.gz` (660,000 forms) costs about 0.6 s in every process that lemmatises;
a prebuilt, indexed copy in the user's cache costs nothing to open, and a report asks it only for the
few thousand words it holds. The copy is keyed by the table's file (path, size, modification time),
written to a temporary name and renamed into place, so concurrent first runs never see half a file.
When no cache folder is writable, the table is read into an in-memory database instead.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

SCHEMA = ("CREATE TABLE forms (form TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID;"
          "CREATE TABLE known (lemma TEXT PRIMARY KEY) WITHOUT ROWID;")


def cache_dir() -> Path:
    """KOMPASS_CACHE_DIR, else $XDG_CACHE_HOME/kommunkompassen, else ~/.cache/kommunkompassen."""
    explicit = os.environ.get("KOMPASS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kommunkompassen"


def source_table() -> Path:
    """The lookup table shipped by the spacy-lookups-data package (found without importing spaCy)."""
    import importlib.util

    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("spacy-lookups-data is not installed (pip install spacy-lookups-data)")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "sv_lemma_lookup.json.gz"


def _cache_name(source: Path) -> str:
    stat = source.stat()
    key = hashlib.sha256(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|1".encode()).hexdigest()[:16]
    return f"sv-lemmas-{key}.sqlite"


def _read_source(source: Path) -> dict[str, str]:
    import gzip
    import json

    with gzip.open(source, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _fill(conn: sqlite3.Connection, table: dict[str, str]) -> None:
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO forms VALUES (?, ?)", table.items())
    conn.executemany("INSERT OR IGNORE INTO known VALUES (?)", ((lemma,) for lemma in set(table.values())))
    conn.commit()


def build_cache(source: Path, target: Path) -> Path:
    """Write the SQLite copy of `source` at `target` (atomically); returns `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    os.close(handle)
    os.chmod(temporary, 0o644)
    try:
        conn = sqlite3.connect(temporary)
        try:
            _fill(conn, _read_source(source))
        finally:
            conn.close()
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


class LemmaStore:
    """Read-only lookups in the lemma table: `store.get(form)`, `form in store`, `store.is_lemma(word)`.

    One connection per process (a connection never crosses a fork), opened on first use.
    """

    def __init__(self, source: Path | None = None, folder: Path | None = None):
        self._source = source
        self._folder = folder
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        source = self._source or source_table()
        target = (self._folder or cache_dir()) / _cache_name(source)
        try:
            if not target.exists():
                build_cache(source, target)
            return sqlite3.connect(f"file:{target}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        except OSError:  # no writable cache folder: the same lookups from memory
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(conn, _read_source(source))
            return conn

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            with self._lock:
                if self._conn is None or self._pid != os.getpid():
                    self._conn, self._pid = self._connect(), os.getpid()
        return self._conn

    def get(self, form: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT lemma FROM forms WHERE form = ?", (form,)).fetchone()
        return row[0] if row else default

    def __contains__(self, form: object) -> bool:
        return isinstance(form, str) and self.get(form) is not None

    def __getitem__(self, form: str) -> str:
        lemma = self.get(form)
        if lemma is None:
            raise KeyError(form)
        return lemma

    def is_lemma(self, word: str) -> bool:
        """Is `word` the lemma of some form in the table?"""
        return self.conn.execute("SELECT 1 FROM known WHERE lemma = ?", (word,)).fetchone() is not None

    def first_form(self, forms: Iterable[str]) -> tuple[str, str] | None:
        """The first of `forms` (in the given order) that the table knows, with its lemma."""
        forms = list(forms)
        if not forms:
            return None
        marks = ", ".join("?" * len(forms))
        found = dict(self.conn.execute(f"SELECT form, lemma FROM forms WHERE form IN ({marks})", forms).fetchall())
        return next(((form, found[form]) for form in forms if form in found), None)

    def known_lemmas(self, words: Iterable[str]) -> set[str]:
        """Which of `words` are lemmas in the table."""
        words = list(dict.fromkeys(words))
        if not words:
            return set()
        marks = ", ".join("?" * len(words))
        return {row[0] for row in self.conn.execute(f"SELECT lemma FROM known WHERE lemma IN ({marks})", words)}
