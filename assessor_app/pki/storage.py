"""Files of the CA folder: atomic writes and the ``index.json`` ledger of issued certificates.

The CA folder (by default ``<data dir>/pki``) holds::

    root.pem  root-key.pem          the offline root (the key is only needed to re-issue the CA)
    issuing.pem  issuing-key.pem    the issuing CA that signs people's certificates and the CRL
    issuing.crl                     the current revocation list (DER)
    index.json                      the ledger below
    issued/<serial hex>.pem         a copy of every certificate issued

Every file is written atomically (temp file, fsync, ``os.replace``); key files and PKCS#12 files
are created with mode 0600. There is no lock between processes: one administrator runs the CA.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..i18n import _
from .errors import PkiError

ROOT_CERT = "root.pem"
ROOT_KEY = "root-key.pem"
ISSUING_CERT = "issuing.pem"
ISSUING_KEY = "issuing-key.pem"
CRL_FILE = "issuing.crl"
INDEX_FILE = "index.json"
ISSUED_DIR = "issued"

LEDGER_VERSION = 1


def write_atomic(
    path: Path, data: bytes, *, private: bool = False, exclusive: bool = False
) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    ``private`` creates the file with mode 0600 (keys, PKCS#12). ``exclusive`` refuses an existing
    file, also when one appears while writing (where the file system supports hard links).
    """
    path = Path(path)
    if exclusive and path.exists():
        raise already_exists(path)
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise PkiError(_("cannot write {path}: {error}").format(
            path=path, error=exc.strerror or exc)) from exc
    tmp = Path(tmp_name)
    try:
        # mkstemp creates the file 0600; widen only files that are not secret.
        if not private:
            os.chmod(tmp, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if exclusive:
            _link_exclusive(tmp, path)
        else:
            os.replace(tmp, path)
    except FileExistsError as exc:
        raise already_exists(path) from exc
    except OSError as exc:
        raise PkiError(_("cannot write {path}: {error}").format(
            path=path, error=exc.strerror or exc)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(directory)


def already_exists(path: Path) -> PkiError:
    return PkiError(_("{path} already exists; choose another file name or move the old file "
                      "away").format(path=path))


def _link_exclusive(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)  # fails with FileExistsError if someone else won the race
    except FileExistsError:
        raise
    except OSError:
        # FAT-formatted USB sticks and some network shares have no hard links.
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.replace(tmp, path)


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_bytes(path: Path, what: str) -> bytes:
    """Read a CA file, turning a missing or unreadable file into an actionable error."""
    try:
        if Path(path).exists() and not Path(path).is_file():   # a folder, FIFO or device
            raise PkiError(_("cannot read {what} ({path}): {error}").format(
                what=what, path=path, error=_("not a regular file")))
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise PkiError(
            _("{what} not found ({path}); is this the right CA folder? Create a CA with "
              "`assessor pki init` or pass --pki-dir").format(what=what, path=path)
        ) from None
    except OSError as exc:
        raise PkiError(_("cannot read {what} ({path}): {error}").format(
            what=what, path=path, error=exc.strerror or exc)) from exc


@dataclass(frozen=True)
class CertInfo:
    """One certificate issued by the CA, as recorded in ``index.json``.

    ``serial`` is the certificate's serial number (about 159 random bits); ``serial_hex`` is how
    people see it, e.g. ``"3f9a0c...e1"``. Times are timezone-aware UTC. ``revoked_at`` and
    ``reason`` (e.g. ``"key_compromise"``) are ``None`` while the certificate is not revoked.
    """

    serial: int
    subject: str
    name: str
    role: str
    email: str | None
    not_before: datetime
    not_after: datetime
    revoked_at: datetime | None = None
    reason: str | None = None

    @property
    def serial_hex(self) -> str:
        return format(self.serial, "x")

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def to_json(self) -> dict:
        return {
            "serial": self.serial_hex,
            "subject": self.subject,
            "name": self.name,
            "role": self.role,
            "email": self.email,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, entry: dict) -> CertInfo:
        revoked_at = entry.get("revoked_at")
        return cls(
            serial=int(entry["serial"], 16),
            subject=entry["subject"],
            name=entry.get("name", ""),
            role=entry["role"],
            email=entry.get("email"),
            not_before=datetime.fromisoformat(entry["not_before"]),
            not_after=datetime.fromisoformat(entry["not_after"]),
            revoked_at=datetime.fromisoformat(revoked_at) if revoked_at else None,
            reason=entry.get("reason"),
        )


def new_ledger(org_name: str) -> dict:
    """The ledger of a fresh CA. Serials are hex strings, so any JSON reader keeps all digits."""
    return {"version": LEDGER_VERSION, "org": org_name, "crl_number": 0, "certificates": []}


def load_ledger(pki_dir: Path) -> dict:
    path = Path(pki_dir) / INDEX_FILE
    raw = read_bytes(path, _("the CA ledger"))
    try:
        ledger = json.loads(raw)
        if not isinstance(ledger.get("certificates"), list):
            raise ValueError("no certificates list")
        for entry in ledger["certificates"]:
            CertInfo.from_json(entry)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PkiError(
            _("the CA ledger {path} is damaged ({error}); restore it from a backup").format(
                path=path, error=exc)
        ) from exc
    if ledger.get("version") != LEDGER_VERSION:
        raise PkiError(
            _("the CA ledger {path} has version {version}, this program reads version "
              "{expected}; use a matching Assessor release").format(
                path=path, version=repr(ledger.get("version")), expected=LEDGER_VERSION)
        )
    return ledger


def save_ledger(pki_dir: Path, ledger: dict) -> None:
    data = json.dumps(ledger, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    write_atomic(Path(pki_dir) / INDEX_FILE, data)


def ledger_entries(ledger: dict) -> list[CertInfo]:
    return [CertInfo.from_json(entry) for entry in ledger["certificates"]]


def list_certificates(pki_dir: str | os.PathLike) -> list[CertInfo]:
    """Every certificate the CA issued, oldest first, with its revocation state."""
    return ledger_entries(load_ledger(Path(pki_dir)))
