"""The served store's writer: adds wait in a bounded queue, a full queue refuses at once,
and adds that wait together are applied as one batch (one analysis pass, one relink)."""

from __future__ import annotations

import threading

import pytest

from triangulate.app.adding import Add, BadInput
from triangulate.app.writer import Busy, Writer
from triangulate.store import Store

TEXTS = [
    "Rebel fighters attacked an army checkpoint near Goma on Tuesday, killing four soldiers, "
    "the army said.",
    "Government troops shelled Kadugli on Monday, residents said, and at least twelve people "
    "were killed.",
    "Artillery shelled the port of Kherson on Monday, killing two dock workers, officials said.",
]


class GatedWriter(Writer):
    """A writer whose batches wait for ``gate`` before they are applied, so a test can hold
    it busy for exactly as long as it needs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()
        self.holding = threading.Event()
        self.batches: list[int] = []

    def _apply(self, store, jobs):
        self.holding.set()
        self.gate.wait()
        self.batches.append(len(jobs))
        return super()._apply(store, jobs)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "w.duckdb") as s:
        yield s


def test_a_full_queue_refuses_at_once_and_the_queued_adds_still_complete(store):
    writer = GatedWriter(store, queue_size=1, batch=4, processes=False)
    first = writer.submit(Add(text=TEXTS[0]))
    assert writer.holding.wait(60)  # the writer has taken the first add and is held
    queued = writer.submit(Add(text=TEXTS[1]))
    assert writer.waiting() == 1
    with pytest.raises(Busy) as refused:
        writer.submit(Add(text=TEXTS[2]))
    assert refused.value.retry_after >= 1
    writer.gate.set()
    assert first.result(300).ingested == 1 and queued.result(300).ingested == 1
    writer.close()
    assert writer.batches == [1, 1]
    assert store.counts()["articles"] == 2 and store.counts()["analysed"] == 2


def test_adds_that_wait_together_are_applied_as_one_batch_and_published_once(store):
    writer = GatedWriter(store, queue_size=8, batch=8, processes=False)
    first = writer.submit(Add(text=TEXTS[0]))
    assert writer.holding.wait(60)
    later = [writer.submit(Add(text=t, meta={"outlet": "Wire"})) for t in TEXTS[1:]]
    generation = writer.generation
    writer.gate.set()
    results = [f.result(300) for f in [first, *later]]
    assert writer.linked().result(300) is None
    writer.close()
    assert writer.batches == [1, 2]
    assert [r.analysed for r in results] == [1, 1, 1]
    # One publication per batch, and one per relink round (one or two: the second batch
    # may be answered before or after the first round took the first batch in).
    assert generation + 3 <= writer.generation <= generation + 4
    assert store.counts()["analysed"] == 3 and store.counts()["stories"] >= 1


class SlowLinkWriter(Writer):
    """A writer whose relink rounds wait for ``gate``, recording the articles each covers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()
        self.rounds: list[list[str]] = []

    def _link(self, store, ids):
        self.gate.wait()
        self.rounds.append(ids)
        return super()._link(store, ids)


def test_an_add_is_answered_analysed_before_its_relink_and_the_relink_follows(store):
    writer = SlowLinkWriter(store, processes=False)
    result = writer.submit(Add(text=TEXTS[0])).result(300)
    assert result.analysed == 1 and result.linking == "pending" and result.stories == 0
    assert store.counts()["analysed"] == 1  # its analysis is readable already
    assert writer.linking_pending()
    linked = writer.linked()
    assert not linked.done()
    writer.gate.set()
    assert linked.result(300) is None
    assert not writer.linking_pending() and store.counts()["stories"] >= 1
    writer.close()


def test_adds_answered_while_a_relink_runs_share_the_next_round(store):
    writer = SlowLinkWriter(store, processes=False)
    first = writer.submit(Add(text=TEXTS[0])).result(300)
    later = [writer.submit(Add(text=t)).result(300) for t in TEXTS[1:]]  # two batches
    writer.gate.set()
    assert writer.linked().result(300) is None
    writer.close()
    assert [r.linking for r in [first, *later]] == ["pending"] * 3
    assert writer.rounds == [first.articles, sorted(later[0].articles + later[1].articles)]


def test_a_failed_relink_is_reported_and_the_next_round_takes_its_articles_in(
        store, monkeypatch):
    import triangulate.jobs

    real, calls = triangulate.jobs.link_new, []

    def link_new(store, ids, **kwargs):
        calls.append(list(ids))
        if len(calls) == 1:
            raise OSError("disk full")
        return real(store, ids, **kwargs)

    monkeypatch.setattr(triangulate.jobs, "link_new", link_new)
    writer = Writer(store, processes=False)
    first = writer.submit(Add(text=TEXTS[0])).result(300)
    assert writer.linked().result(300) == "OSError: disk full"
    assert store.counts()["stories"] == 0 and writer.last_link_error == "OSError: disk full"
    second = writer.submit(Add(text=TEXTS[1])).result(300)
    assert writer.linked().result(300) is None
    writer.close()
    assert calls == [first.articles, sorted(first.articles + second.articles)]
    assert store.counts()["stories"] >= 2


def test_an_empty_add_is_refused_before_it_queues_and_a_bad_one_fails_alone(store):
    writer = Writer(store, processes=False)
    with pytest.raises(BadInput):
        writer.submit(Add(text="   "))
    assert writer.waiting() == 0
    binary = writer.submit(Add(filename="x.bin", data=b"\x00\x01\x02" * 100))
    good = writer.submit(Add(text=TEXTS[0]))
    with pytest.raises(BadInput):
        binary.result(300)
    assert good.result(300).ingested == 1
    writer.close()


def test_over_http_a_full_queue_answers_503_with_retry_after_and_the_waiting_adds_201(
        tmp_path):
    """A real server whose writer is held busy: the add beyond the queue is refused at once
    (API and form), the adds already queued are answered when the writer is free."""
    from tests.app.serving import call, connect, serve_app
    from triangulate.app import create_app

    app = create_app(tmp_path / "busy.duckdb")
    writer = app.state.writer = GatedWriter(app.state.store, queue_size=1, processes=False)
    answers: dict[int, tuple[int, dict, str]] = {}

    def post(k: int) -> None:
        conn = connect(host, port)
        answers[k] = call(conn, "POST", "/api/articles", {"text": TEXTS[k]})
        conn.close()

    with serve_app(app) as (host, port):
        first = threading.Thread(target=post, args=(0,))
        first.start()
        assert writer.holding.wait(60)
        second = threading.Thread(target=post, args=(1,))
        second.start()
        while writer.waiting() < 1:
            assert second.is_alive() or 1 in answers
            threading.Event().wait(0.02)
        conn = connect(host, port)
        status, headers, body = call(conn, "POST", "/api/articles", {"text": TEXTS[2]})
        assert status == 503 and int(headers["retry-after"]) >= 1
        assert "queue is full" in body
        conn.request("POST", "/add", body=f"text={TEXTS[2]}".encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        page = conn.getresponse()
        assert page.status == 503 and int(page.getheader("Retry-After")) >= 1
        assert "queue is full" in page.read().decode()
        conn.close()
        writer.gate.set()
        first.join(300)
        second.join(300)
        writer.close()
    assert answers[0][0] == 201 and answers[1][0] == 201
