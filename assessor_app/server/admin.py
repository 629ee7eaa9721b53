"""Administration: users and roles, enrolment codes, devices, template versions, assignments,
the list of what the server holds, review from the command line, the CRL and the epoch.
Used by ``assessor-server``; every function is one transaction."""

from __future__ import annotations

import json
import uuid as uuidlib

import sqlalchemy as sa

from ..errors import UserError
from ..sync import wire
from ..templates.loader import canonical_json
from . import auth, db, register
from .store import Caller, ServerStore, expiry


def like_prefix(prefix: str) -> str:
    """A LIKE pattern matching ids that start with ``prefix`` taken literally (escape ``\\``)."""
    return (prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")) + "%"


class Admin:
    def __init__(self, database: db.Database, data_dir=None):
        self.db = database
        self.blobs = None
        if data_dir is not None:
            from .blobs import BlobStore
            self.blobs = BlobStore(database, data_dir)
        self.store = ServerStore(database, self.blobs.known if self.blobs else None,
                                 self.blobs.path if self.blobs else None)

    # ------------------------------------------------------------------ users
    def add_user(self, name: str, role: str, team: str = "") -> int:
        if role not in wire.ROLES:
            raise UserError(f"role must be one of {', '.join(wire.ROLES)}")
        name = name.strip()
        if not name:
            raise UserError("a user needs a name")
        with self.db.write() as conn:
            if conn.execute(sa.select(db.users.c.id).where(db.users.c.name == name)).first():
                raise UserError(f"there is already a user named {name!r}")
            return conn.execute(sa.insert(db.users).values(
                name=name, role=role, team=team, active=1, created_at=db.now())
                .returning(db.users.c.id)).scalar_one()

    def user(self, conn, name: str):
        row = conn.execute(sa.select(db.users).where(db.users.c.name == name)).first()
        if row is None:
            raise UserError(f"no user named {name!r} (see 'assessor-server user list')")
        return row

    def list_users(self) -> list[dict]:
        with self.db.read() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(db.users).order_by(db.users.c.name))]

    def caller(self, name: str) -> Caller:
        """Act as user ``name`` from the command line (device id ``cli``)."""
        with self.db.read() as conn:
            u = self.user(conn, name)
        return Caller("cli", u.id, u.name, u.role, u.team)

    # ------------------------------------------------------------------ codes and devices
    def issue_code(self, name: str, hours: float = 72) -> str:
        """A one-time enrolment code for user ``name``; shown once, stored as a hash."""
        code = auth.new_code()
        with self.db.write() as conn:
            u = self.user(conn, name)
            conn.execute(sa.insert(db.codes).values(
                code_hash=auth.digest(auth.normalise_code(code)), user_id=u.id,
                expires_at=expiry(hours), created_at=db.now()))
        return code

    def list_devices(self) -> list[dict]:
        with self.db.read() as conn:
            rows = conn.execute(sa.select(db.devices.c.id, db.devices.c.name, db.users.c.name.label("user"),
                                          db.users.c.role, db.devices.c.created_at,
                                          db.devices.c.last_seen, db.devices.c.revoked_at)
                                .join(db.users, db.users.c.id == db.devices.c.user_id)
                                .order_by(db.devices.c.created_at)).all()
        return [dict(r._mapping) for r in rows]

    def revoke_device(self, prefix: str) -> str:
        """Revoke the one active device whose id starts with ``prefix``; nothing happens unless
        exactly one matches (``%`` and ``_`` are plain characters here). Returns its id."""
        prefix = (prefix or "").strip()
        if not prefix:
            raise UserError("give the device id (or a unique start of it; see "
                            "'assessor-server device list')")
        d = db.devices.c
        with self.db.write() as conn:
            ids = conn.execute(sa.select(d.id).where(d.id.like(like_prefix(prefix), escape="\\"),
                                                     d.revoked_at.is_(None))).scalars().all()
            if len(ids) != 1:
                raise UserError(f"{len(ids)} active devices match {prefix!r}; nothing was "
                                f"revoked; give the full device id")
            conn.execute(sa.update(db.devices).where(d.id == ids[0]).values(revoked_at=db.now()))
        return ids[0]

    def withdraw_codes(self, code: str | None = None, user: str | None = None) -> int:
        """Withdraw an unused enrolment code (or every unused code of ``user``); returns how
        many. A used code cannot be withdrawn: revoke its device instead."""
        c = db.codes.c
        with self.db.write() as conn:
            q = sa.delete(db.codes).where(c.used_at.is_(None))
            if code:
                q = q.where(c.code_hash == auth.digest(auth.normalise_code(code)))
            elif user:
                q = q.where(c.user_id == self.user(conn, user).id)
            else:
                raise UserError("give the code, or --user NAME")
            n = conn.execute(q).rowcount
        if n == 0:
            raise UserError("no unused enrolment code matches; nothing was withdrawn (a used code "
                            "is withdrawn by revoking its device)")
        return n

    def set_active(self, name: str, active: bool) -> None:
        """Deactivate (or reactivate) a user: every device of a deactivated user is refused at
        its next request and the user's unused codes no longer enrol."""
        with self.db.write() as conn:
            u = self.user(conn, name)
            conn.execute(sa.update(db.users).where(db.users.c.id == u.id)
                         .values(active=1 if active else 0))

    def change_user(self, name: str, role: str | None = None, team: str | None = None) -> dict:
        """Change a user's role and/or team; the team decides which supervisor sees the user's
        work, in the API and in the change feed (updated in the same transaction)."""
        if role is not None and role not in wire.ROLES:
            raise UserError(f"role must be one of {', '.join(wire.ROLES)}")
        if role is None and team is None:
            raise UserError("give --role and/or --team")
        with self.db.write() as conn:
            u = self.user(conn, name)
            values = {}
            if role is not None:
                values["role"] = role
            if team is not None:
                values["team"] = team.strip()
                conn.execute(sa.update(db.changes).where(db.changes.c.owner_id == u.id)
                             .values(team=team.strip()))
            conn.execute(sa.update(db.users).where(db.users.c.id == u.id).values(**values))
            return {"name": u.name, "role": values.get("role", u.role),
                    "team": values.get("team", u.team)}

    # ------------------------------------------------------------------ templates, assignments
    def publish_template(self, source) -> dict:
        """Publish a template version to every device: ``source`` is a file (YAML, JSON or
        XLSForm .xlsx), a raw template dict or a Template. Publishing the same content again is
        a no-op (``new`` False); other content under a published id and version is refused."""
        from ..templates.loader import build_template
        from ..templates.model import Template
        if isinstance(source, Template):
            t = source
        elif isinstance(source, dict):
            t = build_template(source, f"{source.get('id', '?')} {source.get('version', '?')}")
        else:
            from ..templates.xlsform_read import load_any
            t = load_any(source)[0]
        with self.db.write() as conn:
            old = conn.execute(sa.select(db.templates.c.hash).where(
                db.templates.c.id == t.id, db.templates.c.version == t.version)).first()
            if old is not None:
                if old.hash != t.hash:
                    raise UserError(f"template {t.id} version {t.version} is already published with "
                                    f"different content; give the changed template a new version")
                return {"id": t.id, "version": t.version, "hash": t.hash, "new": False}
            conn.execute(sa.insert(db.templates).values(id=t.id, version=t.version, hash=t.hash,
                                                        body=canonical_json(t.body),
                                                        published_at=db.now()))
            db.record_change(conn, "template", f"{t.id}@{t.version}")
        return {"id": t.id, "version": t.version, "hash": t.hash, "new": True}

    def assign(self, *, unit: dict, template_id: str, inspector: str, due_date: str = "",
               template_version: str | None = None) -> str:
        """Create an assignment; its id is the uuid the assessment will carry."""
        if not (unit.get("unit") or "").strip():
            raise UserError("an assignment needs the unit's name")
        with self.db.write() as conn:
            u = self.user(conn, inspector)
            template_version = register.published_version(conn, template_id, template_version)
            aid = str(uuidlib.uuid4())
            conn.execute(sa.insert(db.assignments).values(
                id=aid, inspector_id=u.id, unit=json.dumps(unit, ensure_ascii=False),
                template_id=template_id, template_version=template_version, due_date=due_date,
                created_at=db.now()))
            db.record_change(conn, "assignment", aid, u.id, u.team)
        return aid

    # ------------------------------------------------------------------ what the server holds
    def list_assessments(self) -> list[dict]:
        a = db.assessments.c
        with self.db.read() as conn:
            rows = conn.execute(sa.select(a.uuid, a.rev, a.status, a.flags, a.evidence_count,
                                          a.unit, a.template_id, a.template_version, a.content_hash,
                                          a.updated_at, db.users.c.name.label("owner"))
                                .join(db.users, db.users.c.id == a.owner_id)
                                .order_by(a.updated_at)).all()
            comments = dict(conn.execute(sa.select(db.comments.c.assessment, sa.func.count())
                                         .group_by(db.comments.c.assessment)).all())
            from .review import reports_of
            held = reports_of(conn, [r.uuid for r in rows])
        out = []
        for r in rows:
            d = dict(r._mapping)
            d["flags"] = json.loads(d["flags"])
            d["comments"] = comments.get(r.uuid, 0)
            d["signed_pdf"] = "signed" in held.get(r.uuid, {})
            d["countersigned_pdf"] = "countersigned" in held.get(r.uuid, {})
            out.append(d)
        return out

    def counts(self) -> dict:
        with self.db.read() as conn:
            out = {name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                   for name, t in (("assessments", db.assessments), ("revisions", db.revisions),
                                   ("devices", db.devices))}
            out["photos_referenced"] = conn.execute(
                sa.select(sa.func.count(sa.distinct(db.assessment_blobs.c.sha256)))).scalar_one()
        return out

    def review(self, uuid: str, decision: str, comment: str, as_user: str) -> dict:
        return self.store.review(self.caller(as_user), uuid, decision, comment)

    def publish_crl(self, der: bytes) -> None:
        from cryptography import x509
        try:
            x509.load_der_x509_crl(der)
        except ValueError:
            raise UserError("that file is not a certificate revocation list (DER)") from None
        with self.db.write() as conn:
            conn.execute(sa.delete(db.crl))
            conn.execute(sa.insert(db.crl).values(id=1, der=der, at=db.now()))
            db.record_change(conn, "crl", "crl")

    def new_epoch(self) -> str:
        """Call after restoring a backup: every client then resyncs fully."""
        epoch = str(uuidlib.uuid4())
        with self.db.write() as conn:
            conn.execute(sa.update(db.meta).where(db.meta.c.key == "epoch").values(value=epoch))
        return epoch
