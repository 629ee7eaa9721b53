"""Signing a saved report: choose the .p12 file and the role, type the passphrase, sign.

One question per dialog: "sign this report as ...?". Refusals (wrong passphrase, expired or
revoked certificate, certificate of the other role, a draft report) appear under the form in
plain words; the dialog stays open to try again. Signing runs in the background and writes the
signed copy beside the report (``-signed.pdf``), never over it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QLabel, QLineEdit, QVBoxLayout)

from assessor_app.fileio import atomic_write
from assessor_app.reports.cli import default_output, find_crl

from .background import BackgroundRunner
from .errors import message_for
from .i18n import _
from .widgets.path_row import path_row


def _sign(pdf_path: Path, p12: Path, passphrase: bytes, role: str, crl: bytes | None,
          out: Path, tsa: str | None, lang: str) -> Path:
    from assessor_app.reports import LocalP12Signer, SigningRefused, sign_report
    if out.resolve() == pdf_path.resolve():
        raise SigningRefused("a signed report is never overwritten in place; choose another file")
    signer = LocalP12Signer.open(p12, passphrase)
    signed = sign_report(pdf_path.read_bytes(), signer, role, crl_der=crl, tsa_url=tsa, lang=lang)
    atomic_write(out, signed)
    return out


class SignDialog(QDialog):
    signed = Signal(object)   # Path of the signed copy

    def __init__(self, parent, data_dir: Path, pdf_path: Path, *,
                 runner: BackgroundRunner | None = None, settings: dict | None = None,
                 role: str | None = None):
        super().__init__(parent)
        self.data_dir, self.pdf_path = Path(data_dir), Path(pdf_path)
        self.runner = runner or BackgroundRunner(parent=self)
        self.settings = settings if settings is not None else self._read_settings()
        self.setWindowTitle(_("Sign the report"))
        self.p12 = QLineEdit(self.settings.get("p12_path") or "")
        p12_row = path_row(self.p12, self._browse)
        self.role = QComboBox()
        self.role.addItem(_("Inspector"), "inspector")
        self.role.addItem(_("Supervisor"), "supervisor")
        if role is not None:
            self.role.setCurrentIndex(max(0, self.role.findData(role)))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.Password)
        self.out = QLineEdit(str(default_output(self.pdf_path)))
        # the revocation list: chosen here (a sync brings it; the CA office has its own)
        self.crl = QLineEdit(self.settings.get("crl_path") or self._found_crl_path())
        self.crl.setPlaceholderText(_("found automatically after a sync"))
        crl_row = path_row(self.crl, self._browse_crl)
        for path_field in (self.p12, self.out, self.crl):   # room for a whole path
            path_field.setMinimumWidth(460)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #C62828;")
        form = QFormLayout()
        form.addRow(_("Report"), QLabel(self.pdf_path.name))
        form.addRow(_("Certificate file (.p12)"), p12_row)
        form.addRow(_("Sign as"), self.role)
        form.addRow(_("Passphrase"), self.passphrase)
        form.addRow(_("Revocation list (.crl)"), crl_row)
        form.addRow(_("Save signed copy as"), self.out)
        self.buttons = QDialogButtonBox()
        self.sign_button = self.buttons.addButton(_("Sign"), QDialogButtonBox.AcceptRole)
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.RejectRole)   # Qt's own is English
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _read_settings(self) -> dict:
        from assessor_app.store import AssessmentStore
        store = AssessmentStore(self.data_dir, actor="sign")
        try:
            keys = ("p12_path", "tsa_url", "crl_path", "language")
            values = {k: store.get_setting(k) for k in keys}
            values["crl"] = find_crl(self.data_dir, None, store)
            return values
        finally:
            store.close()

    def _remember_certificate(self, p12_path: str) -> None:
        """The next signing window offers the same certificate file (never its passphrase)."""
        from assessor_app.store import AssessmentStore
        store = AssessmentStore(self.data_dir, actor="sign")
        try:
            store.set_setting("p12_path", p12_path)
        finally:
            store.close()

    def _found_crl_path(self) -> str:
        for path in (self.data_dir / "pki" / "issuing.crl", self.data_dir / "sync" / "crl.der"):
            if path.is_file():
                return str(path)
        return ""

    def _setting(self, key: str, value=None, write: bool = False):
        from assessor_app.store import AssessmentStore
        store = AssessmentStore(self.data_dir, actor="sign")
        try:
            if write:
                store.set_setting(key, value)
                return value
            return store.get_setting(key)
        finally:
            store.close()

    def _start_folder(self, current: str) -> str:
        if current and Path(current).expanduser().parent.is_dir():
            return str(Path(current).expanduser().parent)
        folder = self._setting("last_folder")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Choose your certificate file"),
                                                    self._start_folder(self.p12.text()),
                                                    _("Certificate (*.p12 *.pfx)"))
        if name:
            self.p12.setText(name)
            self._setting("last_folder", str(Path(name).parent), write=True)

    def _browse_crl(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Choose the revocation list"),
                                                    self._start_folder(self.crl.text()),
                                                    _("Revocation list (*.crl *.der *.pem)"))
        if name:
            self.crl.setText(name)
            self._setting("last_folder", str(Path(name).parent), write=True)

    def _crl_bytes(self) -> bytes | None:
        """The list chosen in the window, read now (so a retry uses a newly chosen one)."""
        path = self.crl.text().strip()
        if path:
            crl = Path(path).expanduser()
            if not crl.is_file():
                raise FileNotFoundError(path)
            return crl.read_bytes()
        return self.settings.get("crl")

    def sign(self) -> None:
        self.error.setText("")
        if not self.p12.text().strip():
            self.error.setText(_("Choose your certificate file (.p12) first."))
            return
        if not self.passphrase.text():
            self.error.setText(_("Type the passphrase of your certificate file."))
            return
        try:
            crl = self._crl_bytes()
        except OSError:
            self.error.setText(_("The revocation list {path} cannot be read; choose the file "
                                 "again.").format(path=self.crl.text().strip()))
            return
        self._remember_certificate(self.p12.text().strip())   # kept even if signing is refused
        if self.crl.text().strip() and self.crl.text().strip() != self._found_crl_path():
            self._setting("crl_path", self.crl.text().strip(), write=True)
        self.sign_button.setEnabled(False)
        args = (self.pdf_path, Path(self.p12.text().strip()).expanduser(),
                self.passphrase.text().encode("utf-8"), self.role.currentData(),
                crl, Path(self.out.text().strip()).expanduser(),
                self.settings.get("tsa_url"), self.settings.get("language") or "id")
        self.runner.run(lambda: _sign(*args), self._done, self._failed, label=_("Signing…"))

    def _done(self, path) -> None:
        self.passphrase.clear()
        self._remember_certificate(self.p12.text().strip())
        self.signed.emit(path)
        self.accept()

    def _failed(self, exc) -> None:
        self.sign_button.setEnabled(True)
        from assessor_app.pki import WrongPassphrase
        if isinstance(exc, WrongPassphrase):
            self.passphrase.clear()
            self.passphrase.setFocus()
        self.error.setText(message_for(exc, self.data_dir))
