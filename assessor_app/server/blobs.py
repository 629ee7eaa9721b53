"""Content-addressed evidence files and resumable uploads on the server.

Files live in ``DATA/blobs/ab/ab12...`` (the same layout as the laptop's evidence folder). An
upload is identified by (device, sha256); its bytes so far are in ``DATA/uploads/<id>.part``.
A chunk is appended only when it arrived whole and starts at the current offset; when the last
byte arrives the whole file's hash is checked before it is fsynced and moved into place. The
file being in place is the record that it arrived; ``blob_owners`` records which devices sent
those bytes (a device may reference a file it uploaded, or one an assessment it can see already
references: see ServerStore.usable_blobs). A file already stored but not owned by this device
must still be sent whole and hash-checked before this device becomes an owner, so knowing a
hash is never enough.

Limits: a device may hold at most ``quota`` bytes of files no assessment references plus
unfinished uploads (``ASSESSOR_DEVICE_QUOTA_MB``, 2048 by default); unfinished ``.part`` files
older than a day and files no revision references are removed by ``assessor-server gc``.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import sqlalchemy as sa

from ..evidence.files import evidence_path
from ..sync import wire
from ..sync.wire import MAX_BLOB
from . import db
from .errors import ApiError

DEFAULT_QUOTA = 2048 * 1024 * 1024
PART_MAX_AGE = 24 * 3600


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
    def __init__(self, database: db.Database, root: Path, quota: int | None = None):
        self.db = database
        self.root = Path(root)
        self.blob_dir = self.root / "blobs"
        self.upload_dir = self.root / "uploads"
        self.quota = DEFAULT_QUOTA if quota is None else quota
        for folder in (self.blob_dir, self.upload_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def path(self, sha: str) -> Path:
        return evidence_path(self.blob_dir, sha)

    def known(self, hashes: list[str]) -> set[str]:
        """The hashes whose file is in place. A file is moved into place only after its whole
        content was hashed and fsynced, so its presence means it arrived complete."""
        return {h for h in hashes if self.path(h).is_file()}

    def owns(self, device_id: str, sha: str) -> bool:
        with self.db.read() as conn:
            return conn.execute(sa.select(db.blob_owners.c.sha256).where(
                db.blob_owners.c.sha256 == sha, db.blob_owners.c.device_id == device_id)
            ).first() is not None

    def record_owner(self, device_id: str, sha: str, size: int) -> None:
        """One statement, committed without fsync (lost in a power cut, the device is asked
        for the file again): an upload costs no more than before on either database."""
        if self.db.sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        with self.db.write_relaxed() as conn:
            conn.execute(insert(db.blob_owners).values(sha256=sha, device_id=device_id, size=size,
                                                       at=db.now()).on_conflict_do_nothing())

    def _part(self, device_id: str, sha: str) -> Path:
        return self.upload_dir / f"{device_id}-{sha}.part"

    def offset(self, device_id: str, sha: str) -> int:
        """Bytes this device sent so far (the full size once it sent the whole file)."""
        if self.known([sha]) and self.owns(device_id, sha):
            return self.path(sha).stat().st_size
        part = self._part(device_id, sha)
        return part.stat().st_size if part.exists() else 0

    def held_by(self, device_id: str, referenced_too: bool = False) -> int:
        """Bytes counted against the device's quota: files it uploaded that no assessment
        references, plus its unfinished uploads (with ``referenced_too``: every file it
        uploaded, a cheaper upper bound)."""
        bo, ab = db.blob_owners.c, db.assessment_blobs.c
        q = sa.select(sa.func.coalesce(sa.func.sum(bo.size), 0)).where(bo.device_id == device_id)
        if not referenced_too:
            q = q.where(~sa.exists().where(ab.sha256 == bo.sha256))
        with self.db.read() as conn:
            loose = conn.execute(q).scalar_one()
        parts = 0
        for p in self.upload_dir.glob(f"{device_id}-*.part"):
            try:
                parts += p.stat().st_size
            except OSError:
                pass
        return int(loose) + parts

    def append(self, device_id: str, sha: str, size: int, offset: int, chunk: bytes) -> dict:
        """Append ``chunk`` at ``offset`` of the upload of ``sha`` (``size`` bytes in all).
        Returns ``{"offset": n, "complete": bool}``."""
        if not 0 < size <= MAX_BLOB:
            raise ApiError(413, "too_large", f"a file of {size} bytes is refused (the limit "
                              f"is {MAX_BLOB // (1024 * 1024)} MB)")
        if self.known([sha]) and self.owns(device_id, sha):
            return {"offset": size, "complete": True}
        part = self._part(device_id, sha)
        have = part.stat().st_size if part.exists() else 0
        if offset != have:
            raise ApiError(409, "upload_offset", f"the server has {have} bytes of this file; "
                              f"continue from there", offset=have)
        if have + len(chunk) > size:
            raise ApiError(422, "invalid", "the chunk goes past the declared file size")
        if have == 0 and self.held_by(device_id, referenced_too=True) + size > self.quota \
                and self.held_by(device_id) + size > self.quota:
            raise ApiError(413, wire.E_QUOTA, f"this device already holds "
                           f"{self.held_by(device_id) // (1024 * 1024)} MB of files that no "
                           f"assessment uses (the limit is {self.quota // (1024 * 1024)} MB); "
                           f"send the assessments that use them, or ask the administrator")
        if have == 0 and len(chunk) == size:       # the whole file in one request
            return self._place(chunk, sha, part, device_id)
        with open(part, "ab") as fh:
            fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        have += len(chunk)
        if have < size:
            return {"offset": have, "complete": False}
        return self._finish(part, sha, size, device_id)

    def _finish(self, part: Path, sha: str, size: int, device_id: str) -> dict:
        h = hashlib.sha256()
        with open(part, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        self._check(h.hexdigest(), sha, part)
        self._move(part, sha)
        self.record_owner(device_id, sha, size)
        return {"offset": size, "complete": True}

    def _check(self, got: str, sha: str, part: Path) -> None:
        if got != sha:
            part.unlink(missing_ok=True)
            raise ApiError(422, "invalid", f"the uploaded file does not match its hash "
                           f"{sha[:12]}: it was damaged in transfer; it was discarded, send it "
                           f"again")

    def _place(self, data: bytes, sha: str, part: Path, device_id: str) -> dict:
        self._check(hashlib.sha256(data).hexdigest(), sha, part)
        if not self.known([sha]):
            tmp = part.with_suffix(".whole")
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            self._move(tmp, sha)
        self.record_owner(device_id, sha, len(data))
        return {"offset": len(data), "complete": True}

    def _move(self, source: Path, sha: str) -> None:
        target = self.path(sha)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(source, 0o600)
        os.replace(source, target)
        _fsync_dir(target.parent)

    def put_whole(self, sha: str, data: bytes, device_id: str) -> None:
        """Store a whole file at once (bundle import, made by ``device_id``); the hash is
        checked first."""
        if hashlib.sha256(data).hexdigest() != sha:
            raise ApiError(422, "invalid", f"file {sha[:12]} does not match its hash")
        self._place(data, sha, self.upload_dir / f"import-{sha}.part", device_id)

    def read(self, sha: str) -> Path:
        return self.path(sha)

    # ------------------------------------------------------------------ clean-up
    def expire_parts(self, max_age: float = PART_MAX_AGE) -> int:
        """Remove unfinished uploads untouched for ``max_age`` seconds; returns how many."""
        removed, limit = 0, time.time() - max_age
        for p in self.upload_dir.iterdir():
            try:
                if p.is_file() and p.stat().st_mtime < limit:
                    p.unlink()
                    removed += 1
            except OSError:
                pass
        return removed

    def stored(self) -> list[str]:
        """Every stored file's hash."""
        return [p.name for p in self.blob_dir.glob("*/*") if p.is_file()
                and len(p.name) == 64]

    def remove(self, sha: str) -> int:
        """Delete a stored file and its owner rows; returns the bytes freed."""
        path = self.path(sha)
        size = path.stat().st_size if path.is_file() else 0
        path.unlink(missing_ok=True)
        with self.db.write() as conn:
            conn.execute(sa.delete(db.blob_owners).where(db.blob_owners.c.sha256 == sha))
        return size
