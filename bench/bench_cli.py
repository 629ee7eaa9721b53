"""Benchmark: start-up of the ``assessor`` command (issue 12, "Speed").

Targets: ``assessor --version`` <= 0.25 s and ``assessor assessments list`` on the demo data
<= 0.5 s, wall time from spawning the process to its exit (median of --runs), each also as a
ratio to ``python -c pass`` measured in the same run (the interpreter's own start-up).

    .venv/bin/python bench/bench_cli.py [--runs 15]      (ASSESSOR_BENCH_QUICK=1: 5 runs)

The command runs as ``python -m assessor_app`` with the same interpreter (the installed
``assessor`` script does the same import), with the catalogue cache warm (a second start).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import quick, report  # noqa: E402

B = "bench_cli"


def timed(cmd: list[str], runs: int, env: dict) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system of the child) of ``runs`` runs."""
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5 if quick() else 15)
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="assessor-bench-cli-")) / "data"
    env = dict(os.environ, ASSESSOR_DATA_DIR=str(data), ASSESSOR_LANG="id")
    app = [sys.executable, "-m", "assessor_app"]
    subprocess.run(app + ["demo"], env=env, stdout=subprocess.DEVNULL, check=True)
    subprocess.run(app + ["assessments", "list"], env=env, stdout=subprocess.DEVNULL, check=True)
    bare, bare_cpu = timed([sys.executable, "-c", "pass"], args.runs, env)
    version, version_cpu = timed(app + ["--version"], args.runs, env)
    listing, listing_cpu = timed(app + ["assessments", "list"], args.runs, env)
    report(B, f"python -c pass (the interpreter alone), median of {args.runs}",
           f"{bare:.3f} s (CPU {bare_cpu:.3f} s)")
    report(B, "assessor --version, median", f"{version:.3f} s (CPU {version_cpu:.3f} s)",
           "<= 0.25 s", version <= 0.25)
    report(B, "assessor --version / python -c pass", f"{version / bare:.1f}x")
    report(B, "assessor assessments list (demo data), median",
           f"{listing:.3f} s (CPU {listing_cpu:.3f} s)", "<= 0.5 s", listing <= 0.5)
    report(B, "assessor assessments list / python -c pass", f"{listing / bare:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
