"""The checklist page: header, section navigator with sample tabs, the items of the current
section, and the guidance / score pane. Keyboard first (keys in docs/user-guide.md); every
change is committed by the store as it is made."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSplitter, QTabBar, QVBoxLayout, QWidget

from .. import extensions
from ..i18n import _, keys
from ..signature_pad import SignaturesDialog
from ..widgets.evidence import PhotoDialog
from .complete_dialog import MissingDialog
from .field_actions import FieldActions
from .header import Header
from .item_row import ItemRow, image_sources
from .items_view import ItemsView
from .navigator import Navigator, sample_menu_button, sample_title
from .review_panel import ReviewBanner, ReviewPanel, review_pins
from .session import ChecklistSession
from .side_panel import SidePanel
from .signature_item import sign_item

AUTO_ADVANCE = ("yes_no", "yes_no_na", "scale", "choice")


class ChecklistPage(FieldActions, QWidget):
    back_requested = Signal()
    new_requested = Signal()

    def __init__(self, ctx, uuid: str, position: dict | None = None, parent=None):
        super().__init__(parent)
        self.ctx, self.uuid = ctx, uuid
        self.session = s = ChecklistSession(ctx, uuid, self)
        s.widget = self
        self.assessment = s.assessment
        self.dialog = None                 # the last dialog opened (tests look at it)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(0)
        self.header = Header(s, self)
        v.addWidget(self.header)
        self.review_banner = ReviewBanner(self)      # "Returned by supervisor …" (sync)
        self.review_banner.show_comments.connect(self.show_comments)
        v.addWidget(self.review_banner)
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        banner_row = QHBoxLayout(self.banner)
        self.banner_label = QLabel("")
        self.banner_label.setWordWrap(True)
        banner_row.addWidget(self.banner_label)
        v.addWidget(self.banner)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.navigator = Navigator(s)
        self.navigator.page_selected.connect(lambda key: self.show_page(key, focus=True))
        self.navigator.filter.currentIndexChanged.connect(
            lambda i: self.set_filter(self.navigator.filter.itemData(i)))
        split.addWidget(self.navigator.pane())
        centre = QWidget()
        cv = QVBoxLayout(centre)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.setSpacing(0)
        self.tabs = QTabBar()
        self.tabs.setExpanding(False)
        self.tabs.setDocumentMode(True)
        self.tabs.tabBarClicked.connect(self._tab_clicked)
        self.tabs.tabBarDoubleClicked.connect(self.rename_sample)
        self.tab_row = QWidget()
        tab_line = QHBoxLayout(self.tab_row)
        tab_line.setContentsMargins(0, 0, 6, 0)
        tab_line.addWidget(self.tabs, 1)
        self.sample_menu_button = sample_menu_button(self)
        tab_line.addWidget(self.sample_menu_button)
        cv.addWidget(self.tab_row)
        self.items = ItemsView(s, self)
        cv.addWidget(self.items, 1)
        split.addWidget(centre)
        self.side = SidePanel(s)
        split.addWidget(self.side)
        self.review = ReviewPanel()                  # the "Comments" tab (review_panel.py)
        from ..review.reply import CommentsTab       # with the inspector's reply box
        self.comments_box = CommentsTab(
            ctx, uuid, self.review, lambda: tuple(self.position()["item"] or ()) or None,
            self.refresh_review)
        self.comments_tab = self.side.addTab(self.comments_box, _("Comments"))
        split.setSizes([280, 820, 250])
        split.setStretchFactor(1, 1)
        split.setCollapsible(1, False)
        self.splitter = split
        v.addWidget(split, 1)

        h = self.header
        h.breakdown.toggled.connect(self._toggle_breakdown)
        h.signatures.clicked.connect(self.open_signatures)
        h.complete.clicked.connect(self.complete)
        h.reopen.clicked.connect(self.reopen)
        h.report.clicked.connect(self.open_report)
        h.details.clicked.connect(lambda: self.edit_details())
        h.find.returnPressed.connect(self.find_next)
        h.find.installEventFilter(self)
        h.find.textChanged.connect(lambda: setattr(self, "_find_index", -1))
        self._find_index = -1

        s.answer_changed.connect(self._answer_changed)
        s.relevance_changed.connect(self._relevance_changed)
        s.evidence_changed.connect(self._evidence_changed)
        s.findings_changed.connect(lambda i, n: self._row_call((i, n), "refresh_finding"))
        s.scored.connect(self._scored)
        s.status_changed.connect(lambda status: self._status_changed())
        s.samples_changed.connect(lambda g: self._samples_changed(self._sample_target))
        self._sample_target = None

        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(400)
        self._position_timer.timeout.connect(self.save_position)
        for seq, slot in (("Ctrl+Z", self.undo), ("Ctrl+Return", self.next_unanswered),
                          ("Ctrl+Enter", self.next_unanswered), ("Ctrl+V", self.paste_photo),
                          ("F1", lambda: self.show_guidance(self.items.current)),
                          ("Ctrl+K", self.show_keys), ("Ctrl+G", self.go_to_section_box)):
            QShortcut(QKeySequence(seq), self, slot,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._status_changed()
        ctx.store.set_setting("last_assessment", uuid)
        self._restore(position or {})
        s.score_now()
        if self.needs_visit_date():
            QTimer.singleShot(0, self, lambda: self.edit_details(ask_visit=True))

    # ------------------------------------------------------------------ navigation
    def _restore(self, position: dict) -> None:
        pages = self.session.pages()
        key = tuple(position.get("page") or ()) or (pages[0].key if pages else None)
        if key and not any(p.key == key for p in pages):
            key = pages[0].key if pages else None
        if key:
            self.show_page(key)
            item = position.get("item")
            row = self.items.row_for(tuple(item)) if item else None
            self.set_current_row(row or (self.items.visible_rows() or [None])[0])

    def show_page(self, key, focus: bool = False) -> None:
        page = next((p for p in self.session.pages() if p.key == key), None)
        if page is None:
            return
        lang = self.session.lang
        title = f"{page.section.number} {page.section.title.get(lang)}"
        if page.group is not None:
            labels = self.session.sample_labels(page.group.id)
            title += " — " + sample_title(page.group, lang, page.sample, labels[page.sample])
        self.items.show_page(page, title)
        self.navigator.select_page(key)
        self._update_tabs(page)
        if focus:
            rows = self.items.visible_rows()
            self.set_current_row(rows[0] if rows else None)
            self.focus_items()
        self._position_timer.start()

    def _update_tabs(self, page) -> None:
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        if page.group is not None:
            lang = self.session.lang
            for n, label in enumerate(self.session.sample_labels(page.group.id)):
                self.tabs.addTab(sample_title(page.group, lang, n, label,
                                              self.session.absent_reason(page.group.id, n)))
            if self.session.editable:
                self.tabs.addTab("+")
                self.tabs.setTabToolTip(self.tabs.count() - 1, _("Add a sample"))
            self.tabs.setCurrentIndex(page.sample)
        self.tab_row.setVisible(page.group is not None)
        self.sample_menu_button.setEnabled(self.session.editable)
        self.tabs.blockSignals(False)

    def _tab_clicked(self, index: int) -> None:
        page = self.items.page
        if page is None or page.group is None or index < 0:
            return
        labels = self.session.sample_labels(page.group.id)
        if index == len(labels):
            self.add_sample()
            return
        self.show_page((page.section.id, index), focus=True)

    def go_to(self, key) -> ItemRow | None:
        """Show the item ``(item_id, sample)``: its section, its sample, the row itself."""
        page = self.session.page_of(key)
        if page is None:
            return None
        self.show_page(page.key)
        row = self.items.row_for(key)
        if row is not None:
            self.set_current_row(row)
        self.focus_items()
        return row

    def set_current_row(self, row: ItemRow | None) -> None:
        self.items.set_current(row)
        self.side.show_item(row)
        self._position_timer.start()

    def focus_items(self) -> None:
        self.items.setFocus()

    def position(self) -> dict:
        page, row = self.items.page, self.items.current
        return {"uuid": self.uuid, "page": list(page.key) if page else None,
                "item": list(row.key) if row else None}

    def save_position(self) -> None:
        self.ctx.store.set_setting("last_position", self.position())

    # ------------------------------------------------------------------ answering
    def answer(self, row: ItemRow, value) -> bool:
        return self.session.set_answer(row.item.id, row.sample, value)

    def handle_key(self, event) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = event.key()
        row = self.items.current
        if mods == Qt.KeyboardModifier.ControlModifier:
            action = {Qt.Key.Key_Z: self.undo, Qt.Key.Key_Return: self.next_unanswered,
                      Qt.Key.Key_Enter: self.next_unanswered, Qt.Key.Key_V: self.paste_photo,
                      Qt.Key.Key_F: self.start_find, Qt.Key.Key_K: self.show_keys,
                      Qt.Key.Key_G: self.go_to_section_box}.get(key)
            if action is not None:
                action()
            return action is not None
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            if self.items.move(step) is None:
                self._next_page(step)
            self.side.show_item(self.items.current)
            self._position_timer.start()
            return True
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self._next_page(1 if key == Qt.Key.Key_PageDown else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row is not None and row.control:
            return row.control.focus_editor()
        text = event.text().upper()
        if row is None or not text or not text.isprintable():
            return False
        k = keys()
        if text == k["note"]:
            row.toggle_note()
            return True
        if text == k["photo"]:
            self.add_photos_dialog(row)
            return True
        if text == "F":                      # the finding box of this item
            return self.open_finding(row)
        if text == "O":                      # the first photo: caption, remove
            photos = self.session.evidence.get(row.key, [])
            if photos:
                self.open_photo(row, photos[0])
            return bool(photos)
        value = row.key_value(text)
        if value is None or not self.session.editable:
            return value is not None
        if self.answer(row, value) and row.item.type in AUTO_ADVANCE:
            if self.items.move(1) is None:
                self._next_page(1)
            self.side.show_item(self.items.current)
        return True

    def _next_page(self, step: int) -> None:
        pages = [p.key for p in self.session.pages()]
        if self.items.page is None or self.items.page.key not in pages:
            return
        i = pages.index(self.items.page.key) + step
        if 0 <= i < len(pages):
            self.show_page(pages[i])
            rows = self.items.visible_rows()
            if rows:
                self.set_current_row(rows[0] if step > 0 else rows[-1])

    def undo(self) -> str:
        """Ctrl+Z: undo the last change and say in the status bar what was undone."""
        self.flush_edits()
        undone = self.session.undo()
        if undone is None:
            text = _("Nothing to undo")
        else:
            kind, key = undone
            self.go_to(key)
            what = {"answer": _("answer to {item}"), "note": _("note on {item}"),
                    "photo+": _("photo added to {item}"), "photo-": _("photo removed from {item}"),
                    "caption": _("photo caption on {item}"), "finding": _("finding edited on {item}"),
                    "finding+": _("finding added to {item}"),
                    "sample-": _("sample removed: {item}")}[kind]
            label = self.session.item_label(key)
            if kind == "sample-":
                item = self.session.template.items[key[0]]
                label = sample_title(self.session.template.section_index[item.sample_group],
                                     self.session.lang, key[1],
                                     self.session.sample_labels(item.sample_group)[key[1]])
            text = _("Undid: {what}").format(what=what.format(item=label))
        self.ctx.notice.emit(text)
        return text

    def next_unanswered(self) -> None:
        """Ctrl+Enter: commit what is being typed, then go to the next unanswered item."""
        if self.items.current is not None:
            self.items.current.commit_edits()
        self.flush_edits()
        current = self.items.current.key if self.items.current else None
        key = self.session.next_unanswered(current)
        if key is None:
            self.focus_items()
            self.ctx.dialogs.info(self, _("Every item is answered."))
            return
        self.go_to(key)

    def start_find(self) -> None:
        self.header.find.setFocus()
        self.header.find.selectAll()

    def eventFilter(self, obj, event) -> bool:
        """Esc in the find box returns to the checklist (the item found stays current)."""
        from PySide6.QtCore import QEvent
        if obj is self.header.find and event.type() == QEvent.Type.KeyPress and \
                event.key() == Qt.Key.Key_Escape:
            self.focus_items()
            return True
        return super().eventFilter(obj, event)

    def find_next(self) -> ItemRow | None:
        found = self.session.find(self.header.find.text())
        if not found:
            self.header.find.setStyleSheet("background: #FDECEC;")
            return None
        self.header.find.setStyleSheet("")
        self._find_index = (self._find_index + 1) % len(found)
        row = self.go_to(found[self._find_index])
        self.header.find.setFocus()
        return row

    # ------------------------------------------------------------------ reactions
    def _row_call(self, key, method: str) -> None:
        row = self.items.by_key.get(tuple(key))
        if row is not None:
            getattr(row, method)()

    def _answer_changed(self, item_id: str, sample: int) -> None:
        self._row_call((item_id, sample), "refresh")

    def _relevance_changed(self, flipped) -> None:
        for key in flipped:
            row = self.items.by_key.get(key)
            if row is not None:
                row.setVisible(self.session.shown(key))
        if self.items.current is not None and not self.session.shown(self.items.current.key):
            self.items.move(1) or self.items.move(-1)

    def _evidence_changed(self, keys_) -> None:
        for key in keys_:
            self._row_call(key, "refresh")

    def _scored(self, result) -> None:
        self.header.refresh()
        self.navigator.refresh_figures()
        if self.side.currentIndex() == SidePanel.SCORE:
            self.side.show_score(result)
        for row in self.items.rows:
            row.refresh_evidence_hint()

    def _toggle_breakdown(self, on: bool) -> None:
        self.side.setCurrentIndex(SidePanel.SCORE if on else SidePanel.GUIDANCE)
        if on:
            self.side.show_score(self.session.result)

    def show_guidance(self, row) -> None:
        self.header.breakdown.setChecked(False)
        self.side.setCurrentIndex(SidePanel.GUIDANCE)
        self.side.show_item(row)
        if row is not None:
            self.set_current_row(row)

    def _status_changed(self) -> None:
        s = self.session
        self.assessment = s.assessment
        self.header.refresh()
        self.banner.setVisible(not s.editable)
        self.banner_label.setText(_("This assessment is read-only ({status}). Reopening it is "
                                    "recorded as an amendment.").format(
            status=self.header.status.text()))
        for row in self.items.rows:
            row.refresh()
        if self.items.page is not None:
            self._update_tabs(self.items.page)
        self.refresh_review()

    # ------------------------------------------------------------------ review (from sync)
    def refresh_review(self) -> None:
        """Reload the supervisor's comments into the banner and the Comments tab."""
        store = self.ctx.store
        comments = store.list_comments(self.uuid)
        for c in comments:          # "1.2, Budi": where an anchored comment is pinned
            item = self.session.template.items.get(c.get("item") or "")
            if item is not None:
                labels = self.session.assessment.samples.get(item.sample_group or "", [])
                sample = c.get("sample") or 0
                c["where"] = (f"{item.number}, {labels[sample]}" if sample < len(labels)
                              else item.number)
        self.review_pins = review_pins(comments)
        for row in self.items.rows:
            row.refresh_pins()
        self.review.set_comments(comments)
        self.review_banner.set_review(self.session.assessment.status, comments)
        self.side.setTabText(self.comments_tab, _("Comments ({n})").format(n=len(comments))
                             if comments else _("Comments"))
        enrolled = bool(store.sync_settings().get("server"))
        self.side.setTabVisible(self.comments_tab, bool(comments) or enrolled)
        QTimer.singleShot(0, self, self._fit_side_tabs)   # once the splitter has real sizes

    def _fit_side_tabs(self) -> None:
        """Widen the right pane (taking from the centre) so every tab title shows whole."""
        bar = self.side.tabBar()
        needed = sum(bar.tabSizeHint(i).width() for i in range(bar.count())
                     if bar.isTabVisible(i)) + 8
        sizes = self.splitter.sizes()
        if len(sizes) == 3 and 0 < sizes[2] < needed:
            grow = min(needed - sizes[2], max(0, sizes[1] - 480))
            self.splitter.setSizes([sizes[0], sizes[1] - grow, sizes[2] + grow])

    def show_comments(self) -> None:
        self.header.breakdown.setChecked(False)
        self.side.setTabVisible(self.comments_tab, True)
        self.side.setCurrentIndex(self.comments_tab)

    def refresh_from_sync(self) -> None:
        """After a sync: a status the server changed (returned, approved) and new comments."""
        fresh = self.ctx.store.get(self.uuid)
        if fresh.status != self.session.assessment.status:
            self.flush_edits()
            self.session._load(fresh)
            self.session.status_changed.emit(fresh.status)   # -> _status_changed -> refresh_review
        else:
            self.refresh_review()

    # ------------------------------------------------------------------ photos
    def add_photos_dialog(self, row: ItemRow | None) -> None:
        if row is None or not self.session.editable:
            return
        files = self.ctx.dialogs.open_images(self)
        self.session.add_photos(row.key, files)

    def paste_photo(self) -> bool:
        row = self.items.current
        if row is None or not self.session.editable:
            return False
        sources = image_sources(QGuiApplication.clipboard().mimeData())
        if not sources:
            self.ctx.dialogs.info(self, _("The clipboard holds no picture."))
            return False
        self.session.add_photos(row.key, sources)
        return True

    def open_photo(self, row: ItemRow, photo: dict) -> PhotoDialog:
        s = self.session
        self.dialog = PhotoDialog(
            photo, s.evidence_path(photo["sha256"]), s.editable,
            lambda caption: s.set_caption(row.key, photo["id"], caption),
            lambda: self.ctx.dialogs.confirm(self, _("Remove this photo from the item?"),
                                             _("Remove photo")) and s.remove_photo(row.key, photo["id"]),
            self)
        self.dialog.open()
        return self.dialog

    def sign_item(self, row: ItemRow) -> None:
        self.dialog = sign_item(self, row)

    # ------------------------------------------------------------------ signing, completing, report
    def open_signatures(self) -> SignaturesDialog:
        self.dialog = SignaturesDialog(self.session, self.ctx.setting("inspector_name", ""), self)
        self.dialog.open()
        return self.dialog

    def complete(self) -> bool:
        """Check required items and evidence rules; list what is missing, or complete."""
        self.flush_edits()
        result = self.ctx.store.score(self.uuid)
        self.session.result = result
        self._scored(result)
        c = result.completeness
        if not c.complete:
            if isinstance(self.dialog, MissingDialog):
                self.dialog.close()
            self.dialog = MissingDialog(self.session, c, self)
            self.dialog.jump.connect(self.go_to)
            self.dialog.show()                   # not modal: it stays open while fixing
            return False
        signed = self.session.signatures()
        missing = [label for role, label in (("inspector", _("the inspector")),
                                             ("representative", _("the unit's representative")))
                   if role not in signed]
        reason = ""
        below = self.ctx.store.samples_below_published(self.uuid)
        if below:
            short = "; ".join(_("{group}: {counted} of {published}").format(
                group=b["title"], counted=b["counted"], published=b["published"]) for b in below)
            reason = self.ctx.dialogs.ask_text(
                self, _("Fewer samples than the template asks for"),
                _("Fewer samples were assessed than the template's published sample size "
                  "({groups}). Why? The reason is recorded with the completion.").format(
                    groups=short))
            if not reason:
                return False
        question = _("Complete this assessment? It becomes read-only; changing it later is "
                     "recorded as an amendment.")
        if missing:
            question += "\n\n" + _("Not signed yet by: {who}.").format(who=", ".join(missing))
        loose = self.findings_without_owner()
        if loose:
            question += "\n\n" + _("{n} finding(s) have no responsible person or no due date: "
                                    "{items}.").format(n=len(loose), items=", ".join(loose))
        if not self.ctx.dialogs.confirm(self, question, _("Complete")):
            return False
        return self.session.complete(reason)

    def reopen(self) -> bool:
        reason = self.ctx.dialogs.ask_text(self, _("Reopen (amendment)"),
                                           _("Why is this completed assessment changed? The reason "
                                             "is recorded."))
        return bool(reason) and self.session.reopen(reason)

    def open_report(self) -> None:
        module = extensions.load(extensions.REPORT_MODULE)
        if module is not None:
            self.flush_edits()
            module.open_report_dialog(self, self.ctx.data_dir, self.uuid)

    # ------------------------------------------------------------------ closing
    def flush_edits(self) -> None:
        """Commit text still waiting for its pause (a note typed a moment ago)."""
        from .answer_controls import TextControl
        from .item_row import DebouncedText
        for edit in self.findChildren(DebouncedText):
            if edit.timer.isActive():
                edit.commit()
        for control in self.findChildren(TextControl):
            if control.timer.isActive():
                control.commit()

    def close_page(self, save: bool = True) -> None:
        """Close: commit what is still being typed (``save=False``: the draft was deleted)."""
        if self.dialog is not None:
            self.dialog.close()
        self._position_timer.stop()
        if not save:
            self.session._score_timer.stop()
            return
        self.flush_edits()
        self.save_position()
        self.session.flush()
