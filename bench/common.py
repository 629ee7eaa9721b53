"""Helpers for the benchmarks: a generated N-item template and a machine description."""

from __future__ import annotations

import os
import platform
import statistics

T = {"id": "Butir", "en": "Item"}
SCALE = [{"value": v, "label": {"id": str(v), "en": str(v)}} for v in range(4)]


def big_template(n_items: int = 1000, per_section: int = 25, version: str = "1") -> dict:
    """A template body with ``n_items`` scored items in weighted dimensions of sections."""
    sections, count = [], 0
    dims = 4
    per_dim = n_items // dims
    for d in range(dims):
        subs = []
        for s in range(max(1, per_dim // per_section)):
            items = []
            for i in range(per_section):
                count += 1
                kind = "scale" if count % 3 == 0 else "yes_no_na"
                item = {"id": f"q{count}", "type": kind, "required": True,
                        "text": {"id": f"Indikator nomor {count} terpenuhi?",
                                 "en": f"Is indicator number {count} met?"},
                        "legal": "UU 25/2009 Pasal 21"}
                if kind == "scale":
                    item["scale"] = SCALE
                items.append(item)
            subs.append({"id": f"d{d}_s{s}", "title": {"id": f"Bagian {s}", "en": f"Part {s}"},
                         "items": items})
        sections.append({"id": f"d{d}", "title": {"id": f"Dimensi {d}", "en": f"Dimension {d}"},
                         "weight": 25, "sections": subs})
    return {"format": "assessor-template/1", "id": f"bench_{n_items}", "version": version,
            "title": {"id": "Bangku uji", "en": "Benchmark"},
            "bands": [{"id": "A", "label": T, "min": 50, "max": 100, "colour": "#2E7D32", "zone": "green"},
                      {"id": "B", "label": T, "min": 0, "max": 49.99, "colour": "#C62828", "zone": "red"}],
            "sections": sections}


def machine() -> str:
    return (f"{platform.node() or 'machine'}: {os.cpu_count()} cores, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def median(values):
    return statistics.median(values)


def quick() -> bool:
    """True when the benchmark should run its quick mode (CI, ``bench/run_all.py --quick``):
    smaller sizes, same code paths. Set by ``ASSESSOR_BENCH_QUICK=1``."""
    return os.environ.get("ASSESSOR_BENCH_QUICK") == "1"


def report(bench: str, what: str, figure: str, target: str = "-", met: bool | None = None) -> None:
    """Print one measured figure and, when ``ASSESSOR_BENCH_OUT`` names a file, append it there
    as a JSON line so that ``bench/run_all.py`` can write the tables of docs/performance.md.

    ``bench`` is the benchmark's file stem (``"bench_store"``), ``what`` says what was measured,
    ``figure`` is the measured value with its unit (``"36.7 ms"``), ``target`` the issue's target
    (``"<= 50 ms"``), ``met`` whether the figure meets it (None when there is no target)."""
    import json
    mark = "" if met is None else ("  [met]" if met else "  [MISSED]")
    print(f"{what}: {figure} (target {target}){mark}", flush=True)
    out = os.environ.get("ASSESSOR_BENCH_OUT")
    if out:
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"bench": bench, "what": what, "figure": figure,
                                 "target": target, "met": met}, ensure_ascii=False) + "\n")


def bare_connection(conn):
    """The bare baseline's table on an open connection (autocommit mode), with WAL,
    synchronous=FULL and foreign keys set first, as the store does."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
    return conn


def bare_commit(conn, i: int) -> float:
    """Seconds of one single-row commit (the i-th) on a ``bare_connection``."""
    import time
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT OR REPLACE INTO t VALUES (?, ?)", (f"k{i % 1000}", str(i)))
    conn.execute("COMMIT")
    return time.perf_counter() - t0


def timed_commits(conn, n: int) -> list[float]:
    """Seconds per single-row commit over ``n`` commits on an open connection (autocommit
    mode): the bare baseline the store's autosave is compared with. Closes the connection."""
    bare_connection(conn)
    out = [bare_commit(conn, i) for i in range(n)]
    conn.close()
    return out
