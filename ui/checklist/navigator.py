"""The section navigator: sections as a tree with progress (answered / total) and score each;
a sample group lists its samples ("Produk 1: KTP-el") with their own progress and score."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox, QHeaderView, QLineEdit, QMenu, QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
    QWidget,
)

from assessor_app.reference_text import default_sample_label
from assessor_app.templates.model import Section

from .. import theme
from ..i18n import _, format_number
from .session import ChecklistSession

ROLE = Qt.ItemDataRole.UserRole
ALL = "all"


def sample_title(section: Section, lang: str, index: int, label: str,
                 absent: str | None = None) -> str:
    """``Produk 2: KTP-el``; a default name shows in ``lang`` (``Staff member 3``, never
    "Pelaksana 3: Staff member 3"); a sample not interviewed says so."""
    word = section.sample.label.get(lang) if section.sample else _("Sample")
    label = default_sample_label(section.sample, label, lang) if section.sample else label
    title = f"{word} {index + 1}" if label == f"{word} {index + 1}" else f"{word} {index + 1}: {label}"
    return _("{title} (not interviewed)").format(title=title) if absent is not None else title


def sample_menu_button(page) -> QToolButton:
    """The "Sample" menu beside the sample tabs: add, rename, move, not interviewed, remove
    (each with a key, so samples are managed without the mouse)."""
    button = QToolButton()
    button.setText(_("&Sample"))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    for text, key, slot in (
            (_("Add a sample"), "Ctrl+Shift+A", lambda: page.add_sample()),
            (_("Rename…"), "F2", lambda: page.rename_sample(page.tabs.currentIndex())),
            (_("Move left"), "Ctrl+Shift+Left", lambda: page.move_sample(-1)),
            (_("Move right"), "Ctrl+Shift+Right", lambda: page.move_sample(1)),
            (_("Not interviewed / not available…  (or count again)"), "Ctrl+Shift+X",
             page.mark_sample_absent),
            (_("Remove sample…"), "Ctrl+Shift+Delete", page.remove_sample)):
        action = QAction(text, page)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        page.addAction(action)
    button.setMenu(menu)
    button.setToolTip(_("Add, rename, reorder, mark not interviewed or remove samples"))
    return button


class Navigator(QTreeWidget):
    page_selected = Signal(object)        # (section id, sample)

    def __init__(self, session: ChecklistSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.setColumnCount(3)
        self.setHeaderLabels([_("Section"), _("Done"), _("Score")])
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.setIndentation(12)
        theme.flat(self)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.nodes: dict = {}
        self.itemClicked.connect(self._clicked)
        self.go_box = QLineEdit()
        self.go_box.setPlaceholderText(_("Go to section (Ctrl+G)"))
        self.go_box.setClearButtonEnabled(True)
        self.go_box.returnPressed.connect(self.go_to_typed)
        self.filter = QComboBox()
        self.filter.setToolTip(_("Show only some items of each section"))
        for name, text in (("all", _("All items")), ("unanswered", _("Only unanswered")),
                           ("required_missing", _("Only required, missing")),
                           ("failed", _("Only failed")),
                           ("with_notes", _("Only with notes or findings"))):
            self.filter.addItem(text, name)
        self.rebuild()

    def pane(self) -> QWidget:
        """The left pane: the go-to box, the filter and the tree."""
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(4, 4, 0, 0)
        v.setSpacing(4)
        v.addWidget(self.go_box)
        v.addWidget(self.filter)
        v.addWidget(self, 1)
        return box

    def find_section(self, text: str):
        """The node whose section number is ``text`` (``2.1``), or else whose title holds every
        word typed."""
        text = text.strip().rstrip(".").lower()
        if not text:
            return None
        words = text.split()
        for node in self.nodes.values():
            if node.text(0).split(" ", 1)[0].lower() == text:
                return node
        for node in self.nodes.values():
            if all(w in node.text(0).lower() for w in words):
                return node
        return None

    def go_to_typed(self) -> None:
        node = self.find_section(self.go_box.text())
        if node is None:
            self.go_box.setStyleSheet("background: #FDECEC;")
            return
        self.go_box.setStyleSheet("")
        self.go_box.clear()
        key = self.page_for(node)
        if key:
            self.page_selected.emit(key)

    def keyPressEvent(self, event) -> None:
        """Arrows move; Enter or Space opens the section and gives the keys to its items."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and \
                self.currentItem() is not None:
            self._clicked(self.currentItem(), 0)
            return
        super().keyPressEvent(event)

    def rebuild(self) -> None:
        self.clear()
        self.nodes = {}
        self._shown: dict = {}         # node key -> the figures it shows (refresh_figures)
        for top in self.session.template.sections:
            self._add(top, self, None)
        self.expandAll()
        self.refresh_figures()

    def _add(self, section: Section, parent, sample) -> None:
        lang = self.session.lang
        if section.sample is not None and sample is None:
            group = self._node(parent, f"{section.number} {section.title.get(lang)}", (section.id, ALL))
            for s, label in enumerate(self.session.sample_labels(section.id)):
                # under its group the number and label tell the samples apart in a narrow pane
                # ("2: Akta Kelahiran"); the tooltip has the whole title
                node = self._node(group, f"{s + 1}: {label}", (section.id, s),
                                  tip=sample_title(section, lang, s, label))
                for sub in section.sections:
                    self._add(sub, node, s)
            return
        node = self._node(parent, f"{section.number} {section.title.get(lang)}", (section.id, sample))
        for sub in section.sections:
            self._add(sub, node, sample)

    def _node(self, parent, title: str, key, tip: str | None = None) -> QTreeWidgetItem:
        node = QTreeWidgetItem(parent, [title, "", ""])
        node.setData(0, ROLE, key)
        node.setToolTip(0, tip or title)
        node.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
        node.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
        self.nodes[key] = node
        return node

    def _all_counts(self) -> dict:
        """(done, total) for every node in one pass over the answers (each answer counts for
        its section and the sections above it), instead of one walk per node."""
        s, nodes = self.session, self.nodes
        chains = self._chains()
        out = {key: [0, 0] for key in nodes}
        for item in s.template.walk_items():
            if item.sample_group is None:
                samples = range(1)
            else:
                samples = range(len(s.sample_labels(item.sample_group)))
            chain = chains[item.section_id]
            for n in samples:
                key = (item.id, n)
                if not s.is_relevant(key):
                    continue
                done = s.is_answered(key)
                for sid in chain:
                    for node_key in ((sid, None), (sid, ALL), (sid, n)):
                        figures = out.get(node_key)
                        if figures is not None:
                            figures[0] += done
                            figures[1] += 1
        return out

    def _chains(self) -> dict[str, tuple[str, ...]]:
        """Section id -> its id and the ids of the sections above it."""
        chains: dict[str, tuple[str, ...]] = {}

        def walk(section: Section, above: tuple[str, ...]) -> None:
            chain = above + (section.id,)
            chains[section.id] = chain
            for sub in section.sections:
                walk(sub, chain)

        for top in self.session.template.sections:
            walk(top, ())
        return chains

    def refresh_figures(self) -> None:
        """Progress and score of every node; a node is touched only when a figure changed (each
        change repaints its row, and one answer changes a few nodes of a few hundred)."""
        result = self.session.result
        counts = self._all_counts()
        shown = self._shown
        for key, node in self.nodes.items():
            sid, sample = key
            done, total = counts[key]
            figure = None
            if result is not None and sid in result.sections:
                sec = result.sections[sid]
                figure = sec.score
                if isinstance(sample, int) and len(sec.per_sample) > sample:
                    figure = sec.per_sample[sample]
            figures = (f"{done}/{total}", bool(total and done == total), format_number(figure))
            if shown.get(key) == figures:
                continue
            shown[key] = figures
            node.setText(1, figures[0])
            node.setForeground(1, Qt.GlobalColor.darkGreen if figures[1] else Qt.GlobalColor.black)
            node.setText(2, figures[2])

    def page_for(self, node: QTreeWidgetItem):
        """The first page at or under ``node``: a section with items, for one sample."""
        sid, sample = node.data(0, ROLE)
        section = self.session.template.section_index[sid]
        if sample != ALL and section.items:
            return (sid, sample if isinstance(sample, int) else 0)
        for i in range(node.childCount()):
            found = self.page_for(node.child(i))
            if found:
                return found
        return None

    def select_page(self, key) -> None:
        sid, sample = key
        item = self.session.template.section_index[sid]
        in_group = any(s.id == sid for s in self.session.template.sample_groups()) or \
            (item.items and item.items[0].sample_group is not None)
        node = self.nodes.get((sid, sample if in_group else None))
        if node is not None:
            self.blockSignals(True)
            self.setCurrentItem(node)
            self.blockSignals(False)

    def _clicked(self, node: QTreeWidgetItem, column: int) -> None:
        key = self.page_for(node)
        if key:
            self.page_selected.emit(key)


__all__ = ["Navigator"]
