"""Core store benchmarks (file database, synchronous=FULL, WAL).

Targets (issue 16, tighter than issue 2's): autosave p99 <= 5 ms and within 1.5x of a bare
sqlite3 single-row commit with the same pragmas (measured in the same run, in turns with the
autosaves); opening and scoring a 1,000-item assessment <= 30 ms; listing 10,000 assessments with score and status <= 50 ms.

Run: .venv/bin/python bench/bench_store.py [--changes 10000] [--assessments 10000]
(ASSESSOR_BENCH_QUICK=1: 1,000 changes and 1,000 assessments)
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
import uuid as uuidlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (bare_commit, bare_connection, big_template, machine, pct, quick,  # noqa: E402
                    report)

from assessor_app.store import AssessmentStore  # noqa: E402
from assessor_app.store.base import dumps  # noqa: E402
from assessor_app.templates.loader import build_template  # noqa: E402


def autosave(store: AssessmentStore, uid: str, template, n: int,
             bare_path: Path) -> tuple[list[float], list[float]]:
    """Seconds per autosave and per bare single-row commit, taken in turns (one bare commit,
    then one answer saved, n times), so both meet the same moments of the machine: a burst of
    other work lands on both series instead of on whichever happened to run then."""
    rnd = random.Random(1)
    items = list(template.items.values())
    bare = bare_connection(sqlite3.connect(bare_path, isolation_level=None))
    out, base = [], []
    for i in range(n):
        item = rnd.choice(items)
        value = rnd.choice([0, 1, 2, 3]) if item.type == "scale" else rnd.choice(["yes", "no", "na"])
        base.append(bare_commit(bare, i))
        t0 = time.perf_counter()
        store.set_answer(uid, item.id, value)
        out.append(time.perf_counter() - t0)
    bare.close()
    return out, base


def open_and_score(data_dir: Path, uid: str, runs: int = 15) -> tuple[list[float], list[float]]:
    """Wall and CPU times of opening a new store and scoring (the template is built from its
    snapshot once per process, as in the app)."""
    out, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        with AssessmentStore(data_dir) as store:
            store.score(uid)
        out.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return out, cpu


def fill_many(store: AssessmentStore, template, count: int) -> None:
    """Insert ``count`` assessments directly (fast set-up, not what is measured)."""
    rows = []
    for i in range(count):
        rows.append((str(uuidlib.uuid4()), template.id, template.version, template.hash, "completed",
                     f"Pemkab {i % 300}", f"Unit layanan {i}", "Jl. Contoh", "{}", dumps(["2026-10-01"]),
                     "[]", "{}", "", "2026-10-01T00:00:00Z", f"2026-10-{1 + i % 28:02d}T00:00:00Z",
                     "bench", 50 + (i % 50), "A", "green", 900, 1000, 0, 0))
    with store.transaction() as c:
        c.executemany("INSERT INTO assessments(uuid, template_id, template_version, template_hash, status,"
                      " agency, unit, address, unit_extra, visit_dates, inspectors, samples, notes,"
                      " created_at, updated_at, created_by, score, grade, zone, answered, total_items,"
                      " required_missing, score_dirty) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      rows)


B = "bench_store"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=1000 if quick() else 10_000)
    ap.add_argument("--assessments", type=int, default=1000 if quick() else 10_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="assessor-bench-"))
    print(f"machine: {machine()}  (file databases in {tmp})")

    store = AssessmentStore(tmp / "data", actor="bench")
    template = store.import_template(build_template(big_template(1000), "bench"))
    uid = store.create_assessment(template, unit={"unit": "Bench"})
    ours, bare = autosave(store, uid, template, args.changes, tmp / "bare.db")
    b50, b99 = pct(bare, 50) * 1e3, pct(bare, 99) * 1e3
    o50, o99 = pct(ours, 50) * 1e3, pct(ours, 99) * 1e3
    ratio = o99 / b99
    n = f"{args.changes:,}"
    report(B, f"autosave over {n} answer changes, p99", f"{o99:.2f} ms", "<= 5 ms", o99 <= 5)
    report(B, f"autosave over {n} answer changes, p50", f"{o50:.2f} ms")
    report(B, "bare sqlite3 single-row commit, same pragmas, p99 / p50", f"{b99:.2f} / {b50:.2f} ms")
    report(B, "autosave p99 / bare sqlite3 p99", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)
    report(B, "autosave p50 / bare sqlite3 p50", f"{o50 / b50:.2f}x")

    for item in template.walk_items():   # a fully answered 1,000-item assessment
        store.set_answer(uid, item.id, 3 if item.type == "scale" else "yes")
    store.close()
    times, cpu = open_and_score(tmp / "data", uid)
    med = sorted(times)[len(times) // 2] * 1e3
    report(B, "open and score a 1,000-item assessment (new store each time), median",
           f"{med:.1f} ms (CPU {sorted(cpu)[len(cpu) // 2] * 1e3:.1f} ms)", "<= 30 ms", med <= 30)
    report(B, "open and score a 1,000-item assessment, worst", f"{max(times) * 1e3:.1f} ms")

    with AssessmentStore(tmp / "list", actor="bench") as big:
        t = big.import_template(build_template(big_template(40), "bench"))
        fill_many(big, t, args.assessments)
        big.list_assessments()   # warm the page cache once
        runs, cpu = [], []
        for _ in range(10):
            t0, c0 = time.perf_counter(), time.process_time()
            rows = big.list_assessments()
            runs.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        med = sorted(runs)[len(runs) // 2] * 1e3
        report(B, f"list {len(rows):,} assessments with score and status, median",
               f"{med:.1f} ms (CPU {sorted(cpu)[len(cpu) // 2] * 1e3:.1f} ms)", "<= 50 ms", med <= 50)
    return 0


if __name__ == "__main__":
    sys.exit(main())
