"""Guarantee 9: the same payloads as a file, with the same idempotency and integrity checks."""

import json
import zipfile

from assessor_app.sync import SyncClient
from assessor_app.sync.bundle import export_bundle

from .conftest import completed
from .serverproc import run_cli


def test_bundle_import_is_idempotent_checked_and_matches_a_later_online_sync(server, laptops,
                                                                             tmp_path):
    rina = laptops.new("rina")
    uid = completed(rina, photos=2)
    bundle = tmp_path / "usb.zip"
    assert [i["uuid"] for i in export_bundle(rina, bundle)["items"]] == [uid]

    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("blobs/"):
                data = data[:-1] + b"X"
            dst.writestr(info, data)
    before = server.admin.counts()
    run = run_cli("import-bundle", damaged, data=server.data, check=False)
    assert run.returncode == 2 and "damaged" in run.stderr
    assert server.admin.counts() == before

    first = json.loads(run_cli("import-bundle", bundle, "--json", data=server.data).stdout)
    again = json.loads(run_cli("import-bundle", bundle, "--json", data=server.data).stdout)
    assert [i["result"] for i in first["items"]] == ["stored"]
    assert [i["result"] for i in again["items"]] == ["already stored"]
    with SyncClient(rina) as c:                      # later online: recognised, not duplicated
        report = c.sync()
    assert report.pushed == [uid] and report.files == 0
    held = [r for r in server.admin.list_assessments() if r["uuid"] == uid]
    assert len(held) == 1 and held[0]["rev"] == 1 and held[0]["evidence_count"] == 3
    assert rina.get(uid).status == "submitted"
