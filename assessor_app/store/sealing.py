"""Encrypting a plain database file in place with SQLCipher (``assessor encrypt``, and the
store finishing an interrupted one when it opens the folder). Below both the store and
``assessor_app.encryption``, so neither imports the other back."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .. import vault


def sqlcipher_module():
    import sqlcipher3
    return sqlcipher3


def export_plain(plain: Path, target: Path, key: vault.DataKey) -> None:
    """Write an encrypted copy of the plain database ``plain`` to ``target`` (replaced)."""
    sc = sqlcipher_module()
    target.unlink(missing_ok=True)
    conn = sc.connect(str(plain))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"ATTACH DATABASE ? AS enc KEY \"x'{key.db_key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('enc')")
        conn.execute(f"PRAGMA enc.user_version = {int(version)}")
        conn.execute("DETACH DATABASE enc")
    finally:
        conn.close()
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())
    with contextlib.suppress(OSError):
        os.chmod(target, 0o600)


def finish_database(path: Path, key: vault.DataKey) -> None:
    """Encrypt the plain database at ``path`` in place (export beside it, then swap)."""
    tmp = path.with_name(path.name + ".encrypting")
    export_plain(path, tmp, key)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)
