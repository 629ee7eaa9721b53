"""XLSForm in and out: templates as ODK / KoboToolbox / Survey123 spreadsheets.

``export_xlsform(template)`` returns the bytes of an .xlsx workbook with the ``survey``,
``choices`` and ``settings`` sheets that pyxform (``xls2xform``) converts without errors, plus
scoring in ``assessor::`` columns that ODK ignores and the bands in a sheet of their own
(``assessor_bands``). ``read_xlsform(path)`` (in :mod:`.xlsform_read`) turns such a workbook, or
any XLSForm, back into a template dict; an exported form that was not changed reads back to the
identical dict, so it has the same hash as the template it came from.

The mapping (documented for users in docs/templates.md, "XLSForm"):

* top-level sections and sub-sections -> ``begin_group`` / ``end_group``; sample groups ->
  ``begin_repeat`` with ``repeat_count`` = the default size
* yes_no / yes_no_na -> ``select_one yes_no`` / ``select_one yes_no_na``; scale -> ``select_one``
  of its points; choice / multi_choice -> ``select_one`` / ``select_multiple``; number ->
  ``decimal`` (min/max as a ``constraint``); text, date; photo -> ``image``; signature -> ``image``
  with ``appearance`` signature; location -> ``geopoint``
* guidance -> ``hint``; relevant -> XPath ``relevant`` (:mod:`.xpath`); both languages as
  ``label::Bahasa Indonesia (id)`` and ``label::English (en)``
"""

from __future__ import annotations

import io
import json
from typing import Any

from ..errors import TemplateInvalid
from ..i18n import _
from .conditions import parse
from .model import Template
from .xpath import to_xpath

LANGS = {"id": "Bahasa Indonesia (id)", "en": "English (en)"}
BANDS_SHEET = "assessor_bands"
YES_NO = {
    "yes": {"id": "Ya", "en": "Yes"},
    "no": {"id": "Tidak", "en": "No"},
    "na": {"id": "Tidak berlaku", "en": "Not applicable"},
}
#: keys of a raw item / section / template the columns below carry; others go to assessor::extra
ITEM_KEYS = {"id", "type", "text", "guidance", "legal", "weight", "required", "na", "options",
             "scale", "unit", "min", "max", "pass", "evidence", "relevant", "finding", "action"}
SECTION_KEYS = {"id", "title", "description", "weight", "sample", "sections", "items"}
TOP_KEYS = {"format", "id", "version", "title", "description", "source", "bands", "sections"}
OPTION_KEYS = {"value", "label", "score", "na", "exclusive"}
XLS_TYPES = {"number": "decimal", "text": "text", "date": "date", "photo": "image",
             "signature": "image", "location": "geopoint",
             "variable": "decimal"}    # computed by Assessor (assessor::type keeps it a variable)


def _bi(prefix: str) -> list[str]:
    return [f"{prefix}::{LANGS['id']}", f"{prefix}::{LANGS['en']}"]


SURVEY_COLUMNS = (
    ["type", "name"] + _bi("label") + _bi("hint")
    + ["required", "relevant", "constraint", "appearance", "repeat_count",
       "assessor::type", "assessor::weight", "assessor::relevant", "assessor::legal",
       "assessor::unit", "assessor::pass_min", "assessor::pass_max", "assessor::na",
       "assessor::evidence_photos", "assessor::evidence_when"]
    + _bi("assessor::finding") + _bi("assessor::action") + _bi("assessor::description")
    + _bi("assessor::sample_label") + ["assessor::sample_min", "assessor::sample_max",
                                       "assessor::extra"])
#: pyxform copies extra choices columns into the form's choice instances as elements, so these
#: are plain names (an element cannot be called assessor::score)
CHOICE_COLUMNS = (["list_name", "name"] + _bi("label")
                  + ["assessor_score", "assessor_na", "assessor_exclusive", "assessor_extra"])
SETTINGS_COLUMNS = (["form_title", "form_id", "version", "default_language"]
                    + _bi("assessor::title") + _bi("assessor::description")
                    + ["assessor::source"] + _bi("assessor::source") + ["assessor::extra"])
BAND_COLUMNS = ["id"] + _bi("label") + ["min", "max", "colour", "zone"]


def _put_text(row: dict, prefix: str, text: dict | None) -> None:
    if text:
        row[f"{prefix}::{LANGS['id']}"] = text["id"]
        row[f"{prefix}::{LANGS['en']}"] = text["en"]


def _yn(value: bool) -> str:
    return "yes" if value else "no"


def _extra(raw: dict, known: set[str]) -> str | None:
    extra = {k: v for k, v in raw.items() if k not in known}
    return json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None


