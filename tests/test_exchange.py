"""Exchange files: round trips, idempotent import, and hostile or broken files refused."""

import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from assessor_app.errors import ExchangeInvalid
from assessor_app.exchange import (content_hash, export_document, import_exchange, read_exchange,
                                   write_exchange)
from assessor_app.store import AssessmentStore

from helpers import filled_mini, mini_store, snapshot


@pytest.fixture
def exported(tmp_path):
    store = mini_store(tmp_path / "a")
    uid = filled_mini(store)
    write_exchange(store, uid, tmp_path / "x.json")
    write_exchange(store, uid, tmp_path / "x.zip")
    return store, uid, tmp_path


def fresh(tmp_path, name="b"):
    return AssessmentStore(tmp_path / name, actor="importer")


def test_zip_round_trip_keeps_everything(exported):
    store, uid, tmp = exported
    other = fresh(tmp)
    assert import_exchange(other, tmp / "x.zip") == (uid, True)
    a, b = store.get(uid), other.get(uid)
    assert a.answers == b.answers and a.item_notes == b.item_notes and a.samples == b.samples
    assert [e["sha256"] for e in a.evidence] == [e["sha256"] for e in b.evidence]
    assert [s["sha256"] for s in a.signatures] == [s["sha256"] for s in b.signatures]
    assert other.score(uid).total == store.score(uid).total
    assert other.history(uid)[0]["action"] == "import" and other.verify_history(uid).ok


def test_import_is_idempotent(exported):
    store, uid, tmp = exported
    other = fresh(tmp)
    import_exchange(other, tmp / "x.zip")
    before = snapshot(other)
    assert import_exchange(other, tmp / "x.zip") == (uid, False)
    assert snapshot(other) == before


def test_json_without_photos_is_refused_unless_allowed(exported):
    store, uid, tmp = exported
    other = fresh(tmp)
    before = snapshot(other)
    with pytest.raises(ExchangeInvalid, match="not in the file"):
        import_exchange(other, tmp / "x.json")
    assert snapshot(other) == before
    assert import_exchange(other, tmp / "x.json", allow_missing_evidence=True)[1]


def test_same_uuid_with_other_content_is_not_overwritten(exported):
    store, uid, tmp = exported
    other = fresh(tmp)
    import_exchange(other, tmp / "x.zip")
    store.set_answer(uid, "a2", "no")
    write_exchange(store, uid, tmp / "y.zip")
    before = snapshot(other)
    with pytest.raises(ExchangeInvalid, match="already exists here with different content"):
        import_exchange(other, tmp / "y.zip")
    assert snapshot(other) == before


def _rewrite(path, doc, fix_hash=True):
    if fix_hash:
        doc["content_hash"] = content_hash(doc)
    path.write_text(json.dumps(doc), "utf-8")


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["answers"].append({"item": "zz", "sample": 0, "value": "yes"}), "unknown item 'zz'"),
    (lambda d: d["answers"].append({"item": "b1", "sample": 7, "value": "ramah"}), "sample 7 does not exist"),
    (lambda d: d["answers"].__setitem__(0, {**d["answers"][0], "value": "perhaps"}), "must be yes or no"),
    (lambda d: d["score"].__setitem__("total", 99.99), "answers give"),
    (lambda d: d["template_snapshot"]["bands"][0].__setitem__("min", 10), "does not match template.hash"),
    (lambda d: d.__setitem__("format", "other/9"), "format"),
    (lambda d: d["assessment"].__setitem__("uuid", "../../etc/passwd"), "does not match"),
    (lambda d: d.__setitem__("evil", True), "Additional properties"),
])
def test_inconsistent_documents_are_refused(exported, mutate, message):
    store, uid, tmp = exported
    doc = json.loads((tmp / "x.json").read_text("utf-8"))
    mutate(doc)
    _rewrite(tmp / "bad.json", doc)
    other = fresh(tmp)
    before = snapshot(other)
    with pytest.raises(ExchangeInvalid, match=message):
        import_exchange(other, tmp / "bad.json", allow_missing_evidence=True)
    assert snapshot(other) == before


def test_edit_without_new_content_hash_is_detected(exported):
    store, uid, tmp = exported
    doc = json.loads((tmp / "x.json").read_text("utf-8"))
    doc["answers"][0]["note"] = "changed later"
    _rewrite(tmp / "edited.json", doc, fix_hash=False)
    with pytest.raises(ExchangeInvalid, match="changed after export"):
        read_exchange(tmp / "edited.json")


def test_truncated_and_damaged_files(exported):
    store, uid, tmp = exported
    raw = (tmp / "x.json").read_bytes()
    (tmp / "cut.json").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ExchangeInvalid, match="not valid JSON .* truncated"):
        read_exchange(tmp / "cut.json")
    zraw = (tmp / "x.zip").read_bytes()
    (tmp / "cut.zip").write_bytes(zraw[: len(zraw) // 2])
    with pytest.raises(ExchangeInvalid, match="ZIP"):
        read_exchange(tmp / "cut.zip")
    # a zip whose photo does not match its name
    with zipfile.ZipFile(tmp / "x.zip") as src, zipfile.ZipFile(tmp / "swap.zip", "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, data if info.filename == "assessment.json" else data[:-1] + b"X")
    other = fresh(tmp)
    before = snapshot(other)
    with pytest.raises(ExchangeInvalid, match="damaged"):  # photos are read (and checked) at import
        import_exchange(other, tmp / "swap.zip")
    assert snapshot(other) == before and not list((other.evidence_dir).rglob("*"))


def test_export_document_is_stable(exported):
    store, uid, tmp = exported
    a, b = export_document(store, uid), export_document(store, uid)
    assert a["content_hash"] == b["content_hash"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzzed_bytes_only_raise_exchange_invalid_and_change_nothing(exported, data):
    store, uid, tmp = exported
    raw = bytearray((tmp / "x.json").read_bytes())
    for _ in range(data.draw(st.integers(1, 5))):
        kind = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        pos = data.draw(st.integers(0, max(0, len(raw) - 1)))
        if kind == "flip" and raw:
            raw[pos] ^= data.draw(st.integers(1, 255))
        elif kind == "cut":
            del raw[pos:pos + data.draw(st.integers(1, 200))]
        else:
            raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=20))
    path = tmp / "fuzz.json"
    path.write_bytes(bytes(raw))
    other = fresh(tmp, "fuzzstore")
    before = snapshot(other)
    try:
        import_exchange(other, path, allow_missing_evidence=True)
    except ExchangeInvalid:
        assert snapshot(other) == before
    other.close()
