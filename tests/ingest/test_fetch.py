"""URL fetching against a local server on 127.0.0.1: guards first, then the happy path.

No test leaves 127.0.0.1: refused addresses are refused before any connection is made.
"""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.ingest.helpers import rows
from triangulate.ingest.fetch import Page, Policy, fetch

BODY = (
    "Militia fighters seized the customs post at Varda on Thursday, the interior ministry "
    "said. Traders reported long queues of lorries on both sides of the crossing."
)
PAGE = (
    "<html><head><title>Customs post seized</title>"
    '<meta property="og:site_name" content="Varda Herald"></head>'
    f"<body><nav>Home</nav><article><h1>Customs post seized</h1><p>{BODY}</p></article>"
    "</body></html>"
).encode()
LOCAL = Policy(allow_networks=(ipaddress.ip_network("127.0.0.1/32"),), timeout=0.5, total=3)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client gave up
            self.wfile.write(body)

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        routes = {
            "/article": lambda: self._send(200, PAGE, {"Content-Type": "text/html; charset=utf-8"}),
            "/gzipped": lambda: self._send(200, gzip.compress(PAGE), {
                "Content-Type": "text/html", "Content-Encoding": "gzip"}),
            "/plain": lambda: self._send(200, BODY.encode(), {"Content-Type": "text/plain"}),
            "/pdf": lambda: self._send(200, b"%PDF-1.4 x", {"Content-Type": "application/pdf"}),
            "/missing": lambda: self._send(404, b"not here", {"Content-Type": "text/html"}),
            "/moved": lambda: self._send(301, b"", {"Location": "/article"}),
            "/to-private": lambda: self._send(302, b"", {"Location": "http://10.20.30.40/x"}),
            "/to-metadata": lambda: self._send(
                302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}),
            "/to-localhost": lambda: self._send(302, b"", {"Location": f"http://localhost:{port}/article"}),
            "/to-file": lambda: self._send(302, b"", {"Location": "file:///etc/passwd"}),
            "/loop": lambda: self._send(302, b"", {"Location": "/loop"}),
            "/huge-declared": self._huge_declared,
            "/huge-streamed": self._huge_streamed,
            "/slow": self._slow,
            "/trickle": self._trickle,
        }
        routes.get(self.path, lambda: self._send(404))()

    def _huge_declared(self) -> None:
        self._send(200, b"<html>", {"Content-Type": "text/html", "Content-Length": str(10**9)})

    def _huge_streamed(self) -> None:
        # No Content-Length: the size is only known by reading.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b"<p>" + b"x" * 8192 + b"</p>")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _slow(self) -> None:
        time.sleep(2)
        self._send(200, PAGE, {"Content-Type": "text/html"})

    def _trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(40):  # a byte every 0.2 s: no read times out, the total does
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_loopback_address_is_refused_by_default(server):
    result = fetch(f"{server}/article")
    assert result.reason == "refused"
    assert "127.0.0.1 is a loopback address" in result.detail
    assert "--allow-private" in result.detail


def test_allow_private_fetches_from_a_local_server(server):
    result = fetch(f"{server}/article", Policy(allow_private=True))
    assert isinstance(result, Page) and result.content_type == "text/html"
    assert BODY.encode() in result.body


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/to-private", "10.20.30.40 is a private address"),
        ("/to-metadata", "169.254.169.254 is a link-local address"),
        ("/to-file", "only http and https"),
    ],
)
def test_every_redirect_target_is_checked_again(server, path, why):
    result = fetch(f"{server}{path}", LOCAL)
    assert result.reason == "refused" and why in result.detail


def test_a_name_is_refused_when_any_address_it_resolves_to_is_refused(server, monkeypatch):
    import socket

    real = socket.getaddrinfo

    def two_answers(host, port, *args, **kwargs):
        if host == "twofaced.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.9", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", two_answers)
    result = fetch(f"http://twofaced.test:{server.rsplit(':', 1)[1]}/article", LOCAL)
    assert result.reason == "refused" and "192.168.1.9" in result.detail


def test_a_dns_server_that_does_not_answer_is_a_timeout(monkeypatch):
    import socket

    real = socket.getaddrinfo

    def stalled(host, *args, **kwargs):
        if host == "stalled.test":
            time.sleep(1.5)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stalled)
    started = time.monotonic()
    result = fetch("http://stalled.test/x", LOCAL)
    assert result.reason == "timeout" and "DNS" in result.detail
    assert time.monotonic() - started < 1.2


