"""Screenshots of every screen in both languages, for docs/user-guide.md.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m ui.screenshots [--out docs/screenshots]

Runs the real app on a fresh temporary data folder with the demo data, at 1366x768, and saves
``<screen>-<lang>.png``. Background work runs inline so every picture shows finished work.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1366, 768)


def _settle(qt) -> None:
    for _ in range(5):
        qt.processEvents()


def shoot(lang: str, out: Path) -> list[Path]:
    from assessor_app.i18n import set_language
    from ui.app import Application
    from ui.dialogs import ScriptedDialogs

    saved: list[Path] = []
    data = Path(tempfile.mkdtemp(prefix="assessor-shots-")) / "data"
    app = Application(data, inline=True, dialogs=ScriptedDialogs(data))
    win = app.window
    win.resize(*SIZE)
    set_language(lang)

    def save(widget, name: str) -> None:
        _settle(app.qt)
        path = out / f"{name}-{lang}.png"
        widget.grab().save(str(path))
        saved.append(path)

    first = app.start(interactive=False)
    first.language.setCurrentIndex(first.language.findData(lang))
    first.inspector.setText("Rina Kartika")
    first.organisation.setText("Ombudsman RI Perwakilan Kalimantan Timur")
    first.demo.setChecked(True)
    first.show()
    save(first, "first-run")
    first.finish()
    first.hide()
    win.home.reload()
    save(win, "home")

    dialog = win.new_assessment(exec_dialog=False)
    dialog.select_template("ori_kepatuhan_2021")
    dialog.agency.setText("Pemerintah Kota Bukit Indah")
    dialog.unit.setText("Kantor Pertanahan Bukit Indah")
    dialog.resize(640, 600)
    dialog.show()
    save(dialog, "new-assessment")
    dialog.close()

    rows = {r["unit"]: r for r in app.store.list_assessments()}
    draft = rows["Kantor Samsat Sungai Jernih"]["uuid"]
    page = win.open_assessment(draft)
    first_failed = next((k for k in page.session.ordered_keys() if page.session.failed(k)), None)
    if first_failed:
        page.go_to(first_failed)
    save(win, "checklist")
    page.header.breakdown.setChecked(True)
    save(win, "checklist-score")
    page.header.breakdown.setChecked(False)

    k3 = rows["Gudang Logistik Cikarang"]["uuid"]
    page = win.open_assessment(k3)
    photo_key = next((k for k, v in page.session.evidence.items() if v), None)
    row = page.go_to(photo_key) if photo_key else None
    save(win, "checklist-types")
    if row is not None:
        photo = page.open_photo(row, page.session.evidence[photo_key][0])
        save(photo, "photo")
        photo.close()
    missing = page.complete()
    if not missing and page.dialog is not None:
        page.dialog.resize(760, 420)
        save(page.dialog, "complete-missing")
        page.dialog.close()
    sigs = page.open_signatures()
    sigs.inspector.pad.add_stroke([(30, 90), (60, 40), (90, 100), (130, 50), (170, 95),
                                   (210, 45), (250, 80)])
    save(sigs, "signatures")
    sigs.close()

    ori22 = rows["Dinas Penanaman Modal dan PTSP"]["uuid"]
    page = win.open_assessment(ori22)
    group = next(p for p in page.session.pages() if p.group is not None and p.sample == 1)
    page.show_page(group.key, focus=True)
    save(win, "checklist-samples")

    done = rows["Kantor Kecamatan Bukit Indah Utara"]["uuid"]
    win.open_assessment(done)
    save(win, "checklist-completed")

    win.sidebar.setCurrentRow(1)
    save(win, "templates")
    settings = win.open_settings(exec_dialog=False)
    settings.show()
    save(settings, "settings")
    settings.close()
    app.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots", type=Path)
    parser.add_argument("--lang", choices=["id", "en"], action="append")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from ui.app import qt_app
    qt_app()
    for lang in args.lang or ["id", "en"]:
        for path in shoot(lang, args.out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
