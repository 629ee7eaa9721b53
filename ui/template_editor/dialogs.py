"""The editor's two side dialogs: the diff between two versions, and the findings library."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QVBoxLayout,
)

from assessor_app.i18n import language
from assessor_app.templates.diff import diff_templates, format_diff

from ..i18n import _

CURRENT = "__current__"


class DiffDialog(QDialog):
    """Two version pickers (installed versions and "this draft") and the readable diff."""

    def __init__(self, store, template_id: str, draft: dict | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Differences between versions"))
        self.resize(820, 560)
        self.store, self.template_id, self.draft = store, template_id, draft
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.old = QComboBox()
        self.new = QComboBox()
        versions = [r["version"] for r in store.template_versions(template_id)]
        for box in (self.old, self.new):
            for v in versions:
                box.addItem(_("version {version}").format(version=v), v)
            if draft is not None:
                box.addItem(_("this draft (not saved)"), CURRENT)
        if versions:
            self.old.setCurrentIndex(max(0, len(versions) - 1 if draft is not None else len(versions) - 2))
        self.new.setCurrentIndex(self.new.count() - 1)
        row.addWidget(QLabel(_("From")))
        row.addWidget(self.old, 1)
        row.addWidget(QLabel(_("to")))
        row.addWidget(self.new, 1)
        lay.addLayout(row)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        lay.addWidget(self.text, 1)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        row2 = QHBoxLayout()
        row2.addStretch(1)
        row2.addWidget(close)
        lay.addLayout(row2)
        self.old.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def _body(self, box: QComboBox):
        value = box.currentData()
        if value == CURRENT:
            return self.draft
        if value is None:
            return None
        return self.store.get_template(self.template_id, value).body

    def refresh(self) -> None:
        old, new = self._body(self.old), self._body(self.new)
        if old is None or new is None:
            self.text.setPlainText(_("No installed version to compare with yet."))
            return
        self.diff = diff_templates(old, new)
        self.text.setPlainText(format_diff(self.diff, language()))


class LibraryDialog(QDialog):
    """Pick an entry of the organisation's findings library, or add the current item's finding
    and action to it. ``chosen`` holds the picked entry after ``accept()``."""

    def __init__(self, ctx, current: dict | None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.current = current or {}
        self.chosen: dict | None = None
        self.setWindowTitle(_("Findings and corrective actions library"))
        self.resize(760, 480)
        lay = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search the library"))
        self.search.textChanged.connect(lambda _t: self.reload())
        lay.addWidget(self.search)
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _i: self.use())
        lay.addWidget(self.list, 1)
        form = QFormLayout()
        self.key = QLineEdit()
        self.key.setPlaceholderText("apar_kedaluwarsa")
        form.addRow(_("Save this item's finding and action as"), self.key)
        lay.addLayout(form)
        row = QHBoxLayout()
        save = QPushButton(_("Add to library"))
        save.clicked.connect(self.add_current)
        use = QPushButton(_("Use selected"))
        use.setDefault(True)
        use.clicked.connect(self.use)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        row.addWidget(save)
        row.addStretch(1)
        row.addWidget(use)
        row.addWidget(close)
        lay.addLayout(row)
        self.reload()

    def reload(self) -> None:
        lang = language()
        self.list.clear()
        for entry in self.ctx.store.library_entries(self.search.text().strip()):
            item = QListWidgetItem(f"{entry['key']}: {entry[f'finding_{lang}']}  →  "
                                   f"{entry[f'action_{lang}']}")
            item.setData(256, entry)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def use(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = item.data(256)
        self.accept()

    def add_current(self) -> None:
        finding = self.current.get("finding") or {}
        action = self.current.get("action") or {}
        self.ctx.write(self, self.ctx.store.save_library_entry, self.key.text().strip(),
                       finding_id=finding.get("id", ""), finding_en=finding.get("en", ""),
                       action_id=action.get("id", ""), action_en=action.get("en", ""))
        self.reload()
