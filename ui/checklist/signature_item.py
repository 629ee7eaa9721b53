"""Answering a ``signature`` item: the person draws on a pad; the drawing is attached to the
item as evidence and the answer records its hash, name and time (answers.py documents the value)."""

from __future__ import annotations

from assessor_app.timefmt import local_now

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout

from ..context import FAILED
from ..i18n import _
from ..signature_pad import SignaturePad


class ItemSignatureDialog(QDialog):
    def __init__(self, page, row, parent=None):
        super().__init__(parent)
        self.page, self.row = page, row
        self.setWindowTitle(row.item.text.get(page.session.lang))
        v = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        form.addRow(_("Name"), self.name)
        v.addLayout(form)
        self.pad = SignaturePad()
        v.addWidget(self.pad)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(_("Save signature"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("primary", True)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)

    def save(self) -> bool:
        name = self.name.text().strip()
        if not name or self.pad.is_empty():
            self.page.ctx.dialogs.error(self, _("Give the signer's name and draw the signature."))
            return False
        s, key = self.page.session, self.row.key
        made = self.page.ctx.write(self, s.store.add_photo, s.uuid, key[0], self.pad.to_png(),
                                   sample=key[1], caption=name, original_name="signature.png")
        if made is FAILED:
            return False
        _link, info = made
        signed_at = local_now()                  # with its offset: 19:27 WITA
        s.set_answer(key[0], key[1], {"sha256": info.sha256, "name": name, "role": "item",
                                      "signed_at": signed_at})
        s._evidence_updated({key})
        self.accept()
        return True


def sign_item(page, row) -> ItemSignatureDialog:
    dialog = ItemSignatureDialog(page, row, page)
    dialog.open()
    return dialog
