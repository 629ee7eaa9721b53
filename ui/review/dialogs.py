"""The two decisions, one question each: "Return this work?" (a comment is required) and
"Approve and countersign?" (the supervisor's .p12 and passphrase; the countersignature goes on
the inspector's archived signed PDF). Refusals appear under the form; the dialog stays open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QVBoxLayout)

from ..errors import message_for
from ..i18n import _
from ..widgets.path_row import path_row


class ReturnDialog(QDialog):
    """Return submitted work to its inspector; queued, sent by the next sync."""

    def __init__(self, parent, ctx, uuid: str):
        super().__init__(parent)
        self.ctx, self.uuid, self.done_entry = ctx, uuid, None
        self.setWindowTitle(_("Return to the inspector"))
        v = QVBoxLayout(self)
        v.addWidget(QLabel(_("Say what the inspector must fix. The assessment reopens on their "
                             "laptop at their next sync, with your item comments pinned.")))
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(_("What to fix (required)"))
        v.addWidget(self.comment)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #C62828;")
        self.error.setWordWrap(True)
        v.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(_("Return"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setEnabled(False)
        self.comment.textChanged.connect(
            lambda: self.ok.setEnabled(bool(self.comment.toPlainText().strip())))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        v.addWidget(self.buttons)

    def submit(self) -> None:
        from assessor_app.review import return_work
        try:
            self.done_entry = return_work(self.ctx.store, self.uuid, self.comment.toPlainText())
        except Exception as exc:  # noqa: BLE001 - shown under the form
            self.error.setText(message_for(exc, self.ctx.data_dir))
            return
        self.ctx.mark_saved()
        self.accept()


def _approve(data_dir: Path, uuid: str, p12: Path, passphrase: bytes, comment: str, lang: str):
    from assessor_app.reports.cli import find_crl
    from assessor_app.reports.signing import LocalP12Signer
    from assessor_app.review import countersign_and_approve
    from assessor_app.store import AssessmentStore
    store = AssessmentStore(data_dir, actor="review")
    try:
        signer = LocalP12Signer.open(p12, passphrase)
        return countersign_and_approve(store, uuid, signer, crl_der=find_crl(data_dir, None, store),
                                       tsa_url=store.get_setting("tsa_url"), comment=comment,
                                       lang=lang)
    finally:
        store.close()


class ApproveDialog(QDialog):
    """Countersign the inspector's signed report and approve (queued until the next sync)."""

    def __init__(self, parent, ctx, uuid: str):
        super().__init__(parent)
        self.ctx, self.uuid, self.done_entry = ctx, uuid, None
        self.setWindowTitle(_("Approve and countersign"))
        v = QVBoxLayout(self)
        v.addWidget(QLabel(_("Your signature locks the inspector's signed report. It is sent "
                             "to the server and the inspector at the next sync.")))
        form = QFormLayout()
        self.p12 = QLineEdit(ctx.store.get_setting("p12_path") or "")
        form.addRow(_("Certificate file (.p12)"), path_row(self.p12, self._browse))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Passphrase"), self.passphrase)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(_("optional"))
        form.addRow(_("Comment"), self.comment)
        v.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #C62828;")
        self.error.setWordWrap(True)
        v.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(_("Approve and countersign"),
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        v.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Certificate file"), self.p12.text(),
                                               _("Certificate (*.p12 *.pfx)"))
        if path:
            self.p12.setText(path)

    def submit(self) -> None:
        from assessor_app.i18n import language
        if not self.p12.text().strip():
            self.error.setText(_("choose your certificate file (.p12)"))
            return
        p12 = Path(self.p12.text().strip()).expanduser()
        self.ok.setEnabled(False)
        self.error.setText(_("Signing…"))
        self.ctx.runner.run(
            lambda: _approve(self.ctx.data_dir, self.uuid, p12,
                             self.passphrase.text().encode("utf-8"), self.comment.text(),
                             language()),
            self._done, self._failed, label=_("Countersigning…"))

    def _done(self, entry) -> None:
        self.done_entry = entry
        self.ctx.store.set_setting("p12_path", self.p12.text().strip())
        self.ctx.mark_saved()
        self.accept()

    def _failed(self, exc) -> None:
        self.ok.setEnabled(True)
        self.error.setText(message_for(exc, self.ctx.data_dir))
