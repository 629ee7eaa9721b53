"""Guarantees 1-4 and 8 against a real server: idempotent push, nothing counts until every file
arrived, resumable uploads, pull by cursor, protocol version."""

import hashlib
import json

import sqlalchemy as sa

from assessor_app.evidence.files import read_evidence
from assessor_app.exchange import referenced_blobs
from assessor_app.server import db
from assessor_app.sync import SyncClient

from .conftest import completed
from .raw import api, doc_bytes, put, upload_all


def _revisions(server, uid):
    with server.database.read() as c:
        return c.execute(sa.select(db.revisions.c.rev, db.revisions.c.sent_hash)
                         .where(db.revisions.c.uuid == uid)).all()


def test_same_revision_twice_is_stored_once_and_other_content_is_refused(server, laptops):
    store = laptops.new("rina")
    uid = completed(store)
    body = doc_bytes(store, uid)
    with api(server, store) as c:
        upload_all(c, store, body)
        first = put(c, uid, 1, body)
        again = put(c, uid, 1, body)
        assert first.status_code == again.status_code == 200
        assert again.json()["replayed"] is True
        assert {k: v for k, v in again.json().items() if k != "replayed"} == first.json()
        doc = json.loads(body)
        doc["answers"][0]["note"] = "changed after sending"
        from assessor_app.exchange import content_hash
        doc["content_hash"] = content_hash(doc)
        other = put(c, uid, 1, json.dumps(doc).encode())
        assert other.status_code == 409
        assert other.json()["error"] == "revision_taken"
        assert "different content" in other.json()["message"]
    assert len(_revisions(server, uid)) == 1


def test_revision_is_refused_until_every_photo_arrived(server, laptops):
    store = laptops.new("rina")
    uid = completed(store)
    body = doc_bytes(store, uid)
    hashes = referenced_blobs(json.loads(body))
    with api(server, store) as c:
        r = put(c, uid, 1, body)
        assert r.status_code == 409 and r.json()["error"] == "missing_blobs"
        missing = r.json()["missing"]
        assert missing and set(missing) <= set(hashes)       # the new photo, at least
        assert _revisions(server, uid) == []          # nothing stored
        upload_all(c, store, body)
        assert put(c, uid, 1, body).status_code == 200


def test_upload_resumes_from_the_server_offset_and_checks_the_whole_hash(server, laptops):
    store = laptops.new("rina")
    data = bytes(range(256)) * 4000        # 1 MB
    sha = hashlib.sha256(data).hexdigest()
    with api(server, store) as c:
        r = c.patch(f"/v1/uploads/{sha}", params={"size": len(data)},
                    headers={"Upload-Offset": "0"}, content=data[:300_000])
        assert r.json() == {"offset": 300_000, "complete": False}
        # a retry of an old chunk (the answer was lost) is told where to continue
        r = c.patch(f"/v1/uploads/{sha}", params={"size": len(data)},
                    headers={"Upload-Offset": "0"}, content=data[:300_000])
        assert r.status_code == 409 and r.json()["offset"] == 300_000
        assert c.get(f"/v1/uploads/{sha}").json() == {"offset": 300_000}
        r = c.patch(f"/v1/uploads/{sha}", params={"size": len(data)},
                    headers={"Upload-Offset": "300000"}, content=data[300_000:])
        assert r.json() == {"offset": len(data), "complete": True}
        assert c.head(f"/v1/blobs/{sha}").status_code == 200
        # a file whose bytes do not match its name is refused and not kept
        fake = hashlib.sha256(b"other").hexdigest()
        r = c.patch(f"/v1/uploads/{fake}", params={"size": 5}, headers={"Upload-Offset": "0"},
                    content=b"wrong")
        assert r.status_code == 422 and "does not match its hash" in r.json()["message"]
        assert c.head(f"/v1/blobs/{fake}").status_code == 404
    assert (server.data / "blobs" / sha[:2] / sha).read_bytes() == data


def test_client_sync_pushes_once_marks_submitted_and_a_second_sync_sends_nothing(server, laptops):
    store = laptops.new("rina")
    uid = completed(store)
    with SyncClient(store) as client:
        report = client.sync()
        assert report.pushed == [uid] and report.files >= 1
        second = client.sync()
    assert second.pushed == [] and second.files == 0
    a = store.get(uid)
    assert a.status == "submitted" and a.server_rev == 1 and a.sync_state == "synced"
    assert store.verify_history(uid).ok
    assert len(_revisions(server, uid)) == 1
    held = {r["uuid"]: r for r in server.admin.list_assessments()}[uid]
    assert held["status"] == "submitted" and held["evidence_count"] == 2
    assert read_evidence(server.data / "blobs", a.evidence[0]["sha256"])


def test_pull_by_cursor_brings_templates_and_assignments_in_pages(server, laptops, tmp_path):
    store = laptops.new("rina")
    aids = [server.admin.assign(unit={"unit": f"Kantor {i}"}, template_id="mini",
                                inspector=laptops.user("rina"), due_date="2027-01-31")
            for i in range(5)]
    with SyncClient(store, page_size=2) as client:
        report = client.sync()
    assert report.pulled.get("assignment") == 5 and report.pulled.get("template", 0) >= 1
    assert sorted(report.created) == sorted(aids)        # drafts in the inspector's list
    listed = {r["uuid"]: r for r in store.list_assessments()}
    assert set(aids) <= set(listed) and listed[aids[0]]["unit"] == "Kantor 0"
    cursor = store.sync_settings()["cursor"]
    assert cursor > 0
    with SyncClient(store) as client:                    # nothing new: nothing applied
        again = client.sync()
    assert again.created == [] and again.pulled.get("assignment") is None


def test_an_old_protocol_gets_a_message_not_a_crash(server, laptops):
    store = laptops.new("rina")
    with api(server, store, protocol=0) as c:
        r = c.get("/v1/changes")
    assert r.status_code == 426
    assert "Update Assessor" in r.json()["message"]


def test_cursor_from_the_future_asks_for_a_full_resync(server, laptops):
    store = laptops.new("rina")
    with api(server, store) as c:
        r = c.get("/v1/changes", params={"cursor": 10**12})
    assert r.status_code == 410 and r.json()["error"] == "resync"
    store.set_setting("sync.cursor", 10**12)
    with SyncClient(store) as client:
        report = client.sync()
    assert report.resynced and store.sync_settings()["cursor"] < 10**12
