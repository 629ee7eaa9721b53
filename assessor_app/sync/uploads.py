"""Resumable, content-addressed upload of photos and signature images.

The client asks which hashes the server lacks, then sends each missing file in chunks with
``PATCH /v1/uploads/{sha256}?size=N`` and ``Upload-Offset``. If a chunk is cut off, the retry
either lands (same offset) or the server answers ``upload_offset`` with how much it holds, and
the upload continues from there; the server checks the whole file's hash at the end.
"""

from __future__ import annotations

from typing import Callable

from ..evidence.files import evidence_path, read_evidence
from ..i18n import _
from .errors import SyncRejected
from .transport import Transport
from .wire import CHUNK_SIZE, E_OFFSET


def missing(transport: Transport, hashes: list[str]) -> list[str]:
    out: list[str] = []
    for i in range(0, len(hashes), 1000):
        out += transport.call("POST", "/v1/blobs/missing", json={"hashes": hashes[i:i + 1000]})["missing"]
    return out


def upload(transport: Transport, evidence_dir, sha: str, *, chunk_size: int = CHUNK_SIZE,
           on_bytes: Callable[[int], None] | None = None) -> int:
    """Send one file; returns the bytes sent. The local copy is checked against its hash first
    (a damaged file is reported, never sent)."""
    data = read_evidence(evidence_dir, sha)
    size = len(data)
    offset, sent = 0, 0
    evidence_path(evidence_dir, sha)
    for _attempt in range(10_000):
        chunk = data[offset:offset + chunk_size]
        try:
            answer = transport.call("PATCH", f"/v1/uploads/{sha}", params={"size": size},
                                    headers={"Upload-Offset": str(offset),
                                             "Content-Type": "application/octet-stream"},
                                    content=chunk)
        except SyncRejected as exc:
            if exc.code != E_OFFSET:
                raise
            offset = int(exc.data["offset"])
            continue
        sent += len(chunk)
        if on_bytes:
            on_bytes(len(chunk))
        if answer.get("complete"):
            return sent
        offset = int(answer["offset"])
    raise SyncRejected("upload", _("the upload of {file} did not finish").format(file=sha[:12]))


def upload_many(transport: Transport, evidence_dir, hashes: list[str], *, workers: int = 4,
                chunk_size: int = CHUNK_SIZE, on_bytes: Callable[[int], None] | None = None) -> int:
    """Upload several files over ``workers`` parallel connections; returns the bytes sent.
    ``on_bytes`` is called from the helper threads (under a lock). The first failure is raised
    after the other uploads stopped."""
    import threading
    from concurrent.futures import ThreadPoolExecutor
    lock = threading.Lock()

    def counted(n: int) -> None:
        if on_bytes:
            with lock:
                on_bytes(n)
    if workers <= 1 or len(hashes) <= 1:
        return sum(upload(transport, evidence_dir, h, chunk_size=chunk_size, on_bytes=counted)
                   for h in hashes)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(upload, transport, evidence_dir, h, chunk_size=chunk_size,
                               on_bytes=counted) for h in hashes]
        return sum(f.result() for f in futures)
