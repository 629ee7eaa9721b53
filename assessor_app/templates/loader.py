"""Reading and validating checklist templates (format ``assessor-template/1``).

``load_template(path)`` reads YAML or JSON, checks it against
``resources/schemas/template.schema.json`` (structure, unknown keys, types) and then against the
rules a schema cannot express (duplicate ids, band coverage, weights, ranges, conditions and
their cycles). Every problem is reported at once in :class:`TemplateInvalid`, each naming the
file and the path inside it, e.g. ``fire.yaml: sections[2].items[5].weight: must be ...``.
"""

from __future__ import annotations

import hashlib
import json
import math
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import TemplateInvalid
from ..fileio import read_input
from ..i18n import _
from ..paths import resource
from .conditions import ConditionError, parse as parse_condition
from .model import (
    Band, EvidenceRule, Item, Option, SampleSpec, Section, Template, Text,
)
from .rules import check_bands, check_conditions

MAX_TEMPLATE_BYTES = 8 * 1024 * 1024
FORMAT = "assessor-template/1"
MAX_DEPTH = 64                 # a real template nests about 12 levels deep
MAX_SAFE_INT = 2 ** 53         # beyond this a number is not exact in JSON elsewhere


@lru_cache(maxsize=1)
def _no_alias_loader():
    """A SafeLoader that refuses anchors/aliases (no "billion laughs" expansion). Made on first
    use: PyYAML is imported only by the commands that read template files."""
    import yaml

    class _NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, _("YAML aliases (*name) are not allowed in templates"),
                    event.start_mark)
            return super().compose_node(parent, index)

    return _NoAliasLoader


@lru_cache(maxsize=1)
def template_schema() -> dict:
    return json.loads(resource("schemas", "template.schema.json").read_text("utf-8"))


