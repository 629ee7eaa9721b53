"""Photo and signature evidence: validate, normalise, hash and store content-addressed files.

Qt-free and safe from background threads, several at once (even importing the same photo).
Input is fully decoded before anything is written, so a refusal (``EvidenceRejected``) leaves
the store untouched. Files live at ``store_dir/ab/ab12...`` (SHA-256 of the stored bytes, no
extension), written atomically (temp file in the same folder, fsync, ``os.replace``). Example::

    info = import_photo("IMG_0042.jpg", store)  # EvidenceInfo(sha256='9f2c...', kind='photo')
    jpeg = read_evidence(store, info.sha256)    # bytes, hash re-checked

``PIL.ImageFile.LOAD_TRUNCATED_IMAGES`` must stay False (Pillow's default), else imports raise
RuntimeError: with it True a truncated photo cannot be told from a whole one.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import hashlib
import io
import math
import re
import struct
import threading
import warnings
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from PIL import ExifTags, Image, ImageFile

from assessor_app.errors import EvidenceRejected
from assessor_app.evidence.pngcheck import check_png_stream as _check_png_stream
from assessor_app.evidence.report_copy import store_report_copy
# evidence_path, has_evidence and read_evidence are also reached through this module
from assessor_app.evidence.storage import (evidence_path, has_evidence,  # noqa: F401
                                           read_evidence, store_bytes)  # noqa: F401
from assessor_app.fileio import read_input
from assessor_app.i18n import _, local_decimal

LONG_EDGE = 2048
MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 100_000_000
#: PNG and WebP decode in full (no reduced-scale decoding as for JPEG): 4 bytes a pixel and a few
#: copies, so an 82-megapixel WebP of 195 KB would take over 1 GB. This is the limit for them.
MAX_FULL_DECODE_PIXELS = 40_000_000
MAX_SIGNATURE_SIDE = 4000
JPEG_QUALITY = 85

_EXIF_TIME_FORMATS = ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S")
_MAX_EXIF_BYTES = 65_000  # a JPEG APP1 segment holds at most 65,533 bytes
# What Pillow raises on malformed input; anything else is a bug here and should surface.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError,
                  KeyError, TypeError, ZeroDivisionError, OverflowError)
# warnings.catch_warnings() swaps process-wide state, so our (brief) uses of it are serialised.
_WARNINGS_LOCK = threading.Lock()
# The table PIL.ImageOps.exif_transpose uses; applied here after downscaling (cheaper) and with
# the orientation read defensively, so a garbled EXIF block cannot sink an otherwise good photo.
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}
_UNSUPPORTED = ((b"GIF87a", "GIF"), (b"GIF89a", "GIF"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
                (b"8BPS", "Photoshop (PSD)"), (b"\x00\x00\x01\x00", "icon (ICO)"))
_NOT_IMAGES = ((b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive or Office document"),
               (b"\xd0\xcf\x11\xe0", "an old-style Office document"))
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")


@dataclasses.dataclass(frozen=True)
class EvidenceInfo:
    """What was stored. Sizes are of the stored file (after downscaling), in pixels and bytes.

    ``taken_at`` is the camera's local time, ISO 8601 without zone, e.g. ``"2026-03-04T09:15:00"``;
    ``gps_lat``/``gps_lon`` are decimal degrees, south and west negative, e.g. ``-6.2084``.
    """

    sha256: str
    kind: str
    mime: str
    width: int
    height: int
    size: int
    taken_at: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    original_name: str | None = None

    def to_dict(self) -> dict:
        """A JSON-ready dict with one key per field."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> EvidenceInfo:
        """The inverse of :meth:`to_dict`; unknown keys are ignored."""
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})


class _Meta(NamedTuple):
    orientation: int = 1
    original: datetime | None = None  # DateTimeOriginal
    modified: datetime | None = None  # DateTime (IFD0)
    gps: dict | None = None           # the GPS IFD as read, copied to the stored file
    lat: float | None = None
    lon: float | None = None


