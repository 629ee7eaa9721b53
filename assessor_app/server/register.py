"""Rounds and the register of governments and their service units, on the server.

A **round** is a named period with its template, dates, aggregation rule and state
(``planning`` -> ``field_work`` -> ``review`` -> ``closed``); a closed round is frozen: pushes and
review decisions on its assessments are refused. The **register** lists governments (category,
province, responsible provincial office = the team) and their units; it is imported from CSV or
XLSX (one row per unit) and travels to the laptops of the government's team by sync pull.
Every function is one transaction; bad input raises UserError and changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import sqlalchemy as sa

from ..errors import UserError
from ..i18n import N_
from ..results import RULES
from . import db

STATES = ("planning", "field_work", "review", "closed")
STATE_WORDS = {"planning": N_("Planning"), "field_work": N_("Field work"), "review": N_("Review"),
               "closed": N_("Closed")}
CATEGORIES = ("Kementerian", "Lembaga", "Pemerintah Provinsi", "Pemerintah Kabupaten",
              "Pemerintah Kota")
COLUMNS = ("government_id", "government", "category", "province", "team", "unit_id", "unit",
           "address")
REQUIRED = ("government_id", "government", "category", "unit_id", "unit")
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")


def _round(conn, round_id: str):
    row = conn.execute(sa.select(db.rounds).where(db.rounds.c.id == round_id)).first()
    if row is None:
        raise UserError(f"there is no round {round_id!r} (see 'assessor-server round list')")
    return row


def round_row(database: db.Database, round_id: str):
    with database.read() as conn:
        return _round(conn, round_id)


def published_version(conn, template_id: str, version: str | None) -> str:
    """``version`` of ``template_id`` if it is published on this server (the newest published
    one when ``version`` is None); UserError otherwise."""
    versions = conn.execute(sa.select(db.templates.c.version)
                            .where(db.templates.c.id == template_id)).scalars().all()
    if version is None and versions:
        from ..store.templates import _version_key
        version = max(versions, key=_version_key)
    if version not in versions:
        raise UserError(f"template {template_id} {version or ''} is not published "
                        f"(use 'assessor-server template publish FILE' first)")
    return version


def add_round(database: db.Database, round_id: str, name: str, template_id: str,
              template_version: str | None = None, *, starts: str = "", ends: str = "",
              rule: str = "mean", min_units: int = 1, previous: str | None = None) -> dict:
    if not ID.match(round_id or ""):
        raise UserError("a round id is 1-100 letters, digits, '.', '_', ':' or '-' (e.g. 2022)")
    if rule not in RULES:
        raise UserError(f"the aggregation rule is one of {', '.join(RULES)}")
    if min_units < 1:
        raise UserError("--min-units must be at least 1")
    with database.write() as conn:
        if conn.execute(sa.select(db.rounds.c.id).where(db.rounds.c.id == round_id)).first():
            raise UserError(f"there is already a round {round_id!r}")
        template_version = published_version(conn, template_id, template_version)
        if previous:
            _round(conn, previous)
        conn.execute(sa.insert(db.rounds).values(
            id=round_id, name=name or round_id, template_id=template_id,
            template_version=template_version, starts=starts, ends=ends, state="planning",
            rule=rule, min_units=min_units, previous_id=previous or None, created_at=db.now()))
        db.record_change(conn, "round", round_id)
    return {"id": round_id, "template": f"{template_id}@{template_version}", "state": "planning"}


def list_rounds(database: db.Database) -> list[dict]:
    with database.read() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(db.rounds).order_by(db.rounds.c.created_at))]


def round_data(row) -> dict:
    """A round as the change feed carries it."""
    return {"id": row.id, "name": row.name, "template_id": row.template_id,
            "template_version": row.template_version, "starts": row.starts, "ends": row.ends,
            "state": row.state}


# ---------------------------------------------------------------------------- the register
def read_rows(path: Path) -> list[dict]:
    """Rows of a register file (CSV with a header, or the first sheet of an XLSX)."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path} does not exist")
    if path.suffix.lower() == ".xlsx":
        import openpyxl
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:   # openpyxl raises many types for a broken file
            raise UserError(f"{path.name} is not a readable XLSX file ({exc.__class__.__name__})") from None
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        if not rows:
            raise UserError(f"{path.name} is empty")
        header = [str(h or "").strip().lower() for h in rows[0]]
        return [{h: ("" if v is None else str(v).strip()) for h, v in zip(header, r)}
                for r in rows[1:] if any(v not in (None, "") for v in r)]
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{path.name} is not UTF-8 text; save the CSV as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [str(h or "").strip().lower() for h in (reader.fieldnames or [])]
    return [{k: (v or "").strip() for k, v in r.items() if k} for r in reader
            if any((v or "").strip() for v in r.values() if isinstance(v, str))]


