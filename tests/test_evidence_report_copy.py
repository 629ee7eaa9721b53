"""Report-size photo copies: made at import, sealed in an encrypted folder, checked before use,
made again when missing or torn, deleted with their photo. Real files, real reports."""

from __future__ import annotations

import base64
import io
import sqlite3

import pikepdf
import pytest
from PIL import Image

from assessor_app import vault
from assessor_app.demo import demo_photo
from assessor_app.encryption import encrypt_folder
from assessor_app.evidence import read_evidence, read_report_copy, remove_evidence, report_copy
from assessor_app.evidence.files import evidence_path, import_photo, store_blob
from assessor_app.evidence.report_copy import (SUFFIX, make_report_copy, report_copy_path,
                                               write_report_copy)
from assessor_app.reports import build_report
from assessor_app.store import AssessmentStore

from helpers import filled_mini, mini_store

PASS = "correct horse battery"


def big_photo(seed: int = 0) -> bytes:
    """A 3000 x 2000 JPEG: stored at 2048 px, its report copy at 960 px."""
    im = Image.linear_gradient("L").resize((3000, 2000))
    rgb = Image.merge("RGB", (im, im.rotate(90 + seed).resize((3000, 2000)), im))
    buf = io.BytesIO()
    rgb.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def pdf_jpegs(pdf: bytes) -> list[bytes]:
    """The JPEG data of every photo drawn in a PDF (reportlab writes them ASCII85-wrapped)."""
    out = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                filters = obj.get("/Filter")
                filters = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
                if filters[-1] == "/DCTDecode":
                    raw = obj.read_raw_bytes()
                    if filters[0] == "/ASCII85Decode":
                        raw = base64.a85decode(raw.strip().removesuffix(b"~>"))
                    out.append(raw)
    return sorted(out)


def photo_hashes(store, uid) -> list[str]:
    return [e["sha256"] for e in store.get(uid).evidence]


# -- at import ---------------------------------------------------------------------------------

def test_an_imported_photo_gets_its_report_copy(tmp_path):
    store = tmp_path / "evidence"
    info = import_photo(big_photo(), store)
    path = report_copy_path(store, info.sha256)
    assert path == evidence_path(store, info.sha256).with_name(info.sha256 + SUFFIX)
    assert path.is_file()
    jpeg = read_report_copy(store, info.sha256)
    with Image.open(io.BytesIO(jpeg)) as im:
        assert im.format == "JPEG" and im.size == (960, 640)
    # the same bytes a report would make from the stored photo: reports do not depend on when
    # (or whether) the copy was made
    assert jpeg == make_report_copy(read_evidence(store, info.sha256))
    assert not list(store.rglob(".*.tmp"))


def test_files_that_come_in_through_sync_have_no_copy_until_a_report_needs_one(tmp_path):
    store = tmp_path / "evidence"
    source = tmp_path / "other"
    sha = import_photo(big_photo(3), source).sha256
    store_blob(store, read_evidence(source, sha), sha)      # as a pull or an exchange file does
    assert read_report_copy(store, sha) is None and not report_copy_path(store, sha).exists()
    assert report_copy(store, sha) == read_report_copy(source, sha)
    assert read_report_copy(store, sha) == read_report_copy(source, sha)   # now stored


@pytest.mark.parametrize("damage", ["truncated", "empty", "flipped", "other photo's copy"])
def test_a_torn_or_damaged_copy_is_not_used_and_is_made_again(tmp_path, damage):
    store = tmp_path / "evidence"
    sha = import_photo(big_photo(1), store).sha256
    other = import_photo(big_photo(2), store).sha256
    path = report_copy_path(store, sha)
    good = path.read_bytes()
    expected = read_report_copy(store, sha)
    if damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "flipped":
        path.write_bytes(good[:-100] + bytes([good[-100] ^ 1]) + good[-99:])
    else:
        path.write_bytes(report_copy_path(store, other).read_bytes())
    assert read_report_copy(store, sha) is None
    assert report_copy(store, sha) == expected
    assert path.read_bytes() == good                         # written again, whole
    path.write_bytes(good[:1000])
    import_photo(big_photo(1), store)                         # importing again also repairs it
    assert read_report_copy(store, sha) == expected


# -- in reports --------------------------------------------------------------------------------

