"""Import a sync bundle on the server: the same rules as a push (validation, idempotency,
every file hash-checked, locked stays locked), attributed to the device that made it."""

from __future__ import annotations

import sqlalchemy as sa

from ..errors import UserError
from ..sync.bundle import Bundle
from . import db
from .blobs import BlobStore
from .errors import ApiError
from .store import Caller, ServerStore


def import_bundle(store: ServerStore, blobs: BlobStore, path) -> dict:
    bundle = Bundle(path)
    device_id = bundle.manifest.get("device_id")
    with store.db.read() as conn:
        row = conn.execute(sa.select(db.devices.c.id, db.devices.c.revoked_at, db.users.c.id.label("uid"),
                                     db.users.c.name, db.users.c.role, db.users.c.team)
                           .join(db.users, db.users.c.id == db.devices.c.user_id)
                           .where(db.devices.c.id == str(device_id))).first()
    if row is None:
        raise UserError(f"{bundle.path.name}: made by device {device_id}, which this server does "
                        f"not know")
    if row.revoked_at:
        raise UserError(f"{bundle.path.name}: made by a revoked device; nothing was imported")
    caller = Caller(row.id, row.uid, row.name, row.role, row.team)
    for sha in bundle.blob_names():
        try:
            blobs.put_whole(sha, bundle.blob(sha), caller.device_id)
        except ApiError as exc:
            raise UserError(f"{bundle.path.name}: {exc.message}") from None
    items = []
    for item in bundle.manifest["items"]:
        uuid, rev, base = item["uuid"], item["rev"], item["base_rev"]
        try:
            answer = store.push(caller, uuid, rev, base, bundle.document(uuid))
            items.append({"uuid": uuid, "server_rev": answer["server_rev"],
                          "flags": answer["flags"],
                          "result": "already stored" if answer.get("replayed") else "stored"})
        except ApiError as exc:
            items.append({"uuid": uuid, "result": exc.code, "message": exc.message})
        except (UserError, KeyError) as exc:
            items.append({"uuid": uuid, "result": "invalid", "message": str(exc)})
    return {"device_id": device_id, "user": row.name, "items": items}
