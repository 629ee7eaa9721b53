"""Corrective actions: pure functions, like :mod:`assessor_app.scoring`.

* :func:`from_findings` - the findings with a corrective action of an **approved** assessment
  become tracked actions (idempotent: the action's uuid is derived from the finding's).
* :func:`complaint_action` - a suggestion from a complaint examination's final report.
* :func:`apply_followup` - the answers of a follow-up visit move actions to their new state
  (fully / partly / not / na); each change is dated and attributed.
* :func:`compliance` - a unit's corrective-action compliance:
  ``(fully + partly_weight x partly) / applicable x 100`` (the reconstruction in
  shared/reference/ori-instrument.md; ``partly_weight`` (default 1/2) and whether complaint
  suggestions count are per-round :class:`Settings`). *Applicable* = carried out fully, partly
  or not, plus open actions already past their due date (they count as not carried out); open
  actions not yet due and actions no longer applicable leave the denominator. No applicable
  action: the value is N.A. (``None``).
* :func:`variable_answer` - the compliance as the answer of a template item of type
  ``variable`` (``variable: corrective_action_compliance``); :mod:`assessor_app.scoring` turns it
  into the item's ratio with :func:`variable_ratio`, so the variable is weighted and counted like
  any other item (one scoring engine).
* :func:`followup_template` - the checklist of a follow-up visit: one item per open action.

Everything takes and returns plain data; no database, no Qt.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Iterable, Mapping

STATES = ("open", "fully", "partly", "not", "na")
DONE_STATES = ("fully", "partly", "not", "na")
SOURCES = ("finding", "complaint")
VARIABLE = "corrective_action_compliance"
FOLLOWUP_TEMPLATE_ID = "tindak_lanjut"
_NS = uuidlib.UUID("6b1f0c7e-7f0e-4b53-9d55-2f7a3c1e11aa")


@dataclass(frozen=True)
class Settings:
    """Per-round settings of the compliance variable."""

    partly_weight: Fraction = Fraction(1, 2)
    include_complaints: bool = True

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> "Settings":
        raw = raw or {}
        weight = Fraction(str(raw.get("partly_weight", "1/2")))
        if not 0 <= weight <= 1:
            raise ValueError("partly_weight must lie in 0..1")
        return cls(weight, bool(raw.get("include_complaints", True)))

    def to_dict(self) -> dict:
        return {"partly_weight": str(self.partly_weight), "include_complaints": self.include_complaints}


@dataclass(frozen=True)
class Change:
    state: str
    at: str
    by: str
    assessment: str = ""      # the follow-up visit that observed it ("" when entered by hand)
    note: str = ""

    def to_dict(self) -> dict:
        return {"state": self.state, "at": self.at, "by": self.by,
                "assessment": self.assessment, "note": self.note}


@dataclass(frozen=True)
class Action:
    uuid: str
    source: str                       # finding | complaint
    unit: str                         # the unit's id (or name when there is no register)
    text: Mapping[str, str]           # {"id": ..., "en": ...}
    due_date: str = ""                # ISO date, "" when none
    responsible: str = ""
    government: str = ""
    assessment: str = ""              # source assessment (findings)
    item_id: str = ""                 # source item (findings)
    sample: int = 0
    finding: str = ""
    reference: str = ""               # complaint report number
    created_at: str = ""
    history: tuple[Change, ...] = ()

    @property
    def state(self) -> str:
        return self.history[-1].state if self.history else "open"

    def overdue(self, today: str) -> bool:
        return self.state == "open" and bool(self.due_date) and self.due_date < today

    def to_dict(self) -> dict:
        return {"uuid": self.uuid, "source": self.source, "unit": self.unit, "text": dict(self.text),
                "due_date": self.due_date, "responsible": self.responsible,
                "government": self.government, "assessment": self.assessment,
                "item_id": self.item_id, "sample": self.sample, "finding": self.finding,
                "reference": self.reference, "created_at": self.created_at, "state": self.state,
                "history": [h.to_dict() for h in self.history]}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> "Action":
        history = tuple(Change(h["state"], h["at"], h.get("by", ""), h.get("assessment", ""),
                               h.get("note", "")) for h in raw.get("history", ()))
        return cls(uuid=raw["uuid"], source=raw.get("source", "finding"), unit=raw.get("unit", ""),
                   text=dict(raw.get("text") or {}), due_date=raw.get("due_date") or "",
                   responsible=raw.get("responsible") or "", government=raw.get("government") or "",
                   assessment=raw.get("assessment") or "", item_id=raw.get("item_id") or "",
                   sample=int(raw.get("sample") or 0), finding=raw.get("finding") or "",
                   reference=raw.get("reference") or "", created_at=raw.get("created_at") or "",
                   history=history)


def action_uuid(*parts: str) -> str:
    return str(uuidlib.uuid5(_NS, "/".join(parts)))


def from_findings(assessment: Mapping[str, Any], findings: Iterable[Mapping[str, Any]],
                  template=None, at: str = "") -> list[Action]:
    """Tracked actions from the findings of ``assessment`` (a mapping with ``uuid``, ``status``,
    ``unit``/``unit_id`` and optionally ``government``). Only an approved assessment yields
    actions, and only findings whose corrective action is not empty. When the action text is the
    template's default in one language, the other language comes from the template too."""
    if assessment.get("status") != "approved":
        return []
    unit = assessment.get("unit_id") or assessment.get("unit") or ""
    out = []
    for f in findings:
        text = (f.get("action") or "").strip()
        if not text:
            continue
        both = {"id": text, "en": text}
        item = template.items.get(f.get("item_id")) if template is not None else None
        if item is not None and item.action is not None:
            defaults = {"id": item.action.get("id"), "en": item.action.get("en")}
            if text in defaults.values():
                both = defaults
        out.append(Action(
            uuid=action_uuid(assessment["uuid"], f.get("uuid") or f"{f.get('item_id')}/{f.get('sample', 0)}"),
            source="finding", unit=unit, text=both, due_date=f.get("due_date") or "",
            responsible=f.get("responsible") or "", government=assessment.get("government") or "",
            assessment=assessment["uuid"], item_id=f.get("item_id") or "",
            sample=int(f.get("sample") or 0), finding=f.get("text") or "", created_at=at))
    return out


