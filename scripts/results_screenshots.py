"""Screenshots of the laptop's Results page and of New assessment's register unit picker, in
both languages: ``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/results_screenshots.py``.

The register arrives the way sync brings it (``apply_changes`` with ``round`` and ``government``
changes); the assessments are the demo data, linked to register units and approved the way a
server decision arrives."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOVS = [("K1", "Pemerintah Kota Samarinda Baru", "Pemerintah Kota"),
        ("B1", "Pemerintah Kabupaten Lembah Hijau", "Pemerintah Kabupaten"),
        ("B2", "Pemerintah Kabupaten Pesisir Timur", "Pemerintah Kabupaten")]
UNITS = ["Dinas Kependudukan dan Pencatatan Sipil", "Dinas Penanaman Modal dan PTSP", "RSUD"]


def shoot(lang: str, out: Path) -> None:
    from ui.main_window import RESULTS
    from ui.screenshots import started_app
    data = Path(tempfile.mkdtemp(prefix="assessor-results-shots-")) / "data"
    app = started_app(data, lang, "Rina Kartika", demo=True)
    store = app.store
    tpl = next(t for t in store.list_templates() if t["id"] == "ori_penilaian_2022")
    changes = [{"kind": "round", "id": "2026", "data": {
        "id": "2026", "name": "Penilaian 2026", "template_id": tpl["id"],
        "template_version": tpl["version"], "state": "field_work"}}]
    for gid, name, cat in GOVS:
        changes.append({"kind": "government", "id": gid, "data": {
            "id": gid, "name": name, "category": cat, "province": "Kalimantan Timur", "team": "kaltim",
            "units": [{"id": f"{gid}-U{i}", "name": u, "address": ""} for i, u in enumerate(UNITS)]}})
    store.apply_changes(changes, 10, None)
    by_unit = {r["unit"]: r for r in store.list_assessments() if r["template_id"] == tpl["id"]}
    links = {"Dinas Kependudukan dan Pencatatan Sipil": "K1-U0", "Dinas Penanaman Modal dan PTSP": "B1-U1",
             "RSUD Pesisir Timur": "B2-U2"}
    for unit, unit_id in links.items():
        row = by_unit.get(unit)
        if row is None:
            continue
        a = store.get(row["uuid"])
        if a.editable:
            store.update_details(row["uuid"], unit_id=unit_id, round_id="2026")
        else:
            with store.transaction() as c:    # demo work already approved: link it directly
                c.execute("UPDATE assessments SET unit_extra=? WHERE uuid=?",
                          ('{"unit_id": "%s", "round_id": "2026"}' % unit_id, row["uuid"]))
    win = app.window
    win.resize(1366, 768)
    win.apply_language(lang)          # rebuild every page in the language of the shot
    win.sidebar.setCurrentRow(RESULTS)
    app.qt.processEvents()
    win.grab().save(str(out / f"results-page-{lang}.png"))
    dialog = win.new_assessment(exec_dialog=False)
    dialog.select_template("ori_penilaian_2022")
    dialog.register_unit.setCurrentIndex(2)
    dialog.resize(640, 600)
    dialog.show()
    app.qt.processEvents()
    dialog.grab().save(str(out / f"new-assessment-register-{lang}.png"))
    dialog.close()
    app.close()


def main() -> int:
    from ui.app import qt_app
    qt_app()
    out = ROOT / "docs" / "screenshots"
    for lang in ("id", "en"):
        shoot(lang, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
