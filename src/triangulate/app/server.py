"""The one server: the JSON API (/api, schema at /openapi.json, docs at /docs) and the web
app (every other page) over one store."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from triangulate import settings
from triangulate.app import api, web
from triangulate.app.cache import ReadCache, ReadCacheMiddleware
from triangulate.app.security import SecurityMiddleware, TrustedHostMiddleware
from triangulate.app.writer import Writer
from triangulate.store import Store

STATIC = Path(__file__).resolve().parent / "static"
# An upload is a file of articles, not a corpus (use `triangulate run` for those).
MAX_BODY_BYTES = 10 * 1024 * 1024

log = logging.getLogger(__name__)


def create_app(
    db: str | Path | Store, max_body: int = MAX_BODY_BYTES,
    trusted_hosts: list[str] | None = None, warm: bool = False,
    cache_bytes: int = settings.SERVE_CACHE_MB * 2**20,
) -> FastAPI:
    """The application over the store at ``db`` (created when missing). ``trusted_hosts``:
    the only Host headers answered (others get 400), against DNS rebinding: a page on
    another site whose name is made to resolve to 127.0.0.1 must not read a local store.
    ``warm``: load the writer's analysis worker at start-up, so the first add is not the
    one that waits for the model. ``cache_bytes``: memory for GET answers (0: none)."""
    store = db if isinstance(db, Store) else Store(db)
    writer = Writer(store)
    cache = ReadCache(lambda: writer.generation, cache_bytes) if cache_bytes else None

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        if cache is not None:
            writer.before_publish = _refresher(cache, asyncio.get_running_loop())
        writer.start(warm=warm)
        yield
        # Off the loop: the writer may be waiting for a cache refresh that runs on it.
        await asyncio.to_thread(writer.close)
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
    app.state.writer = writer
    app.state.max_body = max_body
    app.include_router(api.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    if cache is not None:
        app.add_middleware(ReadCacheMiddleware, cache=cache)
    app.add_middleware(ContainErrors)
    app.add_middleware(SecurityMiddleware, max_body=max_body)
    if trusted_hosts:
        app.add_middleware(TrustedHostMiddleware, hosts=trusted_hosts)

    return app


def _refresher(cache: ReadCache, loop: asyncio.AbstractEventLoop):
    """For the writer thread: the cache's refresh, run on the server's loop and waited for."""
    def refresh(generation: int) -> None:
        future = asyncio.run_coroutine_threadsafe(cache.refresh(generation), loop)
        try:
            future.result(settings.SERVE_REFRESH_SECONDS)
        except TimeoutError:
            future.cancel()
    return refresh


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


class ContainErrors:
    """A request that raises is answered 500 ("internal error": JSON under /api, the error
    page elsewhere, never a traceback) and its connection stays open for the next request.
    Starlette's own last-resort handler re-raises after answering, and the server then
    drops the keep-alive connection."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("error serving %s", scope.get("path"))
            if started:
                raise  # half an answer is out: only closing the connection ends it
            await _server_error(Request(scope))(scope, receive, send)


def _server_error(request: Request) -> Response:
    if _wants_json(request):
        return JSONResponse({"status": 500, "detail": "internal error"}, status_code=500)
    try:
        return web.error_page(request, 500, "internal error")
    except Exception:  # the error page itself failed (a broken template)
        log.exception("the error page failed")
        return PlainTextResponse("internal error", status_code=500)
