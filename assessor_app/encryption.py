"""Turning encryption on for a data folder, and encrypted backups and restores.

``encrypt_folder`` converts a plain data folder in place: first an encrypted backup copy of the
whole folder (``backup-before-encrypt-<time>.assessor-backup``, under the new key), then every
evidence file and report-size photo copy is sealed (one at a time, atomically), then the key
file is written and the database is exported to SQLCipher beside the old one and swapped in.
Each step can be repeated: an interrupted run is finished by running it again (or by the next
open, for the database). The plain photo cache of earlier versions (``cache/report``) is deleted.
Close the desktop app before converting.

A backup (``backup``) is a ZIP holding ``backup.json``, ``key.json`` (the data key wrapped by
the passphrase), ``assessor.db`` (a consistent SQLCipher snapshot taken with the online backup
API, so the app may keep running) and the sealed evidence files as they are on disk. Nothing in
it is readable without the passphrase. ``restore`` checks the passphrase before it writes
anything, then unpacks into an empty folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from . import vault
from .errors import UserError
from .fileio import write_failure
from .i18n import _
from .store.base import DB_NAME, is_plain_database
from .store.sealing import export_plain, finish_database, sqlcipher_module

BACKUP_FORMAT = "assessor-backup/1"
_MEMBER = re.compile(r"(backup\.json|key\.json|assessor\.db|evidence/[0-9a-f]{2}/[0-9a-f]{64})")
MAX_BACKUP_MEMBER = 8 * 1024 ** 3


def _stamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _seal_evidence(evidence_dir: Path, key: vault.DataKey) -> int:
    """Seal every plain evidence file (atomically each); returns how many were sealed."""
    cipher = key.file_cipher
    count = 0
    for path in sorted(evidence_dir.glob("??/" + "?" * 64)):
        blob = path.read_bytes()
        if blob.startswith(vault.MAGIC):
            continue
        sha = path.name
        if hashlib.sha256(blob).hexdigest() != sha:
            continue  # a damaged file stays as it is; read_evidence reports it
        tmp = path.with_name(f".{sha}.sealing")
        tmp.write_bytes(vault.seal(cipher, sha, blob))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        count += 1
    from .evidence.report_copy import seal_plain_copies   # the photos' report-size copies
    seal_plain_copies(evidence_dir, cipher)
    return count


def encrypt_folder(data_dir: Path, passphrase: str, *, keyring: bool = False) -> dict:
    """Encrypt a plain data folder in place (see the module docstring). Returns a summary
    ``{"backup": path, "evidence": n}``. On a folder already encrypted it checks the passphrase
    and finishes what an interrupted run left plain."""
    data_dir = Path(data_dir)
    db = data_dir / DB_NAME
    if vault.is_encrypted(data_dir):
        key = vault.unlock(data_dir, passphrase)
        backup_path = None
    else:
        if not db.exists():
            raise UserError(_("{path} holds no Assessor data yet; start the app or a command "
                              "once, then encrypt it").format(path=data_dir))
        vault._check_passphrase(passphrase)
        key = vault.DataKey(os.urandom(32))
        backup_path = data_dir / f"backup-before-encrypt-{_stamp()}.assessor-backup"
        record = vault._wrap(key.raw, passphrase, keyring=False)
        _write_backup(data_dir, backup_path, key, record, plain=True)
    try:
        if not vault.is_encrypted(data_dir):   # the key file first: nothing sealed without it
            if keyring:
                record["keyring"] = vault.remember_in_keyring(data_dir, key)
            vault.write_key_file(vault.key_path(data_dir), record)
        sealed = _seal_evidence(data_dir / "evidence", key)
        # the plain photo cache of earlier versions (reports now keep sealed copies beside the
        # evidence)
        shutil.rmtree(data_dir / "cache" / "report", ignore_errors=True)
        if db.exists() and is_plain_database(db):
            finish_database(db, key)
    except OSError as exc:
        raise UserError(_("encryption stopped: {problem}; run 'assessor encrypt' again to "
                          "finish").format(problem=write_failure(data_dir, exc))) from None
    for old in data_dir.glob(DB_NAME + ".before-*.bak"):   # plain migration copies
        if is_plain_database(old):
            old.unlink()
    vault.register(data_dir, key)
    return {"backup": str(backup_path) if backup_path else None, "evidence": sealed}


# -- backup and restore -----------------------------------------------------------------------
def backup(data_dir: Path, out: Path, passphrase: str | None = None) -> dict:
    """Write an encrypted backup of ``data_dir`` to ``out`` (consistent while the app runs).
    An encrypted folder must be unlocked; a plain folder needs ``passphrase`` (a new key is
    made for the backup, and restoring it gives an encrypted folder)."""
    data_dir, out = Path(data_dir), Path(out)
    if out.is_dir():
        raise UserError(_("{path}: is a folder; give a file name to write").format(path=out))
    if vault.is_encrypted(data_dir):
        key = vault.key_for(data_dir) or vault.unlock(data_dir, passphrase)
        record = vault.read_key_file(vault.key_path(data_dir))
        return _write_backup(data_dir, out, key, record, plain=False)
    if not passphrase:
        raise vault.Locked(_("this data folder is not encrypted: give a passphrase for the backup "
                             "(ASSESSOR_PASSPHRASE or --passphrase-file)"))
    vault._check_passphrase(passphrase)
    key = vault.DataKey(os.urandom(32))
    return _write_backup(data_dir, out, key, vault._wrap(key.raw, passphrase, keyring=False),
                         plain=True)


def _snapshot(data_dir: Path, target: Path, key: vault.DataKey, plain: bool) -> None:
    """A consistent copy of the database, encrypted under ``key``, at ``target``."""
    db = data_dir / DB_NAME
    if plain:
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            copy = Path(tmp) / "plain.db"
            src = sqlite3.connect(str(db))
            dest = sqlite3.connect(str(copy))
            try:
                src.backup(dest)
            finally:
                dest.close()
                src.close()
            export_plain(copy, target, key)
        return
    sc = sqlcipher_module()
    src = sc.connect(str(db))
    dest = sc.connect(str(target))
    try:
        src.execute(key.sqlcipher_pragma())
        dest.execute(key.sqlcipher_pragma())
        src.backup(dest)
    finally:
        dest.close()
        src.close()


def _write_backup(data_dir: Path, out: Path, key: vault.DataKey, record: dict, *,
                  plain: bool) -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    cipher = key.file_cipher
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    count = 0
    try:
        with tempfile.TemporaryDirectory(dir=out.parent) as work:
            snap = Path(work) / DB_NAME
            _snapshot(data_dir, snap, key, plain)
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
                manifest = {"format": BACKUP_FORMAT, "created_at": _stamp(),
                            "source": str(data_dir)}
                zf.writestr("backup.json", json.dumps(manifest, indent=1))
                zf.writestr("key.json", json.dumps({**record, "keyring": False}, indent=1))
                zf.write(snap, DB_NAME)
                for path in sorted((data_dir / "evidence").glob("??/" + "?" * 64)):
                    blob = path.read_bytes()
                    if not blob.startswith(vault.MAGIC):
                        if hashlib.sha256(blob).hexdigest() != path.name:
                            continue
                        blob = vault.seal(cipher, path.name, blob)
                    zf.writestr(f"evidence/{path.name[:2]}/{path.name}", blob)
                    count += 1
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
        with contextlib.suppress(OSError):
            os.chmod(out, 0o600)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(_("the backup was not written: {problem}").format(
            problem=write_failure(out, exc))) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"out": str(out), "evidence": count}


def restore(backup_file: Path, data_dir: Path, passphrase: str | None) -> dict:
    """Unpack an encrypted backup into the empty (or new) folder ``data_dir``. The passphrase
    is checked and every member validated before anything is written; on failure the folder is
    left as it was."""
    backup_file, data_dir = Path(backup_file), Path(data_dir)
    if data_dir.exists() and any(data_dir.iterdir()):
        raise UserError(_("{path} is not empty; restore into a new or empty folder").format(
            path=data_dir))
    if not passphrase:
        raise vault.Locked(_("give the backup's passphrase (ASSESSOR_PASSPHRASE or "
                             "--passphrase-file)"))
    name = backup_file.name
    try:
        zf = zipfile.ZipFile(backup_file)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(_("{name}: not a readable Assessor backup ({error})").format(
            name=name, error=getattr(exc, "strerror", None) or exc)) from None
    with zf:
        names = zf.namelist()
        bad = [n for n in names if not _MEMBER.fullmatch(n)]
        if bad or "key.json" not in names or DB_NAME not in names or "backup.json" not in names:
            raise UserError(_("{name}: not an Assessor backup (unexpected or missing members)")
                            .format(name=name))
        for info in zf.infolist():
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                                  zipfile.ZIP_DEFLATED):
                raise UserError(_("{name}: not an Assessor backup (unexpected or missing members)")
                                .format(name=name))
        try:
            manifest = json.loads(zf.read("backup.json"))
            if manifest.get("format") != BACKUP_FORMAT:
                raise ValueError
        except (ValueError, AttributeError):
            raise UserError(_("{name}: not an Assessor backup (unexpected or missing members)")
                            .format(name=name)) from None
        fd, tmp = tempfile.mkstemp()
        os.close(fd)
        try:
            Path(tmp).write_bytes(zf.read("key.json"))
            record = vault.read_key_file(Path(tmp))
        finally:
            os.unlink(tmp)
        key = vault.unwrap(record, passphrase, name)   # WrongPassphrase: nothing written
        created = not data_dir.exists()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            vault.write_key_file(vault.key_path(data_dir), record)
            for info in zf.infolist():
                if info.filename in ("key.json", "backup.json"):
                    continue
                target = data_dir / info.filename
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            os.chmod(data_dir / DB_NAME, 0o600)
            vault.register(data_dir, key)
            from .store import AssessmentStore
            with AssessmentStore(data_dir) as store:
                if store.conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise UserError(_("{name}: the database in the backup is damaged").format(
                        name=name))
                count = store.conn.execute("SELECT count(*) FROM assessments").fetchone()[0]
        except BaseException as exc:
            vault.lock(data_dir)
            for child in list(data_dir.iterdir()) if data_dir.exists() else []:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
            if created:
                with contextlib.suppress(OSError):
                    data_dir.rmdir()
            if isinstance(exc, OSError):
                raise UserError(_("the backup was not restored: {problem}").format(
                    problem=write_failure(data_dir, exc))) from None
            raise
    return {"assessments": count, "data_dir": str(data_dir)}
