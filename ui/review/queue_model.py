"""The review queue as a Qt model: one row per team member's assessment held on this laptop."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from assessor_app.i18n import format_number, status_label

from ..i18n import _

INSPECTOR, UNIT, TEMPLATE, SUBMITTED, AGE, SCORE, STATUS, SIGNED, NOTE = range(9)
ZONE_COLOURS = {"green": "#2E7D32", "yellow": "#F9A825", "red": "#C62828"}


def age_text(at: str | None, now: dt.datetime | None = None) -> str:
    """``3 d`` / ``5 h`` since ``at`` (UTC ISO time)."""
    if not at:
        return ""
    try:
        then = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return ""
    hours = ((now or dt.datetime.now(dt.timezone.utc)) - then).total_seconds() / 3600
    return _("{n} d").format(n=int(hours // 24)) if hours >= 24 else _("{n} h").format(
        n=max(0, int(hours)))


class ReviewQueueModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []

    def headers(self) -> list[str]:
        return [_("Inspector"), _("Unit"), _("Template"), _("Submitted"), _("Age"), _("Score"),
                _("Status"), _("Signed"), _("Notes")]

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 9

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def uuid_at(self, row: int) -> str:
        return self.rows[row]["uuid"]

    def note(self, r: dict) -> str:
        parts = []
        if r.get("pending"):
            parts.append(_("decision waiting for sync: {decision}").format(
                decision=_("approve") if r["pending"] == "approve" else _("return")))
        if r.get("flags"):
            parts.append(_("conflict flagged by sync"))
        return "; ".join(parts)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == INSPECTOR:
                return r["owner"]
            if col == UNIT:
                return f"{r['unit']} ({r['agency']})" if r.get("agency") else r["unit"]
            if col == TEMPLATE:
                return f"{r['template_id']} {r['template_version']}"
            if col == SUBMITTED:
                return (r["submitted_at"] or "")[:16].replace("T", " ")
            if col == AGE:
                return age_text(r["submitted_at"])
            if col == SCORE:
                grade = f"  {r['grade']}" if r.get("grade") else ""
                return f"{format_number(r['score'])}{grade}"
            if col == STATUS:
                return status_label(r["status"])
            if col == SIGNED:
                return (_("countersigned") if r["countersigned"] else
                        _("signed") if r["signed"] else _("not signed"))
            if col == NOTE:
                return self.note(r)
        if role == Qt.ItemDataRole.ForegroundRole and col == SCORE and r.get("zone") in ZONE_COLOURS:
            return QBrush(QColor(ZONE_COLOURS[r["zone"]]))
        if role == Qt.ItemDataRole.ForegroundRole and col == NOTE and r.get("flags"):
            return QBrush(QColor("#C62828"))
        return None
