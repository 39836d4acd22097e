"""The security middlewares (app/security.py), driven directly over ASGI around a small app
that echoes what it received: headers on every response, the body limit, the cross-site
check, the trusted Host."""

from __future__ import annotations

import asyncio
import json

import pytest

from triangulate.app.security import (
    HEADERS,
    SecurityMiddleware,
    TrustedHostMiddleware,
    host_name,
)

LIMIT = 1000


class Echo:
    """An app that reads the whole body and answers 200 with what it read."""

    def __init__(self, headers=()):
        self.calls = []
        self.headers = list(headers)

    async def __call__(self, scope, receive, send):
        body = b""
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH"):
            more = True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
        self.calls.append((scope, body))
        await send({"type": "http.response.start", "status": 200, "headers": self.headers})
        await send({"type": "http.response.body", "body": body})


def request(method="POST", path="/api/articles", headers=None, chunks=(b"",),
            app=None, disconnect_after=None, messages=None, received=None,
            middleware=lambda app: SecurityMiddleware(app, max_body=LIMIT)):
    """Run one request through the middleware: (status, response headers, body, app).
    ``messages`` replaces the request messages built from ``chunks``; ``received`` (a list)
    collects what the middleware read."""
    app = app or Echo()
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {"type": "http", "method": method, "path": path, "headers": raw}
    if messages is None:
        messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
                    for i, c in enumerate(chunks)]
    if disconnect_after is not None:
        messages = messages[:disconnect_after] + [{"type": "http.disconnect"}]
    sent = []
    received = [] if received is None else received

    async def receive():
        message = messages.pop(0) if messages else {"type": "http.disconnect"}
        received.append(message)
        return message

    async def send(message):
        sent.append(message)

    asyncio.run(middleware(app)(scope, receive, send))
    if not sent:
        return None, {}, b"", app
    start = sent[0]
    assert start["type"] == "http.response.start"
    assert all(m["type"] == "http.response.body" for m in sent[1:])
    names = [k.decode() for k, _ in start["headers"]]
    response_headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert len(names) == len(set(names)), f"a header sent twice: {names}"
    return start["status"], response_headers, b"".join(m.get("body", b"") for m in sent[1:]), app


def test_every_response_carries_the_security_headers():
    status, headers, _, _ = request("GET", "/")
    assert status == 200
    for name, value in HEADERS:
        assert headers[name.decode()] == value.decode()


def test_a_header_the_route_set_itself_is_kept_not_doubled():
    app = Echo(headers=[(b"X-Frame-Options", b"SAMEORIGIN")])
    _, headers, _, _ = request("GET", "/embed", app=app)
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "x-frame-options" not in headers


def test_a_post_from_the_same_site_reaches_the_route_with_its_whole_body():
    status, _, body, app = request(
        headers={"Host": "triangulate.local", "Origin": "http://Triangulate.LOCAL",
                 "Content-Length": "11"},
        chunks=[b"hello ", b"world"])
    assert status == 200 and body == b"hello world"
    assert len(app.calls) == 1


def test_a_post_without_origin_or_referer_is_allowed():
    status, _, body, _ = request(chunks=[b"{}"])
    assert (status, body) == (200, b"{}")


@pytest.mark.parametrize("headers", [
    {"Host": "triangulate.local", "Origin": "https://elsewhere.example"},
    {"Host": "triangulate.local", "Referer": "https://elsewhere.example/form"},
    {"Host": "triangulate.local", "Origin": "null"},
    {"Origin": "null"},
    {"Origin": "https://elsewhere.example"},
], ids=["another site's Origin", "another site's Referer", "an opaque Origin",
        "an opaque Origin and no Host", "an Origin and no Host"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_a_cross_site_write_is_refused_before_the_route(headers, method):
    status, response_headers, body, app = request(method, headers=headers, chunks=[b"x"])
    assert status == 403 and app.calls == []
    assert json.loads(body) == {"status": 403, "detail": "cross-site request refused"}
    assert response_headers["content-type"] == "application/json"
    assert response_headers["content-length"] == str(len(body))
    assert response_headers["x-frame-options"] == "DENY"


def test_a_refusal_outside_the_api_is_a_small_html_page():
    status, headers, body, _ = request(
        path="/add", headers={"Host": "triangulate.local", "Origin": "https://elsewhere.example"})
    assert status == 403
    assert headers["content-type"].startswith("text/html")
    assert b"<h1>403</h1>" in body and b"cross-site request refused" in body


def test_a_declared_body_over_the_limit_is_413_before_anything_is_read():
    received = []
    status, _, body, app = request(headers={"Content-Length": str(LIMIT + 1)},
                                   chunks=[b"x" * (LIMIT + 1)], received=received)
    assert status == 413 and app.calls == [] and received == []
    assert json.loads(body)["detail"] == "request body larger than 1,000 bytes"


def test_a_streamed_body_over_the_limit_is_413_whatever_was_declared():
    status, _, body, app = request(chunks=[b"x" * 600, b"x" * 600])
    assert status == 413 and app.calls == []
    assert json.loads(body)["detail"] == "request body larger than 1,000 bytes"
    status, _, _, app = request(headers={"Content-Length": "10"}, chunks=[b"x" * 600] * 2)
    assert status == 413 and app.calls == []


def test_a_body_of_exactly_the_limit_is_accepted():
    status, _, body, _ = request(headers={"Content-Length": str(LIMIT)},
                                 chunks=[b"x" * 400, b"x" * (LIMIT - 400)])
    assert status == 200 and len(body) == LIMIT


def test_a_client_that_goes_away_mid_body_gets_nothing_and_the_route_never_runs():
    status, _, _, app = request(chunks=[b"x" * 10, b"x" * 10], disconnect_after=1)
    assert status is None and app.calls == []


def test_after_the_body_the_route_hears_the_client_itself():
    heard = []

    async def route(scope, receive, send):
        heard.append(await receive())
        heard.append(await receive())
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    status, _, _, _ = request(chunks=[b"ab"], app=route)
    assert status == 204
    assert heard[0] == {"type": "http.request", "body": b"ab", "more_body": False}
    assert heard[1] == {"type": "http.disconnect"}


def test_other_connection_types_pass_through_untouched():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])
        await send({"type": "lifespan.startup.complete"})

    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(SecurityMiddleware(app, max_body=LIMIT)({"type": "lifespan"}, None, send))
    assert seen == ["lifespan"] and sent == [{"type": "lifespan.startup.complete"}]


