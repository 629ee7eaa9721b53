"""Template versions in the local store. Each version is kept as an immutable snapshot by hash;
assessments pin the exact snapshot they were started from."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import TemplateInvalid, TemplateNotFound
from ..i18n import _
from ..paths import resource
from ..templates import cache as built
from ..templates.loader import build_template, canonical_json
from ..templates.model import Template
from .base import now


def _version_key(version: str):
    parts = []
    for p in version.replace("-", ".").split("."):
        parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return parts


class TemplatesMixin:
    def import_template(self, source: str | Path | Template, *, origin: str = "file") -> Template:
        """Validate and store a template version. Importing the same content again is a no-op;
        different content under an existing id and version is refused (bump the version)."""
        if isinstance(source, Template):
            template = source
        else:
            from ..templates.xlsform_read import load_any
            template = load_any(source)[0]
        row = self.conn.execute("SELECT hash FROM templates WHERE id=? AND version=?",
                                (template.id, template.version)).fetchone()
        if row and row[0] != template.hash:
            raise TemplateInvalid([("", _("template {template} version {version} is already "
                                          "installed with different content; give the changed "
                                          "template a new version").format(
                template=template.id, version=template.version))])
        if row:
            return template
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO template_snapshots(hash, body) VALUES(?, ?)",
                      (template.hash, canonical_json(template.body)))
            c.execute("INSERT INTO templates(id, version, hash, title_id, title_en, imported_at, "
                      "source) VALUES(?,?,?,?,?,?,?)",
                      (template.id, template.version, template.hash, template.title.id,
                       template.title.en, now(), origin))
        self._templates[template.hash] = built.remember(template)
        return template

    def install_default_templates(self) -> list[Template]:
        """Install every template shipped in resources/templates (idempotent)."""
        out = []
        for path in sorted(resource("templates").glob("*.yaml")):
            out.append(self.import_template(path, origin="default"))
        return out

    def list_templates(self) -> list[dict]:
        rows = self.conn.execute(
            "SELECT t.id, t.version, t.hash, t.title_id, t.title_en, t.imported_at, t.source, "
            "(SELECT count(*) FROM assessments a WHERE a.template_hash = t.hash) "
            "FROM templates t ORDER BY t.id").fetchall()
        keys = ("id", "version", "hash", "title_id", "title_en", "imported_at", "source", "assessments")
        out = [dict(zip(keys, r)) for r in rows]
        out.sort(key=lambda r: (r["id"], _version_key(r["version"])))
        return out

    def template_by_hash(self, digest: str) -> Template:
        """The template snapshot ``digest``, built once per process (immutable by hash)."""
        cached = self._templates.get(digest) or built.cached(digest)
        if cached is not None:
            self._templates[digest] = cached
            return cached
        row = self.conn.execute("SELECT body FROM template_snapshots WHERE hash=?", (digest,)).fetchone()
        if row is None:
            raise TemplateNotFound(_("no template snapshot with hash {hash}").format(
                hash=digest[:12]))
        # snapshots are validated before they are stored (import_template, store_snapshot)
        template = build_template(json.loads(row[0]), f"snapshot {digest[:12]}", trusted=True)
        if template.hash == digest:          # a snapshot row always matches; never cache a mismatch
            template = built.remember(template)
        self._templates[digest] = template
        return template

    def get_template(self, template_id: str, version: str | None = None) -> Template:
        """The given version, or the highest installed version when ``version`` is None."""
        rows = self.conn.execute("SELECT version, hash FROM templates WHERE id=?",
                                 (template_id,)).fetchall()
        if version is not None:
            rows = [r for r in rows if r[0] == version]
        if not rows:
            known = ", ".join(sorted({r["id"] for r in self.list_templates()})) or _("none")
            if version:
                message = _("no template {template} version {version} is installed (installed: "
                            "{known})").format(template=template_id, version=version, known=known)
            else:
                message = _("no template {template} is installed (installed: {known})").format(
                    template=template_id, known=known)
            raise TemplateNotFound(message)
        best = max(rows, key=lambda r: _version_key(r[0]))
        return self.template_by_hash(best[1])

    def store_snapshot(self, body: dict) -> Template:
        """Keep a template snapshot that arrived with an exchange file (validated first)."""
        template = build_template(body, "embedded template")
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO template_snapshots(hash, body) VALUES(?, ?)",
                      (template.hash, canonical_json(template.body)))
        self._templates[template.hash] = built.remember(template)
        return template

    def template_versions(self, template_id: str) -> list[dict]:
        """The installed versions of one template, oldest first (rows as list_templates)."""
        return [r for r in self.list_templates() if r["id"] == template_id]

    def save_template_version(self, body: dict, *, origin: str = "editor") -> Template:
        """Validate ``body`` and install it as a new version. Refused (TemplateInvalid) when the
        version is already installed: a version never changes, assessments stay pinned to theirs."""
        template = build_template(body, f"{body.get('id', '?')} {body.get('version', '?')}")
        row = self.conn.execute("SELECT 1 FROM templates WHERE id=? AND version=?",
                                (template.id, template.version)).fetchone()
        if row:
            raise TemplateInvalid([("", _("version {version} of {template} is already installed; "
                                          "give the new version another number").format(
                version=template.version, template=template.id))])
        return self.import_template(template, origin=origin)


def next_version(version: str) -> str:
    """The version after ``version``: its last number raised by one ("2024.1" -> "2024.2",
    "1.0" -> "1.1", "3" -> "4"); a version ending in letters gets ".1" appended."""
    parts = version.split(".")
    if parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
        return ".".join(parts)
    return version + ".1"
