"""The wire protocol shared by the sync client and the server (no HTTP library here).

Every request carries ``Assessor-Protocol: <n>``; the server accepts ``PROTOCOL_MIN..PROTOCOL_MAX``
and answers 426 with a plain message otherwise. Every error answer is JSON
``{"error": CODE, "message": "what a person can do"}`` (plus fields named per code, e.g.
``missing`` for ``missing_blobs``, ``current_rev`` for ``revision_taken``, ``offset`` for
``upload_offset``).
"""

from __future__ import annotations

import re

PROTOCOL = 1
PROTOCOL_MIN = 1
PROTOCOL_MAX = 1
PROTOCOL_HEADER = "Assessor-Protocol"
OFFSET_HEADER = "Upload-Offset"
CHUNK_SIZE = 1024 * 1024            # upload chunk the server advertises (bytes)
MAX_CHUNK = 4 * 1024 * 1024         # largest chunk body the server reads
MAX_DOCUMENT = 16 * 1024 * 1024     # largest pushed exchange document (bytes of JSON)
MAX_BLOB = 50 * 1024 * 1024         # = evidence.files.MAX_INPUT_BYTES
PAGE_LIMIT = 500                    # largest page of changes
MAX_BODY = 1024 * 1024              # largest body of any other request (bytes)
MAX_REV = 2**31 - 1                 # largest revision / base revision number
MAX_CURSOR = 2**63 - 1              # largest change cursor
BUNDLE_FORMAT = "assessor-bundle/1"

SHA256 = re.compile(r"^[0-9a-f]{64}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

ROLES = ("inspector", "supervisor", "admin")

# error codes -------------------------------------------------------------------------------
E_PROTOCOL = "protocol"             # 426: client too old/new
E_AUTH = "unauthorized"             # 401: no/unknown token
E_REVOKED = "revoked"               # 401: this device was revoked
E_FORBIDDEN = "forbidden"           # 403: not yours
E_NOT_FOUND = "not_found"           # 404
E_INVALID = "invalid"               # 422: malformed / inconsistent payload (nothing stored)
E_TOO_LARGE = "too_large"           # 413
E_REVISION_TAKEN = "revision_taken"  # 409: that revision number holds other content
E_LOCKED = "locked"                 # 409: approved; no further pushes
E_MISSING_BLOBS = "missing_blobs"   # 409: upload these hashes, then push again
E_OFFSET = "upload_offset"          # 409: resume from ``offset``
E_CODE = "bad_code"                 # 400: enrolment code unknown, used or expired
E_RATE = "rate_limited"             # 429
E_RESYNC = "resync"                 # 410: cursor unknown here; start again from 0
E_METHOD = "method_not_allowed"     # 405: no such method on this address
E_QUOTA = "quota"                   # 413: this device holds too many unused files
E_STALE = "review_stale"            # 409: the decision was on another revision or status


def check_sha256(value: str) -> str:
    if not isinstance(value, str) or not SHA256.fullmatch(value):
        raise ValueError(f"not a SHA-256 hex digest: {value!r}")
    return value


def check_uuid(value: str) -> str:
    if not isinstance(value, str) or not UUID.fullmatch(value):
        raise ValueError(f"not an assessment id: {value!r}")
    return value
