"""The supervisor's desk in the desktop app: the queue, the review screen, item comments, return,
approve with countersignature, print to PDF and saving all approved reports.

The team member's work reaches the supervisor's store through the same code a sync uses
(``apply_changes`` with the fetched document), from a real inspector store; no server here (the
round trip with a server is tests/server/test_review.py)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from assessor_app.evidence.files import read_evidence, store_blob
from assessor_app.exchange import export_document, parse_exchange, referenced_blobs
from assessor_app.reports.signing import LocalP12Signer
from assessor_app.review import sign_and_keep
from assessor_app.store import AssessmentStore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from helpers import MINI, filled_mini  # noqa: E402
from report_helpers import P12_PASS, issue, make_ca  # noqa: E402


@pytest.fixture
def desk(make_app, tmp_path):
    """A supervisor's app holding one submitted, signed assessment of inspector Rina."""
    pki = make_ca(tmp_path / "ca")
    issue(pki, tmp_path / "rina.p12", "Rina Kartika", "inspector")
    issue(pki, tmp_path / "budi.p12", "Budi Santoso", "supervisor")
    crl = (pki / "issuing.crl").read_bytes()
    insp = AssessmentStore(tmp_path / "insp", actor="Rina")
    insp.import_template(MINI)
    uid = filled_mini(insp)
    insp.update_details(uid, inspectors=["Rina Kartika"])
    insp.complete(uid)
    sign_and_keep(insp, uid, LocalP12Signer.open(tmp_path / "rina.p12", P12_PASS), crl_der=crl)
    app = make_app()
    app.store.set_setting("crl_path", str(pki / "issuing.crl"))
    pull(app.store, insp, uid, "submitted", 1)
    app.window.review.reload()
    yield {"app": app, "uid": uid, "insp": insp, "tmp": tmp_path, "pki": pki}
    insp.close()


def pull(sup: AssessmentStore, insp: AssessmentStore, uid: str, status: str, rev: int) -> None:
    doc = export_document(insp, uid)
    for h in referenced_blobs(doc):
        store_blob(sup.evidence_dir, read_evidence(insp.evidence_dir, h), h)
    ex = parse_exchange(json.dumps(doc).encode("utf-8"))
    data = {"uuid": uid, "rev": rev, "status": status, "flags": [], "owner": "rina",
            "content_hash": doc["content_hash"], "updated_at": "2026-11-20T08:00:00.000Z"}
    sup.apply_changes([{"kind": "assessment", "id": uid, "data": data}], 10, None, {uid: ex})


def test_queue_lists_the_team_work_with_counts(desk):
    app, uid = desk["app"], desk["uid"]
    w = app.window
    from ui.main_window import REVIEW
    assert not w.sidebar.item(REVIEW).isHidden()
    assert w.sidebar.item(REVIEW).text().endswith("(1)")
    w.sidebar.setCurrentRow(REVIEW)
    assert w.pages.currentWidget() is w.review
    model = w.review.model
    assert model.rowCount() == 1 and model.uuid_at(0) == uid
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row[0] == "rina" and "Kantor Contoh" in row[1] and row[6] == "Submitted"
    assert row[7] == "signed"
    assert w.home.model.rowCount() == 0          # the team's work is not the supervisor's own
    w.review.filter.setCurrentIndex(2)           # approved: none yet
    assert model.rowCount() == 0 and not w.review.table.isVisibleTo(w.review)
    assert "Approved (0)" in w.review.filter.currentText()


def test_review_screen_is_read_only_with_the_signed_pdf(desk):
    app, uid = desk["app"], desk["uid"]
    screen = app.window.review.open_review(uid)
    assert screen.checklist.session.editable is False
    assert screen.approve_button.isEnabled() and screen.return_button.isEnabled()
    a = app.store.get(uid)
    assert len(a.evidence) == 1 and a.answers[("b1", 1)] == "biasa"
    assert screen.load_pdf_pages() >= 3           # the inspector's signed PDF, page by page


