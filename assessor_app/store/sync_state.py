"""Sync state in the local store: what was sent, what the server confirmed, what it sent back.

Push bookkeeping per assessment (table ``sync_items``): ``server_rev`` is the last revision this
laptop pushed and the server confirmed (the base of the next push); ``pending_*`` is a revision
being sent, kept with its exact document so a retry after a lost answer sends identical bytes
(the server then returns its stored answer instead of storing a copy); ``synced_head`` is the
history head at the last confirmation, so "anything new?" is one indexed comparison.

Pull: :meth:`apply_changes` applies a page of server changes and the new cursor in one
transaction (guarantee 4). Settings keys: ``sync.server``, ``sync.token``, ``sync.device_id``,
``sync.user``, ``sync.role``, ``sync.cursor``, ``sync.epoch``, ``sync.last_ok``,
``sync.last_error``, ``sync.push_drafts``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from ..errors import TemplateInvalid
from ..fileio import atomic_write
from ..templates.loader import build_template, canonical_json
from .base import dumps, loads, now
from .records import TRANSITIONS

PUSHABLE = ("completed", "submitted")
DRAFTS = ("draft", "returned")


class SyncStateMixin:
    # ------------------------------------------------------------------ settings
    def sync_settings(self) -> dict[str, Any]:
        rows = self.conn.execute("SELECT key, value FROM settings WHERE key LIKE 'sync.%'").fetchall()
        return {k[5:]: loads(v) for k, v in rows}

    def _set(self, c, key: str, value: Any) -> None:
        c.execute("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE "
                  "SET value=excluded.value", (f"sync.{key}", dumps(value)))

    def save_enrolment(self, server: str, answer: dict) -> bool:
        """Keep a new enrolment. With another server (another address, or the same address
        with another epoch: reinstalled or restored) nothing this laptop sent before is known
        there: the sync state is reset so everything is pulled and sent again (the server's
        push is idempotent). Enrolling again with the same server keeps the sync state.
        Returns True when an earlier server's sync state was reset."""
        old = self.sync_settings()
        same = (old.get("server") or "").rstrip("/") == server.rstrip("/") \
            and old.get("epoch") == answer.get("epoch")
        with self.transaction() as c:
            for key in ("device_id", "token", "user", "role"):
                self._set(c, key, answer[key])
            self._set(c, "server", server)
            if not same:
                self._reset_sync_state(c)
            self._set(c, "epoch", answer.get("epoch"))
            if answer.get("certificate"):
                self._set(c, "certificate", answer["certificate"])
        return bool(old.get("server")) and not same

    def record_sync_result(self, ok: bool, message: str = "") -> None:
        with self.transaction() as c:
            if ok:
                self._set(c, "last_ok", now())
                self._set(c, "last_error", "")
            else:
                self._set(c, "last_error", message)
                self._set(c, "last_error_at", now())

    # ------------------------------------------------------------------ push bookkeeping
    def push_candidates(self, include_drafts: bool = False) -> list[str]:
        """Assessments with something the server has not confirmed (oldest change first)."""
        statuses = PUSHABLE + (DRAFTS if include_drafts else ())
        marks = ",".join("?" * len(statuses))
        rows = self.conn.execute(
            "SELECT a.uuid FROM assessments a LEFT JOIN sync_items s ON s.uuid = a.uuid "
            f"WHERE ((a.status IN ({marks}) AND (s.synced_head IS NULL OR s.synced_head != a.history_head)"
            "       AND coalesce(s.error, '') NOT LIKE 'locked:%')"
            "   OR s.pending_doc IS NOT NULL) AND a.uuid NOT IN (SELECT uuid FROM team_copies)"
            " ORDER BY a.updated_at", statuses).fetchall()
        return [r[0] for r in rows]

    def needs_push(self, uuid: str, include_drafts: bool = False) -> bool:
        statuses = PUSHABLE + (DRAFTS if include_drafts else ())
        row = self.conn.execute(
            "SELECT a.status, a.history_head, s.synced_head FROM assessments a LEFT JOIN "
            "sync_items s ON s.uuid = a.uuid WHERE a.uuid=?", (uuid,)).fetchone()
        return (bool(row) and row[0] in statuses and row[1] != row[2]
                and not self.is_team_copy(uuid))

    def sync_item(self, uuid: str) -> dict:
        row = self.db.execute("SELECT * FROM sync_items WHERE uuid=?", [uuid]).fetchone()
        if row is None:
            return {"uuid": uuid, "server_rev": 0, "sent_rev": 0, "remote_rev": 0, "flags": [],
                    "conflicts": [], "pending_doc": None, "synced_head": None, "error": None,
                    "server_status": None}
        cols = [d[0] for d in self.db.execute("SELECT * FROM sync_items LIMIT 0").description]
        item = dict(zip(cols, row))
        item["flags"] = loads(item["flags"], [])
        item["conflicts"] = loads(item["conflicts"], [])
        return item

    def _ensure_item(self, c, uuid: str) -> None:
        c.execute("INSERT OR IGNORE INTO sync_items(uuid, updated_at) VALUES(?, ?)", (uuid, now()))

    def begin_push(self, uuid: str, doc_text: str, head: str) -> tuple[int, int]:
        """Keep ``doc_text`` as the revision being sent; returns ``(rev, base_rev)``."""
        with self.transaction() as c:
            self._ensure_item(c, uuid)
            server_rev, sent_rev, remote_rev = c.execute(
                "SELECT server_rev, sent_rev, remote_rev FROM sync_items WHERE uuid=?", (uuid,)).fetchone()
            rev = max(server_rev, sent_rev, remote_rev) + 1
            c.execute("UPDATE sync_items SET pending_rev=?, pending_base=?, pending_doc=?, "
                      "pending_head=?, sent_rev=?, error=NULL, updated_at=? WHERE uuid=?",
                      (rev, server_rev, doc_text, head, rev, now(), uuid))
            c.execute("UPDATE assessments SET sync_state='sending' WHERE uuid=?", (uuid,))
        return rev, server_rev

    def renumber_push(self, uuid: str, current_rev: int) -> int:
        """The server holds other content under our number: send as ``current_rev + 1``."""
        with self.transaction() as c:
            rev = max(current_rev, c.execute("SELECT sent_rev FROM sync_items WHERE uuid=?",
                                             (uuid,)).fetchone()[0]) + 1
            c.execute("UPDATE sync_items SET pending_rev=?, sent_rev=?, remote_rev=max(remote_rev, ?) "
                      "WHERE uuid=?", (rev, rev, current_rev, uuid))
        return rev

    def confirm_push(self, uuid: str, answer: dict) -> None:
        """The server stored the pending revision (``answer`` from the server): record it, and
        move a completed assessment to submitted, in one transaction."""
        with self.transaction() as c:
            head_then = c.execute("SELECT pending_head FROM sync_items WHERE uuid=?",
                                  (uuid,)).fetchone()[0]
            status, seq, head, _ = self._head(c, uuid)
            synced = None
            if head == head_then:     # nothing changed here since the document was made
                if status == "completed" and answer.get("status") == "submitted":
                    c.execute("UPDATE assessments SET status='submitted' WHERE uuid=?", (uuid,))
                    self._log(c, uuid, seq + 1, head, "submit", "status", status, "submitted",
                              dirty=False)
                    head = c.execute("SELECT history_head FROM assessments WHERE uuid=?",
                                     (uuid,)).fetchone()[0]
                synced = head
            c.execute("UPDATE sync_items SET server_rev=?, remote_rev=max(remote_rev, ?), "
                      "pending_rev=NULL, pending_base=NULL, pending_doc=NULL, pending_head=NULL, "
                      "synced_head=coalesce(?, synced_head), server_status=?, flags=?, conflicts=?, "
                      "error=NULL, updated_at=? WHERE uuid=?",
                      (answer["server_rev"], answer["server_rev"], synced, answer.get("status"),
                       dumps(answer.get("flags", [])), dumps(answer.get("conflicts", [])), now(), uuid))
            c.execute("UPDATE assessments SET server_rev=?, sync_state=? WHERE uuid=?",
                      (answer["server_rev"], "synced" if synced else "changed", uuid))

    def push_failed(self, uuid: str, message: str, *, locked: bool = False,
                    drop_pending: bool = False) -> None:
        with self.transaction() as c:
            self._ensure_item(c, uuid)
            c.execute("UPDATE sync_items SET error=?, updated_at=?" +
                      (", pending_rev=NULL, pending_doc=NULL, pending_head=NULL" if drop_pending else "")
                      + " WHERE uuid=?", (("locked: " if locked else "") + message, now(), uuid))
            c.execute("UPDATE assessments SET sync_state=? WHERE uuid=?",
                      ("locked" if locked else "failed", uuid))

    def _reset_sync_state(self, c) -> None:
        """Forget everything a previous server confirmed or was sent (numbers, pending
        documents, refusals): the next sync pulls from 0 and sends every pushable assessment."""
        c.execute("UPDATE sync_items SET server_rev=0, sent_rev=0, remote_rev=0, synced_head=NULL, "
                  "pending_rev=NULL, pending_base=NULL, pending_doc=NULL, pending_head=NULL, "
                  "error=NULL, flags='[]', conflicts='[]', server_status=NULL")
        c.execute("UPDATE assessments SET server_rev=0, sync_state='local' "
                  "WHERE sync_state != 'local' OR server_rev != 0")
        self._set(c, "cursor", 0)

    def forget_server_state(self, epoch: str | None) -> None:
        """The server was restored or replaced: pull everything again, push everything again."""
        with self.transaction() as c:
            c.execute("UPDATE sync_items SET synced_head=NULL, server_rev=0")
            c.execute("UPDATE assessments SET sync_state='local' WHERE sync_state='synced'")
            self._set(c, "cursor", 0)
            self._set(c, "epoch", epoch)

    # ------------------------------------------------------------------ pull
    def apply_changes(self, changes: list[dict], next_cursor: int, epoch: str | None,
                      docs: dict | None = None) -> dict:
        """Apply one page of server changes and store ``next_cursor``, in one transaction.
        ``docs``: uuid -> ExchangeFile of team members' work fetched for this page (a
        supervisor's laptop), whose files are already here. Returns counts per kind."""
        docs = docs or {}
        templates = {}
        for ch in changes:
            if ch["kind"] == "template":
                try:
                    templates[ch["id"]] = build_template(ch["data"]["body"], f"server {ch['id']}")
                except TemplateInvalid:
                    templates[ch["id"]] = None
        counts: dict[str, int] = {}
        crl = None
        with self.transaction() as c:
            for ch in changes:
                kind, data = ch["kind"], ch["data"]
                counts[kind] = counts.get(kind, 0) + 1
                if kind == "template" and templates.get(ch["id"]) is not None:
                    self._pull_template(c, templates[ch["id"]])
                elif kind == "assignment":
                    c.execute("INSERT INTO sync_assignments(id, unit, template_id, template_version,"
                              " due_date, inspector, received_at) VALUES(?,?,?,?,?,?,?) ON CONFLICT(id)"
                              " DO UPDATE SET unit=excluded.unit, due_date=excluded.due_date",
                              (data["id"], dumps(data["unit"]), data["template_id"],
                               data["template_version"], data.get("due_date", ""),
                               data.get("inspector", ""), now()))
                elif kind == "assessment":
                    uid = data["uuid"]
                    own = c.execute("SELECT 1 FROM assessments WHERE uuid=?", (uid,)).fetchone() \
                        and not self._is_team(c, uid)
                    if uid in docs and not own:
                        self._store_team_copy(c, docs[uid], data)
                    elif self._is_team(c, uid):
                        self._update_team_status(c, data)
                    else:
                        if uid in docs:     # merged on the server from another device
                            self._adopt_document(c, docs[uid], data["rev"])
                        self._pull_assessment(c, data)
                    cs = data.get("countersigned")
                    from ..evidence.files import has_evidence
                    if cs and has_evidence(self.evidence_dir, cs["sha256"]):
                        self._put_report(c, data["uuid"], "countersigned", cs["sha256"],
                                         cs["size"], cs.get("by", ""), cs.get("at"))
                elif kind == "comment":
                    c.execute("INSERT OR IGNORE INTO sync_comments(uuid, assessment, author, kind, text,"
                              " at, item, sample) VALUES(?,?,?,?,?,?,?,?)",
                              (data["uuid"], data["assessment"], data["author"], data["kind"],
                               data["text"], data["at"], data.get("item"), data.get("sample")))
                    c.execute("UPDATE review_outbox SET state='sent', sent_at=coalesce(sent_at, ?)"
                              " WHERE uuid=?", (now(), data["uuid"]))
                elif kind == "crl":
                    crl = base64.b64decode(data["der"])
                elif kind in ("round", "government"):
                    self._apply_register_change(c, kind, data)
                    if kind == "round":
                        self._apply_round_action_settings(c, data)
                elif kind == "action":
                    self._apply_action_change(c, data)
            self._set(c, "cursor", next_cursor)
            if epoch:
                self._set(c, "epoch", epoch)
        if crl is not None:
            atomic_write(Path(self.data_dir) / "sync" / "crl.der", crl)
        return counts

    def _pull_template(self, c, template) -> None:
        row = c.execute("SELECT hash FROM templates WHERE id=? AND version=?",
                        (template.id, template.version)).fetchone()
        if row is not None:
            return   # same version already here (a different body is kept as installed)
        c.execute("INSERT OR IGNORE INTO template_snapshots(hash, body) VALUES(?, ?)",
                  (template.hash, canonical_json(template.body)))
        c.execute("INSERT INTO templates(id, version, hash, title_id, title_en, imported_at, source)"
                  " VALUES(?,?,?,?,?,?,?)", (template.id, template.version, template.hash,
                                             template.title.id, template.title.en, now(), "server"))
        self._templates[template.hash] = template

    def _pull_assessment(self, c, data: dict) -> None:
        uuid = data["uuid"]
        row = c.execute("SELECT status, history_seq, history_head FROM assessments WHERE uuid=?",
                        (uuid,)).fetchone()
        if row is None:
            return   # a team member's work (supervisor laptop): metadata only, see docs/sync.md
        self._ensure_item(c, uuid)
        if self._adopt_same_revision(c, uuid, data):
            row = c.execute("SELECT status, history_seq, history_head FROM assessments WHERE uuid=?",
                            (uuid,)).fetchone()
        c.execute("UPDATE sync_items SET server_status=?, flags=?, remote_rev=max(remote_rev, ?)"
                  " WHERE uuid=?", (data["status"], dumps(data.get("flags", [])), data["rev"], uuid))
        status, seq, head = row
        target = {"returned": "returned", "approved": "approved"}.get(data["status"])
        if target is None or status == target:
            return
        if target == "returned":   # the signed report was of the returned content: sign anew
            c.execute("DELETE FROM signed_reports WHERE assessment=?", (uuid,))
        path = [status]
        if status == "completed":     # confirmed on the server but not yet marked here
            path.append("submitted")
        path.append(target)
        for old, new in zip(path, path[1:]):
            action = TRANSITIONS.get((old, new))
            if action is None:
                return
            c.execute("UPDATE assessments SET status=? WHERE uuid=?", (new, uuid))
            change = self._log(c, uuid, seq + 1, head, action, "status", old,
                               {"status": new, "by": "server"}, dirty=False)
            seq, head = change.seq, c.execute("SELECT history_head FROM assessments WHERE uuid=?",
                                              (uuid,)).fetchone()[0]
        if target == "approved":
            c.execute("UPDATE sync_items SET synced_head=? WHERE uuid=?", (head, uuid))
            c.execute("UPDATE assessments SET sync_state='synced' WHERE uuid=?", (uuid,))

    def _adopt_same_revision(self, c, uuid: str, data: dict) -> bool:
        """A laptop restored from a backup (or one whose push answer was lost) may hold exactly
        the content the server already has under a revision it never recorded: adopt that
        revision as if the push had been confirmed, instead of sending the same content again
        as a new revision. True when adopted."""
        item = c.execute("SELECT server_rev, synced_head, pending_doc FROM sync_items WHERE uuid=?",
                         (uuid,)).fetchone()
        status, seq, head, _thash = self._head(c, uuid)
        if (not data.get("content_hash") or item is None or item[2] is not None
                or item[1] == head or data["rev"] <= (item[0] or 0)):
            return False
        from ..exchange import export_document
        if export_document(self, uuid)["content_hash"] != data["content_hash"]:
            return False
        if status == "completed" and data.get("status") in ("submitted", "returned", "approved"):
            c.execute("UPDATE assessments SET status='submitted' WHERE uuid=?", (uuid,))
            self._log(c, uuid, seq + 1, head, "submit", "status", status, "submitted", dirty=False)
            head = c.execute("SELECT history_head FROM assessments WHERE uuid=?",
                             (uuid,)).fetchone()[0]
        c.execute("UPDATE sync_items SET server_rev=?, remote_rev=max(remote_rev, ?), synced_head=?, "
                  "error=NULL, updated_at=? WHERE uuid=?", (data["rev"], data["rev"], head, now(),
                                                            uuid))
        c.execute("UPDATE assessments SET server_rev=?, sync_state='synced' WHERE uuid=?",
                  (data["rev"], uuid))
        return True

    def materialise_assignments(self) -> list[str]:
        """Start a draft for each pulled assignment whose template is installed (the assessment
        id is the assignment id, so pulling twice never makes two)."""
        made = []
        rows = self.conn.execute(
            "SELECT id, unit, template_id, template_version, inspector FROM sync_assignments "
            "WHERE id NOT IN (SELECT uuid FROM assessments)").fetchall()
        for aid, unit, tid, version, inspector in rows:
            try:
                template = self.get_template(tid, version)
            except Exception:  # noqa: BLE001 - the template arrives in a later page
                continue
            self.create_assessment(template, unit=json.loads(unit), uuid=aid,
                                   inspectors=[inspector] if inspector else [])
            made.append(aid)
        return made

    # ------------------------------------------------------------------ reading
    def list_comments(self, uuid: str) -> list[dict]:
        """Review comments and decisions from the server, oldest first
        (``{uuid, author, kind: comment|approve|return, text, at}``)."""
        return self.review_thread(uuid)     # with item/sample anchors and replies not yet sent

    def list_assignments(self) -> list[dict]:
        rows = [dict(r) for r in self.db.query(
            "SELECT s.*, a.status FROM sync_assignments s LEFT JOIN assessments a ON a.uuid = s.id "
            "ORDER BY s.due_date")]
        for r in rows:
            r["unit"] = loads(r["unit"], {})
        return rows

    def sync_summary(self) -> dict:
        """``{enrolled, server, waiting, failed, locked, flagged, last_ok, last_error}``."""
        s = self.sync_settings()
        include = bool(s.get("push_drafts"))
        waiting = len(self.push_candidates(include)) if s.get("token") else 0
        failed = self.conn.execute("SELECT count(*) FROM sync_items WHERE error IS NOT NULL AND "
                                   "error NOT LIKE 'locked:%'").fetchone()[0]
        locked = self.conn.execute("SELECT count(*) FROM sync_items WHERE error LIKE 'locked:%'"
                                   ).fetchone()[0]
        flagged = self.conn.execute("SELECT count(*) FROM sync_items WHERE flags != '[]'").fetchone()[0]
        return {"enrolled": bool(s.get("token")), "server": s.get("server"), "waiting": waiting,
                "failed": failed, "locked": locked, "flagged": flagged,
                "last_ok": s.get("last_ok"), "last_error": s.get("last_error") or "",
                "user": s.get("user"), "role": s.get("role")}
