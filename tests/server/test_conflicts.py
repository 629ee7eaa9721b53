"""Guarantees 5 and 6: two devices editing the same assessment, a supervisor comment during an
inspector's edit, review decisions reaching the laptop, and pushes to approved work."""

import json
import uuid as uuidlib

from assessor_app.exchange import import_exchange, write_exchange
from assessor_app.store import AssessmentStore
from assessor_app.sync import SyncClient

from .conftest import completed
from .raw import api, doc_bytes, put, upload_all


def _second_laptop_copy(laptops, first: AssessmentStore, uid: str, tmp_path) -> AssessmentStore:
    """The same inspector's second laptop, holding a copy of ``uid`` at server revision 1."""
    second = laptops.new("rina")
    write_exchange(first, uid, tmp_path / "copy.zip")
    import_exchange(second, tmp_path / "copy.zip")
    return second


def test_two_devices_editing_different_fields_merge_and_same_field_keeps_the_inspectors(
        server, laptops, tmp_path):
    a = laptops.new("rina")
    uid = completed(a, complete=False)
    a.set_setting("sync.push_drafts", True)
    with SyncClient(a) as c:
        assert c.sync().pushed == [uid]                     # rev 1 on the server
    b = _second_laptop_copy(laptops, a, uid, tmp_path)
    b.set_answer(uid, "a3", 1)                               # B changes a3
    body_b = doc_bytes(b, uid)
    with api(server, b) as c:                                # B's push: rev 2 based on 1
        upload_all(c, b, body_b)
        r = put(c, uid, 2, body_b, base=1)
        assert r.status_code == 200 and r.json()["merged"] is False
    a.set_answer(uid, "a4", "fair")                          # A changes a4 (another field)
    with SyncClient(a) as c:
        report = c.sync()                                   # A's rev 2 is taken -> rev 3, merged
    assert report.merged and report.merged[0]["flags"] == ["merged"]
    held = server.admin.store.get_assessment(server.admin.caller(laptops.user("rina")), uid)
    answers = {(x["item"], x["sample"]): x.get("value") for x in held["document"]["answers"]}
    assert answers[("a3", 0)] == 1 and answers[("a4", 0)] == "fair"     # both kept
    assert held["rev"] == 3 and "merged" in held["flags"]

    # the same field on both: the pushing inspector's value is kept, the other is recorded
    a.set_answer(uid, "a2", "no")
    with SyncClient(a) as c:
        c.sync()                                             # rev 4 from A (a2 = no)
    b.set_answer(uid, "a2", "na")                           # B, still based on its rev 2
    body_b = doc_bytes(b, uid)
    with api(server, b) as c:
        r = put(c, uid, 5, body_b, base=2)
    answer = r.json()
    assert r.status_code == 200 and "conflict" in answer["flags"]
    conflict = [x for x in answer["conflicts"] if x["field"] == "answer:a2#0"][0]
    assert conflict["kept"]["value"] == "na" and conflict["other"]["value"] == "no"
    held = server.admin.store.get_assessment(server.admin.caller(laptops.user("rina")), uid)
    answers = {(x["item"], x["sample"]): x.get("value") for x in held["document"]["answers"]}
    assert answers[("a2", 0)] == "na" and answers[("a4", 0)] == "fair"  # A's a4 not dropped
    listed = {r["uuid"]: r for r in server.admin.list_assessments()}[uid]
    assert set(listed["flags"]) == {"merged", "conflict"}   # shown to the supervisor


def test_a_supervisor_comment_during_an_edit_never_conflicts(server, laptops):
    rina = laptops.new("rina", team="east")
    boss = laptops.new("boss", role="supervisor", team="east")
    uid = completed(rina, complete=False)
    rina.set_setting("sync.push_drafts", True)
    with SyncClient(rina) as c:
        c.sync()
    rina.set_answer(uid, "a4", "fair")                       # the inspector keeps editing
    with api(server, boss) as c:
        r = c.post(f"/v1/assessments/{uid}/comments",
                   json={"uuid": str(uuidlib.uuid4()), "text": "Tolong foto ruang tunggu"})
        assert r.status_code == 200
    with SyncClient(rina) as c:
        report = c.sync()
    assert report.pushed == [uid] and report.merged == []
    assert [m["text"] for m in rina.list_comments(uid)] == ["Tolong foto ruang tunggu"]
    assert rina.get(uid).answers[("a4", 0)] == "fair"


def test_returned_work_reopens_on_the_laptop_with_the_comment(server, laptops):
    rina = laptops.new("rina", team="west")
    boss = laptops.new("boss", role="supervisor", team="west")
    uid = completed(rina)
    with SyncClient(rina) as c:
        c.sync()
    with api(server, boss) as c:
        r = c.post(f"/v1/assessments/{uid}/review",
                   json={"decision": "return", "comment": "Nilai a3 perlu dicek"})
        assert r.json()["status"] == "returned"
    with SyncClient(rina) as c:
        c.sync()
    a = rina.get(uid)
    assert a.status == "returned" and a.editable
    assert rina.list_comments(uid)[-1]["kind"] == "return"
    assert rina.list_comments(uid)[-1]["text"] == "Nilai a3 perlu dicek"
    rina.set_answer(uid, "a3", 1)
    rina.complete(uid)
    with SyncClient(rina) as c:
        assert c.sync().pushed == [uid]
    listed = {r["uuid"]: r for r in server.admin.list_assessments()}[uid]
    assert listed["rev"] == 2 and listed["status"] == "submitted"
    assert rina.verify_history(uid).ok


def test_approved_work_is_locked(server, laptops):
    rina = laptops.new("rina", team="south")
    boss = laptops.new("boss", role="supervisor", team="south")
    uid = completed(rina)
    with SyncClient(rina) as c:
        c.sync()
    with api(server, boss) as c:
        assert c.post(f"/v1/assessments/{uid}/review",
                      json={"decision": "approve"}).json()["status"] == "approved"
    body = doc_bytes(rina, uid)
    doc = json.loads(body)
    doc["assessment"]["notes"] = "late change"
    from assessor_app.exchange import content_hash
    doc["content_hash"] = content_hash(doc)
    with api(server, rina) as c:
        r = put(c, uid, 2, json.dumps(doc).encode(), base=1)
    assert r.status_code == 409 and r.json()["error"] == "locked"
    assert "approved" in r.json()["message"]
    listed = {r["uuid"]: r for r in server.admin.list_assessments()}[uid]
    assert listed["rev"] == 1 and listed["status"] == "approved"
    with SyncClient(rina) as c:
        c.sync()
    assert rina.get(uid).status == "approved" and not rina.get(uid).editable
    with api(server, boss) as c:                              # and it cannot be returned either
        r = c.post(f"/v1/assessments/{uid}/review", json={"decision": "return"})
        assert r.status_code == 409
