"""A PNG's cost checked before Pillow decodes it: its image data inflated and counted (not
kept) against what its header's pixels need, and its side chunks (text, ICC profile, EXIF)
bounded. A 1x1 header with 60 MB behind it is refused in a few milliseconds."""

from __future__ import annotations

import struct
import zlib

from assessor_app.errors import EvidenceRejected
from assessor_app.i18n import _

#: ancillary PNG chunks (text, ICC profile, EXIF) together; a photo's are a few hundred KB at most
MAX_PNG_SIDE_DATA = 4 * 1024 * 1024
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def check_png_stream(data: bytes, width: int, height: int, label: str) -> None:
    """Walk the PNG's chunks and inflate its image data without keeping it, before Pillow
    decodes anything: the data must not inflate to more than the header's pixels need (a 1x1
    header with 60 MB behind it is refused), and side chunks stay small."""
    depth, colour = data[24], data[25]
    bits = _PNG_CHANNELS.get(colour, 4) * max(depth, 1)
    raw = height * ((width * bits + 7) // 8 + 1)
    allowed = raw + raw // 8 + 4096            # Adam7 interlacing adds a little per pass
    inflater = zlib.decompressobj()
    out = side = 0
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IDAT":
            try:
                while body and out <= allowed:
                    out += len(inflater.decompress(body, 1 << 20))
                    body = inflater.unconsumed_tail
            except zlib.error:
                return                          # Pillow reports the damage in its own words
        elif kind == b"IEND":
            break
        else:
            side += length
        if out > allowed or side > MAX_PNG_SIDE_DATA:
            raise EvidenceRejected(_("{label}: the PNG holds far more data than its {width} x "
                                     "{height} pixels need; it may be a decompression bomb")
                                   .format(label=label, width=width, height=height))
