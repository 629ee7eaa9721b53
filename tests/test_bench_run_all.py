"""bench/run_all.py writes the tables of docs/performance.md from the benchmarks' JSON lines:
the previous figure beside each new one, benchmarks not rerun kept, hand-written text kept."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import run_all  # noqa: E402


def _run(bench, figures, status="ok"):
    return {"bench": bench, "variant": "", "status": status, "seconds": 1.0, "load_after": "0.10",
            "figures": [{"bench": bench, "what": w, "figure": f, "target": t, "met": m}
                        for w, f, t, m in figures]}


def _meta(commit):
    return {"commit": commit, "date": f"day {commit}", "machine": "test machine",
            "load_before": "0.01", "load_after": "0.02", "quick": False, "note": ""}


def test_tables_keep_previous_figures_and_benchmarks_not_rerun(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nIntro written by hand.\n\n## Notes\n\nKept.\n")
    first = [_run("bench_a", [("open | score", "36.7 ms", "<= 30 ms", False)]),
             _run("bench_b", [("list", "55 ms", "<= 50 ms", False)])]
    run_all.write_doc(run_all.render(run_all.merge(first, _meta("c1"), {"runs": []}), _meta("c1")), doc)
    second = [_run("bench_a", [("open | score", "7.4 ms", "<= 30 ms", True)])]   # --only a
    old = run_all.previous_data(doc.read_text())
    run_all.write_doc(run_all.render(run_all.merge(second, _meta("c2"), old), _meta("c2")), doc)
    text = doc.read_text()
    assert text.count(run_all.BEGIN) == 1 and "Intro written by hand." in text and "Kept." in text
    assert "| open \\| score | 7.4 ms | 36.7 ms | <= 30 ms | yes |" in text
    assert "| list | 55 ms | - | <= 50 ms | **no** |" in text            # bench_b kept as it was
    assert "figures of commit `c1`, day c1" in text
    data = run_all.previous_data(text)
    assert [r["commit"] for r in data["runs"]] == ["c2", "c1"]


def test_a_crashed_benchmark_fails_the_run_and_a_missed_target_does_not(tmp_path):
    bench = tmp_path / "bench"
    bench.mkdir()
    (bench / "common.py").write_text((ROOT / "bench" / "common.py").read_text())
    (bench / "bench_slow.py").write_text(
        "import sys\nsys.path.insert(0, __file__.rsplit('/', 1)[0])\nfrom common import report\n"
        "report('bench_slow', 'thing', '9 s', '<= 1 s', False)\n")
    (bench / "bench_broken.py").write_text("raise RuntimeError('boom')\n")
    out = tmp_path / "figures.jsonl"
    ok = run_all.run_bench(bench / "bench_slow.py", [], True, out)
    broken = run_all.run_bench(bench / "bench_broken.py", [], True, out)
    assert ok["status"] == "ok" and ok["figures"][0]["figure"] == "9 s"
    assert ok["figures"][0]["met"] is False
    assert broken["status"].startswith("crashed")
    assert json.loads(out.read_text().splitlines()[0])["what"] == "thing"


def test_quick_mode_writes_nothing(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run_all.py"), "--quick",
                           "--only", "nothing_by_that_name", "--doc", str(doc)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and doc.read_text() == "# Performance\n"
