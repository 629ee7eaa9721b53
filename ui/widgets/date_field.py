"""A date that may be empty: a short text field (YYYY-MM-DD, as stored) with a calendar popup.

Typing ``31/12/2026`` or ``31-12-2026`` (day first, as written in Indonesia) is accepted and shown
as ``2026-12-31``; an empty field means "no date". ``committed(str)`` reports a valid value
("" or YYYY-MM-DD) when the field is left, Enter is pressed or a day is picked in the calendar;
``invalid(str)`` reports a message when the text is not a date.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction,
)

from ..i18n import _

ISO = "yyyy-MM-dd"
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(text: str) -> str | None:
    """``text`` as YYYY-MM-DD, "" for no date, None when it is not a date."""
    text = text.strip()
    if not text:
        return ""
    m = _ISO.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DAY_FIRST.match(text)
        if not m:
            return None
        d, mo, y = (int(g) for g in m.groups())
    date = QDate(y, mo, d)
    return date.toString(ISO) if date.isValid() else None


class DateField(QWidget):
    committed = Signal(str)
    invalid = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("YYYY-MM-DD"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setFixedWidth(self.edit.fontMetrics().horizontalAdvance("0000-00-00") + 44)
        self.edit.setToolTip(_("Empty for no date; 31/12/2026 is read as 2026-12-31"))
        self.edit.editingFinished.connect(self._finished)
        self.edit.textEdited.connect(lambda _text: self._mark(False))
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setToolTip(_("Choose from a calendar"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.button.setFixedWidth(24)
        self._calendar: QCalendarWidget | None = None     # built when first opened (costly)
        menu = QMenu(self.button)
        menu.aboutToShow.connect(self._before_popup)
        self.menu = menu
        self.button.setMenu(menu)
        row.addWidget(self.edit)
        row.addWidget(self.button)
        self._value = ""

    @property
    def calendar(self) -> QCalendarWidget:
        """The calendar of the popup, made on first use: a finding box appears on every failed
        answer, and most are never given a date by calendar."""
        if self._calendar is None:
            calendar = QCalendarWidget()
            calendar.setGridVisible(True)
            calendar.clicked.connect(self._picked)
            calendar.activated.connect(self._picked)
            action = QWidgetAction(self.menu)
            action.setDefaultWidget(calendar)
            self.menu.addAction(action)
            self._calendar = calendar
        return self._calendar

    def value(self) -> str | None:
        """The date as YYYY-MM-DD, "" when empty, None while the text is not a date."""
        return parse_date(self.edit.text())

    def set_value(self, value: str) -> None:
        if not self.edit.hasFocus():
            self.edit.setText(value or "")
            self._mark(False)
        self._value = value or ""

    def setReadOnly(self, on: bool) -> None:           # noqa: N802 - Qt naming
        self.edit.setReadOnly(on)
        self.edit.setClearButtonEnabled(not on)
        self.button.setVisible(not on)

    def isReadOnly(self) -> bool:                       # noqa: N802
        return self.edit.isReadOnly()

    def hasFocus(self) -> bool:                         # noqa: N802
        return self.edit.hasFocus()

    def _before_popup(self) -> None:
        current = QDate.fromString(self.value() or self._value, ISO)
        date = current if current.isValid() else QDate.currentDate()
        self.calendar.setSelectedDate(date)
        self.calendar.setCurrentPage(date.year(), date.month())

    def _picked(self, date: QDate) -> None:
        self.menu.hide()
        self.edit.setText(date.toString(ISO))
        self._finished()

    def _finished(self) -> None:
        if self.edit.isReadOnly():
            return
        value = self.value()
        if value is None:
            self._mark(True)
            self.invalid.emit(_("Write the date as YYYY-MM-DD (e.g. 2026-12-31), or leave it empty."))
            return
        self._mark(False)
        if self.edit.text() != value:
            self.edit.setText(value)
        self.invalid.emit("")
        if value != self._value:
            self._value = value
            self.committed.emit(value)

    def _mark(self, bad: bool) -> None:
        self.edit.setStyleSheet("QLineEdit { background: #FDECEC; border: 1px solid #C62828; }"
                                if bad else "")
