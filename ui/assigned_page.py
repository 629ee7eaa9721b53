"""Assigned: the visits the office assigned to this inspector, pulled by sync
(``store.list_assignments()``), with whether an assessment was started from each.

The link between an assignment and its assessment is the uuid: an assessment started from an
assignment carries the assignment's id as its uuid (the server hands that uuid to the assigned
inspector; ``materialise_assignments`` after a sync and the "Start assessment" button here both
use it), so the row knows it was started without any extra table, and the push needs no new
field. "Start assessment" opens the New-assessment dialog prefilled with the unit and the exact
template version of the assignment; the main window owns that dialog (``start_requested``).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QPushButton, QStackedWidget, QWidget,
)

from assessor_app.i18n import language

from .widgets.page import list_table, page_frame
from . import theme
from .assessments_model import CHIP_ROLE
from .checklist.review_panel import local_time
from .context import Context
from .home_page import ChipDelegate
from .i18n import _, status_label

UNIT, AGENCY, TEMPLATE, DUE, RECEIVED, STATE = range(6)
NOT_STARTED = ("#FFF4E5", "#7A4A00")     # waiting for the inspector: light amber, dark text


def load_assignments(store) -> list[dict]:
    """Assignment rows with the template's title and whether it is installed here."""
    lang = language()
    installed = {(t["id"], t["version"]): (t["title_en"] if lang == "en" else t["title_id"])
                 for t in store.list_templates()}
    titles = {tid: title for (tid, _version), title in installed.items()}   # any version
    rows = []
    for a in store.list_assignments():
        r = dict(a)
        unit = r.get("unit") or {}
        r["unit_name"] = unit.get("unit") or ""
        r["agency"] = unit.get("agency") or ""
        r["address"] = unit.get("address") or ""
        key = (r["template_id"], r["template_version"])
        r["installed"] = key in installed
        title = installed.get(key) or titles.get(r["template_id"]) or r["template_id"]
        r["template_label"] = f"{title} ({r['template_version']})"
        r["started"] = r.get("status") is not None
        r["received"] = local_time(r.get("received_at"))
        r["state_label"] = status_label(r["status"]) if r["started"] else _("Not started")
        rows.append(r)
    return rows


class AssignmentsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> dict:
        return self._rows[index]

    def rows(self) -> list[dict]:
        return list(self._rows)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [_("Unit"), _("Agency"), _("Template"), _("Due date"), _("Received"),
                    _("Assessment")][section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            template = r["template_label"] if r["installed"] else _(
                "Not installed yet: {template}").format(template=r["template_label"])
            return {UNIT: r["unit_name"], AGENCY: r["agency"], TEMPLATE: template,
                    DUE: r.get("due_date") or "", RECEIVED: r["received"][:10],
                    STATE: r["state_label"]}[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == TEMPLATE:
                return r["template_label"] if r["installed"] else "\n".join((r["template_label"], _(
                    "This template version is not installed yet: sync again to receive it.")))
            if col == RECEIVED:
                return r["received"]
            if col in (UNIT, AGENCY):
                return "\n".join(x for x in (r["unit_name"], r["agency"], r["address"]) if x)
        if role == CHIP_ROLE and col == STATE:
            return theme.STATUS_COLOURS.get(r["status"]) if r["started"] else NOT_STARTED
        return None


class AssignedPage(QWidget):
    start_requested = Signal(dict)     # an assignment row: open the prefilled New-assessment dialog
    open_requested = Signal(str)       # the uuid of the assessment started from it
    counts_changed = Signal(int)

    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = AssignmentsModel(self)
        layout, _head, self.count_label = page_frame(self, _("Assigned"))
        hint = QLabel(_("Visits your office assigned to you. They arrive when you sync; start the "
                        "assessment of each from here."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.stack = QStackedWidget()
        self.table = list_table(self.model)
        self.table.setItemDelegateForColumn(STATE, ChipDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TEMPLATE, QHeaderView.ResizeMode.Stretch)
        fm = header.fontMetrics()
        for col, width in ((UNIT, 230), (AGENCY, 230), (DUE, 100), (RECEIVED, 100), (STATE, 130)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            label = self.model.headerData(col, Qt.Orientation.Horizontal)
            self.table.setColumnWidth(col, max(width, fm.horizontalAdvance(label) + 34))
        self.table.doubleClicked.connect(lambda index: self.activate(index.row()))
        self.table.activated.connect(lambda index: self.activate(index.row()))
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.stack.addWidget(self.table)
        empty = QLabel(_("No assignments yet. Assignments from your office arrive when you sync."))
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        empty.setObjectName("h1")
        self.empty_label = empty
        self.stack.addWidget(empty)
        layout.addWidget(self.stack, 1)

        actions = QHBoxLayout()
        self.action_button = QPushButton(_("Start assessment"))
        self.action_button.setProperty("primary", True)
        self.action_button.clicked.connect(lambda: self.activate(self.selected_row()))
        self.reason = QLabel("")
        self.reason.setObjectName("muted")
        self.reason.setWordWrap(True)
        actions.addWidget(self.action_button)
        actions.addWidget(self.reason, 1)
        layout.addLayout(actions)
        self._update_actions()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        """Re-read the assignments (a handful of rows: read on the GUI thread)."""
        current = self.selected_id()
        rows = load_assignments(self.ctx.store)
        self.model.set_rows(rows)
        self.stack.setCurrentIndex(0 if rows else 1)
        for col in (UNIT, AGENCY):           # as wide as the names, up to a limit
            self.table.resizeColumnToContents(col)
            self.table.setColumnWidth(col, max(160, min(self.table.columnWidth(col) + 12, 300)))
        started = sum(1 for r in rows if r["started"])
        self.count_label.setText(_("{started} of {total} started").format(
            started=started, total=len(rows)) if rows else "")
        if current:
            self.select_id(current)
        elif rows:
            self.table.selectRow(0)
        self._update_actions()
        self.counts_changed.emit(len(rows))

    def has_assignments(self) -> bool:
        return self.model.rowCount() > 0

    # ------------------------------------------------------------------ selection and actions
    def selected_row(self) -> int:
        idx = self.table.currentIndex()
        if not idx.isValid() or not self.table.selectionModel().isSelected(idx):
            return -1
        return idx.row()

    def selected_id(self) -> str | None:
        row = self.selected_row()
        return self.model.row(row)["id"] if row >= 0 else None

    def select_id(self, assignment_id: str) -> bool:
        for i in range(self.model.rowCount()):
            if self.model.row(i)["id"] == assignment_id:
                self.table.selectRow(i)
                return True
        return False

    def _update_actions(self, *args) -> None:
        row = self.selected_row()
        r = self.model.row(row) if row >= 0 else None
        if r is not None and r["started"]:
            self.action_button.setText(_("Open assessment"))
            self.action_button.setEnabled(True)
            self.reason.setText("")
            return
        self.action_button.setText(_("Start assessment"))
        self.action_button.setEnabled(r is not None and r["installed"])
        self.reason.setText(_("The template {template} is not installed yet: sync again to "
                              "receive it.").format(template=r["template_label"])
                            if r is not None and not r["installed"] else "")

    def activate(self, row: int) -> None:
        """Open the assessment of a started row; start one (prefilled dialog) otherwise."""
        if row < 0 or row >= self.model.rowCount():
            return
        r = self.model.row(row)
        if r["started"]:
            self.open_requested.emit(r["id"])
        elif r["installed"]:
            self.start_requested.emit(r)
