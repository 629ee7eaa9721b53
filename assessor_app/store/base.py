"""Opening the local database and the transaction helper every write goes through."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
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


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def loads(text: str | None, default: Any = None) -> Any:
    return default if text in (None, "") else json.loads(text)


def open_database(path: Path) -> sqlite3.Connection:
    """Open (creating or migrating) the database at ``path`` with the house pragmas:
    WAL, synchronous=FULL (a commit survives power loss), foreign keys on, 10 s busy timeout."""
    try:
        conn = sqlite3.connect(str(path), timeout=10, check_same_thread=True)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn, path)
        return conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(_("cannot open the database {path}: {error}. If the file is damaged, "
                           "restore a backup copy (files named {name}.before-*.bak).").format(
            path=path, error=exc, name=path.name)) from None


class StoreBase:
    """Owns the connection. One store per thread: a connection is never shared between threads."""

    def __init__(self, data_dir: str | Path, actor: str = "system"):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DB_NAME
        self.evidence_dir = self.data_dir / "evidence"
        self.actor = actor
        self.conn = open_database(self.path)
        self._db = None
        self._thread = threading.get_ident()
        self._templates: dict[str, Any] = {}

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
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE "
                      "SET value=excluded.value", (key, dumps(value)))
