"""Corrective actions in the desktop app: the register page (overdue first, unit filter,
compliance), "New follow-up visit" from the page and from the home page's overdue bar, and the
follow-up checklist answered by keyboard like any checklist."""

from PySide6.QtCore import Qt

from assessor_app import actions as A
from ui.main_window import ACTIONS


def _pulled(app, unit="Dukcapil Kota X"):
    acts = [A.Action(uuid=f"00000000-0000-0000-0000-00000000000{n}", source="finding", unit=unit,
                     text={"id": f"Pasang papan {n}", "en": f"Put up board {n}"}, due_date=due,
                     responsible="Kepala")
            for n, due in ((1, "2099-01-01"), (2, "2020-03-01"))]
    acts.append(A.complaint_action("LAHP-7", "G1", "RSUD Kota X", "Buka loket pengaduan", "2021-01-01"))
    acts.append(A.with_state(A.Action(uuid="00000000-0000-0000-0000-000000000009", source="finding",
                                      unit=unit, text={"id": "x", "en": "Done"}), "fully", "t", "x"))
    with app.store.transaction() as c:
        for a in acts:
            app.store._apply_action_change(c, a.to_dict())
    return acts


def test_register_page_overdue_first_filter_and_compliance(make_app, qtbot):
    app = make_app()
    _pulled(app)
    w = app.window
    w.sidebar.setCurrentRow(ACTIONS)
    page = w.actions_page
    assert w.pages.currentWidget() is page
    assert "(2)" in w.sidebar.item(ACTIONS).text()                      # two overdue
    texts = [page.table.item(r, 4).text() for r in range(page.table.rowCount())]
    assert texts[:2] == ["Put up board 2", "Buka loket pengaduan"] and texts[-1] == "Done"
    assert "overdue" in page.table.item(0, 0).text()
    page.unit_filter.setCurrentIndex(page.unit_filter.findData("Dukcapil Kota X"))
    assert page.table.rowCount() == 3
    # 1 fully, 1 overdue (not), 1 not yet due: (1) / 2 = 50
    assert "50.00" in page.compliance_label.text()
    page.overdue_only.setChecked(True)
    assert page.table.rowCount() == 1


def test_followup_from_register_answered_by_keyboard(make_app, qtbot):
    app = make_app()
    _pulled(app)
    w = app.window
    w.sidebar.setCurrentRow(ACTIONS)
    page = w.actions_page
    page.select_action("00000000-0000-0000-0000-000000000002")
    assert page.followup_button.isEnabled()
    qtbot.mouseClick(page.followup_button, Qt.MouseButton.LeftButton)
    checklist = w.checklist
    assert checklist is not None and w.pages.currentWidget() is checklist
    template = checklist.session.template
    items = [i.id for i in template.walk_items() if i.type == "choice"]
    assert len(items) == 2                                        # exactly the open ones
    view = checklist.items
    assert view.current.key == (items[0], 0)
    qtbot.keyClick(view, Qt.Key.Key_2)                            # 2 = partly
    row = view.row_for((items[0], 0))
    assert row.finding_box is None or not row.finding_box.isVisibleTo(row)   # states, not findings
    qtbot.keyClick(view, Qt.Key.Key_1)                            # 1 = fully
    answers = app.store.get(checklist.uuid).answers
    assert answers[(items[0], 0)] == "partly" and answers[(items[1], 0)] == "fully"
    assert app.store.score(checklist.uuid).total == 75


def test_home_shows_overdue_actions_and_starts_a_followup(make_app, qtbot):
    app = make_app()
    home = app.window.home
    assert not home.overdue_box.isVisibleTo(home)
    _pulled(app)
    home.reload()
    assert home.overdue_box.isVisibleTo(home)
    assert "2 corrective action(s) overdue" in home.overdue_label.text()
    assert "Dukcapil Kota X" in home.overdue_label.text()        # the longest overdue first
    qtbot.mouseClick(home.overdue_followup, Qt.MouseButton.LeftButton)
    assert app.window.checklist is not None
    assert app.window.checklist.assessment.unit["unit"] == "Dukcapil Kota X"


def test_followup_without_open_actions_says_so(make_app, qtbot):
    app = make_app()
    assert app.window.new_followup("Unit Tanpa Tindakan") is None
    assert "no open corrective action" in app.dialogs.shown[-1]


def test_start_from_previous_visit_offers_answers_as_suggestions(make_app, qtbot):
    from .conftest import new_mini
    app = make_app()
    first = new_mini(app, unit="Kantor Lama", samples=("Ani", "Budi", "Cici"))
    app.store.set_answer(first, "a1", "no")
    home = app.window.home
    home.reload()
    home.select_uuid(first)
    assert home.previous_button.isEnabled()
    qtbot.mouseClick(home.previous_button, Qt.MouseButton.LeftButton)
    page = app.window.checklist
    assert page is not None and page.uuid != first
    new = app.store.get(page.uuid)
    assert new.unit["unit"] == "Kantor Lama" and new.samples["dim_b"] == ["Ani", "Budi", "Cici"]
    assert new.answers == {}
    row = page.items.row_for(("a1", 0))
    assert row.extra.isVisibleTo(row) and row.extra.text() == "Previous visit: No"
    qtbot.keyClick(page.items, Qt.Key.Key_Y)                       # answered: the hint goes
    assert not row.extra.isVisibleTo(row)


def test_variable_item_shows_its_computed_value(make_app, qtbot):
    app = make_app()
    _pulled(app)
    uid = app.store.create_assessment("ori_penilaian_2022_tindak_lanjut",
                                      unit={"unit": "Dukcapil Kota X"})
    app.store.refresh_variables(uid)
    page = app.window.open_assessment(uid)
    page.show_page(("tindak_lanjut", 0), focus=False)
    row = page.items.row_for(("kepatuhan_tindakan_korektif", 0))
    assert "Computed from the corrective-action register: 50.00" in row.extra.text()
