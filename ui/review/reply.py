"""The inspector's side of the thread: the checklist's "Comments" tab with a reply box under the
supervisor's comments. A reply is kept at once (anchored to the current item when asked) and
sent with the next sync, like every review comment."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ..i18n import _


class CommentsTab(QWidget):
    def __init__(self, ctx, uuid: str, panel: QWidget,
                 current_item: Callable[[], tuple[str, int] | None],
                 on_sent: Callable[[], None], parent=None):
        super().__init__(parent)
        self.ctx, self.uuid, self.panel = ctx, uuid, panel
        self.current_item, self.on_sent = current_item, on_sent
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(panel, 1)
        self.reply = QPlainTextEdit()
        self.reply.setPlaceholderText(_("Reply to your supervisor…"))
        self.reply.setMaximumHeight(70)
        v.addWidget(self.reply)
        row = QHBoxLayout()
        self.item_button = QPushButton(_("Reply on this item"))
        self.item_button.clicked.connect(lambda: self.send(on_item=True))
        self.general_button = QPushButton(_("Reply"))
        self.general_button.clicked.connect(lambda: self.send(on_item=False))
        row.addWidget(self.item_button)
        row.addWidget(self.general_button)
        v.addLayout(row)
        team = ctx.store.is_team_copy(uuid)      # the supervisor comments on the review screen
        for w in (self.reply, self.item_button, self.general_button):
            w.setVisible(not team)

    def send(self, on_item: bool) -> bool:
        from ..context import FAILED
        cur = self.current_item() if on_item else None
        result = self.ctx.write(self, self.ctx.store.queue_review, self.uuid, "comment",
                                self.reply.toPlainText(), item=cur[0] if cur else None,
                                sample=cur[1] if cur else None)
        if result is FAILED:
            return False
        self.reply.clear()
        self.on_sent()
        return True
