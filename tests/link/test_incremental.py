"""Incremental linking: the sample corpus fed in rounds through link_new gives exactly the
stories, figures, contradictions, disputes and toll series of one link_all."""

from __future__ import annotations

import shutil

import pytest

from triangulate import jobs, settings
from triangulate.store import Store


def _link_tables(store: Store) -> dict:
    """Everything a link writes, in a comparable form."""
    con = store.con
    return {
        "stories": sorted(r[0] for r in con.execute("SELECT record FROM stories").fetchall()),
        "members": sorted(con.execute("SELECT * FROM story_events").fetchall()),
        "contradictions": sorted(con.execute(
            "SELECT story_id, idx, field, record FROM contradictions").fetchall()),
        "tolls": sorted(r[0] for r in con.execute("SELECT record FROM tolls").fetchall()),
    }


@pytest.fixture(scope="module")
def corpus(sample, tmp_path_factory):
    """The sample's articles and analyses in ingest order, and its cached vectors."""
    copy = tmp_path_factory.mktemp("incr") / "sample.duckdb"
    shutil.copy(sample.db, copy)
    with Store(copy) as store:
        articles = list(store.articles())
        analyses = {a.id: a for a in store.analyses()}
        vectors = store.con.execute(
            "SELECT model, article_id, event_id, text_hash, vector FROM event_vectors").fetchall()
    return [(a, analyses[a.id]) for a in articles if a.id in analyses], vectors


def _replay(path, corpus, rounds: list[list[int]], monkeypatch) -> tuple[Store, list]:
    """A new store fed the corpus round by round, link_new after each; the story ids seen
    after each round."""
    items, vectors = corpus
    store = Store(path)
    for model in {v[0] for v in vectors}:
        store.save_event_vectors(model, [v[1:] for v in vectors if v[0] == model])
    full_relinks = []
    real = jobs.link_all
    monkeypatch.setattr(jobs, "link_all", lambda *a, **k: full_relinks.append(1) or real(*a, **k))
    seen = []
    for idx in rounds:
        batch = [items[k] for k in idx]
        store.add_articles([a for a, _ in batch])
        store.save_analyses([n for _, n in batch])
        jobs.link_new(store, [a.id for a, _ in batch])
        seen.append({r[0] for r in store.con.execute("SELECT story_id FROM stories").fetchall()})
    monkeypatch.setattr(jobs, "link_all", real)
    assert len(full_relinks) == 1, "only the first round (no stored state) relinks in full"
    return store, seen


