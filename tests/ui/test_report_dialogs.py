"""The report preview and the signing dialog, offscreen, with a real store, CA and PDFs."""

from __future__ import annotations

import shutil

import pytest

from assessor_app.pki import ca_certificates, current_crl
from assessor_app.reports import verify_report
from helpers import filled_mini, mini_store
from report_helpers import completed_office, P12_PASS

pytest.importorskip("PySide6.QtWidgets")


@pytest.fixture()
def completed(tmp_path):
    data, uid, pki = completed_office(tmp_path)
    return tmp_path, data, uid, pki


def _preview(qtbot, data, uid, lang="en"):
    from ui.background import BackgroundRunner
    from ui.report_preview import ReportPreviewDialog
    dialog = ReportPreviewDialog(None, data, uid, runner=BackgroundRunner(inline=True), lang=lang)
    qtbot.addWidget(dialog)
    return dialog


def test_preview_shows_every_page_and_saves_and_prints(qtbot, completed):
    tmp, data, uid, _ = completed
    dialog = _preview(qtbot, data, uid)
    assert dialog.report is not None and not dialog.report.draft
    assert "Report 2026-" in dialog.status.text()
    if shutil.which("pdftoppm"):
        assert dialog.page_count_shown() == dialog.report.pages
    assert dialog.sign_button.isEnabled()
    saved = dialog.save_to(tmp / "out" / "r.pdf")
    assert saved.read_bytes() == dialog.report.pdf
    dialog.lang.setCurrentIndex(0)                  # switching language regenerates
    assert dialog.report.lang == "id"
    if shutil.which("pdftoppm"):
        from PySide6.QtPrintSupport import QPrinter
        printer = QPrinter(QPrinter.HighResolution)
        printer.setOutputFormat(QPrinter.PdfFormat)
        printer.setOutputFileName(str(tmp / "printed.pdf"))
        dialog.print_to(printer)
        assert (tmp / "printed.pdf").stat().st_size > 10_000


