"""One validation, at entry, for every free field an assessment carries.

The limits are read from the exchange schema (resources/schemas/exchange.schema.json), so what the
store accepts is exactly what an export, an import elsewhere and the server accept. Dates are ISO
``YYYY-MM-DD`` calendar dates. Every check raises :class:`FieldInvalid` with one clear line
naming the field; the store calls these before it writes, so the Edit-details dialog, the CLI and
imports get the same answer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from typing import Any

from ..errors import UserError
from ..i18n import _

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class FieldInvalid(UserError):
    """A field's value cannot be stored (too long, not a date, wrong type)."""


@lru_cache(maxsize=1)
def _props() -> dict:
    import json
    from ..paths import resource   # the schema file itself: no jsonschema import on this path
    return json.loads(resource("schemas", "exchange.schema.json").read_text("utf-8"))["properties"]


def _limit(*path: str) -> int:
    node: Any = _props()
    for key in path:
        node = node[key]
    return node["maxLength"]


def _label(field: str) -> str:
    return {"unit": _("unit name"), "agency": _("agency"), "address": _("address"),
            "visit_dates": _("visit date"), "inspectors": _("inspector"), "notes": _("notes"),
            "note": _("note"), "caption": _("caption"), "text": _("finding text"),
            "action": _("corrective action"), "responsible": _("responsible person"),
            "due_date": _("due date"), "name": _("signer's name"), "title": _("signer's title"),
            }.get(field, field)


def check_text(field: str, value, limit: int, *, required: bool = False) -> str:
    """``value`` as stored: a string of at most ``limit`` characters without NUL."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise FieldInvalid(_("{field}: must be text").format(field=_label(field)))
    if required and not value.strip():
        raise FieldInvalid(_("{field}: must not be empty").format(field=_label(field)))
    if len(value) > limit:
        raise FieldInvalid(_("{field}: {length} characters is too long (at most {limit})").format(
            field=_label(field), length=len(value), limit=limit))
    if "\x00" in value or any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise FieldInvalid(_("{field}: contains characters that cannot be stored").format(
            field=_label(field)))
    return value


def check_date(field: str, value, *, allow_empty: bool = True) -> str:
    """An ISO calendar date ``2026-11-02`` (or "" when ``allow_empty``)."""
    if allow_empty and value in (None, ""):
        return ""
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            dt.date.fromisoformat(value.strip())
            return value.strip()
        except ValueError:
            pass
    raise FieldInvalid(_("{field}: {value} is not a date; write it as YYYY-MM-DD, e.g. "
                         "2026-11-02").format(field=_label(field), value=repr(value)[:60]))


def check_unit(unit: dict) -> dict:
    if not isinstance(unit, dict):
        raise FieldInvalid(_("the unit details must be a mapping"))
    p = _props()["unit"]["properties"]
    out = dict(unit)
    out["unit"] = check_text("unit", unit.get("unit"), p["unit"]["maxLength"], required=True)
    for key in ("agency", "address"):
        out[key] = check_text(key, unit.get(key, ""), p[key]["maxLength"])
    for key, value in unit.items():
        if key in ("unit", "agency", "address"):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            raise FieldInvalid(_("{field}: must be a finite number").format(field=key))
        if isinstance(value, str):
            check_text(key, value, p["agency"]["maxLength"])
        elif value is not None and not isinstance(value, (int, float, bool)):
            raise FieldInvalid(_("{field}: must be text, a number or yes/no").format(field=key))
    return out


def check_visit_dates(dates) -> list[str]:
    dates = list(dates or [])
    limit = _props()["visit_dates"]["maxItems"]
    if len(dates) > limit:
        raise FieldInvalid(_("at most {limit} visit dates").format(limit=limit))
    return [check_date("visit_dates", d, allow_empty=False) for d in dates]


def check_inspectors(names) -> list[str]:
    names = list(names or [])
    spec = _props()["people"]["properties"]["inspectors"]
    if len(names) > spec["maxItems"]:
        raise FieldInvalid(_("at most {limit} inspectors").format(limit=spec["maxItems"]))
    return [check_text("inspectors", str(n) if not isinstance(n, str) else n,
                       spec["items"]["maxLength"]) for n in names]


def check_notes(notes) -> str:
    return check_text("notes", notes, _limit("assessment", "properties", "notes"))


def check_item_note(note) -> str:
    return check_text("note", note, _props()["answers"]["items"]["properties"]["note"]["maxLength"])


def check_caption(caption) -> str:
    return check_text("caption", caption,
                      _props()["evidence"]["items"]["properties"]["caption"]["maxLength"])


def check_finding(record: dict) -> dict:
    p = _props()["findings"]["items"]["properties"]
    out = dict(record)
    for key in ("text", "action", "responsible"):
        if key in record:
            out[key] = check_text(key, record[key], p[key]["maxLength"], required=key == "text")
    if "due_date" in record:
        out["due_date"] = check_date("due_date", record["due_date"])
    return out


def check_signer(name, title) -> tuple[str, str]:
    p = _props()["signatures"]["items"]["properties"]
    return (check_text("name", name, p["name"]["maxLength"], required=True),
            check_text("title", title, p["title"]["maxLength"]))


def check_details(fields: dict) -> dict:
    """The keyword arguments of ``update_details`` checked and normalised."""
    out = {}
    for key, value in fields.items():
        if key == "visit_dates":
            out[key] = check_visit_dates(value)
        elif key == "inspectors":
            out[key] = check_inspectors(value)
        elif key == "notes":
            out[key] = check_notes(value)
        else:
            out[key] = value
    unit_part = {k: v for k, v in out.items() if k not in ("visit_dates", "inspectors", "notes")}
    if unit_part:
        probe = check_unit({"unit": "x", **unit_part})
        out.update({k: probe[k] for k in unit_part})
    return out
