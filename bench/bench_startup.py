"""Benchmark: cold start of the desktop app to its first window, and the bundle's size.

Targets (docs/performance.md, "Desktop bundle"): <= 2 s from process start to the main window's
first paint on this machine; dist/assessor <= 250 MB.

The program runs with ASSESSOR_STARTUP_PROBE=1 (ui/app.py prints ``ASSESSOR_FIRST_WINDOW <unix
time>`` at the main window's first paint, then closes). Time is taken from just before the
process is spawned. A private Xvfb server is started once, outside the timing. Two data folders:
"returning" (demo loaded, first run done: the everyday start) and "first run" (empty folder:
the welcome dialog over the window). When /proc/sys/vm/drop_caches is writable (root on a
real machine) the page cache is dropped before each run, so "cold" means files read from disk.

    python bench/bench_startup.py [--exe dist/assessor/assessor] [--runs 5]
    python bench/bench_startup.py --source        # the same from the source tree
    python bench/bench_startup.py --warm          # files already in the page cache

ASSESSOR_BENCH_QUICK=1: 2 runs. Without Xvfb, or without a bundle (and no --source), it says so
and exits with status 3 ("cannot run here"; bench/run_all.py lists it as skipped).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import quick, report  # noqa: E402
TARGET_SECONDS = 2.0
TARGET_MB = 250


def start_xvfb() -> tuple[subprocess.Popen, str]:
    for n in range(90, 120):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            break
    display = f":{n}"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{n}").exists():
            return proc, display
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("Xvfb did not start")


def returning_folder(base: Path) -> Path:
    from assessor_app.demo import load_demo
    from assessor_app.store import AssessmentStore
    folder = base / "returning"
    with AssessmentStore(folder, actor="bench") as store:
        load_demo(store)
        store.set_setting("first_run_done", True)
        store.set_setting("inspector_name", "Rina Kartika")
        store.set_setting("language", "id")
    return folder


def drop_caches() -> bool:
    try:
        subprocess.run(["sync"], check=False)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def one_run(cmd: list[str], data: Path, env: dict) -> float:
    t0 = time.time()
    run = subprocess.run(cmd + ["--data-dir", str(data)], env=env, capture_output=True, text=True,
                         timeout=60)
    for line in run.stdout.splitlines():
        if line.startswith("ASSESSOR_FIRST_WINDOW "):
            return float(line.split()[1]) - t0
    raise SystemExit(f"no first-window line (exit {run.returncode}):\n{run.stdout}\n{run.stderr}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--exe", default=str(ROOT / "dist" / "assessor" / "assessor"))
    ap.add_argument("--source", action="store_true", help="time `python -m assessor_app` instead")
    ap.add_argument("--runs", type=int, default=2 if quick() else 5)
    ap.add_argument("--warm", action="store_true", help="keep the page cache (a second start)")
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "assessor_app"] if args.source else [args.exe]
    if not shutil.which("Xvfb"):
        print("bench_startup: no Xvfb on this machine; not measured")
        return 3
    if not args.source and not Path(args.exe).exists():
        print(f"bench_startup: no bundle at {args.exe} (make bundle, or --source); not measured")
        return 3
    S, where = "bench_startup", "source tree" if args.source else "bundle"
    if not args.source:
        bundle = Path(args.exe).resolve().parent
        size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
        print(f"bundle {bundle}: {size / 2**20:.0f} MiB in files (target <= {TARGET_MB} MB)")
        report(S, "bundle size (dist/assessor)", f"{size / 2**20:.0f} MiB", f"<= {TARGET_MB} MB",
               size / 2**20 <= TARGET_MB)
    xvfb, display = start_xvfb()
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, ASSESSOR_STARTUP_PROBE="1", ASSESSOR_LANG="id")
    cold = not args.warm and not quick() and drop_caches()   # quick (CI): never drop caches
    try:
        with tempfile.TemporaryDirectory(prefix="assessor-startup-") as tmp:
            base = Path(tmp)
            template = returning_folder(base)
            results = {}
            for label in ("returning", "first run"):
                times = []
                for i in range(args.runs):
                    data = base / f"run-{label[:5]}-{i}"
                    if label == "returning":
                        shutil.copytree(template, data)
                    if cold:
                        drop_caches()
                    times.append(one_run(cmd, data, env))
                results[label] = times
                med = statistics.median(times)
                report(S, f"{where}: start to the first window, {label} "
                          f"({'page cache dropped' if cold else 'page cache warm'}), median / max "
                          f"of {len(times)}", f"{med:.2f} / {max(times):.2f} s",
                       f"<= {TARGET_SECONDS} s", med <= TARGET_SECONDS)
    finally:
        xvfb.terminate()
        xvfb.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
