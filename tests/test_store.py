"""The local store: answers, validation, status rules, history chain, migrations."""

import sqlite3

import pytest

from assessor_app.errors import (AnswerInvalid, AssessmentLocked, EvidenceRejected, StoreError,
                                 UserError)
from assessor_app.store import AssessmentStore
from assessor_app.store.migrations import LATEST

from helpers import filled_mini, mini_store, snapshot


def test_pragmas_and_schema(tmp_path):
    store = mini_store(tmp_path)
    c = store.conn
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 2   # FULL
    assert c.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_answers_are_stored_and_scored(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    a = store.get(uid)
    assert a.answers[("b1", 1)] == "biasa" and a.item_notes[("a1", 0)] == "papan informasi rusak"
    assert len(a.evidence) == 1 and a.evidence[0]["caption"] == "Papan rusak"
    assert {s["role"] for s in a.signatures} == {"inspector", "representative"}
    result = store.score(uid)
    assert result.completeness.complete
    row = store.list_assessments()[0]
    assert row["score"] == float(result.total) and row["grade"] == result.band.id
    # every listed column under its own name (the row is built by hand for speed)
    from assessor_app.store.assessments import _LIST_COLUMNS
    assert list(row) == list(_LIST_COLUMNS)
    stored = store.conn.execute(f"SELECT {', '.join(_LIST_COLUMNS)} FROM assessments WHERE uuid=?",
                                (uid,)).fetchone()
    assert [row[c] for c in _LIST_COLUMNS if c != "visit_dates"] == \
        [v for c, v in zip(_LIST_COLUMNS, stored) if c != "visit_dates"]
    assert row["visit_dates"] == a.visit_dates


@pytest.mark.parametrize("item,value,sample,message", [
    ("a1", "maybe", 0, "must be yes or no"),
    ("a1", "na", 0, "N.A. is not allowed"),
    ("a3", 7, 0, "one of the scale points"),
    ("b1", "galak", 0, "is not one of the options"),
    ("b2", -5, 0, "below the minimum"),
    ("b2", "ten", 0, "must be a number"),
    ("b1", "ramah", 5, "sample 5 does not exist"),
    ("zz", "yes", 0, "has no item 'zz'"),
])
def test_invalid_answers_are_refused_and_change_nothing(tmp_path, item, value, sample, message):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    before = snapshot(store)
    with pytest.raises(AnswerInvalid, match=message):
        store.set_answer(uid, item, value, sample=sample)
    assert snapshot(store) == before


def test_broken_photo_is_refused_and_changes_nothing(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    before = snapshot(store)
    with pytest.raises(EvidenceRejected):
        store.add_photo(uid, "a1", b"not an image at all", original_name="x.jpg")
    assert snapshot(store) == before


def test_complete_requires_required_items_and_evidence(tmp_path):
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "U"})
    store.set_answer(uid, "a1", "no")
    with pytest.raises(UserError, match="cannot complete: 2 required item.* 1 item.*photo"):
        store.complete(uid)
    assert store.get(uid).status == "draft"


def test_completed_is_read_only_until_amended_with_a_reason(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.complete(uid)
    with pytest.raises(AssessmentLocked):
        store.set_answer(uid, "a2", "no")
    with pytest.raises(UserError, match="needs a reason"):
        store.set_status(uid, "draft")
    store.set_status(uid, "draft", reason="typo in a2")
    store.set_answer(uid, "a2", "no")
    actions = [h["action"] for h in store.history(uid)]
    assert actions[-3:] == ["complete", "amend", "answer"]
    with pytest.raises(AssessmentLocked, match="cannot become approved"):
        store.set_status(uid, "approved")


def test_only_drafts_can_be_deleted(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.complete(uid)
    with pytest.raises(AssessmentLocked):
        store.delete_draft(uid)
    other = store.create_assessment("mini", unit={"unit": "V"})
    store.delete_draft(other)
    assert [r["uuid"] for r in store.list_assessments()] == [uid]


def test_history_records_who_when_old_and_new(tmp_path):
    store = mini_store(tmp_path, actor="Rina")
    uid = store.create_assessment("mini", unit={"unit": "U"})
    store.set_answer(uid, "a1", "yes")
    store.set_answer(uid, "a1", "no")
    last = store.history(uid)[-1]
    assert (last["actor"], last["action"], last["target"]) == ("Rina", "answer", "a1#0")
    assert (last["old"], last["new"]) == ('"yes"', '"no"')
    assert store.verify_history(uid).ok


@pytest.mark.parametrize("tamper", [
    "UPDATE history SET new='\"yes\"' WHERE seq=3",
    "DELETE FROM history WHERE seq=2",
    "DELETE FROM history WHERE seq=(SELECT max(seq) FROM history)",
    "UPDATE history SET actor='someone else' WHERE seq=1",
])
def test_editing_past_history_is_detected(tmp_path, tamper):
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "U"})
    for v in ("yes", "no", "yes"):
        store.set_answer(uid, "a1", v)
    assert store.verify_history(uid).ok
    store.conn.execute(tamper)
    check = store.verify_history(uid)
    assert not check.ok and check.problem


