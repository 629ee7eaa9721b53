"""The section navigator: sections as a tree with progress (answered / total) and score each;
a sample group lists its samples ("Produk 1: KTP-el") with their own progress and score."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from assessor_app.templates.model import Section

from ..i18n import _, format_number
from .session import ChecklistSession

ROLE = Qt.ItemDataRole.UserRole
ALL = "all"


def sample_title(section: Section, lang: str, index: int, label: str) -> str:
    word = section.sample.label.get(lang) if section.sample else _("Sample")
    return f"{word} {index + 1}: {label}"


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
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.nodes: dict = {}
        self.itemClicked.connect(self._clicked)
        self.rebuild()

    def rebuild(self) -> None:
        self.clear()
        self.nodes = {}
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
        result = self.session.result
        counts = self._all_counts()
        for (sid, sample), node in self.nodes.items():
            done, total = counts[(sid, sample)]
            node.setText(1, f"{done}/{total}")
            node.setForeground(1, Qt.GlobalColor.darkGreen if total and done == total
                               else Qt.GlobalColor.black)
            figure = None
            if result is not None and sid in result.sections:
                sec = result.sections[sid]
                figure = sec.score
                if isinstance(sample, int) and len(sec.per_sample) > sample:
                    figure = sec.per_sample[sample]
            node.setText(2, format_number(figure))

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
