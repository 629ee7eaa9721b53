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
