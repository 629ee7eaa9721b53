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


def counted_samples(samples: dict, absent: dict | None) -> dict[str, int]:
    """``{group: number of samples that count}`` from the labels and the absent reasons."""
    absent = absent or {}
    return {g: len(labels) - len(absent.get(g, [])) for g, labels in samples.items()}


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
    #: group id -> reasons of its trailing samples marked not interviewed / not available
    samples_absent: dict = field(default_factory=dict)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    def evidence_counts(self) -> dict[tuple[str, int], int]:
        out: dict[tuple[str, int], int] = {}
        for ev in self.evidence:
            key = (ev["item_id"], ev["sample"])
            out[key] = out.get(key, 0) + 1
        return out

    def counted_samples(self) -> dict[str, int]:
        """Samples per group that count: the samples marked not available sit at the end of
        their group and are left out here, so they leave the averages and the completeness."""
        return counted_samples(self.samples, self.samples_absent)

    def sheet(self) -> AnswerSheet:
        """The scoring input (samples not available are not counted)."""
        return AnswerSheet(answers=self.answers, samples=self.counted_samples(),
                           evidence=self.evidence_counts())

    def title(self) -> str:
        parts = [self.unit.get("unit"), self.unit.get("agency")]
        return " - ".join(p for p in parts if p) or self.uuid[:8]

    def as_summary(self) -> dict[str, Any]:
        return {"uuid": self.uuid, "status": self.status, "unit": self.unit,
                "template": f"{self.template_id} {self.template_version}",
                "visit_dates": self.visit_dates, "inspectors": self.inspectors}
