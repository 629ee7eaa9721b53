"""First run, restart resuming, settings and the language switch."""

from PySide6.QtCore import Qt

from assessor_app.i18n import language

from ui.first_run import FirstRunDialog

from .conftest import new_mini


def test_first_run_asks_who_and_which_language_then_remembers(make_app):
    app = make_app(first_run=True)
    dialog = app.first_dialog
    assert isinstance(dialog, FirstRunDialog)
    assert dialog.windowTitle() == "Selamat datang di Assessor"      # Bahasa Indonesia first
    assert app.store.list_templates()                                # templates loaded
    dialog.finish()                                                  # no name: refused
    assert dialog.problem.text() and not app.store.get_setting("first_run_done")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.windowTitle() == "Welcome to Assessor"             # retranslated at once
    dialog.inspector.setText("Rina Kartika")
    dialog.organisation.setText("Ombudsman RI")
    dialog.finish()
    assert app.store.get_setting("inspector_name") == "Rina Kartika"
    assert app.store.get_setting("language") == "en" and language() == "en"
    assert app.store.get_setting("first_run_done") is True
    assert app.store.actor == "Rina Kartika"
    assert app.window.home.stack.currentIndex() == 1                 # the empty state
    assert "No assessments yet" in app.window.home.empty_label.text()


def test_restart_reopens_the_last_assessment_at_the_same_item(make_app, tmp_path):
    app = make_app()
    uid = new_mini(app)
    page = app.window.open_assessment(uid)
    page.go_to(("a3", 0))
    page.close_page()
    app.window.close()
    app.store.close()

    again = make_app(data_dir=tmp_path / "data")
    page2 = again.window.checklist
    assert page2 is not None and page2.uuid == uid
    assert page2.items.current.key == ("a3", 0)
    assert again.window.pages.currentWidget() is page2


def test_going_home_means_the_next_start_opens_the_list(make_app, tmp_path):
    app = make_app()
    page = app.window.open_assessment(new_mini(app))
    page.header.back.click()
    assert app.store.get_setting("last_assessment") is None
    app.window.close()
    app.store.close()
    again = make_app(data_dir=tmp_path / "data")
    assert again.window.checklist is None


def test_language_switch_rebuilds_every_screen_in_place(make_app):
    app = make_app()
    uid = new_mini(app)
    page = app.window.open_assessment(uid)
    page.go_to(("a2", 0))
    assert page.header.complete.text().replace("&", "") == "Complete"
    dialog = app.window.open_settings(exec_dialog=False)
    dialog.language.setCurrentIndex(dialog.language.findData("id"))
    dialog.inspector.setText("Rina K")
    dialog.save()
    page = app.window.checklist
    assert app.store.get_setting("language") == "id"
    assert app.store.get_setting("inspector_name") == "Rina K"
    assert page.header.complete.text().replace("&", "") == "Selesaikan"
    assert page.items.current.key == ("a2", 0)                       # same place
    row = page.items.row_for(("a1", 0))
    texts = {b.text(): b.key for b in row.control.buttons.values()}
    assert texts == {"Ya": "Y / 1", "Tidak": "T / 2"}
    assert row.text.text() == "Ada papan informasi?"                 # template text follows
    assert app.window.home.model.headerData(0, Qt.Orientation.Horizontal) == "Unit"
    assert app.window.new_action.text() == "+ Penilaian baru"
    app.window.apply_language("en")
    assert app.window.checklist.header.complete.text().replace("&", "") == "Complete"
