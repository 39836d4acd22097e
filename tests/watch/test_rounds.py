"""Watch rounds over a folder of dropped files: what each round stores, links and alerts,
stopping between sources, and a store built by `run` as the first round's baseline."""

from __future__ import annotations

import json
from pathlib import Path

from triangulate.store import Store
from triangulate.watch.rounds import WatchOptions, run_round
from triangulate.watch.sources import WatchSource

HERALD = {"id": "herald-1", "outlet": "Varda Herald", "published": "2024-05-09",
          "text": "Russian forces shelled the central market in Kharkiv on Thursday, killing 12 "
                  "civilians, the regional governor said."}
POST = {"id": "post-1", "outlet": "Kessel Post", "published": "2024-05-10",
        "text": "Russian shelling hit the central market in Kharkiv on Thursday and killed 12 "
                "civilians, the governor of the region said on Friday."}
TOLL = {"id": "post-2", "outlet": "Kessel Post", "published": "2024-05-11",
        "text": "The toll from the Russian shelling of the central market in Kharkiv on "
                "Thursday rose to 19 civilians killed, the regional governor said."}
OPTIONS = WatchOptions(settle=0.0)


def drop(folder: Path, name: str, *articles: dict) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("".join(json.dumps(a) + "\n" for a in articles))


def kinds(report) -> list[tuple]:
    return [(a.kind, a.subject, a.old, a.new) for a in report.alerts]


def test_rounds_over_a_folder_raise_the_story_when_a_second_outlet_tells_it_then_its_new_toll(tmp_path, clock):
    folder = tmp_path / "drops"
    sources = [WatchSource("folder", str(folder))]
    rounds = []
    for name, article in (("1.jsonl", HERALD), ("2.jsonl", POST), ("3.jsonl", TOLL), (None, None)):
        if name:
            drop(folder, name, article)
        with Store(tmp_path / "w.duckdb") as store:
            rounds.append(run_round(store, sources, OPTIONS, clock))
        clock.t += 900
    assert [r.ingest.new_ids for r in rounds] == [["herald-1"], ["post-1"], ["post-2"], []]
    assert kinds(rounds[0]) == [] and rounds[0].new_stories == 1
    assert kinds(rounds[1]) == [("new_story", "independent outlets", 1, 2)]
    assert kinds(rounds[2]) == [("toll_changed", "killed civilians", 12, 19)]
    toll = rounds[2].alerts[0]
    assert toll.evidence[0].article == "post-2" and "19" in toll.evidence[0].text
    # Nothing new: no analysis, no relink, no alert, and the round is recorded as finished.
    quiet = rounds[3]
    assert (quiet.analysed, quiet.linked, quiet.alerts, quiet.polls[0].new_items) == (0, False, [], 0)
    with Store(tmp_path / "w.duckdb", read_only=True) as store:
        finished = store.con.execute("SELECT count(*) FROM watch_rounds WHERE finished IS NOT NULL")
        assert finished.fetchone() == (4,)


def test_a_round_stopped_between_sources_leaves_the_rest_to_the_next_round(tmp_path, clock):
    drop(tmp_path / "a", "1.jsonl", HERALD)
    drop(tmp_path / "b", "1.jsonl", POST)
    sources = [WatchSource("folder", str(tmp_path / "a")), WatchSource("folder", str(tmp_path / "b"))]

    def ctrl_c_after_the_first_source(what, _data) -> None:
        if what == "polled":
            clock.stop.set()

    with Store(tmp_path / "w.duckdb") as store:
        stopped = run_round(store, sources, OPTIONS, clock, on_progress=ctrl_c_after_the_first_source)
        assert stopped.stopped and len(stopped.polls) == 1 and stopped.analysed == 0
        assert [r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()] == ["herald-1"]
        clock.stop.clear()
        resumed = run_round(store, sources, OPTIONS, clock)
    assert resumed.resumed and not resumed.stopped
    assert [p.new_items for p in resumed.polls] == [0, 1]
    assert resumed.analysed == 2 and resumed.linked
    assert kinds(resumed) == [("new_story", "independent outlets", None, 2)]


