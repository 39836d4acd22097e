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
