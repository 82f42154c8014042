"""Row-level helpers shared by the loaders: evaluations, documents, totals and load errors.

Writers take the database one at a time: the file is in WAL mode (readers keep a consistent
snapshot while a writer commits, so `kompass serve` never sees half a document), and every write
transaction starts with BEGIN IMMEDIATE, waiting at most `busy_timeout` for another writer's
transaction to end. A writer that waits longer gets DatabaseBusy, a one-line error.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import time
from pathlib import Path
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from db.views import precedence_sql
from extractors.frameworks import generation_by_year
from kompass.errors import KompassError

# Tables whose rows all come from one document (deleted when the document is replaced).
DOCUMENT_TABLES = ("sentences", "good_examples", "findings", "number_status", "question_scores", "evaluators",
                   "area_scores", "evaluation_sources", "checks", "warnings")


WRITE_WAIT_S = 60.0  # how long a writer waits for another writer's transaction before giving up


class InvalidExtract(KompassError):
    """An extract that cannot be loaded as it stands (a required field missing or out of range)."""


class DatabaseBusy(KompassError):
    """Another writer held the database longer than this writer may wait."""


def is_lock_error(error: BaseException) -> bool:
    """SQLite's "database is locked" / "database is busy": another connection holds the lock."""
    return isinstance(error, sqlite3.OperationalError) and any(
        word in str(error) for word in ("database is locked", "database is busy", "database table is locked"))


class DiskFull(KompassError):
    """The disk holding the database has no room left: nothing more can be written until some is freed."""


def no_room(folder: str | Path) -> bool:
    """Whether the file system holding `folder` has no block left for this user."""
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < 64 * 1024


def is_disk_full(error: BaseException, where: str | Path | None = None) -> bool:
    """SQLite's "database or disk is full", ENOSPC/EFBIG, or an I/O error where the disk has no room left."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    text = str(error)
    if "database or disk is full" in text:
        return True
    return "disk I/O error" in text and where is not None and no_room(where)


def disk_full(db_path: str | Path, error: BaseException) -> DiskFull:
    folder = Path(db_path).parent
    return DiskFull(f"the disk holding {db_path} is full ({' '.join(str(error).split())}); free space on "
                    f"{folder} and run again")


def database_file(db: sqlite_utils.Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else "the database"


def wait_seconds(db: sqlite_utils.Database) -> float:
    return db.execute("PRAGMA busy_timeout").fetchone()[0] / 1000


def busy_error(db: sqlite_utils.Database) -> DatabaseBusy:
    return DatabaseBusy(f"{database_file(db)} is locked by another writer (waited {wait_seconds(db):g} s); "
                        "run again when it has finished")


def prepare_writer(db: sqlite_utils.Database, wait_s: float = WRITE_WAIT_S) -> None:
    """A bounded wait for the write lock, and the WAL journal (kept in the file once set).

    Switching a file to WAL needs it to itself, and SQLite answers "locked" at once, without waiting,
    when another process is at it too (two loads creating one new file): retried until `wait_s`.
    """
    db.execute(f"PRAGMA busy_timeout = {max(0, int(wait_s * 1000))}")
    deadline = time.monotonic() + wait_s
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if is_lock_error(error) and time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            if is_lock_error(error):
                raise busy_error(db) from None
            if "readonly" in str(error):  # a read-only file stays as it is; nothing will be written
                return
            raise


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One transaction holding the write lock from its start (BEGIN IMMEDIATE); nested ones are savepoints.

    Taking the lock up front means the wait is SQLite's busy_timeout, never an immediate
    "database is locked" when a read turns into a write after another writer committed.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if is_lock_error(error):
            raise busy_error(db) from None
        raise
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException as error:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if is_lock_error(error):
            raise busy_error(db) from None
        raise


def evaluation_id(kommunkod: str | None, kommun: str, year: int) -> str:
    """Stable key of an evaluation: `1982-2009` (kommunkod-year), or `Name-2009` for places without a code."""
    return f"{kommunkod or kommun}-{int(year)}"


def ensure_evaluation(db: sqlite_utils.Database, *, kommunkod: str | None, kommun: str, year: int,
                      framework: str | None = None) -> str:
    """The evaluation's id, inserting a bare row when no source has named it before."""
    key = evaluation_id(kommunkod, kommun, year)
    db["evaluations"].insert(
        {"id": key, "kommunkod": kommunkod, "kommun": kommun, "year": int(year),
         "framework": framework or generation_by_year(year)},
        pk="id", ignore=True)
    return key


