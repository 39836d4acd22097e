"""Politeness and time: a clock, per-host spacing of requests, backoff of failing sources.

Everything that waits or reads the time goes through a Clock, so tests drive rate limits
and backoff with a fake one instead of sleeping.
"""

from __future__ import annotations

import email.utils
import re
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from triangulate import settings
from triangulate.ingest.fetch import FetchError, Page, Policy, fetch


class Stopped(Exception):
    """The user asked to stop (Ctrl-C): the round ends at the next safe point."""


class Clock:
    """Wall-clock seconds and waiting; a wait ends early when ``stop`` is set (Ctrl-C)."""

    def __init__(self, stop: threading.Event | None = None):
        self.stop = stop or threading.Event()

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.stop.wait(seconds)


Fetcher = Callable[..., Page | FetchError]


class HostLimiter:
    """At most one request to a host per ``interval`` seconds, across threads: each caller
    reserves the host's next free slot, then waits for it."""

    def __init__(self, clock: Clock, interval: float = settings.WATCH_HOST_INTERVAL_SECONDS):
        self.clock = clock
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str) -> float:
        """Wait for ``url``'s host to be free; returns the seconds waited. Raises Stopped
        when the watch is stopping: no new request starts then."""
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        with self._lock:
            now = self.clock.now()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        if slot > now:
            self.clock.sleep(slot - now)
        if self.clock.stop.is_set():
            raise Stopped
        return slot - now

    def fetcher(self, get: Fetcher = fetch) -> Fetcher:
        """``get`` (ingest's guarded fetch) keeping to this limit."""
        def limited(url: str, policy: Policy | None = None, headers: dict | None = None):
            self.wait(url)
            return get(url, policy, headers)

        return limited


def backoff_seconds(failures: int, retry_after: str | None = None, now: float = 0.0) -> float:
    """How long a source that failed ``failures`` times in a row waits before its next poll:
    doubling from WATCH_BACKOFF_BASE_SECONDS, capped, and never less than the server's
    Retry-After (itself capped)."""
    if failures <= 0:
        return 0.0
    cap = settings.WATCH_BACKOFF_MAX_SECONDS
    delay = min(settings.WATCH_BACKOFF_BASE_SECONDS * 2.0 ** min(failures - 1, 32), cap)
    asked = retry_after_seconds(retry_after, now)
    return max(delay, min(asked, cap)) if asked else delay


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """A Retry-After header (seconds, or an HTTP date) as seconds from ``now``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now) if when is not None else None


_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """"15m", "1h30m", "90s", "2d" or plain seconds ("900") as seconds; ValueError else."""
    compact = text.strip().replace(" ", "")
    parts = list(_PART.finditer(compact))
    if not compact or "".join(m.group(0) for m in parts) != compact:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 15m, 1h30m, 2d)")
    return sum(float(m[1]) * _UNIT[m[2].lower()] for m in parts)


def since_time(text: str, now: float) -> str:
    """An `alerts --since` value as an ISO UTC time: a date ("2024-06-01"), a time
    ("2024-06-01T12:00", taken as UTC) or a span back from ``now`` ("2h", "3d")."""
    import datetime as dt

    value = text.strip()
    try:
        back = parse_duration(value)
    except ValueError:
        try:
            when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"not a date, a time or a span: {text!r} "
                             "(use 2024-06-01, 2024-06-01T12:00 or 2h, 3d)") from None
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC).replace(tzinfo=None)
        return when.strftime("%Y-%m-%dT%H:%M:%S")
    return dt.datetime.fromtimestamp(now - back, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
