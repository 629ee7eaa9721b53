"""Screenshots of the supervisor's desk in both languages, for the user guides.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m ui.review.screenshots [--out docs/screenshots]

The demo assessments are made on an inspector's data folder, two are signed with certificates
of a throw-away CA, and all are brought to a supervisor's data folder by the code a sync uses
(``apply_changes`` with the documents); then the real app shows the queue, the review screen,
an item comment and the approve dialog. Saves ``review-<screen>-<lang>.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1366, 768)
PASS = b"screenshot passphrase"
CA_PASS = b"screenshot CA passphrase"


def team_folder(root: Path) -> tuple[Path, dict]:
    """A supervisor's data folder holding the demo team's work; returns it and unit -> uuid."""
    from assessor_app.demo import load_demo
    from assessor_app.evidence.files import read_evidence, store_blob
    from assessor_app.exchange import export_document, parse_exchange, referenced_blobs
    from assessor_app.pki import init_ca, issue_person
    from assessor_app.reports.signing import LocalP12Signer
    from assessor_app.review import sign_and_keep
    from assessor_app.store import AssessmentStore
    pki = root / "pki"
    init_ca(pki, "Ombudsman RI", CA_PASS)
    for name, role, file in (("Rina Kartika", "inspector", "rina.p12"),
                             ("Dedi Pratama", "inspector", "dedi.p12"),
                             ("Budi Santoso", "supervisor", "budi.p12")):
        issue_person(pki, CA_PASS, name=name, role=role, out_p12=root / file, p12_passphrase=PASS)
    crl = (pki / "issuing.crl").read_bytes()
    insp = AssessmentStore(root / "inspector", actor="Rina Kartika")
    load_demo(insp)
    rows = {r["unit"]: r for r in insp.list_assessments()}
    signed = {"Dinas Penanaman Modal dan PTSP": "rina.p12",
              "Kantor Kecamatan Bukit Indah Utara": "dedi.p12"}
    for unit, p12 in signed.items():
        sign_and_keep(insp, rows[unit]["uuid"], LocalP12Signer.open(root / p12, PASS),
                      crl_der=crl, lang="id")
    sup = AssessmentStore(root / "supervisor", actor="Budi Santoso")
    sup.install_default_templates()
    status = {"Dinas Penanaman Modal dan PTSP": "submitted", "Puskesmas Sukamaju": "submitted",
              "Kantor Kecamatan Bukit Indah Utara": "submitted", "RSUD Pesisir Timur": "returned",
              "Dinas Kependudukan dan Pencatatan Sipil": "approved"}
    changes, docs = [], {}
    for n, (unit, st) in enumerate(status.items()):
        uid = rows[unit]["uuid"]
        doc = export_document(insp, uid)
        for h in referenced_blobs(doc):
            store_blob(sup.evidence_dir, read_evidence(insp.evidence_dir, h), h)
        docs[uid] = parse_exchange(json.dumps(doc).encode("utf-8"))
        owner = str(insp.get(uid).inspectors[0])
        changes.append({"kind": "assessment", "id": uid, "data": {
            "uuid": uid, "rev": 1, "status": st, "flags": ["conflict"] if n == 1 else [],
            "owner": owner, "content_hash": doc["content_hash"],
            "updated_at": f"2026-11-{20 + n:02d}T0{n}:30:00.000Z"}})
    sup.apply_changes(changes, 1, None, docs)
    for key, value in (("sync.role", "supervisor"), ("sync.user", "Budi Santoso"),
                       ("crl_path", str(pki / "issuing.crl")), ("first_run_done", True),
                       ("inspector_name", "Budi Santoso")):
        sup.set_setting(key, value)
    sup.close()
    insp.close()
    return root / "supervisor", {u: rows[u]["uuid"] for u in status}


def shoot(lang: str, out: Path) -> list[Path]:
    from assessor_app.i18n import set_language
    from ui.app import Application
    from ui.dialogs import ScriptedDialogs
    from ui.main_window import REVIEW
    root = Path(tempfile.mkdtemp(prefix="assessor-review-shots-"))
    data, uids = team_folder(root)
    app = Application(data, inline=True, dialogs=ScriptedDialogs(data))
    app.store.set_setting("language", lang)
    set_language(lang)
    app.start(interactive=False)
    win = app.window
    win.apply_language(lang)
    win.resize(*SIZE)
    win.show()
    saved: list[Path] = []

    def save(widget, name: str) -> None:
        for _ in range(5):
            app.qt.processEvents()
        path = out / f"review-{name}-{lang}.png"
        widget.grab().save(str(path))
        saved.append(path)

    win.sidebar.setCurrentRow(REVIEW)
    win.review.filter.setCurrentIndex(3)        # all
    save(win, "queue")
    win.review.filter.setCurrentIndex(0)
    screen = win.review.open_review(uids["Dinas Penanaman Modal dan PTSP"])
    page = screen.checklist
    group = next(p for p in page.session.pages() if p.group is not None and p.sample == 1)
    page.show_page(group.key, focus=True)
    key = next(k for k in page.session.ordered_keys() if k[1] == 1)
    page.go_to(key)
    screen.refresh()
    save(win, "screen")
    screen.comment.setPlainText("Foto papan pengumuman untuk produk ini dari tahun lalu; mohon "
                                "foto ulang." if lang == "id" else
                                "The photo of the notice board for this product is last year's; "
                                "please take it again.")
    screen.add_comment(on_item=True)
    save(win, "comment")
    dialog = screen.open_approve(exec_dialog=False)
    dialog.p12.setText("~/Dokumen/sertifikat/budi-santoso.p12")
    dialog.passphrase.setText("••••••••••")
    dialog.resize(620, 260)
    dialog.show()
    save(dialog, "approve")
    dialog.close()
    screen.tabs.setCurrentIndex(1)
    save(win, "signed-pdf")
    win.review.shutdown()
    win.close()
    app.store.close()
    return saved


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--lang", choices=["id", "en"], action="append")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in args.lang or ["en", "id"]:
        for path in shoot(lang, args.out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
