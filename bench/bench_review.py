"""Review benchmark: the supervisor's desk against a real server process on loopback (SQLite).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_review.py

Measures, with the targets of issue 9:
1. a supervisor's first sync pulling 50 submitted assessments with 10 photos each (~200 KB a
   photo) and their signed PDFs (<= 30 s);
2. opening one in the review screen (read-only checklist, thread, buttons) (<= 1 s);
3. approving it with a countersignature on the inspector's signed PDF (<= 1 s).
One assessment is a real one (demo photos, a report signed with a real certificate: the one
opened and approved); the other 49 carry random-byte photos and a random-byte "signed PDF" of a
real report's size (the server and the pull only hash and store them). Quick mode: 5 assessments.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from assessor_app.demo import demo_photo  # noqa: E402
from assessor_app.reports.signing import LocalP12Signer  # noqa: E402
from assessor_app.review import countersign_and_approve, sign_and_keep  # noqa: E402
from assessor_app.store import AssessmentStore  # noqa: E402
from assessor_app.sync import SyncClient, enroll  # noqa: E402
from bench.bench_sync import fill  # noqa: E402
from bench.common import quick, report  # noqa: E402
from helpers import MINI, filled_mini  # noqa: E402
from report_helpers import P12_PASS, issue, make_ca  # noqa: E402
from server.serverproc import ServerProcess  # noqa: E402

BENCH = "bench_review"


def laptop(server, root: Path, name: str, role: str) -> AssessmentStore:
    store = AssessmentStore(root / name, actor=name)
    store.import_template(MINI)
    server.admin.add_user(name, role, "bench")
    enroll(store, server.url, server.admin.issue_code(name))
    return store


def main() -> int:
    count = 5 if quick() else 50
    photos, size = 10, 200_000
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        root = Path(tmp)
        pki = make_ca(root / "ca")
        issue(pki, root / "rina.p12", "Rina Kartika", "inspector")
        issue(pki, root / "budi.p12", "Budi Santoso", "supervisor")
        crl = (pki / "issuing.crl").read_bytes()
        server = ServerProcess(root / "srv", "sqlite")
        try:
            server.admin.publish_template(MINI)
            insp = laptop(server, root, "rina", "inspector")
            real = filled_mini(insp)
            for i in range(photos - 1):
                insp.add_photo(real, "a1", demo_photo(f"foto {i}", i), caption=f"Foto {i}")
            insp.update_details(real, inspectors=["Rina Kartika"])
            insp.complete(real)
            kept = sign_and_keep(insp, real, LocalP12Signer.open(root / "rina.p12", P12_PASS),
                                 crl_der=crl)
            insp.close()
            fill(root / "rina", count - 1, photos, size)
            insp = AssessmentStore(root / "rina", actor="rina")
            for uid in [r["uuid"] for r in insp.list_assessments(status="completed")
                        if r["uuid"] != real]:
                insp.keep_signed_report(uid, os.urandom(kept["size"]))
            with SyncClient(insp, max_time=120) as c:
                sent = c.sync()
            assert len(sent.pushed) == count, sent.as_dict()
            insp.close()

            sup = laptop(server, root, "budi", "supervisor")
            sup.set_setting("crl_path", str(pki / "issuing.crl"))
            started = time.perf_counter()
            with SyncClient(sup, max_time=120) as c:
                pulled = c.sync()
            pull_s = time.perf_counter() - started
            held = len(sup.review_queue("submitted"))
            report(BENCH, f"supervisor pulls {count} submitted assessments x {photos} photos + "
                          f"signed PDFs ({pulled.downloaded} files, "
                          f"{pulled.bytes / 1e6:.0f} MB)", f"{pull_s:.1f} s", "<= 30 s",
                   pull_s <= 30 and held == count)

            from PySide6.QtWidgets import QApplication
            from ui.background import BackgroundRunner
            from ui.context import Context
            from ui.dialogs import ScriptedDialogs
            from ui.review.review_screen import ReviewScreen
            qapp = QApplication.instance() or QApplication([])
            ctx = Context(sup.data_dir, sup, BackgroundRunner(inline=True),
                          ScriptedDialogs(sup.data_dir))
            started = time.perf_counter()
            screen = ReviewScreen(ctx, real)
            screen.show()
            qapp.processEvents()
            open_s = time.perf_counter() - started
            report(BENCH, "open one assessment in the review screen", f"{open_s * 1000:.0f} ms",
                   "<= 1 s", open_s <= 1.0)
            screen.close_page()
            screen.close()
            # delete the Qt objects while the application still runs, in order: left to the
            # interpreter's exit they go in any order and Qt aborts the process
            screen.deleteLater()
            qapp.processEvents()
            del screen
            ctx.deleteLater()
            qapp.processEvents()

            signer = LocalP12Signer.open(root / "budi.p12", P12_PASS)
            started = time.perf_counter()
            countersign_and_approve(sup, real, signer, crl_der=crl)
            approve_s = time.perf_counter() - started
            report(BENCH, "approve and countersign (queued for the next sync)",
                   f"{approve_s * 1000:.0f} ms", "<= 1 s", approve_s <= 1.0)
            sup.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
