"""The content-addressed evidence store: a file per SHA-256 (``ab/ab12...``), written atomically
and durably, sealed in an encrypted data folder (see :mod:`assessor_app.vault`), checked against
its hash when read. Below :mod:`.files` (imports) and :mod:`.report_copy` (report-size copies).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag

from assessor_app import vault
from assessor_app.errors import EvidenceRejected
from assessor_app.fileio import write_failure
from assessor_app.i18n import _

_SHA256 = re.compile(r"[0-9a-f]{64}")


def evidence_path(store_dir, sha256: str) -> Path:
    """Where the file with this hash lives: ``store_dir/ab/ab12...`` (64 lowercase hex digits).

    Raises ValueError for anything that is not such a hash (so no path can escape the store).
    """
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return Path(store_dir) / sha256[:2] / sha256


def has_evidence(store_dir, sha256: str) -> bool:
    """True when a file for this hash is in the store (its content is not re-checked)."""
    return evidence_path(store_dir, sha256).is_file()


def read_evidence(store_dir, sha256: str) -> bytes:
    """The stored bytes, after checking they still hash to ``sha256``.

    Raises EvidenceRejected if the file is missing or its content has changed (disk damage,
    tampering), ValueError if ``sha256`` is not a hash.
    """
    path = evidence_path(store_dir, sha256)
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        raise EvidenceRejected(_("{path}: this evidence file is missing from the store").format(
            path=path)) from None
    except OSError as exc:
        raise EvidenceRejected(_("{path}: this evidence file cannot be read ({error})").format(
            path=path, error=exc)) from exc
    try:
        data = vault.unseal(vault.evidence_cipher(store_dir), sha256, blob)
    except InvalidTag:
        data = b""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise EvidenceRejected(_("{path}: this evidence file is damaged (its content no longer "
                                 "matches its hash); restore it from a backup or sync it again")
                               .format(path=path))
    return data


def store_bytes(store_dir, data: bytes) -> str:
    """Write ``data`` under its hash unless a good copy is already there; return the hash.
    In an encrypted data folder the file holds ``data`` sealed (see assessor_app.vault)."""
    sha = hashlib.sha256(data).hexdigest()
    path = evidence_path(store_dir, sha)
    cipher = vault.evidence_cipher(store_dir)
    if _is_good_copy(path, sha, cipher):
        return sha
    try:
        _write_file(path, vault.seal(cipher, sha, data) if cipher is not None else data, sha,
                    cipher)
    except OSError as exc:
        raise EvidenceRejected(_("the photo could not be saved: {problem}").format(
            problem=write_failure(path.parent, exc))) from None
    return sha


def _write_file(path: Path, payload: bytes, sha: str, cipher) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.replace(tmp, path)
        except PermissionError:  # Windows: another thread is replacing the same file
            if not _is_good_copy(path, sha, cipher):
                raise
            os.unlink(tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _is_good_copy(path: Path, sha: str, cipher=None) -> bool:
    """A file for ``sha`` that decrypts (if sealed) and hashes right. A plain copy in an
    encrypted folder does not count: it is rewritten sealed."""
    try:
        blob = path.read_bytes()
        if cipher is not None and not blob.startswith(vault.MAGIC):
            return False
        return hashlib.sha256(vault.unseal(cipher, sha, blob)).hexdigest() == sha
    except (OSError, InvalidTag):
        return False


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open folders for fsync."""
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
