"""Photos at report size: downscaled JPEGs, made in parallel and cached by content hash.

A stored photo is up to 2048 px on its long edge (about 0.5 MB); the appendix prints it about
8 cm wide, where 960 px is still about 300 dpi. The copies live in ``DATA/cache/report`` (safe to
delete) so a second report of the same assessment does not decode any photo again; an encrypted
data folder keeps no such copies (they would be readable).
"""

from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageOps

from ..evidence.files import read_evidence
from ..fileio import atomic_write

LONG_EDGE = 960
QUALITY = 72


def _downscale(source: Path, sha256: str) -> bytes:
    # through read_evidence: the stored file may be sealed (encrypted data folder)
    with Image.open(io.BytesIO(read_evidence(source.parent.parent, sha256))) as im:
        if im.format == "JPEG":
            im.draft("RGB", (LONG_EDGE, LONG_EDGE))   # DCT scaling: decode at 1/2, 1/4 ...
        im = ImageOps.exif_transpose(im)
        if im.mode not in ("RGB", "L"):
            im = im.convert("RGB")
        im.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.BICUBIC, reducing_gap=2.0)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=QUALITY, optimize=False, progressive=False)
        return buf.getvalue()


def report_image(source: Path, sha256: str, cache_dir: Path | None) -> bytes:
    """The report-size JPEG of one stored photo (from the cache when present)."""
    cached = cache_dir / f"{sha256}-{LONG_EDGE}.jpg" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    data = _downscale(source, sha256)
    if cached is not None:
        try:
            atomic_write(cached, data)
        except OSError:
            pass  # a read-only data folder only loses the cache
    return data


def report_images(photos, cache_dir: Path | None) -> dict[str, bytes]:
    """sha256 -> report-size JPEG for every photo, decoded on all cores (Pillow drops the GIL)."""
    unique = {p.sha256: p.path for p in photos}
    if not unique:
        return {}
    workers = max(1, min(len(unique), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda kv: (kv[0], report_image(kv[1], kv[0], cache_dir)),
                           unique.items())
        return dict(results)
