"""URL lists and fetched pages."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from triangulate import settings
from triangulate.ingest import decode as dec
from triangulate.ingest.items import Input
from triangulate.ingest.normalize import url_id
from triangulate.ingest.sources.lines import os_message, raw_lines
from triangulate.ingest.sources.options import ReadOptions
from triangulate.ingest.sources.records import Item
from triangulate.model import RawDocument, Skipped


def read_url_file(path: Path, options: ReadOptions) -> Iterator[Item]:
    """The pages of a URL list, one URL a line; '#' starts a comment line."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Skipped(str(path), "unreadable", os_message(exc))
        return
    with fh:
        yield from read_urls(_url_lines(fh, str(path)), options)


def _url_lines(fh: BinaryIO, source: str) -> Iterator[str | Skipped]:
    for lineno, raw in raw_lines(fh, None):
        where = f"{source}:{lineno}"
        line = raw if isinstance(raw, str | dec.Failure) else dec.decode_line(raw)
        if isinstance(line, dec.Failure):
            yield Skipped(where, line.reason, line.detail)
            continue
        line = line.strip().lstrip("\ufeff")  # a '#' inside a URL is its fragment
        if not line or line.startswith("#"):
            continue
        if not re.match(r"(?i)[a-z][a-z0-9+.-]*://", line):
            yield Skipped(where, "refused", f"not a URL: {line[:80]}")
            continue
        yield line


def read_urls(urls: Iterable[str | Skipped], options: ReadOptions) -> Iterator[Item]:
    """Fetched pages as documents, in the order given, with a few downloads in flight
    (settings.FETCH_WORKERS) and never more than twice that many pages held."""
    pool: ThreadPoolExecutor | None = None
    pending: deque = deque()
    window = 2 * settings.FETCH_WORKERS
    try:
        for url in urls:
            if isinstance(url, Skipped):
                yield url
            elif options.is_stored is not None and options.is_stored(url_id(url)):
                yield Input(source=url, id=url_id(url), url=url, stored=True)
            else:
                pool = pool or ThreadPoolExecutor(settings.FETCH_WORKERS)
                pending.append((url, pool.submit(options.fetcher, url, options.policy)))
                if len(pending) >= window:
                    done_url, future = pending.popleft()
                    yield _page_document(done_url, future.result())
        while pending:
            done_url, future = pending.popleft()
            yield _page_document(done_url, future.result())
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _page_document(url: str, page) -> Item:
    from triangulate.ingest.fetch import FetchError

    if isinstance(page, FetchError):
        return Skipped(url, page.reason, page.detail)
    if failure := dec.sniff_binary(page.body[: dec.SNIFF_BYTES]):
        return Skipped(url, failure.reason, failure.detail)
    kind = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}.get(
        page.content_type
    )
    if kind is None:
        return Skipped(url, "unsupported", f"content type {page.content_type or '(none)'}; "
                       "HTML and plain text pages are read")
    text = dec.decode(page.body, declared=page.charset)
    if isinstance(text, dec.Failure):
        return Skipped(url, text.reason, text.detail)
    meta = {"source": url, "id": url_id(url), "url": page.url}
    return RawDocument(html=text, **meta) if kind == "html" else RawDocument(text=text, **meta)
