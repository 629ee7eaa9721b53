"""Report-size photo copies stay on the laptop: sync pushes and pulls the photos only, and a
supervisor's laptop makes its own copy (the same bytes) when it first prints the photo."""

from assessor_app.evidence import read_evidence, read_report_copy, report_copy
from assessor_app.evidence.report_copy import SUFFIX, report_copy_path
from assessor_app.sync import SyncClient

from .conftest import completed


def test_sync_pushes_photos_not_their_report_copies(server, laptops):
    rina = laptops.new("rina")
    budi = laptops.new("budi", "supervisor")
    uid = completed(rina, photos=2)
    hashes = [e["sha256"] for e in rina.get(uid).evidence]
    assert len(hashes) == 3 and all(read_report_copy(rina.evidence_dir, h) for h in hashes)
    with SyncClient(rina) as client:
        assert client.sync().pushed == [uid]
    blobs = server.data / "blobs"
    names = {p.name for p in blobs.rglob("*") if p.is_file()}
    assert set(hashes) <= names and not [n for n in names if n.endswith(SUFFIX)]
    assert all(read_evidence(blobs, h) == read_evidence(rina.evidence_dir, h) for h in hashes)

    with SyncClient(budi) as client:                   # the supervisor pulls the team's work
        assert client.sync().downloaded >= 3
    for h in hashes:
        assert read_evidence(budi.evidence_dir, h) == read_evidence(rina.evidence_dir, h)
        assert not report_copy_path(budi.evidence_dir, h).exists()
        assert report_copy(budi.evidence_dir, h) == read_report_copy(rina.evidence_dir, h)
        assert report_copy_path(budi.evidence_dir, h).is_file()
    with SyncClient(budi) as client:
        client.sync()
    names = {p.name for p in blobs.rglob("*") if p.is_file()}
    assert not [n for n in names if n.endswith(SUFFIX)]
