"""Office web logins: passwords (scrypt, salted), sessions (random token in an HttpOnly cookie,
stored only as a SHA-256 hash, with an expiry) and CSRF tokens (one per session; the login form
uses a double-submit cookie). Roles are the sync roles: an admin sees every government; a
supervisor or inspector sees the governments of their team (their provincial office)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from ...errors import UserError
from .. import db
from ..auth import digest
from ..store import expiry

COOKIE = "assessor_office"
CSRF_COOKIE = "assessor_login_csrf"
SESSION_HOURS = float(os.environ.get("ASSESSOR_WEB_SESSION_HOURS", "8"))
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


@dataclass(frozen=True)
class Viewer:
    user_id: int
    name: str
    role: str
    team: str
    csrf: str

    @property
    def scope(self) -> str | None:
        """The team whose governments this viewer sees (None = all)."""
        return None if self.role == "admin" else self.team


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(key).decode()


def check_password(password: str, stored: str) -> bool:
    try:
        _kind, salt, key = stored.split("$")
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), dklen=32, **SCRYPT)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(key))


def set_password(database: db.Database, name: str, password: str) -> None:
    if len(password) < 10:
        raise UserError("an office password needs at least 10 characters")
    with database.write() as conn:
        user = conn.execute(sa.select(db.users).where(db.users.c.name == name)).first()
        if user is None:
            raise UserError(f"no user named {name!r} (see 'assessor-server user list')")
        conn.execute(sa.delete(db.web_logins).where(db.web_logins.c.user_id == user.id))
        conn.execute(sa.insert(db.web_logins).values(user_id=user.id,
                                                     password_hash=hash_password(password)))
        conn.execute(sa.delete(db.web_sessions).where(db.web_sessions.c.user_id == user.id))


def login(database: db.Database, name: str, password: str) -> str | None:
    """A new session token for a right name and password (None otherwise)."""
    with database.read() as conn:
        row = conn.execute(sa.select(db.users.c.id, db.users.c.active, db.web_logins.c.password_hash)
                           .join(db.web_logins, db.web_logins.c.user_id == db.users.c.id)
                           .where(db.users.c.name == name)).first()
    if row is None or not row.active or not check_password(password, row.password_hash):
        return None
    token = secrets.token_urlsafe(32)
    with database.write() as conn:
        conn.execute(sa.delete(db.web_sessions).where(db.web_sessions.c.expires_at < db.now()))
        conn.execute(sa.insert(db.web_sessions).values(
            token_hash=digest(token), user_id=row.id, csrf=secrets.token_urlsafe(24),
            expires_at=expiry(SESSION_HOURS)))
    return token


def viewer(database: db.Database, token: str | None) -> Viewer | None:
    """The logged-in person for a session cookie, or None (no, unknown or expired session)."""
    if not token:
        return None
    with database.read() as conn:
        row = conn.execute(sa.select(db.users.c.id, db.users.c.name, db.users.c.role,
                                     db.users.c.team, db.users.c.active, db.web_sessions.c.csrf,
                                     db.web_sessions.c.expires_at)
                           .join(db.web_sessions, db.web_sessions.c.user_id == db.users.c.id)
                           .where(db.web_sessions.c.token_hash == digest(token))).first()
    if row is None or not row.active or row.expires_at < db.now():
        return None
    return Viewer(row.id, row.name, row.role, row.team, row.csrf)


def logout(database: db.Database, token: str) -> None:
    with database.write() as conn:
        conn.execute(sa.delete(db.web_sessions).where(db.web_sessions.c.token_hash == digest(token)))


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a, b)
