"""Limits enforced before the application reads a byte of the body (ASGI middleware).

- **Body size on every route**: ``PATCH /v1/uploads/...`` at most ``wire.MAX_CHUNK``,
  ``PUT /v1/assessments/.../revisions/...`` at most ``wire.MAX_DOCUMENT``, everything else at most
  ``MAX_BODY`` (1 MB). A declared ``Content-Length`` over the limit is answered 413 at once; a
  body without one (chunked) is read only up to the limit.
- **Enrolment rate limit before parsing**: an address already over the limit gets 429 before its
  body is read or parsed. The address is the TCP peer; ``X-Forwarded-For`` is believed only from
  the proxies named with ``serve --trusted-proxy`` (uvicorn's proxy-header handling, which
  rewrites the peer only for those addresses).
"""

from __future__ import annotations

import json

from ..sync import wire

MAX_BODY = wire.MAX_BODY
ENROL_PATH = "/v1/devices/enroll"


def body_limit(method: str, path: str) -> int:
    if method == "PATCH" and path.startswith("/v1/uploads/"):
        return wire.MAX_CHUNK
    if method == "PUT" and path.startswith("/v1/assessments/") and "/revisions/" in path:
        return wire.MAX_DOCUMENT
    return MAX_BODY


async def _answer(send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": code, "message": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode("ascii")),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """``Guard(app, limiter)``: the two checks above, then the application."""

    def __init__(self, app, limiter):
        self.app, self.limiter = app, limiter

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        method, path = scope["method"], scope["path"]
        if path == ENROL_PATH:
            peer = scope["client"][0] if scope.get("client") else "?"
            if self.limiter.blocked(peer):
                return await _answer(send, 429, wire.E_RATE, "too many failed enrolment attempts "
                                     "from this address; wait a minute and try again")
        limit = body_limit(method, path)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            text = declared.decode("latin-1").strip()
            if not text.isdigit():
                return await _answer(send, 400, wire.E_INVALID, "the Content-Length header is "
                                                                "not a number")
            if int(text) > limit:
                return await _answer(send, 413, wire.E_TOO_LARGE,
                                     f"the request has {text} bytes; this address accepts at "
                                     f"most {limit}")
            return await self.app(scope, receive, send)
        if b"transfer-encoding" not in headers:
            return await self.app(scope, receive, send)
        # a body of unknown length: read it here, never more than the limit, then replay it
        parts, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return
            size += len(message.get("body", b""))
            if size > limit:
                return await _answer(send, 413, wire.E_TOO_LARGE, f"the request is larger than "
                                     f"the {limit} bytes this address accepts")
            parts.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(parts), "more_body": False}
            return await receive()
        return await self.app(scope, replay, send)
