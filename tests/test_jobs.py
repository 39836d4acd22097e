"""Whole jobs: analysis in worker processes gives what one process gives, in input order."""

from __future__ import annotations

from dataclasses import asdict

import pytest

pytestmark = pytest.mark.slow


def test_worker_processes_analyse_as_one_process_does(sample_articles, sample_analyses):
    from triangulate.jobs import analyse_stream

    parallel = list(analyse_stream(sample_articles, workers=2))
    assert [a.id for a in parallel] == [a.id for a in sample_articles]
    assert [asdict(a) for a in parallel] == [asdict(a) for a in sample_analyses]


def test_analyse_pending_with_workers_stores_every_article_once(tmp_path):
    from tests.conftest import SAMPLE_DIR
    from triangulate.ingest.runner import ingest
    from triangulate.jobs import analyse_pending
    from triangulate.store import Store

    with Store(tmp_path / "t.duckdb") as store:
        ingest(store, [str(SAMPLE_DIR)])
        pending = store.counts()["articles"]
        assert analyse_pending(store, workers=2) == pending
        assert analyse_pending(store, workers=2) == 0  # nothing left: no pool, no duplicates
        counts = store.counts()
    assert counts["analysed"] == counts["articles"] == pending


# ---- worker processes that hang, die or raise (issue 16)


def hostile_task(articles):
    """A worker's task for the tests: an article marked HANG never finishes, DIE takes its
    worker down, RAISE raises; any other comes back as a bare record."""
    import os
    import time

    from triangulate.model import Analysis

    for a in articles:
        if "HANG" in a.text:
            time.sleep(3600)
        if "DIE" in a.text:
            os._exit(3)
        if "RAISE" in a.text:
            raise RuntimeError("a stage broke")
        yield Analysis(id=a.id, url=None, outlet=None, title=None, author=None,
                       published=None, language="en", text=a.text)


def test_a_hung_or_dead_worker_costs_its_article_only_and_no_article_is_lost_or_doubled(
        monkeypatch):
    from triangulate import settings
    from triangulate.ingest.normalize import article_from_fields
    from triangulate.jobs import analyse_stream

    monkeypatch.setattr(settings, "WORKER_CHUNK", 3)
    monkeypatch.setattr(settings, "WORKER_GRACE_SECONDS", 1.0)
    monkeypatch.setattr(settings, "ANALYSIS_BUDGET_SECONDS", 0.5)
    monkeypatch.setattr(settings, "ANALYSIS_BUDGET_SECONDS_PER_KB", 0.0)
    marks = {2: "HANG", 6: "DIE", 8: "RAISE"}
    articles = [article_from_fields(f"{marks.get(i, 'Fine')} report number {i}.", source="t",
                                    id=f"r{i}") for i in range(12)]
    results = list(analyse_stream(articles, workers=2, task=hostile_task))
    assert [r.id for r in results] == [a.id for a in articles]
    failed = {r.id: r.reason for r in results if type(r).__name__ == "AnalysisFailure"}
    assert failed == {"r2": "timeout", "r6": "worker-died", "r8": "error"}
    died = next(r for r in results if r.id == "r6")
    assert "exit code 3" in died.detail


def test_linking_in_a_pool_stores_what_linking_here_stores_and_reuses_its_decoding(tmp_path):
    """The web app's writer analyses and links through a long-lived pool (a thread pool
    stands in for its worker process here: the work sent is the same)."""
    import io
    import json
    from concurrent.futures import ThreadPoolExecutor

    from triangulate.ingest.runner import ingest
    from triangulate.jobs import analyse_pending, link_all
    from triangulate.model import to_dict
    from triangulate.store import Store

    texts = [
        "Rebel fighters attacked an army checkpoint near Goma on Tuesday, killing four "
        "soldiers, the army said.",
        "Four soldiers were killed when rebels attacked a checkpoint near Goma on Tuesday, "
        "military officials said.",
        "Artillery shelled the port of Kherson on Monday, killing two dock workers.",
    ]
    lines = "".join(json.dumps({"text": t, "outlet": f"Wire {k}", "published": "2024-05-14"})
                    + "\n" for k, t in enumerate(texts))

    def stored(store):
        return (store.con.execute("SELECT record FROM stories ORDER BY story_id").fetchall(),
                store.con.execute("SELECT * FROM story_events ORDER BY ALL").fetchall())

    with Store(tmp_path / "pool.duckdb") as store, ThreadPoolExecutor(1) as pool:
        ingest(store, ["-"], stdin=io.BytesIO(lines.encode()))
        assert analyse_pending(store, pool=pool) == 3
        here = link_all(store)
        expected = stored(store)
        store.con.execute("DELETE FROM event_vectors")
        pooled = link_all(store, pool=pool)
        assert stored(store) == expected
        assert [to_dict(s) for s in pooled.stories] == [to_dict(s) for s in here.stories]
        assert store.counts()["stories"] >= 1
        vectors = store.con.execute("SELECT count(*) FROM event_vectors").fetchone()[0]
        assert vectors > 0, "the vectors embedded in the pool are cached in the store"
        again = link_all(store, pool=pool)  # decoded records reused
        assert [to_dict(s) for s in again.stories] == [to_dict(s) for s in here.stories]


def test_in_the_web_writer_s_pool_a_worker_that_dies_fails_its_article_only():
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from triangulate.ingest.normalize import article_from_fields
    from triangulate.jobs import analyse_stream

    articles = [article_from_fields(f"{'DIE' if i == 1 else 'Fine'} report {i}.", source="t",
                                    id=f"w{i}") for i in range(4)]
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        results = list(analyse_stream(articles, pool=pool, task=hostile_task))
    # The pool is broken after the death: the articles after it stay pending for the next
    # pass (with a new pool), none is lost or analysed twice.
    assert [(r.id, type(r).__name__) for r in results] == [
        ("w0", "Analysis"), ("w1", "AnalysisFailure")]
    assert results[1].reason == "worker-died"
