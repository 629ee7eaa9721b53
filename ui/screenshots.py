"""Screenshots of every screen in both languages, for docs/user-guide.md.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m ui.screenshots [--out docs/screenshots]

Runs the real app on a fresh temporary data folder with the demo data, at 1366x768, and saves
``<screen>-<lang>.png``. Background work runs inline so every picture shows finished work.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1366, 768)


def _settle(qt) -> None:
    for _ in range(5):
        qt.processEvents()


def _wait(qt, done, timeout: float = 120.0) -> None:
    """Let the event loop run until ``done()`` (work running on another thread has finished)."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError("screenshots: background work did not finish in time")
        qt.processEvents()
        time.sleep(0.02)
    _settle(qt)


def started_app(data: Path, lang: str, inspector: str, *, demo: bool = False):
    """The app on ``data`` as a returning user (first run done) in ``lang``, started without
    dialogs; with ``demo`` the demo assessments loaded. For the screenshot scripts."""
    from assessor_app.i18n import set_language
    from ui.app import Application
    from ui.dialogs import ScriptedDialogs
    app = Application(data, inline=True, dialogs=ScriptedDialogs(data))
    for key, value in (("first_run_done", True), ("inspector_name", inspector), ("language", lang)):
        app.store.set_setting(key, value)
    set_language(lang)
    app.start(interactive=False)
    if demo:
        from assessor_app.demo import load_demo
        load_demo(app.store)
    return app


def shoot(lang: str, out: Path) -> list[Path]:
    from assessor_app.i18n import set_language
    from ui.app import Application
    from ui.dialogs import ScriptedDialogs
    from ui.main_window import ASSIGNED, TEMPLATES

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
    win.showNormal()                 # the pictures are 1366x768 whatever the test screen is
    win.resize(*SIZE)
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
    details = page.edit_details()
    details.show()
    save(details, "details")
    details.close()
    keys = page.show_keys()
    keys.show()
    save(keys, "keys")
    keys.close()

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
    page = win.open_assessment(done)
    save(win, "checklist-completed")
    _report_and_sign(app, page, done, lang, save)

    _pull_review(app, rows["RSUD Pesisir Timur"]["uuid"])
    win.refresh_after_sync()
    page = win.open_assessment(rows["RSUD Pesisir Timur"]["uuid"])
    page.show_comments()
    save(win, "checklist-returned")

    _pull_assignments(app)
    win.refresh_after_sync()
    first_assignment = next(r for r in win.assigned.model.rows() if r["id"] == ASSIGNMENTS[0][0])
    win.start_assignment(first_assignment, exec_dialog=False).create()
    win.sidebar.setCurrentRow(ASSIGNED)
    win.assigned.select_id(ASSIGNMENTS[1][0])
    save(win, "assigned")

    win.sidebar.setCurrentRow(TEMPLATES)
    save(win, "templates")
    settings = win.open_settings(exec_dialog=False)
    settings.show()
    save(settings, "settings")
    settings.close()
    _sync(app, win, save)
    app.close()
    return saved


def _report_and_sign(app, page, uuid: str, lang: str, save) -> None:
    """The Report dialog of a completed assessment, its pages generated in the background as in
    the app; then the signing dialog with a throw-away CA's inspector certificate chosen."""
    from assessor_app.pki import current_crl, init_ca, issue_person
    from ui.report_preview import ReportPreviewDialog
    from ui.sign_dialog import SignDialog

    preview = ReportPreviewDialog(page, app.ctx.data_dir, uuid, lang=lang)
    preview.show()
    _wait(app.qt, lambda: (preview.report is not None and preview.page_count_shown()
                           >= min(2, preview.report.pages)) or preview.status.styleSheet())
    save(preview, "report-preview")

    work = Path(tempfile.mkdtemp(prefix="assessor-shots-pki-"))
    try:
        pdf = preview.save_to(work / preview.suggested_name())
        ca_pass, p12_pass = os.urandom(16).hex().encode(), os.urandom(16).hex().encode()
        init_ca(work / "pki", "Ombudsman RI", ca_pass)
        p12 = work / "rina-kartika.p12"
        issue_person(work / "pki", ca_pass, name="Rina Kartika", role="inspector", out_p12=p12,
                     p12_passphrase=p12_pass)
        sign = SignDialog(preview, app.ctx.data_dir, pdf, settings={
            "p12_path": str(p12), "crl": current_crl(work / "pki"), "language": lang,
            "tsa_url": None})
        sign.resize(max(sign.sizeHint().width(), 760), sign.sizeHint().height())
        sign.show()
        sign.passphrase.setFocus()      # empty: no passphrase is ever shown
        save(sign, "sign")
        sign.close()
    finally:
        preview.close()
        shutil.rmtree(work, ignore_errors=True)


