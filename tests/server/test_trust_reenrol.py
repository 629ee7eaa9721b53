"""Issue 15: a laptop enrolled with another server (another address, or the same address with
another epoch) sends everything again; enrolling again with the same server changes nothing."""

import os
import subprocess
import sys

from assessor_app.sync import SyncClient, enroll

from .conftest import MINI, completed
from .serverproc import ServerProcess


def _held(proc, uid) -> int:
    return sum(1 for a in proc.admin.list_assessments() if a["uuid"] == uid)


def test_a_laptop_enrolled_with_another_server_sends_its_work_again(server, laptops, tmp_path):
    rina = laptops.new("rina")
    uid = completed(rina)
    with SyncClient(rina) as c:
        assert c.sync().pushed == [uid]
    other = ServerProcess(tmp_path / "other", server.backend)
    try:
        other.admin.publish_template(MINI)
        run = subprocess.run([sys.executable, "-m", "assessor_app", "--data-dir", str(rina.data_dir),
                              "enroll", other.url, other.code(laptops.user("rina"))],
                             capture_output=True, text=True, timeout=120,
                             env={**os.environ, "ASSESSOR_LANG": "en"})
        assert run.returncode == 0, run.stderr
        assert "enrolled with another server before" in run.stdout
        with SyncClient(rina) as c:
            report = c.sync()
        assert report.pushed == [uid] and _held(other, uid) == 1
        assert rina.sync_summary()["waiting"] == 0
        with SyncClient(rina) as c:
            assert c.sync().pushed == []
        # back to the first server: a different server again, sent again, stored once
        enroll(rina, server.url, server.code(laptops.user("rina")))
        with SyncClient(rina) as c:
            assert c.sync().pushed == [uid]
        assert _held(server, uid) == 1
    finally:
        other.stop()


def test_same_address_new_epoch_resends_and_same_server_is_a_no_op(server, laptops):
    rina = laptops.new("rina")
    uid = completed(rina)
    with SyncClient(rina) as c:
        c.sync()
    cursor = rina.sync_settings()["cursor"]
    enroll(rina, server.url, server.code(laptops.user("rina")))      # same server, same epoch
    assert rina.sync_settings()["cursor"] == cursor
    assert rina.sync_item(uid)["server_rev"] == 1 and rina.sync_summary()["waiting"] == 0
    with SyncClient(rina) as c:
        assert c.sync().pushed == []
    server.admin.new_epoch()          # the server was reinstalled at the same address
    enroll(rina, server.url, server.code(laptops.user("rina")))
    assert rina.sync_settings()["cursor"] == 0
    assert rina.sync_summary()["waiting"] == 1
    with SyncClient(rina) as c:
        assert c.sync().pushed == [uid]
    assert _held(server, uid) == 1
