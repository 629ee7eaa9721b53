"""Fast validation for the editor: the JSON-schema pass node by node, remembering nodes already
checked, then the rules pass (:func:`build_template` with ``trusted=True``).

The messages are those of :func:`assessor_app.templates.loader.schema_problems` (the same
wording ``assessor templates validate`` prints) at the same paths; only the work differs: a
keystroke re-checks the one node that changed instead of the whole template (a full schema pass
over a 347-item template takes about half a second, one node a fraction of a millisecond).
"""

from __future__ import annotations

import json

import jsonschema

from assessor_app.i18n import _
from assessor_app.templates.loader import FORMAT, template_schema

CHILD_KEYS = ("sections", "items")


class SchemaChecker:
    def __init__(self) -> None:
        schema = template_schema()
        defs = schema["$defs"]

        def validator(ref: str | dict):
            body = {"$defs": defs, **({"$ref": f"#/$defs/{ref}"} if isinstance(ref, str) else ref)}
            return jsonschema.Draft202012Validator(body)
        section = dict(defs["section"])
        section["properties"] = {k: v for k, v in section["properties"].items() if k not in CHILD_KEYS}
        section["properties"].update({k: {"type": "array"} for k in CHILD_KEYS})
        top = {k: v for k, v in schema.items() if k not in ("$defs", "$schema", "$id")}
        top["properties"] = dict(top["properties"], sections={"type": "array", "minItems": 1},
                                 bands={"type": "array", "minItems": 1, "maxItems": 20})
        self.validators = {"item": validator("item"), "band": validator("band"),
                           "section": validator(section), "top": validator(top)}
        self.known: dict[tuple[str, str], list] = {}
        #: id(node) -> (node, kind, problems) for nodes not edited since they were checked
        self.by_id: dict[int, tuple] = {}

    def seed(self, body: dict) -> None:
        """Remember every node of ``body`` as valid (a template the store already validated)."""
        for kind, node, _where in self._nodes(body):
            self.known[(kind, self._key(node))] = []

    @staticmethod
    def _key(node) -> str:
        if isinstance(node, dict):
            node = {k: v for k, v in node.items() if k not in CHILD_KEYS}
        return json.dumps(node, sort_keys=True, ensure_ascii=False, default=str)

    def _nodes(self, body: dict):
        yield "top", {k: v for k, v in body.items()}, ()
        for i, band in enumerate(body.get("bands") or [] if isinstance(body.get("bands"), list) else []):
            yield "band", band, ("bands", i)

        def walk(sections, where):
            if not isinstance(sections, list):
                return
            for i, sec in enumerate(sections):
                here = (*where, "sections", i)
                yield "section", sec, here
                if isinstance(sec, dict):
                    yield from walk(sec.get("sections", []), here)
                    items = sec.get("items", [])
                    for j, item in enumerate(items if isinstance(items, list) else []):
                        yield "item", item, (*here, "items", j)
        yield from walk(body.get("sections"), ())

    def problems(self, body: dict, touched: set[int] | None = None) -> list[tuple[str, str]]:
        """Problems of every node; a node whose id is not in ``touched`` and was checked before
        is not encoded or checked again (``touched=None`` re-checks everything by content)."""
        out = []
        seen = {}
        for kind, node, where in self._nodes(body):
            ident = id(body) if kind == "top" else id(node)
            cached = self.by_id.get(ident)
            if (touched is not None and cached is not None and cached[0] is (body if kind == "top" else node)
                    and cached[1] == kind and ident not in touched):
                found = cached[2]
            else:
                key = (kind, self._key(node) if kind != "top" else self._key(
                    {k: v for k, v in node.items() if k not in ("sections", "bands")}))
                found = self.known.get(key)
                if found is None:
                    found = self._check(kind, node)
                    self.known[key] = found
            seen[ident] = (body if kind == "top" else node, kind, found)
            out.extend((_join(where, rel), msg) for rel, msg in found)
        self.by_id = seen
        return out

    def _check(self, kind: str, node) -> list[tuple[tuple, str]]:
        if kind == "top":
            node = dict(node)
            node["sections"] = node.get("sections", [])[:1] or []
            node["bands"] = node.get("bands", [])[:1] or []
        elif kind == "section" and isinstance(node, dict):
            node = {k: ([] if k in CHILD_KEYS else v) for k, v in node.items()}
        out = []
        validator = self.validators[kind]
        for err in sorted(validator.iter_errors(node), key=lambda e: list(map(str, e.absolute_path))):
            path = tuple(err.absolute_path)
            if kind == "top" and path[:1] in (("sections",), ("bands",)) and len(path) > 1:
                continue
            out.append((path, _message(err)))
        return out


def _join(where: tuple, rel: tuple) -> str:
    out = ""
    for part in (*where, *rel):
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err) -> str:
    """The wording of loader.schema_problems for one jsonschema error."""
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        keys = ", ".join(map(repr, extra))
        return (_("unknown keys {keys}") if len(extra) > 1 else _("unknown key {keys}")).format(keys=keys)
    if err.validator == "required":
        key, sep, rest = err.message.partition(" is a required property")
        return _("{key} is required").format(key=key) + rest if sep else err.message
    if err.validator == "const" and err.absolute_path and err.absolute_path[-1] == "format":
        return _("format must be {format}").format(format=repr(FORMAT))
    message = err.message
    return message[:200] + "..." if len(message) > 200 else message
