"""Guarantee 7 and payload checks: least privilege, revocation, single-use codes, hashed
secrets, oversized or malformed payloads refused with a clear error and nothing stored."""

import json

import pytest
import sqlalchemy as sa

from assessor_app.server import db
from assessor_app.sync import SyncClient, enroll
from assessor_app.sync.errors import SyncRejected, SyncUnavailable

from .conftest import completed
from .raw import api, doc_bytes, put, upload_all
from .serverproc import ServerProcess


def _counts(server):
    return server.admin.counts()


def test_an_inspector_can_neither_read_nor_write_another_inspectors_work(server, laptops):
    rina, budi = laptops.new("rina"), laptops.new("budi")
    uid = completed(rina)
    with SyncClient(rina) as c:
        c.sync()
    sha = rina.get(uid).evidence[0]["sha256"]
    body = doc_bytes(rina, uid)
    with api(server, budi) as c:
        assert c.get(f"/v1/assessments/{uid}").status_code == 404
        assert c.get(f"/v1/blobs/{sha}").status_code == 404
        before = _counts(server)
        r = put(c, uid, 2, body, base=1)
        assert r.status_code == 403 and "another inspector" in r.json()["message"]
        assert _counts(server) == before
        changes = c.get("/v1/changes").json()["changes"]
    assert uid not in {ch["id"] for ch in changes}
    with api(server, rina) as c:
        assert c.get(f"/v1/assessments/{uid}").json()["rev"] == 1
        assert c.get(f"/v1/blobs/{sha}").status_code == 200


def test_a_supervisor_reads_the_team_but_not_other_teams(server, laptops):
    rina = laptops.new("rina", team="north")
    boss = laptops.new("boss", role="supervisor", team="north")
    other = laptops.new("other", role="supervisor", team="south")
    uid = completed(rina)
    with SyncClient(rina) as c:
        c.sync()
    with api(server, boss) as c:
        assert c.get(f"/v1/assessments/{uid}").status_code == 200
        assert uid in {ch["id"] for ch in c.get("/v1/changes").json()["changes"]}
    with api(server, other) as c:
        assert c.get(f"/v1/assessments/{uid}").status_code == 404
        r = c.post(f"/v1/assessments/{uid}/review", json={"decision": "approve"})
        assert r.status_code == 404


def test_a_revoked_device_is_refused(server, laptops):
    rina = laptops.new("rina")
    device = rina.sync_settings()["device_id"]
    server.admin.revoke_device(device)
    with pytest.raises(SyncRejected) as err:
        with SyncClient(rina) as c:
            c.sync()
    assert err.value.code == "revoked" and "revoked" in str(err.value)
    assert rina.sync_summary()["last_error"].startswith("this device's access was revoked")


def test_codes_work_once_and_expire(server, laptops, tmp_path):
    from assessor_app.store import AssessmentStore
    code = server.code(laptops.user("ani"))
    a = AssessmentStore(tmp_path / "a")
    b = AssessmentStore(tmp_path / "b")
    try:
        enroll(a, server.url, code)
        with pytest.raises(SyncRejected, match="already used"):
            enroll(b, server.url, code)
        old = server.admin.issue_code(laptops.user("ani"), hours=-1)
        with pytest.raises(SyncRejected, match="expired"):
            enroll(b, server.url, old)
    finally:
        a.close()
        b.close()


def test_tokens_and_codes_are_stored_only_as_hashes(server, laptops):
    rina = laptops.new("rina")
    token = rina.sync_settings()["token"]
    code = server.code(laptops.user("rina"))
    with server.database.read() as c:
        rows = [tuple(r) for t in (db.devices, db.codes) for r in c.execute(sa.select(t))]
    text = json.dumps(rows, default=str)
    assert token not in text and code not in text and code.replace("-", "") not in text
    from assessor_app.server.auth import digest
    assert digest(token) in text


def test_malformed_and_oversized_payloads_are_refused_and_nothing_is_stored(server, laptops):
    rina = laptops.new("rina")
    uid = completed(rina)
    body = doc_bytes(rina, uid)
    before = _counts(server)
    with api(server, rina) as c:
        upload_all(c, rina, body)
        r = put(c, uid, 1, body[:-20])
        assert r.status_code == 422 and "not valid JSON" in r.json()["message"]
        doc = json.loads(body)
        doc["score"]["total"] = 99.0
        from assessor_app.exchange import content_hash
        doc["content_hash"] = content_hash(doc)
        r = put(c, uid, 1, json.dumps(doc).encode())
        assert r.status_code == 422 and "inconsistent" in r.json()["message"]
        doc = json.loads(body)
        doc["answers"][0]["value"] = "banana"
        r = put(c, uid, 1, json.dumps(doc).encode())
        assert r.status_code == 422 and "content_hash" in r.json()["message"]
        r = put(c, uid, 1, b"{" + b" " * (17 * 1024 * 1024) + b"}")
        assert r.status_code == 413 and r.json()["error"] == "too_large"
        r = c.patch(f"/v1/uploads/{'a' * 64}", params={"size": 10**9},
                    headers={"Upload-Offset": "0"}, content=b"x")
        assert r.status_code == 413
        r = c.patch("/v1/uploads/../../etc", params={"size": 1}, headers={"Upload-Offset": "0"},
                    content=b"x")
        assert r.status_code in (404, 422)
        r = c.post("/v1/blobs/missing", json={"hashes": ["not-a-hash"]})
        assert r.status_code == 422 and r.json()["error"] == "invalid"
    assert _counts(server) == before


def test_no_token_or_unknown_token_is_refused(server):
    from .raw import api as raw_api
    with raw_api(server) as c:
        assert c.get("/v1/changes").status_code == 401
    with raw_api(server, token="made-up") as c:
        assert c.get("/v1/changes").json()["error"] == "unauthorized"


def test_enrolment_is_rate_limited(tmp_path):
    proc = ServerProcess(tmp_path, "sqlite", env={"ASSESSOR_ENROL_RATE": "3"})
    try:
        from .raw import api as raw_api
        with raw_api(proc) as c:
            answers = [c.post("/v1/devices/enroll", json={"code": f"WRONG-{i}", "device_name": "x",
                                                          "nonce": "n" * 20}).status_code
                       for i in range(5)]
        assert answers[:3] == [400, 400, 400] and answers[3:] == [429, 429]
    finally:
        proc.stop()


def test_a_captive_portal_page_is_not_taken_for_success(server, laptops):
    from .faultproxy import FaultProxy
    rina = laptops.new("rina")
    completed(rina)
    proxy = FaultProxy(server.port, rate=1.0, faults=("portal",))
    try:
        rina.set_setting("sync.server", proxy.url)
        with pytest.raises(SyncUnavailable, match="web page answered"):
            with SyncClient(rina, max_time=1.0) as c:
                c.sync()
    finally:
        proxy.close()
    assert rina.sync_summary()["waiting"] == 1
