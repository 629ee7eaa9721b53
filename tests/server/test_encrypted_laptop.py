"""An encrypted laptop syncs like a plain one (photos are decrypted for upload only), and a
laptop restored from a backup syncs idempotently: content the server already holds is adopted,
never sent again as a second revision."""

from assessor_app import vault
from assessor_app.encryption import backup, encrypt_folder, restore
from assessor_app.evidence.files import read_evidence
from assessor_app.store import AssessmentStore
from assessor_app.sync import SyncClient

from .conftest import completed
from .test_protocol import _revisions

PASS = "laptop at rest passphrase"


def test_restored_laptop_syncs_idempotently(server, laptops, tmp_path):
    store = laptops.new("rina")
    uid = completed(store)
    data = store.data_dir
    photos = [e["sha256"] for e in store.get(uid).evidence]
    laptops.stores.remove(store)
    store.close()
    encrypt_folder(data, PASS)
    try:
        backup(data, tmp_path / "before-sync.backup")
        with AssessmentStore(data) as laptop, SyncClient(laptop) as client:
            first = client.sync()
            assert first.pushed == [uid] and first.files >= 1
        for sha in photos:   # the server got the photos themselves, not the sealed files
            assert read_evidence(server.data / "blobs", sha)
        backup(data, tmp_path / "after-sync.backup")
        for name in ("before-sync", "after-sync"):
            target = tmp_path / f"restored-{name}"
            restore(tmp_path / f"{name}.backup", target, PASS)
            with AssessmentStore(target) as laptop, SyncClient(laptop) as client:
                report = client.sync()
                again = client.sync()
                assert laptop.get(uid).status == "submitted" and laptop.verify_history(uid).ok
            # even the copy from before the sync recognises its content on the server
            assert report.pushed == [] and report.files == 0
            assert again.pushed == [] and again.files == 0
            assert len(_revisions(server, uid)) == 1       # the same revision, never a second
            vault.lock(target)
    finally:
        vault.lock(data)
