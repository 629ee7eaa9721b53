"""What the supervisor said: review comments and decisions pulled by sync
(``store.list_comments(uuid)``), as a "Comments" tab in the right pane, and the banner at the top
of the checklist when the assessment was returned ("Returned by supervisor …: <comment>").

Both read the local store only; the main window calls :meth:`ChecklistPage.refresh_from_sync`
after a sync so new comments and a new status show without reopening the page.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QTextBrowser

from assessor_app.timefmt import format_instant

from ..i18n import _


def local_time(stamp: str | None) -> str:
    """``2026-11-27T21:15:00.123Z`` (UTC, as stored) -> ``2026-11-28 05:15 WITA``: local time
    with its zone, as every other time in the app (assessor_app.timefmt)."""
    return format_instant(stamp, empty="")


def decision_label(kind: str) -> str:
    return {"return": _("Returned"), "approve": _("Approved"),
            "comment": _("Comment")}.get(kind, kind)


def latest_review(comments: list[dict]) -> dict | None:
    """The comment that explains the current state: the newest return/approve decision, else the
    newest comment."""
    decisions = [c for c in comments if c.get("kind") in ("return", "approve")]
    pool = decisions or comments
    return pool[-1] if pool else None


def review_pins(comments: list[dict]) -> dict[tuple[str, int], list[str]]:
    """``{(item, sample): ["Budi: the photo shows last year's board", ...]}``: the comments
    anchored to an item, oldest first, for the rows of the checklist."""
    pins: dict[tuple[str, int], list[str]] = {}
    for c in comments:
        if not c.get("item"):
            continue
        text = comment_text(c)
        if not text:
            continue
        author = c.get("author") or _("the supervisor")
        pins.setdefault((c["item"], int(c.get("sample") or 0)), []).append(
            _("{author}: {text}").format(author=author, text=text))
    return pins


def comment_text(comment: dict) -> str:
    """The words of a comment (a decision sent without words carries its kind as text)."""
    text = (comment.get("text") or "").strip()
    return "" if text == comment.get("kind") and text in ("return", "approve") else text


def review_summary(comment: dict | None) -> str:
    """One line for a banner or a tooltip: ``Returned by supervisor Sari: <text>``."""
    if comment is None:
        return _("Returned by the supervisor (no comment came with it).")
    text = comment_text(comment)
    author = comment.get("author") or _("the supervisor")
    if comment.get("kind") == "approve":
        line = _("Approved by supervisor {author}").format(author=author)
    elif comment.get("kind") == "return":
        line = _("Returned by supervisor {author}").format(author=author)
    else:
        line = _("Comment from {author}").format(author=author)
    return f"{line}: {text}" if text else line


class ReviewBanner(QFrame):
    """Shown under the checklist header while the assessment is ``returned``."""

    show_comments = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("reviewBanner")
        self.setStyleSheet("QFrame#reviewBanner { background: #FDEBD8; border: 1px solid #B45309;"
                           " border-radius: 4px; margin: 4px 8px; }"
                           " QFrame#reviewBanner QLabel { color: #5A2A02; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(200)
        self.button = QPushButton(_("Show comments"))
        self.button.clicked.connect(self.show_comments)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.setVisible(False)

    def set_review(self, status: str, comments: list[dict]) -> None:
        if status != "returned":
            self.label.setText("")
            self.setVisible(False)
            return
        returns = [c for c in comments if c.get("kind") == "return"]
        latest = returns[-1] if returns else latest_review(comments)
        text = review_summary(latest)
        if latest is not None and latest.get("at"):
            text += " (" + local_time(latest["at"]) + ")"
        self.label.setText(text + "\n" + _("Make the changes asked for, then complete the "
                                            "assessment again and sync."))
        self.setVisible(True)


class ReviewPanel(QTextBrowser):
    """The "Comments" tab: every comment and decision, oldest first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.comments: list[dict] = []
        self.set_comments([])

    def set_comments(self, comments: list[dict]) -> None:
        self.comments = list(comments)
        if not comments:
            empty = _("No review comments yet. Comments and decisions from your supervisor "
                      "arrive when you sync.")
            self.setHtml(f"<p><i>{escape(empty)}</i></p>")
            return
        colours = {"return": "#B45309", "approve": "#2E7D32"}
        parts = []
        for c in comments:
            kind = c.get("kind") or "comment"
            badge = ""
            if kind != "comment":
                badge = (f" <span style='color:{colours.get(kind, '#1F4E79')}'><b>"
                         f"{escape(decision_label(kind))}</b></span>")
            text = escape(comment_text(c)).replace("\n", "<br>")
            if not text:
                text = f"<i>{escape(_('(no text)'))}</i>"
            if c.get("where"):
                text = (f"<span style='color:#1F4E79'>{escape(_('On item {where}').format(where=c['where']))}"
                        f"</span><br>{text}")
            parts.append(f"<p><b>{escape(c.get('author') or '')}</b>{badge}<br>"
                         f"<span style='color:#5F6670'>{escape(local_time(c.get('at')))}</span>"
                         f"<br>{text}</p>")
        self.setHtml("<hr>".join(parts))