def complaint_action(reference: str, government: str, unit: str, suggestion: str,
                     due_date: str = "", at: str = "") -> Action:
    """A corrective-action suggestion from a complaint examination's final report."""
    return Action(uuid=action_uuid("complaint", reference, unit, suggestion), source="complaint",
                  unit=unit, text={"id": suggestion, "en": suggestion}, due_date=due_date,
                  government=government, reference=reference, created_at=at)


def followup_item_id(action: Action) -> str:
    return "ta_" + action.uuid.replace("-", "")


def with_state(action: Action, state: str, at: str, by: str, assessment: str = "",
               note: str = "") -> Action:
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    if action.history and action.history[-1].state == state and \
            action.history[-1].assessment == assessment:
        return action
    return replace(action, history=action.history + (Change(state, at, by, assessment, note),))


def apply_followup(actions: Iterable[Action], answers: Mapping[str, Any], at: str, by: str,
                   assessment: str = "", notes: Mapping[str, str] | None = None) -> list[Action]:
    """New states from a follow-up visit's answers (``{item_id: fully|partly|not|na}``); actions
    the visit did not answer keep their state."""
    notes = notes or {}
    out = []
    for a in actions:
        key = followup_item_id(a)
        value = answers.get(key)
        out.append(with_state(a, value, at, by, assessment, notes.get(key, ""))
                   if value in DONE_STATES else a)
    return out


@dataclass(frozen=True)
class Compliance:
    fully: int = 0
    partly: int = 0
    not_done: int = 0
    overdue: int = 0          # open and past due: counted as not carried out
    open: int = 0             # open, not yet due: not counted
    na: int = 0
    excluded: int = 0         # complaint suggestions left out by the round's setting
    partly_weight: Fraction = Fraction(1, 2)

    @property
    def applicable(self) -> int:
        return self.fully + self.partly + self.not_done + self.overdue

    @property
    def ratio(self) -> Fraction | None:
        if not self.applicable:
            return None
        return (self.fully + self.partly_weight * self.partly) / self.applicable

    @property
    def value(self) -> Fraction | None:
        r = self.ratio
        return None if r is None else r * 100

    def to_dict(self) -> dict:
        return {"fully": self.fully, "partly": self.partly, "not": self.not_done,
                "overdue": self.overdue, "open": self.open, "na": self.na,
                "excluded": self.excluded, "applicable": self.applicable,
                "partly_weight": str(self.partly_weight),
                "value": None if self.value is None else float(self.value)}


def compliance(actions: Iterable[Action], settings: Settings = Settings(),
               today: str = "9999-12-31") -> Compliance:
    counts = {"fully": 0, "partly": 0, "not": 0, "overdue": 0, "open": 0, "na": 0, "excluded": 0}
    for a in actions:
        if a.source == "complaint" and not settings.include_complaints:
            counts["excluded"] += 1
            continue
        state = a.state
        if state == "open":
            state = "overdue" if a.overdue(today) else "open"
        counts[state] += 1
    return Compliance(counts["fully"], counts["partly"], counts["not"], counts["overdue"],
                      counts["open"], counts["na"], counts["excluded"], settings.partly_weight)


def variable_answer(result: Compliance) -> dict | str:
    """The answer of a ``variable`` item for this compliance ("na" when nothing is applicable)."""
    if not result.applicable:
        return "na"
    return {"fully": result.fully, "partly": result.partly,
            "applicable": result.applicable, "partly_weight": str(result.partly_weight)}


