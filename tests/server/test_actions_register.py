"""The corrective-action register on a real server (SQLite, and PostgreSQL when set): findings of
an approved assessment become actions, the team's laptops pull them, a follow-up visit lists
exactly the open ones, its answers flow back through sync to the server and to a second laptop,
complaint suggestions are imported from CSV/XLSX (bad rows refused naming row and column) and
counted per the round's setting, and the overdue list comes first."""

import csv
import json
from fractions import Fraction

import openpyxl

from assessor_app import actions as A
from assessor_app.server import actions_register
from assessor_app.sync import SyncClient

from .conftest import completed
from .serverproc import run_cli


def _register(server, tmp_path, tag):
    path = tmp_path / "register.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([
            ("government_id", "government", "category", "province", "team", "unit_id", "unit", "address"),
            (f"G-{tag}", f"Kota {tag}", "Pemerintah Kota", "Bali", f"team-{tag}", f"U1-{tag}", "Dukcapil", "Jl. 1"),
            (f"G-{tag}", f"Kota {tag}", "Pemerintah Kota", "Bali", f"team-{tag}", f"U2-{tag}", "RSUD", "Jl. 2"),
            (f"H-{tag}", f"Kota Lain {tag}", "Pemerintah Kota", "Aceh", f"other-{tag}", f"V1-{tag}", "RSUD", "")])
    run_cli("register", "import", path, data=server.data)


def _approved_with_findings(server, laptops, store, unit_id, sup):
    uid = completed(store, photos=0, complete=False)
    store.update_details(uid, unit="Dukcapil", unit_id=unit_id)
    d = store.finding_defaults(uid, "a3", "en")
    store.add_finding(uid, "a3", text=d["text"] or "scale low", action="Train the staff",
                      responsible="HR", due_date="2020-01-31")              # long overdue
    store.complete(uid)
    with SyncClient(store) as c:
        c.sync()
    server.admin.review(uid, "approve", "ok", sup)
    return uid


def test_actions_from_approval_followup_and_sync_back(server, laptops, tmp_path):
    tag = laptops.tag
    _register(server, tmp_path, tag)
    sup = laptops.user("sup")
    server.admin.add_user(sup, "supervisor", f"team-{tag}")
    rina, budi = laptops.new("rina"), laptops.new("budi")
    other = laptops.new("odin", team=f"other-{tag}")
    uid = _approved_with_findings(server, laptops, rina, f"U1-{tag}", sup)
    rows = [r for r in actions_register.list_actions(server.database, unit=f"U1-{tag}")]
    # filled_mini's finding on a1 plus the one added on a3: both have an action
    assert sorted(r["item_id"] for r in rows) == ["a1", "a3"]
    assert all(r["assessment"] == uid and r["state"] == "open" and r["government"] == f"G-{tag}"
               for r in rows)
    assert rows[0]["item_id"] == "a3" and rows[0]["overdue"]          # overdue first
    # approving again (replay) adds nothing
    with server.database.write() as conn:
        assert actions_register.from_approved(conn, uid) == 0
    out = json.loads(run_cli("actions", "list", "--overdue", "--json", data=server.data).stdout)
    assert [r["uuid"] for r in out if r["unit"] == f"U1-{tag}"] == [rows[0]["uuid"]]
    # the team's laptops pull the register; another team's does not
    with SyncClient(rina) as c:
        report = c.sync()
    assert report.pulled.get("action") == 2
    with SyncClient(other) as c:
        c.sync()
    assert other.list_actions() == [] or all(a["unit"] != f"U1-{tag}" for a in other.list_actions())
    local = rina.list_actions(unit=f"U1-{tag}")
    assert [a["uuid"] for a in local] == [r["uuid"] for r in rows]
    assert rina.list_actions(overdue=True)[0]["item_id"] == "a3"
    # a follow-up visit lists exactly the open actions, overdue first
    fu, items = rina.create_followup(f"U1-{tag}")
    acts = {a.uuid: a for a in rina.actions_of(f"U1-{tag}")}
    assert items == [A.followup_item_id(acts[r["uuid"]]) for r in rows]
    t = rina.template_of(rina.get(fu))
    assert [i.id for i in t.walk_items() if i.type == "choice"] == items
    rina.set_answer(fu, items[0], "partly")
    rina.set_answer(fu, items[1], "fully")
    assert rina.score(fu).total == 75                    # (1/2 + 1) / 2: the unit's compliance
    rina.complete(fu)
    with SyncClient(rina) as c:
        c.sync()
    states = {r["item_id"]: r for r in actions_register.list_actions(server.database, unit=f"U1-{tag}")}
    assert states["a3"]["state"] == "partly" and states["a1"]["state"] == "fully"
    change = states["a3"]["history"][-1]
    assert change["by"] == laptops.user("rina") and change["assessment"] == fu and change["at"]
    assert actions_register.unit_compliance(server.database, f"U1-{tag}")["value"] == 75.0
    # the states flow to the other laptop of the team
    with SyncClient(budi) as c:
        c.sync()
    assert {a["item_id"]: a["state"] for a in budi.list_actions(unit=f"U1-{tag}")} == \
        {"a3": "partly", "a1": "fully"}
    assert float(budi.unit_compliance(f"U1-{tag}").value) == 75.0
    # after her next sync, nothing open is left on the unit: no follow-up to make
    with SyncClient(rina) as c:
        c.sync()
    assert [a for a in rina.list_actions(overdue=True) if a["unit"] == f"U1-{tag}"] == []
    try:
        rina.create_followup(f"U1-{tag}")
    except Exception as exc:
        assert "no open corrective action" in str(exc)
    else:
        raise AssertionError("a follow-up without open actions was created")