class _Exporter:
    def __init__(self) -> None:
        self.survey: list[dict] = []
        self.choices: list[dict] = []
        self.lists: set[str] = set()

    def yes_no_list(self, name: str, values: tuple[str, ...]) -> None:
        if name in self.lists:
            return
        self.lists.add(name)
        for value in values:
            row = {"list_name": name, "name": value}
            _put_text(row, "label", YES_NO[value])
            self.choices.append(row)

    def option_list(self, name: str, options: list[dict]) -> None:
        self.lists.add(name)
        for opt in options:
            row = {"list_name": name, "name": opt["value"]}
            _put_text(row, "label", opt["label"])
            if "score" in opt:
                row["assessor_score"] = opt["score"]
            if "na" in opt:
                row["assessor_na"] = _yn(opt["na"])
            if "exclusive" in opt:
                row["assessor_exclusive"] = _yn(opt["exclusive"])
            row["assessor_extra"] = _extra(opt, OPTION_KEYS)
            self.choices.append(row)

    def section(self, raw: dict) -> None:
        sample = raw.get("sample")
        kind = "repeat" if sample else "group"
        row = {"type": f"begin_{kind}", "name": raw["id"]}
        _put_text(row, "label", raw["title"])
        _put_text(row, "assessor::description", raw.get("description"))
        if "weight" in raw:
            row["assessor::weight"] = raw["weight"]
        if sample:
            row["repeat_count"] = sample["default"]
            _put_text(row, "assessor::sample_label", sample["label"])
            row["assessor::sample_min"] = sample["min"]
            row["assessor::sample_max"] = sample["max"]
        row["assessor::extra"] = _extra(raw, SECTION_KEYS)
        self.survey.append(row)
        for sub in raw.get("sections", []):
            self.section(sub)
        for item in raw.get("items", []):
            self.item(item)
        self.survey.append({"type": f"end_{kind}"})

    def item(self, raw: dict) -> None:
        kind = raw["type"]
        row: dict[str, Any] = {"name": raw["id"], "assessor::type": kind}
        if kind in ("yes_no", "yes_no_na"):
            values = ("yes", "no") if kind == "yes_no" else ("yes", "no", "na")
            self.yes_no_list(kind, values)
            row["type"] = f"select_one {kind}"
        elif kind in ("scale", "choice", "multi_choice"):
            key = "scale" if kind == "scale" else "options"
            self.option_list(raw["id"], raw.get(key, []))
            row["type"] = ("select_multiple " if kind == "multi_choice" else "select_one ") + raw["id"]
        else:
            row["type"] = XLS_TYPES[kind]
            if kind == "signature":
                row["appearance"] = "signature"
        _put_text(row, "label", raw["text"])
        _put_text(row, "hint", raw.get("guidance"))
        if "required" in raw:
            row["required"] = _yn(raw["required"])
        if "relevant" in raw:
            row["assessor::relevant"] = raw["relevant"]
            row["relevant"] = to_xpath(parse(raw["relevant"]))
        bounds = []
        if "min" in raw:
            bounds.append(f". >= {raw['min']}")
        if "max" in raw:
            bounds.append(f". <= {raw['max']}")
        if bounds:
            row["constraint"] = " and ".join(bounds)
        for key in ("weight", "legal", "unit"):
            if key in raw:
                row[f"assessor::{key}"] = raw[key]
        for key in ("min", "max"):
            if key in raw.get("pass", {}):
                row[f"assessor::pass_{key}"] = raw["pass"][key]
        if "pass" in raw and not raw["pass"]:
            row["assessor::extra"] = json.dumps({"pass": {}})
        if "na" in raw:
            row["assessor::na"] = _yn(raw["na"])
        if "evidence" in raw:
            row["assessor::evidence_when"] = raw["evidence"]["when"]
            if "photos" in raw["evidence"]:
                row["assessor::evidence_photos"] = raw["evidence"]["photos"]
        _put_text(row, "assessor::finding", raw.get("finding"))
        _put_text(row, "assessor::action", raw.get("action"))
        row["assessor::extra"] = row.get("assessor::extra") or _extra(raw, ITEM_KEYS)
        self.survey.append(row)


def _settings(body: dict) -> dict:
    row = {"form_title": body["title"]["id"], "form_id": body["id"], "version": body["version"],
           "default_language": LANGS["id"]}
    _put_text(row, "assessor::title", body["title"])
    _put_text(row, "assessor::description", body.get("description"))
    source = body.get("source")
    if isinstance(source, str):
        row["assessor::source"] = source
    else:
        _put_text(row, "assessor::source", source)
    row["assessor::extra"] = _extra(body, TOP_KEYS)
    return row


def export_rows(template: Template) -> dict[str, tuple[list[str], list[dict]]]:
    """The sheets of the XLSForm as ``{sheet: (columns, rows)}`` (rows are dicts by column)."""
    body = template.body
    ex = _Exporter()
    for section in body["sections"]:
        ex.section(section)
    bands = []
    for band in body["bands"]:
        row = {k: band[k] for k in ("id", "min", "max", "colour", "zone")}
        _put_text(row, "label", band["label"])
        bands.append(row)
    return {"survey": (SURVEY_COLUMNS, ex.survey), "choices": (CHOICE_COLUMNS, ex.choices),
            "settings": (SETTINGS_COLUMNS, [_settings(body)]), BANDS_SHEET: (BAND_COLUMNS, bands)}


def export_xlsform(template: Template) -> bytes:
    """The template as .xlsx bytes (see the module docstring for the mapping)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, (columns, rows) in export_rows(template).items():
        sheet = book.create_sheet(name)
        used = [c for c in columns if c in ("type", "name", "list_name", "id")
                or any(r.get(c) not in (None, "") for r in rows)]
        sheet.append(used)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(c) for c in used])
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class XLSFormError(TemplateInvalid):
    """The workbook cannot be read as an XLSForm at all (not a workbook, no survey sheet)."""

    def __init__(self, message: str):
        super().__init__([("", message)])


def check_with_pyxform(data: bytes) -> list[str]:
    """Convert an XLSForm with pyxform (as ``xls2xform`` does, without ODK Validate) and return
    its warnings; raises :class:`XLSFormError` with pyxform's message when it does not convert."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    try:
        convert(xlsform=io.BytesIO(data), warnings=warnings, file_type=".xlsx")
    except PyXFormError as exc:
        raise XLSFormError(_("pyxform cannot convert this form: {error}").format(error=exc)) from None
    return warnings
