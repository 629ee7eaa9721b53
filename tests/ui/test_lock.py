"""The desktop app on an encrypted data folder: asks for the passphrase at start, locks after
idle time, and shows photos read through the one evidence-reading function."""

import pytest

from assessor_app import vault
from assessor_app.demo import demo_photo
from assessor_app.encryption import encrypt_folder
from assessor_app.evidence.files import evidence_path
from assessor_app.store import AssessmentStore

PASS = "lock test passphrase"
MINI = __import__("pathlib").Path(__file__).resolve().parent.parent / "fixtures" / "templates" / "mini.yaml"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ASSESSOR_PASSPHRASE", raising=False)
    data = tmp_path / "data"
    with AssessmentStore(data) as store:
        store.import_template(MINI)
        for key, value in (("first_run_done", True), ("inspector_name", "Rina"), ("language", "en")):
            store.set_setting(key, value)
        uid = store.create_assessment("mini", unit={"unit": "Kantor Rahasia"})
        _link, info = store.add_photo(uid, "a1", demo_photo("papan", 1))
    encrypt_folder(data, PASS)
    vault.lock(data)
    yield data, info.sha256
    vault.lock(data)


def _app(qtbot, data, answers):
    from ui.app import Application
    from ui.dialogs import ScriptedDialogs
    asked = []

    def prompt(message):
        asked.append(message)
        return answers.pop(0) if answers else None
    app = Application(data, inline=True, dialogs=ScriptedDialogs(data), prompt=prompt)
    qtbot.addWidget(app.window)
    return app, asked


def test_start_asks_until_the_passphrase_is_right(qtbot, folder):
    data, sha = folder
    app, asked = _app(qtbot, data, ["wrong passphrase", PASS])
    assert len(asked) == 2 and "Wrong passphrase" in asked[1]
    assert app.store.list_assessments()[0]["unit"] == "Kantor Rahasia"
    from ui.widgets.evidence import load_pixmap
    pixmap = load_pixmap(evidence_path(app.store.evidence_dir, sha), 64)
    assert not pixmap.isNull() and max(pixmap.width(), pixmap.height()) == 64
    app.window.close()
    app.store.close()


def test_cancel_keeps_the_folder_closed(qtbot, folder):
    from ui.app import Cancelled
    data, _sha = folder
    with pytest.raises(Cancelled):
        _app(qtbot, data, [])
    assert vault.key_for(data) is None


def test_idle_time_locks_and_the_passphrase_unlocks(qtbot, folder):
    data, _sha = folder
    answers = [PASS]
    app, asked = _app(qtbot, data, answers)
    now = [1000.0]
    lock = app.idle_lock
    lock.clock = lambda: now[0]
    lock.last = now[0]
    assert lock.minutes == 10 and lock.timer.isActive()
    app.window.show()
    now[0] += 9 * 60
    lock.check()
    assert app.window.isVisible() and vault.key_for(data) is not None
    seen_locked = []
    answers.append(PASS)
    lock.prompt = lambda message: (seen_locked.append((app.window.isVisible(),
                                                       vault.key_for(data))), answers.pop(0))[1]
    now[0] += 2 * 60
    lock.check()
    assert seen_locked == [(False, None)]           # hidden and the key forgotten while asking
    assert app.window.isVisible() and vault.key_for(data) is not None and not lock.locked
    gave_up = []
    lock.on_give_up = lambda: gave_up.append(True)
    lock.prompt = lambda message: None
    now[0] += 11 * 60
    lock.check()
    assert gave_up == [True] and not app.window.isVisible() and vault.key_for(data) is None
    app.window.close()
    app.store.close()


def test_settings_show_encryption_and_set_the_lock_time(qtbot, folder):
    from ui.settings_dialog import SettingsDialog
    data, _sha = folder
    app, _asked = _app(qtbot, data, [PASS])
    dialog = SettingsDialog(app.ctx, app.window)
    qtbot.addWidget(dialog)
    assert dialog.encrypted and dialog.lock_minutes.isEnabled() and dialog.lock_minutes.value() == 10
    dialog.lock_minutes.setValue(0)
    dialog.save()
    assert app.store.get_setting("lock_after_minutes") == 0
    now = [0.0]
    app.idle_lock.clock = lambda: now[0]
    app.idle_lock.last = 0.0
    now[0] = 3600.0
    app.idle_lock.check()                   # "never": an hour idle does not lock
    assert not app.idle_lock.locked and vault.key_for(data) is not None
    app.window.close()
    app.store.close()


def test_settings_on_a_plain_folder_offer_encryption(make_app):
    from ui.settings_dialog import SettingsDialog
    app = make_app()
    dialog = SettingsDialog(app.ctx, app.window)
    assert not dialog.encrypted and not dialog.lock_minutes.isEnabled()
    assert not app.idle_lock.timer.isActive()


def test_imported_unverified_status_is_shown_in_the_checklist(make_app, tmp_path):
    import json
    import sys
    import zipfile
    sys.path.insert(0, str(MINI.parent.parent.parent))
    from helpers import filled_mini, mini_store
    from assessor_app.exchange import content_hash, import_exchange, write_exchange
    source = mini_store(tmp_path / "src")
    uid = filled_mini(source)
    write_exchange(source, uid, tmp_path / "x.zip")
    source.close()
    with zipfile.ZipFile(tmp_path / "x.zip") as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    doc = json.loads(members["assessment.json"])
    doc["assessment"]["status"] = "approved"
    doc["content_hash"] = content_hash(doc)
    members["assessment.json"] = json.dumps(doc).encode()
    with zipfile.ZipFile(tmp_path / "forged.zip", "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    app = make_app()
    import_exchange(app.store, tmp_path / "forged.zip")
    page = app.window.open_assessment(uid)
    app.runner.wait()
    assert not page.header.unverified.isHidden()
    assert "forged.zip" in page.header.unverified.text()
    mine = app.store.create_assessment("mini", unit={"unit": "Sendiri"})
    page = app.window.open_assessment(mine)
    assert page.header.unverified.isHidden()
