"""The form for the selected node: the template itself (title, version, bands), a section (title,
weight, sample group) or an item (type, texts in both languages, weight, options or scale,
number range and pass range, required, N.A., evidence rule, relevance, finding and action)."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from assessor_app.templates.model import ITEM_TYPES

from ..i18n import _
from .document import EditorDocument, path_text
from .fields import BiTextField, Binder, CheckField, ComboField, LineField, RowsTable


def type_label(kind: str) -> str:
    return {"yes_no": _("Yes / no"), "yes_no_na": _("Yes / no / N.A."), "scale": _("Scale"),
            "choice": _("Single choice"), "multi_choice": _("Multiple choice"),
            "number": _("Number"), "text": _("Text"), "date": _("Date"), "photo": _("Photo"),
            "signature": _("Signature"), "location": _("Location"),
            "variable": _("Computed variable")}.get(kind, kind)


ZONES = [("green", _("green")), ("yellow", _("yellow")), ("red", _("red"))]


class PropertiesPanel(QScrollArea):
    """Emits ``changed(structural)`` after each edit (structural: the tree must be redrawn, e.g.
    an id or a title changed); ``library_requested(path)`` for the findings library."""

    changed = Signal(bool)
    library_requested = Signal(tuple)

    def __init__(self, doc: EditorDocument, binder: Binder, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.binder = binder
        self.path: tuple = ()
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.widgets: dict[str, QWidget] = {}
        self.show_node(())

    # ------------------------------------------------------------------ helpers
    def _setter(self, key: str, structural: bool = False,
                convert: Callable[[Any], Any] | None = None):
        path = self.path

        def apply(value):
            self.doc.set(path, key, convert(value) if convert else value)
            self.changed.emit(structural)
        return apply

    def _row(self, form: QFormLayout, label: str, widget: QWidget, key: str | None = None) -> QWidget:
        form.addRow(label, widget)
        if key:
            self.widgets[key] = widget
        return widget

    def _line(self, form, label, key, number=False, structural=False, placeholder=""):
        node = self.doc.get(self.path) if self.path else self.doc.body
        field = LineField(node.get(key), number=number, placeholder=placeholder)
        field.bind(self.binder, self._p(key))
        field.edited.connect(self._setter(key, structural))
        return self._row(form, label, field, key)

    def _bitext(self, form, label, key, multiline=False, structural=False):
        node = self.doc.get(self.path) if self.path else self.doc.body
        field = BiTextField(node.get(key), multiline=multiline)
        field.bind(self.binder, self._p(key))
        field.edited.connect(self._setter(key, structural))
        return self._row(form, label, field, key)

    def _p(self, key: str) -> str:
        base = path_text(self.path)
        return f"{base}.{key}" if base else key

    # ------------------------------------------------------------------ building
    def show_node(self, path: tuple) -> None:
        self.path = tuple(path)
        self.binder.clear()
        self.widgets = {}
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(10, 10, 10, 10)
        if not self.path:
            self._template_form(outer)
        elif self.path[-2] == "sections":
            self._section_form(outer)
        else:
            self._item_form(outer)
        outer.addStretch(1)
        self.setWidget(page)

    def _group(self, outer: QVBoxLayout, title: str) -> QFormLayout:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addWidget(box)
        return form

    def _template_form(self, outer: QVBoxLayout) -> None:
        form = self._group(outer, _("Template"))
        self._line(form, _("Identifier"), "id", structural=True)
        self._line(form, _("Version"), "version", structural=True)
        self._bitext(form, _("Title"), "title", structural=True)
        self._bitext(form, _("Description"), "description", multiline=True)
        box = self._group(outer, _("Bands and grades"))
        body = self.doc.body
        table = RowsTable(body.get("bands", []), [
            ("id", _("Grade"), "text"), ("label", _("Label (id)"), "label.id"),
            ("label", _("Label (en)"), "label.en"), ("min", _("From"), "number"),
            ("max", _("To"), "number"), ("colour", _("Colour"), "text"),
            ("zone", _("Zone"), "text")])
        table.bind(self.binder, "bands")
        table.edited.connect(lambda rows: (self.doc.set((), "bands", rows),
                                           self.changed.emit(False)))
        box.addRow(table)
        buttons = QHBoxLayout()
        add = QPushButton(_("Add band"))
        add.clicked.connect(lambda: table.add_row({
            "id": "X", "label": {"id": "Baru", "en": "New"}, "min": 0, "max": 0,
            "colour": "#6B7280", "zone": "red"}))
        remove = QPushButton(_("Remove band"))
        remove.clicked.connect(table.remove_current)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        box.addRow(buttons)
        self.widgets["bands"] = table

    def _section_form(self, outer: QVBoxLayout) -> None:
        node = self.doc.get(self.path)
        form = self._group(outer, _("Section"))
        self._line(form, _("Identifier"), "id", structural=True)
        self._bitext(form, _("Title"), "title", structural=True)
        self._bitext(form, _("Description"), "description", multiline=True)
        self._line(form, _("Weight"), "weight", number=True,
                   placeholder=_("empty: the section weighs its items' points"))
        sample = self._group(outer, _("Sample group"))
        on = CheckField(_("Fill this section once per sampled subject (product, staff, …)"),
                        "sample" in node)
        sample.addRow(on)
        spec = node.get("sample") or {"label": {"id": "Produk", "en": "Product"}, "min": 1,
                                      "max": 10, "default": 2}
        label = BiTextField(spec["label"])
        label.bind(self.binder, self._p("sample.label"))
        lo = LineField(spec["min"], number=True).bind(self.binder, self._p("sample.min"))
        hi = LineField(spec["max"], number=True).bind(self.binder, self._p("sample.max"))
        default = LineField(spec["default"], number=True).bind(self.binder, self._p("sample.default"))
        self.binder.register(self._p("sample"), default.error, lambda _on: None)
        fields = {"label": label, "min": lo, "max": hi, "default": default}
        for key, text in (("label", _("Label")), ("default", _("Default size")),
                          ("min", _("Smallest size")), ("max", _("Largest size"))):
            sample.addRow(text, fields[key])
            fields[key].setEnabled("sample" in node)
        self.widgets.update({"sample": on, "sample_default": default})

        def update(_value=None):
            enabled = on.isChecked()
            for f in fields.values():
                f.setEnabled(enabled)
            if not enabled:
                self.doc.set(self.path, "sample", None)
            else:
                from .fields import parse_number
                self.doc.set(self.path, "sample", {
                    "label": label.value() or {"id": "", "en": ""},
                    "min": parse_number(lo.edit.text()), "max": parse_number(hi.edit.text()),
                    "default": parse_number(default.edit.text())})
            self.changed.emit(False)
        on.edited.connect(update)
        for f in fields.values():
            f.edited.connect(update)

    def _item_form(self, outer: QVBoxLayout) -> None:
        node = self.doc.get(self.path)
        kind = node.get("type")
        form = self._group(outer, _("Item"))
        self._line(form, _("Identifier"), "id", structural=True)
        combo = ComboField([(k, type_label(k)) for k in ITEM_TYPES], kind)
        combo.edited.connect(self._change_type)
        self._row(form, _("Type"), combo, "type")
        self._bitext(form, _("Indicator"), "text", multiline=True, structural=True)
        self._line(form, _("Weight (points)"), "weight", number=True,
                   placeholder=_("empty: 1 for items that score, 0 otherwise"))
        req = CheckField(_("Must be answered to complete"),
                         node.get("required", False))
        req.edited.connect(self._setter("required", convert=lambda v: True if v else None))
        self._row(form, _("Required"), req, "required")
        if kind in ("scale", "choice", "multi_choice", "number"):
            na = CheckField(_("N.A. allowed"), node.get("na", False))
            na.edited.connect(self._setter("na", convert=lambda v: True if v else None))
            self._row(form, _("N.A."), na, "na")
        self._bitext(form, _("Guidance"), "guidance", multiline=True)
        self._line(form, _("Legal reference"), "legal", placeholder="UU 25/2009 Pasal 21 huruf d")
        if kind in ("scale", "choice", "multi_choice"):
            self._options_form(outer, node, kind)
        if kind == "number":
            num = self._group(outer, _("Number"))
            self._line(num, _("Unit"), "unit")
            self._line(num, _("Smallest allowed"), "min", number=True)
            self._line(num, _("Largest allowed"), "max", number=True)
            passing = node.get("pass") or {}
            for key, text in (("min", _("Passes from")), ("max", _("Passes up to"))):
                field = LineField(passing.get(key), number=True).bind(self.binder, self._p(f"pass.{key}"))
                field.edited.connect(lambda v, k=key: self._set_sub("pass", k, v))
                self._row(num, text, field, f"pass_{key}")
            self.binder.register(self._p("pass"), field.error, lambda _on: None)
        rules = self._group(outer, _("Rules"))
        self._line(rules, _("Shown only when"), "relevant", structural=False,
                   placeholder="q_parkir == 'yes' and jumlah_loket >= 2")
        evidence = node.get("evidence") or {}
        photos = LineField(evidence.get("photos"), number=True, placeholder="1")
        photos.bind(self.binder, self._p("evidence.photos"))
        when = ComboField([(None, _("no photo rule")), ("failed", _("when the answer fails")),
                           ("always", _("always"))], evidence.get("when"))
        self.binder.register(self._p("evidence"), photos.error, lambda _on: None)
        self.binder.register(self._p("evidence.when"), photos.error, lambda _on: None)

        def set_evidence(_v=None):
            w = when.currentData()
            value = None
            if w:
                value = {"when": w}
                if photos.edit.text().strip():
                    from .fields import parse_number
                    value["photos"] = parse_number(photos.edit.text())
            self.doc.set(self.path, "evidence", value)
            self.changed.emit(False)
        when.edited.connect(set_evidence)
        photos.edited.connect(set_evidence)
        self._row(rules, _("Photos required"), when, "evidence_when")
        self._row(rules, _("Number of photos"), photos, "evidence_photos")
        fa = self._group(outer, _("Default finding and corrective action"))
        self._bitext(fa, _("Finding"), "finding", multiline=True)
        self._bitext(fa, _("Corrective action"), "action", multiline=True)
        lib = QPushButton(_("From the library…"))
        lib.clicked.connect(lambda: self.library_requested.emit(self.path))
        fa.addRow(lib)

    def _options_form(self, outer, node, kind) -> None:
        key = "scale" if kind == "scale" else "options"
        box = self._group(outer, _("Scale points") if kind == "scale" else _("Options"))
        columns = [("value", _("Value"), "value"), ("label", _("Label (id)"), "label.id"),
                   ("label", _("Label (en)"), "label.en"), ("score", _("Score"), "number"),
                   ("na", _("N.A."), "bool")]
        if kind == "multi_choice":
            columns.append(("exclusive", _("Excludes others"), "bool"))
        table = RowsTable(node.get(key, []), columns)
        table.bind(self.binder, self._p(key))
        table.edited.connect(lambda rows: (self.doc.set(self.path, key, rows),
                                           self.changed.emit(False)))
        box.addRow(table)
        row = QHBoxLayout()
        add = QPushButton(_("Add point") if kind == "scale" else _("Add option"))

        def add_row():
            n = len(table.rows)
            value = n if kind == "scale" else f"opsi_{n + 1}"
            table.add_row({"value": value, "label": {"id": f"Pilihan {n + 1}", "en": f"Option {n + 1}"}})
        add.clicked.connect(add_row)
        remove = QPushButton(_("Remove"))
        remove.clicked.connect(table.remove_current)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        box.addRow(row)
        self.widgets[key] = table

    def _set_sub(self, key: str, sub: str, value) -> None:
        node = self.doc.get(self.path)
        current = dict(node.get(key) or {})
        if value is None:
            current.pop(sub, None)
        else:
            current[sub] = value
        self.doc.set(self.path, key, current or None)
        self.changed.emit(False)

    def _change_type(self, kind: str) -> None:
        node = self.doc.get(self.path)
        node["type"] = kind
        keep = {"scale": {"scale", "na"}, "choice": {"options", "na"},
                "multi_choice": {"options", "na"}, "number": {"unit", "min", "max", "pass", "na"}
                }.get(kind, set())
        for key in ("scale", "options", "unit", "min", "max", "pass", "na"):
            if key not in keep:
                node.pop(key, None)
        if kind == "scale" and "scale" not in node:
            node["scale"] = [{"value": v, "label": {"id": t, "en": e}} for v, t, e in (
                (0, "Tidak ada", "None"), (1, "Kurang", "Poor"), (2, "Cukup", "Fair"),
                (3, "Baik", "Good"))]
        if kind in ("choice", "multi_choice") and "options" not in node:
            node["options"] = [{"value": "a", "label": {"id": "Pilihan A", "en": "Option A"},
                                "score": 1},
                               {"value": "b", "label": {"id": "Pilihan B", "en": "Option B"},
                                "score": 0}]
        if kind in ("text", "date", "photo", "signature", "location"):
            node.pop("weight", None)
        self.doc.touch(self.path)
        self.changed.emit(True)
        self.show_node(self.path)

    def insert_library_entry(self, entry: dict) -> None:
        """Put a library entry into the current item's finding and action fields."""
        for key in ("finding", "action"):
            field = self.widgets.get(key)
            if isinstance(field, BiTextField):
                field.set_value({"id": entry[f"{key}_id"], "en": entry[f"{key}_en"]})
