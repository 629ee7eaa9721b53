"""Enrolment, meta, pull by cursor, push of revisions, comments and review."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from ..sync import wire
from . import db
from .deps import caller, protocol, read_body
from .errors import ApiError
from .store import Caller

router = APIRouter(prefix="/v1")
UUID_PATTERN = wire.UUID.pattern


class EnrollIn(BaseModel):
    code: str = Field(max_length=40)
    device_name: str = Field(max_length=200)
    nonce: str = Field(min_length=16, max_length=200)
    csr: str | None = Field(default=None, max_length=20000)


class CommentIn(BaseModel):
    uuid: str = Field(pattern=UUID_PATTERN)
    text: str = Field(max_length=10000)
    item: str | None = Field(default=None, max_length=64)
    sample: int | None = Field(default=None, ge=0, le=999)


class ReviewIn(BaseModel):
    decision: str = Field(pattern="^(approve|return)$")
    comment: str = Field(default="", max_length=10000)
    uuid: str | None = Field(default=None, pattern=UUID_PATTERN)
    rev: int | None = Field(default=None, ge=1)
    countersigned: str | None = Field(default=None, pattern="^[0-9a-f]{64}$")


def _s(request: Request):
    return request.app.state.s


@router.get("/meta")
def meta(request: Request) -> dict:
    return {"protocol_min": wire.PROTOCOL_MIN, "protocol_max": wire.PROTOCOL_MAX,
            "chunk_size": wire.CHUNK_SIZE, "max_document": wire.MAX_DOCUMENT,
            "max_blob": wire.MAX_BLOB, "epoch": _s(request).store.epoch(), "server_time": db.now()}


@router.post("/devices/enroll", dependencies=[Depends(protocol)])
def enroll(body: EnrollIn, request: Request) -> dict:
    s = _s(request)
    host = request.client.host if request.client else "?"
    if s.enrol_limiter.blocked(host):
        raise ApiError(429, wire.E_RATE, "too many failed enrolment attempts from this address; "
                                         "wait a minute and try again")
    try:
        return s.store.enroll(body.code, body.device_name, body.nonce, body.csr, s.signer)
    except ApiError as exc:
        if exc.code == wire.E_CODE:
            s.enrol_limiter.failed(host)
        raise


@router.get("/whoami", dependencies=[Depends(protocol)])
def whoami(who: Caller = Depends(caller)) -> dict:
    return {"device_id": who.device_id, "user": who.user, "role": who.role, "team": who.team}


@router.get("/changes", dependencies=[Depends(protocol)])
def changes(request: Request, cursor: int = Query(0, ge=0, le=wire.MAX_CURSOR),
            limit: int = Query(200, ge=1, le=wire.PAGE_LIMIT), who: Caller = Depends(caller)) -> dict:
    return _s(request).store.changes(who, cursor, limit)


@router.put("/assessments/{uuid}/revisions/{rev}", dependencies=[Depends(protocol)])
async def push(request: Request, uuid: str, rev: int = Path(ge=1, le=wire.MAX_REV),
               base_rev: int = Query(0, ge=0, le=wire.MAX_REV),
               who: Caller = Depends(caller)) -> dict:
    """Body: the exchange document (``assessor-exchange/1``). Answers ``{server_rev, status,
    flags, conflicts, content_hash, merged}``; 409 ``missing_blobs`` lists hashes to upload."""
    try:
        wire.check_uuid(uuid)
    except ValueError as exc:
        raise ApiError(422, wire.E_INVALID, str(exc)) from None
    raw = await read_body(request, wire.MAX_DOCUMENT)
    return await run_in_threadpool(_s(request).store.push, who, uuid, rev, base_rev, raw)


@router.get("/assessments/{uuid}", dependencies=[Depends(protocol)])
def get_assessment(request: Request, uuid: str, who: Caller = Depends(caller)) -> dict:
    return _s(request).store.get_assessment(who, uuid)


@router.post("/assessments/{uuid}/comments", dependencies=[Depends(protocol)])
def comment(request: Request, uuid: str, body: CommentIn, who: Caller = Depends(caller)) -> dict:
    return _s(request).store.add_comment(who, uuid, body.uuid, body.text, item=body.item,
                                         sample=body.sample)


@router.post("/assessments/{uuid}/review", dependencies=[Depends(protocol)])
def review(request: Request, uuid: str, body: ReviewIn, who: Caller = Depends(caller)) -> dict:
    return _s(request).store.review(who, uuid, body.decision, body.comment, body.uuid, body.rev,
                                    body.countersigned)
