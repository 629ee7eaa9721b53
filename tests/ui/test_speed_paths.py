"""Issue 16 / issue 12 (speed): the fast paths of the home list and the checklist show exactly
what the plain computations show (timings themselves live in bench/bench_ui.py)."""

import random

from PySide6.QtCore import Qt

from ui.assessments_model import SCORE, UNIT, VISIT, AssessmentsModel, _SORT_KEYS
from ui.checklist.item_row import ItemRow

from .conftest import new_mini


def _reference(rows, search, status, template, column, order):
    """The home list's rule written plainly: filter, then a stable sort, empty values last."""
    words = search.strip().lower().split()
    keep = [r for r in rows if (not status or r["status"] == status)
            and (not template or r["template_id"] == template)
            and all(w in r["haystack"] for w in words)]
    key = _SORT_KEYS[column]
    present = [r for r in keep if key(r) is not None]
    present.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
    return [r["uuid"] for r in present + [r for r in keep if key(r) is None]]


def test_home_model_sorted_orders_and_narrowing_searches_match_a_plain_filter_and_sort():
    rnd = random.Random(7)
    rows = [{"uuid": str(i), "template_id": rnd.choice(["a", "b"]), "template_version": "1",
             "status": rnd.choice(["draft", "completed", "returned"]),
             "agency": rnd.choice(["Pemkot", "Pemkab", None]), "unit": f"Unit {rnd.randint(0, 400)}",
             "address": "Jl", "visit_dates": rnd.choice([[], [f"2026-01-0{rnd.randint(1, 9)}"]]),
             "score": rnd.choice([None, 50.5, float(rnd.randint(0, 100))]), "grade": None,
             "zone": None, "sync_state": rnd.choice(["local", "synced", None])} for i in range(2000)]
    model = AssessmentsModel()
    model.set_rows(rows, {})
    state = {"search": "", "status": None, "template": None,
             "sort": (VISIT, Qt.SortOrder.DescendingOrder)}
    typed = ["u", "un", "uni", "unit", "unit ", "unit 1", "unit 12", "unit 123", "unit 1", "1", "12 p"]
    for step in range(120):
        if step % 4 == 0:
            state["sort"] = (rnd.choice([UNIT, VISIT, SCORE, 1, 2, 4, 6, 7]),
                             rnd.choice([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder]))
            model.sort(*state["sort"])
        else:
            state["search"] = typed[step % len(typed)]
            if step % 7 == 0:
                state["status"] = rnd.choice([None, "draft", "completed"])
                state["template"] = rnd.choice([None, "a"])
            model.set_filter(state["search"], state["status"], state["template"])
        expected = _reference(model._all, state["search"], state["status"], state["template"],
                              *state["sort"])
        assert [model.row(i)["uuid"] for i in range(model.rowCount())] == expected


def test_a_page_appears_complete_with_no_row_made_a_window(make_app, qtbot):
    app = make_app()
    uid = new_mini(app)
    page = app.window.open_assessment(uid)
    windows = []
    original = ItemRow.__init__

    def watch(self, *args, **kwargs):
        original(self, *args, **kwargs)
        windows.append(self.isWindow())

    ItemRow.__init__ = watch
    try:
        qtbot.keyClick(page.items, Qt.Key.Key_PageDown)
    finally:
        ItemRow.__init__ = original
    rows = page.items.rows
    assert [r.key for r in rows] == [("b1", 0), ("b2", 0)]       # the next page, whole
    assert windows == [False, False]                              # built inside the page
    assert all(r.parent() is page.items.container for r in rows)
    assert page.items.widget() is page.items.container


def test_an_answer_updates_relevance_of_the_items_that_read_it(make_app, qtbot):
    app = make_app()
    uid = new_mini(app)
    page = app.window.open_assessment(uid)
    s = page.session
    assert not s.is_relevant(("a4", 0))                           # a4 shows when a2 is yes
    s.set_answer("a2", 0, "yes")
    assert s.is_relevant(("a4", 0)) and not page.items.by_key[("a4", 0)].isHidden()
    s.set_answer("a2", 0, "no")
    assert not s.is_relevant(("a4", 0)) and page.items.by_key[("a4", 0)].isHidden()
