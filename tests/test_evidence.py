"""Evidence import: real images made with Pillow in tmp_path, no mocks."""

from __future__ import annotations

import hashlib
import io
import struct
import tempfile
import warnings
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from assessor_app.errors import EvidenceRejected, UserError
from assessor_app.evidence import files
from assessor_app.evidence import (
    EvidenceInfo,
    evidence_path,
    has_evidence,
    import_photo,
    import_signature,
    read_evidence,
    store_blob,
)


# -- helpers ----------------------------------------------------------------------------------

def picture(size=(64, 48), mode="RGB") -> Image.Image:
    """A non-uniform picture, so orientation and scaling are visible in the pixels."""
    im = Image.linear_gradient("L").resize(size)
    red = Image.new("L", size, 0)
    red.paste(255, (0, 0, size[0] // 4, size[1] // 4))  # red block in the top-left corner
    rgb = Image.merge("RGB", (red, im, im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    return rgb.convert(mode)


def encode(im: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()


def camera_exif(orientation=1) -> Image.Exif:
    """EXIF as a phone writes it: orientation, capture time and a GPS fix in Jakarta (S, E)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.DateTime] = "2026:03:05 18:00:00"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:03:04 09:15:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (IFDRational(6), IFDRational(12), IFDRational(3024, 100))
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (IFDRational(106), IFDRational(49), IFDRational(1))
    return exif


def png_with_size(width: int, height: int) -> bytes:
    """A small valid PNG whose IHDR is patched to declare another size (CRC fixed)."""
    data = bytearray(encode(Image.new("L", (8, 8)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def stored_image(store: Path, sha256: str) -> Image.Image:
    """The stored file, hash re-checked, opened from memory (no file handle left open)."""
    return Image.open(io.BytesIO(read_evidence(store, sha256)))


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


@pytest.fixture
def store(tmp_path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    return folder


JPEG_SAMPLE = encode(picture((96, 64)), exif=camera_exif(6), quality=90)


# -- photos -----------------------------------------------------------------------------------

@pytest.mark.parametrize("long_edge, size", [(2048, (80, 120)), (40, (27, 40))])
def test_orientation_is_applied_and_reset(store, tmp_path, long_edge, size):
    """Also when the JPEG is decoded at reduced scale (draft) and then resized."""
    source = tmp_path / "IMG_0001.jpg"
    source.write_bytes(encode(picture((120, 80)), exif=camera_exif(orientation=6)))
    info = import_photo(source, store, long_edge=long_edge)
    assert (info.width, info.height) == size
    assert info.original_name == "IMG_0001.jpg"
    stored = stored_image(store, info.sha256)
    assert stored.size == size
    assert stored.getexif()[ExifTags.Base.Orientation] == 1
    # Orientation 6 = rotate 90 clockwise: the top-left red block ends up top-right.
    rgb = stored.convert("RGB")
    assert rgb.getpixel((size[0] - 3, 2))[0] > 200 and rgb.getpixel((2, 2))[0] < 60


def test_exif_time_and_gps_are_read_and_kept(store):
    info = import_photo(encode(picture(), exif=camera_exif()), store, original_name="a.jpg")
    assert info.taken_at == "2026-03-04T09:15:00"
    assert info.gps_lat == pytest.approx(-(6 + 12 / 60 + 30.24 / 3600), abs=1e-6)
    assert info.gps_lon == pytest.approx(106 + 49 / 60 + 1 / 3600, abs=1e-6)
    exif = stored_image(store, info.sha256).getexif()
    assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] == "2026:03:04 09:15:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert gps[ExifTags.GPS.GPSLatitudeRef] == "S"
    assert [float(v) for v in gps[ExifTags.GPS.GPSLatitude]] == [6.0, 12.0, 30.24]


def test_datetime_is_the_fallback_and_missing_exif_gives_none(store):
    exif = Image.Exif()
    exif[ExifTags.Base.DateTime] = "2025:12:31 23:59:58"
    info = import_photo(encode(picture(), exif=exif), store)
    assert info.taken_at == "2025-12-31T23:59:58"
    assert (info.gps_lat, info.gps_lon) == (None, None)
    plain = import_photo(encode(picture(), quality=70), store)
    assert (plain.taken_at, plain.gps_lat, plain.gps_lon, plain.original_name) == (
        None, None, None, None)


@pytest.mark.parametrize("written, expected", [
    ("2026:03:04 09:15:00\x00", "2026-03-04T09:15:00"),
    ("0999:01:02 03:04:05", "0999-01-02T03:04:05"),
    ("0000:00:00 00:00:00", None),  # what cameras write when the clock was never set
    ("yesterday", None),
])
def test_capture_time_is_read_leniently(store, written, expected):
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = written
    info = import_photo(encode(picture(), exif=exif), store)
    assert info.taken_at == expected


def test_large_photo_is_downscaled_to_the_long_edge(store):
    info = import_photo(encode(picture((4000, 3000)), quality=80), store)
    assert (info.width, info.height) == (2048, 1536)
    data = evidence_path(store, info.sha256).read_bytes()
    assert len(data) == info.size
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    small = import_photo(encode(picture((300, 200))), store, long_edge=100)
    assert (small.width, small.height) == (100, 67)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_by_content(store, tmp_path, fmt):
    source = tmp_path / "misnamed.jpg"
    source.write_bytes(encode(picture((90, 60), "RGBA"), fmt))
    info = import_photo(source, store)
    assert (info.kind, info.mime, info.width, info.height) == ("photo", "image/jpeg", 90, 60)
    assert stored_image(store, info.sha256).mode == "RGB"


def test_transparent_png_is_flattened_onto_white(store):
    im = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    info = import_photo(encode(im, "PNG"), store)
    pixel = stored_image(store, info.sha256).getpixel((10, 10))
    assert min(pixel) > 245


def test_same_photo_twice_gives_one_file(store):
    first = import_photo(JPEG_SAMPLE, store, original_name="one.jpg")
    second = import_photo(JPEG_SAMPLE, store, original_name="two.jpg")
    assert first.sha256 == second.sha256 and first.original_name != second.original_name
    sha = first.sha256   # the photo and its report-size copy, once each
    assert listing(store) == [sha[:2], f"{sha[:2]}/{sha}", f"{sha[:2]}/{sha}.r960q72"]


def test_concurrent_imports_of_the_same_photo(store):
    with ThreadPoolExecutor(8) as pool:
        infos = list(pool.map(lambda _: import_photo(JPEG_SAMPLE, store), range(16)))
    assert len({info.sha256 for info in infos}) == 1
    sha = infos[0].sha256
    assert listing(store) == [sha[:2], f"{sha[:2]}/{sha}", f"{sha[:2]}/{sha}.r960q72"]
    assert read_evidence(store, infos[0].sha256)


def test_info_round_trips_through_a_dict(store):
    info = import_photo(encode(picture(), exif=camera_exif()), store, original_name="b.jpg")
    data = info.to_dict()
    assert data["taken_at"] == "2026-03-04T09:15:00" and data["kind"] == "photo"
    assert EvidenceInfo.from_dict(data) == info


# -- refusals ---------------------------------------------------------------------------------

GOOD_JPEG = encode(Image.effect_noise((200, 150), 60).convert("RGB"))
REFUSALS = {
    "text": (b"Laporan kunjungan lapangan\nTidak ada foto.\n", "looks like a text file"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "looks like a PDF document"),
    "gif": (encode(picture(), "GIF"), "GIF images are not accepted"),
    "tiff": (encode(picture(), "TIFF"), "TIFF images are not accepted"),
    "truncated": (GOOD_JPEG[: len(GOOD_JPEG) // 2], "the file is truncated"),
    "truncated png": (encode(Image.effect_noise((200, 150), 60), "PNG")[:3000],
                      "the file is truncated"),
    "truncated webp": (encode(Image.effect_noise((200, 150), 60), "WEBP")[:500],
                       "the file is truncated"),
    "heic": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64),
             "HEIC images are not accepted"),
    "empty": (b"", "the file is empty"),
    "bomb": (png_with_size(20000, 20000), "too large to open safely"),
    "zero width": (png_with_size(0, 8), "has no pixels"),
    "unknown binary": (bytes(range(256)) * 4, "not a JPEG, PNG or WebP image"),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_refusals_name_the_file_and_the_problem(store, tmp_path, name):
    data, expected = REFUSALS[name]
    source = tmp_path / "IMG_0042.jpg"
    source.write_bytes(data)
    with pytest.raises(EvidenceRejected) as caught:
        import_photo(source, store)
    assert str(caught.value).startswith("IMG_0042.jpg: ")
    assert expected in str(caught.value)
    assert isinstance(caught.value, UserError)
    assert listing(store) == []


def test_oversize_file_is_refused_before_reading(store, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 1000)
    source = tmp_path / "big.jpg"
    source.write_bytes(GOOD_JPEG)
    for given_source in (source, GOOD_JPEG):
        with pytest.raises(EvidenceRejected, match="too large .*the limit is"):
            import_photo(given_source, store, original_name="big.jpg")
    assert listing(store) == []


def test_missing_file_is_refused(store, tmp_path):
    with pytest.raises(EvidenceRejected, match="gone.jpg: the file was not found"):
        import_photo(tmp_path / "gone.jpg", store)


def test_bomb_is_refused_without_pillows_global_limit(store, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    with pytest.raises(EvidenceRejected, match=r"20000 x 20000 pixels.*limit is 100 megapixels"):
        import_photo(png_with_size(20000, 20000), store, original_name="bomb.png")
    monkeypatch.setattr(files, "MAX_PIXELS", 5000)  # a JPEG just over the limit: size checked
    with pytest.raises(EvidenceRejected, match="too large to open safely"):  # before decoding
        import_photo(encode(picture((80, 70))), store)
    assert listing(store) == []


@pytest.mark.parametrize("pixels", [90 * 90, 200 * 200])
def test_pillow_bomb_warning_and_error_become_refusals(store, monkeypatch, pixels):
    """A lower limit set in Pillow is honoured, its warning (1-2x) and error (>2x) alike."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)
    filters = list(warnings.filters)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping would fail the test
        with pytest.raises(EvidenceRejected, match="too large to open safely"):
            import_photo(encode(picture((pixels // 100, 100))), store)
    assert warnings.filters == filters
    assert listing(store) == []


# -- signatures -------------------------------------------------------------------------------

def test_signature_keeps_alpha_and_is_deterministic(store):
    im = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    im.paste((10, 20, 90, 255), (20, 40, 280, 60))
    png = encode(im, "PNG", pnginfo=None)
    info = import_signature(png, store, original_name="sig.png")
    again = import_signature(encode(im, "PNG", compress_level=1), store)
    assert info.sha256 == again.sha256
    assert (info.kind, info.mime, info.width, info.height) == ("signature", "image/png", 300, 100)
    stored = Image.open(io.BytesIO(read_evidence(store, info.sha256)))
    assert stored.mode == "RGBA"
    assert stored.getpixel((5, 5))[3] == 0 and stored.getpixel((100, 50)) == (10, 20, 90, 255)


@pytest.mark.parametrize("data, expected", [
    (encode(picture()), "a signature must be a PNG image, this is a JPEG file"),
    (png_with_size(4001, 10), "signature image is too large (4001 x 10 pixels"),
    (encode(picture(), "PNG")[:-40], "the file is truncated"),
    (b"", "the file is empty"),
])
def test_signature_refusals(store, data, expected):
    with pytest.raises(EvidenceRejected) as caught:
        import_signature(data, store, original_name="sig.png")
    assert str(caught.value).startswith("sig.png: ") and expected in str(caught.value)
    assert listing(store) == []


# -- the store --------------------------------------------------------------------------------

def test_store_blob_and_read_back(store):
    sha = store_blob(store, b"exchange payload")
    assert sha == hashlib.sha256(b"exchange payload").hexdigest()
    assert evidence_path(store, sha) == store / sha[:2] / sha
    assert has_evidence(store, sha) and read_evidence(store, sha) == b"exchange payload"
    assert store_blob(store, b"exchange payload", expected_sha256=sha) == sha
    assert not has_evidence(store, "0" * 64)
    assert not [p for p in store.rglob(".tmp-*")]


def test_store_blob_refuses_a_wrong_hash(store):
    with pytest.raises(EvidenceRejected, match="does not match its hash"):
        store_blob(store, b"damaged in transfer", expected_sha256="a" * 64)
    assert listing(store) == []


def test_damaged_copy_is_healed_by_storing_again(store):
    sha = store_blob(store, b"original")
    evidence_path(store, sha).write_bytes(b"bit rot")
    assert store_blob(store, b"original") == sha
    assert read_evidence(store, sha) == b"original"


@pytest.mark.parametrize("bad", ["", "ABC", "A" * 64, "g" * 64, "../" + "a" * 61, "a" * 64 + "\n",
                                 None])
def test_hash_must_be_64_lowercase_hex(store, bad):
    with pytest.raises(ValueError):
        evidence_path(store, bad)
    with pytest.raises(ValueError):
        has_evidence(store, bad)
    if bad is not None:
        with pytest.raises(ValueError):
            store_blob(store, b"x", expected_sha256=bad)
    assert listing(store) == []


def test_read_evidence_detects_corruption_and_absence(store):
    info = import_photo(JPEG_SAMPLE, store)
    path = evidence_path(store, info.sha256)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(EvidenceRejected, match="damaged"):
        read_evidence(store, info.sha256)
    path.unlink()
    with pytest.raises(EvidenceRejected, match="missing"):
        read_evidence(store, info.sha256)


# -- fuzz -------------------------------------------------------------------------------------

SEEDS = {
    "jpeg": JPEG_SAMPLE,
    "progressive": encode(picture((40, 30), "CMYK"), progressive=True),
    "png": encode(picture((40, 30), "P"), "PNG"),
    "webp": encode(picture((40, 30), "RGBA"), "WEBP"),
}
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def snapshot(store: Path) -> tuple:
    return listing(store), [p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()]


def import_or_refuse(data: bytes) -> None:
    """Either a clean import or EvidenceRejected with the store exactly as it was."""
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder)
        store_blob(store, b"already here")
        before = snapshot(store)
        try:
            info = import_photo(data, store, original_name="fuzz.jpg")
        except EvidenceRejected as exc:
            assert str(exc).startswith("fuzz.jpg: ")
            assert snapshot(store) == before
        else:
            assert read_evidence(store, info.sha256)


@FUZZ
@given(st.one_of(st.binary(max_size=2000),
                 st.tuples(st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n",
                                            b"RIFF\x00\x10\x00\x00WEBPVP8 "]),
                           st.binary(max_size=2000)).map(b"".join)))
def test_fuzz_random_bytes(data):
    import_or_refuse(data)


@FUZZ
@given(st.sampled_from(sorted(SEEDS)), st.data())
def test_fuzz_truncated_and_bit_flipped_images(seed, draw):
    data = bytearray(SEEDS[seed])
    cut = draw.draw(st.integers(1, len(data)), label="cut")
    flips = draw.draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 7)),
                               max_size=8), label="flips")
    for position, bit in flips:
        data[position] ^= 1 << bit
    import_or_refuse(bytes(data[:cut]))

