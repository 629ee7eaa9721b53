"""The checklist's header strip: unit and agency, template and version, status chip, the live
score with its grade/zone badge, progress, and the page's main buttons."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout,
)

from .. import extensions
from ..i18n import _, format_number, status_label
from ..widgets.chips import StatusChip, ZoneBadge
from .session import ChecklistSession


class Header(QFrame):
    def __init__(self, session: ChecklistSession, page, parent=None):
        super().__init__(parent)
        self.setObjectName("header")
        self.session = session
        a, t, lang = session.assessment, session.template, session.lang
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.back = QPushButton(_("← Assessments"))
        self.back.clicked.connect(page.back_requested)
        grid.addWidget(self.back, 0, 0)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title = QLabel(a.unit.get("unit") or "")
        self.title.setObjectName("h1")
        self.subtitle = QLabel(" · ".join(x for x in (a.unit.get("agency"), f"{t.title.get(lang)} "
                                                      f"({t.version})") if x))
        self.subtitle.setObjectName("muted")
        for label in (self.title, self.subtitle):
            label.setMinimumWidth(100)
            label.setWordWrap(True)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        unverified = session.store.unverified(a.uuid)
        self.unverified = QLabel(_("Not verified: status and signatures came from an imported "
                                   "file ({source})").format(
            source=unverified["source"]) if unverified else "")
        self.unverified.setObjectName("error")
        self.unverified.setWordWrap(True)
        self.unverified.setToolTip(_("A file can be edited by hand; only the server or a signed "
                                     "report vouches for a status or a signature."))
        self.unverified.setVisible(bool(unverified))
        titles.addWidget(self.unverified)
        grid.addLayout(titles, 0, 1)
        self.status = StatusChip()
        grid.addWidget(self.status, 0, 2)
        score_box = QHBoxLayout()
        self.score = QLabel("–")
        self.score.setObjectName("bigScore")
        self.score.setToolTip(_("Live score (0-100) from the answers given so far"))
        self.badge = ZoneBadge(scale=1.05)
        score_box.addWidget(self.score)
        score_box.addWidget(self.badge)
        grid.addLayout(score_box, 0, 3)
        grid.setColumnStretch(1, 1)

        row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(10)
        self.progress.setMaximumWidth(220)
        self.progress_label = QLabel("")
        row.addWidget(self.progress)
        row.addWidget(self.progress_label, 1)
        self.find = QLineEdit()
        self.find.setPlaceholderText(_("Find (Ctrl+F)"))
        self.find.setClearButtonEnabled(True)
        self.find.setMinimumWidth(150)
        self.find.setMaximumWidth(220)
        row.addWidget(self.find)
        self.breakdown = QPushButton(_("Why this score"))
        self.breakdown.setCheckable(True)
        self.signatures = QPushButton(_("Signatures"))
        self.report = QPushButton(_("Report"))
        self.report.setVisible(extensions.available(extensions.REPORT_MODULE))
        self.complete = QPushButton(_("Complete"))
        self.complete.setProperty("primary", True)
        self.reopen = QPushButton(_("Reopen (amendment)"))
        for b in (self.breakdown, self.signatures, self.report, self.complete, self.reopen):
            row.addWidget(b)
        grid.addLayout(row, 1, 0, 1, 4)
        self.refresh()

    def refresh(self) -> None:
        s = self.session
        self.status.set_status(s.assessment.status, status_label(s.assessment.status))
        self.complete.setVisible(s.editable)
        self.reopen.setVisible(s.assessment.status == "completed")
        result = s.result
        if result is None:
            self.score.setText("…")
            self.badge.set_band(None, s.lang, _("scoring…"))
            return
        self.score.setText(format_number(result.total, s.lang))
        self.badge.set_band(result.band, s.lang, _("no score yet"))
        c = result.completeness
        self.progress.setRange(0, max(1, c.total))
        self.progress.setValue(c.answered)
        parts = [_("{answered} of {total} answered").format(answered=c.answered, total=c.total)]
        if c.required_missing:
            parts.append(_("{n} required missing").format(n=len(c.required_missing)))
        if c.evidence_missing:
            parts.append(_("{n} photo(s) missing").format(n=len(c.evidence_missing)))
        self.progress_label.setText(" · ".join(parts))
