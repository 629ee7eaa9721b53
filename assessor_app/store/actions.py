"""The laptop's copy of the corrective-action register (pulled by sync, change kind ``action``),
follow-up visits, the compliance variable and "start from the previous visit" (issue 11).

The arithmetic is :mod:`assessor_app.actions`; this mixin only stores, queries and creates.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from .. import actions as A
from ..errors import UserError
from ..i18n import _
from ..templates.loader import build_template, canonical_json
from .base import dumps, loads, now


def _today() -> str:
    return dt.date.today().isoformat()


class ActionsMixin:
    # ------------------------------------------------------------------ sync pull
    def _apply_action_change(self, c, data: dict) -> None:
        c.execute("INSERT INTO actions(uuid, unit, government, state, due_date, data, received_at)"
                  " VALUES(?,?,?,?,?,?,?) ON CONFLICT(uuid) DO UPDATE SET unit=excluded.unit,"
                  " government=excluded.government, state=excluded.state,"
                  " due_date=excluded.due_date, data=excluded.data, received_at=excluded.received_at",
                  (data["uuid"], data.get("unit", ""), data.get("government", ""),
                   data.get("state", "open"), data.get("due_date", ""), dumps(data), now()))

    def _apply_round_action_settings(self, c, data: dict) -> None:
        if "action_settings" in data:
            c.execute("INSERT INTO action_settings(round_id, data) VALUES(?,?) ON CONFLICT(round_id)"
                      " DO UPDATE SET data=excluded.data", (data["id"], dumps(data["action_settings"])))

    # ------------------------------------------------------------------ queries
    def actions_of(self, unit: str | None = None) -> list[A.Action]:
        sql, args = "SELECT data FROM actions", []
        if unit:
            sql += " WHERE unit=?"
            args.append(unit)
        return [A.Action.from_dict(loads(r[0])) for r in self.conn.execute(sql, args)]

    def list_actions(self, unit: str | None = None, overdue: bool = False,
                     today: str | None = None) -> list[dict]:
        """Actions of the pulled register, open ones first (overdue first), then the rest."""
        today = today or _today()
        acts = self.actions_of(unit)
        chosen = A.overdue(acts, today) if overdue else \
            A.open_first(acts, today) + sorted((a for a in acts if a.state != "open"),
                                               key=lambda a: (a.unit, a.due_date, a.uuid))
        return [{**a.to_dict(), "overdue": a.overdue(today)} for a in chosen]

    def action_settings(self, round_id: str | None = None) -> A.Settings:
        if round_id:
            row = self.conn.execute("SELECT data FROM action_settings WHERE round_id=?",
                                    (round_id,)).fetchone()
            if row is not None:
                return A.Settings.from_dict(loads(row[0]))
        return A.Settings()

    def unit_compliance(self, unit: str, round_id: str | None = None,
                        today: str | None = None) -> A.Compliance:
        return A.compliance(self.actions_of(unit), self.action_settings(round_id), today or _today())

    def _unit_details(self, unit: str) -> dict:
        """Unit details for a new assessment: from the pulled register when ``unit`` is a unit id
        there, else ``unit`` as free text."""
        for u in self.register_units():
            if unit in (u["unit_id"], u["unit"]):
                return {"unit": u["unit"], "agency": u["government"], "address": u["address"],
                        "unit_id": u["unit_id"], "government_id": u["government_id"]}
        return {"unit": unit}

    # ------------------------------------------------------------------ follow-up visit
    def create_followup(self, unit: str, round_id: str | None = None) -> tuple[str, list[str]]:
        """A follow-up assessment for ``unit`` whose checklist lists the unit's open actions
        (overdue first). Returns ``(uuid, item ids in order)``."""
        acts = A.open_first(self.actions_of(unit), _today())
        if not acts:
            raise UserError(_("unit {unit} has no open corrective action (sync first to pull the "
                              "register)").format(unit=unit))
        settings = self.action_settings(round_id)
        raw = A.followup_template(unit, acts, settings)
        digest = hashlib.sha256(canonical_json(raw["sections"]).encode("utf-8")).hexdigest()
        raw["version"] = f"1.{int(digest[:12], 16)}"
        template = build_template(raw)
        details = self._unit_details(unit)
        details["unit_id"] = unit if details.get("unit_id") is None else details["unit_id"]
        if round_id:
            details["round_id"] = round_id
        uid = self.create_assessment(template, unit=details, visit_dates=[_today()],
                                     inspectors=[self.actor] if getattr(self, "actor", "") else [])
        return uid, [A.followup_item_id(a) for a in acts]

    # ------------------------------------------------------------------ the variable
    def refresh_variables(self, uuid: str, today: str | None = None) -> int:
        """Fill the ``variable`` items of an editable assessment from the pulled register (the
        unit's corrective-action compliance). Returns how many values were set."""
        a = self.get(uuid)
        template = self.template_by_hash(a.template_hash)
        unit = a.unit.get("unit_id") or a.unit.get("unit") or ""
        n = 0
        for item in template.walk_items():
            if item.type != "variable" or item.variable != A.VARIABLE:
                continue
            value = A.variable_answer(self.unit_compliance(unit, a.unit.get("round_id"), today))
            if a.answers.get((item.id, 0)) != value:
                self.set_answer(uuid, item.id, value)
                n += 1
        return n

    # ------------------------------------------------------------------ previous visit
    def start_from_previous(self, unit: str, template_id: str) -> tuple[str, dict]:
        """A new assessment copying the unit details and samples of the last assessment of the
        same unit and template; its answers come back as *suggestions* (not set). Returns
        ``(uuid, {(item_id, sample): suggested value})``."""
        rows = self.conn.execute(
            "SELECT uuid, unit_extra, unit FROM assessments WHERE template_id=? ORDER BY created_at DESC",
            (template_id,)).fetchall()
        last = None
        for uuid, extra, name in rows:
            if unit in (loads(extra, {}).get("unit_id"), name):
                last = uuid
                break
        if last is None:
            raise UserError(_("there is no earlier assessment of {unit} with template {template}")
                            .format(unit=unit, template=template_id))
        prev = self.get(last)
        template = self.template_by_hash(prev.template_hash)
        uid = self.create_assessment(template, unit=dict(prev.unit), samples=dict(prev.samples),
                                     visit_dates=[_today()], inspectors=list(prev.inspectors))
        self.set_setting(f"suggestions.{uid}", dumps({"from": last, "answers": [
            [k[0], k[1], v] for k, v in prev.answers.items()
            if template.items.get(k[0]) is not None and template.items[k[0]].type != "variable"]}))
        return uid, dict(prev.answers)

    def suggestions(self, uuid: str) -> dict:
        """The previous visit's answers offered as suggestions for ``uuid`` (empty if none)."""
        raw = self.get_setting(f"suggestions.{uuid}")
        if not raw:
            return {}
        return {(i, s): v for i, s, v in loads(raw, {}).get("answers", [])}