def test_a_report_prints_the_stored_copies_and_the_same_without_them(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.add_photo(uid, "a2", big_photo(4), caption="Ruang tunggu")
    hashes = photo_hashes(store, uid)
    first = build_report(store, uid, lang="id")
    copies = sorted(read_report_copy(store.evidence_dir, h) for h in hashes)
    assert pdf_jpegs(first.pdf) == copies
    report_copy_path(store.evidence_dir, hashes[0]).unlink()              # missing
    torn = report_copy_path(store.evidence_dir, hashes[1])
    torn.write_bytes(torn.read_bytes()[:5000])                             # torn
    again = build_report(store, uid, lang="id")
    assert pdf_jpegs(again.pdf) == copies and again.pages == first.pages
    assert sorted(read_report_copy(store.evidence_dir, h) for h in hashes) == copies
    store.close()


# -- encrypted data folders --------------------------------------------------------------------

def test_copies_in_an_encrypted_folder_are_sealed_and_reports_print_them(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)                 # a photo and its plain copy, before encryption
    old_cache = store.data_dir / "cache" / "report"
    old_cache.mkdir(parents=True)
    (old_cache / "0123-960.jpg").write_bytes(b"\xff\xd8\xff a plain copy of earlier versions")
    store.close()
    data = tmp_path / "data"
    encrypt_folder(data, PASS)
    try:
        assert not old_cache.exists()
        with AssessmentStore(data) as store:
            store.add_photo(uid, "a2", big_photo(5), caption="Loket")      # copy made sealed
            hashes = photo_hashes(store, uid)
            copies = {h: read_report_copy(store.evidence_dir, h) for h in hashes}
            assert len(copies) == 2 and all(c and c[:3] == b"\xff\xd8\xff" for c in copies.values())
            for h, jpeg in copies.items():
                on_disk = report_copy_path(store.evidence_dir, h).read_bytes()
                assert on_disk.startswith(vault.MAGIC) and b"\xff\xd8\xff" not in on_disk[:64]
                for start in range(0, len(jpeg) - 64, len(jpeg) // 16):
                    assert jpeg[start:start + 64] not in on_disk          # not readable
            report = build_report(store, uid, lang="en")
            assert pdf_jpegs(report.pdf) == sorted(copies.values())
            # a plain copy planted in the encrypted folder is not trusted: made again, sealed
            planted = report_copy_path(store.evidence_dir, hashes[0])
            planted.write_bytes(b"ARC1" + bytes(32) + b"\xff\xd8\xff not this")
            assert read_report_copy(store.evidence_dir, hashes[0]) is None
            assert report_copy(store.evidence_dir, hashes[0]) == copies[hashes[0]]
            assert planted.read_bytes().startswith(vault.MAGIC)
        vault.lock(data)
        with pytest.raises(vault.Locked):
            read_report_copy(data / "evidence", hashes[0])
    finally:
        vault.lock(data)


def test_a_copy_sealed_for_one_photo_does_not_pass_for_another(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    store.close()
    data = tmp_path / "data"
    encrypt_folder(data, PASS)
    try:
        with AssessmentStore(data) as store:
            store.add_photo(uid, "a2", big_photo(6))
            a, b = photo_hashes(store, uid)
            expected = read_report_copy(store.evidence_dir, a)
            report_copy_path(store.evidence_dir, a).write_bytes(
                report_copy_path(store.evidence_dir, b).read_bytes())
            assert read_report_copy(store.evidence_dir, a) is None
            assert report_copy(store.evidence_dir, a) == expected
    finally:
        vault.lock(data)


# -- deleting ----------------------------------------------------------------------------------

def test_removing_evidence_removes_its_copy(tmp_path):
    store = tmp_path / "evidence"
    sha = import_photo(big_photo(), store).sha256
    remove_evidence(store, sha)
    assert not evidence_path(store, sha).exists() and not report_copy_path(store, sha).exists()
    remove_evidence(store, sha)                              # nothing there: no error


def test_a_photo_whose_recording_fails_leaves_neither_file_nor_copy(tmp_path):
    store = mini_store(tmp_path)
    uid = filled_mini(store)
    before = sorted(p.name for p in store.evidence_dir.rglob("*") if p.is_file())
    store.conn.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON evidence_links "
                       "BEGIN SELECT RAISE(ABORT, 'the disk refused the write'); END")
    with pytest.raises(sqlite3.DatabaseError, match="disk refused"):
        store.add_photo(uid, "a2", big_photo(7))
    assert sorted(p.name for p in store.evidence_dir.rglob("*") if p.is_file()) == before
    assert any(name.endswith(SUFFIX) for name in before)   # the first photo's copy is kept
    store.close()


def test_a_write_that_cannot_happen_only_loses_the_copy(tmp_path):
    store = tmp_path / "evidence"
    sha = import_photo(big_photo(), store).sha256
    path = report_copy_path(store, sha)
    path.unlink()
    path.mkdir()                                         # something in the way
    assert write_report_copy(store, sha, b"\xff\xd8\xff") is False
    assert read_report_copy(store, sha) is None
    assert report_copy(store, sha)[:3] == b"\xff\xd8\xff"
