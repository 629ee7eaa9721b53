"""Run every benchmark (bench/bench_*.py) and write the tables of docs/performance.md.

Each benchmark prints its figures and, through ``bench.common.report()``, appends them as JSON
lines to the file named by ``ASSESSOR_BENCH_OUT``; this script collects those lines and writes
the generated part of docs/performance.md (between the ``run_all`` markers) with the commit id,
the date, the machine and its load average, and the previous figures beside the new ones (the
previous run's figures are kept, as data, in the same generated part).

    .venv/bin/python bench/run_all.py                 # full sizes; rewrites docs/performance.md
    .venv/bin/python bench/run_all.py --quick         # small sizes (CI); prints, writes nothing
    .venv/bin/python bench/run_all.py --only store ui # some benchmarks (names without bench_);
                                                      # the others keep their last figures

Exit status: 0 when every benchmark ran (a missed target is a figure, not a failure), 1 when a
benchmark crashed (exited with an error). CI runs ``--quick`` and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- run_all:begin -->", "<!-- run_all:end -->"
DATA = "<!-- run_all:data "
SKIPPED = 3          # exit status a benchmark uses for "cannot run here" (no Xvfb, no bundle)


def runs_for(name: str, quick: bool) -> list[list[str]]:
    """The command-line variants each benchmark runs with (one run per variant)."""
    if name in ("bench_sync", "bench_results"):
        variants = [["--backend", "sqlite"]]
        if os.environ.get("ASSESSOR_TEST_PG_URL"):
            variants.append(["--backend", "postgres"])
        return variants
    if name == "bench_startup":
        bundle = ROOT / "dist" / "assessor" / "assessor"
        variants = [["--source"]]
        if bundle.exists() and not quick:
            variants.insert(0, [])
        return variants
    return [[]]


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines()
                      if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return {"cores": os.cpu_count(), "cpu": cpu,
            "text": f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}, "
                    f"Python {platform.python_version()}"}


def load() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def run_bench(path: Path, args: list[str], quick: bool, out: Path) -> dict:
    env = dict(os.environ, ASSESSOR_BENCH_OUT=str(out), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    if quick:
        env["ASSESSOR_BENCH_QUICK"] = "1"
    before = len(out.read_text(encoding="utf-8").splitlines()) if out.exists() else 0
    label = " ".join([path.stem, *args])
    print(f"\n== {label} (load {load()})", flush=True)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, str(path), *args], cwd=ROOT, env=env)
    seconds = time.perf_counter() - started
    lines = out.read_text(encoding="utf-8").splitlines()[before:] if out.exists() else []
    figures = [json.loads(x) for x in lines if x.strip()]
    suffix = " ".join(args)
    for f in figures:
        f["variant"] = suffix
    status = ("ok" if proc.returncode == 0 else "skipped" if proc.returncode == SKIPPED
              else f"crashed (exit {proc.returncode})")
    print(f"== {label}: {status}, {len(figures)} figures, {seconds:.0f} s, load after {load()}",
          flush=True)
    return {"bench": path.stem, "variant": suffix, "status": status, "seconds": round(seconds, 1),
            "load_after": load(), "figures": figures}


# ---------------------------------------------------------------- docs/performance.md
def previous_data(text: str) -> dict:
    """The data line of the last generated part: ``{"runs": [...]}``, each run with its commit,
    date and figures (each figure with the figure before it, ``previous``)."""
    start = text.find(DATA)
    if start < 0:
        return {"runs": []}
    end = text.find(" -->", start)
    try:
        return json.loads(text[start + len(DATA):end])
    except ValueError:
        return {"runs": []}


def previous_figures(data: dict) -> dict[tuple[str, str], str]:
    """(bench, what) -> the figure of the last run that measured it."""
    return {(f["bench"], f["what"]): f["figure"] for run in data.get("runs", [])
            for f in run.get("figures", [])}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def merge(runs: list[dict], meta: dict, old: dict) -> list[dict]:
    """This run's benchmarks, each figure with its previous value, followed by the earlier runs
    of the benchmarks not run this time (``--only``), kept as they were."""
    previous = previous_figures(old)
    for run in runs:
        run["commit"], run["date"], run["machine"] = meta["commit"], meta["date"], meta["machine"]
        for f in run["figures"]:
            f["previous"] = previous.get((f["bench"], f["what"]), "-")
    ran = {r["bench"] for r in runs}
    kept = [r for r in old.get("runs", []) if r.get("bench") not in ran]
    return sorted(runs + kept, key=lambda r: (r["bench"], r.get("variant", "")))


def render(runs: list[dict], meta: dict) -> str:
    out = [BEGIN, "", "## Figures (written by bench/run_all.py)", "",
           f"Last run: commit `{meta['commit']}`, {meta['date']}; {meta['machine']}. "
           f"Load average (1 / 5 / 15 min) before it: {meta['load_before']}; after: "
           f"{meta['load_after']}. Mode: {'quick (small sizes)' if meta['quick'] else 'full'}.",
           "The \"previous\" column is the figure the run before measured for the same line.", ""]
    if meta.get("note"):
        out += [meta["note"], ""]
    for run in runs:
        title = run["bench"] + (f" {run['variant']}" if run.get("variant") else "")
        out.append(f"### {title}")
        out.append("")
        if run.get("commit") != meta["commit"] or run.get("date") != meta["date"]:
            out += [f"Not rerun by the last run: figures of commit `{run.get('commit', '?')}`, "
                    f"{run.get('date', '?')}.", ""]
        if run.get("status") not in ("ok", None):
            out += [f"Not measured: {run['status']}.", ""]
            if not run["figures"]:
                continue
        if run.get("seconds") is not None:
            out.append(f"Ran in {run['seconds']} s; load average after: {run.get('load_after', '?')}.")
            out.append("")
        out.append("| what | figure | previous | target | met |")
        out.append("|---|---|---|---|---|")
        for f in run["figures"]:
            met = "-" if f.get("met") is None else ("yes" if f["met"] else "**no**")
            out.append(f"| {_cell(f['what'])} | {_cell(f['figure'])} | {_cell(f.get('previous', '-'))} "
                       f"| {_cell(f.get('target', '-'))} | {met} |")
        out.append("")
    data = {"commit": meta["commit"], "date": meta["date"], "runs": runs}
    out.append(DATA + json.dumps(data, ensure_ascii=False).replace("-->", "--\\u003e") + " -->")
    out.append(END)
    return "\n".join(out) + "\n"


def write_doc(block: str, doc: Path = DOC) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + block + ("\n" + tail if tail else "")
    else:
        lines = text.splitlines(keepends=True)
        text = "".join(lines[:1]) + "\n" + block + "\n" + "".join(lines[1:]).lstrip("\n")
    tmp = doc.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, doc)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (ASSESSOR_BENCH_QUICK=1)")
    ap.add_argument("--only", nargs="*", default=None, help="benchmark names (store, ui, cli, ...)")
    ap.add_argument("--write", action="store_true", help="write docs/performance.md even in --quick")
    ap.add_argument("--no-write", action="store_true", help="print only")
    ap.add_argument("--note", default="", help="a sentence put above the tables")
    ap.add_argument("--doc", type=Path, default=DOC)
    args = ap.parse_args(argv)
    benches = sorted(BENCH.glob("bench_*.py"))
    if args.only:
        wanted = {n if n.startswith("bench_") else f"bench_{n}" for n in args.only}
        benches = [b for b in benches if b.stem in wanted]
    m = machine()
    meta = {"commit": git("rev-parse", "--short=12", "HEAD")
            + (" (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""),
            "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "machine": m["text"], "load_before": load(), "quick": args.quick, "note": args.note}
    runs = []
    with tempfile.TemporaryDirectory(prefix="assessor-bench-all-") as tmp:
        out = Path(tmp) / "figures.jsonl"
        for path in benches:
            for variant in runs_for(path.stem, args.quick):
                runs.append(run_bench(path, variant, args.quick, out))
    meta["load_after"] = load()
    doc_text = args.doc.read_text(encoding="utf-8") if args.doc.exists() else ""
    block = render(merge(runs, meta, previous_data(doc_text)), meta)
    print("\n" + block)
    if not args.no_write and (args.write or not args.quick):
        write_doc(block, args.doc)
        print(f"wrote {args.doc}")
    crashed = [f"{r['bench']} {r['variant']}".strip() for r in runs if r["status"].startswith("crashed")]
    if crashed:
        print("crashed: " + ", ".join(crashed), file=sys.stderr)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