def test_preview_of_a_draft_cannot_be_signed(qtbot, tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.close()
    dialog = _preview(qtbot, tmp_path / "data", uid)
    assert dialog.report.draft and "DRAFT" in dialog.status.text()
    assert not dialog.sign_button.isEnabled()


def test_preview_shows_a_failure_in_words(qtbot, completed):
    _, data, _, _ = completed
    dialog = _preview(qtbot, data, "00000000-0000-0000-0000-000000000000")
    assert dialog.report is None and "no assessment" in dialog.status.text()


def _sign_dialog(qtbot, data, pdf, crl):
    from ui.background import BackgroundRunner
    from ui.sign_dialog import SignDialog
    dialog = SignDialog(None, data, pdf, runner=BackgroundRunner(inline=True),
                        settings={"crl": crl, "language": "en"})
    qtbot.addWidget(dialog)
    return dialog


def test_sign_dialog_refuses_clearly_then_signs(qtbot, completed):
    tmp, data, uid, pki = completed
    dialog = _preview(qtbot, data, uid)
    pdf = dialog.save_to(tmp / "r.pdf")
    sign = _sign_dialog(qtbot, data, pdf, current_crl(pki))
    sign.sign()
    assert "certificate file" in sign.error.text()          # nothing chosen yet
    sign.p12.setText(str(tmp / "rina.p12"))
    sign.passphrase.setText("not the passphrase")
    sign.sign()
    assert "wrong passphrase" in sign.error.text() and sign.passphrase.text() == ""
    sign.role.setCurrentIndex(1)                              # supervisor, with an inspector's file
    sign.passphrase.setText(P12_PASS.decode())
    sign.sign()
    assert "inspector has not signed" in sign.error.text()
    assert not (tmp / "r-signed.pdf").exists()
    sign.role.setCurrentIndex(0)
    sign.passphrase.setText(P12_PASS.decode())
    with qtbot.waitSignal(sign.signed, timeout=5000) as blocker:
        sign.sign()
    assert blocker.args[0] == tmp / "r-signed.pdf"
    root, _ = ca_certificates(pki)
    result = verify_report((tmp / "r-signed.pdf").read_bytes(), root, crls=[current_crl(pki)])
    assert result.ok and result.signatures[0].signer == "Rina Kartika"

    second = _sign_dialog(qtbot, data, tmp / "r-signed.pdf", current_crl(pki))
    second.p12.setText(str(tmp / "budi.p12"))
    second.role.setCurrentIndex(0)                            # a supervisor as inspector: refused
    second.passphrase.setText(P12_PASS.decode())
    second.sign()
    assert "not an inspector" in second.error.text()
    second.p12.setText(str(tmp / "rina.p12"))                 # the inspector again: refused
    second.passphrase.setText(P12_PASS.decode())
    second.sign()
    assert "already signed this report" in second.error.text()
    second.p12.setText(str(tmp / "budi.p12"))
    second.passphrase.setText(P12_PASS.decode())
    second.role.setCurrentIndex(1)
    with qtbot.waitSignal(second.signed, timeout=5000):
        second.sign()
    both = verify_report((tmp / "r-countersigned.pdf").read_bytes(), root, crls=[current_crl(pki)])
    assert both.ok and [s.role for s in both.signatures] == ["inspector", "supervisor"]


def test_supervisor_signing_window_countersigns_a_signed_report(qtbot, completed):
    """The signing window in the supervisor's role (what Review's "Approve and countersign"
    and `assessor sign --as supervisor` do) adds the countersignature with the synced CRL; the
    report window itself offers no countersigning of arbitrary files (only the Review page does,
    where the assessment's status is checked)."""
    from ui.background import BackgroundRunner
    from ui.sign_dialog import SignDialog
    tmp, data, uid, pki = completed
    dialog = _preview(qtbot, data, uid)
    pdf = dialog.save_to(tmp / "r.pdf")
    first = SignDialog(None, data, pdf, runner=BackgroundRunner(inline=True),
                       settings={"crl": current_crl(pki), "language": "en"})
    qtbot.addWidget(first)
    first.p12.setText(str(tmp / "rina.p12"))
    first.passphrase.setText(P12_PASS.decode())
    with qtbot.waitSignal(first.signed, timeout=5000):
        first.sign()
    (data / "sync").mkdir(exist_ok=True)
    shutil.move(pki / "issuing.crl", data / "sync" / "crl.der")   # as a laptop that synced has it
    assert not hasattr(dialog, "countersign_button")
    second = SignDialog(None, data, tmp / "r-signed.pdf", runner=BackgroundRunner(inline=True),
                        role="supervisor")
    qtbot.addWidget(second)
    assert second.role.currentData() == "supervisor"
    assert second.settings["crl"] == (data / "sync" / "crl.der").read_bytes()
    second.p12.setText(str(tmp / "budi.p12"))
    second.passphrase.setText(P12_PASS.decode())
    with qtbot.waitSignal(second.signed, timeout=5000):
        second.sign()
    root, _ = ca_certificates(pki)
    both = verify_report((tmp / "r-countersigned.pdf").read_bytes(), root,
                         crls=[(data / "sync" / "crl.der").read_bytes()])
    assert both.ok and [s.role for s in both.signatures] == ["inspector", "supervisor"]
    # the next signing window offers the certificate file used last (never the passphrase)
    third = SignDialog(None, data, tmp / "r.pdf", runner=BackgroundRunner(inline=True))
    qtbot.addWidget(third)
    assert third.p12.text() == str(tmp / "budi.p12") and third.passphrase.text() == ""


def test_preview_asks_for_a_kind_reports_progress_and_zooms(qtbot, completed):
    from ui.background import BackgroundRunner
    from ui.report_preview import ReportPreviewDialog
    _, data, uid, _ = completed
    dialog = ReportPreviewDialog(None, data, uid, runner=BackgroundRunner(inline=True), lang="en",
                                 kind="summary")
    qtbot.addWidget(dialog)
    assert dialog.report.kind == "summary"
    summary_pages = dialog.report.pages
    laid_out = []
    dialog._progress.pages.connect(laid_out.append)
    dialog.kind.setCurrentIndex(dialog.kind.findData("full"))      # switching kind regenerates
    assert dialog.report.kind == "full" and dialog.report.pages > summary_pages
    assert laid_out == list(range(1, dialog.report.pages + 1))     # progress, page by page
    if shutil.which("pdftoppm"):
        assert dialog.page_count_shown() == dialog.report.pages
        before = dialog.page_width_shown()
        dialog.zoom.setCurrentIndex(dialog.zoom.findData(150))
        assert abs(dialog.page_width_shown() - 2 * before) <= 2
