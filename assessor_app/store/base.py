"""Opening the local database and the transaction helper every write goes through."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any, Iterator

from ..errors import StoreError
from ..i18n import _
from .migrations import migrate

DB_NAME = "assessor.db"


def now() -> str:
    """UTC time as stored everywhere: ``2026-11-27T21:15:00.123Z``."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def dumps(value: Any) -> str:
    """Compact JSON with sorted keys (one encoder made once: ``json.dumps`` with options
    builds a new encoder on every call, on every autosave)."""
    return _JSON.encode(value)


def loads(text: str | None, default: Any = None) -> Any:
    return default if text in (None, "") else json.loads(text)


PLAIN_HEADER = b"SQLite format 3\x00"


def _db_errors() -> tuple:
    """The database errors of sqlite3 and, once an encrypted folder was opened, of SQLCipher
    (imported only then: plain folders never load it)."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.DatabaseError,) + ((cipher.DatabaseError,) if cipher else ())


def _operational_errors() -> tuple:
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.OperationalError,) + ((cipher.OperationalError,) if cipher else ())


def is_plain_database(path: Path) -> bool:
    """True when ``path`` is an unencrypted SQLite file (its header is readable)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == PLAIN_HEADER
    except OSError:
        return False


def connect(path: Path, key=None):
    """A connection with the house pragmas: WAL, synchronous=FULL (a commit survives power
    loss), foreign keys on, 10 s busy timeout. ``key`` (a vault.DataKey) opens it with SQLCipher."""
    if key is None:
        conn = sqlite3.connect(str(path), timeout=10, check_same_thread=True)
    else:
        try:
            import sqlcipher3
        except ImportError:  # pragma: no cover - the dependency is declared; a stripped install
            raise StoreError(_("this installation cannot open encrypted data folders (the "
                               "sqlcipher3 package is missing)")) from None
        conn = sqlcipher3.connect(str(path), timeout=10, check_same_thread=True)
        conn.execute(key.sqlcipher_pragma())
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fails on a wrong key
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def open_database(path: Path, key=None):
    """Open (creating or migrating) the database at ``path`` (see :func:`connect`); a new file
    is made readable by its owner only."""
    if not path.exists():     # this account only (issue 15); SQLite gives -wal/-shm the same mode
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    try:
        conn = connect(path, key)
        migrate(conn, path, key=key)
        return conn
    except _db_errors() as exc:
        if key is not None and "not a database" in str(exc):
            raise StoreError(_("cannot open the encrypted database {path}: the key does not fit "
                               "(wrong key file) or the file is damaged; restore a backup").format(
                path=path)) from None
        raise StoreError(_("cannot open the database {path}: {error}. If the file is damaged, "
                           "restore a backup copy (files named {name}.before-*.bak).").format(
            path=path, error=exc, name=path.name)) from None


def write_failure(exc: BaseException) -> StoreError:
    """One line for a write the database refused (full or read-only disk, I/O error)."""
    text = str(exc).lower()
    if "full" in text:
        return StoreError(_("the disk is full: the change was not saved; free some space and try "
                            "again"))
    if "readonly" in text or "read-only" in text:
        return StoreError(_("the data folder is read-only: the change was not saved"))
    return StoreError(_("the change was not saved: {error}").format(error=exc))


def _folder_key(data_dir: Path):
    """The unlocked key of an encrypted folder (None for a plain one: one stat, no import);
    raises Locked when it is encrypted and locked."""
    if not (data_dir / "key.json").is_file():
        return None
    from .. import vault
    key = vault.key_for(data_dir)
    if key is None:
        vault.unlock(data_dir, None)  # the keyring, if the folder uses it; else Locked
        key = vault.key_for(data_dir)
    return key


class StoreBase:
    """Owns the connection. One store per thread: a connection is never shared between threads."""

    def __init__(self, data_dir: str | Path, actor: str = "system", key=None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DB_NAME
        self.evidence_dir = self.data_dir / "evidence"
        self.actor = actor
        self.key = key if key is not None else _folder_key(self.data_dir)
        if self.key is not None and self.path.exists() and is_plain_database(self.path):
            from .sealing import finish_database  # an interrupted `assessor encrypt`
            finish_database(self.path, self.key)
        self.conn = open_database(self.path, self.key)
        self._db = None
        self._thread = threading.get_ident()
        self._templates: dict[str, Any] = {}
        self._cache_writable = True

    @property
    def db(self):
        """The sqlite-utils ``Database`` over the same connection, made on first use (importing
        sqlite-utils costs more than a whole ``assessor assessments list``)."""
        if self._db is None:
            from sqlite_utils import Database
            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``: the write lock is taken up front, so a read followed
        by a write inside never fails half-way; on any exception everything is rolled back."""
        if threading.get_ident() != self._thread:
            raise StoreError(_("an AssessmentStore was used from a thread other than its own"))
        errors = _db_errors()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except errors as exc:
            raise write_failure(exc) from None
        try:
            yield self.conn
        except errors as exc:
            with contextlib.suppress(*errors):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, _operational_errors()):
                raise write_failure(exc) from None
            raise
        except BaseException:
            with contextlib.suppress(*errors):
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except errors as exc:
            with contextlib.suppress(*errors):
                self.conn.execute("ROLLBACK")
            raise write_failure(exc) from None

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE "
                      "SET value=excluded.value", (key, dumps(value)))
