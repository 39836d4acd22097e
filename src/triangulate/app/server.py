"""The one server: the JSON API (/api, schema at /openapi.json, docs at /docs) and the web
app (every other page) over one store."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from triangulate.app import api, web
from triangulate.app.security import SecurityMiddleware
from triangulate.store import Store

STATIC = Path(__file__).resolve().parent / "static"
# An upload is a file of articles, not a corpus (use `triangulate run` for those).
MAX_BODY_BYTES = 10 * 1024 * 1024

log = logging.getLogger(__name__)


def create_app(
    db: str | Path | Store, max_body: int = MAX_BODY_BYTES,
    trusted_hosts: list[str] | None = None,
) -> FastAPI:
    """The application over the store at ``db`` (created when missing). ``trusted_hosts``:
    the only Host headers answered (others get 400), against DNS rebinding: a page on
    another site whose name is made to resolve to 127.0.0.1 must not read a local store."""
    store = db if isinstance(db, Store) else Store(db)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        if not isinstance(db, Store):
            store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Triangulate",
        summary="Conflict news as an evidence-linked record: who did what to whom, where "
        "and when, according to whom.",
        version="0.1.0",
        docs_url=None,  # the stock docs page loads its scripts from a CDN: ours is offline
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.store = store
    app.state.max_body = max_body
    app.include_router(api.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(SecurityMiddleware, max_body=max_body)
    if trusted_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=trusted_hosts)

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


async def _http_error(request: Request, exc: StarletteHTTPException):
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if _wants_json(request):
        return JSONResponse({"status": exc.status_code, "detail": detail},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))
    return web.error_page(request, exc.status_code, detail)


async def _validation_error(request: Request, exc: RequestValidationError):
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in jsonable_encoder(exc.errors())
    ]
    detail = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:]) or 'body'}: {e['msg']}"
                       for e in errors)
    if _wants_json(request):
        return JSONResponse({"status": 422, "detail": detail, "errors": errors}, status_code=422)
    return web.error_page(request, 422, detail)


async def _server_error(request: Request, exc: Exception):
    log.exception("error serving %s", request.url.path)
    if _wants_json(request):
        return JSONResponse({"status": 500, "detail": "internal error"}, status_code=500)
    return web.error_page(request, 500, "internal error")