def test_redirects_are_followed_and_limited(server):
    moved = fetch(f"{server}/moved", LOCAL)
    assert isinstance(moved, Page) and moved.url.endswith("/article")
    loop = fetch(f"{server}/loop", LOCAL)
    assert loop.reason == "fetch-failed" and "redirects" in loop.detail


def test_a_body_over_the_cap_is_cut_off_and_reported(server):
    small = Policy(allow_private=True, max_bytes=100_000, timeout=2, total=5)
    declared = fetch(f"{server}/huge-declared", small)
    assert declared.reason == "too-large" and "1,000,000,000" in declared.detail
    streamed = fetch(f"{server}/huge-streamed", small)
    assert streamed.reason == "too-large" and "stopped" in streamed.detail


def test_a_server_that_does_not_answer_in_time_is_a_timeout(server):
    started = time.monotonic()
    result = fetch(f"{server}/slow", LOCAL)
    assert result.reason == "timeout" and time.monotonic() - started < 1.5


def test_a_server_trickling_bytes_hits_the_total_time_budget(server):
    policy = Policy(allow_private=True, timeout=1, total=1)
    started = time.monotonic()
    result = fetch(f"{server}/trickle", policy)
    assert result.reason == "timeout" and time.monotonic() - started < 2.5


def test_http_errors_and_unsupported_schemes(server):
    assert fetch(f"{server}/missing", LOCAL).detail.startswith("HTTP 404")
    assert fetch("ftp://127.0.0.1/file.txt", LOCAL).reason == "refused"


def test_compressed_pages_are_decompressed(server):
    result = fetch(f"{server}/gzipped", LOCAL)
    assert isinstance(result, Page) and BODY.encode() in result.body


def test_a_url_list_is_fetched_into_articles(tmp_path, server, run, store):
    urls = tmp_path / "urls.txt"
    urls.write_text(
        f"# morning list\n{server}/article\n\n{server}/plain\n{server}/pdf\n{server}/missing\n"
        "not-a-url\n"
    )
    report = run(url_files=[str(urls)], allow_private=True)
    assert report.ingested == 2
    assert sorted(s.reason for s in report.skipped) == ["binary", "fetch-failed", "refused"]
    found = dict(rows(store, "SELECT url, outlet FROM articles"))
    assert found == {f"{server}/article": "Varda Herald", f"{server}/plain": "127.0.0.1"}
    again = run(url_files=[str(urls)], allow_private=True)  # stored URLs are not fetched again
    assert again.ingested == 0 and again.already_stored == 2


def test_a_url_given_as_an_input_is_fetched(server, run, store):
    report = run(f"{server}/article", allow_private=True)
    assert report.ingested == 1
    assert rows(store, "SELECT title FROM articles") == [("Customs post seized",)]


def test_a_page_that_failed_before_leaves_the_skipped_list_once_read(tmp_path, server, run, store):
    run(f"{server}/article")  # refused: not allowed yet
    assert rows(store, "SELECT reason FROM skipped") == [("refused",)]
    run(f"{server}/article", allow_private=True)
    assert rows(store, "SELECT count(*) FROM skipped") == [(0,)]


def test_without_allow_private_the_url_list_is_refused_with_a_reason(tmp_path, server, run):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server}/article\n")
    report = run(url_files=[str(urls)])
    assert report.read == 0 and [s.reason for s in report.skipped] == ["refused"]


def test_feed_items_with_only_a_link_are_fetched_when_asked(tmp_path, server, run, store):
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Herald</title>'
        f"<item><title>Customs post seized</title><link>{server}/article</link></item>"
        "</channel></rss>"
    )
    (tmp_path / "herald.rss").write_text(feed)
    assert [s.reason for s in run(tmp_path / "herald.rss").skipped] == ["link-only"]
    report = run(tmp_path / "herald.rss", fetch_links=True, allow_private=True)
    assert report.ingested == 1


def test_cli_ingest_with_urls_and_allow_private(tmp_path, server):
    from typer.testing import CliRunner

    from triangulate.cli import app

    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server}/article\n")
    db = str(tmp_path / "u.duckdb")
    refused = CliRunner().invoke(app, ["ingest", "--urls", str(urls), "--db", db, "-q"])
    assert refused.exit_code == 1 and "1 refused" in refused.output
    allowed = CliRunner().invoke(
        app, ["ingest", "--urls", str(urls), "--allow-private", "--db", db, "-q"]
    )
    assert allowed.exit_code == 0 and "1 ingested" in allowed.output
