"""The laptop's register (pulled by sync), the unit picker of New assessment, and the Results
page with its CSV/XLSX export (read back with openpyxl)."""

import csv
from decimal import Decimal

import openpyxl

from helpers import filled_mini

ROUND = {"id": "2026", "name": "Penilaian 2026", "template_id": "mini", "template_version": "1",
         "state": "field_work"}
GOV = {"id": "K1", "name": "Kota Satu", "category": "Pemerintah Kota", "province": "Bali",
       "team": "t", "units": [{"id": "K1-U1", "name": "Dukcapil", "address": "Jl. 1"},
                              {"id": "K1-U2", "name": "RSUD", "address": "Jl. 2"}]}


def pull_register(store):
    version = store.list_templates()[0]["version"]
    store.apply_changes([{"kind": "round", "id": "2026", "data": {**ROUND, "template_version": version}},
                         {"kind": "government", "id": "K1", "data": GOV}], 5, None)


def test_unit_picker_fills_the_unit_and_links_it_to_the_register(make_app):
    app = make_app()
    pull_register(app.store)
    dialog = app.window.new_assessment(exec_dialog=False)
    dialog.select_template("mini")
    assert dialog.register_unit.count() == 3               # "typed by hand" + two units
    dialog.register_unit.setCurrentIndex(2)
    assert (dialog.agency.text(), dialog.unit.text(), dialog.address.text()) == ("Kota Satu", "RSUD", "Jl. 2")
    assert dialog.register_round.currentData() == "2026"
    dialog.create()
    a = app.store.get(dialog.created_uuid)
    assert a.unit["unit_id"] == "K1-U2" and a.unit["round_id"] == "2026"
    # free text stays possible: no register link
    dialog = app.window.new_assessment(exec_dialog=False)
    dialog.select_template("mini")
    dialog.unit.setText("Kantor Lain")
    dialog.create()
    assert "unit_id" not in app.store.get(dialog.created_uuid).unit


def test_results_page_summarises_local_work_and_exports(make_app, tmp_path):
    app = make_app()
    pull_register(app.store)
    uid = filled_mini(app.store)
    app.store.update_details(uid, unit="Dukcapil", unit_id="K1-U1", round_id="2026")
    app.store.complete(uid)
    page = app.window.results_page
    page.reload()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "Kota Satu" and page.table.item(0, 7).text() == "–"
    # the server approved it: now it gives the government its score (the mean of 1 unit)
    app.store.apply_changes([{"kind": "assessment", "id": uid, "data": {
        "uuid": uid, "status": "approved", "rev": 1, "flags": []}}], 6, None)
    page.reload()
    score = app.store.score(uid).total
    assert page.table.item(0, 7).text() == f"{score:.2f}" and page.table.item(0, 6).text() == "1"
    page.export(str(tmp_path / "r.xlsx"))
    rows = list(openpyxl.load_workbook(tmp_path / "r.xlsx").active.iter_rows(values_only=True))
    assert rows[0][1] == "Government" and rows[1][1] == "Kota Satu"
    assert Decimal(str(rows[1][7])) == score and rows[1][4] == 2
    page.export(str(tmp_path / "r.csv"))
    with (tmp_path / "r.csv").open(encoding="utf-8") as fh:
        assert list(csv.reader(fh))[1][1] == "Kota Satu"
    assert page.export(str(tmp_path / "r.txt")) is None        # refused with one message
    assert not (tmp_path / "r.txt").exists()
