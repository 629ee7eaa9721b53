"""The scoring engine: worked examples and hypothesis properties."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from assessor_app.scoring import AnswerSheet, score, to_decimal
from assessor_app.templates.loader import build_template, load_template

MINI = Path(__file__).parent / "fixtures" / "templates" / "mini.yaml"
T = {"id": "X", "en": "X"}


def test_worked_example_weights_na_samples_and_relevance():
    t = load_template(MINI)
    answers = {("a1", 0): "no", ("a2", 0): "na", ("a3", 0): 2,
               ("b1", 0): "ramah", ("b1", 1): "kasar", ("b2", 0): 10}
    r = score(t, AnswerSheet(answers))
    # dim A: a1 0/1, a2 N.A. leaves, a3 2/3 -> (0 + 2/3) / 2 = 33.33; dim B: (1 + 0) / 2 = 50
    assert r.sections["dim_a"].score == Decimal("33.33")
    assert r.sections["dim_b"].per_sample == [Decimal("100.00"), Decimal("0.00")]
    assert r.total == Decimal("40.00")                  # 0.6 * 1/3 + 0.4 * 1/2
    assert r.band.id == "C" and r.band.zone == "red"
    assert not r.items[("a4", 0)].relevant             # a2 is not 'yes': a4 hidden
    assert r.completeness.evidence_missing == [("a1", 0, 1, 0)]
    assert sum(x.points for x in r.items.values()) == r.exact_total
    assert "Largest losses" in r.explain("en") and "-30.00" in r.explain("en")


def test_rounding_is_half_up_once_at_the_end():
    assert to_decimal(Fraction(78395, 1000)) == Decimal("78.40")
    assert to_decimal(Fraction(2, 3) * 100) == Decimal("66.67")
    assert to_decimal(Fraction(1, 200)) == Decimal("0.01")


def test_nothing_answered_has_no_total():
    r = score(load_template(MINI), AnswerSheet({}))
    assert r.total is None and r.band is None
    assert ("a1", 0) in r.completeness.required_missing


def test_sample_count_changes_the_mean():
    t = load_template(MINI)
    base = {("b1", 0): "ramah", ("b1", 1): "kasar", ("b1", 2): "ramah"}
    two = score(t, AnswerSheet(base, samples={"dim_b": 2}))
    three = score(t, AnswerSheet(base, samples={"dim_b": 3}))
    assert two.sections["dim_b"].score == Decimal("50.00")
    assert three.sections["dim_b"].score == Decimal("66.67")


# ---------------------------------------------------------------- generated templates
SCALE = [{"value": v, "label": {"id": str(v), "en": str(v)}} for v in range(4)]
CHOICE = [{"value": "a", "label": T, "score": 2}, {"value": "b", "label": T, "score": 1},
          {"value": "c", "label": T, "score": 0}]
BEST = {"yes_no": "yes", "yes_no_na": "yes", "scale": 3, "choice": "a"}
WORST = {"yes_no": "no", "yes_no_na": "no", "scale": 0, "choice": "c"}
VALUES = {"yes_no": ["yes", "no", None], "yes_no_na": ["yes", "no", "na", None],
          "scale": [0, 1, 2, 3, None], "choice": ["a", "b", "c", None]}
BANDS = [{"id": "G", "label": T, "min": 70, "max": 100, "colour": "#2E7D32", "zone": "green"},
         {"id": "Y", "label": T, "min": 40, "max": 69.99, "colour": "#F9A825", "zone": "yellow"},
         {"id": "R", "label": T, "min": 0, "max": 39.99, "colour": "#C62828", "zone": "red"}]


@st.composite
def templates(draw):
    counter = iter(range(10_000))
    weighted = draw(st.booleans())
    sections = []
    for _ in range(draw(st.integers(1, 3))):
        items = []
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(sorted(BEST)))
            item = {"id": f"i{next(counter)}", "type": kind, "text": T,
                    "weight": draw(st.integers(1, 5))}
            if kind == "scale":
                item["scale"] = SCALE
            if kind == "choice":
                item["options"] = CHOICE
            items.append(item)
        sec = {"id": f"s{next(counter)}", "title": T, "items": items}
        if weighted:
            sec["weight"] = draw(st.sampled_from([10, 21.85, 32.37, 50]))
        if draw(st.booleans()):
            sec["sample"] = {"label": T, "min": 1, "max": 4, "default": draw(st.integers(1, 3))}
        sections.append(sec)
    return build_template({"format": "assessor-template/1", "id": "gen", "version": "1",
                           "title": T, "bands": BANDS, "sections": sections})


def keys(t):
    for item in t.walk_items():
        n = t.section_index[item.sample_group].sample.default if item.sample_group else 1
        for s in range(n):
            yield item, s


@st.composite
def template_and_answers(draw):
    t = draw(templates())
    answers = {}
    for item, s in keys(t):
        value = draw(st.sampled_from(VALUES[item.type]))
        if value is not None:
            answers[(item.id, s)] = value
    return t, answers


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(template_and_answers())
def test_score_stays_in_range_and_contributions_add_up(ta):
    t, answers = ta
    r = score(t, AnswerSheet(answers))
    if r.total is not None:
        assert Decimal(0) <= r.total <= Decimal(100)
        assert sum(x.points for x in r.items.values()) == r.exact_total
        assert r.band is not None
        for x in r.items.values():
            assert 0 <= x.points <= x.max_points


@PROPS
@given(template_and_answers(), st.data())
def test_turning_a_failed_answer_into_a_pass_never_lowers_the_score(ta, data):
    t, answers = ta
    failed = [k for k, v in answers.items() if v not in ("na", BEST[t.items[k[0]].type])]
    if not failed:
        return
    key = data.draw(st.sampled_from(sorted(failed)))
    before = score(t, AnswerSheet(answers)).exact_total
    better = dict(answers)
    better[key] = BEST[t.items[key[0]].type]
    after = score(t, AnswerSheet(better)).exact_total
    assert after >= before


@PROPS
@given(templates())
def test_all_best_is_100_top_band_and_all_worst_is_0_bottom_band(t):
    best = {(i.id, s): BEST[i.type] for i, s in keys(t)}
    worst = {(i.id, s): WORST[i.type] for i, s in keys(t)}
    rb, rw = score(t, AnswerSheet(best)), score(t, AnswerSheet(worst))
    assert rb.total == Decimal("100.00") and rb.band.id == "G"
    assert rw.total == Decimal("0.00") and rw.band.id == "R"
    assert rb.completeness.answered == rb.completeness.total


@PROPS
@given(templates(), st.data())
def test_na_on_an_item_keeps_the_relative_weight_of_the_others(t, data):
    answers = {(i.id, s): BEST[i.type] for i, s in keys(t)}
    na_able = [(i.id, s) for i, s in keys(t) if i.type == "yes_no_na"]
    if not na_able:
        return
    key = data.draw(st.sampled_from(na_able))
    before = score(t, AnswerSheet(answers))
    after = score(t, AnswerSheet({**answers, key: "na"}))
    item = t.items[key[0]]
    peers = [(i.id, s) for i, s in keys(t)
             if (i.id, s) != key and i.section_id == item.section_id and s == key[1]]
    for a in peers:
        for b in peers:
            ratio_before = before.items[a].max_points / before.items[b].max_points
            ratio_after = after.items[a].max_points / after.items[b].max_points
            assert ratio_before == ratio_after
    if peers and t.sections[0].weight is not None:
        for sec in t.sections:
            assert before.sections[sec.id].share == after.sections[sec.id].share
    assert after.items[key].max_points == 0
