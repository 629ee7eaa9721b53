"""Report-size copies of stored photos: made at import, kept beside the evidence, sealed alike.

A stored photo is up to 2048 px on its long edge (about 0.5 MB); a report prints it about 8 cm
wide, where 960 px is still about 300 dpi. Downscaling 100 photos takes seconds, so
:func:`~assessor_app.evidence.files.import_photo` makes the copy while the photo comes in and a
report only reads it. The copy of ``ab/ab12...`` is ``ab/ab12....r960q72``: it is not evidence
(no hash name, never synced, exported or backed up; every listing of evidence files matches
64-character names only) and can always be made again from the photo, which
:func:`report_copy` does when it is missing, torn or damaged (photos that came through sync or
an exchange file, data folders from before copies were made).

The file is ``ARC1 || SHA-256(photo's hash || jpeg) || jpeg``, written atomically; in an
encrypted data folder it is sealed like the evidence (``AEV1 || nonce || AES-GCM``, the copy's
file name as associated data). A torn copy, or one of another photo, is never printed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from pathlib import Path

from cryptography.exceptions import InvalidTag
from PIL import Image, ImageOps

from assessor_app import vault
from assessor_app.evidence.storage import evidence_path, read_evidence
from assessor_app.fileio import atomic_write

LONG_EDGE = 960
QUALITY = 72
SUFFIX = f".r{LONG_EDGE}q{QUALITY}"
_HEADER = b"ARC1"


def make_report_copy(photo: bytes) -> bytes:
    """The report-size JPEG of a stored photo's bytes (deterministic: the same photo always
    gives the same copy, whether made at import or later)."""
    with Image.open(io.BytesIO(photo)) as im:
        scale = LONG_EDGE / max(im.size)
        if im.format == "JPEG" and scale < 1:    # DCT scaling: decode at 1/2, 1/4 ... as far
            im.draft("RGB", (max(1, round(im.width * scale)),   # as the copy's size allows
                             max(1, round(im.height * scale))))
        im = ImageOps.exif_transpose(im)
        if im.mode not in ("RGB", "L"):
            im = im.convert("RGB")
        im.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.BICUBIC, reducing_gap=2.0)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=QUALITY, optimize=False, progressive=False)
        return buf.getvalue()


def report_copy_path(store_dir, sha256: str) -> Path:
    """Where the report-size copy of the photo ``sha256`` lives (ValueError for a bad hash)."""
    path = evidence_path(store_dir, sha256)
    return path.with_name(path.name + SUFFIX)


def read_report_copy(store_dir, sha256: str) -> bytes | None:
    """The stored report-size JPEG of photo ``sha256``, or None when there is none or it does
    not check out (torn, damaged, sealed with another key, or plain in an encrypted folder).
    Raises vault.Locked for a locked encrypted folder."""
    path = report_copy_path(store_dir, sha256)
    cipher = vault.evidence_cipher(store_dir)
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if cipher is not None and not blob.startswith(vault.MAGIC):
        return None                          # plain from before encryption: made again sealed
    try:
        payload = vault.unseal(cipher, path.name, blob)
    except InvalidTag:
        return None
    return _checked(payload, sha256)


def _digest(sha256: str, jpeg: bytes) -> bytes:
    return hashlib.sha256(sha256.encode("ascii") + jpeg).digest()


def _checked(payload: bytes, sha256: str) -> bytes | None:
    """The JPEG of a copy's plain payload, or None when it is torn or another photo's."""
    digest, jpeg = payload[4:36], payload[36:]
    if payload[:4] != _HEADER or _digest(sha256, jpeg) != digest:
        return None
    return jpeg


def write_report_copy(store_dir, sha256: str, jpeg: bytes) -> bool:
    """Store ``jpeg`` as the report-size copy of photo ``sha256`` (sealed in an encrypted
    folder, atomically). Returns False when it could not be written (read-only or full disk):
    only the speed-up is lost."""
    path = report_copy_path(store_dir, sha256)
    cipher = vault.evidence_cipher(store_dir)
    payload = _HEADER + _digest(sha256, jpeg) + jpeg
    try:
        atomic_write(path, vault.seal(cipher, path.name, payload) if cipher is not None
                     else payload)
    except OSError:
        return False
    return True


def store_report_copy(store_dir, sha256: str, photo: bytes) -> None:
    """Make and store the copy of a just-stored photo unless a good one is already there."""
    if read_report_copy(store_dir, sha256) is None:
        write_report_copy(store_dir, sha256, make_report_copy(photo))


def report_copy(store_dir, sha256: str) -> bytes:
    """The report-size JPEG of photo ``sha256``: the stored copy, else made from the photo (hash
    re-checked, EvidenceRejected when missing or damaged) and stored for the next report."""
    jpeg = read_report_copy(store_dir, sha256)
    if jpeg is None:
        jpeg = make_report_copy(read_evidence(store_dir, sha256))
        write_report_copy(store_dir, sha256, jpeg)
    return jpeg


def remove_evidence(store_dir, sha256: str) -> None:
    """Delete an evidence file and its report-size copy (missing ones are fine)."""
    for path in (evidence_path(store_dir, sha256), report_copy_path(store_dir, sha256)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def seal_plain_copies(store_dir, cipher) -> int:
    """Seal every plain report-size copy of an evidence folder being encrypted (atomically
    each); a damaged one is deleted (it is made again). Returns how many were sealed."""
    count = 0
    for path in sorted(Path(store_dir).glob("??/" + "?" * 64 + SUFFIX)):
        blob = path.read_bytes()
        if blob.startswith(vault.MAGIC):
            continue
        if _checked(blob, path.name.removesuffix(SUFFIX)) is None:
            path.unlink()
            continue
        atomic_write(path, vault.seal(cipher, path.name, blob))
        count += 1
    return count
