"""The template editor: structure on the left, the selected node's fields in the middle, the
preview ("try it") on the right, problems at the bottom. Opened from the Templates page by
administrators and supervisors (and on a laptop not enrolled with a server, whose user is its
own administrator).

Every edit is validated at once with the same rules and messages as ``assessor templates
validate``; each problem is shown at its field. Nothing is installed until "Save as new
version": installed versions never change, so assessments stay pinned to theirs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter,
    QVBoxLayout,
)

from assessor_app.store.templates import next_version
from assessor_app.templates.model import Template

from ..context import FAILED, Context
from ..i18n import _
from .dialogs import DiffDialog, LibraryDialog
from .document import EditorDocument, parse_path
from .fields import Binder
from .panel import PropertiesPanel
from .preview import PreviewPane
from .structure import ABOVE, BELOW, ON, StructureTree

PREVIEW_DELAY_MS = 250


def can_edit_templates(store) -> bool:
    """Administrators and supervisors edit templates; a laptop without a server is its own."""
    settings = store.sync_settings()
    if not settings.get("token"):
        return True
    return settings.get("role") in ("supervisor", "admin")


class TemplateEditor(QDialog):
    saved = Signal(str, str)          # template id, version

    def __init__(self, ctx: Context, template: Template | dict, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        body = template.body if isinstance(template, Template) else template
        self.doc = EditorDocument(body)
        self.base_version = str(body.get("version", ""))
        self.binder = Binder()
        self.last_good: Template | None = self.doc.template
        self.setWindowTitle(_("Template editor"))
        self.resize(1366, 768)
        self.setSizeGripEnabled(True)
        self._build()
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self._update_preview)
        self.tree.rebuild(self.doc)
        self.panel.show_node(())
        self.refresh_problems()
        self.preview_timer.start()        # the window shows first, the preview right after

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_section_button = QPushButton(_("Add section"))
        self.add_section_button.clicked.connect(self.add_section)
        self.add_item_button = QPushButton(_("Add item"))
        self.add_item_button.setToolTip(_("Insert"))
        self.add_item_button.clicked.connect(self.add_item)
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.clicked.connect(lambda: self.delete(self.tree.current_path()))
        up = QPushButton("↑")
        up.setToolTip(_("Move up (Alt+Up)"))
        up.clicked.connect(lambda: self.shift(self.tree.current_path(), -1))
        down = QPushButton("↓")
        down.setToolTip(_("Move down (Alt+Down)"))
        down.clicked.connect(lambda: self.shift(self.tree.current_path(), 1))
        for b in (self.add_section_button, self.add_item_button, self.delete_button, up, down):
            bar.addWidget(b)
        bar.addStretch(1)
        self.status = QLabel()
        bar.addWidget(self.status)
        self.diff_button = QPushButton(_("Differences…"))
        self.diff_button.clicked.connect(self.show_diff)
        self.save_button = QPushButton(_("Save as new version"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save_new_version)
        self.publish_button = QPushButton(_("Publish to the team"))
        self.publish_button.clicked.connect(self.publish)
        self.publish_button.setVisible(bool(self.ctx.store.sync_settings().get("token")))
        for b in (self.diff_button, self.save_button, self.publish_button):
            bar.addWidget(b)
        lay.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.tree = StructureTree()
        self.tree.node_selected.connect(self._select)
        self.tree.move_requested.connect(self.drop)
        self.tree.shift_requested.connect(self.shift)
        self.tree.add_item_requested.connect(self.add_item)
        self.tree.delete_requested.connect(self.delete)
        self.panel = PropertiesPanel(self.doc, self.binder)
        self.panel.changed.connect(self.on_changed)
        self.panel.library_requested.connect(self.open_library)
        self.preview = PreviewPane()
        split.addWidget(self.tree)
        split.addWidget(self.panel)
        split.addWidget(self.preview)
        split.setSizes([380, 560, 420])
        lay.addWidget(split, 1)
        self.problem_list = QListWidget()
        self.problem_list.setMaximumHeight(90)
        self.problem_list.itemActivated.connect(self._jump)
        self.problem_list.itemClicked.connect(self._jump)
        lay.addWidget(self.problem_list)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_new_version)

    # ------------------------------------------------------------------ editing
    def _select(self, path: tuple) -> None:
        self.panel.show_node(path)
        self.refresh_problems()

    def on_changed(self, structural: bool) -> None:
        """After every edit: validate, show problems at their fields, redraw the tree when the
        structure or a title changed, and schedule the preview."""
        self.refresh_problems()
        if structural:
            self.tree.relabel_current(self.doc)
        self.preview_timer.start()

    def refresh_problems(self) -> None:
        problems = self.doc.validate()
        if self.doc.template is not None:
            self.last_good = self.doc.template
        rest = self.binder.show(problems)
        self.problem_list.clear()
        for path, message in problems:
            item = QListWidgetItem(f"{path}: {message}" if path else message)
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.problem_list.addItem(item)
        self.problem_list.setVisible(bool(problems))
        if problems:
            self.status.setText(_("Problems: {count}. Fix the fields marked in red").format(
                count=len(problems)))
        else:
            self.status.setText(_("Valid: {items} items").format(items=len(self.doc.template.items)))
        self.save_button.setEnabled(not problems)
        self.unshown = rest

    def _update_preview(self) -> None:
        current = self.doc.current_template()
        if current is not None:
            self.last_good = current
        self.preview.set_template(current or self.last_good, stale=current is None)

    def flush(self) -> None:
        """Bring the preview up to date now (instead of after the short pause)."""
        if self.preview_timer.isActive():
            self.preview_timer.stop()
        self._update_preview()

    def _jump(self, item: QListWidgetItem) -> None:
        path = parse_path(item.data(Qt.ItemDataRole.UserRole) or "")
        node = ()
        for i in range(len(path), 0, -1):
            if len(path[:i]) >= 2 and path[:i][-2] in ("sections", "items") and isinstance(path[i - 1], int):
                node = path[:i]
                break
        self.tree.rebuild(self.doc, node, {p for p, _m in self.doc.problems})
        self.panel.show_node(node)
        self.refresh_problems()

    def _structure_changed(self, select: tuple) -> None:
        self.refresh_problems()
        self.tree.rebuild(self.doc, select, {p for p, _m in self.doc.problems})
        self.panel.show_node(select)
        self.refresh_problems()
        self.preview_timer.start()

    def current_section(self) -> tuple:
        path = self.tree.current_path()
        if not path:
            return ("sections", 0) if self.doc.body.get("sections") else ()
        return path if path[-2] == "sections" else path[:-2]

    def add_item(self) -> tuple:
        path = self.tree.current_path()
        section = self.current_section()
        if not section:
            return ()
        after = path[-1] if path and path[-2] == "items" else None
        new = self.doc.add_item(section, after)
        self._structure_changed(new)
        return new

    def add_section(self) -> tuple:
        path = self.tree.current_path()
        parent = () if not path or path[-2] == "items" or len(path) == 2 else path[:-2]
        new = self.doc.add_section(parent if path and path[-2] == "sections" else ())
        self._structure_changed(new)
        return new

    def delete(self, path: tuple) -> None:
        if not path:
            return
        node = self.doc.get(path)
        name = node.get("id", "")
        if not self.ctx.dialogs.confirm(self, _("Delete {name} from this draft?").format(name=name),
                                        _("Delete")):
            return
        self.doc.remove(path)
        self._structure_changed(path[:-2] if len(path) > 2 else ())

    def shift(self, path: tuple, delta: int) -> tuple:
        if not path:
            return path
        new = self.doc.shift(path, delta)
        self._structure_changed(new)
        return new

    def drop(self, source: tuple, target: tuple, where: str) -> tuple | None:
        """Move ``source`` relative to ``target`` (above, below or on it), as a drop does."""
        if not source or source == target or target[:len(source)] == source:
            return None
        src_kind = source[-2]
        if not target:
            return None
        tgt_kind = target[-2]
        if src_kind == "items":
            if tgt_kind == "items":
                parent, key, index = target[:-2], "items", target[-1] + (0 if where == ABOVE else 1)
            elif where == ON:
                parent, key, index = target, "items", len(self.doc.get(target).get("items", []))
            else:
                return None
        else:
            if tgt_kind == "items":
                return None
            if where == ON:
                parent, key, index = target, "sections", len(self.doc.get(target).get("sections", []))
            else:
                parent, key = target[:-2], "sections"
                index = target[-1] + (0 if where == ABOVE else 1)
        new = self.doc.move(source, parent, key, index)
        self._structure_changed(new or ())
        return new

    # ------------------------------------------------------------------ library, diff
    def open_library(self, path: tuple) -> None:
        dialog = LibraryDialog(self.ctx, self.doc.get(path) if path else None, self)
        if dialog.exec() and dialog.chosen:
            self.panel.insert_library_entry(dialog.chosen)

    def show_diff(self) -> DiffDialog:
        dialog = DiffDialog(self.ctx.store, self.doc.body.get("id", ""), self.doc.body, self)
        dialog.show()
        return dialog

    # ------------------------------------------------------------------ saving, publishing
    def save_new_version(self) -> Template | None:
        if self.doc.validate():
            self.ctx.dialogs.error(self, _("The template has problems; fix the fields marked in "
                                           "red first."))
            return None
        installed = {r["version"] for r in self.ctx.store.template_versions(self.doc.body["id"])}
        version = str(self.doc.body["version"])
        while version in installed:
            version = next_version(version)
        self.doc.body["version"] = version
        result = self.ctx.write(self, self.ctx.store.save_template_version, self.doc.body)
        if result is FAILED:
            return None
        self.doc.dirty = False
        self.doc.validate()
        self.tree.rebuild(self.doc, self.panel.path)
        self.panel.show_node(self.panel.path)
        self.refresh_problems()
        self.ctx.notice.emit(_("Saved {template} version {version}").format(
            template=result.id, version=result.version))
        self.saved.emit(result.id, result.version)
        return result

    def publish(self) -> None:
        from assessor_app.sync.publish import publish_template
        template = self.save_new_version() if self.doc.dirty else self.doc.template
        if template is None:
            return
        key = (template.id, template.version)

        def work():
            store = self.ctx.worker_store()
            try:
                return publish_template(store, store.get_template(*key))
            finally:
                store.close()

        def done(result):
            self.ctx.dialogs.info(self, _("Published {template} version {version}; every laptop "
                                          "receives it on its next sync.").format(
                template=result["id"], version=result["version"]))
        self.ctx.runner.run(work, done, lambda e: self.ctx.dialogs.show_exception(self, e),
                            _("Publishing the template"))

    def reject(self) -> None:
        if self.doc.dirty and not self.ctx.dialogs.confirm(
                self, _("Close the editor? The changes are not saved as a version."),
                _("Close without saving")):
            return
        super().reject()
