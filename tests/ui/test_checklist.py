"""The checklist: answering by keyboard and mouse, undo, find, relevance, samples, findings."""

from PySide6.QtCore import Qt

from .conftest import new_mini


def _open(app, **kw):
    uid = new_mini(app, **kw)
    return uid, app.window.open_assessment(uid)


def _stored(app, uid):
    return app.store.get(uid).answers


def test_answering_by_keyboard_moves_on_and_undo_reverts(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    view = page.items
    assert view.current.key == ("a1", 0)
    qtbot.keyClick(view, Qt.Key.Key_Y)                    # English: Y = yes
    assert _stored(app, uid)[("a1", 0)] == "yes"
    assert view.current.key == ("a2", 0)                  # moved on
    qtbot.keyClick(view, Qt.Key.Key_3)                    # 3 = N.A.
    assert _stored(app, uid)[("a2", 0)] == "na"
    qtbot.keyClick(view, Qt.Key.Key_2)                    # scale point 2
    assert _stored(app, uid)[("a3", 0)] == 2
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.current.key == ("a2", 0)
    qtbot.keyClick(view, Qt.Key.Key_N)                    # English: N = no
    assert _stored(app, uid)[("a2", 0)] == "no"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(app, uid)[("a2", 0)] == "na"           # undone, and recorded
    assert app.store.history(uid)[-1]["action"] == "answer"
    assert "Saved at" in app.window.saved_label.text()
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert view.current.key == ("b1", 0)                  # next unanswered, next section
    assert page.tabs.isVisible() and page.tabs.currentIndex() == 0
    qtbot.keyClick(view, Qt.Key.Key_1)                    # first option: ramah
    assert _stored(app, uid)[("b1", 0)] == "ramah"


def test_answering_by_mouse_and_number_range_check(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    row = page.items.row_for(("a3", 0))
    qtbot.mouseClick(row.control.buttons[3], Qt.MouseButton.LeftButton)
    assert _stored(app, uid)[("a3", 0)] == 3
    assert row.control.buttons[3].isChecked() and not row.control.buttons[2].isChecked()
    assert row.control.buttons[3].height() >= 36          # large buttons
    page.show_page(("dim_b", 1), focus=True)
    number = page.items.row_for(("b2", 1))
    number.control.edit.setText("900")                    # above the maximum 600
    number.control.edit.editingFinished.emit()
    assert ("b2", 1) not in _stored(app, uid)
    assert number.error.isVisibleTo(number) and "600" in number.error.text()
    number.control.edit.setText("25")
    number.control.edit.editingFinished.emit()
    assert _stored(app, uid)[("b2", 1)] == 25 and not number.error.isVisibleTo(number)


def test_relevance_hides_and_shows_items_live(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    a4 = page.items.row_for(("a4", 0))
    assert not a4.isVisibleTo(page)                       # a2 unanswered: hidden
    page.set_current_row(page.items.row_for(("a2", 0)))
    qtbot.keyClick(page.items, Qt.Key.Key_Y)
    assert a4.isVisibleTo(page)
    assert page.session.result.completeness.total == 8
    a4.control.edit.setPlainText("Parkir di depan")
    a4.control.commit()
    assert _stored(app, uid)[("a4", 0)] == "Parkir di depan"
    page.set_current_row(page.items.row_for(("a2", 0)))
    qtbot.keyClick(page.items, Qt.Key.Key_N)
    assert not a4.isVisibleTo(page)
    assert page.session.result.completeness.total == 7    # a4 left the count


def test_failing_answer_prefills_finding_and_passing_again_removes_it(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    qtbot.keyClick(page.items, Qt.Key.Key_N)              # a1 = no: fails
    findings = app.store.get(uid).findings
    assert [(f["item_id"], f["text"], f["action"]) for f in findings] == [
        ("a1", "No notice board.", "Put up a notice board.")]
    row = page.items.row_for(("a1", 0))
    assert row.finding_box.isVisibleTo(row)
    assert row.finding_box.action.toPlainText() == "Put up a notice board."
    row.finding_box.responsible.setText("Kepala Kantor")
    row.finding_box.save()
    assert app.store.get(uid).findings[0]["responsible"] == "Kepala Kantor"
    assert "needs 1 photo(s)" in row.evidence_hint.text()
    page.set_current_row(row)
    qtbot.keyClick(page.items, Qt.Key.Key_Y)
    assert len(app.store.get(uid).findings) == 1          # edited by a person: kept
    page.set_current_row(page.items.row_for(("a3", 0)))
    qtbot.keyClick(page.items, Qt.Key.Key_1)              # scale 1 of 3 fails, no default finding
    assert len(app.store.get(uid).findings) == 1


def test_sample_groups_tabs_answers_and_adding_a_sample(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    page.show_page(("dim_b", 0), focus=True)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Officer 1: Ani", "Officer 2: Budi", "+"]
    page._tab_clicked(1)
    assert page.items.page.sample == 1
    qtbot.keyClick(page.items, Qt.Key.Key_3)              # third option: kasar
    assert _stored(app, uid) == {("b1", 1): "kasar"}
    app.dialogs.answers = ["Cici"]
    page._tab_clicked(2)                                  # "+"
    assert app.store.get(uid).samples["dim_b"] == ["Ani", "Budi", "Cici"]
    assert page.items.page.sample == 2
    assert ("dim_b", 2) in page.navigator.nodes
    assert page.navigator.nodes[("dim_b", 1)].text(1) == "1/2"
    assert page.navigator.nodes[("dim_b", 1)].text(2) == "0.00"


def test_find_and_note(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    page.start_find()
    page.header.find.setText("waiting")
    row = page.find_next()
    assert row is not None and row.key == ("a2", 0)
    page.focus_items()
    qtbot.keyClick(page.items, Qt.Key.Key_C)              # C = note (Catatan / Comment)
    assert row.note_edit is not None and row.note_edit.isVisibleTo(row)
    qtbot.keyClicks(row.note_edit, "kursi kurang")
    row.note_edit.commit()
    assert app.store.get(uid).item_notes[("a2", 0)] == "kursi kurang"