def canonical_json(data: Any) -> str:
    """The canonical text hashed for templates and exchange files (sorted keys, compact, UTF-8)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def body_hash(body: dict) -> str:
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def parse_text(text: str, name: str) -> dict:
    """Parse YAML (or JSON, which is YAML) text into a dict, or raise TemplateInvalid."""
    import yaml
    try:
        data = yaml.load(text, Loader=_no_alias_loader())  # noqa: S506 - safe loader subclass
    except RecursionError:
        raise TemplateInvalid([(name, _("nested too deeply"))]) from None
    except (ValueError, OverflowError) as exc:  # e.g. a number the YAML resolver cannot take
        raise TemplateInvalid([(name, _("not valid YAML/JSON: {problem}").format(
            problem=str(exc)[:200]))]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark:
            message = _("not valid YAML/JSON (line {line}, column {column}): {problem}").format(
                line=mark.line + 1, column=mark.column + 1, problem=problem)
        else:
            message = _("not valid YAML/JSON: {problem}").format(problem=problem)
        raise TemplateInvalid([(name, message)]) from None
    if not isinstance(data, dict):
        raise TemplateInvalid([(name, _("a template must be a mapping with format, id, version, ..."))])
    check_values(data, name)
    return data


def check_values(data: Any, name: str, error=None) -> None:
    """Refuse what JSON elsewhere cannot carry exactly: NaN and infinite numbers, integers past
    2**53, strings with lone surrogates or NUL, keys that are not strings, nesting deeper than
    ``MAX_DEPTH``. Raises ``error`` (default TemplateInvalid) naming the first place."""
    def fail(where: str, message: str):
        if error is not None:
            raise error(f"{name}: {where}: {message}" if where else f"{name}: {message}")
        raise TemplateInvalid([(f"{name}: {where}" if where else name, message)])
    stack = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            fail(where, _("nested too deeply (more than {limit} levels)").format(limit=MAX_DEPTH))
        if isinstance(value, dict):
            for key, sub in value.items():
                if not isinstance(key, str):
                    fail(where, _("key {key} is not text").format(key=repr(key)[:40]))
                stack.append((key, where, depth + 1))
                stack.append((sub, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((sub, f"{where}[{i}]", depth + 1) for i, sub in enumerate(value))
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, float):
            if not math.isfinite(value):
                fail(where, _("{value} is not a number; give a finite number").format(
                    value=repr(value)))
        elif isinstance(value, int):
            if abs(value) > MAX_SAFE_INT:
                fail(where, _("the number is too large (at most {limit})").format(
                    limit=MAX_SAFE_INT))
        elif isinstance(value, str):
            if "\x00" in value or any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
                fail(where, _("contains broken Unicode or NUL characters"))


def read_template_file(path: str | Path) -> dict:
    """Read a template file into its raw dict (no validation beyond parsing)."""
    path = Path(path)
    name = path.name
    raw = read_input(path, MAX_TEMPLATE_BYTES, label=name, error=_template_read_error)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateInvalid([(name, _("is not UTF-8 text (byte {position})").format(
            position=exc.start))]) from None
    return parse_text(text, name)


def _template_read_error(message: str) -> TemplateInvalid:
    return TemplateInvalid([("", message)])


def load_template(path: str | Path) -> Template:
    """Read and validate a template file; raises TemplateInvalid listing every problem."""
    return build_template(read_template_file(path), Path(path).name)


def _json_path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def schema_problems(data: dict, name: str) -> list[tuple[str, str]]:
    import jsonschema      # only for templates not yet validated (a snapshot skips it)
    validator = jsonschema.Draft202012Validator(template_schema())
    problems = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where = _json_path(err.absolute_path)
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            keys = ", ".join(map(repr, extra))
            message = (_("unknown keys {keys}") if len(extra) > 1
                       else _("unknown key {keys}")).format(keys=keys)
        elif err.validator == "required":
            # jsonschema says "'id' is a required property"; the key itself stays as it is
            key, sep, rest = err.message.partition(" is a required property")
            message = _("{key} is required").format(key=key) + rest if sep else err.message
        elif err.validator == "const" and err.absolute_path and err.absolute_path[-1] == "format":
            message = _("format must be {format}").format(format=repr(FORMAT))
        else:
            message = err.message
            if len(message) > 200:
                message = message[:200] + "..."
        problems.append((f"{name}: {where}" if where else name, message))
    return problems


def build_template(data: dict, name: str = "<template>", *, trusted: bool = False) -> Template:
    """Validate a raw template dict and build the immutable :class:`Template`.

    ``trusted=True`` skips the JSON-schema pass (the semantic checks still run); use it only
    for snapshots this store validated when they were imported."""
    if not trusted:
        check_values(data, name)
    problems = [] if trusted else schema_problems(data, name)
    if problems:
        raise TemplateInvalid(problems[:50])
    builder = _Builder(name)
    template = builder.build(data)
    if builder.problems:
        raise TemplateInvalid(builder.problems[:50])
    return template


def _raw_scored(section: dict) -> bool:
    """Whether a raw section (or its sub-sections) holds an item that can earn points."""
    for item in section.get("items", []) if isinstance(section.get("items"), list) else []:
        if not isinstance(item, dict) or item.get("weight", 1) == 0:
            continue
        kind = item.get("type")
        if kind in ("yes_no", "yes_no_na", "scale", "variable") or (kind == "number" and "pass" in item):
            return True
        if kind in ("choice", "multi_choice") and any(
                isinstance(o, dict) and o.get("score") for o in item.get("options", []) or []):
            return True
    subs = section.get("sections", [])
    return any(_raw_scored(s) for s in subs if isinstance(s, dict)) if isinstance(subs, list) else False


def _text(raw: dict | None) -> Text | None:
    return Text(raw["id"], raw["en"]) if raw else None


def _fraction(value) -> Fraction:
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(Decimal(str(value)))


class _Builder:
    def __init__(self, name: str):
        self.name = name
        self.problems: list[tuple[str, str]] = []
        self.ids: dict[str, str] = {}
        self.items: dict[str, Item] = {}
        self.sections: dict[str, Section] = {}
        self.item_where: dict[str, str] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append((f"{self.name}: {where}", message))

    def claim_id(self, ident: str, where: str) -> None:
        if ident in self.ids:
            self.problem(f"{where}.id", _("duplicate id {id} (already used at {where})").format(
                id=repr(ident), where=self.ids[ident]))
        else:
            self.ids[ident] = where

    def build(self, data: dict) -> Template:
        bands = tuple(
            Band(b["id"], _text(b["label"]), Decimal(str(b["min"])), Decimal(str(b["max"])),
                 b["colour"].upper(), b["zone"]) for b in data["bands"])
        for where, message in check_bands(bands):
            self.problem(where, message)
        self.check_sibling_weights(data["sections"], "sections")
        sections = tuple(self.section(raw, f"sections[{i}]", str(i + 1), None)
                         for i, raw in enumerate(data["sections"]))
        order: tuple[str, ...] = ()
        if not self.problems:
            order, problems = check_conditions(self.items, self.item_where)
            for where, message in problems:
                self.problem(where, message)
        return Template(
            id=data["id"], version=str(data["version"]), title=_text(data["title"]),
            description=_text(data.get("description")), bands=bands, sections=sections,
            body=data, hash=body_hash(data), items=dict(self.items),
            section_index=dict(self.sections), relevance_order=order)

    def check_sibling_weights(self, raws: list[dict], where: str) -> None:
        # sections that hold no scored item (identity, sign-off) may stand beside weighted ones
        weighted = [("weight" in r) for r in raws if "weight" in r or _raw_scored(r)]
        if any(weighted) and not all(weighted):
            self.problem(where, _("either every sibling section has a weight or none has "
                                  "(unweighted sections pool their items' points)"))
        for i, raw in enumerate(raws):
            if "weight" in raw:
                w = raw["weight"]
                if not (isinstance(w, (int, float)) and math.isfinite(w) and w > 0):
                    self.problem(f"{where}[{i}].weight",
                                 _("must be a number above 0, not {value}").format(value=repr(w)))

    def section(self, raw: dict, where: str, number: str, group: str | None) -> Section:
        self.claim_id(raw["id"], where)
        sample = None
        if "sample" in raw:
            s = raw["sample"]
            if group is not None:
                self.problem(f"{where}.sample", _("sample groups cannot be nested (inside {group})")
                             .format(group=repr(group)))
            if not s["min"] <= s["default"] <= s["max"]:
                self.problem(f"{where}.sample", _("needs min <= default <= max, got "
                                                  "{min} / {default} / {max}").format(
                    min=s["min"], default=s["default"], max=s["max"]))
            sample = SampleSpec(_text(s["label"]), s["min"], s["max"], s["default"])
            group = raw["id"]
        subs = raw.get("sections", [])
        items_raw = raw.get("items", [])
        if not subs and not items_raw:
            self.problem(where, _("a section needs items or sub-sections"))
        if subs and items_raw and any("weight" in s for s in subs):
            self.problem(where, _("a section with weighted sub-sections cannot also hold items"))
        self.check_sibling_weights(subs, f"{where}.sections")
        sections = tuple(self.section(s, f"{where}.sections[{i}]", f"{number}.{i + 1}", group)
                         for i, s in enumerate(subs))
        items = tuple(self.item(it, f"{where}.items[{i}]", f"{number}.{len(subs) + i + 1}",
                                raw["id"], group) for i, it in enumerate(items_raw))
        section = Section(
            id=raw["id"], number=number, title=_text(raw["title"]),
            weight=_fraction(raw["weight"]) if "weight" in raw else None, sample=sample,
            sections=sections, items=items, description=_text(raw.get("description")))
        self.sections[section.id] = section
        return section

    def options(self, raw: dict, key: str, where: str, ints: bool) -> tuple[Option, ...]:
        opts = []
        seen = set()
        for i, o in enumerate(raw.get(key, [])):
            value = o["value"]
            if ints and not isinstance(value, int):
                self.problem(f"{where}.{key}[{i}].value", _("scale points must be whole numbers"))
            if not ints and not isinstance(value, str):
                self.problem(f"{where}.{key}[{i}].value", _("option values must be strings"))
            if value in seen:
                self.problem(f"{where}.{key}[{i}].value",
                             _("duplicate value {value}").format(value=repr(value)))
            seen.add(value)
            score = o.get("score")
            if score is not None and not (math.isfinite(score) and score >= 0):
                self.problem(f"{where}.{key}[{i}].score",
                             _("must be 0 or more, not {value}").format(value=repr(score)))
                score = None
            if ints and score is None and isinstance(value, int):
                score = value
            if o.get("exclusive") and key != "options":
                self.problem(f"{where}.{key}[{i}].exclusive",
                             _("only options of a multiple choice can be exclusive"))
            opts.append(Option(value, _text(o["label"]),
                               _fraction(score) if score is not None else None, o.get("na", False),
                               bool(o.get("exclusive", False))))
        return tuple(opts)

    def item(self, raw: dict, where: str, number: str, section_id: str, group: str | None) -> Item:
        self.claim_id(raw["id"], where)
        kind = raw["type"]
        allowed = {
            "scale": {"scale", "na"}, "choice": {"options", "na"}, "multi_choice": {"options", "na"},
            "number": {"unit", "min", "max", "pass", "na"}, "variable": {"variable"},
        }.get(kind, set())
        for key in ("scale", "options", "unit", "min", "max", "pass", "na", "variable"):
            if key in raw and key not in allowed:
                self.problem(f"{where}.{key}",
                             _("not allowed for an item of type {type}").format(type=repr(kind)))
        if kind == "scale" and len(raw.get("scale", [])) < 2:
            self.problem(f"{where}.scale", _("a scale needs at least two labelled points"))
        if kind == "variable" and "variable" not in raw:
            self.problem(f"{where}.variable", _("an item of type 'variable' names its variable"))
        if kind in ("choice", "multi_choice") and len(raw.get("options", [])) < 2:
            self.problem(f"{where}.options", _("a choice needs at least two options"))
        options = self.options(raw, "scale" if kind == "scale" else "options", where, kind == "scale")
        weight = raw.get("weight", 1 if kind in ("yes_no", "yes_no_na", "scale", "choice",
                                                  "multi_choice", "number", "variable") else 0)
        if not (isinstance(weight, (int, float)) and math.isfinite(weight) and weight >= 0):
            self.problem(f"{where}.weight",
                         _("must be a number of 0 or more, not {value}").format(value=repr(weight)))
            weight = 0
        if weight > 0 and kind in ("text", "date", "photo", "signature", "location"):
            self.problem(f"{where}.weight", _("an item of type {type} earns no points; drop the "
                                              "weight").format(type=repr(kind)))
        lo, hi = raw.get("min"), raw.get("max")
        if lo is not None and hi is not None and lo > hi:
            self.problem(f"{where}.min", _("min {min} is above max {max}").format(min=lo, max=hi))
        passing = raw.get("pass", {})
        p_lo, p_hi = passing.get("min"), passing.get("max")
        if p_lo is not None and p_hi is not None and p_lo > p_hi:
            self.problem(f"{where}.pass", _("pass.min {min} is above pass.max {max}").format(
                min=p_lo, max=p_hi))
        for label, value in (("pass.min", p_lo), ("pass.max", p_hi)):
            if value is not None and ((lo is not None and value < lo) or (hi is not None and value > hi)):
                self.problem(f"{where}.{label}", _("{value} lies outside the allowed range "
                                                   "{min}..{max}").format(value=value, min=lo, max=hi))
        evidence = None
        if "evidence" in raw:
            ev = raw["evidence"]
            expr = None
            if ev["when"] not in ("always", "failed"):
                try:
                    expr = parse_condition(ev["when"])
                except ConditionError as exc:
                    self.problem(f"{where}.evidence.when",
                                 _("invalid condition: {error}").format(error=exc))
            evidence = EvidenceRule(ev.get("photos", 1), ev["when"], expr)
        relevant_expr = None
        if "relevant" in raw:
            try:
                relevant_expr = parse_condition(raw["relevant"])
            except ConditionError as exc:
                self.problem(f"{where}.relevant", _("invalid condition: {error}").format(error=exc))
        item = Item(
            id=raw["id"], number=number, type=kind, text=_text(raw["text"]), section_id=section_id,
            sample_group=group, weight=_fraction(weight), required=raw.get("required", False),
            allow_na=kind == "yes_no_na" or bool(raw.get("na", False)), guidance=_text(raw.get("guidance")),
            legal=raw.get("legal"), options=options, unit=raw.get("unit"), min=lo, max=hi,
            pass_min=p_lo, pass_max=p_hi, evidence=evidence, relevant=raw.get("relevant"),
            relevant_expr=relevant_expr, finding=_text(raw.get("finding")),
            action=_text(raw.get("action")), variable=raw.get("variable"))
        self.items[item.id] = item
        self.item_where[item.id] = where
        return item
