"""FastAPI dependencies: the protocol version check and the caller's identity."""

from __future__ import annotations

from fastapi import Header, Request

from ..sync import wire
from .errors import ApiError
from .store import Caller


def protocol(assessor_protocol: int | None = Header(default=None)) -> int:
    if assessor_protocol is None or not wire.PROTOCOL_MIN <= assessor_protocol <= wire.PROTOCOL_MAX:
        got = "none" if assessor_protocol is None else str(assessor_protocol)
        raise ApiError(426, wire.E_PROTOCOL,
                       f"this Assessor speaks sync protocol {got}; the server accepts "
                       f"{wire.PROTOCOL_MIN} to {wire.PROTOCOL_MAX}. Update Assessor on this "
                       f"laptop, then sync again.", accepted=[wire.PROTOCOL_MIN, wire.PROTOCOL_MAX])
    return assessor_protocol


def caller(request: Request, authorization: str | None = Header(default=None)) -> Caller:
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    return request.app.state.s.store.authenticate(token)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, wire.E_TOO_LARGE, f"the request has {declared} bytes; the server "
                                              f"accepts at most {limit}")
    parts, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, wire.E_TOO_LARGE, f"the request is larger than the {limit} bytes "
                                                  f"the server accepts")
        parts.append(chunk)
    return b"".join(parts)
