"""One checklist item on screen: number, text, legal reference, the answer control, and on
demand its note, photo evidence and finding with corrective action. Built only for the items of
the section being shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QVBoxLayout,
)

from assessor_app.actions import FOLLOWUP_TEMPLATE_ID
from assessor_app.i18n import format_number
from assessor_app.reference_text import finding_text
from assessor_app.templates.model import Item

from ..i18n import _, keys
from ..widgets.date_field import DateField
from ..widgets.evidence import EvidenceStrip
from .answer_controls import LeaveKeys, LocationControl, NumberControl, make_control
from .session import ChecklistSession

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def image_sources(mime) -> list:
    """Local image files or raw image data carried by a drop or a paste."""
    files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()
             and u.toLocalFile().lower().endswith(IMAGE_SUFFIXES)] if mime.hasUrls() else []
    if files:
        return files
    if mime.hasImage():
        from PySide6.QtCore import QBuffer, QIODevice
        image = QImage(mime.imageData())
        if not image.isNull():
            buf = QBuffer()
            buf.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(buf, "PNG")
            return [bytes(buf.data())]
    return []


class DebouncedText(QPlainTextEdit):
    """A text box that reports its text 0.6 s after the last keystroke and when left."""

    committed = Signal(str)
    escaped = Signal()

    def __init__(self, text: str = "", height: int = 56, parent=None):
        super().__init__(parent)
        self.setPlainText(text)
        self.setFixedHeight(height)
        self.setTabChangesFocus(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(600)
        self.timer.timeout.connect(self.commit)
        self.textChanged.connect(self.timer.start)

    def commit(self) -> None:
        self.timer.stop()
        self.committed.emit(self.toPlainText())

    def focusOutEvent(self, event) -> None:
        if self.timer.isActive():
            self.commit()
        super().focusOutEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.commit()
            self.escaped.emit()
            return
        super().keyPressEvent(event)


#: the follow-up of a corrective action, as scored at a follow-up visit (store values)
FOLLOW_UP = ("open", "implemented", "partly_implemented", "not_implemented")


def follow_up_label(status: str) -> str:
    return {"open": _("Still open"), "implemented": _("Implemented"),
            "partly_implemented": _("Partly implemented"),
            "not_implemented": _("Not implemented")}.get(status, status)


class FindingBox(QFrame):
    """The finding and corrective action of a failing item (prefilled from the template), who is
    responsible, the due date and the follow-up status. Each field is saved when it changes."""

    def __init__(self, session: ChecklistSession, key, parent=None):
        super().__init__(parent)
        self.setObjectName("findingBox")
        self.session, self.key = session, key
        form = QFormLayout(self)
        form.setContentsMargins(8, 6, 8, 6)
        form.setVerticalSpacing(4)
        self.text = DebouncedText(height=62)
        self.action = DebouncedText(height=62)
        self.responsible = QLineEdit()
        self.responsible.setPlaceholderText(_("Name or position"))
        self.due = DateField()
        self.status = QComboBox()
        for value in FOLLOW_UP:
            self.status.addItem(follow_up_label(value), value)
        self.status.setToolTip(_("Follow-up of the corrective action (checked at the next visit)"))
        self.text.setPlaceholderText(_("What was found"))
        self.action.setPlaceholderText(_("What the unit must do"))
        form.addRow(_("Finding"), self.text)
        form.addRow(_("Corrective action"), self.action)
        # responsible, due date and follow-up side by side, each captioned, across the box
        line = QGridLayout()
        line.setContentsMargins(0, 2, 0, 0)
        line.setHorizontalSpacing(10)
        line.setVerticalSpacing(1)
        self.due_label = QLabel(_("Due date"))
        self.due_label.setBuddy(self.due.edit)
        self.status_label = QLabel(_("Follow-up"))
        self.status_label.setBuddy(self.status)
        self.responsible_label = QLabel(_("Responsible"))
        self.responsible_label.setBuddy(self.responsible)
        for col, (label, field) in enumerate(((self.responsible_label, self.responsible),
                                              (self.due_label, self.due),
                                              (self.status_label, self.status))):
            line.addWidget(label, 0, col)
            line.addWidget(field, 1, col)
        line.setColumnStretch(0, 1)
        form.addRow(line)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        form.addRow(self.error)
        for edit in (self.text, self.action):
            edit.escaped.connect(lambda: session.widget and session.widget.focus_items())
        self.text.committed.connect(self.save)
        self.action.committed.connect(self.save)
        self.responsible.editingFinished.connect(self.save)
        self.due.committed.connect(self.save)
        self.due.invalid.connect(self._invalid)
        self.status.currentIndexChanged.connect(self.save)
        self.refresh()

    def finding(self) -> dict | None:
        found = self.session.findings.get(self.key) or []
        return found[0] if found else None

    def refresh(self) -> None:
        f = self.finding() or {}
        shown = dict(zip(("text", "action"), finding_text(
            self.session.template.items.get(self.key[0]), f, self.session.lang))) if f else {}
        for edit, field in ((self.text, "text"), (self.action, "action")):
            if not edit.hasFocus() and edit.toPlainText() != (shown.get(field) or ""):
                edit.blockSignals(True)
                edit.setPlainText(shown.get(field) or "")
                edit.blockSignals(False)
        if not self.responsible.hasFocus():
            self.responsible.setText(f.get("responsible") or "")
        self.due.set_value(f.get("due_date") or "")
        self.status.blockSignals(True)
        self.status.setCurrentIndex(max(0, self.status.findData(f.get("status") or "open")))
        self.status.blockSignals(False)
        editable = self.session.editable
        for w in (self.text, self.action, self.responsible, self.due):
            w.setReadOnly(not editable)
        self.status.setEnabled(editable)
        if not editable:
            self._invalid("")

    def _invalid(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def values(self) -> dict:
        """The fields as shown; a due date that is not a date yet is left out."""
        values = {"text": self.text.toPlainText().strip(),
                  "action": self.action.toPlainText().strip(),
                  "responsible": self.responsible.text().strip(),
                  "status": self.status.currentData() or "open"}
        due = self.due.value()
        if due is not None:
            values["due_date"] = due
        return values

    def save(self, *args) -> None:
        if not self.session.editable:
            return
        values = self.values()
        f = self.finding()
        if f is None:
            if values["text"]:
                text = values.pop("text")
                self.session.add_finding(self.key, text, record=True, **values)
            return
        if not values["text"]:
            values.pop("text")          # a finding keeps a text: the old one stays until retyped
        shown = dict(zip(("text", "action"), finding_text(
            self.session.template.items.get(self.key[0]), f, self.session.lang)))
        changed = {k: v for k, v in values.items() if (shown.get(k, f.get(k)) or "") != v}
        if changed:
            self.session.update_finding(self.key, f["uuid"], **changed)


class ItemRow(QFrame):
    """``parent``: the (not yet shown) container the row goes into. Building rows inside a hidden
    parent keeps Qt from making each new widget a window of its own and from laying out the page
    once per row (the page appears once, complete)."""

    def __init__(self, session: ChecklistSession, item: Item, sample: int, page, parent=None):
        super().__init__(parent)
        self.setObjectName("itemRow")
        self.setAcceptDrops(True)
        self.session, self.item, self.sample, self.page = session, item, sample, page
        self.key = (item.id, sample)
        lang = session.lang
        outer = QHBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        number = QLabel(item.number)
        number.setObjectName("itemNumber")       # styled by the theme (one style sheet)
        number.setFixedWidth(58)
        number.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(number)
        body = QVBoxLayout()
        body.setSpacing(4)
        outer.addLayout(body, 1)
        top = QHBoxLayout()
        self.text = QLabel(item.text.get(lang))
        self.text.setWordWrap(True)
        top.addWidget(self.text, 1)
        self.required = QLabel(_("required") if item.required else "")
        self.required.setObjectName("required")
        self._missing: bool | None = None
        top.addWidget(self.required, 0, Qt.AlignmentFlag.AlignTop)
        body.addLayout(top)
        if item.legal:
            legal = QLabel(item.legal)
            legal.setObjectName("legal")
            legal.setWordWrap(True)
            body.addWidget(legal)
        self.control = make_control(item, lang, session.validate)
        self.leave_keys = LeaveKeys(self.commit_edits, page.focus_items, page.next_unanswered,
                                    self._entered, self)
        if self.control is not None:
            self.leave_keys.watch(*self.control.editors())
            self.control.chosen.connect(self._chosen)
            body.addWidget(self.control)
            if isinstance(self.control, (NumberControl, LocationControl)):
                self.control.invalid.connect(self._invalid)
        elif item.type == "photo":
            hint = QLabel(_("Answer with photos: press {key} or drop them here.").format(
                key=keys()["photo"]))
            hint.setObjectName("muted")
            body.addWidget(hint)
        elif item.type == "signature":
            self.sign_button = QPushButton(_("Sign…"))
            self.sign_button.clicked.connect(lambda: page.sign_item(self))
            body.addWidget(self.sign_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.extra = QLabel("")          # a computed variable's value, or the previous visit's answer
        self.extra.setObjectName("muted")
        self.extra.setWordWrap(True)
        self.extra.setVisible(False)
        body.addWidget(self.extra)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setVisible(False)
        body.addWidget(self.error)
        tools = QHBoxLayout()
        k = keys()
        self.note_button = self._tool(_("Note ({key})").format(key=k["note"]), self.toggle_note)
        self.photo_button = self._tool(_("Add photo ({key})").format(key=k["photo"]),
                                       lambda: page.add_photos_dialog(self))
        self.guidance_button = self._tool(_("Guidance (F1)"), lambda: page.show_guidance(self))
        for b in (self.note_button, self.photo_button, self.guidance_button):
            tools.addWidget(b)
        if item.guidance is None and not item.legal:
            self.guidance_button.setVisible(False)
        self.evidence_hint = QLabel("")
        self.evidence_hint.setObjectName("error")
        tools.addWidget(self.evidence_hint)
        tools.addStretch(1)
        body.addLayout(tools)
        self.body = body
        self.pins: QLabel | None = None            # the supervisor's comments pinned to this row
        self.note_edit: DebouncedText | None = None
        self.strip: EvidenceStrip | None = None
        self.finding_box: FindingBox | None = None
        self.refresh()

    def _tool(self, text: str, slot) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName("rowTool")               # styled by the theme (one style sheet)
        b.setFlat(True)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        return b

    # ------------------------------------------------------------------ state
    def refresh(self) -> None:
        s, key = self.session, self.key
        value = s.answers.get(key)
        editable = s.editable
        if self.control is not None:
            self.control.set_value(value)
            self.control.set_editable(editable)
        self.photo_button.setEnabled(editable)
        self.note_button.setEnabled(editable or bool(s.notes.get(key)))
        if self.item.required:
            missing = not s.is_answered(key)
            if missing != self._missing:          # restyle only on a change (cheap keypresses)
                self._missing = missing
                self.required.setText(_("required") if not missing else _("required, missing"))
                self.required.setProperty("missing", missing)
                self.required.style().unpolish(self.required)
                self.required.style().polish(self.required)
        note = s.notes.get(key, "")
        if note and self.note_edit is None:
            self._make_note()
        if self.note_edit is not None:
            if not self.note_edit.hasFocus() and self.note_edit.toPlainText() != note:
                self.note_edit.blockSignals(True)
                self.note_edit.setPlainText(note)
                self.note_edit.blockSignals(False)
            self.note_edit.setReadOnly(not editable)
        self.refresh_extra(value)
        self.refresh_evidence()
        self.refresh_finding()
        self.refresh_pins()
        shown = s.shown(key)
        if self.isHidden() == shown:
            self.setVisible(shown)

    def refresh_pins(self) -> None:
        """Show the review comments anchored to this item and sample (``page.review_pins``, set
        by the page from the review thread), so a returned assessment says what to fix where."""
        texts = getattr(self.page, "review_pins", {}).get(self.key, [])
        if texts and self.pins is None:
            self.pins = QLabel("")
            self.pins.setObjectName("reviewPin")
            self.pins.setWordWrap(True)
            self.pins.setTextFormat(Qt.TextFormat.PlainText)
            self.body.insertWidget(max(0, self.body.count() - 1), self.pins)
        if self.pins is not None:
            text = "\n".join(texts)
            if self.pins.text() != text:
                self.pins.setText(text)
            self.pins.setVisible(bool(texts))

    def refresh_extra(self, value) -> None:
        """A variable shows its computed value; an unanswered item started from the previous
        visit shows that visit's answer as a suggestion."""
        text = ""
        if self.item.type == "variable":
            from assessor_app.actions import variable_ratio
            ratio = variable_ratio(value)
            text = _("Computed from the corrective-action register: {value}").format(
                value=_("N.A.") if ratio is None else format_number(ratio * 100, self.session.lang))
        elif value is None and self.key in self.session.suggestions:
            shown = self.session.suggestions[self.key]
            opt = self.item.option(shown) if self.item.options else None
            if opt is not None:
                shown = opt.label.get(self.session.lang)
            elif shown in ("yes", "no", "na"):
                shown = {"yes": _("Yes"), "no": _("No"), "na": _("N.A.")}[shown]
            text = _("Previous visit: {answer}").format(answer=shown)
        if text != self.extra.text():
            self.extra.setText(text)
        if self.extra.isHidden() == bool(text):
            self.extra.setVisible(bool(text))

    def refresh_evidence(self) -> None:
        photos = self.session.evidence.get(self.key, [])
        if photos and self.strip is None:
            self.strip = EvidenceStrip(self.session.evidence_path)
            self.strip.open_photo.connect(lambda ev: self.page.open_photo(self, ev))
            self.body.addWidget(self.strip)
        if self.strip is not None:
            self.strip.set_photos(photos)
        self.refresh_evidence_hint()

    def refresh_evidence_hint(self) -> None:
        need = self.photos_needed()
        self.evidence_hint.setText(_("needs {n} photo(s)").format(n=need) if need else "")

    def photos_needed(self) -> int:
        result = self.session.result
        if result is None:
            return 0
        missing = result.__dict__.get("_evidence_needed")
        if missing is None:       # indexed once per score, not scanned once per row
            missing = {(i, s): need for i, s, need, _have in result.completeness.evidence_missing}
            result.__dict__["_evidence_needed"] = missing
        need = missing.get(self.key)
        return 0 if need is None else need - len(self.session.evidence.get(self.key, []))

    def refresh_finding(self) -> None:
        # a follow-up visit records states, not new findings (its items are the actions)
        failed = self.session.failed(self.key) and self.session.template.id != FOLLOWUP_TEMPLATE_ID
        show = failed or bool(self.session.findings.get(self.key))
        if show and self.finding_box is None:
            self.finding_box = FindingBox(self.session, self.key, self)
            fb = self.finding_box
            self.leave_keys.watch(fb.text, fb.action, fb.responsible, fb.due.edit, fb.status)
            self.body.addWidget(self.finding_box)
        if self.finding_box is not None:
            if self.finding_box.isHidden() == show:
                self.finding_box.setVisible(show)
            if show:
                self.finding_box.refresh()

    def set_current(self, current: bool) -> None:
        if self.property("current") != current:
            self.setProperty("current", current)
            self.style().unpolish(self)
            self.style().polish(self)

    # ------------------------------------------------------------------ actions
    def commit_edits(self) -> None:
        """Save what is typed in this item's editors now (Esc, Ctrl+Enter, leaving the page)."""
        from PySide6.QtWidgets import QApplication
        focus = QApplication.focusWidget()
        if self.control is not None and focus is not None and self.control.isAncestorOf(focus):
            self.control.commit()
        for edit in self.findChildren(DebouncedText):
            if edit.timer.isActive():
                edit.commit()
        if self.finding_box is not None and focus is not None and \
                self.finding_box.isAncestorOf(focus):
            self.finding_box.save()

    def _entered(self) -> None:
        if self.page.items.current is not self:
            self.page.set_current_row(self)

    def _chosen(self, value) -> None:
        self.page.set_current_row(self)
        self.page.answer(self, value)

    def _invalid(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def key_value(self, text: str):
        return self.control.value_for_key(text) if self.control is not None else None

    def _make_note(self) -> None:
        self.note_edit = DebouncedText(self.session.notes.get(self.key, ""), height=52)
        self.note_edit.setPlaceholderText(_("Note for this item (saved as you type)"))
        self.note_edit.committed.connect(
            lambda text: self.session.set_note(self.item.id, self.sample, text))
        self.note_edit.escaped.connect(self.page.focus_items)
        self.leave_keys.watch(self.note_edit)
        self.body.insertWidget(self.body.indexOf(self.error) + 1, self.note_edit)
        self.note_edit.show()

    def toggle_note(self) -> None:
        if self.note_edit is None:
            self._make_note()
            self.note_edit.setFocus()
            return
        if self.note_edit.isVisible() and not self.note_edit.toPlainText():
            self.note_edit.setVisible(False)
            self.page.focus_items()
        else:
            self.note_edit.setVisible(True)
            self.note_edit.setFocus()

    def mousePressEvent(self, event) -> None:
        self.page.set_current_row(self)
        self.page.focus_items()
        super().mousePressEvent(event)

    def dragEnterEvent(self, event) -> None:
        if self.session.editable and image_sources(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        sources = image_sources(event.mimeData())
        if sources:
            event.acceptProposedAction()
            self.page.set_current_row(self)
            self.session.add_photos(self.key, sources)
