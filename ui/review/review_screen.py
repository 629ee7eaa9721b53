"""One team member's assessment under review: the whole assessment read-only exactly as the
inspector saw it (the checklist page: sections, samples, answers, notes, photos with the viewer,
findings, signatures, score and "why this score"), the signed PDF's pages, the comment thread,
and the decisions (return, approve and countersign) and printing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QPushButton, QScrollArea, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from assessor_app.i18n import format_number, status_label

from ..checklist.page import ChecklistPage
from ..checklist.review_panel import local_time
from ..errors import message_for
from ..i18n import _
from ..report_preview import render_pages
from .dialogs import ApproveDialog, ReturnDialog
from .printing import paint_pdf, print_to_pdf


class ReviewScreen(QWidget):
    back_requested = Signal()
    changed = Signal()          # a comment or decision was queued

    def __init__(self, ctx, uuid: str, parent=None):
        super().__init__(parent)
        self.ctx, self.uuid = ctx, uuid
        self.dialog = None
        store = ctx.store
        self.team = store.team_copy(uuid) or {}
        a = store.get(uuid)
        v = QVBoxLayout(self)
        top = QHBoxLayout()
        back = QPushButton(_("← Review queue"))
        back.clicked.connect(self.back_requested)
        top.addWidget(back)
        self.title = QLabel(f"<b>{a.unit.get('unit', '')}</b> · {self.team.get('owner', '')} · "
                            f"{status_label(a.status)} · {format_number(store.score(uuid).total)}")
        top.addWidget(self.title, 1)
        self.return_button = QPushButton(_("Return…"))
        self.return_button.clicked.connect(lambda: self.open_return())
        self.approve_button = QPushButton(_("Approve and countersign…"))
        self.approve_button.setObjectName("primary")
        self.approve_button.clicked.connect(lambda: self.open_approve())
        self.print_button = QPushButton(_("Print…"))
        self.print_button.clicked.connect(lambda: self.print_report())
        for b in (self.return_button, self.approve_button, self.print_button):
            top.addWidget(b)
        v.addLayout(top)
        self.state = QLabel("")
        self.state.setWordWrap(True)
        v.addWidget(self.state)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.tabs = QTabWidget()
        self.checklist = ChecklistPage(ctx, uuid)
        self.checklist.back_requested.connect(self.back_requested)
        self.tabs.addTab(self.checklist, _("Assessment"))
        self.pdf_scroll = QScrollArea()
        self.pdf_scroll.setWidgetResizable(True)
        pages = QWidget()
        self.pdf_pages = QVBoxLayout(pages)
        self.pdf_scroll.setWidget(pages)
        self.tabs.addTab(self.pdf_scroll, _("Signed report"))
        split.addWidget(self.tabs)
        side = QWidget()
        sv = QVBoxLayout(side)
        sv.addWidget(QLabel("<b>" + _("Comments and decisions") + "</b>"))
        self.thread = QListWidget()
        self.thread.setWordWrap(True)
        sv.addWidget(self.thread, 1)
        self.anchor = QLabel("")
        self.anchor.setObjectName("muted")
        sv.addWidget(self.anchor)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(_("Write a comment…"))
        self.comment.setMaximumHeight(90)
        sv.addWidget(self.comment)
        row = QHBoxLayout()
        self.item_button = QPushButton(_("Comment on this item"))
        self.item_button.clicked.connect(lambda: self.add_comment(on_item=True))
        self.general_button = QPushButton(_("General comment"))
        self.general_button.clicked.connect(lambda: self.add_comment(on_item=False))
        row.addWidget(self.item_button)
        row.addWidget(self.general_button)
        sv.addLayout(row)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        v.addWidget(split, 1)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._pdf_loaded = False
        self.refresh()

    # ------------------------------------------------------------------ state
    def current_item(self) -> tuple[str, int] | None:
        pos = self.checklist.position()
        return tuple(pos["item"]) if pos.get("item") else None

    def refresh(self) -> None:
        store = self.ctx.store
        self.team = store.team_copy(self.uuid) or {}
        status = self.team.get("status")
        pending = [e for e in store.review_outbox() if e["assessment"] == self.uuid
                   and e["kind"] != "comment"]
        decidable = status == "submitted" and not pending
        signed = "signed" in store.signed_reports(self.uuid)
        self.return_button.setEnabled(decidable)
        self.approve_button.setEnabled(decidable and signed)
        self.print_button.setEnabled(bool(store.signed_reports(self.uuid)))
        if pending:
            self.state.setText(_("Your decision ({decision}) is kept on this laptop and is sent "
                                 "at the next sync.").format(
                decision=_("approve") if pending[0]["kind"] == "approve" else _("return")))
        elif status == "submitted" and not signed:
            self.state.setText(_("The inspector has not sent a signed report yet: you can "
                                 "comment or return the work, but not countersign it."))
        else:
            self.state.setText("")
        self.thread.clear()
        for c in store.review_thread(self.uuid):
            where = self._where(c.get("item"), c.get("sample"))
            what = {"approve": _("Approved"), "return": _("Returned")}.get(c["kind"], "")
            tail = {"queued": _(" · waiting for sync"),
                    "refused": _(" · refused: {reason}").format(reason=c.get("error"))}.get(
                c.get("state"), "")
            text = f"{local_time(c['at'])} · {c['author']} · {where}{tail}\n" + \
                   (f"{what}: " if what else "") + c["text"]
            item = QListWidgetItem(text)
            if c.get("state") == "refused":
                item.setForeground(Qt.GlobalColor.red)
            self.thread.addItem(item)
        cur = self.current_item()
        self.anchor.setText(_("Item: {where}").format(where=self._where(*cur)) if cur else "")

    def _where(self, item: str | None, sample: int | None) -> str:
        if not item:
            return _("general")
        store = self.ctx.store
        a = store.get(self.uuid)
        spec = store.template_of(a).items.get(item)
        if spec is None:
            return item
        labels = a.samples.get(spec.sample_group, []) if spec.sample_group else []
        if labels and sample is not None and sample < len(labels):
            return f"{spec.number}, {labels[sample]}"
        return spec.number

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.pdf_scroll and not self._pdf_loaded:
            self.load_pdf_pages()

    def load_pdf_pages(self) -> int:
        self._pdf_loaded = True
        try:
            _kind, pdf = self.ctx.store.signed_report_bytes(self.uuid)
        except Exception as exc:  # noqa: BLE001 - no signed report yet
            self.pdf_pages.addWidget(QLabel(message_for(exc, self.ctx.data_dir)))
            return 0
        pngs = render_pages(pdf)
        for png in pngs:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(QImage.fromData(png)))
            label.setStyleSheet("border: 1px solid #B8C4D3; background: white;")
            self.pdf_pages.addWidget(label)
        return len(pngs)

    # ------------------------------------------------------------------ actions
    def add_comment(self, on_item: bool) -> bool:
        text = self.comment.toPlainText().strip()
        cur = self.current_item() if on_item else None
        if on_item and cur is None:
            self.ctx.dialogs.show_exception(self, ValueError(_("select an item in the "
                                                               "assessment first")))
            return False
        result = self.ctx.write(self, self.ctx.store.queue_review, self.uuid, "comment", text,
                                item=cur[0] if cur else None, sample=cur[1] if cur else None)
        from ..context import FAILED
        if result is FAILED:
            return False
        self.comment.clear()
        self.refresh()
        self.changed.emit()
        return True

    def open_return(self, exec_dialog: bool = True) -> ReturnDialog:
        self.dialog = ReturnDialog(self, self.ctx, self.uuid)
        self.dialog.accepted.connect(self._decided)
        if exec_dialog:
            self.dialog.exec()
        return self.dialog

    def open_approve(self, exec_dialog: bool = True) -> ApproveDialog:
        self.dialog = ApproveDialog(self, self.ctx, self.uuid)
        self.dialog.accepted.connect(self._decided)
        if exec_dialog:
            self.dialog.exec()
        return self.dialog

    def _decided(self) -> None:
        self.refresh()
        self.changed.emit()

    def print_report(self, to_file=None) -> int:
        """Print the archived signed report (countersigned when held) with a preview; with
        ``to_file`` print into that PDF file instead (no dialog)."""
        _kind, pdf = self.ctx.store.signed_report_bytes(self.uuid)
        if to_file is not None:
            return print_to_pdf(pdf, to_file)
        from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        preview = QPrintPreviewDialog(printer, self)
        preview.paintRequested.connect(lambda p: paint_pdf(pdf, p))
        preview.exec()
        return 1

    def save_copy(self) -> None:
        _kind, pdf = self.ctx.store.signed_report_bytes(self.uuid)
        path, _f = QFileDialog.getSaveFileName(self, _("Save the signed report"),
                                               f"{self.uuid[:8]}.pdf", "PDF (*.pdf)")
        if path:
            from assessor_app.fileio import atomic_write
            atomic_write(path, pdf)

    def close_page(self) -> None:
        self.checklist.close_page()
