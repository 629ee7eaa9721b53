"""The checklist's header strip: unit and agency, template and version, status chip, the live
score with its grade/zone badge, progress, and the page's main buttons."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout,
)

from assessor_app.provisional import missing_dimensions, shown_band

from .. import extensions
from ..i18n import _, format_number, status_label
from ..mnemonics import assign_mnemonics
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
        chip_row = QHBoxLayout()
        chip_row.addWidget(self.status)
        self.details = QPushButton(_("&Details…"))
        self.details.setToolTip(_("Edit the unit, address, visit dates and inspectors (recorded "
                                  "in the history)"))
        chip_row.addWidget(self.details)
        grid.addLayout(chip_row, 0, 2)
        score_box = QHBoxLayout()
        self.score = QLabel("–")
        self.score.setObjectName("bigScore")
        self.score.setToolTip(_("Live score (0-100) from the answers given so far"))
        self.badge = ZoneBadge(scale=1.05)
        self.provisional = QLabel(_("provisional"))
        self.provisional.setObjectName("muted")
        self.provisional.setToolTip(_("A draft's score changes as you answer; the grade shows once "
                                      "every dimension of the total has an answer."))
        score_box.addWidget(self.score)
        score_box.addWidget(self.provisional)
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
        # Alt+letter on every button; S stays free for the Sample menu, D or R is Details
        assign_mnemonics([self.back, self.complete, self.report, self.signatures, self.breakdown,
                          self.reopen], taken="sdr")
        grid.addLayout(row, 1, 0, 1, 4)
        self.refresh()

    def refresh_titles(self) -> None:
        a, t, lang = self.session.assessment, self.session.template, self.session.lang
        self.title.setText(a.unit.get("unit") or "")
        self.subtitle.setText(" · ".join(x for x in (a.unit.get("agency"),
                                                     f"{t.title.get(lang)} ({t.version})") if x))

    def refresh(self) -> None:
        s = self.session
        self.details.setVisible(s.editable)
        self.status.set_status(s.assessment.status, status_label(s.assessment.status))
        self.complete.setVisible(s.editable)
        self.reopen.setVisible(s.assessment.status == "completed")
        result = s.result
        if result is None:
            self.score.setText("…")
            self.badge.set_band(None, s.lang, _("scoring…"))
            return
        self.score.setText(format_number(result.total, s.lang))
        band = shown_band(result)
        self.provisional.setVisible(s.editable)
        waiting = missing_dimensions(result)
        empty = _("no score yet") if result.total is None else _("no grade yet")
        self.badge.set_band(band, s.lang, empty)
        self.badge.setToolTip(_("No grade until these have answers: {dimensions}").format(
            dimensions=", ".join(f"{d.number} {d.title.get(s.lang)}" for d in waiting))
            if waiting else "")
        c = result.completeness
        rd, rt, od, ot = s.progress()
        self.progress.setRange(0, max(1, rt or ot))
        self.progress.setValue(rd if rt else od)
        parts = [_("required {done} of {total}").format(done=rd, total=rt)]
        if ot:
            parts.append(_("optional {done} of {total}").format(done=od, total=ot))
        if c.required_missing:
            parts.append(_("{n} required missing").format(n=len(c.required_missing)))
        if c.evidence_missing:
            parts.append(_("{n} photo(s) missing").format(n=len(c.evidence_missing)))
        self.progress_label.setText(" · ".join(parts))
