"""Issue 15, the administrator's commands: each acts on exactly what it names, and a person can
be deactivated, moved to another team or role, and an unused code withdrawn."""

import json
import os
import subprocess
import sys

import pytest

from assessor_app.errors import UserError
from assessor_app.sync import SyncClient, enroll
from assessor_app.sync.errors import SyncRejected

from .conftest import completed
from .raw import api
from .serverproc import run_cli


def _active(server) -> set[str]:
    return {d["id"] for d in server.admin.list_devices() if not d["revoked_at"]}


def test_device_revoke_acts_only_on_exactly_one_match(server, laptops):
    a, b = laptops.new("ani"), laptops.new("bob")
    ids = [s.sync_settings()["device_id"] for s in (a, b)]
    before = _active(server)
    for pattern in ("", "   ", "%", "_", "%%%%", ids[0][:8].replace(ids[0][3], "_")):
        run = run_cli("device", "revoke", pattern, data=server.data, check=False)
        assert run.returncode == 2, (pattern, run.stdout, run.stderr)
        assert "nothing was revoked" in run.stderr or "give the device id" in run.stderr
        assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
        assert _active(server) == before, pattern
    run = run_cli("device", "revoke", ids[0][:13], data=server.data)
    assert run.stdout.strip() == f"revoked {ids[0]}"
    assert _active(server) == before - {ids[0]}
    with pytest.raises(UserError, match="0 active devices"):
        server.admin.revoke_device(ids[0])


def test_data_before_the_command_is_honoured(server, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ASSESSOR_SERVER_DATA"}
    run = subprocess.run([sys.executable, "-m", "assessor_app.server.cli", "--data",
                          str(server.data), "user", "list", "--json"], capture_output=True,
                         text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    assert isinstance(json.loads(run.stdout), list)
    assert not (tmp_path / "assessor-server-data").exists()


def test_a_deactivated_user_can_neither_enrol_nor_sync(server, laptops, tmp_path):
    from assessor_app.store import AssessmentStore
    rina = laptops.new("rina")
    spare = server.admin.issue_code(laptops.user("rina"))
    run_cli("user", "deactivate", laptops.user("rina"), data=server.data)
    with pytest.raises(SyncRejected) as err:
        with SyncClient(rina) as c:
            c.sync()
    assert err.value.code == "revoked"
    other = AssessmentStore(tmp_path / "other")
    try:
        with pytest.raises(SyncRejected) as err:
            enroll(other, server.url, spare)
        assert err.value.code == "bad_code"
        assert "deactivated" in err.value.data.get("message", str(err.value))
    finally:
        other.close()
    run_cli("user", "activate", laptops.user("rina"), data=server.data)
    with SyncClient(rina) as c:
        c.sync()


def test_an_unused_code_can_be_withdrawn(server, laptops, tmp_path):
    from assessor_app.store import AssessmentStore
    code = server.code(laptops.user("ani"))
    run = run_cli("code-withdraw", code, data=server.data)
    assert run.stdout.strip() == "withdrawn: 1"
    again = run_cli("code-withdraw", code, data=server.data, check=False)
    assert again.returncode == 2 and "nothing was withdrawn" in again.stderr
    store = AssessmentStore(tmp_path / "a")
    try:
        with pytest.raises(SyncRejected, match="not valid"):
            enroll(store, server.url, code)
        codes = [server.admin.issue_code(laptops.user("ani")) for _ in range(2)]
        run = run_cli("code-withdraw", "--user", laptops.user("ani"), data=server.data)
        assert run.stdout.strip() == "withdrawn: 2"
        with pytest.raises(SyncRejected, match="not valid"):
            enroll(store, server.url, codes[1])
    finally:
        store.close()


def test_moving_a_user_to_another_team_moves_who_sees_the_work(server, laptops):
    rina = laptops.new("rina", team="north")
    north = laptops.new("nboss", role="supervisor", team="north")
    south = laptops.new("sboss", role="supervisor", team="south")
    uid = completed(rina)
    with SyncClient(rina) as c:
        c.sync()
    run = run_cli("user", "set", laptops.user("rina"), "--team", "south", data=server.data)
    assert json.loads(run.stdout)["team"] == "south"
    with api(server, north) as c:
        assert c.get(f"/v1/assessments/{uid}").status_code == 404
        assert uid not in {ch["id"] for ch in c.get("/v1/changes").json()["changes"]}
    with api(server, south) as c:
        assert c.get(f"/v1/assessments/{uid}").status_code == 200
        assert uid in {ch["id"] for ch in c.get("/v1/changes").json()["changes"]}
    run_cli("user", "set", laptops.user("nboss"), "--role", "inspector", data=server.data)
    with api(server, north) as c:
        r = c.post(f"/v1/assessments/{uid}/review", json={"decision": "approve"})
        assert r.status_code in (403, 404)
    bad = run_cli("user", "set", laptops.user("rina"), "--role", "boss", data=server.data,
                  check=False)
    assert bad.returncode == 2


def test_device_list_shows_when_each_device_was_last_seen(server, laptops):
    rina = laptops.new("rina")
    device = rina.sync_settings()["device_id"]
    with SyncClient(rina) as c:
        c.sync()
    run = run_cli("device", "list", "--json", data=server.data)
    row = next(d for d in json.loads(run.stdout) if d["id"] == device)
    assert row["last_seen"] and row["last_seen"][:4] == "20" + row["last_seen"][2:4]