def test_sample_groups_resize_within_bounds(tmp_path):
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "U"})
    assert store.get(uid).samples == {"dim_b": ["Petugas 1", "Petugas 2"]}
    store.set_samples(uid, "dim_b", ["Ani", "Budi", "Citra"])
    store.set_answer(uid, "b1", "ramah", sample=2)
    with pytest.raises(UserError, match="has answers"):
        store.set_samples(uid, "dim_b", ["Ani"])
    with pytest.raises(UserError, match="allows 1 to 5"):
        store.set_samples(uid, "dim_b", list("abcdef"))


def test_template_versions_are_immutable_and_pinned(tmp_path):
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "U"})
    t = store.get_template("mini")
    body = dict(t.body, title={"id": "Ubah", "en": "Changed"})
    from assessor_app.templates.loader import build_template
    with pytest.raises(UserError, match="already installed with different content"):
        store.import_template(build_template(body))
    newer = store.import_template(build_template(dict(body, version="1.1")))
    assert store.get_template("mini").version == "1.1"
    assert store.template_of(uid).hash == t.hash != newer.hash


def test_newer_schema_is_refused_and_older_is_backed_up(tmp_path):
    path = tmp_path / "assessor.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer Assessor"):
        AssessmentStore(tmp_path)


def test_store_refuses_use_from_another_thread(tmp_path):
    import threading
    store = mini_store(tmp_path)
    errors = []
    t = threading.Thread(target=lambda: errors.append(_try(store)))
    t.start()
    t.join()
    assert "thread" in errors[0]


def _try(store):
    try:
        store.set_setting("x", 1)
    except StoreError as exc:
        return str(exc)
    return "no error"


def test_findings_update_and_remove_are_recorded(tmp_path):
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "U"})
    fid, _change = store.add_finding(uid, "a1", text="Papan tidak ada", action="Pasang papan")
    store.update_finding(uid, fid, responsible="Kepala", status="partly_implemented")
    f = store.get(uid).findings[0]
    assert (f["responsible"], f["status"]) == ("Kepala", "partly_implemented")
    with pytest.raises(UserError, match="finding status must be one of"):
        store.update_finding(uid, fid, status="done")
    with pytest.raises(UserError, match="no finding nope"):
        store.remove_finding(uid, "nope")
    store.remove_finding(uid, fid)
    assert store.get(uid).findings == []
    actions = [h["action"] for h in store.history(uid)]
    assert actions[-3:] == ["finding+", "finding", "finding-"] and store.verify_history(uid).ok


def test_attach_existing_relinks_a_removed_photo_and_records_it(tmp_path):
    from assessor_app.demo import demo_photo
    store = mini_store(tmp_path)
    uid = store.create_assessment("mini", unit={"unit": "U"})
    link, info = store.add_photo(uid, "a1", demo_photo("papan", 1), caption="Papan rusak")
    store.remove_photo(uid, link)
    assert store.get(uid).evidence == []
    again = store.attach_existing(uid, "a1", info.sha256, caption="Papan rusak")
    ev = store.get(uid).evidence
    assert [(e["id"], e["sha256"], e["caption"]) for e in ev] == [
        (again, info.sha256, "Papan rusak")]
    last = store.history(uid)[-1]
    assert (last["action"], last["target"]) == ("photo+", "a1#0") and store.verify_history(uid).ok
    with pytest.raises(UserError, match="no evidence file"):
        store.attach_existing(uid, "a1", "0" * 64)
    with pytest.raises(AnswerInvalid, match="no item"):
        store.attach_existing(uid, "zz", info.sha256)
    seq = store.history(uid)[-1]["seq"]
    assert store.history(uid)[-1]["seq"] == seq            # refused calls changed nothing
