"""The local side of review: signed report files, the team's work pulled for review, and the
comments and decisions waiting to be sent (queued offline, sent by the next sync).

* ``signed_reports`` (assessment, kind): the inspector's signed PDF (``signed``) and the
  supervisor's countersigned one (``countersigned``), kept content-addressed in the evidence
  folder. The ``signed`` one travels inside the exchange document (``reports``), so the server
  accepts the revision only once the PDF has arrived.
* ``team_copies``: assessments of team members pulled to a supervisor's laptop. They live in
  the ``assessments`` table like any other (the checklist shows them read-only: they are
  submitted), but are never pushed and never listed as this laptop's own work.
* ``review_outbox``: comments (anchored to an item and sample, or general) and decisions
  (``approve`` with the countersigned PDF, ``return`` with its comment) made here, in the order
  made; each is sent once, idempotently by its uuid. A refusal is kept with its reason.
"""

from __future__ import annotations

import uuid as uuidlib

from ..errors import AssessmentNotFound, UserError
from ..i18n import _
from .base import dumps, loads, now

KINDS = ("signed", "countersigned")
DECISIONS = ("comment", "approve", "return")


class ReviewMixin:
    # ------------------------------------------------------------------ signed reports
    def keep_signed_report(self, uuid: str, pdf: bytes, kind: str = "signed", by: str = "") -> dict:
        """Keep ``pdf`` (a signed report) with assessment ``uuid``; committed on return.

        The inspector's ``signed`` report is logged in the history (so the next sync pushes it
        with the assessment); it needs a completed or submitted assessment of this laptop."""
        from ..evidence.files import store_blob
        if kind not in KINDS:
            raise UserError(f"unknown report kind {kind!r}")
        sha = store_blob(self.evidence_dir, pdf)
        with self.transaction() as c:
            status, seq, head, _t = self._head(c, uuid)
            team = self._is_team(c, uuid)
            if kind == "signed":
                if team:
                    raise UserError(_("assessment {uuid} is a team member's work; only its "
                                      "inspector signs its report").format(uuid=uuid[:8]))
                if status not in ("completed", "submitted"):
                    raise UserError(_("assessment {uuid} is {status}: complete it before signing "
                                      "its report").format(uuid=uuid[:8], status=status))
            self._put_report(c, uuid, kind, sha, len(pdf), by)
            if kind == "signed":
                self._log(c, uuid, seq + 1, head, "report_signed", "report", None,
                          {"sha256": sha, "size": len(pdf)}, dirty=False)
        return {"kind": kind, "sha256": sha, "size": len(pdf)}

    def _put_report(self, c, uuid: str, kind: str, sha: str, size: int, by: str = "",
                    at: str | None = None) -> None:
        c.execute("INSERT INTO signed_reports(assessment, kind, sha256, size, made_at, by) "
                  "VALUES(?,?,?,?,?,?) ON CONFLICT(assessment, kind) DO UPDATE SET "
                  "sha256=excluded.sha256, size=excluded.size, made_at=excluded.made_at, "
                  "by=excluded.by", (uuid, kind, sha, size, at or now(), by))

    def signed_reports(self, uuid: str) -> dict[str, dict]:
        """``{kind: {sha256, size, made_at, by}}`` held here for ``uuid``."""
        return {r["kind"]: r for r in self.db.query(
            "SELECT kind, sha256, size, made_at, by FROM signed_reports WHERE assessment=?", [uuid])}

    def exported_reports(self, uuid: str) -> list[dict]:
        """What the exchange document lists under ``reports`` (the inspector's signed PDF)."""
        r = self.signed_reports(uuid).get("signed")
        return [{"kind": "signed", "sha256": r["sha256"], "size": r["size"]}] if r else []

    def signed_report_bytes(self, uuid: str, kind: str | None = None) -> tuple[str, bytes]:
        """The archived signed PDF of ``uuid``: ``kind``, else the countersigned one when held,
        else the inspector's. Raises UserError when there is none."""
        from ..evidence.files import read_evidence
        held = self.signed_reports(uuid)
        if kind is None:
            kind = "countersigned" if "countersigned" in held else "signed"
        r = held.get(kind)
        if r is None:
            raise UserError(_("assessment {uuid} has no signed report here yet (the inspector "
                              "signs it with 'assessor report ID --sign')").format(uuid=uuid[:8])
                            if kind == "signed" else
                            _("assessment {uuid} has no countersigned report here").format(
                                uuid=uuid[:8]))
        return kind, read_evidence(self.evidence_dir, r["sha256"])

    # ------------------------------------------------------------------ team copies
    def _is_team(self, c, uuid: str) -> bool:
        return c.execute("SELECT 1 FROM team_copies WHERE uuid=?", (uuid,)).fetchone() is not None

    def is_team_copy(self, uuid: str) -> bool:
        return self._is_team(self.conn, uuid)

    def team_copy(self, uuid: str) -> dict | None:
        row = self.db.execute("SELECT * FROM team_copies WHERE uuid=?", [uuid]).fetchone()
        if row is None:
            return None
        cols = [d[0] for d in self.db.execute("SELECT * FROM team_copies LIMIT 0").description]
        out = dict(zip(cols, row))
        out["flags"] = loads(out["flags"], [])
        return out

    def _store_team_copy(self, c, ex, meta: dict) -> None:
        """Replace the team copy of ``ex`` (an ExchangeFile) inside transaction ``c``."""
        from ..exchange import insert_rows
        uid = ex.doc["assessment"]["uuid"]
        own = c.execute("SELECT 1 FROM assessments WHERE uuid=?", (uid,)).fetchone()
        if own is not None and not self._is_team(c, uid):
            return      # this laptop's own work is never overwritten by a copy
        for table in ("answers", "findings", "evidence_links", "signatures", "history"):
            c.execute(f"DELETE FROM {table} WHERE assessment=?", (uid,))
        c.execute("DELETE FROM signed_reports WHERE assessment=? AND kind='signed'", (uid,))
        c.execute("DELETE FROM assessments WHERE uuid=?", (uid,))
        insert_rows(self, c, ex, meta.get("owner", ""))
        c.execute("UPDATE assessments SET status=?, sync_state='team' WHERE uuid=?",
                  (meta["status"], uid))
        for r in ex.doc.get("reports", []):
            self._put_report(c, uid, r["kind"], r["sha256"], r["size"], meta.get("owner", ""))
        c.execute("INSERT INTO team_copies(uuid, owner, server_rev, status, content_hash, flags,"
                  " received_at, submitted_at) VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(uuid) DO UPDATE"
                  " SET owner=excluded.owner, server_rev=excluded.server_rev,"
                  " status=excluded.status, content_hash=excluded.content_hash,"
                  " flags=excluded.flags, received_at=excluded.received_at,"
                  " submitted_at=excluded.submitted_at",
                  (uid, meta.get("owner", ""), meta["rev"], meta["status"], meta["content_hash"],
                   dumps(meta.get("flags", [])), now(), meta.get("updated_at") or now()))

    def _update_team_status(self, c, data: dict) -> None:
        """A status change of a team copy whose document did not change."""
        c.execute("UPDATE team_copies SET status=?, flags=?, server_rev=? WHERE uuid=?",
                  (data["status"], dumps(data.get("flags", [])), data["rev"], data["uuid"]))
        c.execute("UPDATE assessments SET status=? WHERE uuid=?", (data["status"], data["uuid"]))

    def review_queue(self, status: str | None = None) -> list[dict]:
        """The team's work held here, newest submission first: ``{uuid, owner, unit, agency,
        template_id, template_version, status, submitted_at, score, grade, zone, flags,
        signed, countersigned, pending}`` (``pending``: a decision queued here, not yet sent)."""
        self.refresh_scores()
        sql = ("SELECT t.uuid, t.owner, a.unit, a.agency, a.template_id, a.template_version,"
               " t.status, t.submitted_at, a.score, a.grade, a.zone, t.flags, t.server_rev,"
               " (SELECT count(*) FROM signed_reports s WHERE s.assessment=t.uuid AND"
               "  s.kind='signed'),"
               " (SELECT count(*) FROM signed_reports s WHERE s.assessment=t.uuid AND"
               "  s.kind='countersigned'),"
               " (SELECT kind FROM review_outbox o WHERE o.assessment=t.uuid AND"
               "  o.kind != 'comment' AND o.state='queued' ORDER BY created_at DESC LIMIT 1)"
               " FROM team_copies t JOIN assessments a ON a.uuid = t.uuid")
        args: list = []
        if status:
            sql += " WHERE t.status=?"
            args.append(status)
        sql += " ORDER BY t.submitted_at DESC"
        cols = ("uuid", "owner", "unit", "agency", "template_id", "template_version", "status",
                "submitted_at", "score", "grade", "zone", "flags", "server_rev", "signed",
                "countersigned", "pending")
        rows = [dict(zip(cols, r)) for r in self.conn.execute(sql, args)]
        for r in rows:
            r["flags"] = loads(r["flags"], [])
            r["signed"], r["countersigned"] = bool(r["signed"]), bool(r["countersigned"])
        return rows

    def review_counts(self) -> dict[str, int]:
        """``{submitted, returned, approved, pending}`` for the sidebar."""
        out = {s: 0 for s in ("submitted", "returned", "approved")}
        for status, n in self.conn.execute("SELECT status, count(*) FROM team_copies GROUP BY "
                                           "status"):
            out[status] = n
        out["pending"] = self.conn.execute("SELECT count(*) FROM review_outbox WHERE "
                                           "state='queued'").fetchone()[0]
        return out

    # ------------------------------------------------------------------ comments and decisions
    def queue_review(self, uuid: str, kind: str, text: str = "", *, item: str | None = None,
                     sample: int | None = None, pdf_sha: str | None = None) -> dict:
        """Queue a comment or a decision on ``uuid``; committed on return, sent at next sync.

        ``kind``: ``comment`` (needs text; ``item``/``sample`` anchor it), ``return`` (needs a
        comment), ``approve`` (needs ``pdf_sha``, the countersigned PDF already kept here)."""
        if kind not in DECISIONS:
            raise UserError(f"unknown review action {kind!r}")
        text = (text or "").strip()
        if kind in ("comment", "return") and not text:
            raise UserError(_("a comment needs a text") if kind == "comment" else
                            _("returning work needs a comment saying what to fix"))
        if len(text) > 10000:
            raise UserError(_("a comment may have at most 10,000 characters"))
        try:
            a = self.get(uuid)
        except AssessmentNotFound:
            raise
        if item is not None:
            template = self.template_of(a)
            spec = template.items.get(item)
            if spec is None:
                raise UserError(_("the template has no item {item}").format(item=repr(item)))
            count = len(a.samples.get(spec.sample_group, [])) if spec.sample_group else 1
            sample = int(sample or 0)
            if not 0 <= sample < max(count, 1):
                raise UserError(_("item {item} has no sample {sample}").format(
                    item=item, sample=sample + 1))
        elif sample is not None:
            raise UserError(_("--sample needs --item"))
        if kind != "comment":
            team = self.team_copy(uuid)
            if team is None:
                raise UserError(_("assessment {uuid} is not a team member's submitted work on "
                                  "this laptop; only the supervisor approves or returns it").format(
                    uuid=uuid[:8]))
            if team["status"] != "submitted":
                raise UserError(_("assessment {uuid} is {status}; only submitted work can be "
                                  "approved or returned").format(uuid=uuid[:8],
                                                                 status=team["status"]))
            if self.conn.execute("SELECT 1 FROM review_outbox WHERE assessment=? AND kind!='comment'"
                                 " AND state='queued'", (uuid,)).fetchone():
                raise UserError(_("a decision on assessment {uuid} is already waiting to be "
                                  "sent; sync first").format(uuid=uuid[:8]))
            rev = team["server_rev"]
        else:
            team = self.team_copy(uuid)
            rev = team["server_rev"] if team else (a.server_rev or 0)
        from ..evidence.files import has_evidence
        if kind == "approve" and not (pdf_sha and has_evidence(self.evidence_dir, pdf_sha)):
            raise UserError(_("approving needs the countersigned report"))
        entry = {"uuid": str(uuidlib.uuid4()), "assessment": uuid, "kind": kind, "item": item,
                 "sample": sample, "text": text, "rev": rev, "pdf_sha": pdf_sha,
                 "created_at": now(), "state": "queued", "error": None, "sent_at": None}
        with self.transaction() as c:
            c.execute("INSERT INTO review_outbox(uuid, assessment, kind, item, sample, text, rev,"
                      " pdf_sha, created_at, state) VALUES(?,?,?,?,?,?,?,?,?,?)",
                      (entry["uuid"], uuid, kind, item, sample, text, rev, pdf_sha,
                       entry["created_at"], "queued"))
        return entry

    def review_outbox(self, states: tuple[str, ...] = ("queued",)) -> list[dict]:
        marks = ",".join("?" * len(states))
        return [dict(r) for r in self.db.query(
            f"SELECT * FROM review_outbox WHERE state IN ({marks}) ORDER BY created_at, rowid",
            list(states))]

    def outbox_result(self, entry_uuid: str, ok: bool, message: str = "") -> None:
        """The server took (``ok``) or refused an outbox entry; a refusal keeps the entry and
        its text with the reason, so nothing is lost."""
        with self.transaction() as c:
            c.execute("UPDATE review_outbox SET state=?, error=?, sent_at=? WHERE uuid=?",
                      ("sent" if ok else "refused", None if ok else message, now(), entry_uuid))

    def review_thread(self, uuid: str) -> list[dict]:
        """Comments and decisions on ``uuid`` oldest first: from the server (``state`` "sent")
        and made here but not confirmed (``queued``/``refused``, with ``error``)."""
        cols = ("uuid", "author", "kind", "text", "at", "item", "sample")
        rows = [dict(zip(cols, r), state="sent", error=None) for r in self.conn.execute(
            "SELECT uuid, author, kind, text, at, item, sample FROM sync_comments WHERE "
            "assessment=?", (uuid,))]
        seen = {r["uuid"] for r in rows}
        mine = self.conn.execute("SELECT uuid, kind, text, created_at, item, sample, state, error"
                                 " FROM review_outbox WHERE assessment=? AND state != 'sent'",
                                 (uuid,)).fetchall()
        me = (self.get_setting("sync.user") or self.actor) if mine else None
        for u, kind, text, at, item, sample, state, error in mine:
            if u not in seen:
                rows.append({"uuid": u, "author": me, "kind": kind, "text": text, "at": at,
                             "item": item, "sample": sample, "state": state, "error": error})
        return sorted(rows, key=lambda r: r["at"] or "")

    def approval(self, uuid: str) -> dict | None:
        """Who approved ``uuid`` and when (``{by, at, sent}``), from the decision records: the
        server's (pulled) first, else a decision made here and still queued. None otherwise.
        The report's supervisor block reads this."""
        row = self.conn.execute("SELECT author, at FROM sync_comments WHERE assessment=? AND "
                                "kind='approve' ORDER BY at DESC LIMIT 1", (uuid,)).fetchone()
        if row is not None:
            return {"by": row[0], "at": row[1], "sent": True}
        row = self.conn.execute("SELECT created_at FROM review_outbox WHERE assessment=? AND "
                                "kind='approve' AND state='queued' ORDER BY created_at DESC "
                                "LIMIT 1", (uuid,)).fetchone()
        if row is not None:
            return {"by": self.sync_settings().get("user") or self.actor, "at": row[0],
                    "sent": False}
        return None

    # ------------------------------------------------------------------ server merges
    def adopt_server_document(self, uuid: str, ex, rev: int) -> bool:
        """Write back the server's merged document of this laptop's own ``uuid`` (fields another
        device sent that this laptop did not have). Committed on return; True when adopted."""
        with self.transaction() as c:
            return self._adopt_document(c, ex, rev)

    def _adopt_document(self, c, ex, rev: int) -> bool:
        """Inside ``c``: replace answers, notes, findings, photos and signatures of an own
        assessment by the server's, logged as ``server_merge`` in its history. Only when nothing
        changed here since the last confirmed push (local changes win: the next push sends
        them and the server merges again)."""
        from ..exchange import insert_children
        doc = ex.doc
        uid = doc["assessment"]["uuid"]
        row = c.execute("SELECT a.history_seq, a.history_head, s.synced_head, s.pending_doc FROM "
                        "assessments a LEFT JOIN sync_items s ON s.uuid = a.uuid WHERE a.uuid=?",
                        (uid,)).fetchone()
        if row is None or row[3] is not None or row[1] != row[2] or self._is_team(c, uid):
            return False
        seq, head = row[0], row[1]
        for table in ("answers", "findings", "evidence_links", "signatures"):
            c.execute(f"DELETE FROM {table} WHERE assessment=?", (uid,))
        insert_children(c, uid, doc, now())
        unit = dict(doc["unit"])
        extra = {k: v for k, v in unit.items() if k not in ("agency", "unit", "address")}
        c.execute("UPDATE assessments SET agency=?, unit=?, address=?, unit_extra=?, visit_dates=?,"
                  " inspectors=?, samples=?, samples_absent=?, notes=?, score_dirty=1 WHERE uuid=?",
                  (unit.get("agency", ""), unit["unit"], unit.get("address", ""), dumps(extra),
                   dumps(doc.get("visit_dates", [])), dumps(doc["people"]["inspectors"]),
                   dumps(doc["samples"]), dumps(doc.get("samples_absent") or {}),
                   doc["assessment"].get("notes", ""), uid))
        self._log(c, uid, seq + 1, head, "server_merge", "assessment", None,
                  {"content_hash": doc["content_hash"], "rev": rev})
        new_head = c.execute("SELECT history_head FROM assessments WHERE uuid=?",
                             (uid,)).fetchone()[0]
        c.execute("UPDATE sync_items SET synced_head=?, server_rev=max(server_rev, ?), "
                  "remote_rev=max(remote_rev, ?) WHERE uuid=?", (new_head, rev, rev, uid))
        return True
