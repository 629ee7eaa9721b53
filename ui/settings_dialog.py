"""Settings: inspector, organisation, logo, language, data folder (shown), server address,
encryption (shown) and the idle lock time.
Each value lives in the store (``store.set_setting``); OK saves them all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSpinBox, QVBoxLayout,
)

from assessor_app import vault
from assessor_app.i18n import LANGUAGES, language

from .context import Context
from .i18n import _
from .lock import DEFAULT_LOCK_MINUTES, LOCK_SETTING


class SettingsDialog(QDialog):
    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.inspector = QLineEdit(ctx.setting("inspector_name", "") or "")
        self.organisation = QLineEdit(ctx.setting("organisation", "") or "")
        self.logo = QLineEdit(ctx.setting("logo_path", "") or "")
        self.logo.setReadOnly(True)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self.choose_logo)
        logo_row.addWidget(choose)
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(language()))
        self.server = QLineEdit(ctx.setting("server_url", "") or "")
        self.server.setPlaceholderText("https://")
        folder = QLabel(str(ctx.data_dir))
        folder.setObjectName("muted")
        folder.setWordWrap(True)
        form.addRow(_("Inspector name"), self.inspector)
        form.addRow(_("Organisation"), self.organisation)
        form.addRow(_("Logo"), logo_row)
        form.addRow(_("Language"), self.language)
        form.addRow(_("Data folder"), folder)
        form.addRow(_("Server address"), self.server)
        self.encrypted = vault.is_encrypted(ctx.data_dir)
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(0, 240)
        self.lock_minutes.setSuffix(" " + _("min"))
        self.lock_minutes.setSpecialValueText(_("do not lock"))
        minutes = ctx.setting(LOCK_SETTING, DEFAULT_LOCK_MINUTES)
        self.lock_minutes.setValue(int(minutes) if isinstance(minutes, (int, float)) else 0)
        self.lock_minutes.setEnabled(self.encrypted)
        form.addRow(_("Encryption"), QLabel(
            _("on: the database and photos are encrypted") if self.encrypted else
            _("off (turn it on with: assessor encrypt)")))
        form.addRow(_("Lock after idle time"), self.lock_minutes)
        layout.addLayout(form)
        hint = QLabel(_("The server address is used by synchronisation."))
        hint.setObjectName("muted")
        layout.addWidget(hint)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(_("Save settings"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("primary", True)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choose_logo(self, path: str | None = None) -> None:
        path = path or self.ctx.dialogs.open_file(self, _("Logo"), f"{_('Images')} (*.png *.jpg *.jpeg)")
        if path:
            target = self.ctx.data_dir / ("logo" + Path(path).suffix.lower())
            shutil.copyfile(path, target)   # the data folder keeps its own copy
            self.logo.setText(str(target))

    def save(self) -> None:
        store = self.ctx.store
        values = {"inspector_name": self.inspector.text().strip(),
                  "organisation": self.organisation.text().strip(),
                  "logo_path": self.logo.text().strip(),
                  "server_url": self.server.text().strip()}
        if self.encrypted:
            values[LOCK_SETTING] = self.lock_minutes.value()
        for key, value in values.items():
            if self.ctx.write(self, store.set_setting, key, value) is not None:
                return
        if values["inspector_name"]:
            store.actor = values["inspector_name"]
        self.chosen_language = self.language.currentData()
        self.accept()