def is_loaded(db: sqlite_utils.Database, sha256: str, extractor_version: str) -> bool:
    """True when this document was loaded by this extractor version (loading again changes nothing)."""
    return db.execute(
        "SELECT 1 FROM documents WHERE sha256 = ? AND extractor_version = ?", [sha256, str(extractor_version)]
    ).fetchone() is not None


def forget_document(db: sqlite_utils.Database, sha256: str) -> set[str]:
    """Delete every row a document gave; returns the evaluations it touched."""
    touched = {row[0] for row in db.execute(
        "SELECT evaluation FROM evaluation_sources WHERE document = ? UNION "
        "SELECT id FROM evaluations WHERE document = ?", [sha256, sha256])}
    for table in [t for t in DOCUMENT_TABLES if db[t].exists()]:  # number_status: from migration 11
        db.execute(f"DELETE FROM [{table}] WHERE document = ?", [sha256])
    db.execute("UPDATE evaluations SET document = NULL, start_date = NULL, end_date = NULL WHERE document = ?",
               [sha256])
    db.execute("DELETE FROM documents WHERE sha256 = ?", [sha256])
    return touched


def drop_orphan_evaluations(db: sqlite_utils.Database, ids: set[str]) -> None:
    """Remove evaluations among `ids` that no source mentions any longer."""
    for key in ids:
        db.execute("DELETE FROM evaluations WHERE id = ? AND NOT EXISTS "
                   "(SELECT 1 FROM evaluation_sources WHERE evaluation = ?) AND document IS NULL", [key, key])


def refresh_totals(db: sqlite_utils.Database, ids: set[str]) -> None:
    """Set each evaluation's total from its most trusted source that states one."""
    sql = f"""UPDATE evaluations SET (total, median_total, total_source) = (
        SELECT s.total, s.median_total, s.source FROM evaluation_sources s
        WHERE s.evaluation = evaluations.id AND s.total IS NOT NULL
        ORDER BY {precedence_sql('s.source')}, s.provenance LIMIT 1)
      WHERE id = ?"""
    for key in sorted(ids):
        db.execute(sql, [key])


def record_load_error(db: sqlite_utils.Database, filename: str, sha256: str | None, message: str) -> None:
    """Remember that a document failed to load (one row per file and content; attempts counted)."""
    from kompass.inputs import shown

    filename, message = shown(filename), shown(message)
    key = [filename, sha256 or ""]
    with write_transaction(db):
        row = db.execute("SELECT attempts FROM load_errors WHERE filename = ? AND sha256 = ?", key).fetchone()
        attempts = (row[0] if row else 0) + 1
        db["load_errors"].upsert({"filename": filename, "sha256": sha256 or "", "message": message,
                                  "attempts": attempts}, pk=("filename", "sha256"))


def record_not_loaded(db: sqlite_utils.Database, filenames: list[str], reason: str) -> None:
    """List files a run did not reach as not loaded, with why (no sha256: their content was not judged)."""
    with write_transaction(db):
        for filename in filenames:
            record_load_error(db, filename, None, f"{filename}: not loaded: {reason}")  # names shown safely there


def clear_load_errors(db: sqlite_utils.Database, sha256: str, filename: str) -> None:
    """Forget earlier failures of this content or of a file by this name (it loads now)."""
    from kompass.inputs import shown

    filename = shown(filename)
    db.execute("DELETE FROM load_errors WHERE sha256 = ? OR filename = ?", [sha256, filename])
