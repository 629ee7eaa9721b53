"""Editing the register one record at a time (issue 10): a government's name, category,
province and team; a unit added, renamed, moved or removed. Used by the office's admin forms
(/office/register/...) and ``assessor-server register set-government|set-unit|remove-unit``.

Every function checks all its fields first and raises :class:`RegisterInvalid` (field -> message)
before writing anything; a change is stamped in the change feed like an import, so laptops pull
the new register. A closed round keeps the register of its snapshot.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..errors import UserError
from ..i18n import N_, Text, _, shown
from . import db
from .register import ID

LIMITS = {"name": 300, "category": 100, "province": 200, "team": 200, "unit_name": 400,
          "address": 2000}


class RegisterInvalid(UserError):
    """Bad input for a register edit: ``errors`` maps a field to its message (a
    :class:`~assessor_app.i18n.Text`, shown in the reader's language)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {shown(v)}" for k, v in errors.items()))


def _text(errors: dict, field: str, value: str | None, limit: int, required: bool) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if required and not value:
        errors[field] = Text(N_("this field cannot be empty"))
    elif len(value) > limit:
        errors[field] = Text(N_("at most {n} characters"), n=limit)
    return value


def _government(conn, gov_id: str):
    row = conn.execute(sa.select(db.governments).where(db.governments.c.id == gov_id)).first()
    if row is None:
        raise UserError(_("no government {id} in the register").format(id=gov_id))
    return row


def government(database: db.Database, gov_id: str) -> dict:
    """A government with its units (for the edit form)."""
    with database.read() as conn:
        g = dict(_government(conn, gov_id)._mapping)
        g["units"] = [dict(u._mapping) for u in conn.execute(
            sa.select(db.units).where(db.units.c.government_id == gov_id).order_by(db.units.c.name))]
    return g


def set_government(database: db.Database, gov_id: str, *, name: str | None = None,
                   category: str | None = None, province: str | None = None,
                   team: str | None = None) -> dict:
    """Change the given fields of government ``gov_id`` (None = unchanged)."""
    errors: dict[str, str] = {}
    values = {"name": _text(errors, "name", name, LIMITS["name"], True),
              "category": _text(errors, "category", category, LIMITS["category"], True),
              "province": _text(errors, "province", province, LIMITS["province"], False),
              "team": _text(errors, "team", team, LIMITS["team"], False)}
    values = {k: v for k, v in values.items() if v is not None}
    with database.write() as conn:
        old = _government(conn, gov_id)
        if errors:
            raise RegisterInvalid(errors)
        if not values:
            raise RegisterInvalid({"name": Text(N_("nothing to change: give --name, --category, "
                                                "--province or --team"))})
        conn.execute(sa.update(db.governments).where(db.governments.c.id == gov_id)
                     .values(**values, updated_at=db.now()))
        db.record_change(conn, "government", gov_id, None, values.get("team", old.team))
    return {"id": gov_id, **values}


def set_unit(database: db.Database, unit_id: str, *, government_id: str | None = None,
             name: str | None = None, address: str | None = None) -> dict:
    """Add unit ``unit_id`` (``government_id`` and ``name`` needed) or change its fields."""
    errors: dict[str, str] = {}
    unit_id = (unit_id or "").strip()
    if not ID.match(unit_id):
        errors["unit_id"] = Text(N_("not an id: letters, digits, '.', '_', ':' or '-', at most 100"))
    name = _text(errors, "unit_name", name, LIMITS["unit_name"], True)
    address = _text(errors, "address", address, LIMITS["address"], False)
    with database.write() as conn:
        old = conn.execute(sa.select(db.units).where(db.units.c.id == unit_id)).first() \
            if "unit_id" not in errors else None
        gov_id = government_id or (old.government_id if old is not None else None)
        if gov_id is None:
            errors["government_id"] = Text(N_("give the government the new unit belongs to"))
        elif conn.execute(sa.select(db.governments.c.id)
                          .where(db.governments.c.id == gov_id)).first() is None:
            errors["government_id"] = Text(N_("no government {id} in the register"), id=gov_id)
        if old is None and name is None and "unit_name" not in errors:
            errors["unit_name"] = Text(N_("a new unit needs a name"))
        if errors:
            raise RegisterInvalid(errors)
        values = {"government_id": gov_id}
        if name is not None:
            values["name"] = name
        if address is not None:
            values["address"] = address
        if old is None:
            conn.execute(sa.insert(db.units).values(**{"address": "", **values, "id": unit_id}))
        else:
            conn.execute(sa.update(db.units).where(db.units.c.id == unit_id).values(**values))
        teams = dict(conn.execute(sa.select(db.governments.c.id, db.governments.c.team).where(
            db.governments.c.id.in_({gov_id, old.government_id if old is not None else gov_id})
        )).all())
        for gid, team in teams.items():
            db.record_change(conn, "government", gid, None, team)
    return {"id": unit_id, "added": old is None, **values}


def remove_unit(database: db.Database, unit_id: str) -> dict:
    """Remove a unit no assessment refers to."""
    with database.write() as conn:
        old = conn.execute(sa.select(db.units).where(db.units.c.id == unit_id)).first()
        if old is None:
            raise RegisterInvalid({"unit_id": Text(N_("no unit {id} in the register"), id=unit_id)})
        used = conn.execute(sa.select(sa.func.count()).select_from(db.assessments)
                            .where(db.assessments.c.unit_id == unit_id)).scalar_one()
        if used:
            raise RegisterInvalid({"unit_id": Text(N_("{n} assessments refer to unit {id}; it cannot "
                                                   "be removed (rename it instead)"), n=used, id=unit_id)})
        conn.execute(sa.delete(db.units).where(db.units.c.id == unit_id))
        team = conn.execute(sa.select(db.governments.c.team)
                            .where(db.governments.c.id == old.government_id)).scalar()
        db.record_change(conn, "government", old.government_id, None, team)
    return {"id": unit_id, "removed": True, "government_id": old.government_id}
