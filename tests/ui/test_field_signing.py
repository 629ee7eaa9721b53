"""The signing window (issue 12): the revocation list chosen in the window, a retry after a
refusal works without reopening, the certificate path is remembered after a refusal."""

from __future__ import annotations

import shutil

import pytest

from assessor_app.store import AssessmentStore
from report_helpers import P12_PASS, completed_office

pytest.importorskip("PySide6.QtWidgets")


def test_choose_the_crl_in_the_window_and_retry(qtbot, tmp_path):
    from ui.background import BackgroundRunner
    from ui.report_preview import ReportPreviewDialog
    from ui.sign_dialog import SignDialog
    data, uid, pki = completed_office(tmp_path)
    preview = ReportPreviewDialog(None, data, uid, runner=BackgroundRunner(inline=True), lang="en")
    qtbot.addWidget(preview)
    pdf = preview.save_to(tmp_path / "r.pdf")
    moved = tmp_path / "elsewhere" / "issuing.crl"
    moved.parent.mkdir()
    shutil.move(str(data / "pki" / "issuing.crl"), moved)     # not where the app looks
    sign = SignDialog(None, data, pdf, runner=BackgroundRunner(inline=True),
                      settings={"language": "en"})
    qtbot.addWidget(sign)
    assert sign.crl.text() == ""
    sign.p12.setText(str(tmp_path / "rina.p12"))
    sign.passphrase.setText(P12_PASS.decode())
    sign.sign()
    assert "revocation" in sign.error.text().lower()        # refused: no list
    with AssessmentStore(data) as store:
        assert store.get_setting("p12_path") == str(tmp_path / "rina.p12")   # remembered anyway
    sign.crl.setText(str(moved))                             # chosen in the window
    sign.passphrase.setText(P12_PASS.decode())
    with qtbot.waitSignal(sign.signed, timeout=5000):
        sign.sign()                                          # the same window, a retry
    assert (tmp_path / "r-signed.pdf").is_file()
    with AssessmentStore(data) as store:
        assert store.get_setting("crl_path") == str(moved)
    again = SignDialog(None, data, pdf, runner=BackgroundRunner(inline=True))
    qtbot.addWidget(again)
    assert again.crl.text() == str(moved) and again.p12.text() == str(tmp_path / "rina.p12")
