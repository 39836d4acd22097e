"""`triangulate serve` starts one server for pages and API, on loopback by default."""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.app.serving import call, connect, serve


def test_serve_answers_pages_and_api_on_loopback(tmp_path):
    with serve(tmp_path / "s.duckdb") as (host, port):
        conn = connect(host, port)
        status, _, body = call(conn, "GET", "/api/stats")
        assert status == 200 and json.loads(body)["counts"]["articles"] == 0
        status, _, page = call(conn, "GET", "/")
        assert status == 200 and "Overview" in page
        conn.close()
        # Bound to 127.0.0.1 only: the machine's other addresses do not answer.
        if shutil.which("ss"):
            listening = subprocess.run(["ss", "-ltn"], capture_output=True, text=True).stdout
            assert f"127.0.0.1:{port}" in listening
            assert f"0.0.0.0:{port}" not in listening and f"*:{port}" not in listening


# ----------------------------------------------------------------------------- under load


def _store_with_a_broken_record(folder: Path) -> tuple[Path, str]:
    """A store whose one article has a stored analysis that is not an analysis record."""
    from triangulate.ingest.runner import ingest
    from triangulate.store import Store

    db = folder / "broken.duckdb"
    text = ("Militia fighters shelled the river port of Varda on Monday, killing two dock "
            "workers, the harbour authority said.")
    with Store(db) as store:
        ingest(store, ["-"], stdin=io.BytesIO(json.dumps({"text": text}).encode() + b"\n"))
        (article_id,) = store.con.execute("SELECT id FROM articles").fetchone()
        store.con.execute("INSERT INTO analyses (article_id, record) VALUES (?, ?)",
                          [article_id, json.dumps("not an analysis")])
    return db, article_id


def test_a_500_keeps_the_connection_open_and_shows_no_traceback(tmp_path):
    db, article_id = _store_with_a_broken_record(tmp_path)
    with serve(db) as (host, port):
        conn = connect(host, port)
        status, _, body = call(conn, "GET", f"/api/articles/{article_id}")
        assert status == 500 and json.loads(body) == {"status": 500, "detail": "internal error"}
        status, _, page = call(conn, "GET", f"/articles/{article_id}")
        assert status == 500 and "internal error" in page
        assert "Traceback" not in body + page and "File " not in body + page
        # The same connection still answers.
        status, _, body = call(conn, "GET", "/api/stats")
        assert status == 200 and json.loads(body)["counts"]["articles"] == 1
        conn.close()


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="this machine has no IPv6 loopback")
def test_serving_on_ipv6_loopback_answers_its_own_address_and_refuses_other_hosts(tmp_path):
    with serve(tmp_path / "v6.duckdb", host="::1") as (host, port):
        conn = connect(host, port)  # sends "Host: [::1]:port"
        status, _, body = call(conn, "GET", "/api/stats")
        assert status == 200 and json.loads(body)["counts"]["articles"] == 0
        status, _, _ = call(conn, "GET", "/api/stats", headers={"Host": "rebound.example"})
        assert status == 400
        conn.close()


def test_reads_keep_answering_while_an_add_is_applied_and_then_show_it(tmp_path):
    """Readers and one writer at once on a real server: the add completes, reads complete
    while it is being applied, and every page read after its answer shows the article."""
    db = tmp_path / "busy.duckdb"
    text = ("Army drones struck a fuel depot outside Kadugli on Sunday, killing three guards, "
            "the regional governor said. Rebel commanders denied any losses.")
    article = {"text": text, "title": "Depot struck near Kadugli", "outlet": "Test Wire",
               "published": "2024-05-19"}
    with serve(db) as (host, port):
        finished: list[tuple[float, float]] = []
        failures: list[object] = []
        stop = threading.Event()

        def read(path: str) -> None:
            conn = connect(host, port)
            while not stop.is_set():
                began = time.monotonic()
                try:
                    status, _, _ = call(conn, "GET", path)
                except OSError as exc:
                    failures.append(exc)
                    return
                if status != 200:
                    failures.append((path, status))
                finished.append((began, time.monotonic()))
                time.sleep(0.01)
            conn.close()

        readers = [threading.Thread(target=read, args=(p,))
                   for p in ("/", "/api/stats", "/api/articles", "/stories")]
        for r in readers:
            r.start()
        try:
            conn = connect(host, port)
            posted = time.monotonic()
            # Answered after the relink too, so the story can be checked at once.
            status, _, body = call(conn, "POST", "/api/articles?wait=linked", article)
            answered = time.monotonic()
        finally:
            stop.set()
            for r in readers:
                r.join()
        assert status == 201, body
        assert not failures
        assert any(posted < began and ended < answered for began, ended in finished), \
            "no read was answered while the add was applied"
        (article_id,) = json.loads(body)["articles"]
        # The readers had this list answered (empty) before: the answer after the add is new.
        _, _, listed = call(conn, "GET", "/api/articles")
        assert [a["id"] for a in json.loads(listed)["items"]] == [article_id]
        _, _, stories = call(conn, "GET", "/api/stories?all=true")
        ours = [s for s in json.loads(stories)["items"]
                if article_id in {a["id"] for a in s["articles"] + s["mentions"]}]
        assert ours, "the add was linked into a story"
        status, _, page = call(conn, "GET", f"/stories/{ours[0]['id']}")
        assert status == 200 and "Depot struck near Kadugli" in page
        conn.close()