# -- public API -------------------------------------------------------------------------------
def import_photo(source, store_dir, *, original_name: str | None = None,
                 long_edge: int = LONG_EDGE) -> EvidenceInfo:
    """Import a photo (JPEG, PNG or WebP, told by content) and store it as a JPEG.

    ``source`` is a path or the file's bytes; ``original_name`` defaults to the path's file name.
    The photo is fully decoded, turned upright (EXIF orientation), flattened to RGB, shrunk so its
    long edge is at most ``long_edge`` pixels and saved at JPEG quality 85 with only the capture
    time, GPS and orientation 1 kept in its EXIF. The result is deterministic: importing the same
    file twice gives the same hash and one stored file. Its report-size copy is stored beside it
    (:mod:`assessor_app.evidence.report_copy`). Takes about 0.2 s for a 12 MP photo.

    Raises EvidenceRejected (nothing written) for empty, oversized, truncated or damaged files,
    non-images, unsupported formats and images over ``MAX_PIXELS``.
    """
    if not isinstance(long_edge, int) or long_edge < 1:
        raise ValueError(f"long_edge must be a positive int, not {long_edge!r}")
    data, label = _read_source(source, original_name, "photo")
    fmt = _sniff(data, label)
    im = _open(data, fmt, label)
    width, height = im.size
    target = None
    if max(width, height) > long_edge:
        scale = long_edge / max(width, height)
        target = (max(1, round(width * scale)), max(1, round(height * scale)))
    im, box = _decode(im, data, fmt, label, draft_to=target)
    meta = _read_meta(im)
    icc = im.info.get("icc_profile")
    im = _normalise_mode(im)
    if target is not None:
        im = im.resize(target, Image.Resampling.LANCZOS, box=box)
    if meta.orientation in _TRANSPOSE:
        im = im.transpose(_TRANSPOSE[meta.orientation])
    if im.mode == "RGBA":
        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel("A"))
        im = flat
    options: dict = {"quality": JPEG_QUALITY, "optimize": True}
    if isinstance(icc, bytes) and icc[16:20] == b"RGB ":  # only an RGB profile fits an RGB file
        options["icc_profile"] = icc
    stored = _encode(im, "JPEG", exif=_exif_block(meta), **options)
    sha = store_bytes(store_dir, stored)
    store_report_copy(store_dir, sha, stored)   # reports print this copy (about 20 ms here)
    taken = meta.original or meta.modified
    if original_name is None and not isinstance(source, (bytes, bytearray, memoryview)):
        original_name = Path(source).name
    return EvidenceInfo(sha, "photo", "image/jpeg", im.width, im.height, len(stored),
                        taken_at=taken.isoformat() if taken else None, gps_lat=meta.lat,
                        gps_lon=meta.lon, original_name=original_name)


def import_signature(png_bytes: bytes, store_dir, *,
                     original_name: str | None = None) -> EvidenceInfo:
    """Import a drawn signature (PNG only, at most 4000 x 4000) and store it as an RGBA PNG.

    Validated like a photo; transparency is kept and metadata dropped, so the same drawing
    always gives the same hash. Raises EvidenceRejected (nothing written) when refused.
    """
    if not isinstance(png_bytes, (bytes, bytearray, memoryview)):
        raise TypeError("import_signature takes the PNG's bytes")
    data, label = _read_source(png_bytes, original_name, "signature")
    fmt = _sniff(data, label)
    if fmt != "PNG":
        raise EvidenceRejected(_("{label}: a signature must be a PNG image, this is a {format} "
                                 "file").format(label=label, format=fmt))
    im = _open(data, fmt, label)
    if max(im.size) > MAX_SIGNATURE_SIDE:
        raise EvidenceRejected(_("{label}: the signature image is too large ({width} x {height} "
                                 "pixels; the limit is {limit} x {limit})").format(
            label=label, width=im.width, height=im.height, limit=MAX_SIGNATURE_SIDE))
    im, _box = _decode(im, data, fmt, label)
    im = _normalise_mode(im).convert("RGBA")
    stored = _encode(im, "PNG", compress_level=6)
    sha = store_bytes(store_dir, stored)
    return EvidenceInfo(sha, "signature", "image/png", im.width, im.height, len(stored),
                        original_name=original_name)


