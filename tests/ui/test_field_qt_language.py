"""Qt's own dialogs speak the app's language (issue 12): Qt ships no Indonesian catalogue, so the
app serves Qt's strings from resources/locale/id/LC_MESSAGES/qtbase.po."""

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from ui import qt_translations


def test_standard_buttons_and_file_dialog_in_indonesian(qtbot):
    try:
        qt_translations.install("id")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Batal"
        ask = QMessageBox(QMessageBox.Icon.Question, "t", "q",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        qtbot.addWidget(ask)
        assert ask.button(QMessageBox.StandardButton.Yes).text().replace("&", "") == "Ya"
        files = QFileDialog(None, "x")
        files.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(files)
        assert files.labelText(QFileDialog.DialogLabel.Reject) == "Batal"
        assert "berkas" in files.labelText(QFileDialog.DialogLabel.FileName).lower()
        assert QLocale().decimalPoint() == ","                 # 7,5 in Qt's number fields
        from PySide6.QtCore import QCoreApplication
        # a Qt string the catalogue lacks stays Qt's own (never blank)
        assert QCoreApplication.translate("QFileDialog", "No such words here") == \
            "No such words here"
        qt_translations.install("en")
        box2 = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box2)
        assert box2.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    finally:
        qt_translations.install("en")


def test_dialogs_fit_a_small_screen(qtbot):
    from PySide6.QtWidgets import QDialog
    from ui.screen_fit import FRAME, fit_to_screen
    d = QDialog()
    qtbot.addWidget(d)
    free = d.screen().availableGeometry()
    fit_to_screen(d, 5000, 5000)
    assert d.height() <= free.height() - FRAME and d.width() <= free.width()
