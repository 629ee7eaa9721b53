"""Photos and drawn signatures: import, downscale, hash, EXIF, content-addressed files.

See :mod:`assessor_app.evidence.files`; everything a caller needs is re-exported here.
"""

from assessor_app.evidence.files import (
    LONG_EDGE,
    MAX_INPUT_BYTES,
    MAX_PIXELS,
    EvidenceInfo,
    evidence_path,
    has_evidence,
    import_photo,
    import_signature,
    read_evidence,
    store_blob,
)
from assessor_app.evidence.report_copy import read_report_copy, remove_evidence, report_copy

__all__ = [
    "LONG_EDGE",
    "MAX_INPUT_BYTES",
    "MAX_PIXELS",
    "EvidenceInfo",
    "evidence_path",
    "has_evidence",
    "import_photo",
    "import_signature",
    "read_evidence",
    "read_report_copy",
    "remove_evidence",
    "report_copy",
    "store_blob",
]
