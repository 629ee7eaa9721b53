"""Template loading and validation: every error names the file, the path and the problem."""

import copy
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from assessor_app.errors import TemplateInvalid
from assessor_app.templates.loader import build_template, load_template

FIX = Path(__file__).parent / "fixtures" / "templates"
RES = Path(__file__).resolve().parent.parent / "resources" / "templates"


@pytest.fixture
def raw():
    return yaml.safe_load((FIX / "mini.yaml").read_text("utf-8"))


def problems(data, name="t.yaml"):
    with pytest.raises(TemplateInvalid) as info:
        build_template(data, name)
    return str(info.value)


def test_mini_template_builds(raw):
    t = build_template(raw, "mini.yaml")
    assert t.id == "mini" and len(t.items) == 6
    assert t.items["b1"].sample_group == "dim_b" and t.items["a1"].number == "1.1"
    assert len(t.hash) == 64
    assert build_template(copy.deepcopy(raw)).hash == t.hash


def test_unknown_key_is_refused_with_its_path(raw):
    raw["sections"][1]["items"][0]["colour"] = "red"
    assert "t.yaml: sections[1].items[0]: unknown key 'colour'" in problems(raw)


def test_duplicate_ids_are_refused(raw):
    raw["sections"][1]["items"][1]["id"] = "a1"
    msg = problems(raw)
    assert "sections[1].items[1].id: duplicate id 'a1'" in msg and "sections[0].items[0]" in msg


def test_bad_weights_are_refused(raw):
    raw["sections"][0]["items"][1]["weight"] = -2
    raw["sections"][1]["weight"] = 0
    msg = problems(raw)
    assert "sections[0].items[1].weight: must be a number of 0 or more, not -2" in msg
    assert "sections[1].weight: must be a number above 0" in msg


def test_mixed_sibling_weights_are_refused(raw):
    del raw["sections"][1]["weight"]
    assert "either every sibling section has a weight or none has" in problems(raw)


def test_impossible_ranges_are_refused(raw):
    raw["sections"][1]["items"][1]["min"] = 700
    raw["sections"][1]["sample"]["default"] = 9
    msg = problems(raw)
    assert "sections[1].items[1].min: min 700 is above max 600" in msg
    assert "sections[1].sample: needs min <= default <= max" in msg


def test_band_gaps_and_overlaps_are_refused(raw):
    raw["bands"][1]["min"] = 55
    assert "gap: no band covers 49.99" not in problems(raw)
    assert "gap: no band covers 50.00 to 54.99" in problems(raw)
    raw["bands"][1]["min"] = 40
    assert "overlaps the band below it" in problems(raw)


def test_conditions_unknown_reference_and_syntax(raw):
    raw["sections"][0]["items"][3]["relevant"] = "zz == 'yes'"
    assert "sections[0].items[3].relevant: refers to unknown item 'zz'" in problems(raw)
    raw["sections"][0]["items"][3]["relevant"] = "a2 == == 'yes'"
    assert "sections[0].items[3].relevant: invalid condition" in problems(raw)


def test_condition_cycles_are_refused(raw):
    raw["sections"][0]["items"][0]["relevant"] = "a4 == 'x'"
    raw["sections"][0]["items"][3]["relevant"] = "a1 == 'yes'"
    assert "relevance conditions form a cycle: " in problems(raw)


def test_reference_into_a_sample_group_from_outside_is_refused(raw):
    raw["sections"][0]["items"][3]["relevant"] = "b1 == 'ramah'"
    assert "answered once per sample" in problems(raw)


def test_nested_sample_groups_are_refused(raw):
    raw["sections"][1]["sections"] = [{"id": "inner", "title": raw["title"],
                                       "sample": raw["sections"][1]["sample"],
                                       "items": [{"id": "c1", "type": "yes_no", "text": raw["title"]}]}]
    assert "sample groups cannot be nested" in problems(raw)


