"""The protocol's rules on the server: who is asking, push (idempotent, complete, merged,
locked), pull by cursor, comments and review. HTTP-free: the routes and the admin CLI call it.

Every write is one transaction that also takes a change number (db.record_change), so what a
client pulls is exactly what was committed, in commit order.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from ..errors import ExchangeInvalid
from ..exchange import content_hash, parse_exchange, referenced_blobs, rescore
from ..sync import wire
from . import actions_register, auth, db, register, review
from .errors import ApiError
from .merge import merge


@dataclass(frozen=True)
class Caller:
    device_id: str
    user_id: int
    user: str
    role: str
    team: str


def _j(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class ServerStore:
    def __init__(self, database: db.Database, has_blobs=None, blob_path=None):
        self.db = database
        self.has_blobs = has_blobs     # hashes -> set of those stored (BlobStore.known)
        self.blob_path = blob_path     # sha256 -> Path of the stored file (BlobStore.path)

    # ------------------------------------------------------------------ identity
    def authenticate(self, token: str | None) -> Caller:
        if not token:
            raise ApiError(401, wire.E_AUTH, "this device is not enrolled with the server; enrol "
                                             "it with a code from your administrator")
        with self.db.read() as conn:
            row = conn.execute(
                sa.select(db.devices.c.id, db.devices.c.revoked_at, db.devices.c.last_seen,
                          db.users.c.id.label("uid"),
                          db.users.c.name, db.users.c.role, db.users.c.team, db.users.c.active)
                .join(db.users, db.users.c.id == db.devices.c.user_id)
                .where(db.devices.c.token_hash == auth.digest(token))).first()
        if row is None:
            raise ApiError(401, wire.E_AUTH, "the server does not know this device (its token is "
                                             "wrong or was replaced); enrol it again")
        if row.revoked_at or not row.active:
            raise ApiError(401, wire.E_REVOKED, "this device's access was revoked by the "
                                                "administrator; ask for a new enrolment code")
        self._seen(row.id, row.last_seen)
        return Caller(row.id, row.uid, row.name, row.role, row.team)

    def _seen(self, device_id: str, last: str | None) -> None:
        """Keep ``devices.last_seen`` (for ``device list``) to the minute: one small write per
        device per minute at most."""
        stamp = db.now()
        if last is not None and last[:16] == stamp[:16]:
            return
        with self.db.write() as conn:
            conn.execute(sa.update(db.devices).where(db.devices.c.id == device_id)
                         .values(last_seen=stamp))

    def epoch(self) -> str:
        with self.db.read() as conn:
            return conn.execute(sa.select(db.meta.c.value).where(db.meta.c.key == "epoch")).scalar_one()

    def enroll(self, code: str, device_name: str, nonce: str, csr: str | None = None,
               signer=None) -> dict:
        """Trade a one-time code for a device token. A retry carrying the same ``nonce`` after
        the code was used (the answer was lost) gets a fresh token for the same device."""
        code_hash = auth.digest(auth.normalise_code(code))
        nonce_hash = auth.digest(nonce)
        token = auth.new_token()
        with self.db.write() as conn:
            row = conn.execute(sa.select(db.codes).where(db.codes.c.code_hash == code_hash)).first()
            if row is None:
                raise ApiError(400, wire.E_CODE, "this enrolment code is not valid; check it or ask "
                                                 "the administrator for a new one")
            user = conn.execute(sa.select(db.users).where(db.users.c.id == row.user_id)).first()
            if not user.active:
                raise ApiError(400, wire.E_CODE, "this enrolment code belongs to a user who was "
                                                 "deactivated; ask the administrator")
            if row.used_at:
                dev = conn.execute(sa.select(db.devices).where(db.devices.c.id == row.device_id)).first()
                if dev is None or dev.nonce_hash != nonce_hash or dev.revoked_at:
                    raise ApiError(400, wire.E_CODE, "this enrolment code was already used; each "
                                                     "code works once, ask for a new one")
                conn.execute(sa.update(db.devices).where(db.devices.c.id == dev.id)
                             .values(token_hash=auth.digest(token)))
                device_id = dev.id
            else:
                if row.expires_at < db.now():
                    raise ApiError(400, wire.E_CODE, "this enrolment code has expired; ask the "
                                                     "administrator for a new one")
                device_id = str(uuidlib.uuid4())
                conn.execute(sa.insert(db.devices).values(
                    id=device_id, user_id=row.user_id, name=device_name[:200] or "device",
                    token_hash=auth.digest(token), nonce_hash=nonce_hash, created_at=db.now()))
                conn.execute(sa.update(db.codes).where(db.codes.c.code_hash == code_hash)
                             .values(used_at=db.now(), device_id=device_id))
        out = {"device_id": device_id, "token": token, "user": user.name, "role": user.role,
               "team": user.team, "epoch": self.epoch()}
        if csr and signer is not None:
            out["certificate"] = signer(csr.encode("ascii"), user.role)
        return out

    # ------------------------------------------------------------------ visibility
    def _visible(self, caller: Caller, owner_id: int, owner_team: str) -> bool:
        return (caller.role == "admin" or owner_id == caller.user_id
                or (caller.role == "supervisor" and caller.team != "" and owner_team == caller.team))

    def _assessment(self, conn, caller: Caller, uuid: str, *, need=True):
        row = conn.execute(sa.select(db.assessments, db.users.c.team, db.users.c.name.label("owner"))
                           .join(db.users, db.users.c.id == db.assessments.c.owner_id)
                           .where(db.assessments.c.uuid == uuid)).first()
        if row is None or not self._visible(caller, row.owner_id, row.team):
            if need:
                raise ApiError(404, wire.E_NOT_FOUND, f"no assessment {uuid[:8]} that you may see")
            return None
        return row

    def get_assessment(self, caller: Caller, uuid: str) -> dict:
        with self.db.read() as conn:
            row = self._assessment(conn, caller, uuid)
            return {"uuid": uuid, "rev": row.rev, "status": row.status, "owner": row.owner,
                    "flags": json.loads(row.flags), "document": json.loads(row.doc)}

    def blob_visible(self, caller: Caller, sha: str) -> bool:
        return sha in self.usable_blobs(caller, [sha])

    def usable_blobs(self, caller: Caller, hashes: list[str], conn=None) -> set[str]:
        """The hashes ``caller`` may reference in a push or download: the file is stored, and
        this device uploaded those bytes itself, or an assessment the caller may see already
        references them (a supervisor sees the team's photos; an inspector's new laptop sees
        its user's own work). Hashes are not secret, so knowing one proves nothing."""
        if not hashes:
            return set()
        if conn is None:
            with self.db.read() as conn:
                return self.usable_blobs(caller, hashes, conn)
        stored = self.has_blobs(list(hashes)) if self.has_blobs else set(hashes)
        if caller.role == "admin":
            return set(stored)
        ok: set[str] = set()
        todo = sorted(stored)
        for i in range(0, len(todo), 500):
            part = todo[i:i + 500]
            ok |= set(conn.execute(sa.select(db.blob_owners.c.sha256).where(
                db.blob_owners.c.device_id == caller.device_id,
                db.blob_owners.c.sha256.in_(part))).scalars())
            rest = [h for h in part if h not in ok]
            if not rest:
                continue
            for r in conn.execute(sa.select(db.assessment_blobs.c.sha256, db.assessments.c.owner_id,
                                            db.users.c.team)
                                  .join(db.assessments,
                                        db.assessments.c.uuid == db.assessment_blobs.c.uuid)
                                  .join(db.users, db.users.c.id == db.assessments.c.owner_id)
                                  .where(db.assessment_blobs.c.sha256.in_(rest))):
                if self._visible(caller, r.owner_id, r.team):
                    ok.add(r.sha256)
        return ok

    # ------------------------------------------------------------------ push
    def push(self, caller: Caller, uuid: str, rev: int, base_rev: int, raw: bytes) -> dict:
        """Store revision ``rev`` of ``uuid`` (see docs/sync.md for every answer)."""
        if len(raw) > wire.MAX_DOCUMENT:
            raise ApiError(413, wire.E_TOO_LARGE, "the assessment document is larger than the "
                                                  "16 MB the server accepts")
        if not (isinstance(rev, int) and isinstance(base_rev, int)
                and 1 <= rev <= wire.MAX_REV and 0 <= base_rev < rev):
            raise ApiError(422, wire.E_INVALID, f"revision {rev} based on {base_rev} is not a "
                                                f"valid revision number")
        try:
            ex = parse_exchange(raw, "the pushed assessment")
        except ExchangeInvalid as exc:
            raise ApiError(422, wire.E_INVALID, str(exc)) from None
        doc = ex.doc
        if doc["assessment"]["uuid"] != uuid:
            raise ApiError(422, wire.E_INVALID, "the document's assessment id differs from the "
                                                "address it was sent to")
        scored = rescore(ex)
        claimed, actual = doc["score"].get("total"), scored.total
        if claimed != (float(actual) if actual is not None else None):
            raise ApiError(422, wire.E_INVALID, f"the document says the score is {claimed} but its "
                                                f"answers give {actual}: it is inconsistent")
        sent_hash = doc["content_hash"]
        hashes = referenced_blobs(doc)
        with self.db.write() as conn:
            row = conn.execute(sa.select(db.assessments).where(db.assessments.c.uuid == uuid)).first()
            owner_id = row.owner_id if row is not None else self._new_owner(conn, caller, uuid)
            if owner_id != caller.user_id and caller.role != "admin":
                raise ApiError(403, wire.E_FORBIDDEN, f"assessment {uuid[:8]} belongs to another "
                                                      f"inspector; this device may not change it")
            old = conn.execute(sa.select(db.revisions.c.sent_hash, db.revisions.c.answer)
                               .where(db.revisions.c.uuid == uuid, db.revisions.c.rev == rev)).first()
            if old is not None:
                if old.sent_hash == sent_hash:
                    return {**json.loads(old.answer), "replayed": True}
                raise ApiError(409, wire.E_REVISION_TAKEN,
                               f"revision {rev} of assessment {uuid[:8]} is already stored with "
                               f"different content; nothing was stored",
                               current_rev=row.rev if row is not None else 0)
            unit_ref = doc["unit"]
            round_id = (row.round_id if row is not None and row.round_id else None) \
                or _ref(unit_ref.get("round_id"))
            if register.closed_round(conn, round_id):
                raise ApiError(409, wire.E_LOCKED, f"round {round_id} is closed: its results are "
                                                   f"frozen and assessment {uuid[:8]} can no longer "
                                                   f"change (your work stays on this laptop)")
            if row is not None and row.status == "approved":
                raise ApiError(409, wire.E_LOCKED, f"assessment {uuid[:8]} was approved by the "
                                                   f"supervisor and is locked; your changes were "
                                                   f"not sent (they stay on this laptop)")
            if row is not None and rev <= row.rev:
                raise ApiError(409, wire.E_REVISION_TAKEN, f"the server already has revision "
                               f"{row.rev}; send this as a later revision", current_rev=row.rev)
            template_flags = self._template_check(conn, ex.template)
            have = self.usable_blobs(caller, hashes, conn)
            missing = [h for h in hashes if h not in have]
            if missing:
                raise ApiError(409, wire.E_MISSING_BLOBS, f"{len(missing)} photo/signature file(s) "
                               f"have not arrived yet; upload them, then send again",
                               missing=missing)
            flags: list[str] = []
            conflicts: list[dict] = []
            facts = register.facts_of(scored)
            stored_text = raw.decode("utf-8")
            stored_hash = sent_hash
            if row is not None:
                base = None
                if base_rev > 0:
                    b = conn.execute(sa.select(db.revisions.c.doc, db.revisions.c.sent_doc)
                                     .where(db.revisions.c.uuid == uuid,
                                            db.revisions.c.rev == base_rev)).first()
                    base = json.loads(b.sent_doc or b.doc) if b is not None else None
                merged, flags, conflicts = merge(base, json.loads(row.doc), doc)
                if flags:
                    merged_doc = self._finish_merge(merged)
                    if merged_doc is None:
                        flags = ["conflict"]
                        conflicts = [{"field": "*", "kept": "the pushed version",
                                      "other": f"revision {row.rev} (kept in history)"}]
                    else:
                        stored_text, stored_hash = _j(merged_doc), merged_doc["content_hash"]
                        hashes = referenced_blobs(merged_doc)
                        facts = register.facts_of(rescore(parse_exchange(
                            stored_text.encode("utf-8"), "merged")))
            pushed = doc["assessment"]["status"]
            if pushed in ("completed", "submitted", "approved"):
                status = "submitted"
            else:
                status = "returned" if row is not None and row.status == "returned" else "draft"
            all_flags = sorted(set(json.loads(row.flags) if row is not None else []) | set(flags)
                               | set(template_flags))
            answer = {"uuid": uuid, "server_rev": rev, "status": status, "flags": all_flags,
                      "new_flags": flags, "conflicts": conflicts, "content_hash": stored_hash,
                      "merged": stored_hash != sent_hash}
            at = db.now()
            conn.execute(sa.insert(db.revisions).values(
                uuid=uuid, rev=rev, base_rev=base_rev, sent_hash=sent_hash, content_hash=stored_hash,
                device_id=caller.device_id, doc=stored_text,
                sent_doc=None if stored_hash == sent_hash else raw.decode("utf-8"),
                answer=_j(answer), at=at))
            values = dict(rev=rev, status=status, content_hash=stored_hash, doc=stored_text,
                          flags=_j(all_flags), template_id=doc["template"]["id"],
                          template_version=doc["template"]["version"],
                          unit=str(doc["unit"].get("unit", ""))[:400],
                          evidence_count=len(doc["evidence"]), updated_at=at,
                          unit_id=(row.unit_id if row is not None and row.unit_id else None)
                          or _ref(unit_ref.get("unit_id")), round_id=round_id)
            if row is None:
                conn.execute(sa.insert(db.assessments).values(uuid=uuid, owner_id=owner_id, **values))
            else:
                conn.execute(sa.update(db.assessments).where(db.assessments.c.uuid == uuid)
                             .values(**values))
                conn.execute(sa.delete(db.assessment_blobs).where(db.assessment_blobs.c.uuid == uuid))
            conn.execute(sa.delete(db.assessment_facts).where(db.assessment_facts.c.uuid == uuid))
            conn.execute(sa.insert(db.assessment_facts).values(uuid=uuid, facts=facts))
            if hashes:
                conn.execute(sa.insert(db.assessment_blobs),
                             [{"uuid": uuid, "sha256": h} for h in hashes])
            review.record_signed_report(conn, uuid, json.loads(stored_text), rev, caller.user_id)
            db.record_change(conn, "assessment", uuid, owner_id, self._team(conn, owner_id))
            if status == "submitted":       # a completed follow-up visit moves action states
                actions_register.from_followup(conn, json.loads(stored_text), caller.user)
        return answer

    def _template_check(self, conn, template) -> list[str]:
        """A document embeds its template. Under a published (id, version) the embedded one
        must be the published one (422 otherwise: a forged band or weight would change the
        grade); a template this server never published is stored but flagged for the
        supervisor (``unpublished_template``)."""
        published = conn.execute(sa.select(db.templates.c.hash).where(
            db.templates.c.id == template.id,
            db.templates.c.version == template.version)).scalar_one_or_none()
        if published is None:
            return ["unpublished_template"]
        if published != template.hash:
            raise ApiError(422, wire.E_INVALID,
                           f"the document embeds template {template.id} version "
                           f"{template.version} with content that differs from the published "
                           f"one ({template.hash[:12]} instead of {published[:12]}); nothing was "
                           f"stored")
        return []

    def _new_owner(self, conn, caller: Caller, uuid: str) -> int:
        # (an assignment's unit carries unit_id/round_id; the laptop copies them into the doc)
        row = conn.execute(sa.select(db.assignments.c.inspector_id)
                           .where(db.assignments.c.id == uuid)).first()
        return row.inspector_id if row is not None else caller.user_id

    def _team(self, conn, user_id: int) -> str:
        return conn.execute(sa.select(db.users.c.team).where(db.users.c.id == user_id)).scalar_one()

    def _finish_merge(self, merged: dict) -> dict | None:
        """Rescore and rehash a merged document; None when the merge does not validate."""
        try:
            merged["content_hash"] = content_hash(merged)
            ex = parse_exchange(_j(merged).encode("utf-8"), "merged")
            merged["score"] = rescore(ex).summary()
            merged["content_hash"] = content_hash(merged)
            parse_exchange(_j(merged).encode("utf-8"), "merged")
            return merged
        except (ExchangeInvalid, KeyError, TypeError, ValueError):
            return None

    # ------------------------------------------------------------------ pull
    def changes(self, caller: Caller, cursor: int, limit: int) -> dict:
        limit = max(1, min(limit, wire.PAGE_LIMIT))
        c = db.changes.c
        with self.db.read() as conn:
            top = conn.execute(sa.select(db.counter.c.n).where(db.counter.c.id == 1)).scalar_one()
            epoch = conn.execute(sa.select(db.meta.c.value).where(db.meta.c.key == "epoch")).scalar_one()
            if cursor > top:
                raise ApiError(410, wire.E_RESYNC, "the server does not know this sync position "
                               "(it was restored or replaced); everything will be synced again",
                               epoch=epoch)
            q = sa.select(c.kind, c.ref, c.seq).where(c.seq > cursor)
            # owner-less changes with a team (the register's governments) go to that team only
            shared = sa.and_(c.owner_id.is_(None),
                             sa.or_(c.team.is_(None), c.team == "", c.team == caller.team))
            if caller.role == "inspector":
                q = q.where(sa.or_(shared, c.owner_id == caller.user_id))
            elif caller.role == "supervisor":
                q = q.where(sa.or_(shared, c.owner_id == caller.user_id,
                                   sa.and_(c.team == caller.team, c.team != "")))
            rows = conn.execute(q.order_by(c.seq).limit(limit)).all()
            data = self._load(conn, rows)
        out = [{"kind": r.kind, "id": r.ref, "seq": r.seq, "data": data.get((r.kind, r.ref))}
               for r in rows]
        return {"changes": [x for x in out if x["data"] is not None],
                "next_cursor": rows[-1].seq if rows else cursor, "has_more": len(rows) == limit,
                "epoch": epoch}

    def _load(self, conn, rows) -> dict:
        refs: dict[str, list[str]] = {}
        for r in rows:
            refs.setdefault(r.kind, []).append(r.ref)
        out: dict = {}
        for kind, ids in refs.items():
            if kind == "template":
                for t in conn.execute(sa.select(db.templates)):
                    key = f"{t.id}@{t.version}"
                    if key in ids:
                        out[(kind, key)] = {"id": t.id, "version": t.version, "hash": t.hash,
                                            "body": json.loads(t.body)}
            elif kind == "assignment":
                for a in conn.execute(sa.select(db.assignments, db.users.c.name)
                                      .join(db.users, db.users.c.id == db.assignments.c.inspector_id)
                                      .where(db.assignments.c.id.in_(ids))):
                    out[(kind, a.id)] = {"id": a.id, "unit": json.loads(a.unit),
                                         "template_id": a.template_id,
                                         "template_version": a.template_version,
                                         "due_date": a.due_date, "inspector": a.name}
            elif kind == "assessment":
                held = review.reports_of(conn, ids)
                for a in conn.execute(sa.select(db.assessments.c.uuid, db.assessments.c.rev,
                                                db.assessments.c.status, db.assessments.c.flags,
                                                db.assessments.c.content_hash,
                                                db.assessments.c.evidence_count,
                                                db.assessments.c.updated_at, db.users.c.name)
                                      .join(db.users, db.users.c.id == db.assessments.c.owner_id)
                                      .where(db.assessments.c.uuid.in_(ids))):
                    out[(kind, a.uuid)] = {"uuid": a.uuid, "rev": a.rev, "status": a.status,
                                           "flags": json.loads(a.flags), "owner": a.name,
                                           "content_hash": a.content_hash,
                                           "evidence_count": a.evidence_count,
                                           "updated_at": a.updated_at,
                                           "signed": held.get(a.uuid, {}).get("signed"),
                                           "countersigned": held.get(a.uuid, {}).get("countersigned")}
            elif kind == "comment":
                for m in conn.execute(sa.select(db.comments, db.users.c.name)
                                      .join(db.users, db.users.c.id == db.comments.c.author_id)
                                      .where(db.comments.c.uuid.in_(ids))):
                    out[(kind, m.uuid)] = {"uuid": m.uuid, "assessment": m.assessment,
                                           "author": m.name, "kind": m.kind, "text": m.text,
                                           "at": m.at, "item": m.item, "sample": m.sample,
                                           "rev": m.rev}
            elif kind == "round":
                for r in conn.execute(sa.select(db.rounds).where(db.rounds.c.id.in_(ids))):
                    out[(kind, r.id)] = {**register.round_data(r), "action_settings":
                                         actions_register.settings_for(conn, r.id).to_dict()}
            elif kind == "government":
                for gid, data in register.government_data(conn, ids).items():
                    out[(kind, gid)] = data
            elif kind == "action":
                for aid, data in actions_register.load(conn, ids).items():
                    out[(kind, aid)] = data
            elif kind == "crl":
                import base64
                row = conn.execute(sa.select(db.crl).where(db.crl.c.id == 1)).first()
                if row is not None:
                    out[(kind, "crl")] = {"der": base64.b64encode(row.der).decode("ascii"),
                                          "at": row.at}
        return out

    # ------------------------------------------------------------------ comments and review
    def add_comment(self, caller: Caller, uuid: str, comment_uuid: str, text: str,
                    kind: str = "comment", conn=None, item: str | None = None,
                    sample: int | None = None, rev: int | None = None) -> dict:
        text = (text or "").strip()
        if not text and kind == "comment":
            raise ApiError(422, wire.E_INVALID, "a comment needs a text")
        if len(text) > 10000:
            raise ApiError(413, wire.E_TOO_LARGE, "a comment may have at most 10,000 characters")
        try:
            wire.check_uuid(comment_uuid)
        except ValueError as exc:
            raise ApiError(422, wire.E_INVALID, str(exc)) from None
        anchor = review.comment_fields(item, sample)
        if conn is None:
            with self.db.write() as conn:
                return self.add_comment(caller, uuid, comment_uuid, text, kind, conn,
                                        anchor["item"], anchor["sample"], rev)
        row = self._assessment(conn, caller, uuid)
        old = conn.execute(sa.select(db.comments).where(db.comments.c.uuid == comment_uuid)).first()
        if old is not None:
            if (old.assessment, old.text, old.kind) != (uuid, text, kind):
                raise ApiError(409, wire.E_REVISION_TAKEN, "a different comment already has this id")
            return {"uuid": comment_uuid, "at": old.at, "replayed": True}
        at = db.now()
        conn.execute(sa.insert(db.comments).values(uuid=comment_uuid, assessment=uuid,
                                                   author_id=caller.user_id, kind=kind,
                                                   text=text, at=at, rev=rev if rev is not None
                                                   else row.rev, **anchor))
        db.record_change(conn, "comment", comment_uuid, row.owner_id, row.team)
        return {"uuid": comment_uuid, "at": at}

    def review(self, caller: Caller, uuid: str, decision: str, text: str,
               comment_uuid: str | None = None, rev: int | None = None,
               countersigned: str | None = None) -> dict:
        """Approve or return a submitted assessment (supervisor of the team, or admin); the
        rules are in server/review.py."""
        return review.decide(self, caller, uuid, decision, text, comment_uuid, rev, countersigned)


def _ref(value) -> str | None:
    """A register id carried in the document's unit (``unit_id``/``round_id``), or None."""
    text = str(value or "").strip()
    return text[:100] if text else None


def expiry(hours: float) -> str:
    at = datetime.now(timezone.utc) + timedelta(hours=hours)
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
