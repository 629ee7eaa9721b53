"""Photos at report size (960 px long edge, JPEG quality 72), read in parallel.

Each photo's report-size copy is made when it is imported and kept beside it in the evidence
folder, sealed like it in an encrypted data folder (:mod:`assessor_app.evidence.report_copy`).
A photo without one (it came through sync or an exchange file, or was imported before copies
existed), or whose copy is torn or damaged, is downscaled here once and its copy stored.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..evidence.report_copy import LONG_EDGE, QUALITY, report_copy

__all__ = ["LONG_EDGE", "QUALITY", "report_images"]


def report_images(photos, store_dir: Path) -> dict[str, bytes]:
    """sha256 -> report-size JPEG for every photo of the evidence folder ``store_dir``;
    photos without a stored copy are downscaled on all cores (Pillow drops the GIL)."""
    unique = list(dict.fromkeys(p.sha256 for p in photos))
    if not unique:
        return {}
    workers = max(1, min(len(unique), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(unique, pool.map(lambda sha: report_copy(store_dir, sha), unique)))