def test_type_specific_keys(raw):
    raw["sections"][0]["items"][0]["unit"] = "kg"
    raw["sections"][0]["items"][3]["weight"] = 2
    msg = problems(raw)
    assert "sections[0].items[0].unit: not allowed for an item of type 'yes_no'" in msg
    assert "sections[0].items[3].weight: an item of type 'text' earns no points" in msg


def test_file_errors(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("format: assessor-template/1\nid: [unclosed\n", "utf-8")
    with pytest.raises(TemplateInvalid, match=r"broken.yaml: not valid YAML/JSON \(line"):
        load_template(bad)
    alias = tmp_path / "alias.yaml"
    alias.write_text("a: &x [1, 2]\nb: *x\n", "utf-8")
    with pytest.raises(TemplateInvalid, match="aliases"):
        load_template(alias)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(TemplateInvalid, match="not UTF-8"):
        load_template(binary)
    with pytest.raises(TemplateInvalid, match="cannot be read"):
        load_template(tmp_path / "missing.yaml")
    lst = tmp_path / "list.json"
    lst.write_text(json.dumps([1, 2]))
    with pytest.raises(TemplateInvalid, match="must be a mapping"):
        load_template(lst)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzzed_templates_only_ever_raise_template_invalid(data):
    raw = yaml.safe_load((FIX / "mini.yaml").read_text("utf-8"))
    # replace a random node of the tree by random JSON
    node, path = raw, []
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        path.append(key)
        node = node[key]
    junk = data.draw(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() |
                                  st.text(max_size=20),
                                  lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
                                  max_leaves=8))
    if path:
        parent = raw
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = junk
    else:
        raw = junk
    try:
        build_template(raw if isinstance(raw, dict) else {"x": raw}, "fuzz.yaml")
    except TemplateInvalid as exc:
        assert str(exc).startswith("fuzz.yaml")


@pytest.mark.parametrize("path", sorted(RES.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_templates_are_valid_bilingual_and_complete(path):
    t = load_template(path)
    for item in t.walk_items():
        assert item.text.id.strip() and item.text.en.strip() and item.text.id != item.text.en
    assert t.bands[0].max == 100 or any(b.max == 100 for b in t.bands)


def test_unscored_section_may_stand_beside_weighted_ones(raw):
    raw["sections"].append({"id": "identitas", "title": {"id": "Identitas", "en": "Identity"},
                            "items": [{"id": "nama", "type": "text", "text": {"id": "Nama", "en": "Name"}}]})
    t = build_template(raw)
    assert t.section_index["identitas"].weight is None
    raw["sections"][-1]["items"].append({"id": "ok", "type": "yes_no", "text": {"id": "A", "en": "B"}})
    assert "either every sibling section has a weight" in problems(raw)


def test_na_is_only_for_types_that_can_take_it(raw):
    raw["sections"][0]["items"][0]["na"] = True
    assert "sections[0].items[0].na: not allowed for an item of type 'yes_no'" in problems(raw)


def test_exclusive_option_cannot_be_combined(raw):
    from assessor_app.answers import validate_answer
    from assessor_app.errors import AnswerInvalid
    raw["sections"][0]["items"].append({
        "id": "rambu", "type": "multi_choice", "text": {"id": "Rambu", "en": "Signs"},
        "options": [{"value": "exit", "label": {"id": "Keluar", "en": "Exit"}, "score": 1},
                    {"value": "none", "label": {"id": "Tidak ada", "en": "None"}, "score": 0,
                     "exclusive": True}]})
    item = build_template(raw).items["rambu"]
    assert validate_answer(item, ["none"]) == ["none"]
    with pytest.raises(AnswerInvalid, match="'none' cannot be combined"):
        validate_answer(item, ["exit", "none"])
    raw["sections"][0]["items"][2]["scale"][0]["exclusive"] = True
    assert "only options of a multiple choice can be exclusive" in problems(raw)