def variable_ratio(value: Any) -> Fraction | None:
    """The ratio 0..1 of a ``variable`` item's answer; ``None`` (N.A.) when nothing applies or
    the answer is malformed."""
    if not isinstance(value, Mapping):
        return None
    try:
        fully, partly = int(value["fully"]), int(value["partly"])
        applicable = int(value["applicable"])
        weight = Fraction(str(value.get("partly_weight", "1/2")))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if applicable <= 0 or fully < 0 or partly < 0 or fully + partly > applicable or not 0 <= weight <= 1:
        return None
    return (fully + weight * partly) / applicable


def overdue(actions: Iterable[Action], today: str) -> list[Action]:
    """Open actions past their due date, the longest overdue first."""
    return sorted((a for a in actions if a.overdue(today)), key=lambda a: (a.due_date, a.uuid))


def open_first(actions: Iterable[Action], today: str) -> list[Action]:
    """Open actions, overdue first (longest overdue first), then by due date."""
    items = [a for a in actions if a.state == "open"]
    return sorted(items, key=lambda a: (not a.overdue(today), a.due_date or "9999", a.uuid))


def followup_template(unit: str, actions: Iterable[Action], settings: Settings = Settings(),
                      version: str = "1") -> dict:
    """The checklist of a follow-up visit (format ``assessor-template/1``): one choice item per
    open action (fully = 1, partly = the round's weight, not = 0, N.A.), plus a note. Its score is
    the compliance of the listed actions, by the one scoring engine."""
    items = []
    for n, a in enumerate(x for x in actions if x.state == "open"):
        weight = 0 if (a.source == "complaint" and not settings.include_complaints) else 1
        where = a.reference or (a.item_id and f"{a.item_id}") or ""
        items.append({
            "id": followup_item_id(a), "type": "choice", "weight": weight, "na": True,
            "text": {"id": a.text.get("id") or a.text.get("en") or "-",
                     "en": a.text.get("en") or a.text.get("id") or "-"},
            "guidance": {"id": f"Jatuh tempo {a.due_date or '-'}; penanggung jawab "
                               f"{a.responsible or '-'}; sumber {where or '-'}",
                         "en": f"Due {a.due_date or '-'}; responsible {a.responsible or '-'}; "
                               f"source {where or '-'}"},
            "options": [
                {"value": "fully", "label": {"id": "Dilaksanakan sepenuhnya", "en": "Carried out fully"}, "score": 1},
                {"value": "partly", "label": {"id": "Dilaksanakan sebagian", "en": "Carried out partly"},
                 "score": float(settings.partly_weight)},
                {"value": "not", "label": {"id": "Tidak dilaksanakan", "en": "Not carried out"}, "score": 0},
                {"value": "na", "label": {"id": "Tidak berlaku lagi", "en": "No longer applicable"}, "na": True},
            ],
        })
    return {
        "format": "assessor-template/1", "id": FOLLOWUP_TEMPLATE_ID, "version": version,
        "title": {"id": f"Kunjungan tindak lanjut: {unit}", "en": f"Follow-up visit: {unit}"},
        "source": {"id": "Rekonstruksi: kepatuhan terhadap saran tindakan korektif",
                   "en": "Reconstruction: compliance with corrective-action suggestions"},
        "bands": [
            {"id": "A", "label": {"id": "Patuh", "en": "Compliant"}, "min": 80, "max": 100, "colour": "#2E7D32", "zone": "green"},
            {"id": "B", "label": {"id": "Sebagian", "en": "Partly"}, "min": 50, "max": 79.99, "colour": "#F9A825", "zone": "yellow"},
            {"id": "C", "label": {"id": "Tidak patuh", "en": "Not compliant"}, "min": 0, "max": 49.99, "colour": "#C62828", "zone": "red"},
        ],
        "sections": _chunks(items) + [
            {"id": "catatan_umum", "title": {"id": "Catatan", "en": "Notes"},
             "items": [{"id": "catatan", "type": "text",
                        "text": {"id": "Catatan kunjungan", "en": "Notes of the visit"}}]},
        ],
    }


#: actions per checklist section (a page of the checklist)
PER_SECTION = 20


def _chunks(items: list[dict]) -> list[dict]:
    """The action items in sections of :data:`PER_SECTION` (unweighted: the score pools points)."""
    if not items:
        return [{"id": "tindakan", "title": {"id": "Tindakan korektif", "en": "Corrective actions"},
                 "items": [{"id": "catatan_kosong", "type": "text",
                            "text": {"id": "Tidak ada tindakan terbuka", "en": "No open action"}}]}]
    if len(items) <= PER_SECTION:
        return [{"id": "tindakan", "title": {"id": "Tindakan korektif", "en": "Corrective actions"},
                 "items": items}]
    out = []
    for n in range(0, len(items), PER_SECTION):
        part = items[n:n + PER_SECTION]
        span = f"{n + 1}-{n + len(part)}"
        out.append({"id": f"tindakan_{n // PER_SECTION + 1}",
                    "title": {"id": f"Tindakan korektif {span}", "en": f"Corrective actions {span}"},
                    "items": part})
    return out
