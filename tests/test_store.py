"""The store keeps analyses whole, writes atomically and is idempotent."""

from __future__ import annotations

import duckdb
import pytest

from triangulate.ingest.normalize import article_from_fields
from triangulate.model import (
    Actor,
    Analysis,
    Claim,
    Event,
    Figure,
    Framing,
    Genre,
    Mention,
    Span,
    Technique,
)
from triangulate.store import Store

TEXT = "Hamas claimed that four sentries were killed during a raid near Jenin."
FIGURE = "four sentries were killed"
CONTENT = "four sentries were killed during a raid"


def _analysis(article_id: str) -> Analysis:
    hamas = Actor("hamas", "Hamas", "armed_group", "PSE", [Mention(0, 5, "Hamas")])
    at, raid = TEXT.index(FIGURE), TEXT.index("raid")
    figure = Figure("f1", at, at + len(FIGURE), FIGURE, 4, what="killed", who="sentries")
    claim = Claim(
        "c1", "hamas", "Hamas", "claimed", "asserts", 0, at + len(CONTENT),
        Span(at, at + len(CONTENT), CONTENT), figures=["f1"], event="e1",
    )
    event = Event(
        "e1", "ASSAULT", None, "hamas", None, None, None, None, False, False, "raid",
        Span(0, len(TEXT), TEXT), figures=["f1"], claims=["c1"],
    )
    return Analysis(
        id=article_id, url=None, outlet="Test Wire", title=None, author=None,
        published="2024-04-07", language="en", text=TEXT, genre=Genre("news", 0.8),
        actors=[hamas], figures=[figure], claims=[claim], events=[event],
        framing=Framing(-2.0, [Technique("loaded_language", raid, raid + 4, "raid")]),
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.duckdb") as s:
        s.add_articles([article_from_fields(TEXT, source="t", id="a1", outlet="Test Wire")])
        yield s


def test_analysis_round_trips_through_the_store(store):
    store.save_analyses([_analysis("a1")])
    back = store.analysis("a1")
    assert back == _analysis("a1")


def test_saving_the_same_analysis_twice_changes_no_row_counts(store):
    store.save_analyses([_analysis("a1")])
    first = store.counts()
    store.save_analyses([_analysis("a1")])
    assert store.counts() == first
    assert first["events"] == 1 and first["claims"] == 1 and first["figures"] == 1


def test_adding_an_article_twice_keeps_one_row(store):
    again = article_from_fields(TEXT, source="t", id="a1")
    assert store.add_articles([again]) == 0
    assert store.counts()["articles"] == 1


def test_a_failed_batch_leaves_nothing_behind(store):
    broken = _analysis("a1")
    broken.claims[0].figures = object()  # not storable: the insert fails mid-transaction
    with pytest.raises((duckdb.Error, TypeError, ValueError)):
        store.save_analyses([broken])
    assert store.counts()["analysed"] == 0 and store.counts()["claims"] == 0


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_writes_every_row(store, tmp_path, fmt):
    store.save_analyses([_analysis("a1")])
    path = tmp_path / f"events.{fmt}"
    assert store.export("events", path, fmt) == 1
    assert path.stat().st_size > 0


def test_export_refuses_unknown_tables(store, tmp_path):
    with pytest.raises(ValueError, match="unknown table"):
        store.export("articles; DROP TABLE articles", tmp_path / "x", "csv")


WATCH_TABLES = ("watch_sources", "watch_seen", "watch_rounds", "watch_stories", "alerts",
                "alert_deliveries")


def test_a_store_from_before_watch_gets_its_tables_when_opened_and_reads_empty_before(tmp_path):
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        store.add_articles([article_from_fields(TEXT, source="x", id="a1")], {}, [])
        for table in WATCH_TABLES:
            store.con.execute(f"DROP TABLE {table}")
    with Store(db, read_only=True) as old:  # read-only: nothing is created, lists are empty
        assert old.alert_records() == (0, [])
    with Store(db) as store:
        tables = {r[0] for r in store.con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        assert set(WATCH_TABLES) <= tables
        assert store.watch_baseline() is None and store.has_article("a1")
