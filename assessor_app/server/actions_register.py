"""The corrective-action register on the server (issue 11).

Rows come from three places: the findings of an assessment when it is **approved**
(:func:`from_approved`), suggestions of complaint examinations imported from CSV/XLSX
(:func:`import_file`), and the answers of a **follow-up visit** pushed by a laptop
(:func:`from_followup`), which move states. The arithmetic (what becomes an action, the states,
compliance) is :mod:`assessor_app.actions`; this module only stores and queries. Every change is
stamped in the change feed as kind ``action`` for the unit's team, so the team's laptops pull it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

from .. import actions as A
from ..errors import UserError
from ..i18n import _
from . import db

COLUMNS = ("reference", "government_id", "unit_id", "suggestion", "due_date")
REQUIRED = ("reference", "government_id", "unit_id", "suggestion")


def _today() -> str:
    return dt.date.today().isoformat()


def _row_to_action(r) -> A.Action:
    return A.Action.from_dict({
        "uuid": r.uuid, "source": r.source, "unit": r.unit_id, "text": json.loads(r.text),
        "due_date": r.due_date, "responsible": r.responsible, "government": r.government_id,
        "assessment": r.assessment, "item_id": r.item_id, "sample": r.sample,
        "finding": r.finding, "reference": r.reference, "created_at": r.created_at,
        "history": json.loads(r.history)})


_FIELDS = ("uuid", "source", "unit_id", "text", "due_date", "responsible", "government_id",
           "assessment", "item_id", "sample", "finding", "reference", "created_at", "state",
           "history", "team")
_KEYS = tuple({"unit_id": "unit", "government_id": "government"}.get(f, f) for f in _FIELDS)


def action_data(r, history: bool = True) -> dict:
    """An action as the change feed and ``actions list --json`` carry it (the same keys as
    :meth:`assessor_app.actions.Action.to_dict`, plus the team), straight from the row.
    ``history=False`` leaves the state history out (long listings)."""
    out = dict(zip(_KEYS, tuple(r)[:len(_FIELDS)]))
    out["text"] = json.loads(out["text"])
    if history:
        out["history"] = json.loads(out["history"])
    else:
        del out["history"]
    return out


def _where(conn, unit_id: str, fallback_team: str = "") -> tuple[str, str]:
    """(government id, team) of a register unit; ("", fallback) for a free-text unit."""
    row = conn.execute(sa.select(db.units.c.government_id, db.governments.c.team)
                       .join(db.governments, db.governments.c.id == db.units.c.government_id)
                       .where(db.units.c.id == unit_id)).first()
    return (row.government_id, row.team) if row is not None else ("", fallback_team)


def _insert(conn, action: A.Action, team: str) -> bool:
    if conn.execute(sa.select(db.corrective_actions.c.uuid)
                    .where(db.corrective_actions.c.uuid == action.uuid)).first():
        return False
    at = db.now()
    conn.execute(sa.insert(db.corrective_actions).values(
        uuid=action.uuid, source=action.source, unit_id=action.unit,
        government_id=action.government, team=team, assessment=action.assessment,
        item_id=action.item_id, sample=action.sample, reference=action.reference,
        text=json.dumps(dict(action.text), ensure_ascii=False), finding=action.finding,
        responsible=action.responsible, due_date=action.due_date, state=action.state,
        history=json.dumps([h.to_dict() for h in action.history]), created_at=at, updated_at=at))
    db.record_change(conn, "action", action.uuid, None, team or None)
    return True


def from_approved(conn, uuid: str) -> int:
    """Track the findings with a corrective action of approved assessment ``uuid`` (inside the
    caller's transaction). Idempotent. Returns how many actions were added."""
    row = conn.execute(sa.select(db.assessments).where(db.assessments.c.uuid == uuid)).first()
    if row is None or row.status != "approved":
        return 0
    doc = json.loads(row.doc)
    if doc["template"]["id"] == A.FOLLOWUP_TEMPLATE_ID:
        return 0
    unit_id = row.unit_id or str(doc.get("unit", {}).get("unit", "")) or ""
    owner_team = conn.execute(sa.select(db.users.c.team)
                              .where(db.users.c.id == row.owner_id)).scalar() or ""
    government, team = _where(conn, unit_id, owner_team)
    template = None
    try:
        from ..templates.loader import build_template
        template = build_template(doc["template_snapshot"])
    except Exception:   # an unreadable snapshot only costs the second language
        template = None
    findings = [{**f, "item_id": f.get("item")} for f in doc.get("findings", [])]
    made = A.from_findings({"uuid": uuid, "status": "approved", "unit_id": unit_id,
                            "government": government}, findings, template, at=db.now())
    return sum(_insert(conn, a, team) for a in made)


def from_followup(conn, doc: dict, by: str) -> int:
    """Move the states of the actions a pushed follow-up visit answered. Returns how many
    changed."""
    if doc["template"]["id"] != A.FOLLOWUP_TEMPLATE_ID:
        return 0
    answers = {e["item"]: e.get("value") for e in doc.get("answers", []) if "value" in e}
    notes = {e["item"]: e.get("note", "") for e in doc.get("answers", []) if e.get("note")}
    wanted = {}
    for item_id, value in answers.items():
        if value in A.DONE_STATES and item_id.startswith("ta_"):
            wanted[item_id] = value
    if not wanted:
        return 0
    unit_id = str(doc.get("unit", {}).get("unit_id") or doc.get("unit", {}).get("unit") or "")
    rows = conn.execute(sa.select(db.corrective_actions)
                        .where(db.corrective_actions.c.unit_id == unit_id)).all()
    at = (doc.get("visit_dates") or [None])[-1] or doc["assessment"].get("updated_at") or db.now()
    changed = 0
    for r in rows:
        action = _row_to_action(r)
        (moved,) = A.apply_followup([action], wanted, at, by, doc["assessment"]["uuid"], notes)
        if moved is action:
            continue
        _save(conn, moved, r.team)
        changed += 1
    return changed


def _save(conn, action: A.Action, team: str) -> None:
    conn.execute(sa.update(db.corrective_actions)
                 .where(db.corrective_actions.c.uuid == action.uuid)
                 .values(state=action.state, updated_at=db.now(),
                         history=json.dumps([h.to_dict() for h in action.history])))
    db.record_change(conn, "action", action.uuid, None, team or None)


def load(conn, ids: list[str]) -> dict[str, dict]:
    cols = [db.corrective_actions.c[f] for f in _FIELDS]
    return {r[0]: action_data(r) for r in conn.execute(
        sa.select(*cols).where(db.corrective_actions.c.uuid.in_(ids)))}


# ------------------------------------------------------------------------- complaint import
def import_file(database: db.Database, path: Path) -> dict:
    """Add complaint-examination suggestions from CSV/XLSX (columns: reference, government_id,
    unit_id, suggestion, due_date). All rows or none: the first bad row is named with its row
    number (as in a spreadsheet, the header being row 1) and column."""
    from .register import read_rows
    rows = read_rows(Path(path))
    name = Path(path).name
    if not rows:
        raise UserError(_("{file} has no rows").format(file=name))
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        raise UserError(_("{file}: missing column(s) {columns} (the columns are {all})").format(
            file=name, columns=", ".join(missing), all=", ".join(COLUMNS)))
    return add_suggestions(database, rows, name)


def add_suggestions(database: db.Database, rows: list[dict], name: str = "") -> dict:
    """Add complaint-examination suggestions (dicts with the :data:`COLUMNS`): all or none."""
    at = db.now()
    added = 0
    with database.write() as conn:
        made = []
        for n, row in enumerate(rows, start=2):
            def bad(column: str, why: str):
                if not name:
                    return UserError(_("{column}: {why}").format(column=column, why=why))
                return UserError(_("{file}: row {row}, column {column}: {why}; nothing was "
                                   "imported").format(file=name, row=n, column=column, why=why))
            for c in REQUIRED:
                if not row.get(c):
                    raise bad(c, _("is empty"))
            due = row.get("due_date", "")
            if due:
                try:
                    due = dt.date.fromisoformat(due[:10]).isoformat()
                except ValueError:
                    raise bad("due_date", _("{value!r} is not a date (YYYY-MM-DD)").format(
                        value=row["due_date"])) from None
            unit = conn.execute(sa.select(db.units.c.government_id, db.governments.c.team)
                                .join(db.governments, db.governments.c.id == db.units.c.government_id)
                                .where(db.units.c.id == row["unit_id"])).first()
            if unit is None:
                raise bad("unit_id", _("there is no unit {unit!r} in the register").format(
                    unit=row["unit_id"]))
            if unit.government_id != row["government_id"]:
                raise bad("government_id", _("unit {unit} belongs to {government}, not "
                                             "{given}").format(unit=row["unit_id"],
                                                               government=unit.government_id,
                                                               given=row["government_id"]))
            made.append((A.complaint_action(row["reference"], row["government_id"], row["unit_id"],
                                            row["suggestion"], due, at), unit.team))
        for action, team in made:
            added += _insert(conn, action, team)
    return {"rows": len(rows), "added": added, "already": len(rows) - added}


# ------------------------------------------------------------------------- queries
def list_actions(database: db.Database, *, overdue: bool = False, team: str | None = None,
                 government: str | None = None, unit: str | None = None,
                 state: str | None = None, today: str | None = None,
                 limit: int | None = None, history: bool = True) -> list[dict]:
    """Actions, overdue first (longest overdue first), then open by due date, then the rest.
    ``history=False`` leaves each action's state history out (faster for long lists)."""
    today = today or _today()
    c = db.corrective_actions.c
    q = sa.select(*[c[f] for f in _FIELDS])
    if overdue:
        q = q.where(c.state == "open", c.due_date != "", c.due_date < today)
    if team is not None:
        q = q.where(c.team == team)
    if government:
        q = q.where(c.government_id == government)
    if unit:
        q = q.where(c.unit_id == unit)
    if state:
        q = q.where(c.state == state)
    is_overdue = sa.case((sa.and_(c.state == "open", c.due_date != "", c.due_date < today), 0),
                         (c.state == "open", 1), else_=2)
    q = q.order_by(is_overdue, sa.case((c.due_date == "", "9999"), else_=c.due_date), c.uuid)
    if limit:
        q = q.limit(limit)
    with database.read() as conn:
        out = []
        for r in conn.execute(q):
            d = action_data(r, history)
            d["overdue"] = d["state"] == "open" and bool(d["due_date"]) and d["due_date"] < today
            out.append(d)
        return out


def settings_for(conn, round_id: str | None) -> A.Settings:
    if not round_id:
        return A.Settings()
    row = conn.execute(sa.select(db.action_settings)
                       .where(db.action_settings.c.round_id == round_id)).first()
    if row is None:
        return A.Settings()
    return A.Settings.from_dict({"partly_weight": row.partly_weight,
                                 "include_complaints": bool(row.include_complaints)})


def set_settings(database: db.Database, round_id: str, partly_weight: str | None = None,
                 include_complaints: bool | None = None) -> dict:
    """Set a round's compliance settings (the weight of "partly", whether complaint suggestions
    count)."""
    from .register import _round
    with database.write() as conn:
        _round(conn, round_id)
        now = settings_for(conn, round_id)
        try:
            new = A.Settings.from_dict({
                "partly_weight": partly_weight if partly_weight is not None else str(now.partly_weight),
                "include_complaints": now.include_complaints if include_complaints is None
                else include_complaints})
        except (ValueError, ZeroDivisionError):
            raise UserError(_("the weight of 'partly' is a number from 0 to 1, e.g. 0.5 or 1/2")) from None
        conn.execute(sa.delete(db.action_settings).where(db.action_settings.c.round_id == round_id))
        conn.execute(sa.insert(db.action_settings).values(
            round_id=round_id, partly_weight=str(new.partly_weight),
            include_complaints=int(new.include_complaints)))
        db.record_change(conn, "round", round_id)
    return {"round": round_id, **new.to_dict()}


def unit_compliance(database: db.Database, unit_id: str, round_id: str | None = None,
                    today: str | None = None) -> dict:
    """A unit's corrective-action compliance (the variable), from the register."""
    with database.read() as conn:
        settings = settings_for(conn, round_id)
        rows = conn.execute(sa.select(db.corrective_actions)
                            .where(db.corrective_actions.c.unit_id == unit_id)).all()
    return A.compliance([_row_to_action(r) for r in rows], settings, today or _today()).to_dict()
