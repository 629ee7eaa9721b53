"""Content-addressed evidence files and resumable uploads on the server.

Files live in ``DATA/blobs/ab/ab12...`` (the same layout as the laptop's evidence folder). An
upload is identified by (device, sha256); its bytes so far are in ``DATA/uploads/<id>.part``.
A chunk is appended only when it arrived whole and starts at the current offset; when the last
byte arrives the whole file's hash is checked before it is fsynced and moved into place. The
file being in place is the record that it arrived (no database write per photo).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..evidence.files import evidence_path
from ..sync.wire import MAX_BLOB
from . import db
from .errors import ApiError




def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BlobStore:
    def __init__(self, database: db.Database, root: Path):
        self.db = database
        self.root = Path(root)
        self.blob_dir = self.root / "blobs"
        self.upload_dir = self.root / "uploads"
        self.blob_dir.mkdir(parents=True, exist_ok=True)
        self.upload_dir.mkdir(parents=True, exist_ok=True)

    def path(self, sha: str) -> Path:
        return evidence_path(self.blob_dir, sha)

    def known(self, hashes: list[str]) -> set[str]:
        """The hashes whose file is in place. A file is moved into place only after its whole
        content was hashed and fsynced, so its presence means it arrived complete."""
        return {h for h in hashes if self.path(h).is_file()}

    def _part(self, device_id: str, sha: str) -> Path:
        return self.upload_dir / f"{device_id}-{sha}.part"

    def offset(self, device_id: str, sha: str) -> int:
        """Bytes received so far (the full size once the blob is stored)."""
        if self.known([sha]):
            return self.path(sha).stat().st_size
        part = self._part(device_id, sha)
        return part.stat().st_size if part.exists() else 0

    def append(self, device_id: str, sha: str, size: int, offset: int, chunk: bytes) -> dict:
        """Append ``chunk`` at ``offset`` of the upload of ``sha`` (``size`` bytes in all).
        Returns ``{"offset": n, "complete": bool}``."""
        if not 0 < size <= MAX_BLOB:
            raise ApiError(413, "too_large", f"a file of {size} bytes is refused (the limit "
                              f"is {MAX_BLOB // (1024 * 1024)} MB)")
        if self.known([sha]):
            return {"offset": size, "complete": True}
        part = self._part(device_id, sha)
        have = part.stat().st_size if part.exists() else 0
        if offset != have:
            raise ApiError(409, "upload_offset", f"the server has {have} bytes of this file; "
                              f"continue from there", offset=have)
        if have + len(chunk) > size:
            raise ApiError(422, "invalid", "the chunk goes past the declared file size")
        if have == 0 and len(chunk) == size:       # the whole file in one request
            return self._place(chunk, sha, part)
        with open(part, "ab") as fh:
            fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        have += len(chunk)
        if have < size:
            return {"offset": have, "complete": False}
        return self._finish(part, sha, size)

    def _finish(self, part: Path, sha: str, size: int) -> dict:
        h = hashlib.sha256()
        with open(part, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        self._check(h.hexdigest(), sha, part)
        self._move(part, sha)
        return {"offset": size, "complete": True}

    def _check(self, got: str, sha: str, part: Path) -> None:
        if got != sha:
            part.unlink(missing_ok=True)
            raise ApiError(422, "invalid", f"the uploaded file does not match its hash "
                           f"{sha[:12]}: it was damaged in transfer; it was discarded, send it "
                           f"again")

    def _place(self, data: bytes, sha: str, part: Path) -> dict:
        self._check(hashlib.sha256(data).hexdigest(), sha, part)
        tmp = part.with_suffix(".whole")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        self._move(tmp, sha)
        return {"offset": len(data), "complete": True}

    def _move(self, source: Path, sha: str) -> None:
        target = self.path(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        _fsync_dir(target.parent)

    def put_whole(self, sha: str, data: bytes) -> None:
        """Store a whole file at once (bundle import); the hash is checked first."""
        if hashlib.sha256(data).hexdigest() != sha:
            raise ApiError(422, "invalid", f"file {sha[:12]} does not match its hash")
        if self.known([sha]):
            return
        self._place(data, sha, self.upload_dir / f"import-{sha}.part")

    def read(self, sha: str) -> Path:
        return self.path(sha)
