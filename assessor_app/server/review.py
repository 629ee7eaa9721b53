"""Review on the server: anchored comments, and the supervisor's decisions (approve with the
countersigned report, return with a comment). HTTP-free; :class:`~.store.ServerStore` calls it.

Rules: only a supervisor of the owner's team (or an admin) decides, never on their own work;
only submitted work; the decision names the revision it was taken on, and a newer revision
(the inspector resubmitted meanwhile) refuses it with ``review_stale`` so the supervisor reviews
again, nothing lost. When the inspector's signed report was pushed with the document, approving
needs the countersigned one, which must be that same file with one more signature appended (an
incremental update): a countersignature on a regenerated report is refused. (Work from a laptop
that keeps no signed report, and the admin's ``assessor-server review``, approve unsigned.)
"""

from __future__ import annotations

import json
import uuid as uuidlib

import sqlalchemy as sa

from ..sync import wire
from . import db, register
from .errors import ApiError


def record_signed_report(conn, uuid: str, doc: dict, rev: int, user_id: int) -> None:
    """Keep the inspector's signed report named by a pushed document (``reports``)."""
    for r in doc.get("reports", []):
        if r.get("kind") != "signed":
            continue
        old = conn.execute(sa.select(db.signed_reports.c.sha256).where(
            db.signed_reports.c.uuid == uuid, db.signed_reports.c.kind == "signed")).first()
        if old is not None and old.sha256 == r["sha256"]:
            continue
        conn.execute(sa.delete(db.signed_reports).where(db.signed_reports.c.uuid == uuid,
                                                        db.signed_reports.c.kind == "signed"))
        conn.execute(sa.insert(db.signed_reports).values(
            uuid=uuid, kind="signed", sha256=r["sha256"], size=r["size"], rev=rev,
            by_id=user_id, at=db.now()))


def reports_of(conn, uuids: list[str]) -> dict[str, dict]:
    """``{uuid: {kind: {sha256, size, at, by}}}`` for the change feed and the admin list."""
    out: dict[str, dict] = {}
    if not uuids:
        return out
    r = db.signed_reports.c
    for row in conn.execute(sa.select(r.uuid, r.kind, r.sha256, r.size, r.at, r.rev,
                                      db.users.c.name)
                            .join(db.users, db.users.c.id == r.by_id, isouter=True)
                            .where(r.uuid.in_(uuids))):
        out.setdefault(row.uuid, {})[row.kind] = {"sha256": row.sha256, "size": row.size,
                                                  "at": row.at, "rev": row.rev,
                                                  "by": row.name or ""}
    return out


def decide(store, caller, uuid: str, decision: str, text: str, comment_uuid: str | None,
           rev: int | None = None, countersigned: str | None = None) -> dict:
    """Approve or return ``uuid``; see the module docstring for the rules."""
    if decision not in ("approve", "return"):
        raise ApiError(422, wire.E_INVALID, "the decision is 'approve' or 'return'")
    if caller.role not in ("supervisor", "admin"):
        raise ApiError(403, wire.E_FORBIDDEN, "only a supervisor may approve or return work")
    text = (text or "").strip()
    comment_uuid = comment_uuid or str(uuidlib.uuid4())
    with store.db.write() as conn:
        row = store._assessment(conn, caller, uuid)
        done = conn.execute(sa.select(db.comments.c.uuid)
                            .where(db.comments.c.uuid == comment_uuid)).first()
        if done is not None:
            return {"uuid": uuid, "status": row.status, "rev": row.rev, "replayed": True}
        if row.owner_id == caller.user_id and caller.role != "admin":
            raise ApiError(403, wire.E_FORBIDDEN, "you cannot review your own assessment")
        if register.closed_round(conn, row.round_id):
            raise ApiError(409, wire.E_LOCKED, f"round {row.round_id} is closed: its results are "
                                               f"frozen")
        if row.status != "submitted":
            raise ApiError(409, wire.E_STALE, f"assessment {uuid[:8]} is {row.status}; only "
                                              f"submitted work can be approved or returned",
                           current_status=row.status, current_rev=row.rev)
        if rev is not None and rev != row.rev:
            raise ApiError(409, wire.E_STALE, f"the inspector sent revision {row.rev} after you "
                                              f"reviewed revision {rev}", current_rev=row.rev)
        if decision == "return" and not text:
            raise ApiError(422, wire.E_INVALID, "returning work needs a comment saying what to "
                                                "fix")
        if decision == "approve":
            _countersigned(store, conn, caller, uuid, row.rev, countersigned)
        status = "approved" if decision == "approve" else "returned"
        conn.execute(sa.update(db.assessments).where(db.assessments.c.uuid == uuid)
                     .values(status=status, updated_at=db.now()))
        store.add_comment(caller, uuid, comment_uuid, text or decision, kind=decision, conn=conn,
                          rev=row.rev)
        db.record_change(conn, "assessment", uuid, row.owner_id, row.team)
        if status == "approved":            # its findings become tracked corrective actions
            from .actions_register import from_approved
            from_approved(conn, uuid)
    return {"uuid": uuid, "status": status, "rev": row.rev}


