"""Templates: the checklist templates installed in this data folder, and importing a new one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QWidget,
)

from assessor_app.i18n import language

from .widgets.page import page_frame
from .context import FAILED, Context
from .i18n import _


class TemplatesPage(QWidget):
    counts_changed = Signal(int)

    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        layout, head, self.count_label = page_frame(self, _("Templates"))
        self.import_button = QPushButton(_("Import template…"))
        self.import_button.clicked.connect(self.import_from_file)
        head.addWidget(self.import_button)
        hint = QLabel(_("A template version, once installed, never changes: assessments keep the "
                        "exact version they were started with."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("Title"), _("Identifier"), _("Version"),
                                              _("Source"), _("Assessments")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            self.table.horizontalHeader().setSectionResizeMode(
                col, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        rows = self.ctx.store.list_templates()
        lang = language()
        source = {"default": _("shipped"), "file": _("imported")}
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            values = [r["title_en"] if lang == "en" else r["title_id"], r["id"], r["version"],
                      source.get(r["source"], r["source"]), str(r["assessments"])]
            for col, value in enumerate(values):
                self.table.setItem(i, col, QTableWidgetItem(value))
        self.count_label.setText(str(len(rows)))
        self.counts_changed.emit(len(rows))

    def import_from_file(self, path: str | None = None) -> None:
        path = path or self.ctx.dialogs.open_file(self, _("Import template"),
                                                  f"{_('Templates')} (*.yaml *.yml *.json)")
        if not path:
            return
        if self.ctx.write(self, self.ctx.store.import_template, path) is not FAILED:
            self.reload()
