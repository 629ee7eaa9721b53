"""Rounds, the register and results on a real server (SQLite, and PostgreSQL when set): register
import (CSV and XLSX, bad files refused whole), assessments pushed with unit_id/round_id,
approval, `results --json` against hand-computed figures, exports read back with openpyxl, the
team's slice of the register in the change feed, and a closed round refusing pushes."""

import csv
import json
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from assessor_app.results_export import ranking_table
from assessor_app.server import register
from assessor_app.server.results import round_results
from assessor_app.sync import SyncClient

from .conftest import completed
from .raw import api
from .serverproc import run_cli


def _register_file(tmp_path, tag, xlsx=False):
    rows = [("government_id", "government", "category", "province", "team", "unit_id", "unit", "address"),
            (f"K1-{tag}", f"Kota Satu {tag}", "Pemerintah Kota", "Bali", f"team-{tag}", f"K1U1-{tag}", "Dukcapil", "Jl. 1"),
            (f"K1-{tag}", f"Kota Satu {tag}", "Pemerintah Kota", "Bali", f"team-{tag}", f"K1U2-{tag}", "DPMPTSP", "Jl. 2"),
            (f"K2-{tag}", f"Kota Dua {tag}", "Pemerintah Kota", "Bali", f"team-{tag}", f"K2U1-{tag}", "Dukcapil", "Jl. 3"),
            (f"X1-{tag}", f"Kota Lain {tag}", "Pemerintah Kota", "Aceh", f"other-{tag}", f"X1U1-{tag}", "Dukcapil", "")]
    if xlsx:
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        path = tmp_path / "register.xlsx"
        wb.save(path)
        return path
    path = tmp_path / "register.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _assessment(store, unit_id, round_id, unit="Dukcapil", **answers):
    uid = completed(store, photos=0, complete=False)
    store.update_details(uid, unit=unit, unit_id=unit_id, round_id=round_id)
    for item, value in answers.items():
        store.set_answer(uid, item, value)
    store.complete(uid)
    return uid


def test_register_import_refuses_bad_files_whole(server, tmp_path):
    tag = "bad"
    path = tmp_path / "bad.csv"
    path.write_text("government_id,government,category,unit_id,unit\nG-bad,Kota,Pemerintah Kota,U-bad,Dukcapil\n"
                    "G-bad2,,Pemerintah Kota,U-bad2,RSUD\n", "utf-8")
    run = run_cli("register", "import", path, data=server.data, check=False)
    assert run.returncode == 2 and "row 3: government is empty" in run.stderr
    assert "Traceback" not in run.stderr
    names = {g["id"] for g in register.list_governments(server.database)}
    assert "G-bad" not in names and tag not in names
    path.write_text("government,category\nx,y\n", "utf-8")
    run = run_cli("register", "import", path, data=server.data, check=False)
    assert run.returncode == 2 and "lacks the column(s) government_id" in run.stderr