def import_register(database: db.Database, path: Path) -> dict:
    """Add or update governments and units from a CSV/XLSX file with the columns
    ``government_id, government, category, province, team, unit_id, unit, address``."""
    rows = read_rows(path)
    if not rows:
        raise UserError(f"{Path(path).name} has no rows")
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        raise UserError(f"{Path(path).name} lacks the column(s) {', '.join(missing)}; the columns "
                        f"are {', '.join(COLUMNS)}")
    govs: dict[str, dict] = {}
    units: dict[str, dict] = {}
    for n, r in enumerate(rows, start=2):
        for c in REQUIRED:
            if not r.get(c):
                raise UserError(f"row {n}: {c} is empty; nothing was imported")
        for c in ("government_id", "unit_id"):
            if not ID.match(r[c]):
                raise UserError(f"row {n}: {c} {r[c]!r} is not an id (letters, digits, '.', '_', "
                                f"':' or '-'); nothing was imported")
        g = {"id": r["government_id"], "name": r["government"], "category": r["category"],
             "province": r.get("province", ""), "team": r.get("team", "")}
        if g["id"] in govs and govs[g["id"]] != g:
            raise UserError(f"row {n}: government {g['id']} is described differently than in an "
                            f"earlier row; nothing was imported")
        govs[g["id"]] = g
        if r["unit_id"] in units and units[r["unit_id"]]["government_id"] != g["id"]:
            raise UserError(f"row {n}: unit {r['unit_id']} appears under two governments; "
                            f"nothing was imported")
        units[r["unit_id"]] = {"id": r["unit_id"], "government_id": g["id"], "name": r["unit"],
                               "address": r.get("address", "")}
    return save_register(database, list(govs.values()), list(units.values()))


def save_register(database: db.Database, govs: list[dict], units: list[dict]) -> dict:
    """Upsert governments and units (one transaction) and stamp each government as changed."""
    at = db.now()
    new_g = new_u = 0
    with database.write() as conn:
        have_g = set(conn.execute(sa.select(db.governments.c.id)).scalars())
        have_u = dict(conn.execute(sa.select(db.units.c.id, db.units.c.government_id)).all())
        for u in units:
            if u["id"] in have_u and have_u[u["id"]] != u["government_id"]:
                raise UserError(f"unit {u['id']} already belongs to government {have_u[u['id']]}; "
                                f"nothing was imported")
        fresh_g = [{**g, "updated_at": at} for g in govs if g["id"] not in have_g]
        if fresh_g:
            conn.execute(sa.insert(db.governments), fresh_g)
        for g in govs:
            if g["id"] in have_g:
                conn.execute(sa.update(db.governments).where(db.governments.c.id == g["id"])
                             .values(**{k: v for k, v in g.items() if k != "id"}, updated_at=at))
        fresh_u = [u for u in units if u["id"] not in have_u]
        if fresh_u:
            conn.execute(sa.insert(db.units), fresh_u)
        for u in units:
            if u["id"] in have_u:
                conn.execute(sa.update(db.units).where(db.units.c.id == u["id"])
                             .values(name=u["name"], address=u["address"]))
        new_g, new_u = len(fresh_g), len(fresh_u)
        for g in govs:
            db.record_change(conn, "government", g["id"], None, g.get("team", ""))
    return {"governments": len(govs), "units": len(units), "new_governments": new_g,
            "new_units": new_u}


