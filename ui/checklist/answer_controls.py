"""Answer controls, one per item type: large buttons showing their key (yes / no / N.A., the
labelled 0-3 scale, choices), numbers with unit and range check, text, date, location.

Each control emits ``chosen(value)``; ``set_value(value)`` shows a stored answer without
emitting; ``value_for_key(text)`` maps a key press to a value (or None); ``commit()`` saves what
is typed in its editor now; ``editors()`` are the widgets that take the keyboard (Esc and
Ctrl+Enter in them commit and leave, see :class:`LeaveKeys`).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractButton, QComboBox, QDateEdit, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QSizePolicy, QVBoxLayout, QWidget,
)

from assessor_app.i18n import local_decimal
from assessor_app.templates.model import NA, Item

from .. import theme
from ..i18n import KEY_ALIASES, _, keys

MIN_HEIGHT = 40            # answer buttons are at least 36 px high (desktop-ui.md)
KIND_COLOURS = {"good": theme.GREEN, "bad": theme.RED, "partial": theme.AMBER, "neutral": theme.GREY}


class AnswerButton(QAbstractButton):
    """A checkable answer button that wraps its label and prints its key in a corner."""

    def __init__(self, label: str, key: str, kind: str, parent=None):
        super().__init__(parent)
        self.setText(label)
        self.key = key
        self.kind = kind
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(f"{label} ({key})")
        self.setToolTip(_("Key: {key}").format(key=key))

    def _key_width(self) -> int:
        return QFontMetrics(self.font()).horizontalAdvance(self.key) + 14

    def sizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        width = min(fm.horizontalAdvance(self.text()) + self._key_width() + 26, 260)
        return QSize(max(width, 96), self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(80, MIN_HEIGHT)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        fm = QFontMetrics(self.font())
        text_w = max(20, width - self._key_width() - 20)
        rect = fm.boundingRect(QRect(0, 0, text_w, 1000), Qt.TextFlag.TextWordWrap, self.text())
        return max(MIN_HEIGHT, rect.height() + 16)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.rect().adjusted(1, 1, -1, -1)
        colour = QColor(KIND_COLOURS.get(self.kind, theme.ACCENT))
        enabled = self.isEnabled()
        if self.isChecked():
            if not enabled:                 # read-only: the answer stays recognisable
                p.setOpacity(0.75)
            p.setBrush(colour)
            p.setPen(Qt.PenStyle.NoPen)
            fg = QColor(theme.TEXT if self.kind == "partial" else "#FFFFFF")
        else:
            p.setBrush(QColor("#FFFFFF" if enabled else "#F5F5F5"))
            p.setPen(QPen(QColor("#B8BEC6") if not self.underMouse() else colour, 1.2))
            fg = QColor(theme.TEXT if enabled else "#9AA0A6")
        p.drawRoundedRect(r, 5, 5)
        p.setOpacity(1.0)
        kw = self._key_width()
        key_rect = QRect(r.right() - kw - 4, r.top() + 6, kw, QFontMetrics(self.font()).height() + 2)
        p.setPen(QPen(fg, 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setOpacity(0.8)
        p.drawRoundedRect(key_rect, 3, 3)
        p.drawText(key_rect, Qt.AlignmentFlag.AlignCenter, self.key)
        p.setOpacity(1.0)
        text_rect = QRect(r.left() + 10, r.top(), r.width() - kw - 22, r.height())
        p.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap, self.text())


class LeaveKeys(QObject):
    """Watches the editors of one item (its answer, note, finding): ``Esc`` commits what was typed
    and gives the keyboard back to the checklist; ``Ctrl+Enter`` commits and goes to the next
    unanswered item; focus entering an editor makes its item the current one."""

    def __init__(self, commit, leave, next_unanswered, entered, parent=None):
        super().__init__(parent)
        self.commit, self.leave, self.next, self.entered = commit, leave, next_unanswered, entered

    def watch(self, *widgets) -> None:
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            key = event.key()
            escape = key == Qt.Key.Key_Escape and not mods
            jump = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                mods == Qt.KeyboardModifier.ControlModifier
            if escape or jump:
                if kind == QEvent.Type.ShortcutOverride:
                    event.accept()          # ours, before any shortcut of the page
                    return True
                self.commit()
                (self.leave if escape else self.next)()
                return True
        elif kind == QEvent.Type.FocusIn:
            self.entered()
        return False


class Control(QWidget):
    chosen = Signal(object)

    def __init__(self, item: Item, parent=None):
        super().__init__(parent)
        self.item = item

    def commit(self) -> None:
        """Save what is typed in the editor now (text controls; buttons save on the click)."""

    def editors(self) -> list[QWidget]:
        return []

    def set_value(self, value) -> None:
        pass

    def value_for_key(self, text: str):
        return None

    def focus_editor(self) -> bool:
        return False

    def set_editable(self, on: bool) -> None:
        self.setEnabled(on)


class ButtonsControl(Control):
    """Yes / no / N.A., scale points or single choices as a row of large buttons."""

    def __init__(self, item: Item, choices: list[tuple[object, str, list[str], str]], parent=None,
                 multi: bool = False):
        super().__init__(item, parent)
        self.multi = multi
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        longest = max((len(c[1]) for c in choices), default=0)
        if longest > 28:          # long labels (the 0-3 scales): one full-width button per line
            columns = 1
        elif longest > 16 or len(choices) > 5:
            columns = 2 if len(choices) > 3 or longest > 16 else len(choices)
        else:
            columns = len(choices)
        self.buttons: dict = {}
        self.key_map: dict[str, object] = {}
        for n, (value, label, key_list, kind) in enumerate(choices):
            button = AnswerButton(label, " / ".join(key_list), kind)
            button.clicked.connect(lambda checked=False, v=value: self._clicked(v))
            grid.addWidget(button, n // columns, n % columns)
            self.buttons[value] = button
            for k in key_list:
                self.key_map[k.upper()] = value
        if len(choices) <= 3 and longest <= 16:   # short answers stay compact on the left
            for c in range(columns):
                grid.setColumnStretch(c, 0)
            grid.setColumnStretch(columns, 1)
            for b in self.buttons.values():
                b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
                b.setFixedWidth(max(130, b.sizeHint().width()))
        self._value = None

    def _clicked(self, value) -> None:
        if self.multi:
            current = list(self._value or [])
            new = [v for v in current if v != value] if value in current else current + [value]
            self.chosen.emit(new)
        else:
            self.chosen.emit(value)
        self.set_value(self._value)  # shown again once the store has accepted it

    def set_value(self, value) -> None:
        self._value = value
        for v, button in self.buttons.items():
            button.setChecked(value is not None and (v in value if self.multi else v == value))

    def value_for_key(self, text: str):
        value = self.key_map.get(text.upper())
        if value is None:
            return None
        if self.multi:
            current = list(self._value or [])
            return [v for v in current if v != value] if value in current else current + [value]
        return value


def yes_no_control(item: Item) -> ButtonsControl:
    k = keys()
    choices = [("yes", _("Yes"), [k["yes"], "1"], "good"), ("no", _("No"), [k["no"], "2"], "bad")]
    if item.allow_na or item.type == "yes_no_na":
        choices.append((NA, _("N.A."), [k["na"], "3"], "neutral"))
    control = ButtonsControl(item, choices)
    for alias in KEY_ALIASES["no"]:           # T and N both mean "no", in either language
        control.key_map.setdefault(alias, "no")
    return control


def option_choices(item: Item, lang: str, digits_are_values: bool) -> list:
    scored = [o.score for o in item.options if o.score is not None and not o.na]
    top, bottom = (max(scored), min(scored)) if scored else (None, None)
    out, n = [], 0
    for opt in item.options:
        if opt.na:
            out.append((opt.value, opt.label.get(lang), [keys()["na"]], "neutral"))
            continue
        n += 1
        key = str(opt.value) if digits_are_values else str(n)
        kind = "neutral" if top is None or top == bottom else (
            "good" if opt.score == top else "bad" if opt.score == bottom else "partial")
        label = f"{opt.value} · {opt.label.get(lang)}" if digits_are_values else opt.label.get(lang)
        out.append((opt.value, label, [key] if n <= 9 or digits_are_values else [], kind))
    if item.allow_na and not any(o.na for o in item.options):
        out.append((NA, _("N.A."), [keys()["na"]], "neutral"))
    return out


class ComboControl(Control):
    """A long single choice as a drop-down (digits still pick the n-th option)."""

    def __init__(self, item: Item, choices: list, parent=None):
        super().__init__(item, parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.addItem("—", None)
        self.key_map = {}
        for value, label, key_list, _kind in choices:
            self.combo.addItem(f"{label}  ({' / '.join(key_list)})" if key_list else label, value)
            for k in key_list:
                self.key_map[k.upper()] = value
        self.combo.setMinimumHeight(MIN_HEIGHT)
        self.combo.activated.connect(lambda i: self.chosen.emit(self.combo.itemData(i)))
        row.addWidget(self.combo, 1)

    def set_value(self, value) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))

    def value_for_key(self, text: str):
        return self.key_map.get(text.upper())

    def focus_editor(self) -> bool:
        self.combo.setFocus()
        self.combo.showPopup()
        return True

    def editors(self) -> list[QWidget]:
        return [self.combo]


class NumberControl(Control):
    """A number with its unit and range; an out-of-range entry is marked and not stored."""

    invalid = Signal(str)

    def __init__(self, item: Item, validate, parent=None):
        super().__init__(item, parent)
        self.validate = validate
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setMinimumHeight(MIN_HEIGHT - 4)
        self.edit.setMaximumWidth(160)
        self.edit.editingFinished.connect(self._commit)
        row.addWidget(self.edit)
        if item.unit:
            row.addWidget(QLabel(item.unit))
        bounds = []
        if item.min is not None:
            bounds.append(f"≥ {item.min:g}")
        if item.max is not None:
            bounds.append(f"≤ {item.max:g}")
        if bounds:
            hint = QLabel(_("allowed: {range}").format(range=", ".join(bounds)))
            hint.setObjectName("muted")
            row.addWidget(hint)
        row.addStretch(1)

    def commit(self) -> None:
        self._commit()

    def editors(self) -> list[QWidget]:
        return [self.edit]

    def _commit(self) -> None:
        text = self.edit.text().strip().replace(",", ".")
        if not text:
            self.invalid.emit("")
            self.chosen.emit(None)
            return
        try:
            value = float(text)
            value = int(value) if value.is_integer() and "." not in text else value
        except ValueError:
            self.invalid.emit(_("Type a number, e.g. 12 or 7.5"))
            return
        problem = self.validate(self.item, value)
        if problem:
            self.invalid.emit(_("Out of range: {range}").format(
                range=f"{self.item.min if self.item.min is not None else '…'} – "
                      f"{self.item.max if self.item.max is not None else '…'} {self.item.unit or ''}"))
            return
        self.invalid.emit("")
        self.chosen.emit(value)

    def set_value(self, value) -> None:
        if not self.edit.hasFocus():       # 7,5 in Bahasa Indonesia (typing either is accepted)
            self.edit.setText("" if value is None else local_decimal(f"{value:g}"))

    def focus_editor(self) -> bool:
        self.edit.setFocus()
        self.edit.selectAll()
        return True


class TextControl(Control):
    """Free text, saved 0.6 s after the last keystroke and when the field is left."""

    def __init__(self, item: Item, parent=None, height: int = 64):
        super().__init__(item, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = QPlainTextEdit()
        self.edit.setFixedHeight(height)
        self.edit.setTabChangesFocus(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(600)
        self.timer.timeout.connect(self.commit)
        self.edit.textChanged.connect(self.timer.start)
        self.edit.focusOutEvent = self._focus_out
        lay.addWidget(self.edit)
        self._value = None

    def _focus_out(self, event) -> None:
        self.commit()
        QPlainTextEdit.focusOutEvent(self.edit, event)

    def commit(self) -> None:
        self.timer.stop()
        text = self.edit.toPlainText()
        if text != (self._value or ""):
            self._value = text
            self.chosen.emit(text or None)

    def set_value(self, value) -> None:
        self._value = value
        if not self.edit.hasFocus() and self.edit.toPlainText() != (value or ""):
            self.edit.blockSignals(True)
            self.edit.setPlainText(value or "")
            self.edit.blockSignals(False)

    def focus_editor(self) -> bool:
        self.edit.setFocus()
        return True

    def editors(self) -> list[QWidget]:
        return [self.edit]

    def set_editable(self, on: bool) -> None:
        """Read-only rather than disabled: a written answer stays black and can be selected."""
        self.edit.setReadOnly(not on)


class DateControl(Control):
    EMPTY = QDate(1900, 1, 1)

    def __init__(self, item: Item, parent=None):
        super().__init__(item, parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setMinimumDate(self.EMPTY)
        self.edit.setSpecialValueText("—")
        self.edit.setMinimumHeight(MIN_HEIGHT - 4)
        self.edit.setDate(self.EMPTY)
        self.edit.dateChanged.connect(self._changed)
        row.addWidget(self.edit)
        row.addStretch(1)

    def _changed(self, date: QDate) -> None:
        self.chosen.emit(None if date == self.EMPTY else date.toString("yyyy-MM-dd"))

    def commit(self) -> None:
        self.edit.interpretText()       # a date typed but not yet taken in

    def editors(self) -> list[QWidget]:
        return [self.edit]

    def set_value(self, value) -> None:
        self.edit.blockSignals(True)
        self.edit.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else self.EMPTY)
        self.edit.blockSignals(False)

    def focus_editor(self) -> bool:
        self.edit.setFocus()
        return True


class LocationControl(Control):
    """Latitude, longitude (decimal degrees) and accuracy in metres."""

    invalid = Signal(str)

    def __init__(self, item: Item, validate, parent=None):
        super().__init__(item, parent)
        self.validate = validate
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.lat, self.lon, self.acc = QLineEdit(), QLineEdit(), QLineEdit()
        for edit, label, width in ((self.lat, _("Latitude"), 110), (self.lon, _("Longitude"), 110),
                                   (self.acc, _("Accuracy (m)"), 70)):
            edit.setPlaceholderText(label)
            edit.setMaximumWidth(width + 40)
            edit.setMinimumHeight(MIN_HEIGHT - 4)
            edit.editingFinished.connect(self._commit)
            row.addWidget(edit)
        row.addStretch(1)

    def commit(self) -> None:
        self._commit()

    def editors(self) -> list[QWidget]:
        return [self.lat, self.lon, self.acc]

    def _commit(self) -> None:
        try:
            lat, lon = float(self.lat.text().replace(",", ".")), float(self.lon.text().replace(",", "."))
        except ValueError:
            if self.lat.text() or self.lon.text():
                self.invalid.emit(_("Give latitude and longitude in decimal degrees, e.g. -6.2 and 106.8"))
            return
        value = {"lat": lat, "lon": lon}
        if self.acc.text().strip():
            try:
                value["accuracy"] = float(self.acc.text().replace(",", "."))
            except ValueError:
                pass
        problem = self.validate(self.item, value)
        self.invalid.emit(_("Latitude must be within -90..90 and longitude within -180..180")
                          if problem else "")
        if not problem:
            self.chosen.emit(value)

    def set_value(self, value) -> None:
        value = value or {}
        for edit, key in ((self.lat, "lat"), (self.lon, "lon"), (self.acc, "accuracy")):
            if not edit.hasFocus():
                edit.setText("" if value.get(key) is None else local_decimal(f"{value[key]:g}"))

    def focus_editor(self) -> bool:
        self.lat.setFocus()
        return True


def make_control(item: Item, lang: str, validate) -> Control | None:
    """The control for ``item``'s type (None for photo and signature items)."""
    if item.type in ("yes_no", "yes_no_na"):
        return yes_no_control(item)
    if item.type == "scale":
        return ButtonsControl(item, option_choices(item, lang, digits_are_values=True))
    if item.type == "choice":
        choices = option_choices(item, lang, digits_are_values=False)
        return ButtonsControl(item, choices) if len(choices) <= 5 else ComboControl(item, choices)
    if item.type == "multi_choice":
        return ButtonsControl(item, option_choices(item, lang, digits_are_values=False), multi=True)
    if item.type == "number":
        return NumberControl(item, validate)
    if item.type == "text":
        return TextControl(item)
    if item.type == "date":
        return DateControl(item)
    if item.type == "location":
        return LocationControl(item, validate)
    return None
