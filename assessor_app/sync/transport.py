"""HTTP for the sync client: explicit timeouts, a bounded retry with backoff, and strict
success (only a 2xx answer with a JSON body counts: a captive portal answers 200 with a web page).

No retry library is a dependency of the project and none is worth adding for this loop: it
retries connection failures, timeouts, 429/502/503/504 and non-JSON answers, with exponential
backoff and jitter, until ``max_time`` seconds have passed. Every call the client makes is
idempotent (revisions are numbered, uploads carry their offset), so a retry is always safe.
"""

from __future__ import annotations

import random
import time
from typing import Any

import httpx

from ..i18n import _
from .errors import SyncRejected, SyncUnavailable, server_message
from .wire import PROTOCOL, PROTOCOL_HEADER

RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


class Transport:
    def __init__(self, base_url: str, token: str | None = None, *, max_time: float = 60.0,
                 timeout: httpx.Timeout | None = None, transport=None):
        self.base_url = base_url.rstrip("/")
        self.max_time = max_time
        headers = {PROTOCOL_HEADER: str(PROTOCOL), "User-Agent": "assessor-sync/1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = httpx.Client(base_url=self.base_url, headers=headers, transport=transport,
                                 timeout=timeout or httpx.Timeout(30.0, connect=5.0, pool=10.0),
                                 follow_redirects=False)
        self.requests = 0
        self.retries = 0
        self.latencies: list[float] = []

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, path: str, **kwargs) -> dict[str, Any]:
        """One request with retries; returns the JSON body. Raises SyncRejected for a refusal
        the server explained (4xx with JSON), SyncUnavailable when retries ran out."""
        deadline = time.monotonic() + self.max_time
        attempt = 0
        last = ""
        while True:
            attempt += 1
            started = time.monotonic()
            try:
                resp = self.http.request(method, path, **kwargs)
                self.requests += 1
                self.latencies.append(time.monotonic() - started)
                body = _json(resp)
                if 200 <= resp.status_code < 300 and body is not None:
                    return body
                if body is not None and 400 <= resp.status_code < 500 and resp.status_code not in RETRY_STATUS:
                    code = body.get("error", "error")
                    raise SyncRejected(code, server_message(code, body.get("message"),
                                                            resp.status_code),
                                       resp.status_code, body)
                if body is None and 200 <= resp.status_code < 300:
                    last = _("a web page answered instead of the sync server (a hotspot login or "
                             "proxy may be in the way: open a browser, sign in to the network, "
                             "then sync again)")
                elif body is None and resp.status_code in (401, 403, 404):
                    raise SyncUnavailable(_("{url} does not look like an Assessor sync server (it "
                                            "answered {status}); check the address").format(
                        url=self.base_url, status=resp.status_code))
                else:
                    last = _("the server is having trouble (answer {status})").format(
                        status=resp.status_code)
            except httpx.TimeoutException:
                last = _("the server did not answer in time")
            except httpx.ConnectError:
                last = _("cannot connect to {url} (no network, or the server is down)").format(
                    url=self.base_url)
            except httpx.TransportError as exc:
                last = _("the connection broke ({error})").format(error=type(exc).__name__)
            self.retries += 1
            delay = min(5.0, 0.1 * (2 ** min(attempt, 8))) * (0.5 + random.random())
            if time.monotonic() + delay > deadline:
                raise SyncUnavailable(_("sync stopped: {reason}. Nothing was lost; your work stays "
                                        "on this laptop and will be sent at the next sync.").format(
                    reason=last))
            time.sleep(delay)


def _json(resp: httpx.Response) -> dict | None:
    ctype = resp.headers.get("content-type", "")
    if not ctype.startswith("application/json"):
        return None
    try:
        body = resp.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
