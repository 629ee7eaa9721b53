"""The "Review" sidebar page: the queue of the team's work with filters and counts, opening one
into the review screen, and saving or printing all approved reports of a period in one go."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QProgressDialog, QPushButton, QStackedWidget,
                               QTableView, QVBoxLayout, QWidget)

from ..i18n import _
from .printing import approved_in_period, save_all
from .queue_model import UNIT, ReviewQueueModel
from .review_screen import ReviewScreen

FILTERS = ("submitted", "returned", "approved", "")


class ReviewPage(QWidget):
    counts_changed = Signal(int)      # submitted work waiting for a decision

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.screen: ReviewScreen | None = None
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        queue = QWidget()
        v = QVBoxLayout(queue)
        head = QHBoxLayout()
        title = QLabel(_("Review"))
        title.setObjectName("pageTitle")
        head.addWidget(title)
        head.addStretch(1)
        self.filter = QComboBox()
        for key in FILTERS:
            self.filter.addItem("", key)
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        head.addWidget(self.filter)
        v.addLayout(head)
        self.model = ReviewQueueModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(UNIT, QHeaderView.ResizeMode.Stretch)   # long names elide
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.doubleClicked.connect(lambda index: self.open_review(self.model.uuid_at(index.row())))
        v.addWidget(self.table, 1)
        self.empty = QLabel(_("No team work on this laptop yet. Sync to get your team's submitted "
                              "assessments; they stay here for review offline."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        v.addWidget(self.empty)
        batch = QHBoxLayout()
        batch.addWidget(QLabel(_("Approved reports from")))
        self.since = QLineEdit()
        self.since.setPlaceholderText(_("YYYY-MM-DD"))
        self.until = QLineEdit()
        self.until.setPlaceholderText(_("YYYY-MM-DD"))
        batch.addWidget(self.since)
        batch.addWidget(QLabel(_("to")))
        batch.addWidget(self.until)
        self.save_all_button = QPushButton(_("Save all approved reports…"))
        self.save_all_button.clicked.connect(lambda: self.save_all_approved())
        batch.addWidget(self.save_all_button)
        self.print_all_button = QPushButton(_("Print all approved reports…"))
        self.print_all_button.clicked.connect(lambda: self.print_all_approved())
        batch.addWidget(self.print_all_button)
        batch.addStretch(1)
        v.addLayout(batch)
        self.stack.addWidget(queue)
        self.queue = queue
        self.counts: dict = {}
        self.reload()

    def reload(self) -> None:
        store = self.ctx.store
        self.counts = store.review_counts()
        labels = {"submitted": _("To review ({n})"), "returned": _("Returned ({n})"),
                  "approved": _("Approved ({n})"), "": _("All ({n})")}
        total = sum(self.counts[k] for k in ("submitted", "returned", "approved"))
        for i, key in enumerate(FILTERS):
            self.filter.setItemText(i, labels[key].format(n=self.counts[key] if key else total))
        rows = store.review_queue(self.filter.currentData() or None)
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        self.counts_changed.emit(self.counts["submitted"])

    def open_review(self, uuid: str) -> ReviewScreen:
        self.close_review()
        self.screen = ReviewScreen(self.ctx, uuid)
        self.screen.back_requested.connect(self.close_review)
        self.screen.changed.connect(self.reload)
        self.stack.addWidget(self.screen)
        self.stack.setCurrentWidget(self.screen)
        return self.screen

    def close_review(self) -> None:
        if self.screen is not None:
            self.screen.close_page()
            self.stack.removeWidget(self.screen)
            self.screen.deleteLater()
            self.screen = None
        self.stack.setCurrentWidget(self.queue)
        self.reload()

    def shutdown(self) -> None:
        """The window closes or rebuilds: stop the open review screen's timers."""
        if self.screen is not None:
            self.screen.close_page()
            self.screen = None

    def print_all_approved(self, to_file: Path | None = None) -> int:
        """Print every approved, countersigned report of the period as one job, with progress
        (``to_file``: into that PDF file, no printer dialog). Returns the pages printed."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        from .printing import paint_many
        rows = approved_in_period(self.ctx.store, self.since.text().strip(),
                                  self.until.text().strip())
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if to_file is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(to_file))
        elif QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
            return 0
        pdfs = [self.ctx.store.signed_report_bytes(r["uuid"], "countersigned")[1] for r in rows]
        progress = QProgressDialog(_("Printing the approved reports…"), _("Stop"), 0,
                                   max(1, len(pdfs)), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            return not progress.wasCanceled()
        pages = paint_many(pdfs, printer, on_progress=step)
        progress.close()
        self.ctx.notice.emit(_("Printed {n} approved reports ({pages} pages)").format(
            n=len(pdfs), pages=pages))
        return pages

    def save_all_approved(self, folder: Path | None = None) -> list[Path]:
        """Save every approved, countersigned report of the period into a folder, with progress."""
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, _("Save the approved reports into"))
            if not chosen:
                return []
            folder = Path(chosen)
        rows = approved_in_period(self.ctx.store, self.since.text().strip(),
                                  self.until.text().strip())
        progress = QProgressDialog(_("Saving the approved reports…"), _("Stop"), 0,
                                   max(1, len(rows)), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            return not progress.wasCanceled()
        written = save_all(self.ctx.store, rows, folder, step)
        progress.close()
        self.ctx.notice.emit(_("Saved {n} approved reports in {folder}").format(
            n=len(written), folder=folder))
        return written
