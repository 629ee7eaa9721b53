"""Results benchmark: a synthetic national round on a real server, SQLite or PostgreSQL.

    .venv/bin/python bench/bench_results.py --backend sqlite
    ASSESSOR_TEST_PG_URL=postgresql+psycopg://assessor:assessor@127.0.0.1:5432/postgres \
        .venv/bin/python bench/bench_results.py --backend postgres

Measures, with the issue's targets (quick mode: 40 governments instead of 600):
1. results of a round with 2,400 approved assessments, computed cold (no cache) (<= 1 s);
2. the round's results web page with 20 concurrent logged-in viewers, p95 (<= 300 ms);
3. XLSX export of every answer of the round (~800,000 rows) by ``assessor-server
   export-answers`` in its own process (<= 60 s), with that process's peak memory, which must
   stay flat: the same export of a round a quarter the size peaks within 1.3 x of it;
4. a government's results report (PDF) (<= 2 s).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.common import machine, pct, quick, report  # noqa: E402
from server.serverproc import PG_ENV, ServerProcess  # noqa: E402

from assessor_app.server import results as server_results  # noqa: E402
from assessor_app.server.demo_round import demo_round  # noqa: E402
from assessor_app.server.web.session import set_password  # noqa: E402

NAME = "bench_results"


def login(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    page = client.get("/office/login")
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    r = client.post("/office/login", data={"name": "bench-admin", "password": "bench-password-1",
                                            "csrf": token, "next": "/office/"})
    assert r.status_code in (200, 303) and "assessor_office" in client.cookies, r.text[:300]
    return client


def viewers(url: str, path: str, n: int, each: int) -> list[float]:
    clients = [login(url) for _ in range(n)]
    times: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []

    def run(c: httpx.Client):
        for _ in range(each):
            t = time.perf_counter()
            r = c.get(path)
            dt = time.perf_counter() - t
            if r.status_code != 200:
                errors.append(str(r.status_code))
            with lock:
                times.append(dt)
    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in clients:
        c.close()
    if errors:
        raise RuntimeError(f"{len(errors)} page requests failed: {errors[:3]}")
    return times


def export(proc: ServerProcess, round_id: str, out: Path) -> tuple[float, float, int, float]:
    """Seconds, peak RSS (MB), rows and CPU seconds of ``assessor-server export-answers`` in its
    own process (CPU time beside the wall time: the machine may be loaded)."""
    code = ("import resource, sys; from assessor_app.server.cli import main; rc = main(sys.argv[1:]); "
            "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(rc)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", code, "export-answers", round_id, "--out", str(out),
                          "--data", str(proc.data)], capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if run.returncode != 0:
        raise RuntimeError(run.stderr)
    rss = int(run.stdout.rsplit("MAXRSS", 1)[1].strip()) / 1024
    rows = int(run.stdout.split()[0])          # "N answers written to FILE"
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, rss, rows, cpu


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--governments", type=int, default=40 if quick() else 600)
    args = ap.parse_args()
    if args.backend == "postgres" and not os.environ.get(PG_ENV):
        print(f"{PG_ENV} is not set: no PostgreSQL to measure against")
        return 0
    print(machine(), f"backend {args.backend}", "(quick)" if quick() else "")
    root = Path(tempfile.mkdtemp(prefix="bench-results-"))
    proc = ServerProcess(root, args.backend)
    try:
        return run(proc, args, root)
    finally:
        proc.stop()


def run(proc: ServerProcess, args, root: Path) -> int:
    b = args.backend
    t = time.perf_counter()
    made = demo_round(proc.database, "Bench", args.governments, 4, approved_share=1.0, seed=1)
    small = demo_round(proc.database, "Bench small", max(1, args.governments // 4), 4,
                       approved_share=1.0, seed=2)
    print(f"generated {made['assessments']} + {small['assessments']} approved assessments in "
          f"{time.perf_counter() - t:.0f} s")
    proc.admin.add_user("bench-admin", "admin", "")
    set_password(proc.database, "bench-admin", "bench-password-1")

    cold = []
    for _ in range(3):
        server_results._cache.clear()
        t = time.perf_counter()
        view = server_results.round_results(proc.database, "Bench")
        cold.append(time.perf_counter() - t)
    n = sum(g.scored_units for g in view.results.governments)
    best = min(cold)
    report(NAME, f"results of a round, {n} approved assessments, cold ({b})", f"{best * 1000:.0f} ms",
           "<= 1 s", best <= 1.0)

    path = "/office/rounds/Bench?category=Pemerintah+Kabupaten"
    c = login(proc.url)                 # the first view after a change computes the results
    t = time.perf_counter()
    assert c.get(path).status_code == 200
    first = time.perf_counter() - t
    c.close()
    report(NAME, f"results page, first view after a change ({b})", f"{first * 1000:.0f} ms")
    times = viewers(proc.url, path, 20, 5 if quick() else 15)
    p95 = pct(times, 95)
    report(NAME, f"results page, 20 concurrent viewers, p95 of {len(times)} ({b})",
           f"{p95 * 1000:.0f} ms", "<= 300 ms", p95 <= 0.3)

    seconds, rss, rows, cpu = export(proc, "Bench", root / "answers.xlsx")
    report(NAME, f"XLSX export of {rows:,} answer rows ({b})", f"{seconds:.1f} s (CPU {cpu:.1f} s)",
           "<= 60 s", seconds <= 60)
    _s, small_rss, _n, _c = export(proc, "Bench-small", root / "small.xlsx")
    report(NAME, f"export peak memory, full round vs a quarter round ({b})",
           f"{rss:.0f} MB vs {small_rss:.0f} MB", "flat (<= 1.3 x)", rss <= 1.3 * small_rss)

    from assessor_app.reports.government import government_pdf
    g = view.results.by_category("Pemerintah Kabupaten")[0]
    t = time.perf_counter()
    pdf = government_pdf(g, view.round, view.template, "id",
                         server_results.trend(proc.database, g.government.id))
    seconds = time.perf_counter() - t
    report(NAME, f"government results report ({len(pdf) // 1024} KB PDF) ({b})",
           f"{seconds * 1000:.0f} ms", "<= 2 s", seconds <= 2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
