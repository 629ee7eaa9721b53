"""The assessments list: columns, search, filters, sorting, deleting drafts only."""

from PySide6.QtCore import Qt

from assessor_app.demo import demo_photo

from ui.assessments_model import GRADE, SCORE, STATUS, UNIT, AssessmentsModel, CHIP_ROLE

from .conftest import new_mini


def _fill(store, uid, good=True):
    store.set_answer(uid, "a1", "yes" if good else "no")
    store.set_answer(uid, "a3", 3 if good else 0)
    store.set_answer(uid, "b1", "ramah", sample=0)
    store.set_answer(uid, "b1", "ramah" if good else "kasar", sample=1)


def test_list_search_filter_sort_and_zone_text(make_app):
    app = make_app()
    store = app.store
    good = new_mini(app, "Kantor Baik")
    bad = new_mini(app, "Puskesmas Buruk")
    new_mini(app, "Kantor Kosong")
    _fill(store, good, True)
    _fill(store, bad, False)
    store.add_photo(bad, "a1", demo_photo("papan", 1))
    store.complete(bad)
    home = app.window.home
    home.reload()
    model = home.model
    assert model.rowCount() == 3
    assert app.window.sidebar.item(0).text() == "Assessments  (3)"
    rows = {model.data(model.index(r, UNIT)): r for r in range(3)}
    r_good = rows["Kantor Baik"]
    assert model.data(model.index(r_good, SCORE)) == "100.00"
    assert model.data(model.index(r_good, GRADE)) == "A · Good (provisional)"   # a draft
    assert model.data(model.index(r_good, GRADE), CHIP_ROLE)[0] == "#2E7D32"
    assert model.data(model.index(rows["Puskesmas Buruk"], STATUS)) == "Completed"
    home.search.setText("kantor")
    assert model.rowCount() == 2
    home.search.setText("")
    home.status_filter.setCurrentIndex(home.status_filter.findData("completed"))
    assert model.rowCount() == 1 and model.row(0)["unit"] == "Puskesmas Buruk"
    home.status_filter.setCurrentIndex(0)
    home.table.sortByColumn(SCORE, Qt.SortOrder.DescendingOrder)
    assert [model.row(i)["unit"] for i in range(3)][:2] == ["Kantor Baik", "Puskesmas Buruk"]
    home.table.sortByColumn(UNIT, Qt.SortOrder.AscendingOrder)
    assert [model.row(i)["unit"] for i in range(3)] == ["Kantor Baik", "Kantor Kosong",
                                                        "Puskesmas Buruk"]


def test_only_drafts_are_deleted_and_only_after_confirming(make_app):
    app = make_app()
    draft = new_mini(app, "Draf Satu")
    done = new_mini(app, "Selesai Dua")
    for item, value, s in [("a1", "yes", 0), ("b1", "ramah", 0), ("b1", "ramah", 1)]:
        app.store.set_answer(done, item, value, sample=s)
    app.store.complete(done)
    home = app.window.home
    home.reload()
    home.select_uuid(done)
    assert not home.delete_button.isEnabled()
    home.delete_selected()
    assert len(app.store.list_assessments()) == 2
    home.select_uuid(draft)
    assert home.delete_button.isEnabled()
    app.dialogs.answers = [False]                 # "Cancel"
    home.delete_selected()
    assert len(app.store.list_assessments()) == 2
    app.dialogs.answers = [True]
    home.delete_selected()
    assert [r["uuid"] for r in app.store.list_assessments()] == [done]
    assert "Delete the draft assessment of Draf Satu" in app.dialogs.shown[-1]


def test_ten_thousand_rows_filter_and_sort_in_lists():
    rows = [{"uuid": str(i), "template_id": "mini", "template_version": "1.0", "status": "draft",
             "agency": "Pemkot", "unit": f"Unit {i:05d}", "address": "", "visit_dates": ["2026-01-01"],
             "score": float(i % 100), "grade": None, "zone": None, "sync_state": "local"}
            for i in range(10_000)]
    model = AssessmentsModel()
    model.set_rows(rows, {})
    assert model.rowCount() == 10_000
    model.set_filter("unit 0999")
    assert model.rowCount() == 11                 # 00999 and 09990..09999
    model.set_filter("")
    model.sort(SCORE, Qt.SortOrder.DescendingOrder)
    assert model.row(0)["score"] == 99.0
