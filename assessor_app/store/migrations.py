"""The numbered migration chain of the local database.

Each migration is a small function ``_vN(db)`` that converts schema version N-1 into N; the
version lives in ``PRAGMA user_version``. Before any migration runs on an existing database, a
consistent copy is written beside it (``assessor.db.before-vN-<timestamp>.bak``) with SQLite's
online backup API. Databases made by each released schema are kept in tests/fixtures.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:     # imported when a migration runs: opening a current database does not
    from sqlite_utils import Database     # need sqlite-utils (start-up time of every command)


def _v1(db: Database) -> None:
    """Create the first schema: templates, assessments, answers, findings, evidence, signatures,
    the hash-chained history and settings."""
    db["template_snapshots"].create({"hash": str, "body": str}, pk="hash")
    db["templates"].create({
        "id": str, "version": str, "hash": str, "title_id": str, "title_en": str,
        "imported_at": str, "source": str}, pk=("id", "version"),
        foreign_keys=[("hash", "template_snapshots", "hash")])
    db["assessments"].create({
        "uuid": str, "template_id": str, "template_version": str, "template_hash": str,
        "status": str, "agency": str, "unit": str, "address": str, "unit_extra": str,
        "visit_dates": str, "inspectors": str, "samples": str, "notes": str,
        "created_at": str, "updated_at": str, "created_by": str,
        "score": float, "grade": str, "zone": str, "answered": int, "total_items": int,
        "required_missing": int, "score_dirty": int,
        "history_seq": int, "history_head": str, "server_rev": int, "sync_state": str},
        pk="uuid", foreign_keys=[("template_hash", "template_snapshots", "hash")],
        not_null={"template_id", "template_version", "template_hash", "status"},
        defaults={"score_dirty": 1, "history_seq": 0, "history_head": "", "server_rev": 0,
                  "sync_state": "local", "notes": ""})
    db["assessments"].create_index(["status"])
    db["assessments"].create_index(["updated_at"])
    db["answers"].create({
        "assessment": str, "item_id": str, "sample": int, "value": str, "note": str,
        "updated_at": str}, pk=("assessment", "item_id", "sample"),
        foreign_keys=[("assessment", "assessments", "uuid")], defaults={"note": ""})
    db["findings"].create({
        "uuid": str, "assessment": str, "item_id": str, "sample": int, "text": str,
        "action": str, "responsible": str, "due_date": str, "status": str,
        "created_at": str, "updated_at": str}, pk="uuid",
        foreign_keys=[("assessment", "assessments", "uuid")])
    db["findings"].create_index(["assessment"])
    db["evidence"].create({
        "sha256": str, "kind": str, "mime": str, "width": int, "height": int, "size": int,
        "taken_at": str, "gps_lat": float, "gps_lon": float, "original_name": str,
        "imported_at": str}, pk="sha256")
    db["evidence_links"].create({
        "id": int, "assessment": str, "item_id": str, "sample": int, "sha256": str,
        "caption": str, "created_at": str}, pk="id",
        foreign_keys=[("assessment", "assessments", "uuid"), ("sha256", "evidence", "sha256")])
    db["evidence_links"].create_index(["assessment"])
    db["signatures"].create({
        "assessment": str, "role": str, "name": str, "title": str, "signed_at": str,
        "sha256": str}, pk=("assessment", "role"),
        foreign_keys=[("assessment", "assessments", "uuid"), ("sha256", "evidence", "sha256")])
    db["history"].create({
        "assessment": str, "seq": int, "at": str, "actor": str, "action": str, "target": str,
        "old": str, "new": str, "prev": str, "hash": str}, pk=("assessment", "seq"))
    db["settings"].create({"key": str, "value": str}, pk="key")


def _v2(db: Database) -> None:
    """Add sync state: per-assessment push state (server revision, revision being sent with its
    exact document, history head at the last confirmed sync, flags), review comments and
    assignments pulled from the server. Additive: no existing table changes."""
    db["sync_items"].create({
        "uuid": str, "server_rev": int, "sent_rev": int, "remote_rev": int, "synced_head": str,
        "pending_rev": int, "pending_base": int, "pending_doc": str, "pending_head": str,
        "server_status": str, "flags": str, "conflicts": str, "error": str, "updated_at": str},
        pk="uuid", defaults={"server_rev": 0, "sent_rev": 0, "remote_rev": 0, "flags": "[]"})
    db["sync_comments"].create({
        "uuid": str, "assessment": str, "author": str, "kind": str, "text": str, "at": str},
        pk="uuid")
    db["sync_comments"].create_index(["assessment"])
    db["sync_assignments"].create({
        "id": str, "unit": str, "template_id": str, "template_version": str, "due_date": str,
        "inspector": str, "received_at": str}, pk="id")


def _v4(db: Database) -> None:
    """Add ``assessments.samples_absent``: per sample group, the reasons of the samples marked
    "not interviewed / not available" (they sit at the end of the group and leave the averages).
    Existing assessments get ``{}`` (every sample counted)."""
    db.conn.execute("ALTER TABLE assessments ADD COLUMN samples_absent TEXT NOT NULL DEFAULT '{}'")


def _v5(db: Database) -> None:
    """Add the supervisor's desk: signed report files kept with their assessment
    (``signed_reports``), comments and decisions waiting to be sent (``review_outbox``), the
    team's work pulled for review (``team_copies``: which assessments are a team member's, not
    this laptop's own), and the item/sample a review comment is anchored to. Additive."""
    db["signed_reports"].create({
        "assessment": str, "kind": str, "sha256": str, "size": int, "made_at": str, "by": str},
        pk=("assessment", "kind"))
    db["review_outbox"].create({
        "uuid": str, "assessment": str, "kind": str, "item": str, "sample": int, "text": str,
        "rev": int, "pdf_sha": str, "created_at": str, "state": str, "error": str,
        "sent_at": str}, pk="uuid", defaults={"state": "queued"})
    db["review_outbox"].create_index(["assessment"])
    db["team_copies"].create({
        "uuid": str, "owner": str, "server_rev": int, "status": str, "content_hash": str,
        "flags": str, "received_at": str, "submitted_at": str}, pk="uuid")
    db["sync_comments"].add_column("item", str)
    db["sync_comments"].add_column("sample", int)


