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
    assert "1 new" in r.text and "Linking pending" in r.text
    article = fresh.get("/api/articles", params={"outlet": "Test Wire"}).json()["items"][0]
    assert article["title"] == "Checkpoint attacked" and article["published"] == "2024-05-14"
    record = fresh.get(f"/api/articles/{article['id']}").json()
    assert any(f["value"] == 4 for f in record["figures"])
    assert record["events"], "analysed"
    assert fresh.app.state.writer.linked().result(300) is None
    assert fresh.get("/api/stats").json()["linking"] == "done"
    assert fresh.get("/api/stories", params={"all": "true"}).json()["total"] >= 1, "relinked"


def test_an_add_answers_once_analysed_or_with_wait_linked_once_in_its_stories(fresh):
    text = ("Militia fighters burned a clinic in Bunia on Thursday, killing three nurses, "
            "a local official said.")
    quick = fresh.post("/api/articles", json={"text": text, "outlet": "Lake Wire"}).json()
    assert quick["analysed"] == 1 and quick["linking"] == "pending"
    (article,) = quick["articles"]
    assert fresh.get(f"/api/articles/{article}").json()["events"], "analysed at once"
    waited = fresh.post("/api/articles", params={"wait": "linked"},
                        json={"text": text.replace("three", "five"), "outlet": "Ridge Post"})
    assert waited.status_code == 201 and waited.json()["linking"] == "done"
    stories = fresh.get("/api/stories", params={"all": "true"}).json()
    members = {a["id"] for s in stories["items"] for a in s["articles"]}
    assert {article, *waited.json()["articles"]} <= members
    assert waited.json()["stories"] == stories["total"]


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


# ---- an article whose analysis fails (issue 16)


@pytest.fixture(scope="module")
def in_process(tmp_path_factory):
    """An app whose writer analyses in its own thread rather than a worker process, so the
    test's poisoned stage (monkeypatched in this process) is the one that runs."""
    import functools

    from fastapi.testclient import TestClient

    from triangulate.app import create_app, server, writer

    db = tmp_path_factory.mktemp("add-failing") / "add.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(server, "Writer", functools.partial(writer.Writer, processes=False))
        app = create_app(db)
    with TestClient(app) as c:
        yield c


def test_an_article_whose_analysis_fails_is_stored_listed_and_later_adds_still_work(
        in_process, poison):
    fresh = in_process
    r = fresh.post("/api/articles", json={"text": f"{poison} {TEXT}", "outlet": "Bad Wire"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["ingested"] == 1 and body["analysed"] == 0
    (failed,) = body["failed"]
    assert failed["reason"] == "error" and "ValueError" in failed["detail"]
    assert failed["id"] in body["articles"]

    stats = fresh.get("/api/stats").json()
    assert stats["counts"]["failed"] == 1 and stats["failed"][0]["id"] == failed["id"]
    overview = fresh.get("/").text
    assert "Analyses that failed" in overview and failed["id"] in overview
    reader = fresh.get(f"/articles/{failed['id']}")
    assert reader.status_code == 200 and "Analysis failed" in reader.text

    later = fresh.post("/api/articles", params={"wait": "linked"},
                       json={"text": TEXT.replace("four", "nine"), "outlet": "Good Wire"})
    assert later.status_code == 201 and later.json()["analysed"] == 1, later.text
    assert later.json()["failed"] == []
    assert fresh.get("/api/stories", params={"all": "true"}).json()["total"] >= 1


def test_the_web_form_reports_a_failed_analysis_and_takes_the_next_add(in_process, poison):
    fresh = in_process
    r = fresh.post("/add", data={"text": f"{poison} Militia fighters looted a depot near "
                                         "Bunia on Friday, the governor said."})
    assert r.status_code == 200 and "Analysis failed" in r.text and "ValueError" in r.text
    r = fresh.post("/add", data={"text": "Militia fighters burned a school near Bunia on "
                                         "Saturday, the governor said."})
    assert r.status_code == 200 and "1 analysed" in r.text