def _countersigned(store, conn, caller, uuid: str, rev: int, sha: str | None) -> None:
    from ..reports.inspect import report_facts
    from ..reports.package import FIELDS
    signed = conn.execute(sa.select(db.signed_reports.c.sha256).where(
        db.signed_reports.c.uuid == uuid, db.signed_reports.c.kind == "signed")).first()
    if signed is None and sha is None:
        return      # work from a laptop that keeps no signed report: approved unsigned
    if signed is None:
        raise ApiError(409, wire.E_STALE, "the inspector has not sent a signed report for this "
                                          "assessment yet; it cannot be countersigned")
    try:
        sha = wire.check_sha256(sha or "")
    except ValueError:
        raise ApiError(422, wire.E_INVALID, "approving needs the countersigned report") from None
    if store.blob_path is None or sha not in store.usable_blobs(caller, [sha], conn):
        # not stored, or stored but neither uploaded by this device nor visible to it (issue 15)
        raise ApiError(409, wire.E_MISSING_BLOBS, "the countersigned report has not arrived yet; "
                                                  "upload it, then send the decision again",
                       missing=[sha])
    original = store.blob_path(signed.sha256).read_bytes()
    pdf = store.blob_path(sha).read_bytes()
    if len(pdf) <= len(original) or not pdf.startswith(original):
        raise ApiError(422, wire.E_INVALID, "the countersigned report is not the inspector's "
                                            "signed report with a signature added (a "
                                            "countersignature goes on the inspector's signed PDF, "
                                            "never on a regenerated one)")
    try:
        facts = report_facts(pdf)
    except Exception:  # noqa: BLE001 - any unreadable PDF is refused below
        facts = None
    if facts is None or not facts.fields.get(FIELDS["supervisor"]):
        raise ApiError(422, wire.E_INVALID, "the countersigned report carries no supervisor's "
                                            "signature")
    conn.execute(sa.delete(db.signed_reports).where(db.signed_reports.c.uuid == uuid,
                                                    db.signed_reports.c.kind == "countersigned"))
    conn.execute(sa.insert(db.signed_reports).values(uuid=uuid, kind="countersigned", sha256=sha,
                                                     size=len(pdf), rev=rev,
                                                     by_id=caller.user_id, at=db.now()))
    if conn.execute(sa.select(db.assessment_blobs.c.sha256).where(
            db.assessment_blobs.c.uuid == uuid, db.assessment_blobs.c.sha256 == sha)).first() is None:
        conn.execute(sa.insert(db.assessment_blobs).values(uuid=uuid, sha256=sha))


def comment_fields(item, sample) -> dict:
    """Check a comment's anchor (item id, 0-based sample)."""
    if item is None:
        if sample is not None:
            raise ApiError(422, wire.E_INVALID, "a comment's sample needs its item")
        return {"item": None, "sample": None}
    if not isinstance(item, str) or not 0 < len(item) <= 64:
        raise ApiError(422, wire.E_INVALID, "a comment's item is an item id")
    sample = int(sample or 0)
    if not 0 <= sample <= 999:
        raise ApiError(422, wire.E_INVALID, "a comment's sample is 0-999")
    return {"item": item, "sample": sample}


__all__ = ["decide", "record_signed_report", "reports_of", "comment_fields", "json"]
