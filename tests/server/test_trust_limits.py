"""Issue 15, limits that hold before the server reads or parses a body, error answers in one
form and language, bounded numbers, file modes, the device quota and ``assessor-server gc``."""

import json
import os
import socket
import stat
import time

import httpx
import pytest

from assessor_app.sync import SyncClient

from .conftest import completed
from .raw import api, doc_bytes, put
from .serverproc import ServerProcess, run_cli


def _raw_request(server, head: str, body: bytes = b"", timeout: float = 5.0) -> tuple[int, dict]:
    """Send ``head`` (request line + headers) and ``body`` on a bare socket; the status and
    JSON answer. A server that waits for the rest of a declared body times out here."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        head_part, _, rest = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head_part.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(rest) < length:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
    return int(head_part.split()[1]), json.loads(rest or b"{}")


@pytest.mark.parametrize("path", ["/v1/devices/enroll", "/v1/blobs/missing",
                                  f"/v1/assessments/{'0' * 8}-0000-4000-8000-{'0' * 12}/comments"])
def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(server, laptops, path):
    rina = laptops.new("rina")
    token = rina.sync_settings()["token"]
    started = time.monotonic()
    status, answer = _raw_request(server, f"POST {path} HTTP/1.1\nHost: x\nAssessor-Protocol: 1\n"
                                          f"Authorization: Bearer {token}\n"
                                          f"Content-Type: application/json\n"
                                          f"Content-Length: 200000000\n")
    assert status == 413 and answer["error"] == "too_large", answer
    assert time.monotonic() - started < 5


def test_a_chunked_body_is_read_only_up_to_the_limit(server, laptops):
    rina = laptops.new("rina")

    def big():
        yield b'{"hashes": ["'
        for _ in range(40):
            yield b"a" * 65536
        yield b'"]}'
    with api(server, rina) as c:
        r = c.post("/v1/blobs/missing", content=big(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and r.json()["error"] == "too_large"
        r = c.post("/v1/blobs/missing", content=iter([b'{"hashes": []}']),
                   headers={"Content-Type": "application/json"})
        assert r.status_code == 200 and r.json() == {"missing": []}


def test_unknown_routes_and_methods_answer_in_the_error_form(server):
    with httpx.Client(base_url=server.url, timeout=10) as c:
        r = c.get("/v1/nothing-here")
        assert r.status_code == 404 and r.json()["error"] == "not_found" and r.json()["message"]
        r = c.delete("/v1/meta")
        assert r.status_code == 405 and r.json()["error"] == "method_not_allowed"
        assert "DELETE" in r.json()["message"]


@pytest.mark.parametrize("where", ["rev", "base_rev", "cursor", "rev31"])
def test_huge_revision_numbers_get_a_clear_refusal(server, laptops, where):
    rina = laptops.new("rina")
    uid = completed(rina)
    body = doc_bytes(rina, uid)
    with api(server, rina) as c:
        if where == "cursor":
            r = c.get("/v1/changes", params={"cursor": 2**63})
        elif where == "rev":
            r = put(c, uid, 2**63, body)
        elif where == "rev31":
            r = put(c, uid, 2**31, body)
        else:
            r = put(c, uid, 5, body, base=2**63)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "invalid" and "less than or equal" in r.json()["message"]


def test_the_data_folder_database_and_files_are_private(server, laptops):
    rina = laptops.new("rina")
    uid = completed(rina)
    with SyncClient(rina) as c:
        c.sync()
    sha = rina.get(uid).evidence[-1]["sha256"]

    def mode(p):
        return stat.S_IMODE(os.stat(p).st_mode)
    data = server.data
    assert mode(data) == 0o700 and mode(data / "blobs") == 0o700
    assert mode(data / "uploads") == 0o700 and mode(data / "config.json") == 0o600
    if server.backend == "sqlite":
        assert mode(data / "server.db") == 0o600
    blob = data / "blobs" / sha[:2] / sha
    assert mode(blob) == 0o600 and mode(blob.parent) == 0o700


def _upload(client, data: bytes, offset=0, size=None):
    import hashlib
    sha = hashlib.sha256(data).hexdigest()
    r = client.patch(f"/v1/uploads/{sha}", params={"size": size or len(data)},
                     headers={"Upload-Offset": str(offset)}, content=data)
    return sha, r


def _english_answers(proc, store) -> None:
    """The server answers in English even when its machine's language is Indonesian (the
    laptop translates by error code)."""
    uid = completed(store, photos=0)
    doc = json.loads(doc_bytes(store, uid))
    doc["template"]["hash"] = "0" * 64
    from assessor_app.exchange import content_hash
    doc["content_hash"] = content_hash(doc)
    with api(proc, store) as c:
        r = put(c, uid, 1, json.dumps(doc).encode())
    assert r.status_code == 422
    assert "the embedded template does not match" in r.json()["message"], r.text


def test_device_quota_partial_uploads_and_gc(server, tmp_path):
    """Also: answers in English on a server whose language is Indonesian."""
    proc = ServerProcess(tmp_path, server.backend, env={"ASSESSOR_DEVICE_QUOTA_MB": "0.1",
                                                        "ASSESSOR_LANG": "id"})
    try:
        from assessor_app.store import AssessmentStore
        from assessor_app.sync import enroll
        from .conftest import MINI
        proc.admin.publish_template(MINI)
        store = AssessmentStore(tmp_path / "laptop", actor="ani")
        store.import_template(MINI)
        enroll(store, proc.url, proc.code("ani"))
        _english_answers(proc, store)
        with api(proc, store) as c:
            shas = []
            for i in range(2):
                sha, r = _upload(c, os.urandom(40_000))
                assert r.status_code == 200 and r.json()["complete"], r.text
                shas.append(sha)
            _sha, r = _upload(c, os.urandom(40_000))
            assert r.status_code == 413 and r.json()["error"] == "quota", r.text
            half, r = _upload(c, os.urandom(10_000), size=20_000)
            assert r.status_code == 200 and r.json() == {"offset": 10_000, "complete": False}
        assert list((proc.data / "uploads").glob("*.part"))
        run = run_cli("gc", "--grace-hours", "0", data=proc.data)
        result = json.loads(run.stdout)
        assert result["parts_removed"] == 1 and result["files_removed"] == 2, result
        assert not list((proc.data / "uploads").glob("*.part"))
        blobs = proc.data / "blobs"
        assert not any((blobs / s[:2] / s).exists() for s in shas)
        # work that references its files is kept by gc and does not count against the quota
        uid = completed(store)
        with SyncClient(store) as s:
            s.sync()
        kept = store.get(uid).evidence[-1]["sha256"]
        result = json.loads(run_cli("gc", "--grace-hours", "0", data=proc.data).stdout)
        assert result["files_removed"] == 0 and result["files_kept"] >= 2
        assert (blobs / kept[:2] / kept).exists()
        with api(proc, store) as c:
            assert c.get(f"/v1/blobs/{kept}").status_code == 200
            for i in range(2):
                _sha, r = _upload(c, os.urandom(40_000))
                assert r.status_code == 200, r.text
        store.close()
    finally:
        proc.stop()


def test_enrolment_limit_is_checked_before_parsing_and_ignores_forwarded_for(tmp_path):
    proc = ServerProcess(tmp_path, "sqlite", env={"ASSESSOR_ENROL_RATE": "2"})
    try:
        with httpx.Client(base_url=proc.url, headers={"Assessor-Protocol": "1"}, timeout=10) as c:
            answers = [c.post("/v1/devices/enroll", json={"code": f"WRONG-{i}", "device_name": "x",
                                                          "nonce": "n" * 20},
                              headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
                       for i in range(4)]
            assert answers == [400, 400, 429, 429]
            r = c.post("/v1/devices/enroll", content=b"{not json",
                       headers={"Content-Type": "application/json"})
            assert r.status_code == 429 and r.json()["error"] == "rate_limited"
    finally:
        proc.stop()


def test_a_named_proxy_is_believed(tmp_path):
    proc = ServerProcess(tmp_path, "sqlite", env={"ASSESSOR_ENROL_RATE": "2",
                                                  "ASSESSOR_TRUSTED_PROXIES": "127.0.0.1"})
    try:
        with httpx.Client(base_url=proc.url, headers={"Assessor-Protocol": "1"}, timeout=10) as c:
            def attempt(client_ip):
                return c.post("/v1/devices/enroll", json={"code": "WRONG", "device_name": "x",
                                                          "nonce": "n" * 20},
                              headers={"X-Forwarded-For": client_ip}).status_code
            assert [attempt("10.0.0.1") for _ in range(3)] == [400, 400, 429]
            assert attempt("10.0.0.2") == 400      # another client behind the same proxy
    finally:
        proc.stop()
