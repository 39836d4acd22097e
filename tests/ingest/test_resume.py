"""A run killed with SIGKILL mid-way and re-run ends exactly like one clean run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.ingest.corpus import article_text
from triangulate import settings

N = 2000


def _corpus(path: Path) -> Path:
    """Small articles, with exact and near copies whose originals sit in earlier batches."""
    rng = random.Random(7)
    texts: list[str] = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(N):
            if i % 97 == 96:
                text = texts[i - 90]  # exact copy
            elif i % 50 == 49:
                first, *rest = texts[i - 37].split("\n\n")
                text = "\n\n".join(["Updated: " + first.upper(), *rest])  # case-blind: copy
            else:
                text = article_text(rng, sentences=(4, 6))
            texts.append(text)
            fh.write(json.dumps({"id": f"doc-{i:05d}", "text": text}) + "\n")
    return path


def _ingest(corpus: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "triangulate", "ingest", str(corpus), "--db", str(db), "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ | {"NO_COLOR": "1"},
    )


def _state(db: Path) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        return {
            "articles": q("SELECT count(*) FROM articles")[0][0],
            "skipped": q("SELECT count(*) FROM skipped")[0][0],
            "minhashes": q("SELECT count(*) FROM minhashes")[0][0],
            "distinct ids": q("SELECT count(DISTINCT id) FROM articles")[0][0],
            "original hashes": q("SELECT count(*) - count(DISTINCT content_hash) FROM articles "
                                 "WHERE duplicate_of IS NULL")[0][0],
            "copies": sorted(q("SELECT id, duplicate_of FROM articles "
                               "WHERE duplicate_of IS NOT NULL")),
            "orphan signatures": q("SELECT count(*) FROM minhashes WHERE article_id NOT IN "
                                   "(SELECT id FROM articles)")[0][0],
        }
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_equals_one_clean_run(tmp_path):
    corpus = _corpus(tmp_path / "corpus.jsonl")
    clean_db, killed_db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    clean = _ingest(corpus, clean_db)
    assert clean.wait(timeout=300) == 0, clean.stderr.read().decode()
    expected = _state(clean_db)
    assert expected["articles"] == N and expected["original hashes"] == 0
    assert len(expected["copies"]) >= N // 50

    # Kill once at least one batch is committed and before the run ends; the start-up
    # time varies with the machine's load, so adjust the wait and try again if needed.
    wait, partial = 4.0, None
    for _attempt in range(6):
        for leftover in tmp_path.glob("killed.duckdb*"):
            leftover.unlink()
        proc = _ingest(corpus, killed_db)
        time.sleep(wait)
        if proc.poll() is not None:  # finished before the kill: start sooner
            wait /= 2
            continue
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = _state(killed_db) if killed_db.exists() else {"articles": 0}
        partial = state["articles"]
        if 0 < partial < N:
            break
        wait *= 1.6
    assert partial and 0 < partial < N, f"could not kill mid-run (last wait {wait:.1f} s)"
    # Whole batches only: every input here is an article with a signature.
    assert partial % settings.WRITE_BATCH == 0 and state["minhashes"] == partial

    rerun = _ingest(corpus, killed_db)
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read().decode()
    resumed = _state(killed_db)
    assert resumed == expected
    assert resumed["distinct ids"] == resumed["articles"] and resumed["orphan signatures"] == 0


@pytest.mark.slow
def test_worker_processes_store_the_same_as_one_process(tmp_path):
    from tests.ingest.corpus import write_html_dir
    from triangulate.ingest.runner import ingest
    from triangulate.store import Store

    pages = write_html_dir(tmp_path / "pages", 40)
    states = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.duckdb"
        with Store(db) as store:
            report = ingest(store, [str(pages)], workers=workers)
            assert report.ingested == 40
        states.append(_state(db))
    assert states[0] == states[1]
