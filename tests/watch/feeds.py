"""The sample corpus as RSS feeds (one per outlet), served from 127.0.0.1 round by round.

The server answers conditional GETs as a news site does (ETag and Last-Modified, 304 when
nothing changed), can be told to fail a feed for a round, and logs every request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import hashlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from tests.conftest import SAMPLE_DIR

# Feed path of each (fictional) outlet of the sample corpus.
FEEDS = {
    "Meridian Wire": "/meridian.xml", "The Northern Ledger": "/ledger.xml",
    "The Lakeshore Tribune": "/lakeshore.xml", "The Levant Observer": "/levant.xml",
    "Vostok Today": "/vostok.xml", "Plainspoken": "/plainspoken.xml",
    "Crossline Relief": "/crossline.xml", "Grid Reference": "/gridreference.xml",
    "Le Veilleur": "/veilleur.xml",
}
# The plain-text items carry no metadata: their outlet, from the sample README.
_TEXT_OUTLETS = {"text/crossline-": "Crossline Relief", "text/gridreference-": "Grid Reference"}
MALFORMED = b"<?xml version='1.0'?>\n<rss version='2.0'><channel><title>Broken Wire</t"


@dataclass
class FeedItem:
    key: str  # the sample corpus id: "mw-2022-04-08-kramatorsk-station", "html/..."
    outlet: str
    title: str | None
    link: str
    published: str | None  # YYYY-MM-DD
    text: str


def sample_items() -> dict[str, FeedItem]:
    """Every sample-corpus article (the French one too), read by the real ingest."""
    from triangulate.ingest.prepare import prepare
    from triangulate.ingest.sources import read_inputs
    from triangulate.model import Article

    items = {}
    for raw in read_inputs([str(SAMPLE_DIR)]):
        if not hasattr(raw, "text"):
            continue  # README and gold files
        article = prepare(raw)
        text = article.text if isinstance(article, Article) else raw.text
        if not text:
            continue
        key = raw.id or ""
        meta = article if isinstance(article, Article) else raw
        outlet = meta.outlet or next(o for p, o in _TEXT_OUTLETS.items() if key.startswith(p))
        slug = key.rsplit("/", 1)[-1]
        domain = outlet.lower().replace("the ", "").replace(" ", "")
        link = meta.url or f"https://{domain}.example/{slug}"
        items[key] = FeedItem(key, outlet, meta.title, link, meta.published, text)
    return items


def rss(title: str, items: Iterable[FeedItem]) -> bytes:
    """An RSS 2.0 feed with each item's full text in content:encoded, newest first."""
    entries = []
    for item in sorted(items, key=lambda i: (i.published or "", i.key), reverse=True):
        date = ""
        if item.published:
            y, m, d = (int(x) for x in item.published.split("-"))
            stamp = dt.datetime(y, m, d, 9, 0, tzinfo=dt.UTC)
            date = f"<pubDate>{email.utils.format_datetime(stamp)}</pubDate>"
        entries.append(
            f"<item><title>{escape(item.title or '')}</title><link>{escape(item.link)}</link>"
            f"<guid>{escape(item.link)}</guid>{date}"
            f"<source url=\"{escape(item.link)}\">{escape(item.outlet)}</source>"
            f"<content:encoded>{escape(item.text)}</content:encoded></item>")
    return (
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" "
        "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
        f"<title>{escape(title)}</title><link>https://example.org/</link>"
        f"<description>{escape(title)}</description>{''.join(entries)}</channel></rss>"
    ).encode()


def feeds_for(items: Sequence[FeedItem]) -> dict[str, bytes]:
    """path -> feed body for these items (every outlet's feed, empty ones too)."""
    return {path: rss(outlet, [i for i in items if i.outlet == outlet])
            for outlet, path in FEEDS.items()}


class FeedServer:
    """A ThreadingHTTPServer on 127.0.0.1 with published bodies and scripted failures."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        self.failing: dict[str, int] = {}  # path -> HTTP status to answer instead
        self.requests: list[tuple[str, str, dict[str, str], int]] = []  # method, path, headers, status
        self.received: list[bytes] = []  # POST bodies (a webhook receiver)
        self.post_status: list[int] = []  # statuses to answer POSTs with, in turn (then 200)
        self._modified: dict[str, str] = {}
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def publish(self, bodies: dict[str, bytes], stamp: str) -> None:
        """Serve these bodies from now on; a changed body gets ``stamp`` as Last-Modified."""
        with self._lock:
            for path, body in bodies.items():
                if self.bodies.get(path) != body:
                    self._modified[path] = stamp
                self.bodies[path] = body

    def statuses(self, path: str) -> list[int]:
        return [status for method, p, _, status in self.requests if p == path and method == "GET"]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
                with server._lock:
                    server.requests.append((self.command, self.path, dict(self.headers), status))
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def do_GET(self) -> None:
                with server._lock:
                    failing = server.failing.get(self.path)
                    body = server.bodies.get(self.path)
                    modified = server._modified.get(self.path)
                if failing:
                    self._answer(failing, b"down for maintenance", {"Retry-After": "60"})
                    return
                if body is None:
                    self._answer(404, b"no such feed")
                    return
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._answer(304, b"", {"ETag": etag})
                    return
                kind = "text/html" if self.path.endswith(".html") else "application/rss+xml"
                headers = {"Content-Type": f"{kind}; charset=utf-8", "ETag": etag}
                if modified:
                    headers["Last-Modified"] = modified
                self._answer(200, body, headers)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                with server._lock:
                    status = server.post_status.pop(0) if server.post_status else 200
                    if status < 300:
                        server.received.append(data)
                self._answer(status, b"{}", {"Content-Type": "application/json"})

        return Handler


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
