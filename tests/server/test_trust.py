"""Issue 15, server trust boundaries: knowing a file's hash gives nothing away, a forged
template is refused, limits hold before any body is read, admin commands act on exactly what
they name. Each test failed on the code before the fix."""

import json
import uuid as uuidlib

import pytest

from assessor_app.evidence.files import read_evidence
from assessor_app.exchange import content_hash
from assessor_app.sync import SyncClient

from .conftest import completed
from .raw import api, doc_bytes, put, upload_all


def _as_new_assessment(body: bytes) -> tuple[str, bytes]:
    """Someone else's document under a fresh uuid (what a curious device would push)."""
    doc = json.loads(body)
    uid = str(uuidlib.uuid4())
    doc["assessment"]["uuid"] = uid
    doc["content_hash"] = content_hash(doc)
    return uid, json.dumps(doc).encode()


def test_another_teams_photo_cannot_be_read_by_knowing_its_hash(server, laptops):
    rina = laptops.new("rina", team="north")
    boss = laptops.new("boss", role="supervisor", team="north")
    eve = laptops.new("eve", team="south")
    uid = completed(rina, photos=2)
    with SyncClient(rina) as c:
        c.sync()
    body = doc_bytes(rina, uid)
    photo = rina.get(uid).evidence[-1]["sha256"]     # a unique photo only rina's laptop has
    forged_uid, forged = _as_new_assessment(body)
    before = server.admin.counts()
    with api(server, eve) as c:
        r = put(c, forged_uid, 1, forged)
        assert r.status_code == 409, r.text
        assert r.json()["error"] == "missing_blobs" and photo in r.json()["missing"]
        assert c.get(f"/v1/blobs/{photo}").status_code == 404
        assert c.head(f"/v1/blobs/{photo}").status_code == 404
        assert photo in c.post("/v1/blobs/missing", json={"hashes": [photo]}).json()["missing"]
        assert c.get(f"/v1/uploads/{photo}").json()["offset"] == 0
        # pretending to upload it does not help: the bytes must arrive and match
        r = c.patch(f"/v1/uploads/{photo}", params={"size": 5}, headers={"Upload-Offset": "0"},
                    content=b"hello")
        assert r.status_code == 422
        assert put(c, forged_uid, 1, forged).status_code == 409
    assert server.admin.counts() == before
    # the team's supervisor still sees the photo; rina's second laptop may reference it
    with api(server, boss) as c:
        got = c.get(f"/v1/blobs/{photo}")
        assert got.status_code == 200
        assert got.content == read_evidence(rina.evidence_dir, photo)
    rina2 = laptops.new("rina", team="north")
    with api(server, rina2) as c:
        assert c.post("/v1/blobs/missing", json={"hashes": [photo]}).json()["missing"] == []
    # a device that really has the bytes uploads them and may then use them
    with api(server, eve) as c:
        upload_all(c, rina, forged)
        r = put(c, forged_uid, 1, forged)
        assert r.status_code == 200, r.text
        assert c.get(f"/v1/blobs/{photo}").status_code == 200


def _with_template(body: bytes, change) -> tuple[str, bytes]:
    """The document with its embedded template changed by ``change(snapshot)``, rehashed."""
    from assessor_app.templates.loader import body_hash
    doc = json.loads(body)
    change(doc["template_snapshot"])
    doc["template"]["hash"] = body_hash(doc["template_snapshot"])
    doc["template"]["version"] = doc["template_snapshot"]["version"]
    doc["content_hash"] = content_hash(doc)
    return doc["assessment"]["uuid"], json.dumps(doc).encode()


def test_a_forged_template_under_a_published_version_is_refused(server, laptops):
    rina = laptops.new("rina")
    uid = completed(rina)
    body = doc_bytes(rina, uid)

    def greener(t):     # the yellow band moved down: a "fair" score would show as "good"
        t["bands"][0]["min"] = 10
        t["bands"][1]["min"] = 5
        t["bands"][1]["max"] = 9.99
        t["bands"][2]["max"] = 4.99
    _uid, forged = _with_template(body, greener)
    before = server.admin.counts()
    with api(server, rina) as c:
        upload_all(c, rina, forged)
        r = put(c, uid, 1, forged)
        assert r.status_code == 422 and r.json()["error"] == "invalid", r.text
        assert "differs from the published" in r.json()["message"]
        assert server.admin.counts() == before
        assert put(c, uid, 1, body).status_code == 200       # the genuine one is accepted
        assert c.get(f"/v1/assessments/{uid}").json()["flags"] == []


def test_an_unpublished_template_is_stored_but_flagged_for_the_supervisor(server, laptops):
    rina = laptops.new("rina")
    uid = completed(rina)

    def private(t):
        t["version"] = "1.0-private"
    _uid, body = _with_template(doc_bytes(rina, uid), private)
    with api(server, rina) as c:
        upload_all(c, rina, body)
        r = put(c, uid, 1, body)
        assert r.status_code == 200, r.text
        assert "unpublished_template" in r.json()["flags"]
    listed = {a["uuid"]: a for a in server.admin.list_assessments()}
    assert "unpublished_template" in listed[uid]["flags"]