def test_item_comment_then_return(desk, qtbot):
    app, uid = desk["app"], desk["uid"]
    screen = app.window.review.open_review(uid)
    assert screen.checklist.go_to(("b1", 1)) is not None
    assert screen.current_item() == ("b1", 1)
    screen.comment.setPlainText("the photo shows last year's board")
    assert screen.add_comment(on_item=True)
    thread = app.store.review_thread(uid)
    assert thread[0]["item"] == "b1" and thread[0]["sample"] == 1 and thread[0]["state"] == "queued"
    assert "Budi" in screen.thread.item(0).text()          # "1.2, Budi"-style anchor label
    dialog = screen.open_return(exec_dialog=False)
    assert not dialog.ok.isEnabled()                        # a comment is required
    dialog.comment.setPlainText("please fix b1")
    assert dialog.ok.isEnabled()
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    kinds = [e["kind"] for e in app.store.review_outbox()]
    assert kinds == ["comment", "return"]
    assert not screen.return_button.isEnabled() and not screen.approve_button.isEnabled()
    assert "next sync" in screen.state.text()


def test_approve_countersigns_the_inspectors_pdf(desk):
    app, uid, tmp = desk["app"], desk["uid"], desk["tmp"]
    screen = app.window.review.open_review(uid)
    dialog = screen.open_approve(exec_dialog=False)
    dialog.p12.setText(str(tmp / "budi.p12"))
    dialog.passphrase.setText("wrong passphrase")
    dialog.submit()
    assert dialog.error.text() and app.store.review_outbox() == []   # refused, nothing queued
    dialog.passphrase.setText(P12_PASS.decode())
    dialog.submit()
    assert dialog.done_entry is not None, dialog.error.text()
    entry = app.store.review_outbox()[0]
    assert entry["kind"] == "approve"
    _k, signed = app.store.signed_report_bytes(uid, "signed")
    kind, counter = app.store.signed_report_bytes(uid)
    assert kind == "countersigned" and counter.startswith(signed) and len(counter) > len(signed)
    from pyhanko.pdf_utils.reader import PdfFileReader
    assert len(PdfFileReader(io.BytesIO(counter)).embedded_signatures) == 2
    assert app.store.get_setting("p12_path") == str(tmp / "budi.p12")


def test_print_to_pdf_and_save_all_approved(desk, tmp_path):
    app, uid, insp = desk["app"], desk["uid"], desk["insp"]
    screen = app.window.review.open_review(uid)
    out = tmp_path / "printed.pdf"
    assert screen.print_report(to_file=out) >= 3
    assert out.read_bytes().startswith(b"%PDF")
    # once approved (as a sync brings it), "save all approved" writes the archived files
    dialog = screen.open_approve(exec_dialog=False)
    dialog.p12.setText(str(desk["tmp"] / "budi.p12"))
    dialog.passphrase.setText(P12_PASS.decode())
    dialog.submit()
    app.store.apply_changes([{"kind": "assessment", "id": uid, "data": {
        "uuid": uid, "rev": 1, "status": "approved", "flags": [], "owner": "rina",
        "content_hash": app.store.team_copy(uid)["content_hash"]}}], 11, None)
    app.window.review.close_review()
    written = app.window.review.save_all_approved(tmp_path / "batch")
    _k, counter = app.store.signed_report_bytes(uid)
    assert len(written) == 1 and written[0].read_bytes() == counter
    pages = app.window.review.print_all_approved(to_file=tmp_path / "all.pdf")
    assert pages >= 3 and (tmp_path / "all.pdf").read_bytes().startswith(b"%PDF")
    app.window.review.since.setText("2027-01-01")           # a later period: nothing to print
    assert app.window.review.save_all_approved(tmp_path / "none") == []


def returned_with_item_comment(make_app, author: str = "Budi", decision: str | None = None):
    """An app whose store holds a returned assessment with the supervisor's comment on item b1,
    sample 2 (and the return decision when ``decision`` is given), applied as a sync applies it."""
    app = make_app()
    uid = filled_mini(app.store)
    app.store.complete(uid)
    changes = [
        {"kind": "assessment", "id": uid, "data": {"uuid": uid, "rev": 1, "status": "returned",
                                                    "flags": [], "owner": "Rina",
                                                    "content_hash": "x"}},
        {"kind": "comment", "id": "c1", "data": {
            "uuid": "c0000000-0000-4000-8000-00000000000a", "assessment": uid, "author": author,
            "kind": "comment", "text": "the photo shows last year's board", "at":
            "2026-11-20T08:00:00.000Z", "item": "b1", "sample": 1}}]
    if decision:
        changes.append({"kind": "comment", "id": "c2", "data": {
            "uuid": "c0000000-0000-4000-8000-00000000000b", "assessment": uid, "author": author,
            "kind": "return", "text": decision, "at": "2026-11-20T08:01:00.000Z"}})
    app.store.apply_changes(changes, 5, None)
    return app, uid


