"""The organisation's library of findings and corrective actions, in both languages.

An entry is written once and reused in any template (the editor inserts it into an item's
``finding`` and ``action``). Entries live in the local database (table ``finding_library``,
migration 9); ``key`` is a short stable name such as ``apar_kadaluarsa``.
"""

from __future__ import annotations

import re

from ..errors import UserError
from ..i18n import _
from .base import now

KEY_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
FIELDS = ("finding_id", "finding_en", "action_id", "action_en")


class LibraryMixin:
    def library_entries(self, search: str = "") -> list[dict]:
        """Every entry (``key``, ``finding_id``, ``finding_en``, ``action_id``, ``action_en``,
        ``updated_at``), by key; ``search`` filters on any text, case-insensitively."""
        rows = self.conn.execute(
            "SELECT key, finding_id, finding_en, action_id, action_en, updated_at "
            "FROM finding_library ORDER BY key").fetchall()
        keys = ("key", *FIELDS, "updated_at")
        out = [dict(zip(keys, r)) for r in rows]
        if search:
            needle = search.lower()
            out = [r for r in out if any(needle in (r[k] or "").lower() for k in ("key", *FIELDS))]
        return out

    def save_library_entry(self, key: str, *, finding_id: str, finding_en: str,
                           action_id: str, action_en: str) -> dict:
        """Add or replace an entry; every text is required (both languages). Committed on return."""
        if not KEY_RE.match(key or ""):
            raise UserError(_("a library key uses letters, digits, _ . and - (up to 64), not "
                              "{key}").format(key=repr(key)))
        values = {"finding_id": finding_id, "finding_en": finding_en, "action_id": action_id,
                  "action_en": action_en}
        missing = [k for k, v in values.items() if not (v or "").strip()]
        if missing:
            raise UserError(_("a library entry needs the finding and the action in both languages "
                              "(missing: {fields})").format(fields=", ".join(missing)))
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO finding_library(key, finding_id, finding_en, "
                      "action_id, action_en, updated_at) VALUES(?,?,?,?,?,?)",
                      (key, *(values[k].strip() for k in FIELDS), now()))
        return {"key": key, **values}

    def delete_library_entry(self, key: str) -> None:
        with self.transaction() as c:
            n = c.execute("DELETE FROM finding_library WHERE key=?", (key,)).rowcount
        if n == 0:
            raise UserError(_("no library entry {key}").format(key=repr(key)))
