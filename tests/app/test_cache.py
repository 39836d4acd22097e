"""The read cache: a GET answer is computed once per store generation, concurrent misses
share one computation, and a refresh makes the next generation's answers ready before it
is published."""

from __future__ import annotations

import asyncio

from triangulate.app.cache import ReadCache, ReadCacheMiddleware


class Counting:
    """An ASGI app that answers every GET with the state of its store and counts calls;
    ``published`` is the generation the writer has published (the cache's clock)."""

    def __init__(self):
        self.calls = 0
        self.state = 0
        self.published = 0
        self.release = asyncio.Event()

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await self.release.wait()
        status = 404 if scope["path"] == "/missing" else 200
        body = f"{scope['path']} at {self.state}".encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


async def _get(app, path: str) -> tuple[int, bytes]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app({"type": "http", "method": "GET", "path": path, "query_string": b"",
               "headers": []}, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def _app() -> tuple[Counting, ReadCache, ReadCacheMiddleware]:
    inner = Counting()
    cache = ReadCache(lambda: inner.published, max_bytes=1 << 20)
    return inner, cache, ReadCacheMiddleware(inner, cache)


def test_concurrent_misses_share_one_computation_and_later_reads_hit():
    async def run():
        inner, _, app = _app()
        readers = [asyncio.create_task(_get(app, "/stories")) for _ in range(10)]
        await asyncio.sleep(0)
        inner.release.set()
        answers = await asyncio.gather(*readers)
        assert answers == [(200, b"/stories at 0")] * 10
        assert await _get(app, "/stories") == (200, b"/stories at 0")
        assert inner.calls == 1

    asyncio.run(run())


def test_a_new_generation_is_computed_again_and_errors_are_not_kept():
    async def run():
        inner, _, app = _app()
        inner.release.set()
        await _get(app, "/stories")
        inner.state = inner.published = 1
        assert await _get(app, "/stories") == (200, b"/stories at 1")
        await _get(app, "/missing")
        await _get(app, "/missing")
        assert inner.calls == 4

    asyncio.run(run())


def test_a_refresh_computes_the_next_generation_before_it_is_published():
    async def run():
        inner, cache, app = _app()
        inner.release.set()
        await _get(app, "/stories")
        await _get(app, "/map")
        inner.state = 1  # the writer has committed, not yet published
        assert await cache.refresh(1) == 2
        calls = inner.calls
        assert await _get(app, "/stories") == (200, b"/stories at 0")
        inner.published = 1
        assert await _get(app, "/stories") == (200, b"/stories at 1")
        assert await _get(app, "/map") == (200, b"/map at 1")
        assert inner.calls == calls

    asyncio.run(run())