def check_evidence_bytes(data: bytes, kind: str, label: str) -> str:
    """Check bytes that arrive already stored elsewhere (an exchange zip) the way
    :func:`import_photo` and :func:`import_signature` check a new file, without re-encoding them
    (their hash must not change): size, format by content, pixel and decompression limits, and
    a full decode. Returns the MIME type; raises EvidenceRejected."""
    data, label = _read_source(data, label, kind)
    fmt = _sniff(data, label)
    if kind == "signature" and fmt != "PNG":
        raise EvidenceRejected(_("{label}: a signature must be a PNG image, this is a {format} "
                                 "file").format(label=label, format=fmt))
    im = _open(data, fmt, label)
    if kind == "signature" and max(im.size) > MAX_SIGNATURE_SIDE:
        raise EvidenceRejected(_("{label}: the signature image is too large ({width} x {height} "
                                 "pixels; the limit is {limit} x {limit})").format(
            label=label, width=im.width, height=im.height, limit=MAX_SIGNATURE_SIDE))
    _decode(im, data, fmt, label, draft_to=(256, 256) if fmt == "JPEG" else None)
    return {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]


def store_blob(store_dir, data: bytes, expected_sha256: str | None = None) -> str:
    """Store raw bytes content-addressed (for sync and exchange imports) and return the hash.

    With ``expected_sha256`` the bytes must hash to it, else EvidenceRejected and nothing is
    written. Blobs over ``MAX_INPUT_BYTES`` are refused. An existing good copy is not rewritten.
    """
    data = bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    if expected_sha256 is not None:
        evidence_path(store_dir, expected_sha256)  # validates the form
        if sha != expected_sha256:
            raise EvidenceRejected(_("evidence {sha}: the received file does not match its hash "
                                     "(got {actual}); it was damaged in transfer").format(
                sha=expected_sha256, actual=sha))
    if len(data) > MAX_INPUT_BYTES:
        raise EvidenceRejected(_("evidence {sha}: {problem}").format(
            sha=sha, problem=_too_large(len(data))))
    return store_bytes(store_dir, data)


# -- reading and checking ---------------------------------------------------------------------
def _too_large(size: int) -> str:
    return _("the file is too large ({size} MB; the limit is {limit} MB)").format(
        size=local_decimal(f"{size / 1048576:.1f}"),
        limit=local_decimal(f"{MAX_INPUT_BYTES / 1048576:g}"))


def _read_source(source, original_name: str | None, kind: str) -> tuple[bytes, str]:
    """Return (bytes, label for messages) with the empty and size checks done."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        label = original_name or (_("the photo") if kind == "photo" else _("the signature"))
    else:
        path = Path(source)
        label = original_name or path.name
        try:
            size = path.stat().st_size
            if size > MAX_INPUT_BYTES:
                raise EvidenceRejected(f"{label}: {_too_large(size)}")
            data = read_input(path, MAX_INPUT_BYTES + 1, label=label, error=EvidenceRejected)
        except FileNotFoundError:
            raise EvidenceRejected(_("{label}: the file was not found ({path})").format(
                label=label, path=path)) from None
        except OSError as exc:
            raise EvidenceRejected(_("{label}: the file cannot be read ({error})").format(
                label=label, error=exc.strerror or exc)) from exc
    if not data:
        raise EvidenceRejected(_("{label}: the file is empty (0 bytes)").format(label=label))
    if len(data) > MAX_INPUT_BYTES:
        raise EvidenceRejected(f"{label}: {_too_large(len(data))}")
    return data, label


def _sniff(data: bytes, label: str) -> str:
    """The Pillow format name for an accepted image, judged by content; else EvidenceRejected."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        if data[12:16] == b"IHDR" and len(data) >= 24:
            width, height = struct.unpack(">II", data[16:24])
            _check_dimensions(width, height, label)
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    kind = next((name for magic, name in _UNSUPPORTED if data.startswith(magic)), None)
    if data[:2] == b"BM" and data[14:15] in (b"\x0c", b"(", b"@", b"l", b"|"):
        kind = "BMP"
    elif data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        kind = "AVIF" if data[8:11] == b"avi" else "HEIC"
    if kind is not None:
        if kind == "HEIC":
            message = _("{label}: {kind} images are not accepted; use a JPEG, PNG or WebP photo "
                        "(iPhone: Settings > Camera > Formats > Most Compatible)")
        else:
            message = _("{label}: {kind} images are not accepted; use a JPEG, PNG or WebP photo")
        raise EvidenceRejected(message.format(label=label, kind=kind))
    what = next((name for magic, name in _NOT_IMAGES if data.startswith(magic)), None)
    if what is None and b"\x00" not in data[:4096]:
        with contextlib.suppress(UnicodeDecodeError):  # final=False: a cut last character is fine
            codecs.getincrementaldecoder("utf-8")().decode(data[:4096], final=False)
            what = "a text file"
    if what:
        raise EvidenceRejected(_("{label}: this is not an image (it looks like {what})").format(
            label=label, what=_describe(what)))
    raise EvidenceRejected(_("{label}: this is not a JPEG, PNG or WebP image (its content is not "
                             "recognised as an image)").format(label=label))


