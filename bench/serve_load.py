"""The server under load: concurrent readers over pages and API, alone and with writers.

    .venv/bin/python bench/serve_load.py                    # the sample store, made fresh
    .venv/bin/python bench/serve_load.py --db STORE         # a copy of another store
    .venv/bin/python bench/serve_load.py --readers 50 --writers 5 --seconds 30

`triangulate serve` runs in its own process on 127.0.0.1 over a store that `triangulate
run` makes from the bundled sample corpus in a temporary folder. The load comes from a
second process: an asyncio HTTP/1.1 client on keep-alive connections, so the client's work
never shares the server's interpreter. Each reader loops over a fixed mix of pages and API
calls with no pause between requests (a closed loop: the harshest case for latency). Each
writer posts a new article (distinct texts, made by bench/synthetic.py) and posts the next
one as soon as it is answered. Before measuring, every URL is read once and one article is
added (the server loads its analysis worker at start; the first add waits for it).

Phases, in order: readers alone, then readers with writers. With ``--baseline`` both phases
run first against a server with the read cache off (`create_app(cache_bytes=0)`, the same
code otherwise), so the cache's share and the rest's can be told apart in one run; with
``--before SRC`` also against the server of another source tree (``SRC/src`` first on the
path: ``--before /work/main`` measures the code before a change on the same machine, in
the same run).

Prints p50/p95/p99/max latency, requests per second and errors per phase (an error is any
answer but 200, or no answer within 60 s), write completion times (post to answer: the
article stored and analysed), the background relinks during the phase (how many, the
longest, from the server's log) and how long after the phase the last add was in its
stories ("linked after"), the CPU seconds of the server and of the client, and the
machine's load average before and after; writes the same to bench/out/serve_load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from machine import ROOT, describe, table, write_json

SAMPLE = ROOT / "src" / "triangulate" / "data" / "sample"
TIMEOUT = 60.0
# What a request can end in besides an answer: no connection, no answer in time, a cut-off
# or malformed answer.
_FAILURES = (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError)


# ----------------------------------------------------------------------------- the client


async def _exchange(conn, method: str, path: str, body: bytes = b"",
                    kind: str = "application/json") -> tuple[int, bytes]:
    reader, writer = conn
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if body:
        head += f"Content-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    status = int((await reader.readline()).split()[1])
    length, chunked, close = 0, False, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            close = True
    if chunked:
        data = bytearray()
        while size := int((await reader.readline()).split(b";")[0], 16):
            data += await reader.readexactly(size)
            await reader.readline()
        await reader.readline()
        payload = bytes(data)
    else:
        payload = await reader.readexactly(length)
    if close:
        raise ConnectionResetError("server closed the connection")
    return status, payload


class Client:
    """One keep-alive connection; reconnects after an error."""

    def __init__(self, port: int):
        self.port = port
        self.conn = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            return await asyncio.wait_for(_exchange(self.conn, method, path, body), TIMEOUT)
        except BaseException:
            self.conn[1].close()
            self.conn = None
            raise


async def _reader(port: int, urls: list[str], start: int, until: float, out: list) -> None:
    client = Client(port)
    k = start
    while time.monotonic() < until:
        path = urls[k % len(urls)]
        k += 1
        began = time.perf_counter()
        try:
            status, _ = await client.request("GET", path)
        except _FAILURES as exc:
            status = type(exc).__name__
        out.append((time.perf_counter() - began, status, path))


async def _writer(port: int, articles: list[dict], until: float, out: list) -> None:
    client = Client(port)
    for article in articles:
        if time.monotonic() >= until:
            break
        body = json.dumps(article).encode()
        began = time.perf_counter()
        try:
            status, answer = await client.request("POST", "/api/articles", body)
        except _FAILURES as exc:
            status, answer = type(exc).__name__, b""
        out.append((time.perf_counter() - began, status, answer[:200].decode("utf-8", "replace")))
        if status == 503:
            await asyncio.sleep(1)


async def _drive(port: int, urls: list[str], readers: int, writers: int, seconds: float,
                 articles: list[dict]) -> dict:
    until = time.monotonic() + seconds
    reads: list = []
    writes: list = []
    tasks = [_reader(port, urls, k * 7, until, reads) for k in range(readers)]
    tasks += [_writer(port, articles[w::writers], until, writes) for w in range(writers)]
    began = time.perf_counter()
    await asyncio.gather(*tasks)
    return {"seconds": time.perf_counter() - began, "reads": reads, "writes": writes}


def drive_main(args: argparse.Namespace) -> None:
    """The load process: runs one phase and prints its raw results as JSON."""
    spec = json.loads(sys.stdin.read())
    cpu = time.process_time()
    result = asyncio.run(_drive(spec["port"], spec["urls"], spec["readers"], spec["writers"],
                                spec["seconds"], spec["articles"]))
    result["client_cpu"] = time.process_time() - cpu
    json.dump(result, sys.stdout)


# ----------------------------------------------------------------------------- the run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, timeout: float = 60) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
        return r.read()


def _post(port: int, path: str, payload: dict, timeout: float = 600) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as r:
        return json.load(r)


class Server:
    """`triangulate serve` (or, with ``cache=False``, the same app with its read cache off)
    in its own process."""

    def __init__(self, db: Path, log: Path, cache: bool = True, src: Path | None = None):
        self.port = free_port()
        env = dict(os.environ)
        if src is not None:
            env["PYTHONPATH"] = os.pathsep.join([str(src / "src"), env.get("PYTHONPATH", "")])
        if cache:
            command = [sys.executable, "-m", "triangulate", "serve", "--db", str(db),
                       "--port", str(self.port)]
        else:
            command = [sys.executable, "-c", (
                "import sys, uvicorn; from triangulate.app import create_app; "
                "uvicorn.run(create_app(sys.argv[1], trusted_hosts=['127.0.0.1'], warm=True, "
                "cache_bytes=0), host='127.0.0.1', port=int(sys.argv[2]), log_level='info')"),
                str(db), str(self.port)]
        self.log_path = log
        self.log = log.open("w")
        self.proc = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                     cwd=ROOT, env=env)
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(self.port, "/api/stats", timeout=5)
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the server did not start: see {log}") from None
                time.sleep(0.3)

    def cpu(self) -> float:
        import psutil

        total = 0.0
        p = psutil.Process(self.proc.pid)
        for q in [p, *p.children(recursive=True)]:
            try:
                t = q.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def reader_urls(port: int) -> list[str]:
    """Every page and list of the app, and the detail pages of a few of each kind of item."""
    def items(path: str, n: int) -> list[dict]:
        return json.loads(_get(port, f"{path}?limit={n}"))["items"]

    arts = [a["id"] for a in items("/api/articles", 4)]
    stories = [s["id"] for s in items("/api/stories", 4)]
    actors = [a["id"] for a in items("/api/actors", 2)]
    places = [p["id"] for p in items("/api/places", 1)]
    pages = ["/", "/articles", "/stories", "/contradictions", "/timeline", "/map", "/actors",
             "/outlets", "/search?q=killed"]
    pages += [f"/articles/{a}" for a in arts] + [f"/stories/{s}" for s in stories]
    pages += [f"/actors/{a}" for a in actors] + [f"/map?at={p}" for p in places]
    api = ["/api/stats", "/api/articles", "/api/stories", "/api/contradictions", "/api/timeline",
           "/api/events", "/api/actors", "/api/places", "/api/outlets", "/api/search?q=killed"]
    api += [f"/api/articles/{a}" for a in arts] + [f"/api/stories/{s}" for s in stories]
    api += [f"/api/actors/{a}" for a in actors] + [f"/api/places/{p}" for p in places]
    # Interleaved, so every reader's loop mixes pages and API calls.
    mixed = []
    for k in range(max(len(pages), len(api))):
        mixed += pages[k : k + 1] + api[k : k + 1]
    return mixed


def new_articles(n: int) -> list[dict]:
    """Distinct articles for the writers (syndicated near-copies left out)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    out, seen = [], set()
    for record in synthetic.articles(n * 2, seed=9091):
        key = record["text"][:200]
        if key in seen:
            continue
        seen.add(key)
        record.pop("id")
        record["title"] = f"{record['title']} (load {len(out)})"
        out.append(record)
        if len(out) == n:
            break
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def phase(server: Server, urls: list[str], readers: int, writers: int, seconds: float,
          articles: list[dict]) -> dict:
    spec = {"port": server.port, "urls": urls, "readers": readers, "writers": writers,
            "seconds": seconds, "articles": articles}
    load_before = os.getloadavg()
    cpu_before = server.cpu()
    logged = server.log_path.stat().st_size
    done = subprocess.run([sys.executable, __file__, "--drive"], input=json.dumps(spec),
                          capture_output=True, text=True, check=True)
    raw = json.loads(done.stdout)
    linked_after = _linked_after(server.port) if writers else None
    relinks = [float(m) for m in re.findall(r"relinked \d+ new articles in ([\d.]+) s",
                                            server.log_path.read_text()[logged:])]
    ms = [r[0] * 1000 for r in raw["reads"]]
    errors = [r for r in raw["reads"] if r[1] != 200]
    writes = raw["writes"]
    written = [w[0] for w in writes if w[1] == 201]
    return {
        "readers": readers, "writers": writers, "seconds": round(raw["seconds"], 1),
        "requests": len(ms), "per_second": round(len(ms) / raw["seconds"], 1),
        "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1), "max_ms": round(max(ms, default=0), 1),
        "errors": len(errors), "error_kinds": sorted({str(e[1]) for e in errors}),
        "slowest": sorted(((round(r[0] * 1000), r[2]) for r in raw["reads"]), reverse=True)[:5],
        "writes": len(writes), "writes_ok": len(written),
        "writes_refused_503": sum(1 for w in writes if w[1] == 503),
        "write_errors": [w[1:] for w in writes if w[1] not in (201, 503)][:5],
        "write_p50_s": round(percentile(written, 50), 2) if written else None,
        "write_max_s": round(max(written), 2) if written else None,
        "linked_after_s": linked_after,
        "relinks": len(relinks), "relink_max_s": max(relinks, default=None),
        "server_cpu_s": round(server.cpu() - cpu_before, 1),
        "client_cpu_s": round(raw["client_cpu"], 1),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def _linked_after(port: int, limit: float = 300) -> float | None:
    """Seconds from now until the server says no add waits for linking (None: a server that
    relinks before it answers, and so does not say)."""
    began = time.perf_counter()
    while time.perf_counter() - began < limit:
        linking = json.loads(_get(port, "/api/stats")).get("linking")
        if linking in (None, "done"):
            return round(time.perf_counter() - began, 2) if linking else None
        time.sleep(0.1)
    return round(limit, 2)


def run_server(label: str, db: Path, folder: Path, args, articles: list[dict],
               cache: bool = True, src: Path | None = None) -> list[dict]:
    copy = folder / f"{label}.duckdb"
    shutil.copy(db, copy)
    server = Server(copy, folder / f"{label}.log", cache=cache, src=src)
    rows = []
    try:
        began = time.perf_counter()
        _post(server.port, "/api/articles", articles[0])
        first_add = time.perf_counter() - began
        urls = reader_urls(server.port)
        for path in urls:
            _get(server.port, path)
        print(f"{label}: {len(urls)} URLs; first add answered in {first_add:.1f} s "
              "(includes the worker's start-up when it was not ready yet)", flush=True)
        for writers in (0, args.writers):
            result = phase(server, urls, args.readers, writers, args.seconds,
                           articles[1 + 400 * bool(writers):][:400])
            result["server"] = label
            result["first_add_s"] = round(first_add, 1)
            rows.append(result)
            print(f"  {writers} writers: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms,"
                  f" {result['errors']} errors, writes ok {result['writes_ok']}"
                  f" (max {result['write_max_s']} s), load {result['load_after'][0]}",
                  flush=True)
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a store to copy (default: the sample "
                        "corpus through `triangulate run`)")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--baseline", action="store_true",
                        help="also measure a server with the read cache off")
    parser.add_argument("--before", type=Path, help="also measure the server of this source "
                        "tree (a checkout of the code before a change)")
    parser.add_argument("--keep-logs", help="a folder for the stores and server logs (kept)")
    parser.add_argument("--drive", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive_main(args)
        return
    machine = describe()
    print(f"machine: {machine['cores']} cores, load {machine['load_average']}", flush=True)
    with tempfile.TemporaryDirectory(prefix="serve-load-") as tmp:
        if args.keep_logs:
            tmp = args.keep_logs
            Path(tmp).mkdir(parents=True, exist_ok=True)
        folder = Path(tmp)
        db = folder / "sample.duckdb"
        if args.db:
            shutil.copy(args.db, db)
        else:
            subprocess.run([sys.executable, "-m", "triangulate", "run", str(SAMPLE), "--db",
                            str(db), "-q"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        articles = new_articles(801)
        rows = []
        if args.before:
            rows += run_server("before", db, folder, args, articles, src=args.before)
        if args.baseline:
            rows += run_server("cache-off", db, folder, args, articles, cache=False)
        rows += run_server("serve", db, folder, args, articles, cache=True)
    print()
    print(table([[r["server"], r["writers"], r["requests"], r["per_second"], r["p50_ms"],
                  r["p95_ms"], r["p99_ms"], r["max_ms"], r["errors"], r["writes_ok"],
                  r["writes_refused_503"], r["write_p50_s"] or "", r["write_max_s"] or "",
                  r["relinks"] or "", r["relink_max_s"] or "",
                  "" if r["linked_after_s"] is None else r["linked_after_s"],
                  r["server_cpu_s"], r["client_cpu_s"], r["load_after"][0]] for r in rows],
                ["server", "writers", "reads", "reads/s", "p50 ms", "p95 ms", "p99 ms",
                 "max ms", "errors", "writes", "503", "write p50 s", "write max s",
                 "relinks", "relink max s", "linked after s", "server CPU s", "client CPU s",
                 "load"]))
    for r in rows:
        if r["errors"] or r["write_errors"]:
            print(f"{r['server']} / {r['writers']} writers: errors {r['error_kinds']}, "
                  f"write errors {r['write_errors']}")
    path = write_json("serve_load.json", {"machine": machine, "readers": args.readers,
                                          "writers": args.writers, "seconds": args.seconds,
                                          "phases": rows})
    print(f"\nwritten: {path}")


if __name__ == "__main__":
    main()
