"""Results: this laptop's work by round and government, from local data (only approved work
gives a government a score, exactly as on the office server: both call
``assessor_app.results.compute``), with CSV/XLSX export of what is on this laptop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QWidget)

from assessor_app.i18n import format_number, language, zone_label
from assessor_app.results_export import write_table
from assessor_app.store.register import SUMMARY_COLUMNS, summary_rows

from .context import FAILED, Context
from .i18n import _
from .widgets.page import page_frame


class ResultsPage(QWidget):
    counts_changed = Signal(int)

    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[dict] = []
        layout, head, self.count_label = page_frame(self, _("Results"))
        self.export_button = QPushButton(_("Export…"))
        self.export_button.clicked.connect(lambda: self.export())
        head.addWidget(self.export_button)
        hint = QLabel(_("Your work by round and government, from this laptop's data. Only approved "
                        "assessments give a score; the office server has the whole round."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = QTableWidget(0, len(SUMMARY_COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in SUMMARY_COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for col in range(len(SUMMARY_COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == 1
                                        else QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        self.rows = self.ctx.store.local_results()
        lang = language()
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            grade = f"{r['grade']} · {zone_label(r['zone'], lang)}" if r["grade"] else "–"
            values = [r["round"] or "–", r["government"] or _("Not matched to the register"),
                      r["category"], r["province"], str(r["units"]), str(r["assessments"]),
                      str(r["approved"]), format_number(r["score"], lang), grade]
            for col, value in enumerate(values):
                self.table.setItem(i, col, QTableWidgetItem(value))
        self.count_label.setText(str(len(self.rows)))
        self.export_button.setEnabled(bool(self.rows))
        self.counts_changed.emit(len(self.rows))

    def export(self, path: str | None = None):
        """Write the table to ``path`` (.csv or .xlsx; asks when None). Returns the path or None."""
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Export results"), str(Path.home() / "results.xlsx"),
                "Excel (*.xlsx);;CSV (*.csv)")
            if not path:
                return None
        header = [_(c) for c in SUMMARY_COLUMNS]
        if self.ctx.write(self, write_table, path, header, summary_rows(self.rows)) is FAILED:
            return None
        self.ctx.notice.emit(_("Results exported to {path}").format(path=path))
        return path
