"""Polling one source against a feed server on 127.0.0.1, with a fake clock."""

from __future__ import annotations

import os

from tests.watch.feeds import MALFORMED, FeedItem, closed_port, rss
from triangulate import settings
from triangulate.watch.polite import HostLimiter
from triangulate.watch.poll import PollContext, SourceState, poll
from triangulate.watch.sources import WatchSource

ITEMS = [
    FeedItem("a", "Varda Herald", "Customs post seized", "https://varda.example/a",
             "2024-05-02", "Militia fighters seized the customs post at Varda on Thursday, "
             "the interior ministry said."),
    FeedItem("b", "Varda Herald", "Bridge reopens", "https://varda.example/b", "2024-05-03",
             "The river bridge at Varda reopened to lorries on Friday, the governor said."),
    FeedItem("c", "Varda Herald", "Curfew lifted", "https://varda.example/c", "2024-05-04",
             "Authorities lifted the night curfew in Varda on Saturday after three calm days."),
]


def ctx(clock, **kw) -> PollContext:
    kw.setdefault("allow_private", True)
    kw.setdefault("settle", 0.0)
    return PollContext(clock=clock, limiter=HostLimiter(clock, 0.0), **kw)


def drain(p) -> list:
    return list(p.items())


def test_a_feed_is_asked_again_conditionally_and_an_unchanged_one_gives_nothing(server, clock):
    server.publish({"/f.xml": rss("Varda Herald", ITEMS[:2])}, "Thu, 02 May 2024 10:00:00 GMT")
    source = WatchSource("feed", f"{server.base}/f.xml")
    first = poll(source, SourceState(source.key), {}, ctx(clock))
    docs = drain(first)
    assert first.status == "new" and [d.title for d in docs] == ["Bridge reopens", "Customs post seized"]
    assert first.state.etag and first.state.last_modified == "Thu, 02 May 2024 10:00:00 GMT"

    again = poll(source, first.state, dict(first.seen), ctx(clock))
    assert again.status == "not-modified" and drain(again) == []
    _, _, headers, status = server.requests[-1]
    assert status == 304
    assert headers["If-None-Match"] == first.state.etag
    assert headers["If-Modified-Since"] == "Thu, 02 May 2024 10:00:00 GMT"


def test_only_items_not_seen_before_are_given_when_a_feed_changes(server, clock):
    source = WatchSource("feed", f"{server.base}/f.xml")
    server.publish({"/f.xml": rss("Varda Herald", ITEMS[:2])}, "Thu, 02 May 2024 10:00:00 GMT")
    first = poll(source, SourceState(source.key), {}, ctx(clock))
    drain(first)
    server.publish({"/f.xml": rss("Varda Herald", ITEMS)}, "Sat, 04 May 2024 10:00:00 GMT")
    second = poll(source, first.state, dict(first.seen), ctx(clock))
    assert [d.title for d in drain(second)] == ["Curfew lifted"]
    assert second.new_items == 1 and len(second.seen) == 1


def test_a_failing_feed_backs_off_and_is_not_asked_before_its_time(server, clock):
    source = WatchSource("feed", f"{server.base}/f.xml")
    server.publish({"/f.xml": rss("Varda Herald", ITEMS)}, "Sat, 04 May 2024 10:00:00 GMT")
    server.failing["/f.xml"] = 503
    failed = poll(source, SourceState(source.key), {}, ctx(clock))
    assert failed.status == "failed" and "HTTP 503" in failed.detail and drain(failed) == []
    assert failed.state.failures == 1
    assert failed.state.retry_at == clock.now() + settings.WATCH_BACKOFF_BASE_SECONDS

    asked = len(server.requests)
    clock.t += settings.WATCH_BACKOFF_BASE_SECONDS - 1
    waiting = poll(source, failed.state, {}, ctx(clock))
    assert waiting.status == "waiting" and len(server.requests) == asked

    server.failing.clear()
    clock.t += 1
    back = poll(source, waiting.state, {}, ctx(clock))
    assert back.status == "new" and len(drain(back)) == 3
    assert back.state.failures == 0 and back.state.retry_at is None


