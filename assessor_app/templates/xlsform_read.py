"""Reading an XLSForm workbook into a template dict (the reverse of :mod:`.xlsform`).

``read_xlsform(path)`` returns ``(raw, skipped)``: the template dict (validate it with
:func:`.loader.build_template`) and the rows that cannot map, each ``(where, message)`` with where
like ``FORM.xlsx: survey row 12, column 'type'``. Rows that cannot map (calculate, notes, loops,
external choices, XPath beyond the subset of :mod:`.xpath`) are skipped and reported; the rest
imports. A row whose relevance refers to a skipped row is skipped too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import TemplateInvalid
from ..i18n import N_, _
from .loader import FORMAT
from .xlsform import BANDS_SHEET, YES_NO, XLSFormError
from .xpath import XPathUnsupported, from_xpath
from .conditions import parse

MAX_XLSFORM_BYTES = 20 * 1024 * 1024
ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
#: XLSForm types (after normalising spaces to _) and what they become
SIMPLE_TYPES = {"integer": "number", "decimal": "number", "text": "text", "date": "date",
                "geopoint": "location", "image": "photo", "int": "number", "string": "text",
                "phone_number": "text", "phonenumber": "text", "location": "location",
                "gps": "location", "photo": "photo"}
#: the older spellings pyxform still accepts ("select one from list", "select all that apply
#: from list"); "or specify other" stays refused (the free-text "other" has no checklist place)
_OLD_SELECT = re.compile(r"^select (one|all that apply|multiple) from (\S+)(.*)$", re.I)
DEFAULT_BANDS = [
    {"id": "baik", "label": {"id": "Baik", "en": "Good"}, "min": 85, "max": 100,
     "colour": "#2E7D32", "zone": "green"},
    {"id": "cukup", "label": {"id": "Cukup", "en": "Fair"}, "min": 60, "max": 84.99,
     "colour": "#F9A825", "zone": "yellow"},
    {"id": "kurang", "label": {"id": "Kurang", "en": "Poor"}, "min": 0, "max": 59.99,
     "colour": "#C62828", "zone": "red"},
]
_CONSTRAINT = re.compile(r"^\s*\.\s*(>=|<=)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")


def _lang_of(header: str) -> str | None:
    """'id', 'en', None (no language given) or '?' (another language) for a column suffix."""
    low = header.lower()
    if "(id)" in low or "indonesia" in low or low.strip() == "id":
        return "id"
    if "(en)" in low or "english" in low or low.strip() == "en":
        return "en"
    return "?"


def _number(value: Any) -> int | float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    text = str(value).strip()
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return None


class _Sheet:
    """One sheet as rows of ``{column: value}`` with the spreadsheet row number."""

    def __init__(self, name: str, rows: list[tuple]):
        self.name = name
        self.headers: list[str] = []
        self.rows: list[tuple[int, dict]] = []
        if not rows:
            return
        self.headers = [str(h).strip() if h is not None else "" for h in rows[0]]
        for number, values in enumerate(rows[1:], start=2):
            row = {}
            for header, value in zip(self.headers, values):
                if header and value is not None and str(value).strip() != "":
                    row[self._key(header)] = value.strip() if isinstance(value, str) else value
            if row:
                self.rows.append((number, row))

    @staticmethod
    def _key(header: str) -> str:
        """Normalise 'Label::English (en)' / 'label:English' to 'label::en', 'list name' to
        'list_name'; assessor:: columns keep their name but get the same language suffix."""
        low = header.strip()
        parts = re.split(r"::?", low, maxsplit=2 if low.lower().startswith("assessor") else 1)
        head = parts[0].lower().replace(" ", "_")
        if head == "assessor" and len(parts) >= 2:
            head = "assessor::" + parts[1].lower()
            rest = parts[2] if len(parts) == 3 else None
        else:
            rest = parts[1] if len(parts) == 2 else None
        if rest is None:
            return head
        return f"{head}::{_lang_of(rest)}"


def _text(row: dict, prefix: str, fallback: str | None = None) -> dict | None:
    """Bilingual text from ``prefix::id`` / ``prefix::en`` / plain ``prefix`` / another language."""
    plain = row.get(prefix)
    other = next((v for k, v in row.items() if k == f"{prefix}::?"), None)
    id_ = row.get(f"{prefix}::id")
    en = row.get(f"{prefix}::en")
    id_ = id_ if id_ is not None else (plain if plain is not None else (en if en is not None else other))
    en = en if en is not None else (plain if plain is not None else (id_ if id_ is not None else other))
    if id_ is None and en is None:
        return {"id": fallback, "en": fallback} if fallback else None
    return {"id": str(id_), "en": str(en)}


def _flag(value: Any, where: str) -> bool:
    text = str(value).strip().lower()
    if text in ("yes", "true", "true()", "1"):
        return True
    if text in ("no", "false", "false()", "0"):
        return False
    raise _Skip(where, _("{value} is not yes or no (expressions cannot map)").format(
        value=repr(str(value))))


class _Skip(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


REFUSED_TYPES = {
    "calculate": N_("a calculation has no checklist equivalent"),
    "note": N_("a note shows text only; put it in the section description or an item's guidance"),
    "begin_loop": N_("loops over a choice list cannot map"),
    "end_loop": N_("loops over a choice list cannot map"),
}


class _Reader:
    def __init__(self, name: str, sheets: dict[str, _Sheet]):
        self.name = name
        self.sheets = sheets
        self.skipped: list[tuple[str, str]] = []
        self.choices: dict[str, list[tuple[int, dict]]] = {}
        for number, row in sheets["choices"].rows if "choices" in sheets else []:
            list_name = row.get("list_name")
            if list_name is not None:
                self.choices.setdefault(str(list_name), []).append((number, row))

    def skip(self, sheet: str, number: int, column: str | None, message: str) -> None:
        where = _("{sheet} row {row}").format(sheet=sheet, row=number)
        if column:
            where += ", " + _("column {column}").format(column=repr(column))
        self.skipped.append((f"{self.name}: {where}", message))

    # ----------------------------------------------------------------- survey
    def survey(self) -> list[dict]:
        root: dict = {"sections": [], "items": []}
        stack: list[tuple[dict, int, str, str | None]] = [(root, 0, "root", None)]
        skipping = 0   # depth inside a refused group or loop
        for number, row in self.sheets["survey"].rows:
            kind = re.sub(r"\s+", " ", str(row.get("type", "")).strip())
            norm = kind.lower().replace(" ", "_")
            if skipping:
                if norm.startswith(("begin_group", "begin_repeat", "begin_loop")):
                    skipping += 1
                elif norm in ("end_group", "end_repeat", "end_loop"):
                    skipping -= 1
                continue
            if not kind:
                self.skip("survey", number, "type", _("the row has no type"))
                continue
            if norm in ("end_group", "end_repeat"):
                if len(stack) == 1:
                    self.skip("survey", number, "type", _("end without a matching begin"))
                    continue
                node, begin_row, _kind, relevant = stack.pop()
                if not node.get("sections") and not node.get("items"):
                    self.skip("survey", begin_row, None, _("the group has nothing that can map"))
                    continue
                for key in ("sections", "items"):
                    if not node[key]:
                        del node[key]
                stack[-1][0]["sections"].append(node)
                continue
            try:
                if norm.startswith(("begin_group", "begin_repeat")):
                    section = self.section(norm, row, number, stack)
                    relevant = stack[-1][3]
                    if row.get("relevant"):
                        own = self.condition(row["relevant"])
                        relevant = f"({relevant}) and ({own})" if relevant else own
                    stack.append((section, number, norm, relevant))
                    continue
                if norm.split(" ")[0] in REFUSED_TYPES or norm == "begin_loop" or \
                        norm.startswith("begin_loop"):
                    key = "begin_loop" if norm.startswith("begin_loop") else norm
                    if key == "begin_loop":
                        skipping = 1
                    raise _Skip("type", _(REFUSED_TYPES[key]))
                item = self.item(kind, norm, row)
                parent_relevant = stack[-1][3]
                if parent_relevant:
                    own = item.get("relevant")
                    item["relevant"] = (f"({parent_relevant}) and ({own})" if own
                                        else parent_relevant)
                item["_row"] = number
                stack[-1][0]["items"].append(item)
            except _Skip as exc:
                self.skip("survey", number, exc.column, exc.message)
                if norm.startswith(("begin_group", "begin_repeat")):
                    skipping = 1
        if len(stack) > 1:
            self.skip("survey", stack[-1][1], "type", _("the group is never closed with an end row"))
            while len(stack) > 1:
                node = stack.pop()[0]
                for key in ("sections", "items"):
                    if not node[key]:
                        del node[key]
                if node.get("sections") or node.get("items"):
                    stack[-1][0]["sections"].append(node)
        sections = list(root["sections"])
        if root["items"]:  # items outside any group: one section of their own, first
            sections.insert(0, {"id": "_umum", "title": {"id": "Umum", "en": "General"},
                                "items": root["items"]})
        self.drop_dangling(sections)
        return sections

    def section(self, norm: str, row: dict, number: int, stack) -> dict:
        name = str(row.get("name", ""))
        if not ID_RE.match(name):
            raise _Skip("name", _("{name} is not a usable id (letters, digits and _)").format(
                name=repr(name)))
        section: dict[str, Any] = {"id": name, "title": _text(row, "label", name),
                                   "sections": [], "items": []}
        description = _text(row, "assessor::description")
        if description:
            section["description"] = description
        weight = _number(row.get("assessor::weight"))
        if weight is not None:
            section["weight"] = weight
        if norm.startswith("begin_repeat"):
            if any(kind.startswith("begin_repeat") for _n, _r, kind, _c in stack[1:]):
                raise _Skip("type", _("repeats inside repeats cannot map (sample groups cannot "
                                      "be nested)"))
            count = row.get("repeat_count")
            default = _number(count) if count is not None else 1
            if not isinstance(default, int) or default < 1:
                raise _Skip("repeat_count", _("only a fixed number of repeats can map, not {value}")
                            .format(value=repr(str(count))))
            lo = _number(row.get("assessor::sample_min"))
            hi = _number(row.get("assessor::sample_max"))
            section["sample"] = {"label": _text(row, "assessor::sample_label", None)
                                 or section["title"],
                                 "min": lo if isinstance(lo, int) else 1,
                                 "max": hi if isinstance(hi, int) else max(default, 10),
                                 "default": default}
        self.extra(section, row)
        return section

    def condition(self, text: str) -> str:
        try:
            return from_xpath(str(text))
        except XPathUnsupported as exc:
            raise _Skip("relevant", str(exc)) from None

    @staticmethod
    def extra(raw: dict, row: dict) -> None:
        if row.get("assessor::extra"):
            try:
                extra = json.loads(row["assessor::extra"])
            except ValueError:
                raise _Skip("assessor::extra", _("is not valid JSON")) from None
            if isinstance(extra, dict):
                raw.update(extra)

    def options(self, list_name: str, scale: bool) -> list[dict]:
        rows = self.choices.get(list_name)
        if not rows:
            raise _Skip("type", _("the choice list {name} is not on the choices sheet").format(
                name=repr(list_name)))
        out = []
        for number, row in rows:
            value: Any = row.get("name")
            if scale:
                value = _number(value)
                if not isinstance(value, int):
                    raise _Skip("type", _("choices row {row}: scale points must be whole numbers")
                                .format(row=number))
            else:
                value = str(value) if not isinstance(value, float) else f"{value:g}"
            opt: dict[str, Any] = {"value": value, "label": _text(row, "label", str(value))}
            row = {k.replace("assessor_", "assessor::", 1) if k.startswith("assessor_") else k: v
                   for k, v in row.items()}
            score = _number(row.get("assessor::score"))
            if score is not None:
                opt["score"] = score
            for key in ("na", "exclusive"):
                if row.get(f"assessor::{key}") is not None:
                    opt[key] = _flag(row[f"assessor::{key}"], f"assessor::{key}")
            self.extra(opt, row)
            out.append(opt)
        return out

    def item(self, kind: str, norm: str, row: dict) -> dict:
        name = str(row.get("name", ""))
        if not ID_RE.match(name):
            raise _Skip("name", _("{name} is not a usable id (letters, digits and _)").format(
                name=repr(name)))
        if row.get("choice_filter"):
            raise _Skip("choice_filter", _("choice filters cannot map"))
        wanted = str(row.get("assessor::type", "")).strip() or None
        old = _OLD_SELECT.match(kind)
        if old:
            base_name = "select_one" if old.group(1).lower() == "one" else "select_multiple"
            kind = f"{base_name} {old.group(2)}{old.group(3)}"
        if norm in ("phone_number", "phonenumber"):
            kind = "text"
        parts = kind.split(" ")
        base = parts[0].lower()
        if base in ("select_one", "select_multiple") or norm.startswith(("select_one_", "select_multiple_")):
            if base not in ("select_one", "select_multiple") or len(parts) != 2:
                raise _Skip("type", _("{type} cannot map (external choices, files and 'or "
                                      "other' are not supported)").format(type=repr(kind)))
            list_name = parts[1]
            names = [str(r.get("name")) for _n, r in self.choices.get(list_name, [])]
            if base == "select_multiple":
                out_type = "multi_choice"
            elif wanted in ("yes_no", "yes_no_na", "scale", "choice"):
                out_type = wanted
            elif sorted(names) == ["no", "yes"]:
                out_type = "yes_no"
            elif sorted(names) == ["na", "no", "yes"]:
                out_type = "yes_no_na"
            else:
                out_type = "choice"
            raw: dict[str, Any] = {"id": name, "type": out_type}
            if out_type in ("scale", "choice", "multi_choice"):
                raw["scale" if out_type == "scale" else "options"] = self.options(
                    list_name, out_type == "scale")
        elif base in SIMPLE_TYPES:
            out_type = SIMPLE_TYPES[base]
            if base == "image" and "signature" in str(row.get("appearance", "")).lower():
                out_type = "signature"
            if base == "decimal" and wanted == "variable":     # a computed variable (issue 11)
                out_type = "variable"
            raw = {"id": name, "type": out_type}
        else:
            raise _Skip("type", _("the question type {type} has no checklist equivalent").format(
                type=repr(kind)))
        raw["text"] = _text(row, "label", name)
        for key, prefix in (("guidance", "hint"), ("finding", "assessor::finding"),
                            ("action", "assessor::action")):
            text = _text(row, prefix)
            if text:
                raw[key] = text
        if row.get("required") is not None:
            raw["required"] = _flag(row["required"], "required")
        if row.get("relevant"):
            mine = row.get("assessor::relevant")
            from .xpath import to_xpath
            if mine and _same_xpath(mine, row["relevant"], to_xpath):
                raw["relevant"] = str(mine)
            else:
                raw["relevant"] = self.condition(row["relevant"])
        if row.get("constraint"):
            self.constraint(raw, str(row["constraint"]))
        for key in ("weight", "pass_min", "pass_max", "evidence_photos"):
            value = row.get(f"assessor::{key}")
            if value is not None and _number(value) is None:
                raise _Skip(f"assessor::{key}", _("must be a number, not {value}").format(
                    value=repr(str(value))))
        if row.get("assessor::weight") is not None:
            raw["weight"] = _number(row["assessor::weight"])
        for key in ("legal", "unit"):
            if row.get(f"assessor::{key}") is not None:
                raw[key] = str(row[f"assessor::{key}"])
        passing = {k: _number(row[f"assessor::pass_{k}"]) for k in ("min", "max")
                   if row.get(f"assessor::pass_{k}") is not None}
        if passing:
            raw["pass"] = passing
        if row.get("assessor::na") is not None:
            raw["na"] = _flag(row["assessor::na"], "assessor::na")
        if row.get("assessor::evidence_when") is not None:
            raw["evidence"] = {"when": str(row["assessor::evidence_when"])}
            if row.get("assessor::evidence_photos") is not None:
                raw["evidence"]["photos"] = _number(row["assessor::evidence_photos"])
        self.extra(raw, row)
        return raw

    @staticmethod
    def constraint(raw: dict, text: str) -> None:
        parts = re.split(r"\s+and\s+", text.strip())
        if raw["type"] != "number" or len(parts) > 2:
            raise _Skip("constraint", _("only a range on a number (. >= 0 and . <= 10) can map"))
        for part in parts:
            m = _CONSTRAINT.match(part)
            if not m:
                raise _Skip("constraint", _("only a range on a number (. >= 0 and . <= 10) can "
                                            "map, not {part}").format(part=repr(part)))
            raw["min" if m.group(1) == ">=" else "max"] = _number(m.group(2))

    def drop_dangling(self, sections: list[dict]) -> None:
        """Skip items whose condition refers to an item that was not imported (repeat until
        nothing changes: dropping one may strand another)."""
        while True:
            items: list[tuple[dict, dict]] = []

            def walk(section):
                for sub in section.get("sections", []):
                    walk(sub)
                for item in section.get("items", []):
                    items.append((section, item))
            for s in sections:
                walk(s)
            known = {i["id"] for _s, i in items}
            dropped = False
            for section, item in items:
                if "relevant" not in item:
                    continue
                missing = sorted(parse(item["relevant"]).references() - known)
                if missing:
                    section["items"].remove(item)
                    self.skip("survey", item["_row"], "relevant", _(
                        "refers to {names}, which could not be imported").format(
                        names=", ".join(missing)))
                    dropped = True
            if not dropped:
                break
        for _s, item in items:
            item.pop("_row", None)
        self.prune(sections)

    def prune(self, sections: list[dict]) -> None:
        for s in list(sections):
            self.prune(s.get("sections", []))
            for key in ("sections", "items"):
                if key in s and not s[key]:
                    del s[key]
            if not s.get("sections") and not s.get("items"):
                sections.remove(s)

    # ----------------------------------------------------------------- settings, bands
    def top(self, sections: list[dict], stem: str) -> dict:
        settings = self.sheets["settings"].rows[0][1] if "settings" in self.sheets and \
            self.sheets["settings"].rows else {}
        form_id = str(settings.get("form_id") or re.sub(r"[^A-Za-z0-9_]", "_", stem) or "form")
        if not ID_RE.match(form_id):
            form_id = "f_" + re.sub(r"[^A-Za-z0-9_]", "_", form_id)[:60]
        version = settings.get("version")
        version = str(version) if version is not None else "1"
        if isinstance(settings.get("version"), float):
            version = f"{settings['version']:g}"
        title = _text(settings, "assessor::title") or _text(settings, "form_title", form_id)
        raw: dict[str, Any] = {"format": FORMAT, "id": form_id, "version": version,
                               "title": title}
        description = _text(settings, "assessor::description")
        if description:
            raw["description"] = description
        if settings.get("assessor::source") is not None:
            raw["source"] = str(settings["assessor::source"])
        elif _text(settings, "assessor::source"):
            raw["source"] = _text(settings, "assessor::source")
        raw["bands"] = self.bands()
        raw["sections"] = sections
        try:
            self.extra(raw, settings)
        except _Skip as exc:
            self.skip("settings", 2, exc.column, exc.message)
        return raw

    def bands(self) -> list[dict]:
        sheet = self.sheets.get(BANDS_SHEET)
        if sheet is None or not sheet.rows:
            return [dict(b) for b in DEFAULT_BANDS]
        bands = []
        for number, row in sheet.rows:
            band = {"id": str(row.get("id", "")), "label": _text(row, "label", str(row.get("id")))}
            for key in ("min", "max"):
                band[key] = _number(row.get(key)) if _number(row.get(key)) is not None else row.get(key)
            band["colour"] = str(row.get("colour", ""))
            band["zone"] = str(row.get("zone", ""))
            bands.append(band)
        return bands


def _same_xpath(condition: str, xpath: Any, to_xpath) -> bool:
    try:
        return to_xpath(parse(str(condition))) == str(xpath).strip()
    except Exception:  # noqa: BLE001 - a broken assessor::relevant simply is not used
        return False


def load_workbook_sheets(path: str | Path) -> dict[str, _Sheet]:
    """The sheets of an .xlsx file by lower-case name; raises XLSFormError."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        if path.stat().st_size > MAX_XLSFORM_BYTES:
            raise XLSFormError(_("{name}: the file is larger than {limit} MB").format(
                name=path.name, limit=MAX_XLSFORM_BYTES // (1024 * 1024)))
        book = load_workbook(path, read_only=True, data_only=True)
    except XLSFormError:
        raise
    except OSError as exc:
        raise XLSFormError(_("{name}: cannot be read: {reason}").format(
            name=path.name, reason=exc.strerror or exc)) from None
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise XLSFormError(_("{name}: is not an .xlsx workbook (or it is damaged)").format(
            name=path.name)) from None
    try:
        sheets = {ws.title.strip().lower(): _Sheet(ws.title, list(ws.iter_rows(values_only=True)))
                  for ws in book.worksheets}
    finally:
        book.close()
    if "survey" not in sheets:
        raise XLSFormError(_("{name}: an XLSForm needs a sheet called survey").format(name=path.name))
    return sheets


def read_xlsform(path: str | Path) -> tuple[dict, list[tuple[str, str]]]:
    """``(template dict, skipped rows)`` for an XLSForm file; see the module docstring."""
    path = Path(path)
    reader = _Reader(path.name, load_workbook_sheets(path))
    sections = reader.survey()
    raw = reader.top(sections, path.stem)
    if not sections:
        raise TemplateInvalid(reader.skipped[:50] + [(path.name, _(
            "no row of the survey sheet can map to a checklist item"))])
    return raw, reader.skipped


def is_xlsform(path: str | Path) -> bool:
    return Path(path).suffix.lower() in (".xlsx", ".xlsm")


__all__ = ["read_xlsform", "is_xlsform", "XLSFormError", "YES_NO"]


def load_any(path: str | Path):
    """``(Template, skipped rows)`` for a YAML/JSON template or an XLSForm workbook."""
    from .loader import build_template, load_template
    if is_xlsform(path):
        raw, skipped = read_xlsform(path)
        return build_template(raw, Path(path).name), skipped
    return load_template(path), []
