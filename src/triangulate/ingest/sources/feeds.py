"""RSS and Atom feeds: items with content are articles; link-only items are fetched or
reported."""

from __future__ import annotations

import re
from collections.abc import Iterator

from triangulate.ingest.normalize import url_id
from triangulate.ingest.sources.options import ReadOptions
from triangulate.ingest.sources.records import Item
from triangulate.ingest.sources.urls import read_urls
from triangulate.model import RawDocument, Skipped


def read_feed(data: bytes, source: str, options: ReadOptions) -> Iterator[Item]:
    """RSS/Atom items: those with full content are articles; link-only items are fetched
    (with fetch_links) or reported as "link-only"."""
    import feedparser

    from triangulate.ingest.html import fragment_text

    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # feedparser is lenient, but its XML and date parsers can raise
        yield Skipped(source, "malformed-feed", f"not a readable feed: {type(exc).__name__}")
        return
    if not feed.entries:
        detail = "no items" if not feed.bozo else f"not a readable feed: {feed.bozo_exception}"
        yield Skipped(source, "empty" if not feed.bozo else "malformed-feed", detail)
        return
    links: list[str] = []
    for n, entry in enumerate(feed.entries, 1):
        where = f"{source}#{n}"
        link = entry.get("link")
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        meta = {
            "url": link,
            "title": entry.get("title"),
            "author": _feed_author(entry.get("author")),
            "published": entry.get("published") or entry.get("updated"),
            "outlet": entry.get("publisher") or (entry.get("source") or {}).get("title"),
        }
        if contents:
            body = max(contents, key=len)
            text = fragment_text(body) if "<" in body else body
            doc_id = url_id(link) if link else None
            yield RawDocument(source=where, text=text, id=doc_id, **meta)
        elif link and options.fetch_links:
            links.append(link)
        elif link:
            yield Skipped(where, "link-only", f"the item has no content, only a link ({link});"
                          " use --fetch-links to fetch it")
        elif entry.get("summary"):
            yield RawDocument(source=where, text=fragment_text(entry["summary"]), **meta)
        else:
            yield Skipped(where, "empty", "the item has neither content nor a link")
    if links:
        yield from read_urls(links, options)


def _feed_author(value: str | None) -> str | None:
    # RSS <author> is "email (Name)"; the name is what a byline shows.
    m = re.fullmatch(r"\s*\S+@\S+\s*\((.+)\)\s*", value or "")
    return m.group(1) if m else value
