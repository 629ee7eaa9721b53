"""Field-by-field three-way merge of exchange documents (guarantee 5).

``merge(base, theirs, mine)``: ``base`` is the document the pushing device last sent (the
revision its edit started from; ``None`` when it never saw a server copy), ``theirs`` is what the
server holds now, ``mine`` is the pushed document. Per field (an answer with its note, a finding,
a photo link, a signature, the unit, dates, people, samples, notes):

- changed on one side only: that side's value is taken (flag ``merged`` when theirs is taken);
- changed on both sides to different values: the inspector's (pushed) value is kept, the other
  is recorded in ``conflicts`` (and stays in the revision history), flag ``conflict``.

The result keeps the pushed document's header (assessment, template, history); the caller
rescores it and recomputes its content hash.
"""

from __future__ import annotations

from typing import Any


def _fields(doc: dict | None) -> dict[str, Any]:
    if not doc:
        return {}
    out: dict[str, Any] = {
        "unit": doc.get("unit"), "visit_dates": doc.get("visit_dates", []),
        "people": doc.get("people"), "samples": doc.get("samples"),
        "notes": doc.get("assessment", {}).get("notes", ""),
    }
    for a in doc.get("answers", []):
        out[f"answer:{a['item']}#{a['sample']}"] = {k: a[k] for k in ("value", "note") if k in a}
    for f in doc.get("findings", []):
        out[f"finding:{f['uuid']}"] = f
    for e in doc.get("evidence", []):
        out[f"evidence:{e['sha256']}:{e['item']}#{e['sample']}"] = e
    for s in doc.get("signatures", []):
        out[f"signature:{s['role']}"] = s
    return out


def merge(base: dict | None, theirs: dict | None, mine: dict) -> tuple[dict, list[str], list[dict]]:
    """Returns ``(merged_doc, flags, conflicts)``; ``conflicts`` = ``[{field, kept, other}]``."""
    if theirs is None:
        return mine, [], []
    b, t, m = _fields(base), _fields(theirs), _fields(mine)
    result: dict[str, Any] = {}
    flags: set[str] = set()
    conflicts: list[dict] = []
    for key in list(m) + [k for k in t if k not in m]:
        bv, tv, mv = b.get(key), t.get(key), m.get(key)
        if mv == tv:
            chosen = mv
        elif mv == bv:
            chosen = tv
            flags.add("merged")
        elif tv == bv:
            chosen = mv
        else:
            chosen = mv
            flags.add("conflict")
            conflicts.append({"field": key, "kept": mv, "other": tv})
        if chosen is not None:
            result[key] = chosen
    merged = dict(mine)
    merged["assessment"] = dict(mine["assessment"], notes=result.get("notes", ""))
    for key in ("unit", "visit_dates", "people", "samples"):
        if key in result:
            merged[key] = result[key]
    answers = []
    for key, value in result.items():
        if key.startswith("answer:"):
            item, sample = key[len("answer:"):].rsplit("#", 1)
            answers.append({"item": item, "sample": int(sample), **value})
    merged["answers"] = sorted(answers, key=lambda a: (a["item"], a["sample"]))
    merged["findings"] = [v for k, v in result.items() if k.startswith("finding:")]
    merged["evidence"] = [v for k, v in result.items() if k.startswith("evidence:")]
    merged["signatures"] = [v for k, v in result.items() if k.startswith("signature:")]
    return merged, sorted(flags), conflicts
