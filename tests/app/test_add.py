"""Adding articles from the web: the same ingest, analysis and linking as the CLI, with the
body limit, the cross-site check and bad input answered by status."""

from __future__ import annotations

import pytest

TEXT = ("Rebel fighters attacked an army checkpoint near Goma on Tuesday, killing four "
        "soldiers, the army said.")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """An app over an empty store, with a small body limit."""
    from fastapi.testclient import TestClient

    from triangulate.app import create_app

    db = tmp_path_factory.mktemp("add") / "add.duckdb"
    with TestClient(create_app(db, max_body=20_000)) as c:
        yield c


def test_pasted_text_is_ingested_analysed_and_readable(fresh):
    r = fresh.post("/add", data={"text": TEXT, "title": "Checkpoint attacked",
                                 "outlet": "Test Wire", "published": "2024-05-14"})
    assert r.status_code == 200, r.text
    assert "1 new" in r.text
    article = fresh.get("/api/articles", params={"outlet": "Test Wire"}).json()["items"][0]
    assert article["title"] == "Checkpoint attacked" and article["published"] == "2024-05-14"
    record = fresh.get(f"/api/articles/{article['id']}").json()
    assert any(f["value"] == 4 for f in record["figures"])
    assert record["events"], "analysed"
    assert fresh.get("/api/stories", params={"all": "true"}).json()["total"] >= 1, "relinked"


def test_the_same_text_again_is_already_stored(fresh):
    r = fresh.post("/api/articles", json={"text": TEXT, "outlet": "Test Wire"})
    assert r.status_code == 201
    assert r.json()["ingested"] == 0 and r.json()["already_stored"] == 1


def test_an_uploaded_file_is_read_like_standard_input(fresh):
    text = ("Government troops shelled Kadugli on Monday, residents said, and at least "
            "twelve people were killed.")
    r = fresh.post("/api/articles/upload", files={"file": ("report.txt", text.encode())})
    assert r.status_code == 201, r.text
    assert r.json()["ingested"] == 1 and len(r.json()["articles"]) == 1


def test_a_csv_upload_is_read_as_a_table(fresh):
    csv = ('title,outlet,published,text\n"Port shelled","Coast Daily",2024-05-20,'
           '"Artillery shelled the port of Kherson on Monday, killing two dock workers."\n')
    r = fresh.post("/api/articles/upload", files={"file": ("batch.csv", csv.encode())})
    assert r.status_code == 201, r.text
    assert fresh.get("/api/articles", params={"outlet": "Coast Daily"}).json()["total"] == 1


def test_empty_form_and_unreadable_file_are_bad_input(fresh):
    r = fresh.post("/add", data={"text": "   "})
    assert r.status_code == 400 and 'role="alert"' in r.text
    r = fresh.post("/api/articles/upload", files={"file": ("x.bin", b"\x00\x01\x02" * 100)})
    assert r.status_code == 400 and r.json()["status"] == 400


def test_bad_fields_are_422(fresh):
    assert fresh.post("/api/articles", json={"text": ""}).status_code == 422
    assert fresh.post("/api/articles", json={"text": TEXT, "published": "May"}).status_code == 422


def test_a_body_over_the_limit_is_413_before_anything_is_read(fresh):
    big = "word " * 10_000
    r = fresh.post("/api/articles", json={"text": big})
    assert r.status_code == 413 and r.json()["status"] == 413
    r = fresh.post("/add", files={"file": ("big.txt", big.encode())})
    assert r.status_code == 413 and "413" in r.text


def test_a_streamed_body_over_the_limit_is_413_without_a_content_length(fresh):
    # A chunked upload declares no size: the limit must hold on what actually arrives.
    def chunks():
        for _ in range(50):
            yield b"x" * 1_000

    r = fresh.post("/api/articles", content=chunks(),
                   headers={"Content-Type": "application/json"})
    assert "content-length" not in r.request.headers
    assert r.status_code == 413 and r.json()["status"] == 413


def test_a_post_from_another_site_is_refused(fresh):
    r = fresh.post("/add", data={"text": TEXT}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    same = fresh.post("/api/articles", json={"text": TEXT},
                      headers={"Origin": "http://testserver"})
    assert same.status_code == 201


def test_a_post_from_an_opaque_origin_is_refused(fresh):
    # Sandboxed frames and file:// pages send "Origin: null": another site all the same.
    r = fresh.post("/api/articles", json={"text": TEXT}, headers={"Origin": "null"})
    assert r.status_code == 403 and r.json()["status"] == 403


def test_a_two_word_article_is_added_and_later_adds_still_work(fresh):
    r = fresh.post("/api/articles", json={"text": "Talks stalled", "outlet": "Short Wire"})
    assert r.status_code == 201, r.text
    r = fresh.post("/api/articles", json={"text": TEXT.replace("four", "five"),
                                          "outlet": "Short Wire"})
    assert r.status_code == 201, r.text
    assert r.json()["ingested"] == 1
