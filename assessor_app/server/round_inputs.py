"""A round's inputs read from the server database, and its results computed from them (or from
a snapshot's frozen inputs). Below both :mod:`.results` (the live views and exports) and
:mod:`.snapshot` (the frozen results of a closed round), so neither imports the other back."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa

from .. import results as R
from ..errors import UserError
from ..templates.loader import build_template
from . import db


@lru_cache(maxsize=16)
def template_from_json(body: str):
    return build_template(json.loads(body), "server template", trusted=True)


def template_of(conn, template_id: str, version: str):
    body = conn.execute(sa.select(db.templates.c.body).where(
        db.templates.c.id == template_id, db.templates.c.version == version)).scalar()
    if body is None:
        raise UserError(f"template {template_id} {version} is not on this server")
    return template_from_json(body)


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def inputs(conn, round_id: str):
    """The round's governments, units and assessments (with their stored facts) as
    :func:`assessor_app.results.compute` takes them."""
    govs = [R.Government(g.id, g.name, g.category, g.province, g.team)
            for g in conn.execute(sa.select(db.governments))]
    units = [R.Unit(u.id, u.name, u.government_id)
             for u in conn.execute(sa.select(db.units.c.id, db.units.c.name, db.units.c.government_id))]
    a = db.assessments.c
    fc = db.assessment_facts.c
    rows = conn.execute(sa.select(a.uuid, a.unit_id, a.status, a.updated_at, fc.facts)
                        .join(db.assessment_facts, fc.uuid == a.uuid)
                        .where(a.round_id == round_id, a.unit_id.is_not(None))).all()
    assessments = []
    for r in rows:
        f = json.loads(r.facts or "{}")
        assessments.append(R.Assessment(
            r.uuid, r.unit_id, r.status, dec(f.get("total")), r.updated_at,
            {k: dec(v) for k, v in f.get("sections", {}).items()},
            tuple(f.get("failed", ())), tuple(f.get("scored", ()))))
    return govs, units, assessments


def compute(conn, rnd, previous=None, given=None) -> tuple[R.RoundResults, object]:
    """The results of round ``rnd`` (a row of db.rounds) and its template, from the live
    database or from ``given`` inputs (a snapshot's)."""
    template = template_of(conn, rnd.template_id, rnd.template_version)
    govs, units, assessments = given or inputs(conn, rnd.id)
    res = R.compute(govs, units, assessments, R.bands_of(template), rule=rnd.rule,
                    min_units=rnd.min_units, dimensions=[s.id for s in template.sections],
                    previous=previous)
    return res, template
