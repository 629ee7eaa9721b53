"""Plain records the store returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..scoring import AnswerSheet

STATUSES = ("draft", "completed", "submitted", "returned", "approved")
EDITABLE = ("draft", "returned")
#: allowed status changes: (from, to) -> history action name
TRANSITIONS = {
    ("draft", "completed"): "complete",
    ("returned", "completed"): "complete",
    ("completed", "draft"): "amend",
    ("completed", "submitted"): "submit",
    ("submitted", "returned"): "return",
    ("submitted", "approved"): "approve",
    ("returned", "draft"): "amend",
}


@dataclass(frozen=True)
class Change:
    """What a write changed, so views refresh only what they must (Anki's OpChanges)."""

    assessment: str
    action: str
    target: str
    at: str
    seq: int


@dataclass
class Assessment:
    uuid: str
    template_id: str
    template_version: str
    template_hash: str
    status: str
    unit: dict
    visit_dates: list
    inspectors: list
    samples: dict            # sample group id -> list of sample labels
    notes: str
    created_at: str
    updated_at: str
    history_seq: int
    history_head: str
    server_rev: int = 0
    sync_state: str = "local"
    answers: dict = field(default_factory=dict)        # (item_id, sample) -> value
    item_notes: dict = field(default_factory=dict)     # (item_id, sample) -> note
    findings: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    signatures: list = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    def evidence_counts(self) -> dict[tuple[str, int], int]:
        out: dict[tuple[str, int], int] = {}
        for ev in self.evidence:
            key = (ev["item_id"], ev["sample"])
            out[key] = out.get(key, 0) + 1
        return out

    def sheet(self) -> AnswerSheet:
        return AnswerSheet(answers=self.answers,
                           samples={g: len(labels) for g, labels in self.samples.items()},
                           evidence=self.evidence_counts())

    def title(self) -> str:
        parts = [self.unit.get("unit"), self.unit.get("agency")]
        return " - ".join(p for p in parts if p) or self.uuid[:8]

    def as_summary(self) -> dict[str, Any]:
        return {"uuid": self.uuid, "status": self.status, "unit": self.unit,
                "template": f"{self.template_id} {self.template_version}",
                "visit_dates": self.visit_dates, "inspectors": self.inspectors}
