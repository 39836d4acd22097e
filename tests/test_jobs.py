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
