"""The frame every sidebar page shares: margins and a heading with a muted count beside it."""

from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QTableView, QVBoxLayout,
                               QWidget)


def page_frame(page: QWidget, title: str) -> tuple[QVBoxLayout, QHBoxLayout, QLabel]:
    """Lay out ``page`` as a sidebar page; returns (page layout, heading row, count label).

    The heading row ends with a stretch, so widgets added to it afterwards sit on the right."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(16, 12, 16, 8)
    head = QHBoxLayout()
    heading = QLabel(title)
    heading.setObjectName("h1")
    count = QLabel("")
    count.setObjectName("muted")
    head.addWidget(heading)
    head.addWidget(count)
    head.addStretch(1)
    layout.addLayout(head)
    return layout, head, count


def list_table(model) -> QTableView:
    """A read-only table of whole rows, one selected at a time, zebra rows of 34 px."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(34)
    table.setWordWrap(False)
    return table