def government_data(conn, ids: list[str]) -> dict[str, dict]:
    """Governments with their units, as the change feed carries them."""
    out = {}
    for g in conn.execute(sa.select(db.governments).where(db.governments.c.id.in_(ids))):
        out[g.id] = {"id": g.id, "name": g.name, "category": g.category, "province": g.province,
                     "team": g.team, "units": []}
    for u in conn.execute(sa.select(db.units).where(db.units.c.government_id.in_(ids))
                          .order_by(db.units.c.name)):
        out[u.government_id]["units"].append({"id": u.id, "name": u.name, "address": u.address})
    return out


def list_governments(database: db.Database, team: str | None = None) -> list[dict]:
    with database.read() as conn:
        q = sa.select(db.governments).order_by(db.governments.c.category, db.governments.c.name)
        if team is not None:
            q = q.where(db.governments.c.team == team)
        govs = [dict(r._mapping) for r in conn.execute(q)]
        counts = dict(conn.execute(sa.select(db.units.c.government_id, sa.func.count())
                                   .group_by(db.units.c.government_id)).all())
    for g in govs:
        g["units"] = counts.get(g["id"], 0)
    return govs


def match_assessment(database: db.Database, uuid: str, unit_id: str | None,
                     round_id: str | None) -> dict:
    """The office links an assessment (free-text unit made offline) to a register unit and a
    round. Refused when either round involved is closed."""
    with database.write() as conn:
        row = conn.execute(sa.select(db.assessments.c.uuid, db.assessments.c.round_id,
                                     db.assessments.c.owner_id)
                           .where(db.assessments.c.uuid.like(uuid + "%"))).all()
        if len(row) != 1:
            raise UserError(f"{len(row)} assessments match {uuid!r}; give the full id")
        row = row[0]
        for rid in {row.round_id, round_id} - {None}:
            if _round(conn, rid).state == "closed":
                raise UserError(f"round {rid} is closed; its assessments cannot be changed")
        values = {}
        if unit_id is not None:
            if conn.execute(sa.select(db.units.c.id).where(db.units.c.id == unit_id)).first() is None:
                raise UserError(f"there is no unit {unit_id!r} in the register")
            values["unit_id"] = unit_id
        if round_id is not None:
            values["round_id"] = round_id
        conn.execute(sa.update(db.assessments).where(db.assessments.c.uuid == row.uuid).values(**values))
        owner_team = conn.execute(sa.select(db.users.c.team).where(db.users.c.id == row.owner_id)).scalar()
        db.record_change(conn, "assessment", row.uuid, row.owner_id, owner_team)
    return {"uuid": row.uuid, **values}


def assignment_unit(database: db.Database, unit: dict, unit_id: str | None,
                    round_id: str | None) -> dict:
    """An assignment's unit details linked to register unit ``unit_id`` and round ``round_id``
    (name, agency and address from the register where not given)."""
    out = dict(unit)
    with database.read() as conn:
        if round_id:
            if _round(conn, round_id).state == "closed":
                raise UserError(f"round {round_id} is closed; nothing can be assigned in it")
            out["round_id"] = round_id
        if unit_id:
            row = conn.execute(sa.select(db.units.c.name, db.units.c.address,
                                         db.governments.c.name.label("government"))
                               .join(db.governments, db.governments.c.id == db.units.c.government_id)
                               .where(db.units.c.id == unit_id)).first()
            if row is None:
                raise UserError(f"there is no unit {unit_id!r} in the register")
            out["unit_id"] = unit_id
            out["unit"] = out.get("unit") or row.name
            out["agency"] = out.get("agency") or row.government
            out["address"] = out.get("address") or row.address
    return out


def closed_round(conn, round_id: str | None) -> bool:
    if not round_id:
        return False
    state = conn.execute(sa.select(db.rounds.c.state).where(db.rounds.c.id == round_id)).scalar()
    return state == "closed"


def facts_of(result) -> str:
    """The JSON facts results need from a scored assessment (see assessor_app.results)."""
    failed, scored = set(), set()
    for (item_id, _s), x in result.items.items():
        if x.relevant and x.ratio is not None:
            scored.add(item_id)
            if x.failed:
                failed.add(item_id)
    top = {s.id for s in result.template.sections}
    return json.dumps({"total": float(result.total) if result.total is not None else None,
                       "sections": {k: float(v.score) for k, v in result.sections.items()
                                    if k in top and v.score is not None},
                       "failed": sorted(failed), "scored": sorted(scored)},
                      separators=(",", ":"))
