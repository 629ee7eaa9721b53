"""The data key of an encrypted data folder: creating, wrapping, unlocking, locking.

An encrypted data folder has ``key.json``: one random 256-bit data key, wrapped (AES-GCM) by a
key derived from the passphrase with scrypt (n=2**16, r=8, p=1: about 0.2 s and 64 MB), and
optionally also kept in the system keyring. Two keys are derived from the data key with HKDF:
the SQLCipher raw key of ``assessor.db`` and the AES-GCM key of the evidence files. Changing the
passphrase rewraps the data key only; no data is re-encrypted.

Unlocked keys are held per data folder for the life of the process (``unlock`` / ``lock``), so
every :class:`~assessor_app.store.AssessmentStore` a thread opens on that folder, and every
evidence read or write in it, finds the key without it being passed through every call.
Evidence files are ``AEV1 || nonce(12) || AES-GCM(data, aad=sha256 name)``; a file without the
header is a plain file from before encryption (still readable, and re-checked by its hash).
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
import threading
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .errors import UserError
from .fileio import atomic_write
from .i18n import _

KEY_FILE = "key.json"
FORMAT = "assessor-key/1"
MAGIC = b"AEV1"
SCRYPT = {"n": 2 ** 16, "r": 8, "p": 1}
KEYRING_SERVICE = "assessor"
PASSPHRASE_ENV = "ASSESSOR_PASSPHRASE"


class Locked(UserError):
    """The data folder is encrypted and no passphrase was given."""


class WrongPassphrase(UserError):
    """The passphrase does not unwrap this folder's data key."""


@dataclasses.dataclass(frozen=True)
class DataKey:
    raw: bytes

    @property
    def db_key(self) -> bytes:
        return _derive(self.raw, b"assessor sqlcipher database")

    @property
    def file_cipher(self) -> AESGCM:
        return AESGCM(_derive(self.raw, b"assessor evidence files"))

    def sqlcipher_pragma(self) -> str:
        """``PRAGMA key`` with the raw key (no SQLCipher key derivation: the data key is
        already random, so opening costs no PBKDF2)."""
        return f"PRAGMA key = \"x'{self.db_key.hex()}'\""


