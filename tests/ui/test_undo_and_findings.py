"""Ctrl+Z for every change made in the checklist (each undo a new, recorded change), and the
finding box's due date and follow-up status."""

from PySide6.QtCore import QDate, Qt

from assessor_app.demo import demo_photo

from .conftest import new_mini


def _open(app):
    uid = new_mini(app)
    return uid, app.window.open_assessment(uid)


def _undo(page, qtbot):
    qtbot.keyClick(page.items, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    return page.window().statusBar().currentMessage()


def _actions(app, uid):
    return [h["action"] for h in app.store.history(uid)]


def _failing_a1(app, page, qtbot):
    page.set_current_row(page.items.row_for(("a1", 0)))
    qtbot.keyClick(page.items, Qt.Key.Key_N)              # a1 = no: fails, finding prefilled
    return page.items.row_for(("a1", 0))


def test_undo_photo_added_removes_the_link(make_app, qtbot, tmp_path):
    app = make_app()
    uid, page = _open(app)
    photo = tmp_path / "papan.jpg"
    photo.write_bytes(demo_photo("papan", 3))
    app.dialogs.answers = [[str(photo)]]
    qtbot.keyClick(page.items, Qt.Key.Key_P)
    row = page.items.row_for(("a1", 0))
    assert len(app.store.get(uid).evidence) == 1 and len(row.strip.buttons) == 1
    page.set_current_row(page.items.row_for(("a3", 0)))   # undo brings the item back
    assert _undo(page, qtbot) == "Undid: photo added to 1.1"
    assert app.store.get(uid).evidence == [] and not row.strip.isVisibleTo(row)
    assert page.items.current.key == ("a1", 0)
    assert _actions(app, uid)[-2:] == ["photo+", "photo-"]    # recorded, never rewritten
    assert app.store.verify_history(uid).ok


def test_undo_photo_removed_attaches_the_same_file_with_its_caption(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    page.session.add_photos(("a1", 0), [demo_photo("papan", 3)])
    row = page.items.row_for(("a1", 0))
    ev = app.store.get(uid).evidence[0]
    dialog = page.open_photo(row, ev)
    dialog.caption.setText("Papan rusak")
    dialog.caption.editingFinished.emit()
    app.dialogs.answers = [True]
    dialog.remove_button.click()
    assert app.store.get(uid).evidence == []
    assert _undo(page, qtbot) == "Undid: photo removed from 1.1"
    back = app.store.get(uid).evidence
    assert [(e["sha256"], e["caption"]) for e in back] == [(ev["sha256"], "Papan rusak")]
    assert len(row.strip.buttons) == 1
    assert _actions(app, uid)[-3:] == ["caption", "photo-", "photo+"]
    # the caption change before the removal is undone on the re-attached photo
    assert _undo(page, qtbot) == "Undid: photo caption on 1.1"
    assert app.store.get(uid).evidence[0]["caption"] == ""
    assert _undo(page, qtbot) == "Undid: photo added to 1.1"
    assert app.store.get(uid).evidence == []
    assert _undo(page, qtbot) == "Nothing to undo"


def test_undo_caption_edit_restores_the_old_caption(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    page.session.add_photos(("a1", 0), [demo_photo("papan", 3)])
    page.session.undo_stack.clear()
    row = page.items.row_for(("a1", 0))
    dialog = page.open_photo(row, app.store.get(uid).evidence[0])
    for text in ("Papan", "Papan rusak"):
        dialog.caption.setText(text)
        dialog.caption.editingFinished.emit()
    dialog.close()
    assert _undo(page, qtbot) == "Undid: photo caption on 1.1"
    assert app.store.get(uid).evidence[0]["caption"] == "Papan"
    assert row.strip.buttons[0].toolTip() == "Papan"
    assert _actions(app, uid)[-1] == "caption"


def test_undo_finding_edits_restores_previous_values(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    row = _failing_a1(app, page, qtbot)
    box = row.finding_box
    box.responsible.setText("Kepala Kantor")
    box.save()
    box.action.setPlainText("Pasang papan di depan loket.")
    box.action.commit()
    box.status.setCurrentIndex(box.status.findData("partly_implemented"))
    f = app.store.get(uid).findings[0]
    assert (f["responsible"], f["action"], f["status"]) == (
        "Kepala Kantor", "Pasang papan di depan loket.", "partly_implemented")
    assert _undo(page, qtbot) == "Undid: finding edited on 1.1"
    assert app.store.get(uid).findings[0]["status"] == "open"
    assert box.status.currentData() == "open"
    _undo(page, qtbot)
    assert app.store.get(uid).findings[0]["action"] == "Put up a notice board."
    assert box.action.toPlainText() == "Put up a notice board."
    _undo(page, qtbot)
    assert app.store.get(uid).findings[0]["responsible"] == ""
    assert box.responsible.text() == ""
    assert _actions(app, uid)[-3:] == ["finding", "finding", "finding"]
    assert _undo(page, qtbot) == "Undid: answer to 1.1"       # then the answer itself
    assert app.store.get(uid).findings == []                   # untouched again: it goes


def test_undo_finding_written_by_hand_removes_it(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    page.set_current_row(page.items.row_for(("a3", 0)))
    qtbot.keyClick(page.items, Qt.Key.Key_1)              # scale 1 fails, no template finding
    box = page.go_to(("a3", 0)).finding_box               # (the answer moved on to section 2)
    box.text.setPlainText("Lantai kotor")
    box.text.commit()
    assert [f["text"] for f in app.store.get(uid).findings] == ["Lantai kotor"]
    assert _undo(page, qtbot) == "Undid: finding added to 1.3"
    assert app.store.get(uid).findings == [] and box.text.toPlainText() == ""


def test_undo_answers_and_notes_still_work_and_say_so_in_indonesian(make_app, qtbot):
    app = make_app(lang="id")
    uid, page = _open(app)
    page.go_to(("b1", 1))
    qtbot.keyClick(page.items, Qt.Key.Key_1)
    assert _undo(page, qtbot) == "Dibatalkan: jawaban butir 2.1 (Budi)"
    assert ("b1", 1) not in app.store.get(uid).answers
    page.session.set_note("a2", 0, "ruang sempit")
    assert _undo(page, qtbot) == "Dibatalkan: catatan butir 1.2"
    assert app.store.get(uid).item_notes == {}
    assert _undo(page, qtbot) == "Tidak ada yang bisa dibatalkan"


def test_finding_due_date_and_follow_up_are_saved_at_once(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    box = _failing_a1(app, page, qtbot).finding_box
    box.due.edit.setText("31/12/2026")                   # day first is understood
    box.due.edit.editingFinished.emit()
    assert app.store.get(uid).findings[0]["due_date"] == "2026-12-31"
    assert box.due.edit.text() == "2026-12-31"
    box.due.edit.setText("2026-02-30")                   # not a date: marked, not saved
    box.due.edit.editingFinished.emit()
    assert app.store.get(uid).findings[0]["due_date"] == "2026-12-31"
    assert box.error.isVisibleTo(box) and "YYYY-MM-DD" in box.error.text()
    box.due.menu.aboutToShow.emit()                      # the calendar opens on the set date
    assert box.due.calendar.selectedDate() == QDate(2026, 12, 31)
    box.due.calendar.clicked.emit(QDate(2027, 1, 15))
    assert app.store.get(uid).findings[0]["due_date"] == "2027-01-15"
    assert not box.error.isVisibleTo(box)
    box.due.edit.setText("")                              # empty: no date
    box.due.edit.editingFinished.emit()
    assert app.store.get(uid).findings[0]["due_date"] == ""
    box.status.setCurrentIndex(box.status.findData("implemented"))
    assert app.store.get(uid).findings[0]["status"] == "implemented"
    assert [box.status.itemText(i) for i in range(box.status.count())] == [
        "Still open", "Implemented", "Partly implemented", "Not implemented"]
    assert box.width() <= page.items.viewport().width()    # fits the centre pane at 1366


def test_finding_box_is_read_only_when_completed(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    box = _failing_a1(app, page, qtbot).finding_box
    box.due.edit.setText("2026-12-31")
    box.due.edit.editingFinished.emit()
    app.store.add_photo(uid, "a1", demo_photo("papan", 1))
    for key, value in ((("b1", 0), "ramah"), (("b1", 1), "biasa")):
        app.store.set_answer(uid, key[0], value, key[1])
    app.window.open_assessment(uid)
    page = app.window.checklist
    assert page.session.complete()
    box = page.items.row_for(("a1", 0)).finding_box
    assert box.text.isReadOnly() and box.responsible.isReadOnly() and box.due.isReadOnly()
    assert not box.status.isEnabled() and not box.due.button.isVisibleTo(box)
    assert box.due.edit.text() == "2026-12-31"
    box.status.setCurrentIndex(2)                         # even if forced: nothing is written
    assert app.store.get(uid).findings[0]["status"] == "open"
