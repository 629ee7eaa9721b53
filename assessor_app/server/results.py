"""Queries that feed :mod:`assessor_app.results` from the server database (no arithmetic here).

:func:`round_results` is the one entry point the web pages, ``assessor-server results``, the
exports and the government report call, so they all show the same figures. ``team`` limits the
governments to one provincial office (a supervisor's view); the ranks stay those of the whole
category (a province's office sees its governments' national ranks).
"""

from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

import sqlalchemy as sa

from .. import results as R
from ..errors import UserError
from . import db, register, snapshot
from .round_inputs import compute as _compute, dec as _dec, template_from_json, template_of


@dataclass
class RoundView:
    round: dict
    template: object
    results: R.RoundResults
    dimensions: list          # template top-level sections, in order
    revision: int = 0         # the change counter the results were computed at
    snapshot: str | None = None   # a closed round's snapshot SHA-256 (results served from it)


_cache: dict[tuple[str, str], tuple[int, RoundView]] = {}
_lock = threading.Lock()


def round_results(database: db.Database, round_id: str, *, team: str | None = None) -> RoundView:
    """The results of ``round_id`` (and the change against its previous round).

    Computed from the approved assessments on every change: the result is kept only together
    with the change counter it was computed at (every committed write moves the counter), so a
    cached result is never stale. ``team`` keeps that office's governments (ranks stay national)."""
    with database.read() as conn:
        seq = conn.execute(sa.select(db.counter.c.n).where(db.counter.c.id == 1)).scalar_one()
    hit = _cache.get((database.url, round_id))
    if hit is not None and hit[0] == seq:
        view = hit[1]
    else:
        with _lock:            # one computation at a time: concurrent viewers wait for it
            hit = _cache.get((database.url, round_id))
            if hit is not None and hit[0] >= seq:
                view = hit[1]
            else:
                with database.read() as conn:
                    seq = conn.execute(sa.select(db.counter.c.n).where(db.counter.c.id == 1)).scalar_one()
                    rnd = register._round(conn, round_id)
                    snap = snapshot.load(conn, round_id) if rnd.state == "closed" else None
                    if snap is not None:      # a closed round: from its frozen inputs only
                        *inputs, previous = snapshot.frozen_inputs(snap)
                        res, template = _compute(conn, rnd, previous, inputs)
                    else:
                        previous = None
                        if rnd.previous_id:
                            previous = {k: _dec(v) for k, v in
                                        snapshot._previous_scores(conn, rnd.previous_id).items()}
                        res, template = _compute(conn, rnd, previous)
                view = RoundView(dict(rnd._mapping), template, res, list(template.sections), seq,
                                 snap["sha256"] if snap else None)
                _cache[(database.url, round_id)] = (seq, view)
    if team is None:
        return view
    govs = [g for g in view.results.governments if g.government.team == team]
    res = dataclasses.replace(view.results, governments=govs,
                              counts=R.counts(govs, view.results.bands))
    return dataclasses.replace(view, results=res)


def trend(database: db.Database, government_id: str, scope: str | None = None
          ) -> list[tuple[str, Decimal | None]]:
    """The government's score in every round, oldest first: ``[(round name, score)]``."""
    out = []
    for r in register.list_rounds(database):
        view = round_results(database, r["id"], team=scope)
        g = view.results.government(government_id)
        if g is not None and g.score is not None:
            out.append((r["name"], g.score))
    return out


def review_status(database: db.Database, round_id: str) -> dict:
    """Per team: register units, assessments of the round (any status), submitted, approved."""
    a = db.assessments.c
    with database.read() as conn:
        register._round(conn, round_id)
        rows = conn.execute(sa.select(db.users.c.team, a.status)
                            .join(db.users, db.users.c.id == a.owner_id)
                            .where(a.round_id == round_id)).all()
        units = dict(conn.execute(sa.select(db.governments.c.team, sa.func.count())
                                  .join(db.units, db.units.c.government_id == db.governments.c.id)
                                  .group_by(db.governments.c.team)).all())
    return R.review_status(((r.team or "-", r.status) for r in rows),
                           {(k or "-"): v for k, v in units.items()})


def unit_info(database: db.Database, unit_id: str) -> dict | None:
    u, g = db.units.c, db.governments.c
    with database.read() as conn:
        row = conn.execute(sa.select(u.id, u.name, u.address, u.government_id,
                                     g.name.label("government"), g.team, g.category, g.province)
                           .join(db.governments, g.id == u.government_id)
                           .where(u.id == unit_id)).first()
    return dict(row._mapping) if row is not None else None


def unit_assessments(database: db.Database, unit_id: str) -> list[dict]:
    a = db.assessments.c
    with database.read() as conn:
        rows = conn.execute(sa.select(a.uuid, a.status, a.round_id, a.updated_at,
                                      db.assessment_facts.c.facts, db.users.c.name.label("owner"))
                            .join(db.users, db.users.c.id == a.owner_id)
                            .outerjoin(db.assessment_facts, db.assessment_facts.c.uuid == a.uuid)
                            .where(a.unit_id == unit_id).order_by(a.updated_at.desc())).all()
        reports: dict[str, list[str]] = {}
        if rows:
            for s in conn.execute(sa.select(db.signed_reports.c.uuid, db.signed_reports.c.kind)
                                  .where(db.signed_reports.c.uuid.in_([r.uuid for r in rows]))
                                  .order_by(db.signed_reports.c.kind)):
                reports.setdefault(s.uuid, []).append(s.kind)
    return [{"uuid": r.uuid, "status": r.status, "round": r.round_id, "owner": r.owner,
             "updated_at": r.updated_at, "score": _dec(json.loads(r.facts or "{}").get("total")),
             "reports": reports.get(r.uuid, [])} for r in rows]