def test_complaint_import_refuses_bad_rows_and_counts_per_setting(server, laptops, tmp_path):
    tag = laptops.tag
    _register(server, tmp_path, tag)
    bad = tmp_path / "bad.csv"
    bad.write_text("reference,government_id,unit_id,suggestion,due_date\n"
                   f"LAHP-1/{tag},G-{tag},U2-{tag},Publish the fees,2026-01-01\n"
                   f"LAHP-2/{tag},G-{tag},U2-{tag},Open a desk,31-12-2026\n", "utf-8")
    run = run_cli("actions", "import", bad, data=server.data, check=False)
    assert run.returncode == 2 and "row 3, column due_date" in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert actions_register.list_actions(server.database, unit=f"U2-{tag}") == []   # nothing imported
    bad.write_text("reference,government_id,unit_id,suggestion\n"
                   f"LAHP-1/{tag},H-{tag},U2-{tag},Publish the fees\n", "utf-8")
    run = run_cli("actions", "import", bad, data=server.data, check=False)
    assert run.returncode == 2 and "row 2, column government_id" in run.stderr
    bad.write_text("reference,government_id,unit_id,suggestion\n"
                   f"LAHP-1/{tag},G-{tag},U2-{tag},\n", "utf-8")
    run = run_cli("actions", "import", bad, data=server.data, check=False)
    assert run.returncode == 2 and "row 2, column suggestion" in run.stderr
    # a good XLSX
    wb = openpyxl.Workbook()
    for r in [("reference", "government_id", "unit_id", "suggestion", "due_date"),
              (f"LAHP-1/{tag}", f"G-{tag}", f"U2-{tag}", "Publish the fees", "2020-01-01"),
              (f"LAHP-2/{tag}", f"G-{tag}", f"U2-{tag}", "Open a complaint desk", "2099-01-01")]:
        wb.active.append(r)
    good = tmp_path / "good.xlsx"
    wb.save(good)
    out = json.loads(run_cli("actions", "import", good, data=server.data).stdout)
    assert out == {"rows": 2, "added": 2, "already": 0}
    assert json.loads(run_cli("actions", "import", good, data=server.data).stdout)["added"] == 0
    rows = actions_register.list_actions(server.database, unit=f"U2-{tag}")
    assert [r["reference"] for r in rows] == [f"LAHP-1/{tag}", f"LAHP-2/{tag}"]
    # one suggestion entered by hand; a bad one refused naming the field
    run = run_cli("actions", "add", "--reference", "X", "--government", f"G-{tag}", "--unit",
                  f"U2-{tag}", "--suggestion", "Y", "--due", "soon", data=server.data, check=False)
    assert run.returncode == 2 and "due_date: 'soon' is not a date" in run.stderr
    assert len(actions_register.list_actions(server.database, unit=f"U2-{tag}")) == 2
    assert rows[0]["overdue"] and not rows[1]["overdue"] and rows[0]["source"] == "complaint"
    # compliance: the overdue suggestion counts as not carried out (0 / 1); per-round setting
    rid = f"R-{tag}"
    run_cli("round", "add", rid, "--template", "mini", data=server.data)
    assert actions_register.unit_compliance(server.database, f"U2-{tag}", rid)["value"] == 0.0
    run_cli("actions", "settings", rid, "--exclude-complaints", "--partly-weight", "1/3",
            data=server.data)
    c = actions_register.unit_compliance(server.database, f"U2-{tag}", rid)
    assert c["value"] is None and c["excluded"] == 2 and c["partly_weight"] == "1/3"
    run = run_cli("actions", "settings", rid, "--partly-weight", "2", data=server.data, check=False)
    assert run.returncode == 2 and "0 to 1" in run.stderr
    # the settings travel with the round to the laptops of the team
    rina = laptops.new("rina")
    with SyncClient(rina) as c2:
        c2.sync()
    assert rina.action_settings(rid) == A.Settings(Fraction(1, 3), False)
    assert rina.unit_compliance(f"U2-{tag}", rid).value is None
    assert rina.unit_compliance(f"U2-{tag}").value == 0


def test_office_government_page_lists_open_actions_overdue_first(server, laptops, tmp_path):
    import re

    import httpx

    from assessor_app.server.web.session import set_password
    tag = laptops.tag
    _register(server, tmp_path, tag)
    path = tmp_path / "s.csv"
    path.write_text("reference,government_id,unit_id,suggestion,due_date\n"
                    f"L-9/{tag},G-{tag},U1-{tag},Later suggestion,2099-05-01\n"
                    f"L-8/{tag},G-{tag},U2-{tag},Overdue suggestion,2021-02-03\n"
                    f"L-7/{tag},H-{tag},V1-{tag},Other government,2021-01-01\n", "utf-8")
    run_cli("actions", "import", path, data=server.data)
    run_cli("round", "add", f"W-{tag}", "--template", "mini", data=server.data)
    name = laptops.user("office")
    server.admin.add_user(name, "admin", "")
    set_password(server.database, name, "office-password-1")
    with httpx.Client(base_url=server.url, follow_redirects=True) as web:
        page = web.get("/office/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        web.post("/office/login", data={"csrf": csrf, "next": "/office/", "name": name,
                                        "password": "office-password-1"})
        html = web.get(f"/office/rounds/W-{tag}/governments/G-{tag}?lang=en").text
    table = html.split('id="actions"', 1)[1].split("</table>", 1)[0]
    assert table.index("Overdue suggestion") < table.index("Later suggestion")
    assert "2021-02-03 · overdue" in table and "Other government" not in table
