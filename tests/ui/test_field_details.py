"""Details after creation, the visit date of an assignment's draft, a deleted draft closing
(issue 12)."""

import json

from PySide6.QtCore import QDate

from .conftest import new_mini


def test_edit_details_is_recorded_and_shown(make_app, qtbot):
    app = make_app()
    uid = new_mini(app)
    page = app.window.open_assessment(uid)
    dialog = page.edit_details()
    dialog.unit.setText("Kantor Baru")
    dialog.address.setText("Jl. Baru 2")
    dialog.first_day.setDate(QDate(2026, 11, 2))
    dialog.several.setChecked(True)
    dialog.last_day.setDate(QDate(2026, 11, 4))
    dialog.inspectors.setText("Rina, Joko")
    assert dialog.save()
    a = app.store.get(uid)
    assert a.unit["unit"] == "Kantor Baru" and a.unit["address"] == "Jl. Baru 2"
    assert a.visit_dates == ["2026-11-02", "2026-11-03", "2026-11-04"]
    assert a.inspectors == ["Rina", "Joko"]
    entry = app.store.history(uid)[-1]
    assert entry["action"] == "details" and "Kantor Baru" in entry["new"]
    assert page.header.title.text() == "Kantor Baru"
    dialog = page.edit_details()
    dialog.unit.setText(" ")
    assert not dialog.save()                               # the unit needs a name
    assert app.store.get(uid).unit["unit"] == "Kantor Baru"


def test_assignment_draft_asks_for_the_visit_date_when_opened(make_app, qtbot):
    app = make_app()
    aid = "0b7e3f9a-1111-4222-8333-444455556666"
    with app.store.transaction() as c:
        c.execute("INSERT INTO sync_assignments(id, unit, template_id, template_version, due_date,"
                  " inspector, received_at) VALUES(?,?,?,?,?,?,?)",
                  (aid, json.dumps({"unit": "Kantor Tugas"}), "mini", "1.0", "2026-12-01", "Rina",
                   "2026-11-01T00:00:00Z"))
    assert app.store.materialise_assignments() == [aid]
    assert app.store.get(aid).visit_dates == []
    page = app.window.open_assessment(aid)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    assert page.dialog.windowTitle() == "Visit date"
    page.dialog.first_day.setDate(QDate(2026, 11, 20))
    assert page.dialog.save()
    assert app.store.get(aid).visit_dates == ["2026-11-20"]
    other = new_mini(app)                                  # an ordinary draft is not asked
    assert not app.window.open_assessment(other).needs_visit_date()


def test_deleting_the_open_draft_closes_it_in_the_sidebar(make_app, qtbot):
    app = make_app()
    uid = new_mini(app)
    app.window.open_assessment(uid)
    from ui.main_window import CHECKLIST
    assert not app.window.sidebar.item(CHECKLIST).isHidden()
    home = app.window.home
    home.reload()
    assert home.select_uuid(uid)
    app.dialogs.answers = [True]
    home.delete_selected()
    assert app.window.checklist is None
    assert app.window.sidebar.item(CHECKLIST).isHidden()


def test_a_write_to_a_draft_deleted_elsewhere_says_so_plainly(make_app, qtbot):
    app = make_app()
    uid = new_mini(app)
    page = app.window.open_assessment(uid)
    app.store.delete_draft(uid)                            # e.g. from the command line
    assert not page.session.set_answer("a1", 0, "yes")
    assert "no longer exists" in app.dialogs.shown[-1] and uid not in app.dialogs.shown[-1]
    assert app.window.checklist is None


def test_new_assessment_enter_never_submits_and_remembers_the_template(make_app, qtbot):
    from pathlib import Path

    from PySide6.QtCore import Qt
    app = make_app()
    app.store.import_template(Path(__file__).resolve().parents[2] / "resources" / "templates"
                              / "k3_kebakaran.yaml")
    dialog = app.window.new_assessment(exec_dialog=False)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.template           # focus starts on the first field
    dialog.select_template("mini")
    dialog.unit.setFocus()
    qtbot.keyClicks(dialog.unit, "Kantor Enter")
    qtbot.keyClick(dialog.unit, Qt.Key.Key_Return)          # moves on, creates nothing
    assert app.store.list_assessments() == [] and dialog.created_uuid is None
    assert dialog.focusWidget() is dialog.address
    # the sample fields come before Create in the Tab order
    editor = dialog.group_editors[0]
    order, w = [], dialog.inspectors
    for _i in range(12):
        w = w.nextInFocusChain()
        order.append(w)
    assert order.index(editor.edits[0]) < order.index(dialog.create_button)
    qtbot.keyClick(dialog.unit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.created_uuid is not None
    again = app.window.new_assessment(exec_dialog=False)
    assert again.template.currentData()[0] == "mini"          # the last template, remembered


def test_home_list_by_keyboard_and_selection_kept_after_deleting(make_app, qtbot):
    from PySide6.QtCore import Qt
    app = make_app()
    uids = [new_mini(app, unit) for unit in ("Kantor A", "Kantor B", "Kantor C")]
    home = app.window.home
    home.reload()
    app.window.show()
    app.window.activateWindow()
    home.focus_search()
    qtbot.keyClicks(home.search, "Kantor")
    qtbot.keyClick(home.search, Qt.Key.Key_Down)           # into the list, first row selected
    assert app.window.focusWidget() is home.table and home.selected_uuid() is not None
    first = home.selected_uuid()
    app.dialogs.answers = [True]
    qtbot.keyClick(home.table, Qt.Key.Key_Delete)          # asks, then deletes
    assert "Delete the draft" in app.dialogs.shown[-1]
    assert first not in [r["uuid"] for r in app.store.list_assessments()]
    assert home.selected_uuid() in uids and home.selected_uuid() != first   # a neighbour
    assert home.open_button.isEnabled()
    opened = home.selected_uuid()
    qtbot.keyClick(home.table, Qt.Key.Key_Return)          # Enter opens
    assert app.window.checklist is not None and app.window.checklist.uuid == opened


def test_window_opens_maximised_on_a_small_screen_and_remembers_its_place(make_app, tmp_path):
    from PySide6.QtCore import QRect
    app = make_app()
    w = app.window
    small = w.screen().availableGeometry().width() <= w.MAXIMISE_UP_TO
    w.hide()
    w.show_placed()
    assert w.isMaximized() == small
    w.showNormal()
    w.setGeometry(QRect(40, 50, 1100, 700))
    w.remember_placement()
    assert app.store.get_setting("window_maximised") is False
    placed = w.geometry()
    w.hide()
    w.resize(1300, 740)
    w.show_placed()
    # back where it was (the test screen is small: Qt fits it on the screen, at least 1024 wide)
    assert not w.isMaximized() and w.width() in (placed.width(), w.minimumWidth())
    assert w.width() < 1300


def test_one_sync_window_wide_enough(make_app, qtbot):
    app = make_app()
    first = app.window.open_sync()
    assert first is not None
    qtbot.addWidget(first)
    assert app.window.open_sync() is first                 # brought to the front, not a copy
    assert first.minimumWidth() >= 620 and first.panel.server.minimumWidth() >= 420
    first.close()
    second = app.window.open_sync()
    qtbot.addWidget(second)
    assert second is not first
