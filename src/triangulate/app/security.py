"""Security headers, the request body limit and the cross-site form check, as one ASGI
middleware in front of every route.

- Content-Security-Policy: everything from this server only, no inline script (the pages'
  scripts are static files), no inline style, no plugins, no framing. An article's text
  that slipped past escaping could still not run a script or load anything from elsewhere.
- Bodies above the limit get 413 before any route sees them; the body is read here (up to
  the limit) whether or not the client sent a Content-Length.
- A POST whose Origin (or Referer) names another site is refused (403): a page elsewhere
  must not be able to make a user's browser add articles to their local store.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from markupsafe import escape

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_WITH_BODY = {"POST", "PUT", "PATCH"}


class SecurityMiddleware:
    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in HEADERS if k not in names
                ]
            await send(message)

        if scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send_with_headers)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if _cross_site(headers):
            await _refuse(scope, send_with_headers, 403, "cross-site request refused")
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            await _refuse(scope, send_with_headers, 413, self._too_large())
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                await _refuse(scope, send_with_headers, 413, self._too_large())
                return
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_headers)

    def _too_large(self) -> str:
        return f"request body larger than {self.max_body:,} bytes"


def _cross_site(headers: dict[str, str]) -> bool:
    source = headers.get("origin") or headers.get("referer")
    if not source or source == "null":
        # No Origin: not a browser form post from another page (curl, scripts, tests).
        return source == "null"
    host = headers.get("host", "")
    return urlsplit(source).netloc.lower() != host.lower()


async def _refuse(scope, send, status: int, detail: str) -> None:
    """A JSON problem for the API, a small HTML page for the web app."""
    if scope["path"].startswith("/api"):
        body = json.dumps({"status": status, "detail": detail}).encode()
        kind = b"application/json"
    else:
        body = (f"<!doctype html><title>{status}</title><h1>{status}</h1>"
                f"<p>{escape(detail)}</p><p><a href=\"/\">Overview</a></p>").encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class TrustedHostMiddleware:
    """Answers only requests whose Host header names one of ``hosts`` (400 otherwise),
    against DNS rebinding: a page on another site whose name is made to resolve to this
    machine must not read the store. An IPv6 literal arrives bracketed ("[::1]:8000") and
    is compared without brackets or port, so a server on ::1 accepts its own address."""

    def __init__(self, app, hosts: list[str]):
        self.app = app
        self.hosts = {h.strip("[]").lower() for h in hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        header = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        if host_name(header) in self.hosts:
            await self.app(scope, receive, send)
            return
        await _refuse(scope, send, 400, "invalid host header")


def host_name(header: str) -> str:
    """The host of a Host header, without port or IPv6 brackets, lower case; "" when it is
    malformed (an IPv6 literal must be bracketed: "::1" alone is no host)."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        rest = header[end + 1:] if end > 0 else ""
        if end < 0 or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return ""
        return header[1:end]
    name, _, port = header.partition(":")
    return name if not port or port.isdigit() else ""
