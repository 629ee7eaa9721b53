"""Publishing a template version from a supervisor's or administrator's laptop.

``POST /v1/templates`` with the template (``assessor-template/1`` JSON) as the body: validated
like ``assessor-server template publish``, stored, and handed to every device on its next pull.
Inspectors are refused (403)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from ..errors import UserError
from ..sync import wire
from .admin import Admin
from .deps import caller, protocol, read_body
from .errors import ApiError
from .store import Caller

router = APIRouter(prefix="/v1")
MAX_TEMPLATE = 8 * 1024 * 1024


@router.post("/templates", dependencies=[Depends(protocol)])
async def publish(request: Request, who: Caller = Depends(caller)) -> dict:
    if who.role not in ("supervisor", "admin"):
        raise ApiError(403, wire.E_FORBIDDEN, "only a supervisor or an administrator can publish "
                                              "templates")
    raw = await read_body(request, MAX_TEMPLATE)
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(422, wire.E_INVALID, "the template is not JSON") from None
    if not isinstance(body, dict):
        raise ApiError(422, wire.E_INVALID, "a template is a JSON object")
    s = request.app.state.s
    try:
        return await run_in_threadpool(Admin(s.db).publish_template, body)
    except UserError as exc:
        raise ApiError(422, wire.E_INVALID, str(exc)) from None
