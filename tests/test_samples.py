"""Samples (issue 12): remove with undo, reorder, "not interviewed / not available" samples leave
the averages and the completeness check, and travel in the exchange document."""

import pytest

from assessor_app.errors import UserError
from assessor_app.exchange import export_document, parse_exchange, rescore
from assessor_app.store.base import dumps

from tests.helpers import mini_store


def _three(store):
    uid = store.create_assessment("mini", unit={"unit": "Kantor"},
                                  samples={"dim_b": ["Ani", "Budi", "Citra"]})
    for n, (b1, b2) in enumerate([("ramah", 10), ("biasa", 20), ("kasar", 700 // 2)]):
        store.set_answer(uid, "b1", b1, sample=n)
        store.set_answer(uid, "b2", b2, sample=n)
    store.set_note(uid, "b1", "catatan Budi", sample=1)
    return uid


def test_remove_a_sample_in_the_middle_and_undo(tmp_path):
    store = mini_store(tmp_path)
    uid = _three(store)
    before = store.get(uid)
    removed = store.remove_sample(uid, "dim_b", 1)
    a = store.get(uid)
    assert a.samples["dim_b"] == ["Ani", "Citra"]
    assert a.answers[("b1", 1)] == "kasar" and ("b1", 2) not in a.answers   # Citra moved up
    assert ("b1", 1) not in a.item_notes
    assert store.history(uid)[-1]["action"] == "sample-"
    store.restore_sample(uid, removed)
    again = store.get(uid)
    assert again.samples == before.samples
    assert again.answers == before.answers and again.item_notes == before.item_notes
    assert store.verify_history(uid).ok


def test_remove_refused_below_minimum(tmp_path):
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "K"}, samples={"dim_b": ["Ani"]})
    with pytest.raises(UserError):
        store.remove_sample(uid, "dim_b", 0)


def test_move_sample_carries_its_answers(tmp_path):
    store = mini_store(tmp_path)
    uid = _three(store)
    assert store.move_sample(uid, "dim_b", 2, 0) == 0
    a = store.get(uid)
    assert a.samples["dim_b"] == ["Citra", "Ani", "Budi"]
    assert [a.answers[("b1", n)] for n in range(3)] == ["kasar", "ramah", "biasa"]
    assert a.item_notes[("b1", 2)] == "catatan Budi"


def test_not_available_sample_leaves_the_averages(tmp_path):
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "K"},
                                  samples={"dim_b": ["Ani", "Budi", "Citra"]})
    store.set_answer(uid, "b1", "ramah", sample=0)
    store.set_answer(uid, "b1", "kasar", sample=2)
    full = store.score(uid)
    assert ("b1", 1) in full.completeness.required_missing
    # Budi was not interviewed: he moves to the end and is not counted
    assert store.set_sample_absent(uid, "dim_b", 1, "cuti sakit") == 2
    a = store.get(uid)
    assert a.samples["dim_b"] == ["Ani", "Citra", "Budi"]
    assert a.samples_absent == {"dim_b": ["cuti sakit"]}
    assert a.answers[("b1", 1)] == "kasar"
    result = store.score(uid)
    assert ("b1", 2) not in result.completeness.required_missing
    assert result.sections["dim_b"].per_sample[:2] == full.sections["dim_b"].per_sample[0:3:2]
    assert len(result.sections["dim_b"].per_sample) == 2
    # a new sample goes before the absent one; it counts again when unmarked
    store.set_samples(uid, "dim_b", ["Ani", "Citra", "Budi", "Dewi"])
    assert store.get(uid).samples["dim_b"] == ["Ani", "Citra", "Dewi", "Budi"]
    assert store.set_sample_absent(uid, "dim_b", 3, None) == 3
    assert store.get(uid).samples_absent == {}
    with pytest.raises(UserError):
        store.set_sample_absent(uid, "dim_b", 0, "  ")


def test_absent_samples_travel_in_the_exchange_document(tmp_path):
    store = mini_store(tmp_path)
    uid = _three(store)
    store.set_sample_absent(uid, "dim_b", 0, "tidak hadir")
    doc = export_document(store, uid)
    assert doc["samples_absent"] == {"dim_b": ["tidak hadir"]}
    ex = parse_exchange(dumps(doc).encode())
    assert rescore(ex).total == store.score(uid).total
    other = mini_store(tmp_path / "other")
    from assessor_app.exchange import import_document
    import_document(other, ex)
    assert other.get(uid).samples_absent == {"dim_b": ["tidak hadir"]}


def test_groups_below_the_published_sample_size(tmp_path):
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "K"}, samples={"dim_b": ["Ani", "Budi"]})
    assert store.samples_below_published(uid) == []
    store.set_sample_absent(uid, "dim_b", 0, "tidak ada")
    below = store.samples_below_published(uid)
    assert [(b["group"], b["counted"], b["published"]) for b in below] == [("dim_b", 1, 2)]
