"""GET answers kept in memory until the store changes, as one ASGI middleware.

Readers far outnumber writes, and every page is a function of the store alone (no user,
no session), so the answer to a GET stays right until the writer commits. Each answer is
kept with the writer's generation it was computed under and is used while the generation
is the same; a batch of adds moves the generation on after its last commit and before its
adds are answered, so nobody reads a page older than an add they saw succeed.

Concurrent misses for one URL are computed once: the first computes, the others wait for
its answer (after an add, 50 readers of the overview cost one render, not 50). Only 200
answers are kept, up to ``max_bytes`` of bodies, least recently used dropped first.

Before the writer publishes a new generation it has the cache compute the URLs readers
asked for most recently against the committed store (``refresh``): when the generation
moves, their answers are ready, so readers do not queue behind the recomputation of every
page after each add.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from triangulate import settings


@dataclass
class _Answer:
    generation: int
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ReadCacheMiddleware:
    def __init__(self, app, cache: ReadCache):
        cache.app = app
        self.cache = cache

    async def __call__(self, scope, receive, send):
        await self.cache.serve(scope, receive, send)


class ReadCache:
    """The answers, shared by the middleware (which serves them) and the writer (which has
    them refreshed before it publishes a generation)."""

    def __init__(self, generation: Callable[[], int], max_bytes: int,
                 refresh_urls: int = settings.SERVE_REFRESH_URLS):
        self.app = None  # the application behind the middleware
        self._generation = generation
        self._max_bytes = max_bytes
        self._refresh_urls = refresh_urls
        self._answers: OrderedDict[tuple[str, bytes], _Answer] = OrderedDict()
        self._scopes: dict[tuple[str, bytes], dict] = {}
        self._next: dict[tuple[str, bytes], _Answer] = {}
        self._bytes = 0
        self._computing: dict[tuple[str, bytes], tuple[int, asyncio.Future]] = {}
        self.hits = 0
        self.misses = 0

    async def serve(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(
                "/static/"):
            await self.app(scope, receive, send)
            return
        generation = self._generation()
        key = (scope["path"], scope.get("query_string", b""))
        answer = self._answers.get(key)
        if answer is None or answer.generation != generation:
            fresh = self._next.pop(key, None)
            if fresh is not None and fresh.generation == generation:
                self._keep(key, fresh)
                answer = fresh
        if answer is not None and answer.generation == generation:
            self._answers.move_to_end(key)
            self.hits += 1
            await _replay(answer, send)
            return
        computing = self._computing.get(key)
        if computing is not None and computing[0] == generation:
            answer = await asyncio.shield(computing[1])
            if answer is not None:
                self.hits += 1
                await _replay(answer, send)
                return
        self.misses += 1
        await self._compute(key, generation, scope, receive, send)

    async def refresh(self, generation: int, concurrency: int = 2) -> int:
        """Compute the most recently read URLs' answers for ``generation`` (about to be
        published: the store already holds it); returns how many were computed."""
        keys = [k for k in reversed(self._answers) if k in self._scopes][: self._refresh_urls]
        self._next = {}
        gate = asyncio.Semaphore(concurrency)

        async def one(key) -> bool:
            async with gate:
                answer = await _answer_of(self.app, self._scopes[key], generation)
            if answer is not None:
                self._next[key] = answer
            return answer is not None

        done = await asyncio.gather(*(one(k) for k in keys), return_exceptions=True)
        return sum(1 for d in done if d is True)

    async def _compute(self, key, generation: int, scope, receive, send) -> None:
        # As it came in: the application adds routing details to the scope it is given.
        template = dict(scope)
        future = asyncio.get_running_loop().create_future()
        self._computing[key] = (generation, future)
        status, headers, body, complete = 0, [], [], False

        async def capture(message):
            nonlocal status, headers, complete
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        answer = None
        try:
            await self.app(scope, receive, capture)
            if status == 200 and complete:
                answer = _Answer(generation, status, headers, b"".join(body))
        finally:
            if self._computing.get(key, (None, None))[1] is future:
                del self._computing[key]
            future.set_result(answer)
        if answer is not None and generation == self._generation():
            self._keep(key, answer)
            self._scopes[key] = template

    def _keep(self, key, answer: _Answer) -> None:
        size = len(answer.body)
        if size > self._max_bytes // 4:
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._answers[key] = answer
        self._bytes += size
        while self._bytes > self._max_bytes and self._answers:
            gone, dropped = self._answers.popitem(last=False)
            self._scopes.pop(gone, None)
            self._bytes -= len(dropped.body)


async def _answer_of(app, scope: dict, generation: int) -> _Answer | None:
    """The application's 200 answer to a GET with this scope, or None."""
    status, headers, body = 0, [], []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status, headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(dict(scope), receive, send)
    return _Answer(generation, status, headers, b"".join(body)) if status == 200 else None


async def _replay(answer: _Answer, send) -> None:
    # Fresh message dicts: the middlewares outside add their headers to what they are sent.
    await send({"type": "http.response.start", "status": answer.status,
                "headers": list(answer.headers)})
    await send({"type": "http.response.body", "body": answer.body})
