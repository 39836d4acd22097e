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


# ---- failed analyses (issue 16)


def _stored(store, *ids: str) -> None:
    store.add_articles([article_from_fields(TEXT, source=f"{i}.txt", id=i) for i in ids])


def _pending(store, retry=False) -> set[str]:
    return {a.id for a in store.articles(unanalysed_only=True, retry=retry)}


@pytest.fixture
def empty(tmp_path):
    with Store(tmp_path / "e.duckdb") as s:
        yield s


def test_a_failed_article_is_kept_out_of_later_runs_until_retried(empty):
    from triangulate.model import AnalysisFailure

    store = empty
    _stored(store, "a", "b", "c")
    store.save_analyses([_analysis("a")], [AnalysisFailure("b", "error", "ValueError: x", 0.1)])
    assert _pending(store) == {"c"}
    assert _pending(store, retry=True) == _pending(store, retry=["b"]) == {"b", "c"}
    assert store.counts()["failed"] == 1
    (row,) = store.failures()
    assert (row["id"], row["reason"], row["attempts"], row["source"]) == ("b", "error", 1, "b.txt")


def test_failing_again_counts_an_attempt_and_succeeding_clears_the_mark(empty):
    from triangulate.model import AnalysisFailure

    store = empty
    _stored(store, "b")
    store.save_analyses([], [AnalysisFailure("b", "error", "first")])
    store.save_analyses([], [AnalysisFailure("b", "timeout", "second")])
    (row,) = store.failures()
    assert (row["reason"], row["detail"], row["attempts"]) == ("timeout", "second", 2)
    store.save_analyses([_analysis("b")])
    assert store.failures() == [] and store.counts()["analysed"] == 1


def test_a_store_made_before_failures_were_kept_opens_read_only_and_gains_the_table(tmp_path):
    path = tmp_path / "old.duckdb"
    with Store(path) as s:
        _stored(s, "a")
        s.con.execute("DROP TABLE failed_analyses")  # as the code before it left stores
    with Store(path, read_only=True) as s:
        assert s.failures() == [] and s.counts()["failed"] == 0
    with Store(path) as s:
        assert _pending(s) == {"a"}
        assert s.con.execute("SELECT count(*) FROM failed_analyses").fetchone()[0] == 0


def test_the_mentions_table_holds_no_duplicate_rows(tmp_path, analyze):
    # One speaker phrase resolved for two cues ("said ... and warned ...") was listed twice
    # among its actor's mentions, and stored as two identical rows on every run.
    text = ("Rescue crews said they had pulled two survivors from the rubble and warned "
            "residents to stay away from damaged buildings.")
    record = analyze(text)
    with Store(tmp_path / "m.duckdb") as s:
        s.add_articles([article_from_fields(text, source="m.txt", id=record.id)])
        s.save_analyses([record])
        total, distinct = s.con.execute(
            "SELECT count(*), count(DISTINCT (article_id, layer, item_id, start_char, "
            "end_char, text)) FROM mentions").fetchone()
    assert total == distinct > 0


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


# --------------------------------------------------------------------------- positions

DEAL = "Hamas accepted the truce proposal on Monday, its spokesman said."


def _with_position(article_id: str) -> Analysis:
    from triangulate.model import Position

    hamas = Actor("hamas", "Hamas", "armed_group", "PSE", [Mention(0, 5, "Hamas")])
    cue = DEAL.index("accepted")
    return Analysis(
        id=article_id, url=None, outlet="Test Wire", title=None, author=None,
        published="2025-01-15", language="en", text=DEAL, actors=[hamas],
        positions=[Position("n1", "hamas", "ceasefire", "accept", None, "hamas", "2025-01-13",
                            evidence=Span(0, len(DEAL), DEAL), actor="hamas",
                            cue=Mention(cue, cue + 8, "accepted"))],
    )


@pytest.fixture
def deal_store(tmp_path):
    path = tmp_path / "p.duckdb"
    with Store(path) as s:
        s.add_articles([article_from_fields(DEAL, source="t", id="d1", outlet="Test Wire",
                                            published="2025-01-15")])
        s.save_analyses([_with_position("d1")])
    return path


def test_positions_are_stored_with_their_analysis_and_read_with_their_article(deal_store):
    with Store(deal_store, read_only=True) as s:
        (m,) = s.position_records()
        assert s.analysis("d1").positions == _with_position("d1").positions
        assert s.position_records(parties=["israel"]) == []
        assert s.position_records(issue="ceasefire", start="2025-01-13", end="2025-01") != []
    assert (m.party, m.stance, m.date, m.published, m.outlet) == (
        "hamas", "accept", "2025-01-13", "2025-01-15", "Test Wire")
    assert DEAL[m.evidence.start:m.evidence.end] == m.evidence.text


def _make_old(path, keep_positions_in_record: bool) -> None:
    """Turn a store into one written before the positions table existed."""
    import json

    con = duckdb.connect(str(path))
    con.execute("DROP TABLE positions")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    if not keep_positions_in_record:
        record = json.loads(con.execute("SELECT record FROM analyses").fetchone()[0])
        del record["positions"]
        con.execute("UPDATE analyses SET record = ?", [json.dumps(record)])
    con.close()


def test_an_older_store_gets_the_positions_table_and_its_stored_positions(deal_store):
    _make_old(deal_store, keep_positions_in_record=True)
    with Store(deal_store) as s:
        assert [m.position for m in s.position_records()] == ["n1"]
        version = s.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert version == ("2",)


def test_analyses_made_before_positions_get_them_from_their_text(deal_store):
    from triangulate.jobs import backfill_positions

    _make_old(deal_store, keep_positions_in_record=False)
    with Store(deal_store) as s:
        assert s.position_records() == [] and len(list(s.analyses_without_positions())) == 1
        assert backfill_positions(s) == 1
        assert backfill_positions(s) == 0  # done once
        (m,) = s.position_records()
        # The stage read the stored layers: they hold no claim, so no one claims it.
        assert (m.party, m.stance, m.issue, m.claimant) == ("hamas", "accept", "ceasefire", None)
        assert s.analysis("d1").actors[0].id == "hamas"  # the rest of the record is kept


def test_a_store_from_before_figure_scope_gets_the_columns_and_the_tolls_table(tmp_path):
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        store.con.execute("DROP TABLE tolls")
        for column in ("event_id", "scope", "since", "who_text"):
            store.con.execute(f"ALTER TABLE figures DROP COLUMN {column}")
    with Store(db, read_only=True) as old:  # read-only: nothing changes, no series to list
        assert old.toll_records() == []
    with Store(db) as store:
        columns = {r[0] for r in store.con.execute("DESCRIBE figures").fetchall()}
        assert {"event_id", "scope", "since", "who_text"} <= columns
        assert store.toll_records() == []
