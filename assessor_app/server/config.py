"""The server's data folder: ``config.json`` (database URL, optional CA folder), ``server.db``
(the embedded SQLite default), ``blobs/`` and ``uploads/``."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..fileio import atomic_write

ENV_DATA = "ASSESSOR_SERVER_DATA"
ENV_URL = "ASSESSOR_SERVER_DATABASE_URL"


@dataclass
class ServerConfig:
    data_dir: Path
    database_url: str
    pki_dir: Path | None = None

    @classmethod
    def load(cls, data_dir: str | Path | None) -> "ServerConfig":
        folder = Path(data_dir or os.environ.get(ENV_DATA) or "assessor-server-data").resolve()
        path = folder / "config.json"
        if not path.is_file():
            raise UserError(f"{folder} is not a server data folder; run 'assessor-server init "
                            f"--data {folder}' first")
        raw = json.loads(path.read_text("utf-8"))
        url = os.environ.get(ENV_URL) or raw.get("database_url") or default_url(folder)
        pki = raw.get("pki_dir")
        return cls(folder, url, Path(pki) if pki else None)

    def save(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        body = {"database_url": self.database_url,
                "pki_dir": str(self.pki_dir) if self.pki_dir else None}
        atomic_write(self.data_dir / "config.json",
                     json.dumps(body, indent=1).encode("utf-8"))


def default_url(folder: Path) -> str:
    return f"sqlite:///{Path(folder).resolve() / 'server.db'}"


def secure_folder(folder: Path, everything: bool = False) -> None:
    """Make the data folder readable by this account only: the folder, ``blobs/`` and
    ``uploads/`` 0700, ``config.json`` and the SQLite files 0600. ``everything`` (at ``init``)
    also fixes every file and folder inside, for a folder made by an older version."""
    folder = Path(folder)
    targets = [folder, folder / "blobs", folder / "uploads"]
    files = [folder / name for name in ("config.json", "server.db", "server.db-wal",
                                        "server.db-shm")]
    if everything:
        for root, dirs, names in os.walk(folder):
            targets += [Path(root) / d for d in dirs]
            files += [Path(root) / n for n in names]
    for path, mode in [(p, 0o700) for p in targets if p.is_dir()] + \
            [(p, 0o600) for p in files if p.is_file()]:
        try:
            os.chmod(path, mode)
        except OSError:       # not ours to change (another owner): leave it as it is
            pass
