"""The template being edited: a raw ``assessor-template/1`` dict plus its validation, no Qt.

A node is addressed by its path in the dict, e.g. ``("sections", 0, "items", 2)``; its text form
``sections[0].items[2]`` is the location ``assessor templates validate`` prints, so a problem is
shown at the field whose path it names.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from assessor_app.errors import TemplateInvalid
from assessor_app.templates.loader import build_template
from assessor_app.templates.model import Template

Path = tuple  # ("sections", 0, "items", 2)
#: keys no rule (ids, weights, bands, conditions, ranges) reads: editing one needs only the
#: schema check of its node, not the whole rules pass
TEXT_KEYS = frozenset({"text", "title", "description", "guidance", "legal", "finding", "action",
                       "source", "unit"})
NAME = "editor"


def path_text(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_path(text: str) -> Path:
    parts: list = []
    for name, index in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]", text):
        parts.append(int(index) if index else name)
    return tuple(parts)


class EditorDocument:
    """``body`` is the dict being edited (never an installed snapshot: a deep copy).
    ``validate()`` returns the problems as ``[(path text, message)]`` and keeps the last good
    :class:`Template` in ``template`` for the preview."""

    def __init__(self, body: dict, trusted: bool = True):
        """``trusted``: ``body`` is an installed (validated) template, so its nodes need no
        schema check until they change."""
        from .validation import SchemaChecker
        self.body = copy.deepcopy(body)
        self.problems: list[tuple[str, str]] = []
        self.template: Template | None = None
        self.dirty = False
        self.checker = SchemaChecker()
        self.touched: set[int] | None = None      # ids of nodes edited since the last check
        self.rules_needed = True                   # False while only texts changed
        self.rule_problems: list[tuple[str, str]] = []
        self.stale = False                         # template lags behind text edits
        if trusted:
            self.checker.seed(self.body)
        self.validate()

    # ------------------------------------------------------------------ access
    def get(self, path: Path) -> Any:
        node: Any = self.body
        for part in path:
            node = node[part]
        return node

    def set(self, path: Path, key: str, value: Any) -> None:
        """Set ``key`` of the node at ``path``; None, "" and {} remove the key (optional fields)."""
        node = self.get(path)
        if value is None or value == "" or value == {}:
            node.pop(key, None)
        else:
            node[key] = value
        self.touch(path, rules=key not in TEXT_KEYS)

    def touch(self, path: Path, rules: bool = True) -> None:
        """Say the node at ``path`` changed in place (its schema check must run again;
        ``rules=False`` when only a text changed, so the rules pass can be skipped)."""
        self.rules_needed = self.rules_needed or rules
        if self.touched is not None:
            self.touched.add(id(self.get(path)) if path else id(self.body))
        self.dirty = True

    def validate(self) -> list[tuple[str, str]]:
        """Schema problems of the nodes that changed, then the rules (the same messages and
        paths as ``assessor templates validate``)."""
        schema = self.checker.problems(self.body, self.touched)
        self.touched = set()
        if schema:
            self.template = None
            self.problems = schema[:50]
            return self.problems
        if not self.rules_needed and self.template is not None:
            self.stale = True                # texts changed: no rule can have changed
            self.problems = list(self.rule_problems)
            return self.problems
        self._rules()
        return self.problems

    def _rules(self) -> None:
        self.rules_needed = False
        self.stale = False
        try:
            self.template = build_template(self.body, NAME, trusted=True)
            self.rule_problems = []
        except TemplateInvalid as exc:
            self.template = None
            self.rule_problems = [(loc.split(": ", 1)[1] if loc.startswith(NAME + ": ") else
                                   ("" if loc == NAME else loc), msg) for loc, msg in exc.problems]
        self.problems = list(self.rule_problems)

    def current_template(self) -> Template | None:
        """The template as it stands now (rebuilt if only texts changed since the last pass)."""
        if self.stale and not self.problems:
            self._rules()
        return self.template

    # ------------------------------------------------------------------ structure
    def children(self, path: Path) -> list[tuple[Path, dict]]:
        node = self.get(path) if path else self.body
        out = []
        for key in ("sections", "items"):
            for i, child in enumerate(node.get(key, [])):
                out.append(((*path, key, i), child))
        return out

    def all_ids(self) -> set[str]:
        ids = set()

        def walk(sec):
            ids.add(sec["id"])
            for s in sec.get("sections", []):
                walk(s)
            for it in sec.get("items", []):
                ids.add(it["id"])
        for s in self.body.get("sections", []):
            walk(s)
        return ids

    def new_id(self, prefix: str) -> str:
        ids = self.all_ids()
        n = 1
        while f"{prefix}_{n}" in ids:
            n += 1
        return f"{prefix}_{n}"

    def add_item(self, section_path: Path, after: int | None = None, kind: str = "yes_no") -> Path:
        section = self.get(section_path)
        items = section.setdefault("items", [])
        item = {"id": self.new_id("butir"), "type": kind,
                "text": {"id": "Butir baru", "en": "New item"}}
        index = len(items) if after is None else after + 1
        items.insert(index, item)
        self.dirty = True
        self.rules_needed = True
        return (*section_path, "items", index)

    def add_section(self, parent_path: Path = ()) -> Path:
        parent = self.get(parent_path) if parent_path else self.body
        sections = parent.setdefault("sections", [])
        sibling_weights = [s for s in sections if "weight" in s]
        section: dict = {"id": self.new_id("bagian"), "title": {"id": "Bagian baru", "en": "New section"},
                         "items": [{"id": self.new_id("butir"), "type": "yes_no",
                                    "text": {"id": "Butir baru", "en": "New item"}}]}
        if sibling_weights:
            section["weight"] = 1
        sections.append(section)
        self.dirty = True
        self.rules_needed = True
        return (*parent_path, "sections", len(sections) - 1)

    def remove(self, path: Path) -> None:
        parent = self.get(path[:-1])
        del parent[path[-1]]
        self.dirty = True
        self.rules_needed = True

    def move(self, path: Path, target_parent: Path, target_key: str, index: int) -> Path:
        """Move the node at ``path`` into ``target_parent``'s ``target_key`` list at ``index``
        (counted before removal); returns its new path. Items go only into sections' items,
        sections only into sections lists."""
        kind = path[-2]
        if kind != target_key:
            raise ValueError("an item moves among items, a section among sections")
        node = self.get(path)
        source_list = self.get(path[:-1])
        target_node = self.get(target_parent) if target_parent else self.body
        target_list = target_node.setdefault(target_key, [])
        if source_list is target_list and index > path[-1]:
            index -= 1
        source_list.remove(node)
        index = max(0, min(index, len(target_list)))
        target_list.insert(index, node)
        for holder in (self.get(path[:-2]) if path[:-2] else self.body,):
            if not holder.get(kind) and kind in holder and holder is not self.body:
                del holder[kind]
        self.dirty = True
        self.rules_needed = True
        return self.path_of(node)

    def shift(self, path: Path, delta: int) -> Path:
        """Move a node up (-1) or down (+1) among its siblings; returns its new path."""
        siblings = self.get(path[:-1])
        i = path[-1]
        j = i + delta
        if not 0 <= j < len(siblings):
            return path
        siblings[i], siblings[j] = siblings[j], siblings[i]
        self.dirty = True
        self.rules_needed = True
        return (*path[:-1], j)

    def path_of(self, node: dict) -> Path | None:
        def walk(holder, prefix):
            for key in ("sections", "items"):
                for i, child in enumerate(holder.get(key, [])):
                    if child is node:
                        return (*prefix, key, i)
                    if key == "sections":
                        found = walk(child, (*prefix, key, i))
                        if found:
                            return found
            return None
        return walk(self.body, ())
