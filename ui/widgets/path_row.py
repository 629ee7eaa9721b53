"""A file path field with its "Choose…" button on one row (certificate files, revocation lists)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from ..i18n import _


def path_row(field: QLineEdit, browse) -> QWidget:
    """``field`` with a "Choose…" button that calls ``browse()``, as one widget for a form row."""
    button = QPushButton(_("Choose…"))
    button.clicked.connect(browse)
    row_widget = QWidget()
    row = QHBoxLayout(row_widget)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(field, 1)
    row.addWidget(button)
    return row_widget
