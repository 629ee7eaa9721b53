"""Screenshots of corrective actions in both languages: the register page, the home page's
overdue bar and a follow-up checklist:
``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/actions_screenshots.py``.

The actions arrive the way sync brings them (``apply_changes`` with ``action`` changes)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACTIONS = [
    ("Dinas Kependudukan dan Pencatatan Sipil", "2026-03-31", "open",
     {"id": "Pasang papan informasi standar pelayanan di ruang tunggu.",
      "en": "Put up the service-standard notice board in the waiting room."}, ""),
    ("Dinas Kependudukan dan Pencatatan Sipil", "2026-09-30", "open",
     {"id": "Sediakan kursi roda dan jalur pemandu bagi pengguna berkebutuhan khusus.",
      "en": "Provide a wheelchair and guiding paths for users with special needs."}, ""),
    ("Dinas Kependudukan dan Pencatatan Sipil", "2099-06-30", "open",
     {"id": "Tetapkan petugas pengelola pengaduan dengan surat keputusan.",
      "en": "Appoint the complaint-handling officer by decree."}, ""),
    ("Dinas Kependudukan dan Pencatatan Sipil", "2026-01-31", "fully",
     {"id": "Umumkan biaya layanan (gratis) di loket.",
      "en": "Publish the service fees (free of charge) at the counter."}, ""),
    ("RSUD Pesisir Timur", "2026-02-28", "open",
     {"id": "Buka kanal pengaduan melalui SP4N-LAPOR!.",
      "en": "Open a complaint channel through SP4N-LAPOR!."}, "LAHP-0123/ORI/2025"),
    ("RSUD Pesisir Timur", "2026-05-31", "partly",
     {"id": "Publikasikan maklumat pelayanan.", "en": "Publish the service pledge."}, ""),
]


def shoot(lang: str, out: Path) -> None:
    from assessor_app import actions as A
    from ui.main_window import ACTIONS as ROW
    from ui.screenshots import started_app
    data = Path(tempfile.mkdtemp(prefix="assessor-actions-shots-")) / "data"
    app = started_app(data, lang, "Rina Kartika", demo=True)
    changes = []
    for n, (unit, due, state, text, ref) in enumerate(ACTIONS):
        a = A.Action(uuid=A.action_uuid("shot", str(n)), source="complaint" if ref else "finding",
                     unit=unit, text=text, due_date=due, responsible="Kepala Dinas", reference=ref,
                     government="K1")
        if state != "open":
            a = A.with_state(a, state, "2026-06-01T09:00:00Z", "Rina Kartika")
        changes.append({"kind": "action", "id": a.uuid, "data": a.to_dict()})
    app.store.apply_changes(changes, 10, None)
    win = app.window
    win.resize(1366, 768)
    win.apply_language(lang)
    app.qt.processEvents()
    win.sidebar.setCurrentRow(0)
    win.home.reload()
    app.qt.processEvents()
    win.grab().save(str(out / f"home-overdue-{lang}.png"))
    win.sidebar.setCurrentRow(ROW)
    page = win.actions_page
    page.unit_filter.setCurrentIndex(page.unit_filter.findData(ACTIONS[0][0]))
    app.qt.processEvents()
    win.grab().save(str(out / f"actions-register-{lang}.png"))
    checklist = win.new_followup(ACTIONS[0][0])
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    QTest.keyClick(checklist.items, Qt.Key.Key_2)          # partly
    app.qt.processEvents()
    win.grab().save(str(out / f"followup-checklist-{lang}.png"))
    app.close()


def main() -> int:
    from ui.app import qt_app
    qt_app()
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "id"):
        shoot(lang, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
