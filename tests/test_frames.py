"""DataFrames from Python: triangulate.open(...) per layer, with the shared filters, and
Analysis.to_frame per layer of one article."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import triangulate
from tests.export.conftest import build_store, corpus


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("frames") / "frames.duckdb")
    with triangulate.open(db) as d:
        yield d


def test_events_has_one_row_per_stored_event(dataset):
    events = dataset.events()
    assert isinstance(events, pd.DataFrame)
    assert len(events) == dataset.store.counts()["events"] == 8
    assert {"article_id", "event_id", "type", "actor", "place_name", "story", "outlet",
            "published", "evidence"} <= set(events.columns)


def test_every_accessor_returns_a_frame_of_its_layer(dataset):
    counts = dataset.store.counts()
    assert len(dataset.figures()) == counts["figures"]
    assert len(dataset.claims()) == counts["claims"]
    assert len(dataset.quotes()) == counts["quotes"] == 0
    # One row per place per article that names it.
    assert len(dataset.places()) == sum(len(a.places) for a in corpus()) == 7
    stories = dataset.stories()
    assert len(stories) == 5 and stories.loc[stories["place_name"] == "Kharkiv", "deaths"].item() == 2
    sides = dataset.contradictions()
    assert set(sides["field"]) == {"figures.killed"} and set(sides["value"]) >= {2, 11}


def test_the_actor_filter_keeps_what_the_actor_did_suffered_or_said(dataset):
    events = dataset.events(actor="Russia")
    assert len(events) == 6
    assert all("russia-military" in (a, t) for a, t in zip(events["actor"], events["target"],
                                                          strict=True))
    claims = dataset.claims(actor="Russia")
    assert set(claims["speaker"]) == {"russia-government"}
    assert set(dataset.figures(actor="Russia")["article_id"]) == {
        a.id for a in corpus() if "russia-military" in a.actors and a.figures}
    assert len(dataset.stories(actor="Russia")) == 3


def test_the_place_filter_matches_a_name_or_an_id(dataset):
    assert set(dataset.events(place="Izium")["place_name"]) == {"Izium"}
    assert set(dataset.events(place="alias:izium")["place_name"]) == {"Izium"}
    assert set(dataset.places(place="lviv")["name"]) == {"Lviv"}
    assert list(dataset.stories(place="Kharkiv")["place_name"]) == ["Kharkiv"]


def test_date_filters_use_event_dates_for_events_and_publication_for_the_rest(dataset):
    assert set(dataset.events(end="2024-02-29")["date"]) == {"2024-02-19"}
    assert set(dataset.claims(start="2024-03-06")["published"]) == {"2024-03-06", "2024-03-07"}
    assert list(dataset.stories(start="2024-03-05")["date"]) == ["2024-03-05", "2024-03-05"]
    assert dataset.contradictions(end="2024-03-01").empty


def test_the_outlet_filter_keeps_that_outlets_articles(dataset):
    assert set(dataset.events(outlet="eastgate times")["outlet"]) == {"Eastgate Times"}
    assert set(dataset.figures(outlet="Northline Daily")["outlet"]) == {"Northline Daily"}
    assert len(dataset.stories(outlet="Eastgate Times")) == 2


TALKS = [
    {"id": "hp-truce-rejected", "outlet": "Harbor Post", "published": "2025-03-02",
     "text": "Hamas rejected the Egyptian cease-fire proposal on Sunday, its spokesman said."},
    {"id": "nd-truce-accepted", "outlet": "Northline Daily", "published": "2025-03-04",
     "text": "Hamas accepted the cease-fire proposal on Tuesday, Egyptian officials said. "
             "Israel demanded the return of all hostages before any truce."},
]


@pytest.fixture(scope="module")
def talks(tmp_path_factory):
    """Two invented reports of a negotiation, through the real pipeline and store."""
    from tests.link.conftest import build

    folder = tmp_path_factory.mktemp("talks")
    (folder / "talks.jsonl").write_text("".join(json.dumps(a) + "\n" for a in TALKS))
    build(folder / "talks.duckdb", [[str(folder / "talks.jsonl")]])
    with triangulate.open(folder / "talks.duckdb") as d:
        yield d


def test_negotiations_give_the_trackers_cells_with_the_latest_stance(talks):
    cells = talks.negotiations()
    hamas = cells[(cells["party"] == "hamas") & (cells["issue"] == "ceasefire")].iloc[0]
    assert (hamas["stance"], hamas["day"], hamas["sources"], hamas["changes"]) == (
        "accept", "2025-03-04", 2, 1)
    assert hamas["evidence"] == TALKS[1]["text"][hamas["evidence_start"]:hamas["evidence_end"]]
    assert ("israel", "hostages", "demand") in set(
        zip(cells["party"], cells["issue"], cells["stance"], strict=True))
    assert list(talks.negotiations(issue="hostages")["party"]) == ["israel"]


def test_a_negotiation_history_has_a_row_per_report_with_the_change_marked(talks):
    history = talks.negotiations(party="Hamas", issue="ceasefire", history=True)
    assert list(zip(history["day"], history["stance"], history["change"], strict=True)) == [
        ("2025-03-02", "reject", False), ("2025-03-04", "accept", True)]
    assert list(history["outlet"]) == ["Harbor Post", "Northline Daily"]
    assert talks.negotiations(party="Hamas", end="2025-03-03")["stance"].item() == "reject"
    with pytest.raises(ValueError, match="unknown issue"):
        talks.negotiations(issue="truce")


def test_positions_have_a_row_per_stored_position_with_exact_spans(talks):
    rows = talks.positions()
    assert len(rows) == len(talks.store.position_records()) >= 3
    text = {a["id"]: a["text"] for a in TALKS}
    for r in rows.itertuples():
        assert text[r.article_id][r.evidence_start:r.evidence_end] == r.evidence
    assert set(talks.positions(outlet="Harbor Post")["article_id"]) == {"hp-truce-rejected"}
    assert set(talks.positions(actor="Israel")["party"]) == {"israel"}


def test_opening_a_missing_store_says_what_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="triangulate run"):
        triangulate.open(tmp_path / "none.duckdb")


def test_an_analysis_gives_each_layer_as_a_frame():
    record = corpus()[0].analysis()
    events = record.to_frame("events")
    assert list(events["article"]) == [record.id] and events["type"].item() == "ASSAULT"
    assert events["evidence.text"].item() == record.text
    assert record.to_frame("figures")["value"].item() == 7
    assert len(record.to_frame("claims")) == 1
    assert record.to_frame("techniques").empty
    with pytest.raises(ValueError, match="unknown layer"):
        record.to_frame("nothing")