@pytest.mark.parametrize("split", ["interleaved", "halves", "narrow window"])
def test_rounds_of_link_new_equal_one_link_all(corpus, tmp_path, monkeypatch, split):
    n = len(corpus[0])
    if split == "narrow window":
        # Blocks denser than the window: a new report pushes two old ones out of each
        # other's sorted neighbourhood, so old pairs are lost and stories can split.
        monkeypatch.setattr(settings, "LINK_BLOCK_WINDOW", 2)
    if split != "halves":  # every story's accounts arrive over several rounds
        rounds = [list(range(0, n, 3)), list(range(1, n, 3)), list(range(2, n, 3))]
    else:
        rounds = [list(range(n // 2)), [n // 2], list(range(n // 2 + 1, n))]
    store, seen = _replay(tmp_path / "rounds.duckdb", corpus, rounds, monkeypatch)
    with store:
        incremental = _link_tables(store)
    shutil.copy(tmp_path / "rounds.duckdb", tmp_path / "copy.duckdb")
    with Store(tmp_path / "copy.duckdb") as full:
        jobs.link_all(full)
        assert _link_tables(full) == incremental
    assert incremental["stories"] and incremental["contradictions"] and incremental["tolls"]


def test_a_story_id_joined_into_another_points_to_it(corpus, tmp_path, monkeypatch):
    n = len(corpus[0])
    rounds = [list(range(1, n, 2)), list(range(0, n, 2))]  # earlier accounts come last
    store, seen = _replay(tmp_path / "r.duckdb", corpus, rounds, monkeypatch)
    with store:
        final = seen[-1]
        gone = seen[0] - final
        assert gone, "a later round joined some stories"
        for old in gone:
            assert store.story_redirect(old) in final
        assert all(store.story_redirect(s) is None for s in final)
        old = sorted(gone)[0]
        new = store.story_redirect(old)

    from fastapi.testclient import TestClient

    from triangulate.app import create_app

    app = create_app(tmp_path / "r.duckdb")
    try:
        with TestClient(app, follow_redirects=False) as client:
            for path in (f"/api/stories/{old}", f"/stories/{old}"):
                moved = client.get(path)
                assert moved.status_code == 301
                assert moved.headers["location"].endswith(new)
            assert client.get(f"/api/stories/{old}", follow_redirects=True).json()["id"] == new
            assert client.get("/api/stories/s-000000000000").status_code == 404
    finally:
        app.state.store.close()


def test_nothing_new_changes_nothing(corpus, tmp_path, monkeypatch):
    n = len(corpus[0])
    store, _ = _replay(tmp_path / "same.duckdb", corpus, [list(range(n))], monkeypatch)
    with store:
        before = _link_tables(store)
        result = jobs.link_new(store, [])
        assert result.stories == [] and _link_tables(store) == before


def _crowded(seed: int, articles: int = 90):
    """Mentions of a few events told by many articles in two towns over three days, so
    blocks hold more reports than a narrow window (with vectors: an event direction
    plus noise)."""
    import datetime as dt

    import numpy as np

    from triangulate.model import EventMention, Mention

    rng = np.random.default_rng(seed)
    towns = [("town-a", 48.0, 37.0), ("town-b", 48.2, 37.1), ("town-c", 46.0, 33.0)]
    events = [(int(rng.integers(0, 3)), int(rng.integers(0, 9)), rng.standard_normal(16))
              for _ in range(6)]
    # the later articles tell other events at the same places and days
    events += [(town, day, rng.standard_normal(16)) for town, day, _ in events]
    mentions, vectors = [], []
    for a in range(articles):
        told = rng.integers(0, 6, 2) + (6 if a >= articles // 2 else 0)
        for e, (town, day, direction) in enumerate(events[k] for k in sorted(set(told.tolist()))):
            name, lat, lon = towns[town]
            date = dt.date(2024, 3, 1 + day + int(rng.random() < 0.2)).isoformat()
            mentions.append(EventMention(
                article=f"a{a:03d}", event=f"e{e + 1}", order=a, type="ASSAULT",
                outlet=f"outlet-{a % 17}", published=date,
                actor=f"actor-{int(rng.integers(0, 3)) + 3 * (a >= articles // 2)}",
                target="actor-9", actor_party="RUS", target_party="UKR", place=name,
                place_name=name, lat=lat, lon=lon, place_kind="town", place_country="UKR",
                date=date, date_precision="day", evidence=Mention(0, 4, "text"),
                position=0.1 * e))
            v = direction + rng.normal(0, 0.6, 16)
            vectors.append(v / np.linalg.norm(v))
    return mentions, np.asarray(vectors, dtype=np.float32)


@pytest.mark.parametrize("seed", [1, 2])
def test_updates_in_crowded_blocks_equal_a_full_link(tmp_path, monkeypatch, seed):
    from triangulate.link import incremental

    monkeypatch.setattr(settings, "LINK_BLOCK_WINDOW", 1)
    mentions, vectors = _crowded(seed)
    cut = [0, 40, 41, 70, 90]

    def part(lo, hi):
        idx = [k for k, m in enumerate(mentions) if lo <= m.order < hi]
        orders = {f"a{a:03d}": a for a in range(lo, hi)}
        return [mentions[k] for k in idx], vectors[idx], {}, orders

    def save(store, result, state, meta=None):
        store.save_link_state(state, meta, result.stories, result.members, [], result.tolls,
                              components=state.components, replaced=result.replaced)

    with Store(tmp_path / "rounds.duckdb") as store:
        save(store, *incremental.link_full(*part(cut[0], cut[1]), 16), meta="m")
        for lo, hi in zip(cut[1:], cut[2:], strict=False):
            save(store, *incremental.link_update(store, *part(lo, hi), 16))
        rounds = _link_tables(store)
    with Store(tmp_path / "full.duckdb") as store:
        save(store, *incremental.link_full(*part(0, 90), 16))
        assert _link_tables(store) == rounds
    assert len(rounds["stories"]) > 1


@pytest.mark.parametrize("rows_per_part", [4_000_000, 40])
def test_a_stream_of_articles_links_as_the_whole_list_does(rows_per_part, monkeypatch):
    """Also when its candidate pairs are made and scored in many parts."""
    from triangulate import settings
    from triangulate.link import incremental, link
    from triangulate.model import to_dict

    monkeypatch.setattr(settings, "STREAM_ROWS_PER_PART", rows_per_part)
    mentions, vectors = _crowded(3)
    whole = link(mentions, vectors)
    streamed = incremental.link_stream(incremental.by_article(mentions, vectors), 16,
                                       capacity=len(mentions))
    assert [to_dict(s) for s in streamed.stories] == [to_dict(s) for s in whole.stories]
    assert streamed.members == whole.members


def test_an_article_analysed_again_makes_the_next_link_a_full_one(corpus, tmp_path, monkeypatch):
    import dataclasses

    items = corpus[0]
    store, _ = _replay(tmp_path / "again.duckdb", corpus, [list(range(len(items)))], monkeypatch)
    with store:
        article, analysis = items[0]
        store.save_analyses([dataclasses.replace(analysis, events=[])])
        calls = []
        real = jobs.link_all
        monkeypatch.setattr(jobs, "link_all", lambda *a, **k: calls.append(1) or real(*a, **k))
        jobs.link_new(store)
        assert calls == [1]
        members = store.con.execute(
            "SELECT count(*) FROM story_events WHERE article_id = ?", [article.id]).fetchone()[0]
        assert members == 0
