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