def test_failures_in_a_row_double_the_wait(clock):
    source = WatchSource("feed", f"http://127.0.0.1:{closed_port()}/gone.xml")
    state = SourceState(source.key)
    waits = []
    for _ in range(3):
        p = poll(source, state, {}, ctx(clock))
        assert p.status == "failed" and "refused" in p.detail.lower()
        waits.append(state.retry_at - clock.now())
        clock.t = state.retry_at
    base = settings.WATCH_BACKOFF_BASE_SECONDS
    assert waits == [base, 2 * base, 4 * base] and state.failures == 3


def test_a_malformed_feed_is_a_failure_and_its_validators_are_not_kept(server, clock):
    server.publish({"/bad.xml": MALFORMED}, "Sat, 04 May 2024 10:00:00 GMT")
    source = WatchSource("feed", f"{server.base}/bad.xml")
    p = poll(source, SourceState(source.key), {}, ctx(clock))
    assert p.status == "failed" and p.detail.startswith("malformed-feed")
    assert p.state.etag is None and p.state.last_modified is None


def test_a_feed_with_no_items_yet_is_not_a_failure(server, clock):
    server.publish({"/f.xml": rss("Varda Herald", [])}, "Sat, 04 May 2024 10:00:00 GMT")
    source = WatchSource("feed", f"{server.base}/f.xml")
    p = poll(source, SourceState(source.key), {}, ctx(clock))
    assert p.status == "new" and drain(p) == [] and p.state.failures == 0


def test_a_feed_on_a_loopback_address_is_refused_without_allow_private(server, clock):
    server.publish({"/f.xml": rss("Varda Herald", ITEMS)}, "Sat, 04 May 2024 10:00:00 GMT")
    source = WatchSource("feed", f"{server.base}/f.xml")
    p = poll(source, SourceState(source.key), {}, ctx(clock, allow_private=False))
    assert p.status == "failed" and p.detail.startswith("refused") and not server.requests


def test_listed_urls_are_fetched_once_and_spaced_per_host(server, clock, tmp_path):
    page = ("<html><head><title>Customs post seized</title></head><body><article><p>"
            + ITEMS[0].text + " Traders reported long queues of lorries on both sides.</p>"
            "</article></body></html>").encode()
    server.publish({"/a.html": page, "/b.html": page.replace(b"Customs", b"Border")}, "x")
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# pages\n{server.base}/a.html\n{server.base}/b.html\n")
    source = WatchSource("urls", str(listing))
    context = PollContext(clock=clock, limiter=HostLimiter(clock, 2.0), allow_private=True)
    first = poll(source, SourceState(source.key), {}, context)
    assert len(drain(first)) == 2 and clock.waits == [2.0]
    stored = {key for key, _ in first.seen}
    context.is_stored = stored.__contains__
    again = poll(source, first.state, {}, context)
    assert drain(again) == [] and len(server.statuses("/a.html")) == 1


def test_a_folder_gives_new_and_changed_files_once_they_are_written(tmp_path, clock):
    folder = tmp_path / "drops"
    folder.mkdir()
    (folder / "a.txt").write_text(ITEMS[0].text)
    (folder / "README.md").write_text("notes")
    source = WatchSource("folder", str(folder))
    clock.t = (folder / "a.txt").stat().st_mtime + 60
    first = poll(source, SourceState(source.key), {}, ctx(clock))
    docs = drain(first)
    assert [getattr(d, "reason", None) or d.id for d in docs] == ["ignored", "a"]
    seen = dict(first.seen)
    assert drain(poll(source, first.state, seen, ctx(clock))) == []

    (folder / "a.txt").write_text(ITEMS[0].text + " Traders reported long queues.")
    os.utime(folder / "a.txt", (clock.t - 60, clock.t - 60))
    (folder / "b.txt").write_text(ITEMS[1].text)
    os.utime(folder / "b.txt", (clock.t - 1, clock.t - 1))  # written a second ago
    later = poll(source, first.state, seen, ctx(clock, settle=5.0))
    assert [d.id for d in drain(later)] == ["a"] and "still being written" in later.detail
    clock.t += 10
    assert [d.id for d in drain(poll(source, later.state, seen | dict(later.seen),
                                     ctx(clock, settle=5.0)))] == ["b"]
