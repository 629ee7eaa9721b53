"""Evidence files by SHA-256: which are missing, resumable chunked upload, download."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from ..sync import wire
from .deps import caller, protocol, read_body
from .errors import ApiError
from .store import Caller

router = APIRouter(prefix="/v1", dependencies=[Depends(protocol)])
SHA = "^[0-9a-f]{64}$"


class HashesIn(BaseModel):
    hashes: list[str] = Field(max_length=10000)


def _blobs(request: Request):
    return request.app.state.s.blobs


def _sha(value: str) -> str:
    try:
        return wire.check_sha256(value)
    except ValueError as exc:
        raise ApiError(422, wire.E_INVALID, str(exc)) from None


@router.post("/blobs/missing")
def missing(request: Request, body: HashesIn, who: Caller = Depends(caller)) -> dict:
    """The hashes this device must upload before it may reference them: every hash that is not
    stored, or stored but neither uploaded by this device nor referenced by work it may see."""
    hashes = [_sha(h) for h in body.hashes]
    have = request.app.state.s.store.usable_blobs(who, hashes)
    return {"missing": [h for h in hashes if h not in have]}


@router.head("/blobs/{sha}")
def has_blob(request: Request, sha: str, who: Caller = Depends(caller)) -> Response:
    usable = request.app.state.s.store.usable_blobs(who, [_sha(sha)])
    return Response(status_code=200 if usable else 404)


@router.get("/blobs/{sha}")
def get_blob(request: Request, sha: str, who: Caller = Depends(caller)):
    sha = _sha(sha)
    if not request.app.state.s.store.blob_visible(who, sha):
        raise ApiError(404, wire.E_NOT_FOUND, f"no file {sha[:12]} that you may see")
    return FileResponse(_blobs(request).read(sha), media_type="application/octet-stream")


@router.get("/uploads/{sha}")
def upload_offset(request: Request, sha: str, who: Caller = Depends(caller)) -> dict:
    """How many bytes of this file the server holds from this device (resume from there)."""
    return {"offset": _blobs(request).offset(who.device_id, _sha(sha))}


@router.patch("/uploads/{sha}")
async def upload_chunk(request: Request, sha: str, size: int = Query(..., gt=0),
                       upload_offset: int = Header(..., ge=0), who: Caller = Depends(caller)) -> dict:
    """Append the body at ``Upload-Offset``; the whole file's hash is checked at the end.
    409 ``upload_offset`` carries the offset to resume from."""
    sha = _sha(sha)
    chunk = await read_body(request, wire.MAX_CHUNK)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) != len(chunk):
        raise ApiError(400, wire.E_INVALID, "the chunk arrived incomplete; send it again")
    return await run_in_threadpool(_blobs(request).append, who.device_id, sha, size,
                                   upload_offset, chunk)
