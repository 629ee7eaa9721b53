"""The first run: who is inspecting, for which organisation, in which language, and whether to
load the demo assessments. Changing the language retranslates this dialog at once."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
    QWidget,
)

from assessor_app.i18n import DEFAULT_LANGUAGE, LANGUAGES, set_language

from .context import Context
from .i18n import _

DONE_KEY = "first_run_done"


class FirstRunDialog(QDialog):
    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setMinimumWidth(600)
        self.inspector = QLineEdit()
        self.organisation = QLineEdit()
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(DEFAULT_LANGUAGE))
        self.language.currentIndexChanged.connect(self._language_changed)
        self.demo = QCheckBox()
        self._layout = QVBoxLayout(self)
        self._body: QWidget | None = None
        set_language(DEFAULT_LANGUAGE)
        self._build()

    def _build(self) -> None:
        if self._body is not None:
            for w in (self.inspector, self.organisation, self.language, self.demo):
                w.setParent(self)          # keep the fields (and what was typed) across rebuilds
            self._layout.removeWidget(self._body)
            self._body.hide()
            self._body.deleteLater()
        self.setWindowTitle(_("Welcome to Assessor"))
        body = QWidget()
        v = QVBoxLayout(body)
        v.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Welcome to Assessor"))
        title.setObjectName("h1")
        v.addWidget(title)
        intro = QLabel(_("Fill checklists on site, offline. Every answer is saved the moment you "
                         "give it. Tell us who you are; you can change this later in Settings."))
        intro.setWordWrap(True)
        v.addWidget(intro)
        form = QFormLayout()
        self.inspector.setPlaceholderText(_("e.g. Rina Kartika"))
        self.organisation.setPlaceholderText(_("e.g. Ombudsman RI Perwakilan Kalimantan Timur"))
        form.addRow(_("Inspector name") + " *", self.inspector)
        form.addRow(_("Organisation"), self.organisation)
        form.addRow(_("Language"), self.language)
        folder = QLabel(str(self.ctx.data_dir))
        folder.setObjectName("muted")
        folder.setWordWrap(True)
        form.addRow(_("Data folder"), folder)
        v.addLayout(form)
        self.demo.setText(_("Load the demo assessments (fictional units, to try the app)"))
        v.addWidget(self.demo)
        self.problem = QLabel("")
        self.problem.setObjectName("error")
        v.addWidget(self.problem)
        buttons = QDialogButtonBox()
        start = buttons.addButton(_("Start"), QDialogButtonBox.ButtonRole.AcceptRole)
        start.setProperty("primary", True)
        buttons.accepted.connect(self.finish)
        v.addWidget(buttons)
        self._layout.addWidget(body)
        self._body = body

    def _language_changed(self, *args) -> None:
        set_language(self.language.currentData())
        self._build()

    def finish(self) -> None:
        name = self.inspector.text().strip()
        if not name:
            self.problem.setText(_("Give your name: it is recorded with every change you make."))
            self.inspector.setFocus()
            return
        store = self.ctx.store
        for key, value in (("inspector_name", name),
                           ("organisation", self.organisation.text().strip()),
                           ("language", self.language.currentData()), (DONE_KEY, True)):
            store.set_setting(key, value)
        store.actor = name
        self.wants_demo = self.demo.isChecked()
        self.accept()