def test_round_results_from_approved_work_and_closed_round(server, laptops, tmp_path):
    tag = laptops.tag
    run_cli("register", "import", _register_file(tmp_path, tag, xlsx=True), data=server.data)
    rid = f"R-{tag}"
    run_cli("round", "add", rid, "--name", f"Penilaian {tag}", "--template", "mini", data=server.data)
    rina = laptops.new("rina")
    sup = laptops.user("sup")
    server.admin.add_user(sup, "supervisor", f"team-{tag}")
    uids = [_assessment(rina, f"K1U1-{tag}", rid), _assessment(rina, f"K1U2-{tag}", rid, a1="yes"),
            _assessment(rina, f"K2U1-{tag}", rid)]
    with SyncClient(rina) as c:
        report = c.sync()
    assert sorted(report.pushed) == sorted(uids)
    # the inspector's laptop pulled its team's governments and the round, not the other team's
    pulled = report.pulled
    assert pulled.get("government") == 2 and pulled.get("round", 0) >= 1
    assert {u["unit_id"] for u in rina.register_units()} == {f"K1U1-{tag}", f"K1U2-{tag}", f"K2U1-{tag}"}
    assert rid in {r["id"] for r in rina.list_rounds()}
    for uid in uids[:2]:
        server.admin.review(uid, "approve", "ok", sup)
    aid = run_cli("assign", "--unit-id", f"K2U1-{tag}", "--round", rid, "--template", "mini",
                  "--inspector", laptops.user("rina"), data=server.data).stdout.strip()
    with SyncClient(rina) as c:
        report = c.sync()                         # the approvals and the assignment arrive
    assert report.created == [aid]
    assigned = rina.get(aid).unit
    assert (assigned["unit_id"], assigned["round_id"], assigned["unit"], assigned["agency"]) == \
        (f"K2U1-{tag}", rid, "Dukcapil", f"Kota Dua {tag}")
    out = run_cli("results", rid, "--json", data=server.data)
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    s0, s1 = rina.score(uids[0]).total, rina.score(uids[1]).total
    assert s0 != s1
    expected = ((s0 + s1) / 2).quantize(Decimal("0.01"), ROUND_HALF_UP)    # the mean of the units
    k1, k2 = rows[f"K1-{tag}"], rows[f"K2-{tag}"]
    assert k1["score"] == float(expected) and k1["rank"] == 1 and k1["units_missing"] == 0
    assert [u["uuid"] for u in sorted(k1["units"], key=lambda u: u["id"])] == uids[:2]
    assert k2["score"] is None and k2["rank"] is None and k2["units_missing"] == 1   # only submitted
    assert rows[f"X1-{tag}"]["units"] == [{"unit": "Dukcapil", "id": f"X1U1-{tag}", "uuid": None,
                                           "score": None}]
    # the laptop's Results summary: the same figure from its own data
    local = {r["government"]: r for r in rina.local_results()}
    assert local[f"Kota Satu {tag}"]["score"] == expected and local[f"Kota Satu {tag}"]["approved"] == 2
    assert local[f"Kota Dua {tag}"]["score"] is None and local[f"Kota Dua {tag}"]["assessments"] == 2
    # CSV and XLSX exports carry the same figures as the JSON
    run_cli("results", rid, "--xlsx", tmp_path / "r.xlsx", data=server.data)
    run_cli("results", rid, "--csv", tmp_path / "r.csv", data=server.data)
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    table = {r[3]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert table[f"Kota Satu {tag}"][5] == k1["score"] and table[f"Kota Satu {tag}"][1] == 1
    with (tmp_path / "r.csv").open(encoding="utf-8") as fh:
        csv_rows = {r[3]: r for r in csv.reader(fh)}
    assert float(csv_rows[f"Kota Satu {tag}"][5]) == k1["score"]
    # long-form answers of the approved assessments
    run_cli("export-answers", rid, "--out", tmp_path / "a.xlsx", data=server.data)
    rows_a = list(openpyxl.load_workbook(tmp_path / "a.xlsx", read_only=True).active.iter_rows(values_only=True))
    assert rows_a[0] == ("round", "government", "unit", "assessment", "section", "item", "sample",
                         "value", "item_score")
    assert {r[3] for r in rows_a[1:]} == set(uids[:2])
    a1 = [r for r in rows_a[1:] if r[3] == uids[0] and r[5] == "a1"]
    assert a1 and a1[0][7] == "no" and a1[0][8] == 0
    # findings and their corrective actions (filled_mini has one, on a1)
    run_cli("export-findings", rid, "--out", tmp_path / "f.csv", data=server.data)
    with (tmp_path / "f.csv").open(encoding="utf-8") as fh:
        found = list(csv.reader(fh))
    assert found[0][:4] == ["round", "government", "unit", "assessment"]
    assert sorted(r[3] for r in found[1:]) == sorted(uids[:2]) and found[1][4] == "a1"
    assert found[1][8] == "Kepala Kantor" and found[1][9] == "2027-01-31"
    # a supervisor's view keeps national ranks but only the team's governments
    view = round_results(server.database, rid, team=f"team-{tag}")
    assert {g.government.id for g in view.results.governments} == {f"K1-{tag}", f"K2-{tag}"}
    # closing the round freezes it: a push is refused with a reason, nothing changes
    run_cli("round", "state", rid, "closed", data=server.data)
    late = _assessment(rina, f"K2U1-{tag}", rid)
    before = json.loads(run_cli("results", rid, "--json", data=server.data).stdout)
    with SyncClient(rina) as c:
        report = c.sync()
    blocked = report.locked + report.refused
    assert [x["uuid"] for x in blocked if "closed" in x["message"]] == [late], report.as_dict()
    run = run_cli("review", uids[2], "approve", "--as", sup, data=server.data, check=False)
    assert run.returncode != 0 and "closed" in (run.stderr + run.stdout)
    assert json.loads(run_cli("results", rid, "--json", data=server.data).stdout) == before
    run = run_cli("round", "state", rid, "review", data=server.data, check=False)
    assert run.returncode == 2 and "frozen" in run.stderr


def test_results_cli_errors_are_one_line(server):
    run = run_cli("results", "no-such-round", data=server.data, check=False)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "no round" in run.stderr
    run = run_cli("export-answers", "no-such-round", "--out", "x.txt", data=server.data, check=False)
    assert run.returncode == 2


def test_ranking_table_matches_json_rows(server, tmp_path):
    run_cli("demo-round", "Demo T", "--governments", "12", "--units-per-government", "2",
            data=server.data)
    view = round_results(server.database, "Demo-T")
    header, rows = ranking_table(view.results, None, "en")
    by_name = {r[3]: r for r in rows}
    for g in view.results.governments:
        row = g.row()
        assert by_name[row["government"]][5] == row["score"]
        assert by_name[row["government"]][1] == row["rank"]
    scores = [g.score for g in view.results.governments if g.score is not None]
    assert len(scores) >= 10 and max(scores) - min(scores) > Decimal(5)   # a realistic spread


def test_change_against_the_previous_round_and_trend(server):
    from assessor_app.server.results import trend
    if not any(r["id"] == "Demo-T" for r in register.list_rounds(server.database)):
        run_cli("demo-round", "Demo T", "--governments", "12", "--units-per-government", "2",
                data=server.data)
    run_cli("demo-round", "Demo T2", "--governments", "12", "--units-per-government", "2",
            "--seed", "5", "--previous", "Demo-T", data=server.data)
    before = {g.government.id: g for g in round_results(server.database, "Demo-T").results.governments}
    after = round_results(server.database, "Demo-T2").results
    changed = [g for g in after.governments if g.change is not None]
    assert len(changed) >= 10
    for g in changed:
        assert g.change == g.score - before[g.government.id].score
    g = changed[0]
    assert [v for _n, v in trend(server.database, g.government.id)][-2:] == \
        [before[g.government.id].score, g.score]
