"""The hash-chained history of an assessment.

Every change appends one entry ``{seq, at, actor, action, target, old, new, prev, hash}`` where
``hash = sha256(canonical JSON of the assessment uuid and every other field)`` and ``prev`` is
the previous entry's hash ("" for the first). Editing, removing or reordering any past entry
breaks the chain from that point on; the assessment row keeps the head (last hash), and exchange
files and signed reports carry it, so a rewrite of the whole chain is caught by comparing heads.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

from ..i18n import _


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(data: Any) -> str:
    return _CANONICAL.encode(data)


def entry_hash(assessment: str, seq: int, at: str, actor: str, action: str, target: str,
               old: str, new: str, prev: str) -> str:
    """``old`` and ``new`` are the stored JSON texts, hashed as stored."""
    payload = canonical({"assessment": assessment, "seq": seq, "at": at, "actor": actor,
                         "action": action, "target": target, "old": old, "new": new,
                         "prev": prev})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class ChainCheck:
    ok: bool
    entries: int
    head: str
    problem: str = ""
    bad_seq: int | None = None


def verify_chain(assessment: str, rows: Iterable[dict], expected_head: str | None) -> ChainCheck:
    """Recompute the chain over ``rows`` (ordered by seq); compare with ``expected_head``."""
    prev = ""
    count = 0
    for expected_seq, row in enumerate(rows, start=1):
        count += 1
        if row["seq"] != expected_seq:
            return ChainCheck(False, count, prev, _("entry {seq} is missing (found {found} "
                                                    "instead)").format(seq=expected_seq,
                                                                       found=row["seq"]),
                              expected_seq)
        if row["prev"] != prev:
            return ChainCheck(False, count, prev, _("entry {seq} does not follow entry {previous}: "
                                                    "an entry was removed or replaced").format(
                                  seq=row["seq"], previous=row["seq"] - 1),
                              row["seq"])
        digest = entry_hash(assessment, row["seq"], row["at"], row["actor"], row["action"],
                            row["target"], row["old"], row["new"], row["prev"])
        if digest != row["hash"]:
            return ChainCheck(False, count, prev, _("entry {seq} ({action} {target} at {at}) was "
                                                    "altered after it was written").format(
                                  seq=row["seq"], action=row["action"], target=row["target"],
                                  at=row["at"]), row["seq"])
        prev = digest
    if expected_head is not None and prev != expected_head:
        return ChainCheck(False, count, prev, _("the last entries of the history were removed or "
                                                "the whole chain was rewritten (head mismatch)"))
    return ChainCheck(True, count, prev)