def _describe(what: str) -> str:
    """A kind of file named in ``_NOT_IMAGES`` (or "a text file"), in the current language."""
    return {"a PDF document": _("a PDF document"),
            "a ZIP archive or Office document": _("a ZIP archive or Office document"),
            "an old-style Office document": _("an old-style Office document"),
            "a text file": _("a text file")}.get(what, what)


def _check_dimensions(width: int, height: int, label: str) -> None:
    if width <= 0 or height <= 0:
        raise EvidenceRejected(_("{label}: the image has no pixels (its width or height is "
                                 "zero)").format(label=label))
    if width * height > _pixel_limit():
        raise EvidenceRejected(_bomb_message(label, _("{width} x {height} pixels").format(
            width=width, height=height)))


def _pixel_limit() -> int:
    """The lower of MAX_PIXELS and Pillow's Image.MAX_IMAGE_PIXELS (89.5 MP by default), since
    Pillow's bomb warning is treated as an error; MAX_PIXELS alone if Pillow's is None."""
    pillow = Image.MAX_IMAGE_PIXELS
    return MAX_PIXELS if pillow is None else min(MAX_PIXELS, pillow)


def _bomb_message(label: str, what: str, limit: int | None = None) -> str:
    return _("{label}: the image is too large to open safely ({what}; the limit is {limit} "
             "megapixels), it may be a decompression bomb").format(
        label=label, what=what, limit=local_decimal(f"{(limit or _pixel_limit()) / 1e6:.3g}"))


