"""A readable difference between two template versions.

``diff_templates(old, new)`` compares two raw template dicts (or :class:`Template` objects) by id:
items and sections added, removed, moved or changed (field by field: text, weight, options,
conditions, ...), bands added, removed or changed, and the top-level fields. ``format_diff``
writes it as lines a person reads, e.g.::

    ~ item apar_jarak: weight 1 -> 2
    + item apar_label (section alat_pemadam): Label APAR terbaca
    - band E
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import _
from .model import Template


@dataclass(frozen=True)
class Change:
    """One difference. ``kind`` is "added", "removed" or "changed"; ``what`` is "item",
    "section", "band" or "template"; ``key`` the id; ``field`` what changed (for "changed")."""

    kind: str
    what: str
    key: str
    field: str = ""
    old: Any = None
    new: Any = None


@dataclass
class TemplateDiff:
    old: tuple[str, str]
    new: tuple[str, str]
    changes: list[Change] = field(default_factory=list)

    def of(self, what: str, kind: str | None = None) -> list[Change]:
        return [c for c in self.changes if c.what == what and (kind is None or c.kind == kind)]

    @property
    def empty(self) -> bool:
        return not self.changes


def _body(t: Template | dict) -> dict:
    return t.body if isinstance(t, Template) else t


def _walk(sections: list[dict], parent: str = "", out_sections=None, out_items=None):
    out_sections = {} if out_sections is None else out_sections
    out_items = {} if out_items is None else out_items
    for pos, sec in enumerate(sections):
        out_sections[sec["id"]] = (parent, pos, sec)
        _walk(sec.get("sections", []), sec["id"], out_sections, out_items)
        for ipos, item in enumerate(sec.get("items", [])):
            out_items[item["id"]] = (sec["id"], ipos, item)
    return out_sections, out_items


def _fields(raw: dict, skip: tuple[str, ...]) -> dict:
    return {k: v for k, v in raw.items() if k not in skip}


def _compare(out: list[Change], what: str, key: str, old: dict, new: dict) -> None:
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            out.append(Change("changed", what, key, name, old.get(name), new.get(name)))


def diff_templates(old: Template | dict, new: Template | dict) -> TemplateDiff:
    a, b = _body(old), _body(new)
    result = TemplateDiff((a["id"], str(a["version"])), (b["id"], str(b["version"])))
    out = result.changes
    _compare(out, "template", a["id"], _fields(a, ("bands", "sections", "version", "format")),
             _fields(b, ("bands", "sections", "version", "format")))
    sa, ia = _walk(a["sections"])
    sb, ib = _walk(b["sections"])
    for key in sb.keys() - sa.keys():
        out.append(Change("added", "section", key, new=sb[key][2]))
    for key in sa.keys() - sb.keys():
        out.append(Change("removed", "section", key, old=sa[key][2]))
    for key in sorted(sa.keys() & sb.keys()):
        (pa, _p1, x), (pb, _p2, y) = sa[key], sb[key]
        if pa != pb:
            out.append(Change("changed", "section", key, "parent", pa, pb))
        _compare(out, "section", key, _fields(x, ("sections", "items")),
                 _fields(y, ("sections", "items")))
    for key in [k for k in ib if k not in ia]:
        out.append(Change("added", "item", key, new=ib[key][2], field=ib[key][0]))
    for key in [k for k in ia if k not in ib]:
        out.append(Change("removed", "item", key, old=ia[key][2], field=ia[key][0]))
    for key in [k for k in ia if k in ib]:
        (sa_, _p1, x), (sb_, _p2, y) = ia[key], ib[key]
        if sa_ != sb_:
            out.append(Change("changed", "item", key, "section", sa_, sb_))
        _compare(out, "item", key, x, y)
    ba = {band["id"]: band for band in a["bands"]}
    bb = {band["id"]: band for band in b["bands"]}
    for key in bb.keys() - ba.keys():
        out.append(Change("added", "band", key, new=bb[key]))
    for key in ba.keys() - bb.keys():
        out.append(Change("removed", "band", key, old=ba[key]))
    for key in sorted(ba.keys() & bb.keys()):
        _compare(out, "band", key, ba[key], bb[key])
    return result


def _short(value: Any, lang: str) -> str:
    if isinstance(value, dict) and set(value) == {"id", "en"}:
        value = value[lang] or value["id"]
    elif isinstance(value, (dict, list)):
        import json
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif value is None:
        return "-"
    text = str(value)
    return text if len(text) <= 70 else text[:69] + "\u2026"


def describe(change: Change, lang: str = "id") -> str:
    """One line for a change, in the user's language."""
    names = {"item": _("item"), "section": _("section"), "band": _("band"),
             "template": _("template")}
    what = names[change.what]
    if change.kind == "added":
        raw = change.new or {}
        title = raw.get("text") or raw.get("title") or raw.get("label")
        where = (" (" + _("section {id}").format(id=change.field) + ")") if change.field else ""
        return f"+ {what} {change.key}{where}: {_short(title, lang)}"
    if change.kind == "removed":
        raw = change.old or {}
        title = raw.get("text") or raw.get("title") or raw.get("label")
        return f"- {what} {change.key}: {_short(title, lang)}"
    return (f"~ {what} {change.key}: {change.field} {_short(change.old, lang)} -> "
            f"{_short(change.new, lang)}")


def format_diff(diff: TemplateDiff, lang: str = "id") -> str:
    """The whole diff as text: a heading, then one line per change (items, sections, bands)."""
    head = _("{template} {old} -> {new}: {count} changes").format(
        template=diff.new[0], old=diff.old[1], new=diff.new[1], count=len(diff.changes))
    if diff.empty:
        return head + "\n" + _("no differences")
    order = {"template": 0, "section": 1, "item": 2, "band": 3}
    kinds = {"added": 0, "removed": 1, "changed": 2}
    lines = [describe(c, lang) for c in sorted(diff.changes, key=lambda c: (
        order[c.what], kinds[c.kind]))]
    return "\n".join([head, *lines])
