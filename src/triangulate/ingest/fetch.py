"""Fetch one web page (or POST an alert to a webhook), safely: the only network use in
Triangulate, and optional.

Guards, each because a URL list is untrusted input (an address can point anywhere):
- http and https only;
- the host name is resolved once and EVERY address it resolves to is checked; private,
  loopback, link-local, multicast, reserved and other non-public addresses are refused
  before any connection is made (unless allowed), and the connection then goes to the
  checked address itself, so a second DNS answer cannot swap in another one; an IPv6
  address that wraps an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) is judged by
  the IPv4 address, where its traffic ends;
- redirects are followed by hand, at most settings.FETCH_MAX_REDIRECTS, and every target
  is checked like the first URL;
- timeouts on connect and on every read, plus a total time budget for the whole download;
- the body is streamed and the download stopped past settings.FETCH_MAX_BYTES (also after
  decompression).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from functools import cache
from urllib.parse import urljoin, urlsplit

from triangulate import datafiles, settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_CHUNK = 64 * 1024


@dataclass
class Page:
    url: str  # the final URL, after redirects
    body: bytes
    content_type: str  # media type, lower case ("text/html")
    charset: str | None
    # 200, or 304 when a conditional request (If-None-Match / If-Modified-Since in the
    # request headers) found the page unchanged: then the body is empty.
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)  # response headers, names lower case


@dataclass
class FetchError:
    """Why a URL gave no page: a Skipped reason and a message."""

    reason: str  # "refused", "timeout", "too-large", "fetch-failed"
    detail: str
    status: int | None = None  # the HTTP status, when the server answered
    retry_after: str | None = None  # its Retry-After header (429, 503), as sent


@dataclass(frozen=True)
class Policy:
    """Which addresses may be fetched."""

    allow_private: bool = False
    # Networks allowed even when private (an intranet news archive), without opening all.
    allow_networks: tuple[Network, ...] = ()
    timeout: float = settings.FETCH_TIMEOUT_SECONDS
    total: float = settings.FETCH_TOTAL_SECONDS
    max_bytes: int = settings.FETCH_MAX_BYTES
    max_redirects: int = settings.FETCH_MAX_REDIRECTS

    def refusal(self, address: Address) -> str | None:
        """Why this address may not be fetched, or None."""
        if self.allow_private or any(address in net for net in self.allow_networks):
            return None
        if not (address.is_loopback or address.is_unspecified):
            wrapped = wrapped_ipv4(address)
            if wrapped is not None:
                # Traffic to it ends at the IPv4 address, whatever the IPv6 range is called.
                inner, what = wrapped
                why = self.refusal(inner)
                return f"{address} wraps {inner} ({what}), and {why}" if why else None
        for attr, kind in (
            # Most specific first: link-local 169.254.x.x is also "private" to Python.
            ("is_loopback", "a loopback"),
            ("is_link_local", "a link-local"),
            ("is_multicast", "a multicast"),
            ("is_unspecified", "an unspecified"),
            ("is_reserved", "a reserved"),
            ("is_private", "a private"),
        ):
            if getattr(address, attr):
                return f"{address} is {kind} address"
        if not address.is_global:  # shared (carrier-grade NAT), documentation ...
            return f"{address} is not a public address"
        return None


@cache
def _wrapping_ranges() -> tuple[tuple[ipaddress.IPv6Network, int, int, str], ...]:
    return tuple(
        (ipaddress.IPv6Network(prefix), int(first_bit), int(xor, 16), what)
        for prefix, first_bit, xor, what in datafiles.rows("fetch", "ipv4_in_ipv6.tsv",
                                                           header=True, strip=True)
    )


def wrapped_ipv4(address: Address) -> tuple[ipaddress.IPv4Address, str] | None:
    """The IPv4 address an IPv6 address carries (data/fetch/ipv4_in_ipv6.tsv) and the name
    of the scheme, or None: ``2002:7f00:1::1`` -> (127.0.0.1, "6to4")."""
    if address.version != 6:
        return None
    for network, first_bit, xor, what in _wrapping_ranges():
        if address in network:
            bits = (int(address) >> (96 - first_bit)) & 0xFFFFFFFF
            return ipaddress.IPv4Address(bits ^ xor), what
    return None


def fetch(
    url: str, policy: Policy | None = None, headers: dict[str, str] | None = None
) -> Page | FetchError:
    """GET ``url`` under ``policy``: the page, or why not. ``headers`` are added to the
    request (a conditional GET's validators: then a 304 answer is a Page with status 304)."""
    policy = policy or Policy()
    deadline = time.monotonic() + policy.total
    current = url
    for _hop in range(policy.max_redirects + 1):
        target = _check_url(current, policy)
        if isinstance(target, FetchError):
            return target
        try:
            result = _get(current, *target, policy, deadline, headers or {})
        except TimeoutError:
            return FetchError("timeout", f"no answer within {policy.timeout:g} s")
        except (OSError, http.client.HTTPException, ssl.SSLError, zlib.error) as exc:
            return FetchError("fetch-failed", f"{type(exc).__name__}: {exc}")
        if isinstance(result, str):  # a redirect
            current = urljoin(current, result)
            continue
        if isinstance(result, FetchError):
            return result
        result.url = current
        return result
    return FetchError("fetch-failed", f"more than {policy.max_redirects} redirects")


def _check_url(url: str, policy: Policy) -> tuple[str, int, Address] | FetchError:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return FetchError("refused", f"not a valid URL: {exc}")
    if parts.scheme not in ("http", "https"):
        return FetchError("refused", f"only http and https URLs are fetched, not {parts.scheme or 'a bare path'}")
    host = parts.hostname
    if not host:
        return FetchError("refused", "the URL has no host")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(host, port, policy.timeout)
    if isinstance(addresses, FetchError):
        return addresses
    for address in addresses:
        if reason := policy.refusal(address):
            hint = "" if policy.allow_private else " (use --allow-private to fetch it)"
            return FetchError("refused", f"{host} resolves to {reason}{hint}")
    return host, port, addresses[0]


@cache
def _resolver() -> ThreadPoolExecutor:
    # getaddrinfo has no timeout of its own (a dead DNS server stalls it for a minute):
    # it runs in a thread so the wait can be bounded.
    return ThreadPoolExecutor(4, thread_name_prefix="resolve")


def _resolve(host: str, port: int, timeout: float) -> list[Address] | FetchError:
    lookup = _resolver().submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=timeout)
    except TimeoutError:
        return FetchError("timeout", f"no DNS answer for {host} within {timeout:g} s")
    except (socket.gaierror, UnicodeError) as exc:
        return FetchError("fetch-failed", f"cannot resolve {host}: {exc}")
    addresses: list[Address] = []
    for *_, sockaddr in infos:
        # Strip an IPv6 scope ("fe80::1%eth0"): the address class is what matters.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        return FetchError("fetch-failed", f"{host} has no address")
    return addresses


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to an address checked in advance, whatever DNS says now."""

    def __init__(self, host: str, port: int, address: Address, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = str(address)

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: Address, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = str(address)

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the pinned address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _open(
    url: str, host: str, port: int, address: Address, policy: Policy, deadline: float
) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the checked address, and the request path."""
    parts = urlsplit(url)
    cls = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    conn = cls(host, port, address, timeout=min(policy.timeout, _left(deadline)))
    return conn, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _get(
    url: str, host: str, port: int, address: Address, policy: Policy, deadline: float,
    extra: dict[str, str],
) -> Page | FetchError | str:
    conn, path = _open(url, host, port, address, policy, deadline)
    try:
        conn.request("GET", path, headers={
            "User-Agent": settings.FETCH_USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.8,*/*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
            **extra,
        })
        response = conn.getresponse()
        answered = {k.lower(): v for k, v in response.getheaders()}
        if response.status == 304 and _conditional(extra):
            return Page(url, b"", "", None, status=304, headers=answered)
        if 300 <= response.status < 400 and response.getheader("Location"):
            return response.getheader("Location", "")
        if not 200 <= response.status < 300 or response.status == 204:
            return FetchError("fetch-failed", f"HTTP {response.status} {response.reason}",
                              status=response.status, retry_after=answered.get("retry-after"))
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > policy.max_bytes:
            return _too_large(policy, f"the server announces {int(declared):,} bytes")
        body = _read_body(conn, response, policy, deadline)
        if isinstance(body, FetchError):
            return body
        message = Message()
        message["Content-Type"] = response.getheader("Content-Type") or ""
        return Page(url, body, message.get_content_type(), message.get_param("charset"),
                    headers=answered)
    finally:
        conn.close()


def _conditional(headers: dict[str, str]) -> bool:
    return any(k.lower() in ("if-none-match", "if-modified-since") for k in headers)


def post_json(url: str, payload: bytes, policy: Policy | None = None) -> int | FetchError:
    """POST a JSON body to ``url`` under the same address guards as ``fetch``: the HTTP
    status of a 2xx answer, or why not. Redirects are not followed (a webhook that moves
    is reported, not chased with the body to wherever it points)."""
    policy = policy or Policy()
    deadline = time.monotonic() + policy.total
    target = _check_url(url, policy)
    if isinstance(target, FetchError):
        return target
    conn, path = _open(url, *target, policy, deadline)
    try:
        conn.request("POST", path, body=payload, headers={
            "User-Agent": settings.FETCH_USER_AGENT,
            "Content-Type": "application/json; charset=utf-8",
        })
        response = conn.getresponse()
        response.read(_CHUNK)  # the answer's body says nothing we act on
        if 200 <= response.status < 300:
            return response.status
        return FetchError("fetch-failed", f"HTTP {response.status} {response.reason}",
                          status=response.status, retry_after=response.getheader("Retry-After"))
    except TimeoutError:
        return FetchError("timeout", f"no answer within {policy.timeout:g} s")
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        return FetchError("fetch-failed", f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def _read_body(
    conn: http.client.HTTPConnection,
    response: http.client.HTTPResponse,
    policy: Policy,
    deadline: float,
) -> bytes | FetchError:
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    inflate = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
    elif encoding != "identity":
        return FetchError("fetch-failed", f"unsupported Content-Encoding {encoding}")
    parts: list[bytes] = []
    size = 0
    while True:
        left = _left(deadline)
        if left <= 0:
            return FetchError("timeout", f"download took longer than {policy.total:g} s")
        if conn.sock is not None:
            conn.sock.settimeout(min(policy.timeout, left))
        # read1: what has arrived, at most one socket read. read() would wait for a full
        # chunk, so a server sending a byte at a time would never meet the time budget.
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        if inflate is not None:
            # Bounded inflation: a small compressed body cannot expand past the cap.
            chunk = inflate.decompress(chunk, policy.max_bytes + 1 - size)
        size += len(chunk)
        if size > policy.max_bytes:
            return _too_large(policy, "the body is larger; the download was stopped")
        parts.append(chunk)
    return b"".join(parts)


def _too_large(policy: Policy, why: str) -> FetchError:
    return FetchError("too-large", f"{why}: the limit is {policy.max_bytes:,} bytes "
                      "(settings.FETCH_MAX_BYTES)")


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


def parse_networks(values: Sequence[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)
