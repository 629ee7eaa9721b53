"""The centre of the checklist: the rows of one page (a section, or a section for one sample),
built when the page is shown, in chunks so a long section never holds up the window."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from .item_row import ItemRow
from .session import ChecklistSession, Page

FIRST_CHUNK = 30
CHUNK = 40


class ItemsView(QScrollArea):
    def __init__(self, session: ChecklistSession, page_ui, parent=None):
        super().__init__(parent)
        self.session, self.page_ui = session, page_ui
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rows: list[ItemRow] = []
        self.by_key: dict = {}
        self.current: ItemRow | None = None
        self.page: Page | None = None
        self.filter_name = "all"
        self._pending: list = []
        self._chunk_timer = QTimer(self)
        self._chunk_timer.setSingleShot(True)
        self._chunk_timer.timeout.connect(self._build_chunk)
        self._new_container()

    def _new_container(self, install: bool = True) -> QWidget:
        container = QWidget()
        self.column = QVBoxLayout(container)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(0)
        self.title = QLabel("")
        self.title.setObjectName("h1")
        self.title.setWordWrap(True)
        self.title.setContentsMargins(12, 10, 12, 6)
        self.column.addWidget(self.title)
        self.column.addStretch(1)
        self.container = container
        if install:
            self.setWidget(container)
        return container

    def show_page(self, page: Page, title: str) -> None:
        if self.page is not None and page.key == self.page.key:
            return
        self._chunk_timer.stop()
        self.page = page
        self.rows, self.by_key, self.current = [], {}, None
        # the first rows are built into a container that is not on screen yet, then shown in one
        # go: no window per new widget, one layout pass, no half-built page painted squashed
        container = self._new_container(install=False)
        self.title.setText(title)
        self._pending = [(item, page.sample) for item in page.items]
        self.apply_filter(self.filter_name, refresh=False)
        self._build_chunk(FIRST_CHUNK)
        self.setUpdatesEnabled(False)
        self.setWidget(container)                  # the old rows go with the old container
        self.setUpdatesEnabled(True)

    def apply_filter(self, name: str, refresh: bool = True) -> None:
        """Keep only the items of this page that pass ``name`` (decided now: an item answered
        while "only unanswered" is in force stays until the filter or the page changes)."""
        self.filter_name = name
        keys = [(item.id, sample) for item, sample in self._pending] + [r.key for r in self.rows]
        self.session.filtered_out = {k for k in keys if not self.session.matches(k, name)}
        if refresh:
            for row in self.rows:
                row.setVisible(self.session.shown(row.key))
            if self.current is not None and not self.session.shown(self.current.key):
                self.current = None
                self.move(1)

    def _build_chunk(self, size: int = CHUNK) -> None:
        batch, self._pending = self._pending[:size], self._pending[size:]
        for item, sample in batch:
            row = ItemRow(self.session, item, sample, self.page_ui, self.container)
            self.column.insertWidget(self.column.count() - 1, row)
            self.rows.append(row)
            self.by_key[row.key] = row
        if self._pending:
            self._chunk_timer.start(0)

    def finish_building(self) -> None:
        while self._pending:
            self._build_chunk()
        self._chunk_timer.stop()

    def row_for(self, key) -> ItemRow | None:
        if key not in self.by_key and self._pending:
            self.finish_building()
        return self.by_key.get(key)

    def visible_rows(self) -> list[ItemRow]:
        return [r for r in self.rows if self.session.shown(r.key)]

    def set_current(self, row: ItemRow | None, ensure_visible: bool = True) -> None:
        if self.current is not None and self.current is not row:
            self.current.set_current(False)
        self.current = row
        if row is not None:
            row.set_current(True)
            if ensure_visible:
                self.ensureWidgetVisible(row, 0, 40)

    def move(self, delta: int) -> ItemRow | None:
        if delta > 0 and self._pending:
            self.finish_building()
        rows = self.visible_rows()
        if not rows:
            return None
        if self.current not in rows:
            target = rows[0]
        else:
            i = rows.index(self.current) + delta
            if i < 0 or i >= len(rows):
                return None                        # the page decides whether to change section
            target = rows[i]
        self.set_current(target)
        return target

    def keyPressEvent(self, event) -> None:
        if not self.page_ui.handle_key(event):
            super().keyPressEvent(event)
