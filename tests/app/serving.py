"""A real `triangulate serve` process for the server tests, and a keep-alive client."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def free_port(host: str = "127.0.0.1") -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, host: str = "127.0.0.1") -> Iterator[tuple[str, int]]:
    """`triangulate serve --db db` on a free port; yields (host, port) once it answers."""
    port = free_port(host)
    # Its log goes to a file: a pipe nobody reads fills with access lines and stalls it.
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "triangulate", "serve", "--db", str(db), "--host", host,
             "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with contextlib.closing(connect(host, port)) as conn:
                        conn.request("GET", "/api/stats")
                        if conn.getresponse().status == 200:
                            break
                except OSError:
                    assert proc.poll() is None, _tail(log)
                    assert time.monotonic() < deadline, "serve did not start"
                    time.sleep(0.2)
            yield host, port
        finally:
            proc.terminate()
            proc.wait(30)


def _tail(log) -> str:
    log.seek(0)
    return log.read()[-5000:]


def connect(host: str, port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(host, port, timeout=300)


def call(conn: http.client.HTTPConnection, method: str, path: str, body: object = None,
         headers: dict | None = None) -> tuple[int, dict, str]:
    """One request on a kept-alive connection: (status, headers, body text)."""
    data = json.dumps(body).encode() if body is not None else None
    extra = {"Content-Type": "application/json"} if data else {}
    conn.request(method, path, body=data, headers={**extra, **(headers or {})})
    response = conn.getresponse()
    text = response.read().decode("utf-8")
    return response.status, {k.lower(): v for k, v in response.getheaders()}, text


@contextlib.contextmanager
def serve_app(app) -> Iterator[tuple[str, int]]:
    """A real uvicorn server for ``app`` in this process (for tests that must reach into the
    app while it serves); yields (host, port) once it listens."""
    import threading

    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(30)
