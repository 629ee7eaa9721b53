"""What sync pulls, in the desktop app: assignments on the Assigned page (starting one), and the
supervisor's review (returned banner, Comments tab, home tooltip).

The local store is seeded through ``store.apply_changes`` — the very method the sync client
uses to apply a page of pulled changes — never with raw SQL.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from helpers import filled_mini
from ui.assigned_page import STATE, TEMPLATE, UNIT
from ui.main_window import ASSIGNED, CHECKLIST
from ui.new_assessment_dialog import NewAssessmentDialog

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # tests/server helpers

A1 = "4a9f1c2e-0000-4000-8000-000000000001"
A2 = "4a9f1c2e-0000-4000-8000-000000000002"


def assignment(aid: str, unit: str, template_id: str = "mini", version: str = "1.0",
               due: str = "2026-12-01") -> dict:
    return {"kind": "assignment", "id": aid, "data": {
        "id": aid, "unit": {"unit": unit, "agency": "Pemkot Contoh", "address": "Jl. Merdeka 5"},
        "template_id": template_id, "template_version": version, "due_date": due,
        "inspector": "Rina"}}


def comment(cid: str, uuid: str, kind: str, text: str, at: str, author: str = "Sari") -> dict:
    return {"kind": "comment", "id": cid, "data": {"uuid": cid, "assessment": uuid,
                                                   "author": author, "kind": kind, "text": text,
                                                   "at": at}}


def pull(app, changes: list[dict]) -> None:
    """Apply changes as a sync would, then let the window refresh as after a sync."""
    cursor = int(app.store.sync_settings().get("cursor") or 0) + len(changes)
    app.store.apply_changes(changes, cursor, None)
    app.window.refresh_after_sync()


def test_assigned_page_lists_assignments_and_starts_one(make_app, monkeypatch):
    app = make_app()
    win = app.window
    assert win.sidebar.item(ASSIGNED).isHidden()          # no server, no assignment: no entry
    pull(app, [assignment(A1, "Kantor Kelurahan Sukamaju"),
               assignment(A2, "Puskesmas Harapan", template_id="other", version="2",
                          due="2026-12-15")])
    assert not win.sidebar.item(ASSIGNED).isHidden()
    assert win.sidebar.item(ASSIGNED).text() == "Assigned  (2)"
    win.sidebar.setCurrentRow(ASSIGNED)
    assert win.pages.currentWidget() is win.assigned
    page, model = win.assigned, win.assigned.model
    rows = {model.row(i)["unit_name"]: i for i in range(model.rowCount())}
    assert set(rows) == {"Kantor Kelurahan Sukamaju", "Puskesmas Harapan"}
    i1, i2 = rows["Kantor Kelurahan Sukamaju"], rows["Puskesmas Harapan"]
    assert model.index(i1, TEMPLATE).data().endswith("(1.0)")
    assert model.index(i1, STATE).data() == "Not started"
    assert model.row(i1)["due_date"] == "2026-12-01" and model.row(i1)["received"]
    assert "0 of 2 started" == page.count_label.text()

    page.table.selectRow(i2)                              # its template is not here yet
    assert not page.action_button.isEnabled()
    assert "not installed yet" in page.reason.text()

    created = []

    def fake_exec(dialog):                                # the person only presses "Create"
        created.append(dialog)
        assert dialog.unit.text() == "Kantor Kelurahan Sukamaju"
        assert dialog.agency.text() == "Pemkot Contoh"
        assert dialog.template.currentData() == ("mini", "1.0")
        assert not dialog.template.isEnabled()
        dialog.create()
        return 1
    monkeypatch.setattr(NewAssessmentDialog, "exec", fake_exec)
    page.table.selectRow(i1)
    assert page.action_button.text() == "Start assessment" and page.action_button.isEnabled()
    page.action_button.click()
    assert len(created) == 1
    a = app.store.get(A1)                                 # the assignment's id is the uuid
    assert a.unit["unit"] == "Kantor Kelurahan Sukamaju" and a.unit["address"] == "Jl. Merdeka 5"
    assert (a.template_id, a.template_version, a.status) == ("mini", "1.0", "draft")
    assert win.checklist is not None and win.checklist.uuid == A1
    assert win.sidebar.currentRow() == CHECKLIST

    win.sidebar.setCurrentRow(ASSIGNED)
    rows = {model.row(i)["unit_name"]: i for i in range(model.rowCount())}
    i1 = rows["Kantor Kelurahan Sukamaju"]
    assert model.row(i1)["started"] and model.index(i1, STATE).data() == "Draft"
    assert page.count_label.text() == "1 of 2 started"
    page.table.selectRow(i1)
    assert page.action_button.text() == "Open assessment"
    page.action_button.click()                            # opens it, no second assessment
    assert len(created) == 1 and win.checklist.uuid == A1
    assert len(app.store.list_assessments()) == 1
    # a later sync does not start a second draft for it either
    assert app.store.materialise_assignments() == []


def test_assigned_entry_shows_when_connected_even_without_assignments(make_app):
    app = make_app()
    app.store.set_setting("sync.server", "https://sync.example.org")
    app.window.refresh_after_sync()
    assert not app.window.sidebar.item(ASSIGNED).isHidden()
    assert app.window.sidebar.item(ASSIGNED).text() == "Assigned  (0)"
    assert app.window.assigned.stack.currentIndex() == 1  # the empty state says what to do


def test_returned_assessment_shows_the_supervisors_comment(make_app):
    app = make_app()
    uid = filled_mini(app.store)
    app.store.complete(uid)
    page = app.window.open_assessment(uid)
    assert not page.review_banner.isVisible() and not page.session.editable
    assert not page.side.isTabVisible(page.comments_tab)     # not connected, no comment

    pull(app, [
        {"kind": "assessment", "id": uid, "data": {"uuid": uid, "rev": 1, "status": "returned",
                                                   "flags": []}},
        comment("c0000000-0000-4000-8000-000000000001", uid, "comment",
                "Photo of the counter is blurred.", "2026-11-20T02:00:00.000Z"),
        comment("c0000000-0000-4000-8000-000000000002", uid, "return",
                "Item 1.1: the notice board needs a new photo.", "2026-11-21T03:30:00.000Z"),
    ])
    # the open page follows the sync: returned, editable, the banner with the comment
    assert page.session.assessment.status == "returned" and page.session.editable
    assert app.store.get(uid).status == "returned"
    assert page.header.status.text() == "Returned"
    assert not page.review_banner.isHidden()
    banner = page.review_banner.label.text()
    assert banner.startswith("Returned by supervisor Sari: Item 1.1: the notice board needs a "
                             "new photo.")
    assert "2026-11-21" in banner
    assert page.side.isTabVisible(page.comments_tab)
    assert page.side.tabText(page.comments_tab) == "Comments (2)"
    page.review_banner.button.click()
    assert page.side.currentIndex() == page.comments_tab
    text = page.review.toPlainText()
    assert "Photo of the counter is blurred." in text and "the notice board needs" in text
    assert "Returned" in text and "Sari" in text
    assert text.index("blurred") < text.index("notice board")   # oldest first

    # reopened later: the same banner and tab
    page = app.window.open_assessment(uid)
    assert not page.review_banner.isHidden() and "notice board" in page.review_banner.label.text()
    assert "notice board" in page.review.toPlainText()

    # the home list: the returned row stands out and its tooltip carries the comment
    home = app.window.home
    home.reload()
    row = next(i for i in range(home.model.rowCount()) if home.model.row(i)["uuid"] == uid)
    tip = home.model.index(row, UNIT).data(Qt.ItemDataRole.ToolTipRole)
    assert "Returned by supervisor Sari: Item 1.1: the notice board needs a new photo." in tip
    assert "notice board" in home.model.index(row, STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert home.model.index(row, UNIT).data(Qt.ItemDataRole.FontRole).bold()


def test_review_texts_in_indonesian(make_app):
    app = make_app(lang="id")
    uid = filled_mini(app.store)
    app.store.complete(uid)
    pull(app, [
        {"kind": "assessment", "id": uid, "data": {"uuid": uid, "rev": 1, "status": "returned",
                                                   "flags": []}},
        comment("c0000000-0000-4000-8000-000000000003", uid, "return", "return",
                "2026-11-21T03:30:00.000Z"),            # a decision sent without words
    ])
    page = app.window.open_assessment(uid)
    assert page.review_banner.label.text().startswith("Dikembalikan oleh supervisor Sari (")
    assert page.side.tabText(page.comments_tab) == "Komentar (1)"
    assert app.window.sidebar.item(ASSIGNED).isHidden()


# --- end to end: a real server, the Sync dialog opened from the main window ----------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from server.serverproc import ServerProcess
    from .conftest import MINI
    proc = ServerProcess(tmp_path_factory.mktemp("assigned-srv"), "sqlite")
    proc.admin.publish_template(MINI)
    yield proc
    proc.stop()


def _sync(app, qtbot) -> None:
    app.window.open_sync()
    panel = app.window._sync_dialog.panel
    with qtbot.waitSignal(panel.finished, timeout=30000):
        panel.start_sync()
    assert panel.status.text().startswith("Sent"), panel.status.text()
    app.window._sync_dialog.close()


def test_sync_brings_assignments_and_the_return_with_its_comment(make_app, qtbot, server):
    from assessor_app.sync import enroll
    from server.conftest import completed
    app = make_app()
    win = app.window
    enroll(app.store, server.url, server.code("rina-e2e"))
    server.code("sari-e2e", role="supervisor")
    aid = server.admin.assign(unit={"unit": "Kantor Kelurahan Sukamaju", "agency": "Pemkot Contoh"},
                              template_id="mini", inspector="rina-e2e", due_date="2026-12-01")
    uid = completed(app.store)
    _sync(app, qtbot)
    # the assignment arrived and the sync started its draft: the Assigned page shows it started
    assert not win.sidebar.item(ASSIGNED).isHidden()
    rows = win.assigned.model.rows()
    assert [(r["id"], r["unit_name"], r["state_label"]) for r in rows] == \
        [(aid, "Kantor Kelurahan Sukamaju", "Draft")]
    assert app.store.get(aid).unit["unit"] == "Kantor Kelurahan Sukamaju"

    page = win.open_assessment(uid)
    assert page.session.assessment.status == "submitted" and page.review_banner.isHidden()
    assert page.side.isTabVisible(page.comments_tab)     # connected: the tab is there, empty
    server.admin.review(uid, "return", "Item 1.1 needs a sharper photo.", as_user="sari-e2e")
    _sync(app, qtbot)
    # the open checklist followed the sync: returned, editable, the comment in the banner
    assert win.checklist is page and page.session.assessment.status == "returned"
    assert page.session.editable and not page.review_banner.isHidden()
    assert "Returned by supervisor sari-e2e: Item 1.1 needs a sharper photo." in \
        page.review_banner.label.text()
    assert "sharper photo" in page.review.toPlainText()
    assert page.side.tabText(page.comments_tab) == "Comments (1)"
