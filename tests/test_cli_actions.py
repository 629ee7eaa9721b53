"""``assessor actions`` and ``assessor followup`` end to end, in a real subprocess, on a laptop
whose register holds actions as sync pull stores them (the sync path itself is proven in
tests/server/test_actions_register.py)."""

import json
from decimal import Decimal

from assessor_app import actions as A
from assessor_app.store import AssessmentStore
from test_cli import run


def _pulled(store, actions):
    with store.transaction() as c:
        for a in actions:
            store._apply_action_change(c, {**a.to_dict(), "team": "t"})


def _action(n, unit="U1", due="2020-01-01", state="open", source="finding"):
    a = A.Action(uuid=f"00000000-0000-0000-0000-00000000000{n}", source=source, unit=unit,
                 text={"id": f"Tindakan {n}", "en": f"Action {n}"}, due_date=due)
    return a if state == "open" else A.with_state(a, state, "2026-01-01T00:00:00Z", "x")


def test_actions_list_followup_answer_and_score(tmp_path):
    store = AssessmentStore(tmp_path, actor="cli-test")
    store.install_default_templates()
    _pulled(store, [_action(1, due="2099-01-01"), _action(2, due="2020-01-01"),
                    _action(3, state="fully"), _action(4, unit="U2")])
    store.close()
    rows = json.loads(run(tmp_path, "actions", "list", "--unit", "U1", "--json").stdout)
    assert [r["uuid"][-1] for r in rows] == ["2", "1", "3"]          # overdue, open, done
    over = json.loads(run(tmp_path, "actions", "list", "--overdue", "--json").stdout)
    assert [r["uuid"][-1] for r in over] == ["2", "4"]           # every unit, same due date
    text = run(tmp_path, "actions", "list").stdout
    assert "! open" in text and "Action 2" in text
    out = json.loads(run(tmp_path, "followup", "new", "--unit", "U1", "--json").stdout)
    acts = {a[-1]: _action(int(a[-1])) for a in ("1", "2")}
    assert out["items"] == [A.followup_item_id(acts["2"]), A.followup_item_id(acts["1"])]
    uid = out["uuid"]
    run(tmp_path, "assessments", "answer", uid, out["items"][0], "not")
    run(tmp_path, "assessments", "answer", uid, out["items"][1], "partly")
    shown = json.loads(run(tmp_path, "assessments", "show", uid, "--json").stdout)
    assert shown["score"]["total"] == 25.0                       # (0 + 1/2) / 2
    bad = run(tmp_path, "assessments", "answer", uid, out["items"][0], "maybe", ok=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    none = run(tmp_path, "followup", "new", "--unit", "U9", ok=False)
    assert none.returncode == 2 and "no open corrective action" in none.stderr
    comp = json.loads(run(tmp_path, "actions", "compliance", "--unit", "U1", "--json").stdout)
    # fully 1, the overdue one counts as not, the one not yet due is left out: 1 / 2
    assert comp["value"] == 50.0 and comp["applicable"] == 2 and comp["open"] == 1


def test_variant_template_variable_filled_from_register(tmp_path):
    store = AssessmentStore(tmp_path, actor="cli-test")
    store.install_default_templates()
    _pulled(store, [_action(1, state="fully"), _action(2, state="partly"), _action(3, state="not"),
                    _action(5, state="na")])
    store.close()
    uid = run(tmp_path, "assessments", "new", "--template", "ori_penilaian_2022_tindak_lanjut",
              "--unit", "U1").stdout.strip()
    store = AssessmentStore(tmp_path, actor="cli-test")
    a = store.get(uid)
    assert a.answers[("kepatuhan_tindakan_korektif", 0)] == {
        "fully": 1, "partly": 1, "applicable": 3, "partly_weight": "1/2"}
    r = store.score(uid)
    assert r.sections["tindak_lanjut"].score == Decimal("50.00")      # (1 + 1/2) / 3
    assert r.total == Decimal("50.00")                                # the only answer so far
    store.close()
    bad = run(tmp_path, "assessments", "answer", uid, "kepatuhan_tindakan_korektif", "3", ok=False)
    assert bad.returncode == 2 and "computed from the corrective-action register" in bad.stderr
    # a unit with no actions: N.A.
    other = run(tmp_path, "assessments", "new", "--template", "ori_penilaian_2022_tindak_lanjut",
                "--unit", "U7").stdout.strip()
    store = AssessmentStore(tmp_path, actor="cli-test")
    assert store.get(other).answers[("kepatuhan_tindakan_korektif", 0)] == "na"
    assert store.score(other).total is None
    store.close()


def test_start_from_previous_visit(tmp_path):
    from helpers import MINI
    store = AssessmentStore(tmp_path, actor="cli-test")
    store.import_template(MINI)
    first = store.create_assessment("mini", unit={"unit": "Kantor A", "agency": "Pemkot"},
                                    samples={"dim_b": ["Ani", "Budi", "Cici"]})
    store.set_answer(first, "a1", "no")
    store.set_answer(first, "b1", "ramah", sample=2)
    store.close()
    out = json.loads(run(tmp_path, "followup", "previous", "--unit", "Kantor A", "--template", "mini",
                         "--json").stdout)
    store = AssessmentStore(tmp_path, actor="cli-test")
    new = store.get(out["uuid"])
    assert new.unit["agency"] == "Pemkot" and new.samples == {"dim_b": ["Ani", "Budi", "Cici"]}
    assert new.answers == {}                                           # suggestions, not answers
    assert store.suggestions(out["uuid"]) == {("a1", 0): "no", ("b1", 2): "ramah"}
    store.close()
    missing = run(tmp_path, "followup", "previous", "--unit", "Kantor Z", "--template", "mini", ok=False)
    assert missing.returncode == 2 and "no earlier assessment" in missing.stderr
