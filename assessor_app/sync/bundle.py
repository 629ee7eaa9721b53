"""Sync bundle files: the push payloads as one ZIP, for offices with no network (guarantee 9).

``bundle.zip``: ``manifest.json`` ``{format: assessor-bundle/1, device_id, user, created_at,
items: [{uuid, rev, base_rev, content_hash}]}``, ``docs/<uuid>.json`` (the exact bytes a push
would send) and ``blobs/<sha256>`` for every referenced photo and signature. Exporting uses the
same revision bookkeeping as a push, so an online sync later re-sends the same revision and the
server recognises it (no duplicate); the server's import checks every hash and validates every
document exactly as a push does.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from ..errors import UserError
from ..i18n import _
from ..evidence.files import read_evidence
from ..exchange import export_document, referenced_blobs
from ..fileio import atomic_write
from ..store.base import now
from .wire import BUNDLE_FORMAT, MAX_BLOB, MAX_DOCUMENT, check_sha256, check_uuid


def export_bundle(store, out: str | Path) -> dict:
    """Write every assessment with unconfirmed changes to ``out``; returns the manifest."""
    settings = store.sync_settings()
    if not settings.get("device_id"):
        raise UserError(_("enrol this laptop first (assessor enroll URL CODE): the bundle names "
                          "the device it comes from"))
    items, docs, hashes = [], {}, []
    for uuid in store.push_candidates(bool(settings.get("push_drafts"))):
        item = store.sync_item(uuid)
        if item["pending_doc"] is None:
            head = store.get(uuid).history_head
            text = json.dumps(export_document(store, uuid), ensure_ascii=False, separators=(",", ":"))
            rev, base = store.begin_push(uuid, text, head)
        else:
            rev, base, text = item["pending_rev"], item["pending_base"], item["pending_doc"]
        doc = json.loads(text)
        docs[uuid] = text.encode("utf-8")
        items.append({"uuid": uuid, "rev": rev, "base_rev": base, "content_hash": doc["content_hash"]})
        hashes += [h for h in referenced_blobs(doc) if h not in hashes]
    manifest = {"format": BUNDLE_FORMAT, "device_id": settings["device_id"],
                "user": settings.get("user"), "created_at": now(), "items": items}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=1))
        for uuid, data in docs.items():
            zf.writestr(f"docs/{uuid}.json", data)
        for sha in hashes:
            zf.writestr(f"blobs/{sha}", read_evidence(store.evidence_dir, sha),
                        compress_type=zipfile.ZIP_STORED)
    atomic_write(Path(out), buf.getvalue())
    return manifest


class Bundle:
    """A bundle opened for import; every read is size-limited and hash-checked."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.zf = zipfile.ZipFile(self.path)
            raw = self.zf.read("manifest.json")
        except (zipfile.BadZipFile, OSError, KeyError) as exc:
            raise UserError(f"{self.path.name}: not a readable sync bundle ({exc})") from None
        try:
            self.manifest = json.loads(raw)
        except ValueError:
            raise UserError(f"{self.path.name}: the manifest is not valid JSON") from None
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != BUNDLE_FORMAT:
            raise UserError(f"{self.path.name}: not an {BUNDLE_FORMAT} file")
        for item in self.manifest.get("items", []):
            check_uuid(item.get("uuid"))
            if not (isinstance(item.get("rev"), int) and isinstance(item.get("base_rev"), int)):
                raise UserError(f"{self.path.name}: an item has no valid revision numbers")

    def document(self, uuid: str) -> bytes:
        info = self.zf.getinfo(f"docs/{check_uuid(uuid)}.json")
        if info.file_size > MAX_DOCUMENT:
            raise UserError(f"{self.path.name}: document {uuid[:8]} is too large")
        return self.zf.read(info)

    def blob_names(self) -> list[str]:
        return [n.split("/", 1)[1] for n in self.zf.namelist() if n.startswith("blobs/")]

    def blob(self, sha: str) -> bytes:
        info = self.zf.getinfo(f"blobs/{check_sha256(sha)}")
        if info.file_size > MAX_BLOB:
            raise UserError(f"{self.path.name}: file {sha[:12]} is larger than allowed")
        data = self.zf.read(info)
        if hashlib.sha256(data).hexdigest() != sha:
            raise UserError(f"{self.path.name}: file {sha[:12]} is damaged (hash mismatch)")
        return data