def _sync(app, win, save) -> None:
    """The Sync dialog before enrolment, then after enrolling and syncing with a real
    ``assessor-server`` on 127.0.0.1 (a fresh temporary server data folder)."""
    from ui.sync_panel import SyncDialog

    root = Path(tempfile.mkdtemp(prefix="assessor-shots-server-"))
    server = _server(root, "Rina Kartika")
    try:
        dialog = SyncDialog(app.ctx.data_dir, win)
        dialog.resize(560, dialog.sizeHint().height())
        dialog.show()
        panel = dialog.panel
        panel.server.setText(server.url)
        panel.code.setText(server.enrol_code)
        save(dialog, "sync")
        ended = []
        panel.finished.connect(lambda: ended.append(True))
        panel.start_enroll()
        _wait(app.qt, lambda: ended)
        if not panel.sync_button.isEnabled():
            raise RuntimeError(f"screenshots: enrolment failed: {panel.status.text()}")
        ended.clear()
        panel.start_sync()
        _wait(app.qt, lambda: ended)
        win.refresh_after_sync()
        dialog.resize(560, dialog.sizeHint().height())
        save(dialog, "sync-done")
        dialog.close()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def _server(root: Path, inspector: str):
    """``assessor-server`` on a free 127.0.0.1 port (the test suite's ServerProcess) with the
    shipped templates published, one inspector and that inspector's enrolment code."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from server.serverproc import ServerProcess, run_cli
    server = ServerProcess(root, "sqlite")
    for template in sorted((Path(__file__).resolve().parent.parent / "resources" /
                            "templates").glob("*.yaml")):
        run_cli("template", "publish", template, data=server.data)
    server.enrol_code = server.code(inspector, team="kaltim-1")
    return server


#: (id, unit, agency, template id, version, due date) pulled as if from the office server
ASSIGNMENTS = [
    ("5d1e0c6a-3b7f-4c1e-9a52-000000000101", "Kantor Kelurahan Sukamaju",
     "Pemerintah Kabupaten Sungai Jernih", "ori_kepatuhan_2021", "2021.1", "2026-12-04"),
    ("5d1e0c6a-3b7f-4c1e-9a52-000000000102", "UPT Puskesmas Teluk Biru",
     "Pemerintah Kabupaten Pesisir Timur", "ori_penilaian_2022", "2024.1", "2026-12-11"),
    ("5d1e0c6a-3b7f-4c1e-9a52-000000000103", "Gudang Arsip Daerah",
     "Pemerintah Kota Bukit Indah", "k3_kebakaran", "2.0", "2027-01-15"),
]


def _pull_assignments(app) -> None:
    """Assignments as a sync applies them (``apply_changes``, the sync client's own call)."""
    changes = [{"kind": "assignment", "id": aid, "data": {
        "id": aid, "unit": {"unit": unit, "agency": agency, "address": ""}, "template_id": tid,
        "template_version": version, "due_date": due, "inspector": "Rina Kartika"}}
        for aid, unit, agency, tid, version, due in ASSIGNMENTS]
    app.store.apply_changes(changes, 100, None)


def _pull_review(app, uuid: str) -> None:
    """The supervisor's comments on a returned demo assessment, as a sync applies them."""
    notes = [("c", "comment", "Foto loket pengaduan kurang jelas, mohon diambil ulang.",
              "2026-11-20T02:10:00.000Z"),
             ("r", "return", "Butir 2.3: bukti maklumat pelayanan belum dilampirkan. Lengkapi "
                             "lalu kirim kembali.", "2026-11-21T03:30:00.000Z")]
    changes = [{"kind": "comment", "id": f"7e0c4b1a-0000-4000-8000-00000000000{n}", "data": {
        "uuid": f"7e0c4b1a-0000-4000-8000-00000000000{n}", "assessment": uuid,
        "author": "Sari Wulandari", "kind": kind, "text": text, "at": at}}
        for n, (_tag, kind, text, at) in enumerate(notes)]
    app.store.apply_changes(changes, 50, None)


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