def test_inspector_sees_comments_pinned_to_their_items(make_app, tmp_path):
    """On the inspector's laptop a returned assessment shows the supervisor's item comment with
    the item and sample it is about (pulled exactly as a sync applies it)."""
    app, uid = returned_with_item_comment(make_app, author="budi", decision="fix b1")
    page = app.window.open_assessment(uid)
    assert page.session.editable and page.review_banner.isVisible() is not None
    html = page.review.toHtml()
    assert "On item" in html and "Budi" in html and "last year" in html
    # the inspector replies on the same item; it waits in the outbox for the next sync
    page.go_to(("b1", 1))
    page.comments_box.reply.setPlainText("new photo added")
    assert page.comments_box.send(on_item=True)
    entry = app.store.review_outbox()[0]
    assert (entry["item"], entry["sample"], entry["text"]) == ("b1", 1, "new photo added")
    assert "new photo added" in page.review.toHtml()


def test_the_inspectors_signature_in_the_report_window_is_kept_with_the_assessment(qtbot,
                                                                                    tmp_path):
    """Report -> Sign as inspector: the signed PDF becomes part of the assessment (the next
    sync sends it), byte for byte the file written."""
    from report_helpers import completed_office
    from ui.background import BackgroundRunner
    from ui.report_preview import ReportPreviewDialog
    from ui.sign_dialog import SignDialog
    data, uid, pki = completed_office(tmp_path)
    dialog = ReportPreviewDialog(None, data, uid, runner=BackgroundRunner(inline=True), lang="en")
    qtbot.addWidget(dialog)
    pdf = dialog.save_to(tmp_path / "r.pdf")
    sign = SignDialog(None, data, pdf, runner=BackgroundRunner(inline=True),
                      settings={"crl": (pki / "issuing.crl").read_bytes(), "language": "en"})
    qtbot.addWidget(sign)
    sign.signed.connect(lambda path: dialog.keep_signed(path, sign.role.currentData()))
    sign.p12.setText(str(tmp_path / "rina.p12"))
    sign.passphrase.setText(P12_PASS.decode())
    with qtbot.waitSignal(sign.signed, timeout=10000):
        sign.sign()
    store = AssessmentStore(data)
    try:
        kind, kept = store.signed_report_bytes(uid)
        assert kind == "signed" and kept == (tmp_path / "r-signed.pdf").read_bytes()
        assert store.push_candidates() == [uid]          # the next sync sends it
    finally:
        store.close()


def test_item_comments_are_pinned_on_their_rows(make_app, tmp_path):
    """The returned checklist shows each anchored comment on the row of its item and sample,
    and on no other row."""
    app, uid = returned_with_item_comment(make_app)
    page = app.window.open_assessment(uid)
    page.go_to(("b1", 1))
    row = page.items.by_key[("b1", 1)]
    assert row.pins is not None and not row.pins.isHidden()
    assert row.pins.text() == "Budi: the photo shows last year's board"
    page.go_to(("b1", 0))
    other = page.items.by_key[("b1", 0)]
    assert other.pins is None or other.pins.isHidden()


def test_review_comment_times_carry_their_zone():
    """The supervisor's comment times (stored in UTC) print as local time with the zone, like
    signature times."""
    from assessor_app.timefmt import format_instant
    from ui.checklist.review_panel import local_time
    text = local_time("2026-11-27T21:15:00.123Z")
    assert text == format_instant("2026-11-27T21:15:00.123Z")
    assert text.count(" ") == 2 and text.split(" ")[2]       # date, clock, zone
    assert local_time(None) == "" and local_time("") == ""
