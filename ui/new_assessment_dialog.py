"""New assessment: pick a template, describe the unit, name the sampled subjects (service
products, staff, respondents) where the template has sample groups, the visit date and the
inspectors. "Create" commits the new draft through the store and opens it."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel,
    QLineEdit, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from assessor_app.i18n import language

from .context import FAILED, Context
from .i18n import _
from .mnemonics import assign_mnemonics
from .screen_fit import fit_to_screen


class SampleGroupEditor(QGroupBox):
    """Count and labels of one sample group, e.g. "Produk layanan: 2 (KTP-el, Akta Kelahiran)"."""

    def __init__(self, group, lang: str, parent=None):
        spec = group.sample
        super().__init__(f"{group.number} {group.title.get(lang)}", parent)
        self.group, self.spec, self.lang = group, spec, lang
        self.form = QFormLayout(self)
        self.count = QSpinBox()
        self.count.setRange(spec.min, spec.max)
        self.count.setValue(spec.default)
        self.count.valueChanged.connect(self._resize)
        self.form.addRow(_("Number of samples ({label})").format(label=spec.label.get(lang)),
                         self.count)
        self.edits: list[QLineEdit] = []
        self._resize(spec.default)

    def _resize(self, n: int) -> None:
        while len(self.edits) < n:
            edit = QLineEdit()
            edit.setPlaceholderText(f"{self.spec.label.get(self.lang)} {len(self.edits) + 1}")
            self.form.addRow(f"{self.spec.label.get(self.lang)} {len(self.edits) + 1}", edit)
            self.edits.append(edit)
        while len(self.edits) > n:
            self.edits.pop()
            self.form.removeRow(self.form.rowCount() - 1)
        dialog = self.window()
        if hasattr(dialog, "_tab_order"):
            dialog._tab_order()

    def labels(self) -> list[str]:
        return [e.text().strip() or e.placeholderText() for e in self.edits]


class NewAssessmentDialog(QDialog):
    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.lang = language()
        self.created_uuid: str | None = None
        self.assignment_id: str | None = None     # set by prefill_assignment()
        self.setWindowTitle(_("New assessment"))
        fit_to_screen(self, 640, 640)
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.body = QVBoxLayout(body)
        form = QFormLayout()
        self.template = QComboBox()
        latest: dict[str, dict] = {}
        for t in ctx.store.list_templates():
            latest[t["id"]] = t          # listed by id, versions ascending: the last one wins
        for t in latest.values():
            title = t["title_en"] if self.lang == "en" else t["title_id"]
            self.template.addItem(f"{title} ({t['version']})", (t["id"], t["version"]))
        self.template.currentIndexChanged.connect(self._template_changed)
        form.addRow(_("Template"), self.template)
        self.register_ref: dict = {}     # unit_id/round_id of the register unit picked
        self._add_register_picker(form)
        self.agency = QLineEdit()
        self.agency.setPlaceholderText(_("e.g. Pemerintah Kota Samarinda"))
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(_("e.g. Dinas Kependudukan dan Pencatatan Sipil"))
        self.address = QLineEdit()
        form.addRow(_("Agency"), self.agency)
        form.addRow(_("Unit") + " *", self.unit)
        form.addRow(_("Address"), self.address)
        self.visit = QDateEdit(QDate.currentDate())
        self.visit.setCalendarPopup(True)
        self.visit.setDisplayFormat("yyyy-MM-dd")
        form.addRow(_("Visit date"), self.visit)
        self.inspectors = QLineEdit(ctx.setting("inspector_name", "") or "")
        self.inspectors.setPlaceholderText(_("Names, separated by commas"))
        form.addRow(_("Inspectors"), self.inspectors)
        self.body.addLayout(form)
        self.samples_box = QVBoxLayout()
        self.body.addLayout(self.samples_box)
        self.body.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.problem = QLabel("")
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        outer.addWidget(self.problem)
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(_("Create"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setProperty("primary", True)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        # Enter never creates a half-filled form: in a field it moves to the next one; Create is
        # pressed on purpose (Tab to it, Alt+C or Ctrl+Enter)
        self.create_button.setAutoDefault(False)
        self.create_button.setDefault(False)
        assign_mnemonics(buttons.buttons())
        self.buttons = buttons
        outer.addWidget(buttons)
        self.group_editors: list[SampleGroupEditor] = []
        last = ctx.setting("last_template")
        if last:
            self.select_template(last)
        self._template_changed()
        self.template.setFocus()
        if self.template.count() == 0:
            self.problem.setText(_("No template is installed. Import one on the Templates page."))
            self.create_button.setEnabled(False)

    def _add_register_picker(self, form: QFormLayout) -> None:
        """A unit from the register this laptop pulled (and the round), when there is one;
        typing the unit by hand stays possible (the office matches it later)."""
        units = self.ctx.store.register_units()
        rounds = [r for r in self.ctx.store.list_rounds() if r["state"] != "closed"]
        self.register_unit = QComboBox()
        self.register_round = QComboBox()
        if not units:
            return
        self.register_unit.addItem(_("(typed by hand below)"), None)
        for u in units:
            self.register_unit.addItem(f"{u['government']} – {u['unit']}", u)
        self.register_unit.currentIndexChanged.connect(self._register_unit_picked)
        form.addRow(_("Unit from the register"), self.register_unit)
        self.register_round.addItem(_("(no round)"), None)
        for r in rounds:
            self.register_round.addItem(r["name"], r["id"])
        if rounds:
            self.register_round.setCurrentIndex(1)
        form.addRow(_("Round"), self.register_round)

    def _register_unit_picked(self, *args) -> None:
        unit = self.register_unit.currentData()
        if unit:
            self.agency.setText(unit["government"])
            self.unit.setText(unit["unit"])
            self.address.setText(unit["address"])

    def _template_changed(self, *args) -> None:
        for ed in self.group_editors:
            ed.setParent(None)
            ed.deleteLater()
        self.group_editors = []
        data = self.template.currentData()
        if not data:
            return
        template = self.ctx.store.get_template(*data)
        for group in template.sample_groups():
            ed = SampleGroupEditor(group, self.lang)
            self.samples_box.addWidget(ed)
            self.group_editors.append(ed)
        self._tab_order()

    def _tab_order(self) -> None:
        """Template, unit fields, date, inspectors, every sample field, then Create and Cancel."""
        chain = [self.template, self.agency, self.unit, self.address, self.visit, self.inspectors]
        for ed in self.group_editors:
            chain += [ed.count] + ed.edits
        chain += self.buttons.buttons()
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    def keyPressEvent(self, event) -> None:
        """Enter in a field goes to the next field (it never submits the form); Ctrl+Enter
        creates."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.create()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if focus in self.buttons.buttons():
                focus.click()
            else:
                self.focusNextChild()
            return
        super().keyPressEvent(event)

    def select_template(self, template_id: str) -> None:
        for i in range(self.template.count()):
            if self.template.itemData(i)[0] == template_id:
                self.template.setCurrentIndex(i)

    def prefill_assignment(self, assignment: dict) -> None:
        """Start the assessment of an assignment (Assigned page): its exact template version and
        unit, fixed; the new assessment takes the assignment's id as its uuid (the link)."""
        self.assignment_id = assignment["id"]
        self.setWindowTitle(_("Start the assigned assessment"))
        key = (assignment["template_id"], assignment["template_version"])
        index = next((i for i in range(self.template.count())
                      if tuple(self.template.itemData(i)) == key), -1)
        if index < 0:        # an older version than the latest installed one
            template = self.ctx.store.get_template(*key)
            self.template.addItem(f"{template.title.get(self.lang)} ({template.version})", key)
            index = self.template.count() - 1
        self.template.setCurrentIndex(index)
        self.template.setEnabled(False)
        unit = assignment.get("unit") or {}
        self.agency.setText(unit.get("agency") or "")
        self.unit.setText(unit.get("unit") or "")
        self.address.setText(unit.get("address") or "")
        self.register_ref = {k: unit[k] for k in ("unit_id", "round_id") if unit.get(k)}
        if assignment.get("inspector") and not self.inspectors.text().strip():
            self.inspectors.setText(assignment["inspector"])

    def create(self) -> None:
        if not self.unit.text().strip():
            self.problem.setText(_("Give the name of the assessed unit."))
            self.unit.setFocus()
            return
        template_id, version = self.template.currentData()
        ref = dict(self.register_ref)
        picked = self.register_unit.currentData()
        if picked:
            ref["unit_id"] = picked["unit_id"]
            if self.register_round.currentData():
                ref["round_id"] = self.register_round.currentData()
        uid = self.ctx.write(
            self, self.ctx.store.create_assessment,
            self.ctx.store.get_template(template_id, version),
            unit={"agency": self.agency.text().strip(), "unit": self.unit.text().strip(),
                  "address": self.address.text().strip(), **ref},
            visit_dates=[self.visit.date().toString("yyyy-MM-dd")],
            inspectors=[n.strip() for n in self.inspectors.text().split(",") if n.strip()],
            samples={ed.group.id: ed.labels() for ed in self.group_editors},
            uuid=self.assignment_id)
        if uid is FAILED:
            return
        self.created_uuid = uid
        if self.assignment_id is None:
            self.ctx.store.set_setting("last_template", template_id)
        self.accept()


