"""The FastAPI application: ``create_app(config)``. OpenAPI at /docs.

Routes live in routes_sync.py (enrolment, meta, pull, push, review) and routes_blobs.py
(evidence files and resumable uploads). Errors are JSON ``{"error", "message"}``.
"""

from __future__ import annotations

import os

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..sync import wire
from . import db
from .auth import RateLimiter
from .blobs import BlobStore
from .config import ServerConfig
from .errors import ApiError
from .store import ServerStore

CA_PASSPHRASE_ENV = "ASSESSOR_SERVER_CA_PASSPHRASE"


class State:
    """What the routes need, built once per process (no globals)."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self.db = db.Database(config.database_url)
        quota = os.environ.get("ASSESSOR_DEVICE_QUOTA_MB")
        self.blobs = BlobStore(self.db, config.data_dir,
                               int(float(quota) * 1024 * 1024) if quota else None)
        self.blobs.expire_parts()
        self.store = ServerStore(self.db, self.blobs.known, self.blobs.path)
        self.enrol_limiter = RateLimiter(limit=int(os.environ.get("ASSESSOR_ENROL_RATE", "10")),
                                         window=60)
        self.signer = self._signer()

    def _signer(self):
        passphrase = os.environ.get(CA_PASSPHRASE_ENV)
        if not (self.config.pki_dir and passphrase):
            return None
        from ..pki import sign_csr

        def sign(csr_pem: bytes, role: str) -> str:
            pem = sign_csr(self.config.pki_dir, passphrase.encode("utf-8"), csr_pem,
                           role="supervisor" if role == "supervisor" else "inspector")
            return pem.decode("ascii")
        return sign


def create_app(config: ServerConfig) -> FastAPI:
    engine_check = db.Database(config.database_url)
    try:
        current = db.current_revision(engine_check.engine)
    finally:
        engine_check.dispose()
    if current != db.head_revision(config.database_url):
        from ..errors import UserError
        raise UserError(f"the server database is at schema {current}, this program needs "
                        f"{db.head_revision(config.database_url)}; run 'assessor-server init' "
                        f"(it migrates an existing database)")
    app = FastAPI(title="Assessor sync server", version=__version__,
                  description="Sync protocol v1: see docs/sync.md. Every /v1 call except /v1/meta "
                              "needs `Assessor-Protocol: 1` and `Authorization: Bearer TOKEN`.")
    from ..i18n import set_language
    set_language("en")        # the server answers in English; laptops translate by error code
    app.state.s = State(config)
    from .limits import Guard
    app.add_middleware(Guard, limiter=app.state.s.enrol_limiter)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code, message = {
            404: (wire.E_NOT_FOUND, f"there is no {request.url.path} on this server"),
            405: (wire.E_METHOD, f"{request.method} is not allowed on {request.url.path}"),
        }.get(exc.status_code, ("http_error", str(exc.detail)))
        return JSONResponse({"error": code, "message": message}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return JSONResponse({"error": wire.E_INVALID,
                             "message": f"malformed request: {where}: {first.get('msg', '')}"},
                            status_code=422)

    from . import routes_blobs, routes_sync, routes_templates
    app.include_router(routes_sync.router)
    app.include_router(routes_blobs.router)
    app.include_router(routes_templates.router)
    from .web import pages
    app.include_router(pages.router)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` with several workers (reads ASSESSOR_SERVER_DATA)."""
    return create_app(ServerConfig.load(None))
