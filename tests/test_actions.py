"""Corrective actions (assessor_app/actions.py) and the compliance variable scored through a
template, against hand-computed numbers."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from assessor_app import actions as A
from assessor_app.scoring import AnswerSheet, score
from assessor_app.templates.loader import build_template, load_template

ROOT = Path(__file__).resolve().parents[1]
VARIANT = ROOT / "resources" / "templates" / "ori_penilaian_2022_tindak_lanjut.yaml"
BASE = ROOT / "resources" / "templates" / "ori_penilaian_2022.yaml"
T = {"id": "X", "en": "X"}


def _findings():
    return [
        {"uuid": "f1", "item_id": "q1", "sample": 0, "text": "no queue", "action": "Install a queue",
         "responsible": "Head", "due_date": "2026-01-10"},
        {"uuid": "f2", "item_id": "q2", "sample": 0, "text": "no sign", "action": "",
         "responsible": "", "due_date": ""},                   # no action: not tracked
        {"uuid": "f3", "item_id": "q3", "sample": 1, "text": "rude", "action": "Train staff",
         "responsible": "HR", "due_date": "2026-03-01"},
    ]


def _acts(states, source="finding", due="2026-01-01"):
    out = []
    for n, s in enumerate(states):
        a = A.Action(uuid=f"u{source}{n}", source=source, unit="U1", text={"id": "t", "en": "t"},
                     due_date=due)
        if s != "open":
            a = A.with_state(a, s, "2026-02-01T00:00:00Z", "ina")
        out.append(a)
    return out


def test_findings_of_an_approved_assessment_become_actions():
    approved = {"uuid": "a-1", "status": "approved", "unit_id": "U1", "government": "G1"}
    acts = A.from_findings(approved, _findings(), at="2026-01-02")
    assert [a.item_id for a in acts] == ["q1", "q3"]
    assert all(a.state == "open" and a.unit == "U1" and a.government == "G1" for a in acts)
    assert acts[1].sample == 1 and acts[1].responsible == "HR" and acts[1].due_date == "2026-03-01"
    # idempotent: the same finding always gives the same action
    assert [a.uuid for a in A.from_findings(approved, _findings())] == [a.uuid for a in acts]
    for status in ("draft", "completed", "returned"):
        assert A.from_findings(dict(approved, status=status), _findings()) == []


def test_template_default_action_gives_both_languages():
    t = load_template(BASE)
    item = next(i for i in t.walk_items() if i.action is not None)
    approved = {"uuid": "a-2", "status": "approved", "unit": "Unit X"}
    f = {"uuid": "f", "item_id": item.id, "action": item.action.get("en"), "text": "x"}
    (a,) = A.from_findings(approved, [f], template=t)
    assert a.text == {"id": item.action.get("id"), "en": item.action.get("en")}
    assert a.unit == "Unit X"


def test_followup_answers_move_states_dated_and_attributed():
    acts = _acts(["open", "open", "open"])
    ids = [A.followup_item_id(a) for a in acts]
    out = A.apply_followup(acts, {ids[0]: "fully", ids[1]: "partly"}, "2026-05-01T08:00:00Z",
                           "ina", assessment="fu-1", notes={ids[0]: "seen"})
    assert [a.state for a in out] == ["fully", "partly", "open"]
    assert out[0].history[-1] == A.Change("fully", "2026-05-01T08:00:00Z", "ina", "fu-1", "seen")
    again = A.apply_followup(out, {ids[0]: "fully"}, "2026-05-02T00:00:00Z", "ina", assessment="fu-1")
    assert len(again[0].history) == 1                       # same visit, same state: no new change
    with pytest.raises(ValueError):
        A.with_state(acts[0], "maybe", "t", "x")


def test_compliance_hand_computed_mixes():
    # the reference report: 12 fully, 12 partly, 10 not of 34 -> (12 + 6) / 34 = 52.94...
    acts = _acts(["fully"] * 12 + ["partly"] * 12 + ["not"] * 10)
    c = A.compliance(acts)
    assert (c.fully, c.partly, c.not_done, c.applicable) == (12, 12, 10, 34)
    assert c.value == Fraction(1800, 34)
    # N.A. leaves the denominator; open not yet due leaves it; open past due counts as not
    acts = _acts(["fully", "partly", "na", "na"]) + _acts(["open"], due="2099-01-01") + \
        _acts(["open"], source="x", due="2020-01-01")
    c = A.compliance(acts, today="2026-06-01")
    assert (c.applicable, c.na, c.open, c.overdue) == (3, 2, 1, 1)
    assert c.value == Fraction(150, 3)                       # (1 + 1/2) / 3 x 100 = 50
    # the half is a per-round setting
    assert A.compliance(_acts(["partly", "fully"]), A.Settings(Fraction(1, 4))).value == Fraction(125, 2)


def test_no_applicable_action_is_na():
    assert A.compliance([]).value is None
    assert A.compliance(_acts(["na", "na"])).value is None
    assert A.variable_answer(A.compliance([])) == "na"


def test_complaint_suggestions_counted_per_setting():
    acts = _acts(["fully", "not"]) + _acts(["not", "not"], source="complaint")
    assert A.compliance(acts, A.Settings(include_complaints=True)).value == 25   # 1 / 4
    c = A.compliance(acts, A.Settings(include_complaints=False))
    assert c.value == 50 and c.excluded == 2                                     # 1 / 2
    s = A.Settings.from_dict({"partly_weight": "0.5", "include_complaints": False})
    assert s == A.Settings(Fraction(1, 2), False)
    with pytest.raises(ValueError):
        A.Settings.from_dict({"partly_weight": "2"})


def test_overdue_first_and_open_only():
    acts = _acts(["open"], due="2026-03-01") + _acts(["open"], source="b", due="2026-01-01") + \
        _acts(["fully"], source="c", due="2025-01-01") + _acts(["open"], source="d", due="2027-01-01")
    assert [a.due_date for a in A.overdue(acts, "2026-06-01")] == ["2026-01-01", "2026-03-01"]
    assert [a.due_date for a in A.open_first(acts, "2026-06-01")] == \
        ["2026-01-01", "2026-03-01", "2027-01-01"]


def test_followup_template_lists_exactly_the_open_actions_and_scores_compliance():
    acts = _acts(["open", "fully", "open", "open", "na"])
    t = build_template(A.followup_template("U1", acts))
    items = [i.id for i in t.walk_items() if i.type == "choice"]
    assert items == [A.followup_item_id(a) for a in acts if a.state == "open"]
    r = score(t, AnswerSheet({(items[0], 0): "fully", (items[1], 0): "partly", (items[2], 0): "na"}))
    assert r.total == Decimal("75.00")                      # (1 + 1/2) / 2
    # the same figure as compliance() over the states the visit set
    moved = A.apply_followup(acts, {items[0]: "fully", items[1]: "partly", items[2]: "na"}, "t", "x")
    listed = [m for m, a in zip(moved, acts) if a.state == "open"]
    assert A.compliance(listed).value == 75


def _variant_sheet(value):
    t = load_template(VARIANT)
    answers = {}
    for item in t.walk_items():
        if item.type == "scale" and item.sample_group is None:
            answers[(item.id, 0)] = 3
        elif item.type == "scale":
            for s in range(4):
                answers[(item.id, s)] = 3
    answers[("kepatuhan_tindakan_korektif", 0)] = value
    return t, answers


def test_variable_in_the_2022_variant_hand_computed():
    t, answers = _variant_sheet(None)
    dim = t.section_index["tindak_lanjut"]
    assert dim.weight == 10 and t.items["kepatuhan_tindakan_korektif"].scored
    # everything else full marks; variable 12 fully + 12 partly of 34 -> 18/34
    answers[("kepatuhan_tindakan_korektif", 0)] = A.variable_answer(
        A.compliance(_acts(["fully"] * 12 + ["partly"] * 12 + ["not"] * 10)))
    r = score(t, AnswerSheet(answers))
    assert r.sections["tindak_lanjut"].score == Decimal("52.94")
    # total = (100 x 100 + 10 x 1800/34) / 110 = 95.7219...
    expected = (Fraction(100) * 100 + 10 * Fraction(1800, 34)) / 110
    assert r.exact_total == expected and r.total == Decimal("95.72")
    assert sum(x.points for x in r.items.values()) == r.exact_total


@pytest.mark.parametrize("value", [None, "na", A.variable_answer(A.compliance([]))])
def test_variable_na_leaves_the_denominator(value):
    t, answers = _variant_sheet(value)
    r = score(t, AnswerSheet(answers))
    assert r.total == Decimal("100.00") and r.sections["tindak_lanjut"].score is None
    base = load_template(BASE)
    assert score(base, AnswerSheet({k: v for k, v in answers.items() if k[0] in base.items})).total \
        == Decimal("100.00")


def test_variable_all_not_carried_out_pulls_total_down():
    t, answers = _variant_sheet(A.variable_answer(A.compliance(_acts(["not", "not", "na"]))))
    r = score(t, AnswerSheet(answers))
    assert r.exact_total == Fraction(100 * 100, 110) and r.total == Decimal("90.91")


def test_variable_ratio_refuses_malformed_values():
    assert A.variable_ratio({"fully": 3, "partly": 0, "applicable": 2}) is None
    assert A.variable_ratio({"fully": 1}) is None
    assert A.variable_ratio("yes") is None
    assert A.variable_ratio({"fully": 1, "partly": 1, "applicable": 4, "partly_weight": "1/2"}) \
        == Fraction(3, 8)


def test_variable_item_needs_its_variable():
    from assessor_app.errors import TemplateInvalid
    raw = {"format": "assessor-template/1", "id": "v", "version": "1", "title": T,
           "bands": [{"id": "A", "label": T, "min": 0, "max": 100, "colour": "#000000", "zone": "green"}],
           "sections": [{"id": "s", "title": T, "items": [{"id": "v1", "type": "variable", "text": T}]}]}
    with pytest.raises(TemplateInvalid, match="variable"):
        build_template(raw)


def test_explanation_shows_the_variable():
    t, answers = _variant_sheet({"fully": 1, "partly": 1, "applicable": 4, "partly_weight": "1/2"})
    text = score(t, AnswerSheet(answers)).explain("en")
    assert "Compliance with corrective-action suggestions (from the action register): 37.50 (from " \
           "the corrective-action register)" in text
    assert "Follow-up of corrective actions: score 37.50" in text
    t, answers = _variant_sheet("na")
    assert "N.A. (keluar dari penyebut)" in score(t, AnswerSheet(answers)).explain("id")


def test_long_followup_is_paged_and_still_scores_compliance():
    acts = _acts(["open"] * 45)
    t = build_template(A.followup_template("U1", acts))
    assert [s.id for s in t.sections][:3] == ["tindakan_1", "tindakan_2", "tindakan_3"]
    ids = [i.id for i in t.walk_items() if i.type == "choice"]
    assert ids == [A.followup_item_id(a) for a in acts]
    answers = {(i, 0): ("fully" if n < 30 else "not") for n, i in enumerate(ids)}
    assert score(t, AnswerSheet(answers)).exact_total == Fraction(3000, 45)


def test_variable_travels_in_the_exchange_file_and_rescores(tmp_path):
    import json

    from assessor_app.exchange import export_document, parse_exchange, rescore
    from assessor_app.store import AssessmentStore
    store = AssessmentStore(tmp_path, actor="x")
    t = store.import_template(VARIANT)
    uid = store.create_assessment(t, unit={"unit": "U1"})
    value = A.variable_answer(A.compliance(_acts(["fully"] * 12 + ["partly"] * 12 + ["not"] * 10)))
    store.set_answer(uid, "kepatuhan_tindakan_korektif", value)
    store.set_answer(uid, next(i.id for i in t.walk_items() if i.type == "scale"
                               and i.sample_group is None), 3)
    doc = export_document(store, uid)
    ex = parse_exchange(json.dumps(doc).encode("utf-8"))
    assert rescore(ex).total == store.score(uid).total
    assert float(store.score(uid).total) == doc["score"]["total"]
    # a forged value (more fully than applicable) is refused on import, not scored
    for entry in doc["answers"]:
        if entry["item"] == "kepatuhan_tindakan_korektif":
            entry["value"] = {"fully": 40, "partly": 0, "applicable": 34, "partly_weight": "1/2"}
    from assessor_app.errors import ExchangeInvalid
    from assessor_app.exchange import content_hash
    doc["content_hash"] = content_hash(doc)
    with pytest.raises(ExchangeInvalid, match="corrective-action register"):
        parse_exchange(json.dumps(doc).encode("utf-8"))
    store.close()
