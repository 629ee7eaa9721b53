"""The home screen: every assessment as a sortable, filterable table, with an empty state that
says what to do next. Loading runs in the background; the table never blocks the window."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QStackedWidget, QStyledItemDelegate, QVBoxLayout, QWidget,
)

from assessor_app.i18n import language
from assessor_app.store import STATUSES

from .widgets.page import list_table, page_frame
from .assessments_model import (
    AGENCY, CHIP_ROLE, GRADE, SCORE, STATUS, SYNC, TEMPLATE, UNIT, VISIT, AssessmentsModel, load_rows,
)
from .context import FAILED, Context
from .i18n import _, status_label
from .mnemonics import assign_mnemonics
from .widgets.chips import paint_chip


class ChipDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index):
        colours = index.data(CHIP_ROLE)
        if not colours:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        option.widget.style().drawControl(option.widget.style().ControlElement.CE_ItemViewItem,
                                          option, painter, option.widget)
        paint_chip(painter, option.rect, index.data(), *colours)


class HomePage(QWidget):
    open_requested = Signal(str)
    new_requested = Signal()
    demo_requested = Signal()
    counts_changed = Signal(int)
    actions_requested = Signal()          # show the corrective-action register
    followup_requested = Signal(str)      # a follow-up visit of this unit (an overdue action's)

    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = AssessmentsModel(self)
        self.loaded = False
        layout, _head, self.count_label = page_frame(self, _("Assessments"))
        layout.addWidget(self._overdue_bar())

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search unit, agency or address (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.search.installEventFilter(self)
        self.status_filter = QComboBox()
        self.status_filter.addItem(_("All statuses"), None)
        for s in STATUSES:
            self.status_filter.addItem(status_label(s), s)
        self.status_filter.currentIndexChanged.connect(self.apply_filter)
        self.template_filter = QComboBox()
        self.template_filter.setMinimumContentsLength(18)
        self.template_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.template_filter.addItem(_("All templates"), None)
        self.template_filter.currentIndexChanged.connect(self.apply_filter)
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel(_("Status")))
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(QLabel(_("Template")))
        filters.addWidget(self.template_filter, 2)
        layout.addLayout(filters)

        self.stack = QStackedWidget()
        self.table = list_table(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(VISIT, Qt.SortOrder.DescendingOrder)
        self.table.setItemDelegateForColumn(STATUS, ChipDelegate(self.table))
        self.table.setItemDelegateForColumn(GRADE, ChipDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(UNIT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AGENCY, QHeaderView.ResizeMode.Stretch)
        bold = QFont(header.font())
        bold.setBold(True)                 # the header titles are bold (theme), plus a sort arrow
        fm = QFontMetrics(bold)
        for col, width in ((TEMPLATE, 180), (VISIT, 100), (STATUS, 115), (SCORE, 70),
                           (GRADE, 240), (SYNC, 110)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            title = self.model.headerData(col, Qt.Orientation.Horizontal)
            self.table.setColumnWidth(col, max(width, fm.horizontalAdvance(title) + 34))
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self._empty_state())
        layout.addWidget(self.stack, 1)

        actions = QHBoxLayout()
        self.open_button = QPushButton(_("Open"))
        self.open_button.setProperty("primary", True)
        self.open_button.clicked.connect(lambda: self._open_index(self.table.currentIndex()))
        self.delete_button = QPushButton(_("Delete draft"))
        self.delete_button.setToolTip(_("Only drafts can be deleted; nothing else ever disappears."))
        self.delete_button.clicked.connect(self.delete_selected)
        self.previous_button = QPushButton(_("Start from the previous visit"))
        self.previous_button.setToolTip(_("A new assessment of the same unit and template: unit "
                                          "details and samples copied, the answers offered as "
                                          "suggestions."))
        self.previous_button.clicked.connect(self.start_from_previous)
        actions.addWidget(self.open_button)
        actions.addWidget(self.previous_button)
        actions.addWidget(self.delete_button)
        assign_mnemonics([self.open_button, self.delete_button])
        actions.addStretch(1)
        layout.addLayout(actions)
        self.table.installEventFilter(self)     # Delete asks, then deletes the draft
        self._update_actions()

    def _overdue_bar(self) -> QWidget:
        """Overdue corrective actions of this team's units, with a way to follow the first up."""
        self.overdue_box = QWidget()
        self.overdue_box.setObjectName("overdueBar")
        self.overdue_box.setStyleSheet("#overdueBar { background: #FDECEA; border: 1px solid #C62828;"
                                       " border-radius: 4px; }")
        row = QHBoxLayout(self.overdue_box)
        self.overdue_label = QLabel("")
        self.overdue_label.setWordWrap(True)
        self.overdue_followup = QPushButton(_("New follow-up visit"))
        self.overdue_followup.clicked.connect(
            lambda: self.overdue and self.followup_requested.emit(self.overdue[0]["unit"]))
        show = QPushButton(_("Show the actions"))
        show.clicked.connect(self.actions_requested)
        row.addWidget(self.overdue_label, 1)
        row.addWidget(self.overdue_followup)
        row.addWidget(show)
        self.overdue: list[dict] = []
        self.overdue_box.setVisible(False)
        return self.overdue_box

    def refresh_overdue(self) -> None:
        self.overdue = self.ctx.store.list_actions(overdue=True)
        if self.overdue:
            first = self.overdue[0]
            self.overdue_label.setText(_("{count} corrective action(s) overdue. The longest overdue: "
                                         "{unit}, due {due}: {text}").format(
                count=len(self.overdue), unit=first["unit"], due=first["due_date"],
                text=first["text"].get(language()) or first["text"].get("id") or ""))
        self.overdue_box.setVisible(bool(self.overdue))

    def _empty_state(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.addStretch(1)
        self.empty_label = QLabel(_("No assessments yet. Create one, or load the demo."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setObjectName("h1")
        v.addWidget(self.empty_label)
        row = QHBoxLayout()
        row.addStretch(1)
        new = QPushButton(_("New assessment"))
        new.setProperty("primary", True)
        new.clicked.connect(self.new_requested)
        demo = QPushButton(_("Load the demo assessments"))
        demo.clicked.connect(self.demo_requested)
        row.addWidget(new)
        row.addWidget(demo)
        row.addStretch(1)
        v.addLayout(row)
        v.addStretch(2)
        return box

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        """Reload the rows in the background (the core rescores stale rows there)."""
        def work():
            store = self.ctx.worker_store()
            try:
                return load_rows(store)
            finally:
                store.close()
        self.ctx.runner.run(work, self._loaded, lambda e: self.ctx.dialogs.show_exception(self, e),
                            label=_("Loading assessments…"))

    def _loaded(self, result) -> None:
        rows, templates = result
        current = self.selected_uuid()
        self.model.set_rows(rows, templates)
        self.loaded = True
        keep = self.template_filter.currentData()
        self.template_filter.blockSignals(True)
        while self.template_filter.count() > 1:
            self.template_filter.removeItem(1)
        for tid, title in self.model.template_choices():
            self.template_filter.addItem(title, tid)
        if keep:
            self.template_filter.setCurrentIndex(max(0, self.template_filter.findData(keep)))
        self.template_filter.blockSignals(False)
        self.apply_filter()
        wanted, self._select_after_load = getattr(self, "_select_after_load", None), None
        if wanted or current:
            self.select_uuid(wanted or current)
        self.counts_changed.emit(self.model.total())
        self.refresh_overdue()

    def apply_filter(self) -> None:
        self.model.set_filter(self.search.text(), self.status_filter.currentData(),
                              self.template_filter.currentData())
        self.stack.setCurrentIndex(1 if self.model.total() == 0 else 0)
        shown, total = self.model.rowCount(), self.model.total()
        self.count_label.setText(_("{shown} of {total}").format(shown=shown, total=total)
                                 if shown != total else str(total))
        self._update_actions()

    # ------------------------------------------------------------------ selection and actions
    def selected_uuid(self) -> str | None:
        idx = self.table.currentIndex()
        if not idx.isValid() or not self.table.selectionModel().isSelected(idx):
            return None
        return self.model.row(idx.row())["uuid"]

    def select_uuid(self, uuid: str) -> bool:
        for i in range(self.model.rowCount()):
            if self.model.row(i)["uuid"] == uuid:
                self.table.selectRow(i)
                return True
        return False

    def _update_actions(self, *args) -> None:
        idx = self.table.currentIndex()
        row = self.model.row(idx.row()) if self.selected_uuid() else None
        self.open_button.setEnabled(row is not None)
        self.previous_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None and row["status"] == "draft")

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.row(index.row())["uuid"])

    def start_from_previous(self) -> str | None:
        """A new assessment started from the selected one's unit and template (the last visit)."""
        idx = self.table.currentIndex()
        if not idx.isValid() or self.selected_uuid() is None:
            return None
        row = self.model.row(idx.row())
        made = self.ctx.write(self, self.ctx.store.start_from_previous, row["unit"], row["template_id"])
        if made is FAILED:
            return None
        self.ctx.data_changed.emit()
        self.open_requested.emit(made[0])
        return made[0]

    def delete_selected(self) -> None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return
        row = self.model.row(idx.row())
        if row["status"] != "draft":
            self.ctx.dialogs.error(self, _("Only drafts can be deleted; this assessment is {status}.")
                                   .format(status=status_label(row["status"])))
            return
        question = _("Delete the draft assessment of {unit}? Its answers and photos links are "
                     "removed; this cannot be undone.").format(unit=row["unit"])
        if not self.ctx.dialogs.confirm(self, question, _("Delete draft")):
            return
        next_row = idx.row() + 1 if idx.row() + 1 < self.model.rowCount() else idx.row() - 1
        keep = self.model.row(next_row)["uuid"] if next_row >= 0 else None
        if self.ctx.write(self, self.ctx.store.delete_draft, row["uuid"]) is not FAILED:
            self._select_after_load = keep          # the neighbour takes the selection
            self.ctx.data_changed.emit()
            self.table.setFocus()

    def eventFilter(self, obj, event) -> bool:
        """Down (or Enter) in the search box goes into the list, on its first row."""
        from PySide6.QtCore import QEvent
        if obj is getattr(self, "table", None) and event.type() == QEvent.Type.KeyPress and \
                event.key() == Qt.Key.Key_Delete:
            self.delete_selected()
            return True
        if obj is self.search and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.model.rowCount():
            self.table.setFocus()
            if not self.selected_uuid():
                self.table.selectRow(0)
            return True
        return super().eventFilter(obj, event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
