"""Benchmark: importing 12-megapixel phone photos (decode, orient, downscale, encode, hash, store,
and the report-size copy).

Target: <= 0.5 s per 12 MP photo on a field laptop. Photos are generated on the fly (gradients
plus sensor-like noise, EXIF orientation 6 and a GPS fix, ~2.6 MB at quality 92, like a phone's).

    python bench/bench_evidence.py [--photos 9]        (ASSESSOR_BENCH_QUICK=1: 2 photos)
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import ExifTags, Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from assessor_app.evidence import import_photo, read_evidence  # noqa: E402
from assessor_app.evidence.report_copy import report_copy_path, store_report_copy  # noqa: E402
from common import quick, report  # noqa: E402

TARGET_SECONDS = 0.5
SIZE = (4000, 3000)  # 12 MP, 4:3 like most phone cameras


def phone_photo(seed: int) -> bytes:
    """A 4000x3000 JPEG with smooth areas and fine noise, so it compresses like a real photo."""
    gradient = Image.linear_gradient("L").resize(SIZE)
    radial = Image.radial_gradient("L").resize(SIZE)
    noise = Image.effect_noise(SIZE, 18 + seed)
    mirrored = gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    channels = [Image.blend(gradient.rotate(90 * seed), noise, 0.25),
                Image.blend(radial, noise, 0.2), Image.blend(mirrored, radial, 0.5)]
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = f"2026:03:04 09:15:0{seed}"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "S", 2: (6.0, 12.0, 30.0), 3: "E", 4: (106.0, 49.0, 1.0)})
    buf = io.BytesIO()
    Image.merge("RGB", channels).save(buf, "JPEG", quality=92, exif=exif)
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=2 if quick() else 9,
                        help="imports to time (default 9)")
    args = parser.parse_args()
    photos = [phone_photo(seed) for seed in range(min(3, args.photos))]
    times, copies = [], []
    with tempfile.TemporaryDirectory() as store:
        for i in range(args.photos):
            data = photos[i % len(photos)]
            start = time.perf_counter()
            info = import_photo(data, store, original_name=f"IMG_{i:04d}.jpg")
            times.append(time.perf_counter() - start)
            # of which: the report-size copy, made again the way import_photo makes it
            report_copy_path(store, info.sha256).unlink()
            stored = read_evidence(store, info.sha256)
            start = time.perf_counter()
            store_report_copy(store, info.sha256, stored)
            copies.append(time.perf_counter() - start)
    mean, worst = statistics.mean(times), max(times)
    size_mb = statistics.mean(len(p) for p in photos) / 1e6
    print(f"import_photo, {SIZE[0]}x{SIZE[1]} JPEG ({size_mb:.1f} MB) -> "
          f"{info.width}x{info.height} ({info.size / 1e3:.0f} kB), {len(times)} photos")
    print(f"  {1 / mean:.2f} photos/second; {mean:.3f} s mean, {worst:.3f} s worst per photo")
    report("bench_evidence", f"import a 12 MP JPEG ({size_mb:.1f} MB, EXIF orientation and GPS) -> "
           f"{info.width}x{info.height}, mean of {len(times)}", f"{mean:.3f} s")
    report("bench_evidence", "the same, worst", f"{worst:.3f} s", f"<= {TARGET_SECONDS} s",
           worst <= TARGET_SECONDS)
    report("bench_evidence", "of which the report-size copy (960 px, stored beside the photo), "
           f"mean of {len(copies)}", f"{statistics.mean(copies) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
