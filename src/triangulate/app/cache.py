"""GET answers kept in memory until the store changes, as one ASGI middleware.

Readers far outnumber writes, and every page is a function of the store alone (no user,
no session), so the answer to a GET stays right until the writer commits. Each answer is
kept with the writer's generation it was computed under and is used while the generation
is the same; a batch of adds moves the generation on after its last commit and before its
adds are answered, so nobody reads a page older than an add they saw succeed.

Concurrent misses for one URL are computed once: the first computes, the others wait for
its answer (after an add, 50 readers of the overview cost one render, not 50). Only 200
answers are kept, up to ``max_bytes`` of bodies, least recently used dropped first.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Answer:
    generation: int
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ReadCache:
    def __init__(self, app, generation: Callable[[], int], max_bytes: int):
        self.app = app
        self._generation = generation
        self._max_bytes = max_bytes
        self._answers: OrderedDict[tuple[str, bytes], _Answer] = OrderedDict()
        self._bytes = 0
        self._computing: dict[tuple[str, bytes], tuple[int, asyncio.Future]] = {}
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(
                "/static/"):
            await self.app(scope, receive, send)
            return
        generation = self._generation()
        key = (scope["path"], scope.get("query_string", b""))
        answer = self._answers.get(key)
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

    async def _compute(self, key, generation: int, scope, receive, send) -> None:
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
            _, dropped = self._answers.popitem(last=False)
            self._bytes -= len(dropped.body)


async def _replay(answer: _Answer, send) -> None:
    # Fresh message dicts: the middlewares outside add their headers to what they are sent.
    await send({"type": "http.response.start", "status": answer.status,
                "headers": list(answer.headers)})
    await send({"type": "http.response.body", "body": answer.body})
