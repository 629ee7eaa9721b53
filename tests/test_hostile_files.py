"""Files from outside (issue 15, "Laptop: files from outside"): crafted templates, exchange files
and zips. Each must give one clear line, exit 2 and leave the data folder exactly as it was; the
holes found by the probe each have their own test below the fuzz table."""

import copy
import hashlib
import io
import json
import math
import os
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from assessor_app.cli import main
from assessor_app.errors import EvidenceRejected, UserError
from assessor_app.evidence.files import import_photo
from assessor_app.exchange import content_hash, import_exchange, write_exchange
from assessor_app.store import AssessmentStore
from assessor_app.templates.loader import body_hash

from helpers import MINI, filled_mini, mini_store, snapshot


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A filled mini assessment exported as JSON and ZIP (made once)."""
    tmp = tmp_path_factory.mktemp("src")
    store = mini_store(tmp)
    uid = filled_mini(store)
    write_exchange(store, uid, tmp / "x.zip")
    write_exchange(store, uid, tmp / "x.json")
    doc = json.loads((tmp / "x.json").read_text("utf-8"))
    with zipfile.ZipFile(tmp / "x.zip") as zf:
        blobs = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist() if n.startswith("evidence/")}
    store.close()
    return doc, blobs


@pytest.fixture
def target(tmp_path):
    data = tmp_path / "target"
    with AssessmentStore(data) as store:
        store.import_template(MINI)
    return data


def state(data):
    """Every row and every evidence file of a data folder."""
    with AssessmentStore(data) as store:
        rows = snapshot(store)
    files = sorted(str(p.relative_to(data)) for p in (data / "evidence").rglob("*") if p.is_file())
    return rows, files


def cli(capsys, data, *args):
    code = main(["--lang", "en", "--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, data, *args, match=None):
    before = state(data)
    code, out, err = cli(capsys, data, *args)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("assessor: "), err
    assert "Traceback" not in err
    if match:
        assert match in err, err
    assert state(data) == before
    return err


def fixed(doc, *, template=False):
    """Recompute the hashes a forger would recompute."""
    if template:
        doc["template"]["hash"] = body_hash(doc["template_snapshot"])
    doc["content_hash"] = content_hash(doc)
    return doc


def write_zip(path, doc, blobs, *, text=None, extra=()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("assessment.json", text if text is not None else json.dumps(doc))
        for sha, data in blobs.items():
            zf.writestr(f"evidence/{sha}", data)
        for name, data in extra:
            zf.writestr(name, data)
    return path


# -- templates ---------------------------------------------------------------------------------
MINI_TEXT = MINI.read_text("utf-8")

TEMPLATES = {
    "nan-weight": MINI_TEXT.replace("weight: 60", "weight: .nan", 1),
    "inf-weight": MINI_TEXT.replace("weight: 60", "weight: .inf", 1),
    "nan-bound": MINI_TEXT.replace("max: 600", "max: .nan", 1),
    "huge-int": MINI_TEXT.replace("max: 600", "max: 1" + "0" * 400, 1),
    "huge-int-bound": MINI_TEXT.replace("max: 600", "max: 1" + "0" * 30, 1),
    "deep": MINI_TEXT + "\nx: " + "[" * 3000 + "]" * 3000 + "\n",
    "deep-map": MINI_TEXT + "\nx: " + "{a: " * 200 + "1" + "}" * 200 + "\n",
    "surrogate": MINI_TEXT.replace("title: {id: ", 'title: {id: "\\ud800", xid: ', 1),
}


@pytest.mark.parametrize("case", sorted(TEMPLATES))
def test_crafted_templates_are_one_clear_line(case, target, tmp_path, capsys):
    path = tmp_path / f"{case}.yaml"
    path.write_text(TEMPLATES[case], "utf-8")
    refused(capsys, target, "templates", "import", str(path))
    refused(capsys, target, "templates", "validate", str(path))


def test_broken_utf8_template(target, tmp_path, capsys):
    path = tmp_path / "bin.yaml"
    path.write_bytes(MINI_TEXT.encode() + b"\nx: \xff\xfe\n")
    refused(capsys, target, "templates", "import", str(path), match="UTF-8")


def test_folder_fifo_and_device_as_input(target, tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (["templates", "import", str(tmp_path)], ["templates", "import", str(fifo)],
                 ["templates", "import", "/dev/zero"], ["assessments", "import", str(tmp_path)],
                 ["assessments", "import", str(fifo)], ["assessments", "import", "/dev/zero"],
                 ["score", str(fifo)], ["score", "/dev/zero"]):
        refused(capsys, target, *args)


def test_folder_as_out(target, tmp_path, capsys):
    code, out, _err = cli(capsys, target, "assessments", "new", "--template", "mini",
                          "--unit", "Kantor")
    uid = out.strip()
    (tmp_path / "out.json").mkdir()
    refused(capsys, target, "assessments", "export", uid[:8], "--out", str(tmp_path / "out.json"),
            match="folder")
    refused(capsys, target, "templates", "export", "mini", "--out", str(tmp_path))


# -- exchange files ----------------------------------------------------------------------------
def _nan_snapshot(d):
    d["template_snapshot"]["sections"][0]["weight"] = float("nan")
    return fixed(d, template=True)


def _dup_finding(d):
    d["findings"].append(dict(d["findings"][0]))
    return fixed(d)


def _dup_signature(d):
    d["signatures"].append(dict(d["signatures"][0]))
    return fixed(d)


def _surrogate(d):
    d["unit"]["unit"] = "Kantor \ud800"
    return d  # content_hash cannot even be computed by the forger's json: written raw below


def _long_unit(d):
    d["unit"]["unit"] = "x" * 501
    return fixed(d)


def _bad_date(d):
    d["visit_dates"] = ["next tue"]
    return fixed(d)


EXCHANGE = {
    "nan-in-snapshot": _nan_snapshot,
    "duplicate-finding": _dup_finding,
    "duplicate-signature": _dup_signature,
    "surrogate": _surrogate,
    "long-unit": _long_unit,
    "visit-date-words": _bad_date,
}


@pytest.mark.parametrize("case", sorted(EXCHANGE))
@pytest.mark.parametrize("kind", ["json", "zip"])
def test_crafted_exchange_files(case, kind, source, target, tmp_path, capsys):
    doc, blobs = source
    forged = EXCHANGE[case](copy.deepcopy(doc))
    text = json.dumps(forged, ensure_ascii=True)   # NaN and lone surrogates as a forger writes them
    if kind == "json":
        path = tmp_path / "f.json"
        path.write_text(text, "utf-8")
        # photos present in the folder would make the JSON importable: they are not, so add
        # --allow-missing-evidence to reach the checks that matter here
        refused(capsys, target, "assessments", "import", str(path), "--allow-missing-evidence")
    else:
        path = write_zip(tmp_path / "f.zip", forged, blobs, text=text)
        refused(capsys, target, "assessments", "import", str(path))


RAW_JSON = {
    "huge-int": lambda t: t.replace('"sample": 0', '"sample": 1' + "0" * 5000, 1),
    "Infinity": lambda t: t.replace('"sample": 0', '"sample": Infinity', 1),
    "deep": lambda t: t[:-1] + ', "x": ' + "[" * 100000 + "]" * 100000 + "}",
    "bad-utf8": lambda t: t.replace('"notes"', '"no\udcfftes"', 1),
}


@pytest.mark.parametrize("case", sorted(RAW_JSON))
def test_raw_json_damage(case, source, target, tmp_path, capsys):
    doc, _blobs = source
    text = RAW_JSON[case](json.dumps(doc))
    path = tmp_path / "f.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    refused(capsys, target, "assessments", "import", str(path), "--allow-missing-evidence")
    refused(capsys, target, "score", str(path))


def _patch_method(data: bytes, member: str, method: int = None, flag: int = None) -> bytes:
    """Set the compression method or a flag bit of ``member`` in its local and central headers."""
    out = bytearray(data)
    name = member.encode()
    for sig, name_len_at, method_at, flag_at, head in ((b"PK\x03\x04", 26, 8, 6, 30),
                                                       (b"PK\x01\x02", 28, 10, 8, 46)):
        pos = out.find(sig)
        while pos >= 0:
            n = struct.unpack_from("<H", out, pos + name_len_at)[0]
            if bytes(out[pos + head:pos + head + n]) == name:
                if method is not None:
                    struct.pack_into("<H", out, pos + method_at, method)
                if flag is not None:
                    old = struct.unpack_from("<H", out, pos + flag_at)[0]
                    struct.pack_into("<H", out, pos + flag_at, old | flag)
            pos = out.find(sig, pos + 4)
    return bytes(out)


@pytest.mark.parametrize("member", ["assessment.json", "evidence"])
@pytest.mark.parametrize("how", ["encrypted", "method-99"])
def test_encrypted_and_unknown_method_members(member, how, source, target, tmp_path, capsys):
    doc, blobs = source
    raw = write_zip(tmp_path / "a.zip", doc, blobs).read_bytes()
    name = member if member == "assessment.json" else f"evidence/{next(iter(blobs))}"
    raw = _patch_method(raw, name, method=99) if how == "method-99" else _patch_method(raw, name, flag=1)
    (tmp_path / "b.zip").write_bytes(raw)
    refused(capsys, target, "assessments", "import", str(tmp_path / "b.zip"))


def test_fuzzed_bytes_of_a_zip(source, target, tmp_path, capsys):
    """Flip bytes all over a real export: never a traceback, never a half import."""
    doc, blobs = source
    raw = write_zip(tmp_path / "a.zip", doc, blobs).read_bytes()
    import random
    rnd = random.Random(15)
    for i in range(25):
        mutated = bytearray(raw)
        for _ in range(rnd.randint(1, 6)):
            mutated[rnd.randrange(len(mutated))] = rnd.randrange(256)
        (tmp_path / "m.zip").write_bytes(bytes(mutated))
        before = state(target)
        code, _out, err = cli(capsys, target, "assessments", "import", str(tmp_path / "m.zip"))
        assert "Traceback" not in err
        if code != 0:
            assert code == 2 and len(err.strip().splitlines()) == 1, err
            assert state(target) == before


# -- the holes, one by one ---------------------------------------------------------------------
def test_zip_import_extracts_only_referenced_photos(source, target, tmp_path):
    doc, blobs = source
    junk = b"\0" * (8 * 1024 * 1024)               # deflates to a few KB
    sha = hashlib.sha256(junk).hexdigest()
    path = write_zip(tmp_path / "z.zip", doc, blobs, extra=[(f"evidence/{sha}", junk)])
    assert path.stat().st_size < 200_000
    with AssessmentStore(target) as store:
        import_exchange(store, path)
    stored = {p.name for p in (target / "evidence").rglob("*") if p.is_file()}
    assert stored == set(blobs) and sha not in stored


def test_non_image_photo_in_a_zip_is_refused(source, target, tmp_path, capsys):
    doc, blobs = source
    forged = copy.deepcopy(doc)
    fake = b"just some text, not a photo at all\n" * 10
    fake_sha = hashlib.sha256(fake).hexdigest()
    old = forged["evidence"][0]["sha256"]
    forged["evidence"][0]["sha256"] = fake_sha
    new_blobs = {k: v for k, v in blobs.items() if k != old}
    new_blobs[fake_sha] = fake
    path = write_zip(tmp_path / "f.zip", fixed(forged), new_blobs)
    refused(capsys, target, "assessments", "import", str(path), match="not an image")


def test_refused_import_leaves_no_photos_behind(source, target, tmp_path):
    doc, blobs = source
    path = write_zip(tmp_path / "d.zip", _dup_signature(copy.deepcopy(doc)), blobs)
    with AssessmentStore(target) as store, pytest.raises(UserError):
        import_exchange(store, path)
    assert not [p for p in (target / "evidence").rglob("*") if p.is_file()]


def test_template_differing_from_the_installed_one_is_refused(source, target, tmp_path, capsys):
    doc, blobs = source
    forged = copy.deepcopy(doc)
    forged["template_snapshot"]["bands"][1]["label"]["en"] = "Excellent"   # same score, other text
    path = write_zip(tmp_path / "t.zip", fixed(forged, template=True), blobs)
    refused(capsys, target, "assessments", "import", str(path), match="differs from the one")


def test_imported_status_and_signatures_are_unverified(source, target, tmp_path, capsys):
    doc, blobs = source
    forged = copy.deepcopy(doc)
    forged["assessment"]["status"] = "approved"
    path = write_zip(tmp_path / "a.zip", fixed(forged), blobs)
    code, _out, err = cli(capsys, target, "assessments", "import", str(path))
    assert code == 0, err
    uid = doc["assessment"]["uuid"]
    with AssessmentStore(target) as store:
        assert store.unverified(uid) == {"source": "a.zip", "status": "approved",
                                         "signatures": ["inspector", "representative"]}
    code, out, _err = cli(capsys, target, "assessments", "show", uid[:8])
    assert "NOT VERIFIED" in out
    shown = json.loads(cli(capsys, target, "assessments", "show", uid[:8], "--json")[1])
    assert shown["unverified"]["status"] == "approved"


def test_fields_are_validated_at_entry(target, capsys):
    refused(capsys, target, "assessments", "new", "--template", "mini", "--unit", "x" * 600,
            match="too long")
    refused(capsys, target, "assessments", "new", "--template", "mini", "--unit", "Kantor",
            "--visit-date", "next tuesday morning", match="YYYY-MM-DD")
    with AssessmentStore(target) as store:
        uid = store.create_assessment("mini", unit={"unit": "Kantor"}, visit_dates=["2026-11-02"])
        before = snapshot(store)
        for fields in ({"unit": "y" * 501}, {"visit_dates": ["2026-02-30"]}, {"agency": 5},
                       {"inspectors": ["z" * 201]}):
            with pytest.raises(UserError):
                store.update_details(uid, **fields)
        with pytest.raises(UserError, match="YYYY-MM-DD"):
            store.add_finding(uid, "a1", text="t", due_date="soon")
        assert snapshot(store) == before
        store.update_details(uid, unit="Kantor Baru", visit_dates=["2026-11-03"])
        assert store.get(uid).visit_dates == ["2026-11-03"]


def test_id_prefix_is_not_a_like_pattern(target, capsys):
    code, out, _ = cli(capsys, target, "assessments", "new", "--template", "mini", "--unit", "K")
    assert code == 0
    refused(capsys, target, "assessments", "delete", "%%%%")
    refused(capsys, target, "assessments", "delete", "____")
    with AssessmentStore(target) as store:
        assert len(store.list_assessments(search="%")) == 0
        assert len(store.list_assessments()) == 1


def test_control_characters_from_files_are_not_printed_raw(source, target, tmp_path, capsys):
    doc, blobs = source
    forged = copy.deepcopy(doc)
    forged["unit"]["unit"] = "Kantor \x1b[2J\x1b]0;owned\x07 \u202eevil"
    path = write_zip(tmp_path / "c.zip", fixed(forged), blobs)
    assert cli(capsys, target, "assessments", "import", str(path))[0] == 0
    for args in (["assessments", "list"], ["assessments", "show", doc["assessment"]["uuid"][:8]]):
        code, out, _ = cli(capsys, target, *args)
        assert code == 0 and "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "\\u001b[2J" in out
    listed = json.loads(cli(capsys, target, "assessments", "list", "--json")[1])
    assert listed[0]["unit"] == forged["unit"]["unit"]    # JSON output stays exact


def test_list_and_show_work_without_writing_the_score_cache(target):
    with AssessmentStore(target) as store:
        uid = store.create_assessment("mini", unit={"unit": "Kantor"})
        store.set_answer(uid, "a1", "yes")
        store.conn.execute("PRAGMA query_only=ON")          # as on a read-only disk
        rows = store.list_assessments()
        assert rows[0]["uuid"] == uid
        assert store.score(uid).completeness.answered == 1
        with pytest.raises(UserError, match="read-only"):
            store.set_answer(uid, "a2", "yes")


def test_full_disk_is_one_clear_error(target):
    with AssessmentStore(target) as store:
        uid = store.create_assessment("mini", unit={"unit": "Kantor"})
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count={pages}")
        before = snapshot(store)
        with pytest.raises(UserError, match="disk is full"):
            store.set_note(uid, "a1", "n" * 20000)
        assert snapshot(store) == before


def test_refused_photo_leaves_no_file(target, tmp_path):
    from assessor_app.demo import demo_photo
    with AssessmentStore(target) as store:
        uid = store.create_assessment("mini", unit={"unit": "Kantor"})
        with pytest.raises(UserError):
            store.add_photo(uid, "no-such-item", demo_photo("x", 1))
        with pytest.raises(UserError):
            store.add_photo(uid, "b1", demo_photo("x", 1), sample=9)
    assert not [p for p in (target / "evidence").rglob("*") if p.is_file()]


# -- decoding cost -----------------------------------------------------------------------------
def _png(width, height, raw: bytes, chunks=()) -> bytes:
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + b"".join(chunk(k, b) for k, b in chunks)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def test_png_with_megabytes_behind_a_tiny_header_is_refused(tmp_path):
    bomb = _png(1, 1, b"\0" * (60 * 1024 * 1024))
    assert len(bomb) < 200_000
    with pytest.raises(EvidenceRejected, match="decompression bomb"):
        import_photo(bomb, tmp_path / "ev")
    assert not (tmp_path / "ev").exists()


def test_large_webp_is_refused_before_decoding(tmp_path):
    # a lossless WebP of 9000 x 9000 (81 MP) is small on disk; it must be refused from its header
    buf = io.BytesIO()
    Image.new("RGB", (9000, 9000), "white").save(buf, "WEBP", lossless=True, quality=0, method=0)
    data = buf.getvalue()
    assert len(data) < 2_000_000
    with pytest.raises(EvidenceRejected, match="too large to open safely"):
        import_photo(data, tmp_path / "ev")
    assert not math.isnan(0.0)


def test_zip_with_too_many_members(source, target, tmp_path, capsys):
    doc, blobs = source
    path = write_zip(tmp_path / "many.zip", doc, blobs,
                     extra=[(f"junk/{i}", b"") for i in range(20_100)])
    refused(capsys, target, "assessments", "import", str(path), match="members")
