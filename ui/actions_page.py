"""Corrective actions: the register pulled from the office (this team's units), overdue first,
with a unit filter and "New follow-up visit" for the chosen unit or the selected action's unit
(issue 11). The follow-up visit is an assessment like any other: it opens in the checklist,
keyboard-first (1 fully, 2 partly, 3 not, the N.A. key for no longer applicable)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableWidget, QTableWidgetItem, QWidget)

from assessor_app.i18n import format_number, language

from .context import Context
from .i18n import _
from .widgets.page import page_frame

STATE_WORDS = {"open": "open", "fully": "carried out fully", "partly": "carried out partly",
               "not": "not carried out", "na": "no longer applicable"}
COLUMNS = ("Due date", "State", "Unit", "Source", "Corrective action", "Responsible")
RED = QColor("#C62828")


class ActionsPage(QWidget):
    followup_requested = Signal(str)      # unit
    counts_changed = Signal(int)          # overdue actions

    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[dict] = []
        layout, head, self.count_label = page_frame(self, _("Corrective actions"))
        self.followup_button = QPushButton(_("New follow-up visit"))
        self.followup_button.setObjectName("primary")
        self.followup_button.clicked.connect(self.request_followup)
        head.addWidget(self.followup_button)
        filters = QHBoxLayout()
        self.unit_filter = QComboBox()
        self.unit_filter.currentIndexChanged.connect(lambda _i: self.fill())
        self.overdue_only = QCheckBox(_("Overdue only"))
        self.overdue_only.toggled.connect(lambda _c: self.fill())
        filters.addWidget(QLabel(_("Unit")))
        filters.addWidget(self.unit_filter, 2)
        filters.addWidget(self.overdue_only)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.compliance_label = QLabel("")
        self.compliance_label.setObjectName("muted")
        self.compliance_label.setWordWrap(True)
        layout.addWidget(self.compliance_label)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.itemActivated.connect(lambda _item: self.request_followup())
        self.table.itemSelectionChanged.connect(
            lambda: self.followup_button.setEnabled(bool(self.selected_unit())))
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == 4
                                        else QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(_("No corrective action yet. Actions come from the findings of "
                              "approved assessments and from complaint examinations; sync to "
                              "pull your team's register."))
        self.empty.setWordWrap(True)
        self.empty.setObjectName("muted")
        layout.addWidget(self.empty)
        self.reload()

    def reload(self) -> None:
        self.all_rows = self.ctx.store.list_actions()
        units = sorted({r["unit"] for r in self.all_rows})
        current = self.unit_filter.currentData()
        self.unit_filter.blockSignals(True)
        self.unit_filter.clear()
        self.unit_filter.addItem(_("All units"), None)
        for u in units:
            self.unit_filter.addItem(u, u)
        index = self.unit_filter.findData(current)
        self.unit_filter.setCurrentIndex(max(0, index))
        self.unit_filter.blockSignals(False)
        self.fill()
        self.counts_changed.emit(sum(1 for r in self.all_rows if r["overdue"]))

    def fill(self) -> None:
        unit = self.unit_filter.currentData()
        lang = language()
        rows = [r for r in self.all_rows if (unit is None or r["unit"] == unit)
                and (not self.overdue_only.isChecked() or r["overdue"])]
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            due = r["due_date"] or "–"
            if r["overdue"]:
                due = f"{due} · {_('overdue')}"
            values = [due, _(STATE_WORDS[r["state"]]), r["unit"],
                      r["reference"] or _("finding"), r["text"].get(lang) or r["text"].get("id") or "",
                      r["responsible"] or "–"]
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if r["overdue"] and col < 2:
                    cell.setForeground(QBrush(RED))
                self.table.setItem(i, col, cell)
        self.count_label.setText(str(len(rows)))
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if unit:
            c = self.ctx.store.unit_compliance(unit)
            value = _("N.A. (no applicable action)") if c.value is None else format_number(c.value, lang)
            self.compliance_label.setText(_("Corrective-action compliance of {unit}: {value}").format(
                unit=unit, value=value))
        else:
            self.compliance_label.setText("")
        self.followup_button.setEnabled(bool(self.selected_unit()))

    def selected_unit(self) -> str | None:
        """The unit a follow-up would visit: the selected action's, else the filtered unit."""
        row = self.table.currentRow()
        if 0 <= row < len(self.rows) and self.table.selectionModel().hasSelection():
            return self.rows[row]["unit"]
        return self.unit_filter.currentData() or (self.rows[0]["unit"] if len(
            {r["unit"] for r in self.rows}) == 1 else None)

    def select_action(self, uuid: str) -> None:
        for i, r in enumerate(self.rows):
            if r["uuid"] == uuid:
                self.table.selectRow(i)
                self.table.setCurrentCell(i, 0)
        self.followup_button.setEnabled(bool(self.selected_unit()))

    def request_followup(self) -> None:
        unit = self.selected_unit()
        if unit:
            self.followup_requested.emit(unit)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_unit():
            self.request_followup()
            return
        super().keyPressEvent(event)
