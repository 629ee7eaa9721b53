"""What stops an assessment from being completed: required items without an answer and items
without the photos their evidence rule asks for. A click on a line goes to that item."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from ..i18n import _

KEY_ROLE = Qt.ItemDataRole.UserRole


class MissingDialog(QDialog):
    jump = Signal(object)

    def __init__(self, session, completeness, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Not complete yet"))
        self.resize(640, 420)
        lang = session.lang
        v = QVBoxLayout(self)
        intro = QLabel(_("The assessment cannot be completed yet. Click a line to go to the item."))
        intro.setWordWrap(True)
        v.addWidget(intro)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setStyleSheet("QListWidget::item { padding: 6px; border-bottom: 1px solid #ECEEF1; }")
        items = session.template.items

        def where(item_id, sample):
            item = items[item_id]
            tail = ""
            if item.sample_group:
                labels = session.sample_labels(item.sample_group)
                tail = f" ({labels[sample] if sample < len(labels) else sample + 1})"
            return f"{item.number} {item.text.get(lang)}{tail}"

        for item_id, sample in completeness.required_missing:
            self._add(_("Required, not answered: {item}").format(item=where(item_id, sample)),
                      (item_id, sample))
        for item_id, sample, need, have in completeness.evidence_missing:
            self._add(_("Needs {need} photo(s), has {have}: {item}").format(
                need=need, have=have, item=where(item_id, sample)), (item_id, sample))
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        v.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)

    def _add(self, text: str, key) -> None:
        entry = QListWidgetItem(text)
        entry.setData(KEY_ROLE, key)
        self.list.addItem(entry)

    def _clicked(self, entry: QListWidgetItem) -> None:
        self.jump.emit(tuple(entry.data(KEY_ROLE)))
        self.accept()