def test_the_first_round_on_a_store_built_by_run_alerts_only_on_what_changes(tmp_path, clock):
    from triangulate.ingest.runner import ingest
    from triangulate.jobs import analyse_pending, link_all

    drop(tmp_path / "before", "both.jsonl", HERALD, POST)
    with Store(tmp_path / "w.duckdb") as store:
        ingest(store, [str(tmp_path / "before")])
        analyse_pending(store)
        link_all(store)
    folder = tmp_path / "drops"
    folder.mkdir()
    sources = [WatchSource("folder", str(folder))]
    with Store(tmp_path / "w.duckdb") as store:
        first = run_round(store, sources, OPTIONS, clock)
        drop(folder, "3.jsonl", TOLL)
        second = run_round(store, sources, OPTIONS, clock)
    assert first.alerts == []  # the story told by two outlets was there before the watch
    assert kinds(second) == [("toll_changed", "killed civilians", 12, 19)]


def test_a_source_that_raises_is_reported_as_failed_and_the_others_are_polled(tmp_path, clock):
    def broken_fetch(*_args, **_kw):
        raise RuntimeError("resolver exploded")

    drop(tmp_path / "b", "1.jsonl", HERALD)
    sources = [WatchSource("feed", "http://127.0.0.1:9/feed.xml"), WatchSource("folder", str(tmp_path / "b"))]
    options = WatchOptions(settle=0.0, allow_private=True, get=broken_fetch)
    with Store(tmp_path / "w.duckdb") as store:
        report = run_round(store, sources, options, clock)
    assert [p.status for p in report.polls] == ["failed", "new"]
    assert "resolver exploded" in report.polls[0].detail and report.ingest.new_ids == ["herald-1"]


REJECTED = {"id": "wire-talks-1", "outlet": "Varda Herald", "published": "2025-03-02",
            "text": "Hamas rejected the Egyptian cease-fire proposal on Sunday, a Hamas "
                    "official said."}
ACCEPTED = {"id": "post-talks-2", "outlet": "Kessel Post", "published": "2025-03-04",
            "text": "Hamas accepted the cease-fire proposal on Tuesday, Egyptian officials "
                    "said."}


def test_a_party_that_changes_its_stance_between_rounds_raises_a_position_alert(tmp_path, clock):
    folder = tmp_path / "drops"
    sources = [WatchSource("folder", str(folder))]
    rounds = []
    for name, article in (("1.jsonl", REJECTED), ("2.jsonl", ACCEPTED)):
        drop(folder, name, article)
        with Store(tmp_path / "w.duckdb") as store:
            rounds.append(run_round(store, sources, OPTIONS, clock))
        clock.t += 900
    # A stance first heard of is no change; the later acceptance is.
    assert not [a for a in rounds[0].alerts if a.kind == "position_changed"]
    (moved,) = [a for a in rounds[1].alerts if a.kind == "position_changed"]
    assert (moved.party, moved.issue, moved.old, moved.new) == ("hamas", "ceasefire",
                                                                 "reject", "accept")
    (e,) = moved.evidence
    assert (e.article, e.outlet) == ("post-talks-2", "Kessel Post")
    assert ACCEPTED["text"][e.start:e.end] == e.text and "accepted" in e.text
    with Store(tmp_path / "w.duckdb", read_only=True) as store:
        kept = store.watch_position_baseline()
        assert kept[("hamas", "ceasefire")].stance == "accept"
        _, stored = store.alert_records(kind="position_changed")
        assert [a.id for a in stored] == [moved.id]
    from fastapi.testclient import TestClient

    from triangulate.app import create_app

    application = create_app(tmp_path / "w.duckdb")
    try:
        with TestClient(application) as client:
            page = client.get("/since?kind=position_changed").text
            assert "reject</span> → <strong>accept" in page
            assert 'href="/negotiations?party=hamas&amp;issue=ceasefire"' in page
            (item,) = client.get("/api/alerts", params={"kind": "position_changed"}).json()["items"]
            assert (item["party"], item["issue"], item["new"]) == ("hamas", "ceasefire", "accept")
    finally:
        application.state.store.close()
