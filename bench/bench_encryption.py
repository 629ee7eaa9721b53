"""Benchmark: the cost of an encrypted data folder (SQLCipher database, AES-GCM photos).

Targets (issue 15, on the encrypted store): autosave p99 <= 5 ms and <= 2x a bare SQLCipher
single-row commit with the same pragmas (measured in the same run); open and score a 1,000-item
assessment <= 50 ms; the app's open of a 1,000-item assessment <= 1 s. The same figures on a
plain store are printed beside them, so the cost of encryption is read off one run.

    .venv/bin/python bench/bench_encryption.py [--changes 5000]
    ASSESSOR_BENCH_QUICK=1 ...   (CI: fewer changes, same code paths)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from common import big_template, machine, median, pct, quick, report, timed_commits  # noqa: E402

from assessor_app import vault  # noqa: E402
from assessor_app.demo import demo_photo  # noqa: E402
from assessor_app.encryption import encrypt_folder  # noqa: E402
from assessor_app.evidence.files import read_evidence  # noqa: E402
from assessor_app.store import AssessmentStore  # noqa: E402
from assessor_app.templates.loader import build_template  # noqa: E402

BENCH = "bench_encryption"
PASS = "bench passphrase"


def bare_sqlcipher(path: Path, n: int, key) -> list[float]:
    import sqlcipher3
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(key.sqlcipher_pragma())
    return timed_commits(conn, n)


def folder(root: Path, name: str, encrypted: bool):
    data = root / name
    store = AssessmentStore(data, actor="bench")
    template = store.import_template(build_template(big_template(1000), "bench"))
    uid = store.create_assessment(template, unit={"unit": "Bench"})
    _link, info = store.add_photo(uid, "q1", demo_photo("b", 1))
    store.close()
    if encrypted:
        encrypt_folder(data, PASS)
    return data, uid, template, info.sha256


def autosave(data: Path, uid: str, template, n: int) -> list[float]:
    items = list(template.items.values())
    out = []
    with AssessmentStore(data, actor="bench") as store:
        for i in range(n):
            item = items[(i * 7919) % len(items)]
            value = (i % 4) if item.type == "scale" else ("yes", "no", "na")[i % 3]
            t0 = time.perf_counter()
            store.set_answer(uid, item.id, value)
            out.append(time.perf_counter() - t0)
        for item in items:                       # a fully answered assessment for the next step
            store.set_answer(uid, item.id, 3 if item.type == "scale" else "yes")
    return out


def open_and_score(data: Path, uid: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        with AssessmentStore(data) as store:
            store.score(uid)
        out.append(time.perf_counter() - t0)
    return out


def read_photo(data: Path, sha: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        read_evidence(data / "evidence", sha)
        out.append(time.perf_counter() - t0)
    return out


def app_open(data: Path, uid: str) -> float:
    from ui.app import Application
    app = Application(data)
    app.window.resize(1366, 768)
    app.window.show()
    app.qt.processEvents()
    t0 = time.perf_counter()
    app.window.open_assessment(uid)
    app.qt.processEvents()
    app.runner.wait()
    app.qt.processEvents()
    app.window.repaint()
    seconds = time.perf_counter() - t0
    app.close()
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=500 if quick() else 5000)
    ap.add_argument("--no-app", action="store_true", help="skip the desktop app's open")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="assessor-bench-enc-"))
    print(f"machine: {machine()}  (folders in {root})")
    key = vault.DataKey(os.urandom(32))
    plain = folder(root, "plain", False)
    enc = folder(root, "enc", True)
    vault.lock(enc[0])
    t0 = time.perf_counter()
    vault.unlock(enc[0], PASS)
    report(BENCH, "unlock (scrypt n=2^16, r=8)", f"{(time.perf_counter() - t0) * 1e3:.0f} ms")

    bare = bare_sqlcipher(root / "bare.db", args.changes, key)
    results = {}
    for label, (data, uid, template, sha) in (("plain", plain), ("encrypted", enc)):
        saves = autosave(data, uid, template, args.changes)
        opens = open_and_score(data, uid, 7 if quick() else 15)
        reads = read_photo(data, sha, 20)
        results[label] = (pct(saves, 50) * 1e3, pct(saves, 99) * 1e3, median(opens) * 1e3,
                          median(reads) * 1e3)
    b99 = pct(bare, 99) * 1e3
    for label in ("plain", "encrypted"):
        p50, p99, open_ms, read_ms = results[label]
        enc_store = label == "encrypted"
        report(BENCH, f"autosave p50, {label} store", f"{p50:.2f} ms")
        report(BENCH, f"autosave p99, {label} store", f"{p99:.2f} ms", "<= 5 ms", p99 <= 5)
        report(BENCH, f"open and score 1,000 items, {label} store (median)", f"{open_ms:.1f} ms",
               "<= 50 ms", open_ms <= 50)
        report(BENCH, f"read one stored photo, {label} (median)", f"{read_ms:.2f} ms")
        if enc_store:
            report(BENCH, "bare SQLCipher single-row commit p99, same pragmas", f"{b99:.2f} ms")
            report(BENCH, "encrypted autosave p99 / bare SQLCipher commit p99",
                   f"{p99 / b99:.2f}x", "<= 2x", p99 / b99 <= 2)
    if not args.no_app:
        for label, (data, uid, _t, _s) in (("plain", plain), ("encrypted", enc)):
            seconds = app_open(data, uid)
            report(BENCH, f"app: open the 1,000-item assessment, {label} store",
                   f"{seconds:.2f} s", "<= 1 s", seconds <= 1)
    vault.lock(enc[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