def _v6(db: Database) -> None:
    """Record which imported assessments carry a status or signatures that nothing vouches for
    (an exchange file can be edited by hand): one row per such assessment, with the source file,
    the claimed status and the signature roles. Additive: no existing table changes."""
    db["unverified_imports"].create({
        "assessment": str, "source": str, "status": str, "signatures": str, "at": str},
        pk="assessment")


def _v8(db: Database) -> None:
    """Add the office register pulled by sync: rounds, and the governments of this device's team
    with their units (as JSON). Additive: no existing table changes (issue 10)."""
    db["register_rounds"].create({
        "id": str, "name": str, "template_id": str, "template_version": str, "state": str,
        "received_at": str}, pk="id")
    db["register_governments"].create({
        "id": str, "name": str, "category": str, "province": str, "team": str, "units": str,
        "received_at": str}, pk="id")


def _v9(db: Database) -> None:
    """Add the organisation's library of findings and corrective actions (both languages),
    reused across templates by the template editor. Additive."""
    db["finding_library"].create({
        "key": str, "finding_id": str, "finding_en": str, "action_id": str, "action_en": str,
        "updated_at": str}, pk="key")


def _v10(db: Database) -> None:
    """Add the corrective-action register pulled by sync (change kind ``action``) and the
    per-round settings of the compliance variable. Additive (issue 11)."""
    db["actions"].create({
        "uuid": str, "unit": str, "government": str, "state": str, "due_date": str,
        "data": str, "received_at": str}, pk="uuid")
    db["actions"].create_index(["unit"])
    db["action_settings"].create({"round_id": str, "data": str}, pk="round_id")


MIGRATIONS: list[tuple[int, Callable[[Database], None]]] = [(1, _v1), (2, _v2), (4, _v4), (5, _v5),
                                                        (6, _v6), (8, _v8), (9, _v9), (10, _v10)]
LATEST = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def backup(conn: sqlite3.Connection, path: Path, version: int, key=None) -> Path:
    """A consistent copy beside ``path``; encrypted with the same key when ``key`` is given."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.before-v{version}-{stamp}.bak")
    if key is not None:
        import sqlcipher3
        dest = sqlcipher3.connect(str(target))
        dest.execute(key.sqlcipher_pragma())
    else:
        dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def migrate(db, path: Path | None, key=None) -> list[int]:
    """Bring ``db`` (a sqlite-utils Database or a connection, sqlite3 or SQLCipher) to the latest
    schema; returns the versions applied. ``key`` encrypts the backup copy like the database.

    Each step runs in its own transaction together with the ``user_version`` bump, so a crash
    mid-way leaves the previous version intact.
    """
    is_database = hasattr(db, "table_names")          # sqlite-utils, else a DB-API connection
    conn = db.conn if is_database else db
    current = schema_version(conn)
    if current > LATEST:
        from ..errors import StoreError
        raise StoreError(f"this database was written by a newer Assessor (schema {current}, this "
                         f"program knows up to {LATEST}); update the program")
    pending = [(n, fn) for n, fn in MIGRATIONS if n > current]
    if pending and not is_database:
        from sqlite_utils import Database
        db = Database(conn, execute_plugins=False)
    if pending and current > 0 and path is not None:
        backup(conn, path, current, key)
    applied = []
    for number, fn in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            fn(db)
            conn.execute(f"PRAGMA user_version = {int(number)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied
