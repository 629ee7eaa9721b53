"""Issue 16: the cheaper paths give exactly what the full computations give.

``relevance_update`` (the checklist's keypress path) must leave the same relevance as a full
``relevance``; a template is built once per hash per process and shared by every store."""

from hypothesis import HealthCheck, given, settings, strategies as st

from assessor_app.scoring import AnswerSheet, relevance, relevance_update, score
from assessor_app.store import AssessmentStore
from assessor_app.templates.loader import build_template

T = {"id": "X", "en": "X"}
BANDS = [{"id": "A", "label": T, "min": 50, "max": 100, "colour": "#2E7D32", "zone": "green"},
         {"id": "B", "label": T, "min": 0, "max": 49.99, "colour": "#C62828", "zone": "red"}]
CONDITIONS = ["{ref} == 'yes'", "{ref} != 'no'", "answered({ref})", "not answered({ref})",
              "{ref} == 'yes' or {ref} == 'na'"]


def chained_template() -> dict:
    """Ten yes/no/N.A. items q0..q9 in two sections, the second one sampled (q5..q9)."""
    items = [{"id": f"q{i}", "type": "yes_no_na", "text": T} for i in range(10)]
    return {"format": "assessor-template/1", "id": "chain", "version": "1", "title": T,
            "bands": BANDS, "sections": [
                {"id": "s1", "title": T, "items": items[:5]},
                {"id": "s2", "title": T, "items": items[5:],
                 "sample": {"label": T, "min": 1, "max": 3, "default": 2}}]}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 4)), max_size=6), st.data())
def test_relevance_update_equals_a_full_relevance_after_every_change(links, data):
    body = chained_template()
    # item `target` reads an earlier item, so conditions chain (a hidden item hides its readers)
    for n, (ref, kind) in enumerate(links):
        target = min(9, ref + 1 + n % 3)
        item = (body["sections"][0]["items"] + body["sections"][1]["items"])[target]
        ref_item = f"q{min(ref, target - 1)}"
        if target >= 5 or int(ref_item[1:]) < 5:   # only same-group or ungrouped references
            item["relevant"] = CONDITIONS[kind].format(ref=ref_item)
    t = build_template(body)
    answers: dict = {}
    sheet = AnswerSheet(answers, samples={"s2": 2})
    live = relevance(t, sheet)
    for _ in range(12):
        item = data.draw(st.sampled_from(sorted(t.items)))
        sample = data.draw(st.integers(0, 1)) if t.items[item].sample_group else 0
        value = data.draw(st.sampled_from(["yes", "no", "na", None]))
        if value is None:
            answers.pop((item, sample), None)
        else:
            answers[(item, sample)] = value
        flipped = relevance_update(t, sheet, live, [item])
        full = relevance(t, sheet)
        assert live == full
        assert all(full[k] == live[k] for k in flipped)
        assert {k: v.relevant for k, v in score(t, sheet).items.items()} == full


def test_a_template_is_built_once_per_hash_and_shared_by_stores(tmp_path):
    body = chained_template()
    with AssessmentStore(tmp_path / "a") as a:
        digest = a.import_template(build_template(body)).hash
    with AssessmentStore(tmp_path / "a") as one, AssessmentStore(tmp_path / "a") as two:
        assert one.template_by_hash(digest) is two.template_by_hash(digest)
    with AssessmentStore(tmp_path / "b") as other, AssessmentStore(tmp_path / "a") as first:
        assert other.import_template(build_template(body)).hash == digest   # another folder
        assert other.template_by_hash(digest) is first.template_by_hash(digest)
