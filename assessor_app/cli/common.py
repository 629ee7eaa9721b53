"""Helpers shared by the command modules."""

from __future__ import annotations

import getpass
import json
import os
import sys

from ..errors import AssessmentNotFound, UserError
from ..i18n import _
from ..store import AssessmentStore


def open_store(args) -> AssessmentStore:
    """Open the store in ``args.data_dir``; a new data folder gets the default templates."""
    actor = os.environ.get("ASSESSOR_ACTOR") or _actor_from_settings(args) or getpass.getuser()
    store = AssessmentStore(args.data_dir, actor=actor)
    if not store.list_templates():
        store.install_default_templates()
    return store


def _actor_from_settings(args) -> str | None:
    return None


def resolve_uuid(store: AssessmentStore, ident: str) -> str:
    """Accept a full uuid or a unique prefix of at least 4 characters."""
    ident = ident.strip().lower()
    if len(ident) < 4:
        raise UserError(_("give at least 4 characters of the assessment id"))
    pattern = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = [r[0] for r in store.conn.execute(
        "SELECT uuid FROM assessments WHERE uuid LIKE ? ESCAPE '\\'", (pattern,))]
    if not rows:
        raise AssessmentNotFound(_("no assessment whose id starts with {prefix} (see 'assessor "
                                   "assessments list')").format(prefix=repr(ident)))
    if len(rows) > 1:
        raise UserError(_("{prefix} matches {count} assessments; give more characters").format(
            prefix=repr(ident), count=len(rows)))
    return rows[0]


def print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def table(rows: list[list], headers: list[str]) -> str:
    """A plain-text table with columns padded to fit."""
    cells = [headers] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
