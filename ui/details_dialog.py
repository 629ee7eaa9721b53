"""Edit details: the unit, agency and address, the visit dates (one day or several) and the
inspectors of a draft, after it was created. Each change goes through the store's
``update_details``, so it is recorded in the assessment's history."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
)

from .context import FAILED
from .i18n import _

MAX_DAYS = 60


def date_edit(value: str | None) -> QDateEdit:
    edit = QDateEdit(QDate.fromString(value, "yyyy-MM-dd") if value else QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def visit_days(first: QDate, last: QDate) -> list[str]:
    """Every day from ``first`` to ``last`` as ISO dates (one day when ``last`` is earlier)."""
    days, day = [], first
    while day <= last and len(days) < MAX_DAYS:
        days.append(day.toString("yyyy-MM-dd"))
        day = day.addDays(1)
    return days or [first.toString("yyyy-MM-dd")]


class DetailsDialog(QDialog):
    """``ask_visit=True``: opened for a draft that has no visit date yet (an assignment's draft),
    with the focus on the date."""

    def __init__(self, ctx, uuid: str, parent=None, *, ask_visit: bool = False):
        super().__init__(parent)
        self.ctx, self.uuid = ctx, uuid
        a = ctx.store.get(uuid)
        self.setWindowTitle(_("Visit date") if ask_visit else _("Edit details"))
        v = QVBoxLayout(self)
        if ask_visit:
            intro = QLabel(_("This draft has no visit date yet. When is (or was) the visit?"))
            intro.setWordWrap(True)
            v.addWidget(intro)
        form = QFormLayout()
        self.agency = QLineEdit(a.unit.get("agency") or "")
        self.unit = QLineEdit(a.unit.get("unit") or "")
        self.address = QLineEdit(a.unit.get("address") or "")
        dates = sorted(a.visit_dates)
        self.first_day = date_edit(dates[0] if dates else None)
        self.several = QCheckBox(_("&Several days, until"))
        self.last_day = date_edit(dates[-1] if dates else None)
        self.several.setChecked(len(dates) > 1)
        self.last_day.setEnabled(len(dates) > 1)
        self.several.toggled.connect(self.last_day.setEnabled)
        self.inspectors = QLineEdit(", ".join(a.inspectors))
        self.inspectors.setPlaceholderText(_("Names, separated by commas"))
        form.addRow(_("&Agency"), self.agency)
        form.addRow(_("&Unit") + " *", self.unit)
        form.addRow(_("Add&ress"), self.address)
        form.addRow(_("&Visit date"), self.first_day)
        form.addRow(self.several, self.last_day)
        form.addRow(_("&Inspectors"), self.inspectors)
        v.addLayout(form)
        self.problem = QLabel("")
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        v.addWidget(self.problem)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)
        (self.first_day if ask_visit else self.unit).setFocus()
        self.resize(520, self.sizeHint().height())

    def values(self) -> dict:
        last = self.last_day.date() if self.several.isChecked() else self.first_day.date()
        return {"agency": self.agency.text().strip(), "unit": self.unit.text().strip(),
                "address": self.address.text().strip(),
                "visit_dates": visit_days(self.first_day.date(), last),
                "inspectors": [n.strip() for n in self.inspectors.text().split(",") if n.strip()]}

    def save(self) -> bool:
        values = self.values()
        if not values["unit"]:
            self.problem.setText(_("Give the name of the assessed unit."))
            self.unit.setFocus()
            return False
        if self.several.isChecked() and self.last_day.date() < self.first_day.date():
            self.problem.setText(_("The last day of the visit is before the first."))
            self.last_day.setFocus()
            return False
        a = self.ctx.store.get(self.uuid)
        current = {"agency": a.unit.get("agency") or "", "unit": a.unit.get("unit") or "",
                   "address": a.unit.get("address") or "", "visit_dates": a.visit_dates,
                   "inspectors": a.inspectors}
        changed = {k: v for k, v in values.items() if current.get(k) != v}
        if changed and self.ctx.write(self, self.ctx.store.update_details, self.uuid,
                                      **changed) is FAILED:
            return False
        self.changed = bool(changed)
        self.accept()
        return True