def _open(data: bytes, fmt: str, label: str) -> Image.Image:
    """Parse the header only, refusing bombs and empty images before any pixel is decoded."""
    try:
        with _pillow_warnings():
            im = Image.open(io.BytesIO(data), formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        pixels = re.search(r"\((\d+) pixels\)", str(exc))  # Pillow's message names the count
        what = (_("{count} megapixels").format(count=local_decimal(f"{int(pixels[1]) / 1e6:.3g}"))
                if pixels
                else _("more pixels than allowed"))
        raise EvidenceRejected(_bomb_message(label, what)) from None
    except _DECODE_ERRORS as exc:
        raise _decode_failure(exc, data, fmt, label) from exc
    _check_dimensions(im.width, im.height, label)
    if fmt != "JPEG" and im.width * im.height > MAX_FULL_DECODE_PIXELS:
        raise EvidenceRejected(_bomb_message(label, _("{width} x {height} pixels").format(
            width=im.width, height=im.height), MAX_FULL_DECODE_PIXELS))
    if fmt == "PNG":
        _check_png_stream(data, im.width, im.height, label)
    return im


@contextlib.contextmanager
def _pillow_warnings():
    """Raise Pillow's bomb warning as an error; silence its corrupt-EXIF chatter."""
    with _WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _decode(im: Image.Image, data: bytes, fmt: str, label: str,
            draft_to: tuple[int, int] | None = None):
    """Fully decode ``im``; returns (image, box for resize). JPEGs decode at a reduced scale
    (libjpeg DCT scaling) when ``draft_to`` allows, which is most of the speed for big photos."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False: with it True "
                           "Assessor cannot refuse truncated photos")
    box = None
    try:
        if fmt == "JPEG" and draft_to is not None:
            drafted = im.draft(im.mode, draft_to)
            box = drafted[1] if drafted else None
        im.load()
    except MemoryError:
        raise EvidenceRejected(_("{label}: there is not enough memory to open this image").format(
            label=label)) from None
    except _DECODE_ERRORS as exc:
        raise _decode_failure(exc, data, fmt, label) from exc
    return im, box


def _decode_failure(exc: BaseException, data: bytes, fmt: str, label: str) -> EvidenceRejected:
    """Tell a truncated file (the usual case: an interrupted copy) from otherwise damaged data."""
    if fmt == "JPEG":
        scan = data.rfind(b"\xff\xda")
        cut = scan < 0 or data.find(b"\xff\xd9", scan) < 0
    elif fmt == "PNG":
        cut = b"IEND" not in data[-12:]
    else:
        cut = int.from_bytes(data[4:8], "little") + 8 > len(data)
    if cut or isinstance(exc, EOFError) or "truncated" in str(exc).lower():
        return EvidenceRejected(_("{label}: the file is truncated (it ends before the image data "
                                  "is complete)").format(label=label))
    return EvidenceRejected(_("{label}: the {format} image data is damaged and cannot be read")
                            .format(label=label, format=fmt))


def _normalise_mode(im: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has transparency."""
    if im.mode.startswith("I"):  # 16-bit greyscale PNG: scale to 8 bits instead of clipping
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
    mode = "RGBA" if has_alpha else "RGB"
    return im if im.mode == mode else im.convert(mode)  # convert() always copies


# -- EXIF -------------------------------------------------------------------------------------
def _read_meta(im: Image.Image) -> _Meta:
    """Orientation, capture time and GPS; a garbled EXIF block yields what could be read."""
    try:
        with _pillow_warnings():
            exif = im.getexif()
            orientation = exif.get(ExifTags.Base.Orientation, 1)
            original = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
            original = original or exif.get(ExifTags.Base.DateTimeOriginal)
            modified = exif.get(ExifTags.Base.DateTime)
            gps = dict(exif.get_ifd(ExifTags.IFD.GPSInfo))
            orientation = orientation if orientation in _TRANSPOSE else 1
    except _DECODE_ERRORS + (AttributeError,):
        return _Meta()
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef),
                   b"S", 90)
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef),
                   b"W", 180)
    if lat is None or lon is None:
        lat = lon = None
    return _Meta(orientation, _exif_time(original), _exif_time(modified), gps or None, lat, lon)


def _exif_time(value) -> datetime | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    for fmt in _EXIF_TIME_FORMATS if isinstance(value, str) else ():
        with contextlib.suppress(ValueError):
            return datetime.strptime(value.strip("\x00 "), fmt)
    return None


def _exif_text(moment: datetime) -> str:
    return f"{moment.year:04d}:{moment:%m:%d %H:%M:%S}"  # strftime does not pad years < 1000


def _degrees(value, ref, negative: bytes, limit: float) -> float | None:
    """EXIF (degrees, minutes, seconds) rationals to signed decimal degrees, or None."""
    if not isinstance(value, tuple) or not 1 <= len(value) <= 3:
        return None
    try:
        result = sum(float(part) / 60 ** i for i, part in enumerate(value))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if not math.isfinite(result) or abs(result) > limit:
        return None
    if isinstance(ref, str):
        ref = ref.encode("latin-1", "replace")
    if isinstance(ref, bytes) and ref.strip(b"\x00 ").upper() == negative and result > 0:
        result = -result  # (some writers store a signed value and the ref as well)
    return round(result, 7)


def _exif_block(meta: _Meta) -> bytes:
    """The stored photo's EXIF: orientation 1, capture times and the camera's GPS block (dropped
    if it cannot be re-serialised or would not fit in a JPEG APP1 segment)."""
    out = Image.Exif()
    out[ExifTags.Base.Orientation] = 1
    if meta.modified:
        out[ExifTags.Base.DateTime] = _exif_text(meta.modified)
    if meta.original:
        out.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = _exif_text(meta.original)
    plain = out.tobytes()
    if meta.gps:
        with contextlib.suppress(*_DECODE_ERRORS), _pillow_warnings():
            out.get_ifd(ExifTags.IFD.GPSInfo).update(meta.gps)
            data = out.tobytes()
            if len(data) <= _MAX_EXIF_BYTES:
                return data
    return plain


def _encode(im: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()