def test_request_messages_may_leave_out_the_body_and_more_body_keys():
    # ASGI lets a request message omit "body" (empty) and "more_body" (false).
    status, _, body, _ = request(messages=[{"type": "http.request", "more_body": True},
                                           {"type": "http.request", "body": b"ok"}])
    assert (status, body) == (200, b"ok")


def test_a_response_start_without_headers_still_gets_the_security_headers():
    async def bare(scope, receive, send):
        await send({"type": "http.response.start", "status": 204})
        await send({"type": "http.response.body", "body": b""})

    status, headers, _, _ = request("GET", "/", app=bare)
    assert status == 204 and headers["x-content-type-options"] == "nosniff"


def test_a_route_without_a_body_can_still_listen_to_the_client():
    async def waits(scope, receive, send):
        message = await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": message["type"].encode()})

    status, _, body, _ = request("GET", "/events", app=waits, messages=[])
    assert (status, body) == (200, b"http.disconnect")


# ----------------------------------------------------------------------------- trusted hosts


def trusted(*hosts):
    return lambda app: TrustedHostMiddleware(app, list(hosts))


@pytest.mark.parametrize(("header", "host"), [
    ("[::1]:8000", "::1"), ("[::1]", "::1"), ("127.0.0.1:8000", "127.0.0.1"),
    ("LocalHost", "localhost"), (" example.org ", "example.org"), ("::1", ""), ("[::1]x", ""),
    ("[::1", ""), ("[]", ""), ("[::1]:80x", ""), ("example.org:80x", ""), ("", ""),
])
def test_the_host_header_is_read_without_port_or_ipv6_brackets(header, host):
    assert host_name(header) == host


@pytest.mark.parametrize("header", ["localhost:8000", "[::1]:8000", "LOCALHOST"])
def test_a_request_naming_a_trusted_host_is_answered(header):
    status, _, _, app = request("GET", "/", headers={"Host": header},
                                middleware=trusted("localhost", "[::1]"))
    assert status == 200 and len(app.calls) == 1


@pytest.mark.parametrize("headers", [{"Host": "rebound.example"}, {}],
                         ids=["another host", "no Host"])
def test_a_request_naming_another_host_is_400_and_never_reaches_the_app(headers):
    status, response_headers, body, app = request("GET", "/api/stats", headers=headers,
                                                  middleware=trusted("localhost"))
    assert status == 400 and app.calls == []
    assert json.loads(body) == {"status": 400, "detail": "invalid host header"}


def test_a_websocket_is_held_to_the_trusted_hosts_too():
    sent = []

    async def send(message):
        sent.append(message)

    app = Echo()
    scope = {"type": "websocket", "path": "/ws", "headers": [(b"host", b"rebound.example")]}
    asyncio.run(TrustedHostMiddleware(app, ["localhost"])(scope, None, send))
    assert app.calls == [] and sent[0]["status"] == 400


def test_a_lifespan_message_passes_the_host_check():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    asyncio.run(TrustedHostMiddleware(app, ["localhost"])({"type": "lifespan"}, None, None))
    assert seen == ["lifespan"]


def test_a_post_to_a_trusted_host_reaches_the_route_with_its_body():
    status, _, body, app = request("POST", "/api/articles", headers={"Host": "localhost"},
                                   chunks=(b"Two ", b"convoys"), middleware=trusted("localhost"))
    assert status == 200 and body == b"Two convoys" and app.calls[0][1] == b"Two convoys"


def test_a_lifespan_app_still_talks_to_the_server_through_the_host_check():
    """Startup and shutdown go through the same middleware: the app must get the server's
    own receive and send, or it could never report that it started."""
    sent = []

    async def receive():
        return {"type": "lifespan.startup"}

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):
        message = await receive()
        await send({"type": message["type"] + ".complete"})

    asyncio.run(TrustedHostMiddleware(app, ["localhost"])({"type": "lifespan"}, receive, send))
    assert sent == [{"type": "lifespan.startup.complete"}]
