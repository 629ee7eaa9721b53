"""Checking an answer value against its item before it is stored.

Answer values by item type (the same in the store, the exchange format and the scoring engine):

=============== ==========================================================================
yes_no          ``"yes"`` or ``"no"``
yes_no_na       ``"yes"``, ``"no"`` or ``"na"``
scale           a scale point (int), or ``"na"`` where the item allows N.A.
choice          an option value (str), or ``"na"`` where the item allows N.A.
multi_choice    a list of option values (kept in template order, no repeats)
number          an int or float inside the item's min..max
text            a string (at most 20,000 characters)
date            ``"YYYY-MM-DD"``
location        ``{"lat": -6.2, "lon": 106.8}`` with an optional ``"accuracy"`` in metres
photo           not set directly: attach evidence to the item
signature       ``{"sha256": ..., "name": ..., "role": ..., "signed_at": ...}``, set by signing
=============== ==========================================================================
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .errors import AnswerInvalid
from .i18n import _
from .templates.model import NA, Item

MAX_TEXT = 20_000
_SHA = re.compile(r"^[0-9a-f]{64}$")


def _fail(item: Item, message: str) -> AnswerInvalid:
    return AnswerInvalid(f"{item.number} {item.id}: {message}")


def validate_answer(item: Item, value: Any) -> Any:
    """Return the normalised value for ``item`` or raise AnswerInvalid. ``None`` clears."""
    if value is None:
        return None
    kind = item.type
    if kind == "variable":
        return _variable(item, value)
    if value == NA and kind not in ("text", "date"):
        if item.allow_na or any(o.na and o.value == NA for o in item.options):
            return NA
        raise _fail(item, _("N.A. is not allowed for this item"))
    if kind in ("yes_no", "yes_no_na"):
        if value in ("yes", "no"):
            return value
        raise _fail(item, (_("answer must be yes or no or na, not {value}") if item.allow_na
                           else _("answer must be yes or no, not {value}")).format(value=repr(value)))
    if kind == "scale":
        if isinstance(value, bool) or not isinstance(value, int) or item.option(value) is None:
            points = ", ".join(str(o.value) for o in item.options)
            raise _fail(item, _("answer must be one of the scale points {points}, not {value}")
                        .format(points=points, value=repr(value)))
        return value
    if kind == "choice":
        if not isinstance(value, str) or item.option(value) is None:
            raise _fail(item, _("{value} is not one of the options {options}").format(
                value=repr(value), options=", ".join(str(o.value) for o in item.options)))
        return value
    if kind == "multi_choice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _fail(item, _("answer must be a list of option values"))
        unknown = [v for v in value if item.option(v) is None]
        if unknown:
            raise _fail(item, _("unknown option(s) {options}").format(
                options=", ".join(map(repr, unknown))))
        lone = [v for v in value if item.option(v).exclusive]
        if lone and len(set(value)) > 1:
            raise _fail(item, _("{option} cannot be combined with other options").format(
                option=repr(lone[0])))
        return [o.value for o in item.options if o.value in value]
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _fail(item, _("answer must be a number, not {value}").format(value=repr(value)))
        if item.min is not None and value < item.min:
            raise _fail(item, _("{value} is below the minimum {minimum}").format(
                value=value, minimum=f"{item.min}{' ' + item.unit if item.unit else ''}"))
        if item.max is not None and value > item.max:
            raise _fail(item, _("{value} is above the maximum {maximum}").format(
                value=value, maximum=f"{item.max}{' ' + item.unit if item.unit else ''}"))
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise _fail(item, _("answer must be text"))
        if len(value) > MAX_TEXT:
            raise _fail(item, _("text is {length} characters; the limit is {limit}").format(
                length=len(value), limit=MAX_TEXT))
        return value
    if kind == "date":
        try:
            return dt.date.fromisoformat(value).isoformat() if isinstance(value, str) and len(value) == 10 \
                else _bad_date()
        except ValueError:
            raise _fail(item, _("date must be written YYYY-MM-DD, not {value}").format(
                value=repr(value))) from None
    if kind == "location":
        if not isinstance(value, dict) or set(value) - {"lat", "lon", "accuracy"}:
            raise _fail(item, _("location must be {lat, lon} with an optional accuracy"))
        lat, lon = value.get("lat"), value.get("lon")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                   for v in (lat, lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _fail(item, _("latitude must be within -90..90 and longitude within -180..180"))
        acc = value.get("accuracy")
        if acc is not None and (not isinstance(acc, (int, float)) or isinstance(acc, bool)
                                or not math.isfinite(acc) or acc < 0):
            raise _fail(item, _("accuracy must be metres, 0 or more"))
        return dict(value)
    if kind == "signature":
        if not isinstance(value, dict) or not _SHA.match(str(value.get("sha256", ""))):
            raise _fail(item, _("a signature answer carries the drawn image's sha256"))
        return {k: value[k] for k in ("sha256", "name", "role", "signed_at") if k in value}
    if kind == "photo":
        raise _fail(item, _("attach a photo to this item instead of typing an answer"))
    raise _fail(item, _("unknown item type {type}").format(type=repr(kind)))


def _bad_date():
    raise ValueError("bad date")


def _variable(item: Item, value: Any) -> Any:
    """A computed variable's value (``corrective_action_compliance``: the counts from the action
    register, see assessor_app.actions), or ``"na"``."""
    from .actions import variable_ratio
    if value == NA:
        return NA
    if isinstance(value, dict) and variable_ratio(value) is not None:
        return {"fully": int(value["fully"]), "partly": int(value["partly"]),
                "applicable": int(value["applicable"]),
                "partly_weight": str(value.get("partly_weight", "1/2"))}
    raise _fail(item, _("this value is computed from the corrective-action register; it is not "
                        "entered by hand"))