def signed_report(database: db.Database, uuid: str, kind: str) -> dict | None:
    """A signed report kept for an assessment (its blob hash) with the unit's team, or None."""
    r, a, u, g = db.signed_reports.c, db.assessments.c, db.units.c, db.governments.c
    with database.read() as conn:
        row = conn.execute(sa.select(r.sha256, r.size, g.team)
                           .join(db.assessments, a.uuid == r.uuid)
                           .join(db.units, u.id == a.unit_id)
                           .join(db.governments, g.id == u.government_id)
                           .where(r.uuid == uuid, r.kind == kind)).first()
    return dict(row._mapping) if row is not None else None


ANSWER_COLUMNS = ("round", "government", "unit", "assessment", "section", "item", "sample",
                  "value", "item_score")


def iter_answers(database: db.Database, round_id: str, *, batch: int = 200) -> Iterator[tuple]:
    """Every answer of the round's approved assessments in long form (see ANSWER_COLUMNS),
    reading ``batch`` documents at a time so memory stays flat. ``item_score`` is the answer's
    ratio 0..1 from the scoring engine's :func:`~assessor_app.scoring.item_ratio` (empty for
    N.A., unscored items and items hidden by a relevance rule)."""
    from ..exchange import sheet_of
    from ..scoring import item_ratio, relevance
    rnd, template, documents = _round_documents(database, round_id, batch, template=True)
    sections: dict = {}
    ratios: dict = {}
    for uuid, doc, gname, uname in documents:
        tpl = template if doc["template"]["hash"] == template.hash else \
            template_from_json(json.dumps(doc["template_snapshot"]))
        if tpl.hash not in sections:
            sections[tpl.hash] = {i.id: s.id for s in tpl.walk_sections() for i in s.items}
        section_of = sections[tpl.hash]
        live = relevance(tpl, sheet_of(doc)) if _has_rules(tpl) else None
        for ans in doc["answers"]:
            if "value" not in ans:
                continue
            item = tpl.items.get(ans["item"])
            value = ans["value"]
            key = (ans["item"], ans["sample"] if item is not None and item.sample_group else 0)
            shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) \
                else value
            ratio = None
            if item is not None and (live is None or live.get(key, True)):
                memo = (tpl.hash, ans["item"], str(shown))     # few distinct values per item
                if memo not in ratios:
                    r = item_ratio(item, value)
                    ratios[memo] = float(r) if r is not None else None
                ratio = ratios[memo]
            yield (rnd.name, gname, uname, uuid, section_of.get(ans["item"], ""),
                   ans["item"], ans["sample"] + 1, shown, ratio)


def _round_documents(database: db.Database, round_id: str, batch: int, *, template: bool = False):
    """``(round, its template or None, documents)`` where ``documents`` yields ``(uuid, document,
    government name, unit name)`` for the round's approved assessments, ordered by unit, read
    ``batch`` documents at a time (memory stays flat for a national round)."""
    a = db.assessments.c
    with database.read() as conn:
        rnd = register._round(conn, round_id)
        tpl = template_of(conn, rnd.template_id, rnd.template_version) if template else None
        names = {u.id: (u.gname, u.name) for u in conn.execute(
            sa.select(db.units.c.id, db.units.c.name, db.governments.c.name.label("gname"))
            .join(db.governments, db.governments.c.id == db.units.c.government_id))}
        uuids = conn.execute(sa.select(a.uuid).where(a.round_id == round_id, a.status == "approved")
                             .order_by(a.unit_id, a.uuid)).scalars().all()

    def documents():
        for start in range(0, len(uuids), batch):
            with database.read() as conn:
                rows = conn.execute(sa.select(a.uuid, a.unit_id, a.doc)
                                    .where(a.uuid.in_(uuids[start:start + batch]))
                                    .order_by(a.unit_id, a.uuid)).all()
            for d in rows:
                doc = json.loads(d.doc)
                gname, uname = names.get(d.unit_id, ("", doc["unit"].get("unit", "")))
                yield d.uuid, doc, gname, uname
    return rnd, tpl, documents()


FINDING_COLUMNS = ("round", "government", "unit", "assessment", "item", "sample", "finding",
                   "corrective_action", "responsible", "due_date", "status")


def iter_findings(database: db.Database, round_id: str, *, batch: int = 200) -> Iterator[tuple]:
    """The findings and their corrective actions of the round's approved assessments (see
    FINDING_COLUMNS), ``batch`` documents at a time. (Issue 11 adds the actions' follow-up.)"""
    rnd, _template, documents = _round_documents(database, round_id, batch)
    for uuid, doc, gname, uname in documents:
        for f in doc.get("findings", []):
            yield (rnd.name, gname, uname, uuid, f.get("item") or "", (f.get("sample") or 0) + 1,
                   f["text"], f.get("action", ""), f.get("responsible", ""),
                   f.get("due_date", ""), f.get("status", "open"))


_RULES: dict[str, bool] = {}


def _has_rules(template) -> bool:
    """Whether any item of ``template`` has a relevance rule (then answers are checked)."""
    if template.hash not in _RULES:
        _RULES[template.hash] = any(i.relevant_expr is not None for i in template.walk_items())
    return _RULES[template.hash]


def find_government(view: RoundView, key: str):
    """A government's results in ``view`` by its id or exact name."""
    g = view.results.government(key) or next(
        (x for x in view.results.governments if x.government.name == key), None)
    if g is None:
        raise UserError(f"no government {key!r} in the register (give its id or exact name)")
    return g
