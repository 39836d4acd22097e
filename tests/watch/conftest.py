"""Watch fixtures: a fake clock (rate limits and backoff without sleeping) and a feed server."""

from __future__ import annotations

import pytest

from tests.watch.feeds import FeedServer
from triangulate.watch.polite import Clock


class FakeClock(Clock):
    """Time stands still until a test (or a wait) moves it; every wait is recorded."""

    def __init__(self, start: float = 1_718_000_000.0):
        super().__init__()
        self.t = start
        self.waits: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.waits.append(seconds)
            self.t += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s
