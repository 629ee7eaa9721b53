"""A day in the field by keyboard (issue 12): Esc and Ctrl+Enter commit and leave every kind of
answer control, so the next answer keys never land in a text box."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import new_mini

K3 = Path(__file__).resolve().parents[2] / "resources" / "templates" / "k3_kebakaran.yaml"
CTRL = Qt.KeyboardModifier.ControlModifier


def _open(app, **kw):
    uid = new_mini(app, **kw)
    return uid, _shown(app, app.window.open_assessment(uid))


def _shown(app, page):
    """Focus is only real in a shown, active window."""
    app.window.show()
    app.window.activateWindow()
    QApplication.processEvents()
    page.focus_items()
    return page


def test_esc_commits_a_text_answer_and_gives_the_keys_back(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    view = page.items
    page.session.set_answer("a2", 0, "yes")              # a4 (text) becomes relevant
    row = view.row_for(("a4", 0))
    page.set_current_row(row)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)               # Enter goes into the text
    edit = row.control.edit
    assert QApplication.focusWidget() is edit
    qtbot.keyClicks(edit, "Petugas loket")
    qtbot.keyClick(edit, Qt.Key.Key_Escape)               # Esc: saved at once, and out
    assert app.store.get(uid).answers[("a4", 0)] == "Petugas loket"
    assert QApplication.focusWidget() is view
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_3)                    # a3: scale point 3, not typed text
    assert app.store.get(uid).answers[("a3", 0)] == 3
    assert edit.toPlainText() == "Petugas loket"


def test_ctrl_enter_commits_the_text_before_finding_the_next_unanswered(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    for item, value in (("a1", "yes"), ("a2", "yes"), ("a3", 2)):
        page.session.set_answer(item, 0, value)
    row = page.items.row_for(("a4", 0))
    page.set_current_row(row)
    row.control.focus_editor()
    qtbot.keyClicks(row.control.edit, "Parkir di depan")
    qtbot.keyClick(row.control.edit, Qt.Key.Key_Return, CTRL)
    assert app.store.get(uid).answers[("a4", 0)] == "Parkir di depan"
    assert page.items.current.key == ("b1", 0)            # not stuck on a4
    assert QApplication.focusWidget() is page.items
    qtbot.keyClick(page.items, Qt.Key.Key_1)
    assert app.store.get(uid).answers[("b1", 0)] == "ramah"


def test_number_esc_and_ctrl_enter(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    page.show_page(("dim_b", 0), focus=True)
    row = page.items.row_for(("b2", 0))
    page.set_current_row(row)
    qtbot.keyClick(page.items, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is row.control.edit
    qtbot.keyClicks(row.control.edit, "12")
    qtbot.keyClick(row.control.edit, Qt.Key.Key_Escape)
    assert app.store.get(uid).answers[("b2", 0)] == 12
    assert QApplication.focusWidget() is page.items
    row.control.focus_editor()
    row.control.edit.selectAll()
    qtbot.keyClicks(row.control.edit, "7")
    qtbot.keyClick(row.control.edit, Qt.Key.Key_Enter, CTRL)
    assert app.store.get(uid).answers[("b2", 0)] == 7
    assert page.items.current.key != ("b2", 0)


def test_date_and_location_leave_with_esc(make_app, qtbot):
    app = make_app()
    app.store.import_template(K3)
    uid = app.store.create_assessment("k3_kebakaran", unit={"unit": "Gedung A"})
    page = _shown(app, app.window.open_assessment(uid))
    date_row = page.go_to(("apar_servis_terakhir", 0))
    date_row.control.focus_editor()
    date_row.control.edit.setDate(date_row.control.edit.date().fromString("2026-10-01", "yyyy-MM-dd"))
    qtbot.keyClick(date_row.control.edit, Qt.Key.Key_Escape)
    assert app.store.get(uid).answers[("apar_servis_terakhir", 0)] == "2026-10-01"
    assert QApplication.focusWidget() is page.items
    loc = page.go_to(("titik_kumpul_lokasi", 0))
    loc.control.focus_editor()
    qtbot.keyClicks(loc.control.lat, "-6,2")
    loc.control.lon.setFocus()
    qtbot.keyClicks(loc.control.lon, "106.8")
    qtbot.keyClick(loc.control.lon, Qt.Key.Key_Escape)
    assert app.store.get(uid).answers[("titik_kumpul_lokasi", 0)] == {"lat": -6.2, "lon": 106.8}
    assert QApplication.focusWidget() is page.items
    assert page.items.current is loc


def test_find_whole_item_numbers_first_and_in_notes_findings_guidance(make_app, qtbot):
    app = make_app()
    from assessor_app.paths import resource
    app.store.import_template(resource("templates", "ori_penilaian_2022.yaml"))
    uid = app.store.create_assessment("ori_penilaian_2022", unit={"unit": "Disdukcapil"})
    page = _shown(app, app.window.open_assessment(uid))
    s = page.session
    found = s.find("2.1")
    assert s.template.items[found[0][0]].number == "2.1"
    assert all(not s.template.items[k[0]].number.startswith("1.2.1") for k in found)
    first = s.ordered_keys()[0]
    s.set_note(first[0], first[1], "loket ramai sekali")
    assert s.find("ramai")[0] == first                      # notes are searched
    item = next(i for i in s.template.walk_items() if i.guidance is not None)
    word = max(item.guidance.get("en").split(), key=len).strip(".,;:()")
    assert any(k[0] == item.id for k in s.find(word))       # guidance too
    page.start_find()
    qtbot.keyClicks(page.header.find, "2.1")
    qtbot.keyClick(page.header.find, Qt.Key.Key_Return)
    assert page.items.current.item.number == "2.1"
    qtbot.keyClick(page.header.find, Qt.Key.Key_Escape)     # back to the checklist
    assert QApplication.focusWidget() is page.items


def test_section_tree_keys_go_to_box_and_filters(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    nav = page.navigator
    nav.setFocus()
    nav.setCurrentItem(nav.nodes[("dim_b", 1)])
    qtbot.keyClick(nav, Qt.Key.Key_Space)                  # Space opens the section
    assert page.items.page.key == ("dim_b", 1)
    assert QApplication.focusWidget() is page.items
    qtbot.keyClick(page.items, Qt.Key.Key_G, CTRL)         # Ctrl+G: the go-to box
    assert QApplication.focusWidget() is nav.go_box
    qtbot.keyClicks(nav.go_box, "1")
    qtbot.keyClick(nav.go_box, Qt.Key.Key_Return)
    assert page.items.page.key == ("dim_a", 0)
    page.session.set_answer("a1", 0, "no")
    page.session.set_note("a3", 0, "lantai basah")
    nav.filter.setCurrentIndex(nav.filter.findData("with_notes"))
    assert [r.key for r in page.items.visible_rows()] == [("a1", 0), ("a3", 0)]   # finding, note
    nav.filter.setCurrentIndex(nav.filter.findData("unanswered"))
    assert ("a1", 0) not in [r.key for r in page.items.visible_rows()]
    nav.filter.setCurrentIndex(nav.filter.findData("all"))
    assert len(page.items.visible_rows()) == 3             # a4 stays hidden (not relevant)


def test_key_map_and_letters_mean_the_same_in_both_languages(make_app, qtbot):
    from assessor_app.i18n import set_language
    from ui.i18n import KEYS
    assert KEYS["id"]["note"] not in {KEYS[lang][a] for lang in KEYS for a in ("yes", "no", "na")}
    app = make_app()
    set_language("id")
    uid, page = _open(app)
    qtbot.keyClick(page.items, Qt.Key.Key_N)               # N is "no" in Indonesian too
    assert app.store.get(uid).answers[("a1", 0)] == "no"
    dialog = page.show_keys()
    assert "Esc" in dialog.label.text() and "C" in dialog.label.text()


def test_finding_box_by_keyboard_and_alt_letters_on_buttons(make_app, qtbot):
    app = make_app()
    uid, page = _open(app)
    page.set_current_row(page.items.row_for(("a2", 0)))
    qtbot.keyClick(page.items, Qt.Key.Key_F)               # F: the finding box of this item
    box = page.items.row_for(("a2", 0)).finding_box
    assert QApplication.focusWidget() is box.text
    qtbot.keyClicks(box.text, "Kursi rusak")
    qtbot.keyClick(box.text, Qt.Key.Key_Escape)            # saved, back to the checklist
    assert [f["text"] for f in app.store.get(uid).findings] == ["Kursi rusak"]
    assert QApplication.focusWidget() is page.items
    texts = [b.text() for b in (page.header.complete, page.header.report,
                                page.header.signatures, page.header.breakdown)]
    assert all("&" in t for t in texts)
    letters = [t[t.index("&") + 1].lower() for t in texts]
    assert len(set(letters)) == len(letters) and "s" not in letters   # Alt+S: the Sample menu


def test_numbers_show_a_decimal_comma_in_indonesian(make_app, qtbot):
    from assessor_app.i18n import set_language
    app = make_app()
    set_language("id")
    uid, page = _open(app)
    page.session.set_answer("b2", 0, 7.5)
    row = page.go_to(("b2", 0))
    page.focus_items()
    assert row.control.edit.text() == "7,5"
    row.control.edit.setText("12,25")                      # typed with a comma: accepted
    row.control.commit()
    assert app.store.get(uid).answers[("b2", 0)] == 12.25


def test_a_staff_page_of_the_2022_instrument_by_keyboard_alone(make_app, qtbot):
    """The reported case: a text item first, then scale items, without touching the mouse."""
    from assessor_app.i18n import set_language
    from assessor_app.paths import resource
    app = make_app()
    set_language("id")
    app.store.import_template(resource("templates", "ori_penilaian_2022.yaml"))
    uid = app.store.create_assessment("ori_penilaian_2022", unit={"unit": "Disdukcapil"})
    page = _shown(app, app.window.open_assessment(uid))
    view = page.items
    first = view.current
    assert first.item.type == "text"
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.keyClicks(QApplication.focusWidget(), "Petugas loket pendaftaran")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    for digit in (Qt.Key.Key_3, Qt.Key.Key_2, Qt.Key.Key_1):
        qtbot.keyClick(view, digit)
    answers = app.store.get(uid).answers
    assert answers[first.key] == "Petugas loket pendaftaran"          # no digits typed into it
    scored = [k for k in answers if k != first.key]
    assert len(scored) == 3
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)                    # next unanswered
    assert not page.session.is_answered(view.current.key)
