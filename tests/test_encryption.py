"""The laptop at rest (issue 15): an encrypted data folder gives nothing away without its
passphrase, stays fully usable with it, and backs up and restores whole."""

import hashlib
import json
import shutil
import sqlite3
import subprocess
import zipfile

import pytest

from assessor_app import vault
from assessor_app.cli import main
from assessor_app.encryption import backup, encrypt_folder, restore
from assessor_app.errors import UserError
from assessor_app.evidence.files import read_evidence
from assessor_app.exchange import export_document, write_exchange
from assessor_app.store import AssessmentStore

from helpers import filled_mini, mini_store

PASS = "correct horse battery"


def files_state(folder):
    """Name -> SHA-256 of every file in a folder (to prove nothing changed)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def summary(data):
    """What a person would compare after a restore: documents, history chains, scores."""
    with AssessmentStore(data) as store:
        out = {}
        for row in store.list_assessments():
            uid = row["uuid"]
            doc = export_document(store, uid)
            doc.pop("exported_at")
            check = store.verify_history(uid)
            assert check.ok, check.problem
            out[uid] = (doc, [h["hash"] for h in store.history(uid)], store.score(uid).total)
        return out


@pytest.fixture
def plain(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    photos = {e["sha256"]: read_evidence(store.evidence_dir, e["sha256"])
              for e in store.get(uid).evidence + store.get(uid).signatures}
    store.close()
    return tmp_path / "data", uid, photos


@pytest.fixture
def encrypted(plain):
    data, uid, photos = plain
    before = summary(data)
    result = encrypt_folder(data, PASS)
    assert result["evidence"] == len(photos) and result["backup"]
    yield data, uid, photos, before
    vault.lock(data)


def cli(capsys, *args, env=None, monkeypatch=None):
    code = main(["--lang", "en", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_database_and_photos_are_unreadable_without_the_key(encrypted):
    data, uid, photos, _before = encrypted
    db = data / "assessor.db"
    assert not db.read_bytes().startswith(b"SQLite format 3")
    if shutil.which("sqlite3"):
        proc = subprocess.run(["sqlite3", str(db), ".tables"], capture_output=True, text=True)
        assert proc.returncode != 0 and "not a database" in proc.stderr
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT * FROM sqlite_master").fetchall()
    everything = b"".join(p.read_bytes() for p in data.rglob("*") if p.is_file())
    for sha, photo in photos.items():
        assert hashlib.sha256(photo).hexdigest() == sha
        for start in range(0, len(photo) - 64, max(1, len(photo) // 16)):
            assert photo[start:start + 64] not in everything     # in no file of the folder
    assert b"Kantor Contoh" not in everything and b"papan informasi" not in everything
    assert (data / "key.json").stat().st_mode & 0o077 == 0
    assert (db.stat().st_mode & 0o077) == 0


def test_the_encrypted_folder_works_as_before(encrypted, tmp_path):
    data, uid, photos, before = encrypted
    assert summary(data) == before
    with AssessmentStore(data) as store:
        store.set_answer(uid, "a1", "yes")
        assert store.get(uid).answers[("a1", 0)] == "yes"
        for sha, photo in photos.items():
            assert read_evidence(store.evidence_dir, sha) == photo
        write_exchange(store, uid, tmp_path / "out.zip")          # export reads the photos
    with zipfile.ZipFile(tmp_path / "out.zip") as zf:
        assert {zf.read(f"evidence/{s}") for s in photos} == set(photos.values())


def test_locked_folder_and_wrong_passphrase_change_nothing(encrypted, capsys, monkeypatch,
                                                           tmp_path):
    data, uid, _photos, _before = encrypted
    vault.lock(data)
    state = files_state(data)
    monkeypatch.delenv("ASSESSOR_PASSPHRASE", raising=False)
    with pytest.raises(vault.Locked):
        AssessmentStore(data)
    code, _out, err = cli(capsys, "--data-dir", str(data), "assessments", "list")
    assert code == 2 and "is encrypted" in err and len(err.strip().splitlines()) == 1
    monkeypatch.setenv("ASSESSOR_PASSPHRASE", "not the passphrase")
    for args in (["assessments", "list"], ["assessments", "answer", uid[:8], "a2", "no"],
                 ["backup", "--out", str(tmp_path / "b.zip")]):
        code, _out, err = cli(capsys, "--data-dir", str(data), *args)
        assert code == 2 and err.startswith("assessor: wrong passphrase"), err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert files_state(data) == state and not (tmp_path / "b.zip").exists()
    good = tmp_path / "pass.txt"
    good.write_text(PASS + "\n")
    monkeypatch.delenv("ASSESSOR_PASSPHRASE")
    code, out, _err = cli(capsys, "--data-dir", str(data), "--passphrase-file", str(good),
                          "assessments", "list", "--json")
    assert code == 0 and json.loads(out)[0]["uuid"] == uid


def test_change_passphrase_does_not_reencrypt(encrypted):
    data, uid, _photos, before = encrypted
    vault.lock(data)
    untouched = {k: v for k, v in files_state(data).items() if k != "key.json"}
    with pytest.raises(vault.WrongPassphrase):
        vault.change_passphrase(data, "wrong one!", "new passphrase 2")
    vault.change_passphrase(data, PASS, "new passphrase 2")
    assert {k: v for k, v in files_state(data).items() if k != "key.json"} == untouched
    with pytest.raises(vault.WrongPassphrase):
        vault.unlock(data, PASS)
    vault.unlock(data, "new passphrase 2")
    assert summary(data) == before


def test_backup_then_restore_gives_the_same_folder(encrypted, tmp_path, capsys, monkeypatch):
    data, uid, photos, before = encrypted
    monkeypatch.setenv("ASSESSOR_PASSPHRASE", PASS)
    with AssessmentStore(data) as live:        # the app keeps running during the backup
        live.set_note(uid, "a2", "written before the backup")
        code, _out, err = cli(capsys, "--data-dir", str(data), "backup", "--out",
                              str(tmp_path / "laptop.backup"))
        assert code == 0, err
        live.set_note(uid, "a2", "written after the backup")
    raw = (tmp_path / "laptop.backup").read_bytes()
    assert b"written before" not in raw and all(p[:4096] not in raw for p in photos.values())
    target = tmp_path / "restored"
    monkeypatch.setenv("ASSESSOR_PASSPHRASE", "wrong passphrase")
    code, _out, err = cli(capsys, "--data-dir", str(target), "restore",
                          str(tmp_path / "laptop.backup"))
    assert code == 2 and "wrong passphrase" in err and not any(target.iterdir())
    monkeypatch.setenv("ASSESSOR_PASSPHRASE", PASS)
    code, out, err = cli(capsys, "--data-dir", str(target), "restore",
                         str(tmp_path / "laptop.backup"))
    assert code == 0 and "restored 1 assessments" in out, err
    got = summary(target)
    with AssessmentStore(target) as store:
        assert store.get(uid).item_notes[("a2", 0)] == "written before the backup"
        for sha, photo in photos.items():
            assert read_evidence(store.evidence_dir, sha) == photo
    assert got[uid][2] == before[uid][2]                       # same score
    assert got[uid][1][:len(before[uid][1])] == before[uid][1]  # the same chain, one entry on
    code, _out, err = cli(capsys, "--data-dir", str(target), "restore",
                          str(tmp_path / "laptop.backup"))
    assert code == 2 and "not empty" in err


def test_backup_of_a_plain_folder_is_encrypted(plain, tmp_path):
    data, uid, photos = plain
    before = summary(data)
    with pytest.raises(vault.Locked):
        backup(data, tmp_path / "b.zip")
    backup(data, tmp_path / "b.zip", PASS)
    raw = (tmp_path / "b.zip").read_bytes()
    assert all(p[100:300] not in raw for p in photos.values()) and b"Kantor Contoh" not in raw
    restore(tmp_path / "b.zip", tmp_path / "r", PASS)
    assert summary(tmp_path / "r").keys() == before.keys()
    assert summary(tmp_path / "r")[uid][2] == before[uid][2]
    assert not vault.is_encrypted(data)            # the source folder is left plain


def test_restore_refuses_foreign_members(tmp_path):
    bad = tmp_path / "bad.backup"
    with zipfile.ZipFile(bad, "w") as zf:
        for name in ("backup.json", "key.json", "assessor.db", "../../evil"):
            zf.writestr(name, "{}")
    with pytest.raises(UserError, match="not an Assessor backup"):
        restore(bad, tmp_path / "r", PASS)
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())


def test_interrupted_encryption_is_finished_at_next_open(plain):
    data, uid, photos = plain
    before = summary(data)
    key = vault.create(data, PASS)               # the key file was written, then the power went
    vault.lock(data)
    vault.unlock(data, PASS)
    assert vault.key_for(data) == key
    with AssessmentStore(data) as store:         # the plain database is encrypted on open
        assert store.get(uid).unit["unit"] == "Kantor Contoh"
    assert not (data / "assessor.db").read_bytes().startswith(b"SQLite format 3")
    encrypt_folder(data, PASS)                   # running it again seals the photos
    assert all(p.read_bytes().startswith(vault.MAGIC) for p in (data / "evidence").rglob("*")
               if p.is_file())
    assert summary(data) == before
    vault.lock(data)


def test_new_photos_in_an_encrypted_folder_are_sealed(encrypted):
    from assessor_app.demo import demo_photo
    data, uid, _photos, _before = encrypted
    with AssessmentStore(data) as store:
        store.set_status  # noqa: B018 - the store opens with the registered key
        uid2 = store.create_assessment("mini", unit={"unit": "Lain"})
        _link, info = store.add_photo(uid2, "a1", demo_photo("baru", 3))
        blob = (store.evidence_dir / info.sha256[:2] / info.sha256).read_bytes()
        assert blob.startswith(vault.MAGIC)
        assert hashlib.sha256(read_evidence(store.evidence_dir, info.sha256)).hexdigest() == info.sha256


def test_keyring_remembers_the_key_and_is_optional(plain, monkeypatch):
    """With a keyring backend the folder unlocks without a passphrase; without one (a headless
    machine) --keyring degrades to the passphrase alone."""
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend
    from keyring.backends import fail

    class MemoryKeyring(KeyringBackend):
        priority = 1
        saved: dict = {}

        def get_password(self, service, username):
            return self.saved.get((service, username))

        def set_password(self, service, username, password):
            self.saved[(service, username)] = password

        def delete_password(self, service, username):
            self.saved.pop((service, username), None)

    data, uid, _photos = plain
    previous = keyring.get_keyring()
    try:
        keyring.set_keyring(fail.Keyring())
        assert not vault.keyring_available()
        keyring.set_keyring(MemoryKeyring())
        encrypt_folder(data, PASS, keyring=True)
        assert json.loads((data / "key.json").read_text())["keyring"] is True
        assert all(PASS not in v for v in MemoryKeyring.saved.values())
        vault.lock(data)
        with AssessmentStore(data) as store:             # no passphrase: the keyring's key
            assert store.get(uid).unit["unit"] == "Kantor Contoh"
        keyring.set_keyring(fail.Keyring())               # the keyring went away
        vault.lock(data)
        with pytest.raises(vault.Locked):
            AssessmentStore(data)
        vault.unlock(data, PASS)                          # the passphrase still works
    finally:
        keyring.set_keyring(previous)
        vault.lock(data)
