"""A watch round killed with SIGKILL at any step, then run again, ends exactly as one round
that was never interrupted: nothing lost, nothing stored, linked, alerted or written twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.watch.feeds import FEEDS, FeedServer, feeds_for, sample_items
from triangulate.store import Store
from triangulate.watch.polite import Clock
from triangulate.watch.rounds import WatchOptions, run_round
from triangulate.watch.sources import read_sources

pytestmark = pytest.mark.slow

ARTICLES = ["mw-2022-04-08-kramatorsk-station", "html/vostok-kramatorsk-provocation"]


def _watch(sources: Path, db: Path, jsonl: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "triangulate", "watch", str(sources), "--once", "--allow-private",
         "--db", str(db), "--alerts-jsonl", str(jsonl)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=os.environ | {"NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
    )


def _kill_after(proc: subprocess.Popen, marker: str, delay: float = 0.0) -> list[str]:
    """Read the watch's output until ``marker``, wait ``delay``, SIGKILL it."""
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if marker in line:
            time.sleep(delay)
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert any(marker in line for line in seen), "".join(seen)
    return seen


def _state(db: Path, jsonl: Path) -> dict:
    with Store(db, read_only=True) as store:
        q = lambda sql: store.con.execute(sql).fetchall()  # noqa: E731
        _, alerts = store.alert_records()
        lines = [json.loads(x)["id"] for x in jsonl.read_text().splitlines()] if jsonl.exists() else []
        return {
            "articles": q("SELECT id, duplicate_of FROM articles ORDER BY id"),
            "analyses": q("SELECT count(*), count(DISTINCT article_id) FROM analyses")[0],
            "stories": sorted(sorted(r[0]) for r in q(
                "SELECT list(article_id || ' ' || event_id) FROM story_events GROUP BY story_id")),
            "alerts": sorted((a.kind, a.story, a.subject, json.dumps(a.old), json.dumps(a.new))
                             for a in alerts),
            "alert ids": sorted(a.id for a in alerts),
            "jsonl": sorted(lines),
            "seen": q("SELECT count(*) - count(DISTINCT (source, item)) FROM watch_seen")[0][0],
            "pending": q("SELECT count(*) FROM alert_deliveries WHERE delivered IS NULL")[0][0],
        }


def test_sigkill_at_each_step_of_a_round_then_a_rerun_equals_one_clean_round(tmp_path):
    items = sample_items()
    with FeedServer() as server:
        server.publish(feeds_for([items[k] for k in ARTICLES]), "Mon, 01 Jul 2024 09:00:00 GMT")
        sources = tmp_path / "sources.txt"
        sources.write_text("".join(f"feed {server.base}{p}\n" for p in
                                   (FEEDS["Meridian Wire"], FEEDS["Vostok Today"])))
        clean_db, clean_jsonl = tmp_path / "clean.duckdb", tmp_path / "clean.jsonl"
        with Store(clean_db) as store:
            found, _ = read_sources(sources)
            run_round(store, found, WatchOptions(allow_private=True, alerts_jsonl=clean_jsonl),
                      Clock())
        expected = _state(clean_db, clean_jsonl)
        assert len(expected["articles"]) == 2 and len(expected["alerts"]) >= 1

        db, jsonl = tmp_path / "killed.duckdb", tmp_path / "killed.jsonl"
        # 1. Killed between two sources: the first feed's articles are stored, not the rest.
        _kill_after(_watch(sources, db, jsonl), "meridian.xml: 1 new item")
        partial = _state(db, jsonl)
        assert len(partial["articles"]) == 1 and partial["alerts"] == []
        # 2. Killed while linking: everything is analysed, nothing alerted yet.
        _kill_after(_watch(sources, db, jsonl), "linking", delay=0.5)
        partial = _state(db, jsonl)
        assert len(partial["articles"]) == 2 and partial["analyses"] == (2, 2)
        assert partial["alerts"] == [] and partial["jsonl"] == []
        # 3. Run to the end: it finishes the interrupted round.
        done = _watch(sources, db, jsonl)
        output, _ = done.communicate(timeout=600)
        assert done.returncode == 0, output
        assert "finishing the interrupted round" in output
    assert _state(db, jsonl) == expected
