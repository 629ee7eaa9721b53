"""``assessor-server gc``: remove unfinished uploads and files that nothing references.

A stored file is kept when any revision (as stored or as sent) or any current assessment
references it, or when it is younger than the grace period (a laptop may have uploaded it and be
about to send the revision that uses it). Just before a file is removed, the current references
are checked again, which narrows (but cannot close without a lock) the window in which a push
arriving during the run could reference it: run gc when the office is quiet, e.g. at night.
"""

from __future__ import annotations

import json
import time

import sqlalchemy as sa

from ..exchange import referenced_blobs
from . import db
from .blobs import BlobStore


def referenced(conn) -> set[str]:
    """Every hash a revision or a current assessment references."""
    out = set(conn.execute(sa.select(db.assessment_blobs.c.sha256)).scalars())
    rows = sa.select(db.revisions.c.doc, db.revisions.c.sent_doc).execution_options(yield_per=100)
    for doc, sent in conn.execute(rows):      # streamed: documents are not all held at once
        for text in (doc, sent):
            if text:
                try:
                    out.update(referenced_blobs(json.loads(text)))
                except (ValueError, KeyError, TypeError):
                    pass
    return out


def collect(database: db.Database, blobs: BlobStore, grace_hours: float = 24.0,
            dry_run: bool = False) -> dict:
    """Remove expired ``.part`` files and unreferenced files older than ``grace_hours``."""
    grace = max(0.0, grace_hours) * 3600
    parts = 0 if dry_run else blobs.expire_parts(grace)
    with database.read() as conn:
        keep = referenced(conn)
    limit = time.time() - grace
    removed, freed, kept = [], 0, 0
    for sha in blobs.stored():
        path = blobs.path(sha)
        try:
            young = path.stat().st_mtime >= limit
        except OSError:
            continue
        if sha in keep or young:
            kept += 1
            continue
        with database.read() as conn:
            if conn.execute(sa.select(db.assessment_blobs.c.sha256)
                            .where(db.assessment_blobs.c.sha256 == sha).limit(1)).first():
                kept += 1
                continue
        removed.append(sha)
        freed += path.stat().st_size if dry_run else blobs.remove(sha)
    if not dry_run:
        with database.write() as conn:      # owner rows of files no longer stored
            present = set(blobs.stored())
            gone = [h for h in conn.execute(sa.select(sa.distinct(db.blob_owners.c.sha256)))
                    .scalars() if h not in present]
            for i in range(0, len(gone), 500):
                conn.execute(sa.delete(db.blob_owners)
                             .where(db.blob_owners.c.sha256.in_(gone[i:i + 500])))
    return {"parts_removed": parts, "files_removed": len(removed), "bytes_freed": freed,
            "files_kept": kept, "dry_run": dry_run}
