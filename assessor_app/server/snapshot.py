"""A closed round's frozen snapshot (shared/design/program-level.md: "a published round is a
frozen snapshot (its inputs' hashes recorded) so that a ranking can be recomputed and checked
later").

When a round is set to ``closed`` (:func:`take`, inside the same transaction) the server records
the inputs of its results (the register's governments and units, every assessment's results facts
with its content hash, the previous round's scores) and the rows it computed from them. From then
on the round's results are computed from the snapshot's inputs only (:func:`frozen_inputs`), so
later register edits or late changes to the database do not move a published ranking.
:func:`check` recomputes from the live database and lists what differs (``assessor-server results
ROUND --check``).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import sqlalchemy as sa

from .. import results as R
from ..errors import UserError
from ..i18n import translate as _
from . import db, register
from .round_inputs import compute, inputs


def _s(value) -> str | None:
    return None if value is None else str(value)


def _d(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _canonical(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def take(conn, rnd) -> dict:
    """Record round ``rnd``'s snapshot (a row of db.rounds, about to be closed)."""
    previous = None
    if rnd.previous_id:
        prev = _previous_scores(conn, rnd.previous_id)
        previous = {k: _d(v) for k, v in prev.items()}
    res, _template = compute(conn, rnd, previous)
    govs, units, assessments = inputs(conn, rnd.id)
    a = db.assessments.c
    hashes = dict(conn.execute(sa.select(a.uuid, a.content_hash).where(a.round_id == rnd.id)).all())
    body = {
        "round": rnd.id, "rule": rnd.rule, "min_units": rnd.min_units,
        "template": [rnd.template_id, rnd.template_version],
        "governments": [[g.id, g.name, g.category, g.province, g.team] for g in govs],
        "units": [[u.id, u.name, u.government_id] for u in units],
        "assessments": [{"uuid": x.uuid, "unit_id": x.unit_id, "status": x.status,
                         "total": _s(x.total), "updated_at": x.updated_at,
                         "sections": {k: _s(v) for k, v in x.sections.items()},
                         "failed": list(x.failed), "scored": list(x.scored),
                         "content_hash": hashes.get(x.uuid, "")} for x in assessments],
        "previous": {k: _s(v) for k, v in (previous or {}).items()},
        "rows": [g.row() for g in res.governments],
    }
    text = _canonical(body)
    sha = hashlib.sha256(text.encode()).hexdigest()
    conn.execute(sa.delete(db.round_snapshots).where(db.round_snapshots.c.round_id == rnd.id))
    conn.execute(sa.insert(db.round_snapshots).values(round_id=rnd.id, body=text, sha256=sha,
                                                      taken_at=db.now()))
    return {"sha256": sha, "governments": len(govs), "assessments": len(assessments)}


def _previous_scores(conn, round_id: str) -> dict:
    """The previous round's scores: from its snapshot when it is closed, else computed."""
    snap = load(conn, round_id)
    if snap is not None:
        return {r["id"]: None if r["score"] is None
                else str(Decimal(str(r["score"])).quantize(Decimal("0.01"))) for r in snap["rows"]}
    res, _t = compute(conn, register._round(conn, round_id))
    return {g.government.id: _s(g.score) for g in res.governments}


def load(conn, round_id: str) -> dict | None:
    row = conn.execute(sa.select(db.round_snapshots.c.body, db.round_snapshots.c.sha256,
                                 db.round_snapshots.c.taken_at)
                       .where(db.round_snapshots.c.round_id == round_id)).first()
    if row is None:
        return None
    body = json.loads(row.body)
    body["sha256"], body["taken_at"] = row.sha256, row.taken_at
    return body


def frozen_inputs(snap: dict):
    """``(governments, units, assessments, previous)`` as :func:`assessor_app.results.compute`
    takes them, from a snapshot."""
    govs = [R.Government(*g) for g in snap["governments"]]
    units = [R.Unit(*u) for u in snap["units"]]
    assessments = [R.Assessment(x["uuid"], x["unit_id"], x["status"], _d(x["total"]),
                                x["updated_at"], {k: _d(v) for k, v in x["sections"].items()},
                                tuple(x["failed"]), tuple(x["scored"]))
                   for x in snap["assessments"]]
    previous = {k: _d(v) for k, v in snap["previous"].items()} or None
    return govs, units, assessments, previous


def check(database: db.Database, round_id: str) -> tuple[dict | None, list[str]]:
    """Recompute a closed round from the live database and compare with its snapshot.
    Returns ``(snapshot, differences)``; ``snapshot`` is None when the round has none."""
    with database.read() as conn:
        rnd = register._round(conn, round_id)
        snap = load(conn, round_id)
        if snap is None:
            return None, []
        previous = None
        if rnd.previous_id:
            previous = {k: _d(v) for k, v in _previous_scores(conn, rnd.previous_id).items()}
        res, _template = compute(conn, rnd, previous)
        a = db.assessments.c
        live_hashes = dict(conn.execute(sa.select(a.uuid, a.content_hash)
                                        .where(a.round_id == round_id, a.status == "approved")).all())
    problems = []
    frozen_hashes = {x["uuid"]: x["content_hash"] for x in snap["assessments"]
                     if x["status"] == "approved"}
    for uuid in sorted(set(frozen_hashes) | set(live_hashes)):
        if uuid not in live_hashes:
            problems.append(_("assessment {uuid} is no longer approved in this round").format(uuid=uuid))
        elif uuid not in frozen_hashes:
            problems.append(_("assessment {uuid} was approved after the round was closed").format(
                uuid=uuid))
        elif frozen_hashes[uuid] != live_hashes[uuid]:
            problems.append(_("assessment {uuid} changed after the round was closed (content "
                              "hash {old} is now {new})").format(
                uuid=uuid, old=frozen_hashes[uuid][:12], new=live_hashes[uuid][:12]))
    frozen = {r["id"]: r for r in snap["rows"]}
    live = {g.government.id: g.row() for g in res.governments}
    for gid in sorted(set(frozen) | set(live)):
        if gid not in live:
            problems.append(_("government {id} is no longer in the register").format(id=gid))
        elif gid not in frozen:
            problems.append(_("government {id} was added to the register after the round was "
                              "closed").format(id=gid))
        else:
            for key in ("government", "category", "score", "band", "rank", "of"):
                if frozen[gid][key] != live[gid][key]:
                    problems.append(_("government {id}: {field} was {old}, is now {new}").format(
                        id=gid, field=key, old=frozen[gid][key], new=live[gid][key]))
    return snap, problems


def set_state(database: db.Database, round_id: str, state: str) -> dict:
    """Move a round to ``state``. Closing it takes its snapshot (:func:`take`), from which its
    results are served from then on; a closed round stays closed."""
    if state not in register.STATES:
        raise UserError(f"a round's state is one of {', '.join(register.STATES)}")
    with database.write() as conn:
        row = register._round(conn, round_id)
        if row.state == "closed" and state != "closed":
            raise UserError(f"round {round_id} is closed; a closed round is frozen")
        snap = None
        if state == "closed" and row.state != "closed":
            snap = take(conn, row)
        conn.execute(sa.update(db.rounds).where(db.rounds.c.id == round_id).values(state=state))
        db.record_change(conn, "round", round_id)
    out = {"id": round_id, "state": state}
    if snap is not None:
        out["snapshot"] = snap
    return out
