"""Politeness with a fake clock: requests to one host are spaced, failing sources back off."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triangulate import settings
from triangulate.watch.polite import (
    HostLimiter,
    Stopped,
    backoff_seconds,
    parse_duration,
    retry_after_seconds,
    since_time,
)


def test_requests_to_one_host_are_spaced_by_the_interval_and_other_hosts_do_not_wait(clock):
    limiter = HostLimiter(clock, interval=2.0)
    started = clock.now()
    times = []
    for url in ("https://a.example/1", "https://a.example/2", "https://b.example/1",
                "https://A.example/3"):
        limiter.wait(url)
        times.append(clock.now() - started)
    assert times == [0.0, 2.0, 2.0, 4.0]


def test_threads_fetching_one_host_each_get_their_own_slot(clock):
    clock.sleep = lambda seconds: None  # time stands still: each wait is its slot's distance
    limiter = HostLimiter(clock, interval=3.0)
    waited: list[float] = []
    lock = threading.Lock()

    def go() -> None:
        w = limiter.wait("https://a.example/x")
        with lock:
            waited.append(w)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Slots are reserved under a lock: 0, 3, 6, 9 s after the first, never two at once.
    assert sorted(waited) == [0.0, 3.0, 6.0, 9.0]


def test_the_limited_fetcher_waits_before_each_fetch(clock):
    calls = []
    limiter = HostLimiter(clock, interval=5.0)
    get = limiter.fetcher(lambda url, policy, headers=None: calls.append((url, clock.now())))
    get("http://news.example/a", None)
    get("http://news.example/b", None)
    assert [t - calls[0][1] for _, t in calls] == [0.0, 5.0]


def test_no_request_starts_once_the_watch_is_stopping(clock):
    limiter = HostLimiter(clock, interval=2.0)
    limiter.wait("https://a.example/1")
    clock.stop.set()  # Ctrl-C while the next request waits for its slot
    with pytest.raises(Stopped):
        limiter.wait("https://a.example/2")


def test_backoff_doubles_with_each_failure_up_to_the_cap(monkeypatch):
    monkeypatch.setattr(settings, "WATCH_BACKOFF_BASE_SECONDS", 60)
    monkeypatch.setattr(settings, "WATCH_BACKOFF_MAX_SECONDS", 600)
    assert [backoff_seconds(n) for n in range(0, 7)] == [0, 60, 120, 240, 480, 600, 600]
    assert backoff_seconds(10_000) == 600


def test_backoff_honours_a_longer_retry_after_but_never_past_the_cap(monkeypatch):
    monkeypatch.setattr(settings, "WATCH_BACKOFF_BASE_SECONDS", 60)
    monkeypatch.setattr(settings, "WATCH_BACKOFF_MAX_SECONDS", 600)
    assert backoff_seconds(1, "300") == 300
    assert backoff_seconds(1, "30") == 60
    assert backoff_seconds(1, "86400") == 600
    now = 1_718_000_000.0
    assert backoff_seconds(1, "Mon, 10 Jun 2024 06:18:20 GMT", now) == pytest.approx(300)


def test_retry_after_reads_seconds_and_http_dates_and_ignores_nonsense():
    assert retry_after_seconds("120", 0) == 120
    assert retry_after_seconds("soon", 0) is None
    assert retry_after_seconds(None, 0) is None


@pytest.mark.parametrize("text, seconds", [
    ("15m", 900), ("1h30m", 5400), ("90s", 90), ("2d", 172800), ("900", 900), ("1.5h", 5400),
])
def test_durations_read_with_units(text, seconds):
    assert parse_duration(text) == seconds


@given(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from("smhd")), min_size=1, max_size=4))
def test_any_sequence_of_amounts_with_units_reads_as_their_sum(parts):
    text = "".join(f"{n}{unit}" for n, unit in parts)
    scale = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    assert parse_duration(text) == sum(n * scale[unit] for n, unit in parts)


@pytest.mark.parametrize("text", ["", "m", "15 minutes", "15mm", "-5m", "soon"])
def test_a_duration_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_since_takes_a_date_a_utc_time_or_a_span_back_from_now():
    now = 1_718_000_000.0  # 2024-06-10T06:13:20Z
    assert since_time("2024-06-01", now) == "2024-06-01T00:00:00"
    assert since_time("2024-06-01T12:30", now) == "2024-06-01T12:30:00"
    assert since_time("2024-06-01T14:30+02:00", now) == "2024-06-01T12:30:00"
    assert since_time("2h", now) == "2024-06-10T04:13:20"
    with pytest.raises(ValueError):
        since_time("last tuesday", now)