def _derive(raw: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(raw)


_LOCK = threading.Lock()
_UNLOCKED: dict[str, DataKey] = {}
_CIPHERS: dict[str, AESGCM | None] = {}


def _folder(data_dir) -> str:
    return str(Path(data_dir).expanduser().resolve())


def key_path(data_dir) -> Path:
    return Path(data_dir) / KEY_FILE


def is_encrypted(data_dir) -> bool:
    return key_path(data_dir).is_file()


def key_for(data_dir) -> DataKey | None:
    """The unlocked key of ``data_dir`` in this process, or None."""
    return _UNLOCKED.get(_folder(data_dir))


def register(data_dir, key: DataKey) -> None:
    with _LOCK:
        _UNLOCKED[_folder(data_dir)] = key
        _CIPHERS.clear()


def lock(data_dir) -> None:
    """Forget the key of ``data_dir``: new stores and evidence reads on it need unlocking."""
    with _LOCK:
        _UNLOCKED.pop(_folder(data_dir), None)
        _CIPHERS.clear()


def evidence_cipher(store_dir) -> AESGCM | None:
    """The evidence cipher for an evidence folder (``data_dir/evidence``), or None when its
    data folder is not encrypted. Raises Locked for an encrypted folder that is not unlocked."""
    name = str(store_dir)
    if name in _CIPHERS:
        return _CIPHERS[name]
    folder = Path(store_dir).expanduser().resolve().parent
    key = _UNLOCKED.get(str(folder))
    if key is None:
        if is_encrypted(folder):
            raise Locked(_("the data folder {path} is encrypted and locked; unlock it with its "
                           "passphrase").format(path=folder))
        cipher = None
    else:
        cipher = key.file_cipher
    with _LOCK:
        _CIPHERS[name] = cipher
    return cipher


def seal(cipher: AESGCM, sha256: str, data: bytes) -> bytes:
    nonce = os.urandom(12)
    return MAGIC + nonce + cipher.encrypt(nonce, data, sha256.encode("ascii"))


def unseal(cipher: AESGCM | None, sha256: str, blob: bytes) -> bytes:
    """Plain bytes of a stored evidence file; InvalidTag (damaged or foreign) propagates."""
    if not blob.startswith(MAGIC):
        return blob
    if cipher is None:
        raise InvalidTag("encrypted evidence in a folder without a key")
    return cipher.decrypt(blob[4:16], blob[16:], sha256.encode("ascii"))


# -- key file ---------------------------------------------------------------------------------
def _kek(passphrase: str, salt: bytes, params: dict) -> bytes:
    return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(
        passphrase.encode("utf-8"))


def _check_passphrase(passphrase: str) -> None:
    if not isinstance(passphrase, str) or len(passphrase) < 8:
        raise UserError(_("the passphrase must have at least 8 characters"))


def _wrap(raw: bytes, passphrase: str, *, keyring: bool) -> dict:
    salt, nonce = os.urandom(16), os.urandom(12)
    wrapped = AESGCM(_kek(passphrase, salt, SCRYPT)).encrypt(nonce, raw, FORMAT.encode())
    return {"format": FORMAT, "kdf": "scrypt", **SCRYPT,
            "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode(),
            "wrapped": base64.b64encode(wrapped).decode(), "keyring": keyring}


def write_key_file(path: Path, record: dict) -> None:
    atomic_write(path, json.dumps(record, indent=1).encode("utf-8"))
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def read_key_file(path: Path) -> dict:
    try:
        record = json.loads(path.read_text("utf-8"))
        if record.get("format") != FORMAT or record.get("kdf") != "scrypt":
            raise ValueError(record.get("format"))
        for k in ("salt", "nonce", "wrapped"):
            base64.b64decode(record[k], validate=True)
        for k in ("n", "r", "p"):
            if not isinstance(record[k], int) or not 0 < record[k] <= 2 ** 22:
                raise ValueError(k)
        return record
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError(_("{path}: the key file is damaged or not an Assessor key file ({error}); "
                          "restore it from a backup").format(path=path, error=exc)) from None


def unwrap(record: dict, passphrase: str, where) -> DataKey:
    try:
        kek = _kek(passphrase, base64.b64decode(record["salt"]), record)
        raw = AESGCM(kek).decrypt(base64.b64decode(record["nonce"]),
                                  base64.b64decode(record["wrapped"]), FORMAT.encode())
    except InvalidTag:
        raise WrongPassphrase(_("wrong passphrase for the data folder {path}; nothing was "
                                "changed").format(path=where)) from None
    return DataKey(raw)


def create(data_dir, passphrase: str, *, keyring: bool = False) -> DataKey:
    """Make a new data key for ``data_dir`` and write its key file (not yet used by anything)."""
    _check_passphrase(passphrase)
    key = DataKey(os.urandom(32))
    remembered = keyring and remember_in_keyring(data_dir, key)
    write_key_file(key_path(data_dir), _wrap(key.raw, passphrase, keyring=bool(remembered)))
    return key


def unlock(data_dir, passphrase: str | None = None) -> DataKey:
    """Unwrap and register the key of ``data_dir``: with ``passphrase``, else from the keyring
    when the folder was set to use it. Raises WrongPassphrase or Locked; changes nothing."""
    record = read_key_file(key_path(data_dir))
    if passphrase is None:
        key = _from_keyring(data_dir) if record.get("keyring") else None
        if key is None:
            raise Locked(_("the data folder {path} is encrypted: give its passphrase (set "
                           "ASSESSOR_PASSPHRASE or use --passphrase-file FILE)").format(
                path=data_dir))
    else:
        key = unwrap(record, passphrase, data_dir)
    register(data_dir, key)
    return key


def change_passphrase(data_dir, old: str, new: str) -> None:
    """Rewrap the data key under ``new`` (the data stays as it is). Raises WrongPassphrase."""
    _check_passphrase(new)
    path = key_path(data_dir)
    record = read_key_file(path)
    key = unwrap(record, old, data_dir)
    write_key_file(path, _wrap(key.raw, new, keyring=bool(record.get("keyring"))))


# -- the system keyring (optional) ------------------------------------------------------------
def _keyring():
    """The keyring module when a real backend is there (not the fail/null backends), else None."""
    try:
        import keyring
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - no keyring package or a broken backend: go without
        return None
    name = type(backend).__module__ + "." + type(backend).__name__
    if "fail" in name.lower() or "null" in name.lower() or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


def keyring_available() -> bool:
    return _keyring() is not None


def remember_in_keyring(data_dir, key: DataKey) -> bool:
    kr = _keyring()
    if kr is None:
        return False
    try:
        kr.set_password(KEYRING_SERVICE, _folder(data_dir), base64.b64encode(key.raw).decode())
        return True
    except Exception:  # noqa: BLE001 - a locked or refusing keyring: the passphrase still works
        return False


def _from_keyring(data_dir) -> DataKey | None:
    kr = _keyring()
    if kr is None:
        return None
    try:
        value = kr.get_password(KEYRING_SERVICE, _folder(data_dir))
        return DataKey(base64.b64decode(value)) if value else None
    except Exception:  # noqa: BLE001
        return None


def passphrase_from_env_or_file(path: str | None) -> str | None:
    """The CLI's passphrase: ``--passphrase-file`` (first line) or ASSESSOR_PASSPHRASE."""
    if path:
        from .fileio import read_input
        text = read_input(Path(path), 64 * 1024, error=UserError).decode("utf-8", "replace")
        return text.splitlines()[0] if text.strip() else ""
    return os.environ.get(PASSPHRASE_ENV)
