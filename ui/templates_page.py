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
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.setToolTip(_("Open the selected template in the editor; saving makes a "
                                      "new version"))
        self.edit_button.clicked.connect(lambda: self.open_editor())
        from .template_editor import can_edit_templates
        self.edit_button.setVisible(can_edit_templates(ctx.store))
        self.export_button = QPushButton(_("Export XLSForm…"))
        self.export_button.clicked.connect(lambda: self.export_xlsform())
        head.addWidget(self.edit_button)
        head.addWidget(self.export_button)
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
        self.table.doubleClicked.connect(lambda _i: self.open_editor()
                                         if self.edit_button.isVisible() else None)
        for col in range(1, 5):
            self.table.horizontalHeader().setSectionResizeMode(
                col, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        rows = self.ctx.store.list_templates()
        lang = language()
        source = {"default": _("shipped"), "file": _("imported"), "editor": _("edited here"),
                  "xlsform": _("imported from XLSForm")}
        self.rows = rows
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
                                                  f"{_('Templates')} (*.yaml *.yml *.json *.xlsx)")
        if not path:
            return
        if self.ctx.write(self, self.ctx.store.import_template, path) is not FAILED:
            self.reload()

    def selected(self) -> dict | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def open_editor(self, template_id: str | None = None, version: str | None = None):
        """Open the editor on the selected (or given) template version; returns the editor."""
        from .template_editor import TemplateEditor
        if template_id is None:
            row = self.selected()
            if row is None:
                self.ctx.dialogs.info(self, _("Select a template first."))
                return None
            template_id, version = row["id"], row["version"]
        editor = TemplateEditor(self.ctx, self.ctx.store.get_template(template_id, version), self)
        editor.saved.connect(lambda *_a: self.reload())
        editor.setModal(False)
        editor.show()
        self.editor = editor
        return editor

    def export_xlsform(self, path: str | None = None) -> None:
        from assessor_app.fileio import atomic_write
        from assessor_app.templates.xlsform import export_xlsform
        row = self.selected()
        if row is None:
            self.ctx.dialogs.info(self, _("Select a template first."))
            return
        if path is None:
            from PySide6.QtWidgets import QFileDialog
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Export XLSForm"), f"{row['id']}-{row['version']}.xlsx", "XLSForm (*.xlsx)")
        if not path:
            return
        template = self.ctx.store.get_template(row["id"], row["version"])
        try:
            atomic_write(path, export_xlsform(template))
        except OSError as exc:
            self.ctx.dialogs.error(self, _("Could not write {path}: {reason}").format(
                path=path, reason=exc.strerror or exc))
            return
        self.ctx.notice.emit(_("Exported {path}").format(path=path))
