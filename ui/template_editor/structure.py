"""The tree of sections and items on the left of the editor. Reorder by drag and drop, or from the
keyboard: Alt+Up / Alt+Down move the selected node among its siblings; Insert adds an item,
Delete removes the selected node. The tree only reports; the editor changes the document."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from assessor_app.i18n import language

from .. import theme
from ..i18n import _
from .document import EditorDocument

PATH = Qt.ItemDataRole.UserRole + 1
ABOVE, BELOW, ON = "above", "below", "on"


class StructureTree(QTreeWidget):
    node_selected = Signal(tuple)
    move_requested = Signal(tuple, tuple, str)      # source path, target path, above/below/on
    shift_requested = Signal(tuple, int)
    add_item_requested = Signal()
    delete_requested = Signal(tuple)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderLabels([_("Sections and items"), _("Type"), _("Weight")])
        self.setColumnWidth(0, 300)
        theme.flat(self)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.currentItemChanged.connect(self._current)
        self.setAccessibleName(_("Sections and items"))

    @staticmethod
    def path_of(item) -> tuple:
        """The document path stored on a tree row (kept as text: PySide6 mishandles tuples kept
        in item data when the tree is cleared and rebuilt often)."""
        from .document import parse_path
        return parse_path(item.data(0, PATH) or "") if item is not None else ()

    def _current(self, item, _previous) -> None:
        if item is not None:
            self.node_selected.emit(self.path_of(item))

    def rebuild(self, doc: EditorDocument, select: tuple = (), bad: set[str] | None = None) -> None:
        """Redraw from the document; ``bad`` holds path texts with problems (drawn in red)."""
        from .document import path_text
        from .panel import type_label
        bad = bad or set()
        lang = language()
        numbers = {}
        if doc.template is not None:
            numbers = {s.id: s.number for s in doc.template.walk_sections()}
            numbers.update({i.id: i.number for i in doc.template.items.values()})
        self.blockSignals(True)
        self.clear()
        root = QTreeWidgetItem([doc.body.get("title", {}).get(lang, "") or doc.body.get("id", ""),
                                _("template"), doc.body.get("version", "")])
        root.setData(0, PATH, "")
        root.setFlags(root.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
        self.addTopLevelItem(root)
        chosen = root

        def add(parent_item, path):
            nonlocal chosen
            for child_path, node in doc.children(path):
                is_section = child_path[-2] == "sections"
                title = (node.get("title") if is_section else node.get("text")) or {}
                label = title.get(lang) or title.get("id") or node.get("id", "")
                number = numbers.get(node.get("id"), "")
                weight = node.get("weight")
                if is_section and node.get("sample"):
                    kind = _("sample group")
                else:
                    kind = _("section") if is_section else type_label(node.get("type", ""))
                tree_item = QTreeWidgetItem([f"{number} {label}".strip(), kind,
                                             "" if weight is None else f"{weight:g}"
                                             if isinstance(weight, (int, float)) else str(weight)])
                tree_item.setData(0, PATH, path_text(child_path))
                tree_item.setToolTip(0, node.get("id", ""))
                text = path_text(child_path)
                if any(b == text or b.startswith(text + ".") for b in bad):
                    for col in range(3):
                        tree_item.setForeground(col, QBrush(QColor(theme.RED)))
                if is_section:
                    tree_item.setFlags(tree_item.flags() | Qt.ItemFlag.ItemIsDropEnabled)
                else:
                    tree_item.setFlags(tree_item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
                parent_item.addChild(tree_item)
                if tuple(child_path) == tuple(select):
                    chosen = tree_item
                if is_section:
                    add(tree_item, child_path)
        add(root, ())
        self.expandAll()
        self.setCurrentItem(chosen)
        self.blockSignals(False)

    def current_path(self) -> tuple:
        return self.path_of(self.currentItem())

    def relabel_current(self, doc: EditorDocument) -> None:
        """Show the current node's edited title (cheaper than a rebuild on every keystroke)."""
        item = self.currentItem()
        path = self.current_path()
        if item is None:
            return
        lang = language()
        node = doc.get(path) if path else doc.body
        title = (node.get("text") or node.get("title") or {}) if isinstance(node, dict) else {}
        label = title.get(lang) or title.get("id") or node.get("id", "")
        number = item.text(0).split(" ", 1)[0] if path else ""
        item.setText(0, f"{number} {label}".strip() if path else label)
        item.setToolTip(0, node.get("id", ""))

    # ------------------------------------------------------------------ drag and drop, keys
    def dropEvent(self, event) -> None:
        source = self.current_path()
        target_item = self.itemAt(event.position().toPoint())
        where = {QAbstractItemView.DropIndicatorPosition.AboveItem: ABOVE,
                 QAbstractItemView.DropIndicatorPosition.BelowItem: BELOW,
                 QAbstractItemView.DropIndicatorPosition.OnItem: ON}.get(
            self.dropIndicatorPosition())
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()        # the document moves the node; the tree is then redrawn from it
        if target_item is not None and where and source:
            self.move_requested.emit(source, self.path_of(target_item), where)

    def keyPressEvent(self, event) -> None:
        mods = event.modifiers()
        path = self.current_path()
        if mods & Qt.KeyboardModifier.AltModifier and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            if path:
                self.shift_requested.emit(path, -1 if event.key() == Qt.Key.Key_Up else 1)
            return
        if event.key() == Qt.Key.Key_Insert:
            self.add_item_requested.emit()
            return
        if event.key() == Qt.Key.Key_Delete and path:
            self.delete_requested.emit(path)
            return
        super().keyPressEvent(event)
