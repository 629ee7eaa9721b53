"""Sync benchmark: a real server process on loopback, SQLite or PostgreSQL.

    .venv/bin/python bench/bench_sync.py --backend sqlite
    ASSESSOR_TEST_PG_URL=postgresql+psycopg://assessor:assessor@127.0.0.1:5432/postgres \
        .venv/bin/python bench/bench_sync.py --backend postgres

Measures, with targets:
1. first sync of 1,000 completed assessments with 5 photos each (~300 KB a photo) from one
   laptop to an empty server (<= 60 s);
2. a sync with nothing new (<= 0.5 s);
3. 20 devices syncing at once (no errors; p95 request latency reported);
4. photo upload throughput through the sync protocol divided by a plain HTTP upload of the same
   bytes to a minimal uvicorn app on the same machine in the same run (>= 0.5).
Photos are random bytes (the server never decodes them; it hashes and stores them).
ASSESSOR_BENCH_QUICK=1: 20 assessments x 1 photo, 4 devices, 20 upload files.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from assessor_app.evidence.files import read_evidence, store_blob  # noqa: E402
from assessor_app.exchange import ExchangeFile, content_hash, import_document, rescore  # noqa: E402
from assessor_app.exchange import export_document  # noqa: E402
from assessor_app.store import AssessmentStore  # noqa: E402
from assessor_app.sync import SyncClient, enroll  # noqa: E402
from assessor_app.sync import uploads  # noqa: E402
from assessor_app.sync.transport import Transport  # noqa: E402
from helpers import MINI, filled_mini  # noqa: E402
from server.serverproc import ServerProcess, free_port  # noqa: E402
from common import quick, report  # noqa: E402


def make_laptop(server, root: Path, name: str) -> Path:
    folder = root / name
    store = AssessmentStore(folder, actor=name)
    store.import_template(MINI)
    server.admin.add_user(name, "inspector", "bench")
    enroll(store, server.url, server.admin.issue_code(name))
    store.close()
    return folder


def fill(folder: Path, count: int, photos: int, size: int) -> int:
    """``count`` completed assessments with ``photos`` random photos each; returns bytes."""
    store = AssessmentStore(folder, actor="bench")
    base_uid = filled_mini(store)
    base = export_document(store, base_uid)
    store.delete_draft(base_uid)
    template = store.get_template("mini")
    total = 0
    import uuid as uuidlib
    for _ in range(count):
        doc = copy.deepcopy(base)
        doc["assessment"]["uuid"] = str(uuidlib.uuid4())
        doc["assessment"]["status"] = "completed"
        for f in doc["findings"]:
            f["uuid"] = str(uuidlib.uuid4())
        ev = []
        for p in range(photos):
            data = os.urandom(size)
            sha = store_blob(store.evidence_dir, data)
            total += size
            ev.append({"sha256": sha, "item": "a1", "sample": 0, "caption": f"foto {p}",
                       "mime": "image/jpeg", "width": 1600, "height": 1200, "size": size,
                       "taken_at": None, "gps": None, "original_name": f"p{p}.jpg"})
        doc["evidence"] = ev
        ex = ExchangeFile(doc, template)
        doc["score"] = rescore(ex).summary()
        doc["content_hash"] = content_hash(doc)
        import_document(store, ex)
    store.close()
    return total


def timed_sync(folder: Path, latencies: list | None = None, errors: list | None = None) -> float:
    store = AssessmentStore(folder)
    try:
        started = time.perf_counter()
        with SyncClient(store) as client:
            report = client.sync()
            if latencies is not None:
                latencies.extend(client.t.latencies)
        assert report.refused == [] and report.locked == []
        return time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001 - counted as an error of the run
        if errors is None:
            raise
        errors.append(repr(exc))
        return float("nan")
    finally:
        store.close()


PLAIN_APP = '''
import os, sys
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path = os.path.join(sys.argv[1], scope["path"].strip("/").replace("/", "_") or "x")
    with open(path, "wb") as fh:
        more = True
        while more:
            msg = await receive()
            fh.write(msg.get("body", b""))
            more = msg.get("more_body", False)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b"{}"})
if __name__ == "__main__":
    import uvicorn
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
'''


def upload_ratio(server, root: Path, files: int, size: int) -> dict:
    """Sync-protocol upload vs plain HTTP POST of the same bytes (both to uvicorn on loopback)."""
    import subprocess
    import httpx
    folder = make_laptop(server, root, "uploader")
    store = AssessmentStore(folder)
    hashes = [store_blob(store.evidence_dir, os.urandom(size)) for _ in range(files)]
    blobs = [read_evidence(store.evidence_dir, h) for h in hashes]
    t = Transport(server.url, store.sync_settings()["token"])
    started = time.perf_counter()
    uploads.upload_many(t, store.evidence_dir, hashes[:files // 2], workers=1)
    seq_s = time.perf_counter() - started
    started = time.perf_counter()
    uploads.upload_many(t, store.evidence_dir, hashes[files // 2:], workers=4)
    sync_s = time.perf_counter() - started
    t.close()
    store.close()
    target = root / "plain"
    target.mkdir()
    port = free_port()
    script = root / "plain_app.py"
    script.write_text(PLAIN_APP)
    proc = subprocess.Popen([sys.executable, str(script), str(target), str(port)])
    try:
        for _ in range(100):
            try:
                httpx.post(f"http://127.0.0.1:{port}/ping", content=b"")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as c:
            started = time.perf_counter()
            for h, data in zip(hashes[:files // 2], blobs):
                c.post(f"/{h}", content=data).raise_for_status()
            plain_s = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait()
    mb = files // 2 * size / 1e6
    return {"plain_mb_s": round(mb / plain_s, 1), "sync_mb_s": round(mb / sync_s, 1),
            "ratio": round(plain_s / sync_s, 2), "sync_one_connection_mb_s": round(mb / seq_s, 1),
            "ratio_one_connection": round(plain_s / seq_s, 2)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--assessments", type=int, default=20 if quick() else 1000)
    ap.add_argument("--photos", type=int, default=1 if quick() else 5)
    ap.add_argument("--photo-kb", type=int, default=300)
    ap.add_argument("--devices", type=int, default=4 if quick() else 20)
    ap.add_argument("--upload-files", type=int, default=20 if quick() else 200)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    server = ServerProcess(root, args.backend, workers=args.workers)
    out = {"backend": args.backend, "workers": args.workers}
    try:
        size = args.photo_kb * 1024
        laptop = make_laptop(server, root, "laptop")
        out["payload_mb"] = round(fill(laptop, args.assessments, args.photos, size) / 1e6)
        out["first_sync_s"] = round(timed_sync(laptop), 1)
        out["nothing_new_s"] = round(min(timed_sync(laptop) for _ in range(3)), 3)
        folders = []
        for i in range(args.devices):
            f = make_laptop(server, root, f"dev{i}")
            fill(f, 10, 2, size)
            folders.append(f)
        latencies: list[float] = []
        errors: list[str] = []
        threads = [threading.Thread(target=timed_sync, args=(f, latencies, errors)) for f in folders]
        started = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        out["devices"] = args.devices
        out["devices_wall_s"] = round(time.perf_counter() - started, 1)
        out["devices_errors"] = len(errors)
        out["devices_requests"] = len(latencies)
        q = statistics.quantiles(latencies, n=100)
        out["devices_p50_ms"] = round(q[49] * 1000, 1)
        out["devices_p95_ms"] = round(q[94] * 1000, 1)
        out["upload"] = upload_ratio(server, root, args.upload_files, size)
        out["server_holds"] = server.admin.counts()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(out, indent=1))
    S, b = "bench_sync", args.backend
    report(S, f"{b}: first sync of {args.assessments:,} completed assessments x {args.photos} photos "
              f"({out['payload_mb']} MB) to an empty server", f"{out['first_sync_s']} s", "<= 60 s",
           out["first_sync_s"] <= 60)
    report(S, f"{b}: a sync with nothing new", f"{out['nothing_new_s']} s", "<= 0.5 s",
           out["nothing_new_s"] <= 0.5)
    report(S, f"{b}: {args.devices} devices syncing at once, errors", str(out["devices_errors"]), "0",
           out["devices_errors"] == 0)
    report(S, f"{b}: {args.devices} devices, p50 / p95 request latency",
           f"{out['devices_p50_ms']:.0f} / {out['devices_p95_ms']:.0f} ms")
    up = out["upload"]
    report(S, f"{b}: photo upload throughput / plain HTTP upload (4 connections)",
           f"{up['ratio']} ({up['sync_mb_s']} / {up['plain_mb_s']} MB/s)", ">= 0.5", up["ratio"] >= 0.5)
    report(S, f"{b}: the same over one connection",
           f"{up['ratio_one_connection']} ({up['sync_one_connection_mb_s']} MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
