"""Field widgets of the template editor, each bound to a path in the template, so a problem that
``assessor templates validate`` reports at ``sections[0].items[2].weight`` is shown under the
weight field (red frame and the same message)."""

from __future__ import annotations

import re
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from .. import theme
from ..i18n import _

ERROR_STYLE = f"border: 2px solid {theme.RED}; border-radius: 3px;"


def parse_number(text: str) -> Any:
    """'3' -> 3, '2.5' or '2,5' -> 2.5, '' -> None; anything else stays text, so validation says
    what is wrong in its own words (e.g. "'abc' is not of type 'number'")."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def show_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class Binder:
    """Where each path's problems are shown: ``register(path, error_label, mark)``; ``show()``
    puts every problem at its field (the longest registered path that the problem names or
    lies under) and returns the problems no field shows."""

    def __init__(self) -> None:
        self.fields: dict[str, tuple[QLabel, Callable[[bool], None]]] = {}

    def register(self, path: str, error: QLabel, mark: Callable[[bool], None]) -> None:
        self.fields[path] = (error, mark)

    def clear(self) -> None:
        self.fields.clear()

    def field_for(self, problem_path: str) -> str | None:
        if problem_path in self.fields:
            return problem_path
        # a problem at a parent ("bands[1]") shows at its first field ("bands[1].min")
        under = [p for p in self.fields if p.startswith(problem_path + ".")
                 or p.startswith(problem_path + "[")]
        if under and problem_path:
            return under[0]
        # a problem below a field ("...text.en") shows at that field ("...text")
        above = [p for p in self.fields if problem_path.startswith(p + ".")
                 or problem_path.startswith(p + "[")]
        return max(above, key=len) if above else None

    def show(self, problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
        messages: dict[str, list[str]] = {}
        rest = []
        for path, message in problems:
            field = self.field_for(path)
            if field is None:
                rest.append((path, message))
            else:
                messages.setdefault(field, []).append(message)
        shared: dict[int, int] = {}
        for error, _mark in self.fields.values():
            shared[id(error)] = shared.get(id(error), 0) + 1
        texts: dict[int, tuple[QLabel, list[str]]] = {}
        for path, (error, mark) in self.fields.items():
            found = messages.get(path, [])
            mark(bool(found))
            entry = texts.setdefault(id(error), (error, []))
            entry[1].extend(f"{path}: {m}" if shared[id(error)] > 1 else m for m in found)
        for error, lines in texts.values():
            text = "\n".join(lines)
            if error.text() != text:
                error.setText(text)
            error.setVisible(bool(text))
        return rest


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.RED};")
    label.hide()
    return label


def _mark_widget(widget: QWidget) -> Callable[[bool], None]:
    def mark(on: bool) -> None:
        style = ERROR_STYLE if on else ""
        if widget.styleSheet() != style:
            widget.setStyleSheet(style)
    return mark


class LineField(QWidget):
    """One line of text or a number; emits ``edited(value)`` as the person types."""

    edited = Signal(object)

    def __init__(self, value: Any, number: bool = False, placeholder: str = "", parent=None):
        super().__init__(parent)
        self.number = number
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.edit = QLineEdit(show_number(value) if number else (value or ""))
        self.edit.setPlaceholderText(placeholder)
        self.edit.textEdited.connect(self._edited)
        self.error = error_label()
        lay.addWidget(self.edit)
        lay.addWidget(self.error)

    def _edited(self, text: str) -> None:
        self.edited.emit(parse_number(text) if self.number else (text.strip() or None))

    def bind(self, binder: Binder, path: str) -> "LineField":
        binder.register(path, self.error, _mark_widget(self.edit))
        return self


class BiTextField(QWidget):
    """A text in both languages side by side; ``edited({"id", "en"} or None)``."""

    edited = Signal(object)

    def __init__(self, value: dict | None, multiline: bool = False, parent=None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(6)
        value = value or {}
        self.edits = {}
        for lang, label in (("id", "Bahasa Indonesia"), ("en", "English")):
            if multiline:
                edit = QPlainTextEdit(value.get(lang, ""))
                edit.setFixedHeight(54)
                edit.textChanged.connect(self._edited)
            else:
                edit = QLineEdit(value.get(lang, ""))
                edit.textEdited.connect(self._edited)
            edit.setPlaceholderText(label)
            edit.setToolTip(label)
            edit.setAccessibleName(label)
            self.edits[lang] = edit
            row.addWidget(edit, 1)
        outer.addLayout(row)
        self.error = error_label()
        outer.addWidget(self.error)

    def text_of(self, lang: str) -> str:
        edit = self.edits[lang]
        return (edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()).strip()

    def value(self) -> dict | None:
        id_, en = self.text_of("id"), self.text_of("en")
        return {"id": id_, "en": en} if (id_ or en) else None

    def set_value(self, value: dict | None) -> None:
        for lang, edit in self.edits.items():
            text = (value or {}).get(lang, "")
            if isinstance(edit, QPlainTextEdit):
                edit.blockSignals(True)
                edit.setPlainText(text)
                edit.blockSignals(False)
            else:
                edit.setText(text)
        self.edited.emit(self.value())

    def _edited(self, *_args) -> None:
        self.edited.emit(self.value())

    def bind(self, binder: Binder, path: str) -> "BiTextField":
        marks = [_mark_widget(e) for e in self.edits.values()]
        binder.register(path, self.error, lambda on: [m(on) for m in marks])
        return self


class CheckField(QCheckBox):
    edited = Signal(object)

    def __init__(self, label: str, value: bool, parent=None):
        super().__init__(label, parent)
        self.setChecked(bool(value))
        self.toggled.connect(lambda on: self.edited.emit(on))


class ComboField(QComboBox):
    edited = Signal(object)

    def __init__(self, choices: list[tuple[Any, str]], value: Any, parent=None):
        super().__init__(parent)
        for data, label in choices:
            self.addItem(label, data)
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))
        self.currentIndexChanged.connect(lambda _i: self.edited.emit(self.currentData()))


class RowsTable(QWidget):
    """An editable table of dicts (options, scale points, bands). ``columns`` are
    ``(key, header, kind)`` with kind "text", "number", "bool", "label.id", "label.en" or a list
    of choices; ``edited(list of dicts)`` after every change. Cell paths for problems:
    ``<path>[row].<key>``."""

    edited = Signal(object)

    def __init__(self, rows: list[dict], columns: list[tuple[str, str, Any]], parent=None):
        super().__init__(parent)
        self.columns = columns
        self.rows = [dict(r) for r in rows]
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels([h for _k, h, _t in columns])
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        lay.addWidget(self.table)
        self.error = error_label()
        lay.addWidget(self.error)
        self._fill()
        self.table.itemChanged.connect(self._changed)

    def _cell(self, row: dict, key: str, kind: Any) -> QTableWidgetItem:
        if kind == "bool":
            cell = QTableWidgetItem()
            cell.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                          | Qt.ItemFlag.ItemIsSelectable)
            cell.setCheckState(Qt.CheckState.Checked if row.get(key) else Qt.CheckState.Unchecked)
            return cell
        if kind in ("label.id", "label.en"):
            value = (row.get("label") or {}).get(kind[-2:], "")
        else:
            value = show_number(row.get(key)) if kind in ("number", "value") else (row.get(key) or "")
        return QTableWidgetItem(str(value))

    def _fill(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, (key, _h, kind) in enumerate(self.columns):
                self.table.setItem(r, c, self._cell(row, key, kind))
        self.table.blockSignals(False)

    def _changed(self, cell: QTableWidgetItem) -> None:
        r, c = cell.row(), cell.column()
        key, _h, kind = self.columns[c]
        row = self.rows[r]
        if kind == "bool":
            if cell.checkState() == Qt.CheckState.Checked:
                row[key] = True
            else:
                row.pop(key, None)
        elif kind in ("label.id", "label.en"):
            label = dict(row.get("label") or {"id": "", "en": ""})
            label[kind[-2:]] = cell.text().strip()
            row["label"] = label
        elif kind == "number" or kind == "value":
            value = parse_number(cell.text())
            if kind == "value" and not isinstance(value, int):
                value = cell.text().strip()
            if value is None:
                row.pop(key, None)
            else:
                row[key] = value
        else:
            row[key] = cell.text().strip()
        self.edited.emit([dict(x) for x in self.rows])

    def set_rows(self, rows: list[dict]) -> None:
        self.rows = [dict(r) for r in rows]
        self._fill()
        self.edited.emit([dict(x) for x in self.rows])

    def add_row(self, row: dict) -> None:
        self.set_rows(self.rows + [row])

    def remove_current(self) -> None:
        r = self.table.currentRow()
        if 0 <= r < len(self.rows):
            self.set_rows(self.rows[:r] + self.rows[r + 1:])

    def bind(self, binder: Binder, path: str) -> "RowsTable":
        def marker(r: int, c: int):
            def mark(on: bool) -> None:
                cell = self.table.item(r, c)
                if cell is not None:
                    self.table.blockSignals(True)   # a colour is not an edit
                    cell.setBackground(QColor("#F8D7DA") if on else QColor(0, 0, 0, 0))
                    self.table.blockSignals(False)
            return mark
        keys = [k for k, _h, _t in self.columns]
        for r in range(len(self.rows)):
            for c, key in enumerate(keys):
                binder.register(f"{path}[{r}].{key}", self.error, marker(r, c))
        binder.register(path, self.error, lambda on: None)
        return self
