"""What stops an assessment from being completed: required items without an answer and items
without the photos their evidence rule asks for, grouped by section and sample with counts.

The window is not modal: it stays open beside the checklist while the inspector fixes the items,
and each fixed line goes away (it follows the live score). A click, or Enter, on a line goes to
that item."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from .. import theme
from ..i18n import _
from .navigator import sample_title

KEY_ROLE = Qt.ItemDataRole.UserRole


class MissingDialog(QDialog):
    jump = Signal(object)

    def __init__(self, session, completeness, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Not complete yet"))
        self.setModal(False)
        self.resize(640, 460)
        v = QVBoxLayout(self)
        self.intro = QLabel("")
        self.intro.setWordWrap(True)
        v.addWidget(self.intro)
        self.list = QTreeWidget()
        self.list.setHeaderHidden(True)
        theme.flat(self.list)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        v.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)
        self.refresh(completeness)
        session.scored.connect(lambda result: self.refresh(result.completeness))

    def _group_of(self, item_id: str, sample: int) -> tuple:
        s = self.session
        item = s.template.items[item_id]
        section = s.template.section_index[item.section_id]
        title = f"{section.number} {section.title.get(s.lang)}"
        if item.sample_group:
            group = s.template.section_index[item.sample_group]
            labels = s.sample_labels(item.sample_group)
            label = labels[sample] if sample < len(labels) else str(sample + 1)
            title += " — " + sample_title(group, s.lang, sample, label)
        return (s.ordered_keys().index((item_id, sample)) if (item_id, sample) in
                s.ordered_keys() else 0, title)

    def refresh(self, completeness) -> None:
        """Show what is still missing (called again after each score while the window is open)."""
        s = self.session
        lines: list[tuple[tuple, str, tuple]] = []
        for item_id, sample in completeness.required_missing:
            item = s.template.items[item_id]
            lines.append((self._group_of(item_id, sample), _("Required, not answered: {item}").format(
                item=f"{item.number} {item.text.get(s.lang)}"), (item_id, sample)))
        for item_id, sample, need, have in completeness.evidence_missing:
            item = s.template.items[item_id]
            lines.append((self._group_of(item_id, sample), _("Needs {need} photo(s), has {have}: "
                                                             "{item}").format(
                need=need, have=have, item=f"{item.number} {item.text.get(s.lang)}"),
                (item_id, sample)))
        lines.sort(key=lambda x: x[0][0])
        self.list.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        counts: dict[str, int] = {}
        for (_order, title), text, key in lines:
            node = groups.get(title)
            if node is None:
                node = groups[title] = QTreeWidgetItem(self.list, [title])
                font = node.font(0)
                font.setBold(True)
                node.setFont(0, font)
                node.setFlags(node.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            counts[title] = counts.get(title, 0) + 1
            child = QTreeWidgetItem(node, [text])
            child.setData(0, KEY_ROLE, key)
        for title, node in groups.items():
            node.setText(0, f"{title} ({counts[title]})")
        self.list.expandAll()
        self.intro.setText(_("{n} thing(s) stop the assessment from being completed. Click a line "
                             "(or press Enter) to go to the item; this window stays open and "
                             "each fixed line goes away.").format(n=len(lines)) if lines else
                           _("Nothing is missing any more: press Complete again."))
        first = self.list.topLevelItem(0)
        if first is not None and first.childCount():
            self.list.setCurrentItem(first.child(0))

    def lines(self) -> list[str]:
        """Every line as shown, group headings first (tests read it)."""
        out = []
        for i in range(self.list.topLevelItemCount()):
            node = self.list.topLevelItem(i)
            out.append(node.text(0))
            out += ["  " + node.child(j).text(0) for j in range(node.childCount())]
        return out

    def _clicked(self, entry: QTreeWidgetItem, column: int = 0) -> None:
        key = entry.data(0, KEY_ROLE)
        if key is not None:
            self.jump.emit(tuple(key))
