"""Poll one watched source: fetch it politely and yield only the items not seen before.

A feed is fetched with a conditional GET (the ETag and Last-Modified of its last good
answer), through ingest's guarded fetch and the per-host limiter. Its items are read by
ingest's feed reader, so they become the same documents `triangulate ingest feed.xml`
makes. A failing source (an HTTP error, no connection, a malformed feed) backs off.

Nothing here writes to the store: the round ingests the items, then saves the state this
poll leaves (``Poll.state``, ``Poll.seen``), so a poll killed half-way is simply redone.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triangulate import settings
from triangulate.ingest.fetch import FetchError, Page, Policy, fetch
from triangulate.ingest.normalize import content_hash
from triangulate.ingest.sources import ReadOptions, ignored, read_feed, read_file, read_url_file
from triangulate.model import RawDocument, Skipped
from triangulate.watch.polite import Clock, Fetcher, HostLimiter, Stopped, backoff_seconds
from triangulate.watch.sources import WatchSource

Item = RawDocument | Skipped
# Reasons an item may be fine next time (the page was down): such items are not marked seen.
_TRANSIENT = ("timeout", "fetch-failed")


@dataclass
class SourceState:
    """A source's politeness state, as the watch_sources table keeps it."""

    source: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    retry_at: float | None = None
    last_polled: float | None = None
    last_ok: float | None = None
    last_status: str | None = None
    last_error: str | None = None

    @classmethod
    def from_row(cls, source: str, row: dict[str, Any] | None) -> SourceState:
        if not row:
            return cls(source)
        return cls(**{k: row.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]

    def due(self, now: float) -> bool:
        return self.retry_at is None or now >= self.retry_at

    def row(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class PollContext:
    """What every poll of a round shares."""

    clock: Clock
    limiter: HostLimiter
    allow_private: bool = False
    fetch_links: bool = False
    is_stored: Callable[[str], bool] | None = None
    settle: float = settings.WATCH_FILE_SETTLE_SECONDS
    get: Fetcher = fetch  # the guarded fetch; the limiter wraps it

    def policy(self) -> Policy:
        return Policy(allow_private=self.allow_private)

    def read_options(self) -> ReadOptions:
        return ReadOptions(allow_private=self.allow_private, fetch_links=self.fetch_links,
                           is_stored=self.is_stored, fetcher=self.limiter.fetcher(self.get))


@dataclass
class Poll:
    """One poll: its outcome and, once ``items()`` is drained, what it saw."""

    source: WatchSource
    state: SourceState
    status: str = "new"  # new | not-modified | failed | waiting
    detail: str = ""
    seen: list[tuple[str, str | None]] = field(default_factory=list)
    new_items: int = 0
    _items: Iterator[Item] = field(default_factory=lambda: iter(()))

    def items(self) -> Iterator[Item]:
        yield from self._items


def poll(source: WatchSource, state: SourceState, seen: dict[str, str | None],
         ctx: PollContext) -> Poll:
    """Poll ``source`` unless it is backing off; ``seen`` holds its items already stored."""
    now = ctx.clock.now()
    if not state.due(now):
        return Poll(source, state, "waiting", f"backing off after {state.failures} failures")
    state.last_polled = now
    result = Poll(source, state)
    try:
        if source.kind == "feed":
            _poll_feed(result, seen, ctx)
        else:
            _poll_local(result, seen, ctx)
    except Stopped:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad source never stops the others
        _failed(result, ctx, "error", f"{type(exc).__name__}: {exc}")
    if result.status != "failed":
        _succeeded(result, now)
    return result


def _succeeded(p: Poll, now: float) -> None:
    p.state.failures = 0
    p.state.retry_at = None
    p.state.last_ok = now
    p.state.last_error = None


def _failed(p: Poll, ctx: PollContext, reason: str, detail: str,
            retry_after: str | None = None) -> None:
    now = ctx.clock.now()
    p.status, p.detail = "failed", f"{reason}: {detail}"
    p.state.failures += 1
    p.state.retry_at = now + backoff_seconds(p.state.failures, retry_after, now)
    p.state.last_status = reason
    p.state.last_error = detail
    p._items = iter(())


def _unseen(p: Poll, docs: Iterator[Item], seen: dict[str, str | None],
            key: Callable[[Item], str | None]) -> Iterator[Item]:
    """The items not seen before; each yielded or already stored one is marked seen."""
    for doc in docs:
        item = key(doc)
        if item is not None and item in seen:
            continue
        if getattr(doc, "stored", False):  # a listed URL stored before: not fetched again
            p.seen.append((item or doc.source, None))
            continue
        if item is not None:
            p.seen.append((item, None))
        if isinstance(doc, RawDocument):
            p.new_items += 1
        yield doc


def _item_key(doc: Item) -> str | None:
    """A feed item's or listed URL's identity across polls."""
    if isinstance(doc, Skipped):
        if doc.reason in _TRANSIENT:
            return None
        return "skipped:" + hashlib.sha1(f"{doc.reason}\x1f{doc.detail}".encode()).hexdigest()[:16]
    if doc.id:
        return doc.id
    return "text:" + content_hash(doc.text or doc.html or "")[:16]


# ----------------------------------------------------------------------------- feeds


def _poll_feed(p: Poll, seen: dict[str, str | None], ctx: PollContext) -> None:
    headers = {}
    if p.state.etag:
        headers["If-None-Match"] = p.state.etag
    if p.state.last_modified:
        headers["If-Modified-Since"] = p.state.last_modified
    ctx.limiter.wait(p.source.target)
    page = ctx.get(p.source.target, ctx.policy(), headers)
    if isinstance(page, FetchError):
        _failed(p, ctx, page.reason, page.detail, page.retry_after)
        return
    assert isinstance(page, Page)
    p.state.last_status = str(page.status)
    if page.status == 304:
        p.status, p.detail = "not-modified", "not modified since the last poll (304)"
        p.state.etag = page.headers.get("etag") or p.state.etag
        return
    docs = read_feed(page.body, p.source.target, ctx.read_options())
    first = next(docs, None)
    if isinstance(first, Skipped) and first.source == p.source.target:
        # About the feed itself, not one item: unreadable (a failure), or no items yet.
        if first.reason != "empty":
            _failed(p, ctx, first.reason, first.detail)
            return
        first = None
    # Validators are kept only from an answer that was read: a broken feed is asked again
    # in full, not answered "not modified" until it changes.
    p.state.etag = page.headers.get("etag")
    p.state.last_modified = page.headers.get("last-modified")
    rest = itertools.chain([first], docs) if first is not None else iter(())
    p._items = _unseen(p, rest, seen, _item_key)


# ----------------------------------------------------------------------------- URL lists, folders


def _poll_local(p: Poll, seen: dict[str, str | None], ctx: PollContext) -> None:
    """A URL list (its URLs not stored yet) or a folder (its new and changed files)."""
    path = Path(p.source.target)
    listing = p.source.kind == "urls"
    if not (path.is_file() if listing else path.is_dir()):
        _failed(p, ctx, "unreadable", f"no {'URL list' if listing else 'folder'} at {path}")
        return
    p.state.last_status = "read"
    p._items = (_unseen(p, read_url_file(path, ctx.read_options()), seen, _item_key)
                if listing else _folder_items(p, path, seen, ctx))


def _folder_items(p: Poll, root: Path, seen: dict[str, str | None],
                  ctx: PollContext) -> Iterator[Item]:
    """New and changed files (by size and modification time), read as ingest reads a
    folder (ids relative to it); files still being written wait for a later round."""
    options = ctx.read_options()
    now = ctx.clock.now()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            try:
                info = path.stat()
            except OSError:
                continue  # gone since the listing: nothing to read
            rel = path.relative_to(root).as_posix()
            version = f"{info.st_size}:{info.st_mtime_ns}"
            if seen.get(rel) == version:
                continue
            # A modification time in the future (clock skew, copied files) is not "now".
            if 0 <= now - info.st_mtime < ctx.settle:
                p.detail = "a file is still being written; read next round"
                continue
            p.seen.append((rel, version))
            if pattern := ignored(name):
                yield Skipped(str(path), "ignored", f"documentation or annotation ({pattern}), "
                              "not an article")
                continue
            for doc in read_file(path, root=root, options=options):
                if isinstance(doc, RawDocument):
                    p.new_items += 1
                yield doc
