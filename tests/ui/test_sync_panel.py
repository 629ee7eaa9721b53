"""The Sync panel against a real server process on 127.0.0.1 (pytest-qt)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessor_app.store import AssessmentStore  # noqa: E402
from server.conftest import completed  # noqa: E402
from server.serverproc import ServerProcess, free_port  # noqa: E402
from ui.sync_panel import SyncPanel, sync_state_text  # noqa: E402

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "templates" / "mini.yaml"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("ui-srv"), "sqlite")
    proc.admin.publish_template(MINI)
    yield proc
    proc.stop()


def test_enrol_sync_and_show_progress_and_state(qtbot, server, tmp_path):
    data = tmp_path / "laptop"
    with AssessmentStore(data, actor="rina") as store:
        store.import_template(MINI)
        completed(store)
    assert sync_state_text(data) == "not connected to a server"
    panel = SyncPanel(data)
    qtbot.addWidget(panel)
    assert not panel.sync_button.isEnabled()
    panel.server.setText(server.url)
    panel.code.setText(server.code("rina-ui"))
    with qtbot.waitSignal(panel.finished, timeout=20000):
        panel.enroll_button.click()
    assert "Connected as rina-ui" in panel.status.text()
    assert panel.sync_button.isEnabled() and not panel.code.isEnabled()
    assert sync_state_text(data) == "1 waiting"
    with qtbot.waitSignal(panel.finished, timeout=30000):
        panel.sync_button.click()
    assert "Sent 1 assessment(s)" in panel.status.text()
    assert panel.items.value() == 1 and "MB of photos" in panel.bytes.text()
    assert "never" not in panel.last.text()
    assert sync_state_text(data) == "up to date"


def test_a_failure_is_shown_in_plain_words(qtbot, server, tmp_path):
    data = tmp_path / "laptop"
    with AssessmentStore(data, actor="ani") as store:
        store.import_template(MINI)
        from assessor_app.sync import enroll
        enroll(store, server.url, server.code("ani-ui"))
        store.set_setting("sync.server", f"http://127.0.0.1:{free_port()}")   # nobody there
        completed(store)
    panel = SyncPanel(data, max_time=1.0)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.finished, timeout=30000):
        panel.start_sync()
    assert panel.status.text().startswith("Sync failed: sync stopped: cannot connect")
    assert "Traceback" not in panel.status.text()
    assert sync_state_text(data).startswith("failed: sync stopped")
