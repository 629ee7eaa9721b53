"""Findings, photo evidence, drawn signatures and the history of an assessment."""

from __future__ import annotations

import contextlib
import uuid as uuidlib
from typing import TYPE_CHECKING
from pathlib import Path

from ..errors import AnswerInvalid, HistoryBroken, UserError
from ..i18n import _
from ..timefmt import local_now
from .base import now
from .fields import check_caption, check_finding, check_signer
from .history import ChainCheck, verify_chain
from .records import Change

if TYPE_CHECKING:
    from ..evidence.files import EvidenceInfo

FINDING_FIELDS = ("text", "action", "responsible", "due_date", "status")
FINDING_STATUSES = ("open", "implemented", "partly_implemented", "not_implemented")
SIGNER_ROLES = ("inspector", "representative", "supervisor")


class AttachmentsMixin:
    # ------------------------------------------------------------------ findings
    def finding_defaults(self, uuid: str, item_id: str, lang: str = "id") -> dict:
        """The template's default finding and corrective action for an item (for prefilling)."""
        item = self.template_of(uuid).items.get(item_id)
        if item is None:
            raise AnswerInvalid(_("no item {item} in this template").format(item=repr(item_id)))
        return {"text": item.finding.get(lang) if item.finding else "",
                "action": item.action.get(lang) if item.action else ""}

    def add_finding(self, uuid: str, item_id: str | None, *, sample: int = 0, text: str,
                    action: str = "", responsible: str = "", due_date: str = "",
                    status: str = "open") -> tuple[str, Change]:
        if not text.strip():
            raise UserError(_("a finding needs a text"))
        if status not in FINDING_STATUSES:
            raise UserError(_("finding status must be one of {statuses}").format(
                statuses=", ".join(FINDING_STATUSES)))
        fid = str(uuidlib.uuid4())
        checked = check_finding({"text": text, "action": action, "responsible": responsible,
                                 "due_date": due_date})
        text, action, responsible, due_date = (checked[k] for k in ("text", "action",
                                                                     "responsible", "due_date"))
        record = {"item_id": item_id, "sample": sample, "text": text, "action": action,
                  "responsible": responsible, "due_date": due_date, "status": status}
        with self.transaction() as c:
            _status, seq, prev, thash = self._editable(c, uuid)
            if item_id is not None and item_id not in self.template_by_hash(thash).items:
                raise AnswerInvalid(_("no item {item} in this template").format(item=repr(item_id)))
            at = now()
            c.execute("INSERT INTO findings(uuid, assessment, item_id, sample, text, action, responsible,"
                      " due_date, status, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                      (fid, uuid, item_id, sample, text, action, responsible, due_date, status, at, at))
            return fid, self._log(c, uuid, seq + 1, prev, "finding+", fid, None, record, dirty=False)

    def update_finding(self, uuid: str, finding_id: str, **fields) -> Change:
        bad = set(fields) - set(FINDING_FIELDS)
        if bad:
            raise UserError(_("findings have no field {field}").format(field=repr(sorted(bad)[0])))
        if "status" in fields and fields["status"] not in FINDING_STATUSES:
            raise UserError(_("finding status must be one of {statuses}").format(
                statuses=", ".join(FINDING_STATUSES)))
        fields = check_finding(fields)
        with self.transaction() as c:
            _status, seq, prev, _thash = self._editable(c, uuid)
            old = self._finding_row(c, uuid, finding_id)
            sets = ", ".join(f"{k}=?" for k in fields)
            c.execute(f"UPDATE findings SET {sets}, updated_at=? WHERE uuid=?",
                      (*fields.values(), now(), finding_id))
            return self._log(c, uuid, seq + 1, prev, "finding", finding_id,
                             {k: old[k] for k in fields}, fields, dirty=False)

    def remove_finding(self, uuid: str, finding_id: str) -> Change:
        with self.transaction() as c:
            _status, seq, prev, _thash = self._editable(c, uuid)
            old = self._finding_row(c, uuid, finding_id)
            c.execute("DELETE FROM findings WHERE uuid=?", (finding_id,))
            return self._log(c, uuid, seq + 1, prev, "finding-", finding_id, old, None, dirty=False)

    @staticmethod
    def _finding_row(c, uuid: str, finding_id: str) -> dict:
        row = c.execute(f"SELECT {', '.join(FINDING_FIELDS)} FROM findings WHERE uuid=? AND "
                        "assessment=?", (finding_id, uuid)).fetchone()
        if row is None:
            raise UserError(_("no finding {finding} in this assessment").format(finding=finding_id))
        return dict(zip(FINDING_FIELDS, row))

    # ------------------------------------------------------------------ evidence
    @contextlib.contextmanager
    def _drop_file_on_failure(self, sha256: str):
        """If the write that records a just-stored file fails, remove the file unless some
        evidence row already refers to it: a refused photo leaves nothing behind."""
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                if self.conn.execute("SELECT 1 FROM evidence WHERE sha256=?",
                                     (sha256,)).fetchone() is None:
                    from ..evidence.report_copy import remove_evidence
                    remove_evidence(self.evidence_dir, sha256)   # and its report-size copy
            raise

    def _record_evidence(self, c, info: EvidenceInfo) -> None:
        c.execute("INSERT OR IGNORE INTO evidence(sha256, kind, mime, width, height, size, taken_at,"
                  " gps_lat, gps_lon, original_name, imported_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                  (info.sha256, info.kind, info.mime, info.width, info.height, info.size,
                   info.taken_at, info.gps_lat, info.gps_lon, info.original_name, now()))

    def add_photo(self, uuid: str, item_id: str, source: str | Path | bytes, *, sample: int = 0,
                  caption: str = "", original_name: str | None = None) -> tuple[int, EvidenceInfo]:
        """Import a photo (JPEG/PNG/WebP; oriented, downscaled, hashed) and attach it to an item.
        Refused input raises EvidenceRejected and changes nothing."""
        caption = check_caption(caption)
        with self.transaction() as c:  # editable, right item and sample: before any file
            _status, _seq, _prev, thash = self._editable(c, uuid)
            self._item_at(c, uuid, thash, item_id, sample)
        if original_name is None and not isinstance(source, bytes):
            original_name = Path(source).name
        from ..evidence.files import import_photo   # Pillow: only when a photo comes in
        info = import_photo(source, self.evidence_dir, original_name=original_name)
        with self._drop_file_on_failure(info.sha256), self.transaction() as c:
            _status, seq, prev, thash = self._editable(c, uuid)
            _item, sample = self._item_at(c, uuid, thash, item_id, sample)
            self._record_evidence(c, info)
            cur = c.execute("INSERT INTO evidence_links(assessment, item_id, sample, sha256, caption,"
                            " created_at) VALUES(?,?,?,?,?,?)",
                            (uuid, item_id, sample, info.sha256, caption, now()))
            link = cur.lastrowid
            self._log(c, uuid, seq + 1, prev, "photo+", f"{item_id}#{sample}", None,
                      {"sha256": info.sha256, "caption": caption, "link": link})
        return link, info

    def attach_existing(self, uuid: str, item_id: str, sha256: str, sample: int = 0,
                        caption: str = "") -> int:
        """Attach a photo already in the evidence folder (by its hash) to an item again, e.g. to
        undo its removal. Recorded as "photo+" like :meth:`add_photo`; returns the new link id."""
        with self.transaction() as c:
            _status, seq, prev, thash = self._editable(c, uuid)
            _item, sample = self._item_at(c, uuid, thash, item_id, sample)
            if c.execute("SELECT 1 FROM evidence WHERE sha256=?", (sha256,)).fetchone() is None:
                raise UserError(_("no evidence file {sha256} in this data folder").format(
                    sha256=sha256[:12]))
            cur = c.execute("INSERT INTO evidence_links(assessment, item_id, sample, sha256, caption,"
                            " created_at) VALUES(?,?,?,?,?,?)",
                            (uuid, item_id, sample, sha256, caption, now()))
            link = cur.lastrowid
            self._log(c, uuid, seq + 1, prev, "photo+", f"{item_id}#{sample}", None,
                      {"sha256": sha256, "caption": caption, "link": link})
        return link

    def set_caption(self, uuid: str, link_id: int, caption: str) -> Change:
        caption = check_caption(caption)
        with self.transaction() as c:
            _status, seq, prev, _thash = self._editable(c, uuid)
            row = c.execute("SELECT caption FROM evidence_links WHERE id=? AND assessment=?",
                            (link_id, uuid)).fetchone()
            if row is None:
                raise UserError(_("that photo is not attached to this assessment"))
            c.execute("UPDATE evidence_links SET caption=? WHERE id=?", (caption, link_id))
            return self._log(c, uuid, seq + 1, prev, "caption", str(link_id), row[0], caption,
                             dirty=False)

    def remove_photo(self, uuid: str, link_id: int) -> Change:
        """Detach a photo from its item (the file stays: the history still refers to it)."""
        with self.transaction() as c:
            _status, seq, prev, _thash = self._editable(c, uuid)
            row = c.execute("SELECT item_id, sample, sha256, caption FROM evidence_links WHERE id=?"
                            " AND assessment=?", (link_id, uuid)).fetchone()
            if row is None:
                raise UserError(_("that photo is not attached to this assessment"))
            c.execute("DELETE FROM evidence_links WHERE id=?", (link_id,))
            return self._log(c, uuid, seq + 1, prev, "photo-", f"{row[0]}#{row[1]}",
                             {"sha256": row[2], "caption": row[3], "link": link_id}, None)

    def sign(self, uuid: str, role: str, *, name: str, png: bytes, title: str = "") -> Change:
        """Store a drawn signature (PNG) for inspector, representative or supervisor.
        The inspector and representative sign before completing; the supervisor after."""
        if role not in SIGNER_ROLES:
            raise UserError(_("signer role must be one of {roles}").format(
                roles=", ".join(SIGNER_ROLES)))
        if not name.strip():
            raise UserError(_("the signer's printed name is required"))
        name, title = check_signer(name, title)
        from ..evidence.files import import_signature
        info = import_signature(png, self.evidence_dir, original_name=f"signature-{role}.png")
        with self._drop_file_on_failure(info.sha256), self.transaction() as c:
            status, seq, prev, _thash = self._head(c, uuid)
            if role != "supervisor" and status not in ("draft", "returned"):
                raise UserError(_("the assessment is {status}; only the supervisor can still sign")
                                .format(status=status))
            self._record_evidence(c, info)
            old = c.execute("SELECT name, sha256 FROM signatures WHERE assessment=? AND role=?",
                            (uuid, role)).fetchone()
            at = local_now()          # with its offset: printed as 19:27 WITA
            c.execute("INSERT INTO signatures(assessment, role, name, title, signed_at, sha256)"
                      " VALUES(?,?,?,?,?,?) ON CONFLICT(assessment, role) DO UPDATE SET"
                      " name=excluded.name, title=excluded.title, signed_at=excluded.signed_at,"
                      " sha256=excluded.sha256", (uuid, role, name, title, at, info.sha256))
            return self._log(c, uuid, seq + 1, prev, "sign", role,
                             {"name": old[0], "sha256": old[1]} if old else None,
                             {"name": name, "title": title, "sha256": info.sha256}, dirty=False)

    # ------------------------------------------------------------------ history
    def history(self, uuid: str) -> list[dict]:
        return [dict(r) for r in self.db.query(
            "SELECT seq, at, actor, action, target, old, new, prev, hash FROM history"
            " WHERE assessment=? ORDER BY seq", [uuid])]

    def verify_history(self, uuid: str) -> ChainCheck:
        """Recompute the hash chain; ``ok`` is False (with the first bad entry) if any past
        entry was edited, removed or reordered."""
        head = self._head(self.conn, uuid)[2]
        return verify_chain(uuid, self.history(uuid), head)

    def require_intact_history(self, uuid: str) -> ChainCheck:
        check = self.verify_history(uuid)
        if not check.ok:
            raise HistoryBroken(_("history of {uuid} does not verify: {problem}").format(
                uuid=uuid[:8], problem=check.problem))
        return check


