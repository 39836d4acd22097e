"""Outlet profiles: genre mix, tone, own-voice technique rate, voices by party, stance."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from triangulate.cli import app
from triangulate.ingest.normalize import article_from_fields
from triangulate.link import outlets
from triangulate.model import (
    Actor,
    ActorStance,
    Analysis,
    Claim,
    Framing,
    Genre,
    Mention,
    Quote,
    Span,
    Story,
    StoryArticle,
    Technique,
)
from triangulate.store import Store

TEXT = ("Israeli officials said the raid was over. Hamas said the occupiers lied. "
        "The brutal siege goes on.")


def _actors() -> list[Actor]:
    return [
        Actor("israel-military", "Israel Defense Forces", "military", "ISR", parent="israel",
              mentions=[Mention(0, 7, "Israeli")]),
        Actor("israel-government", "Israeli government", "government", "ISR", parent="israel",
              mentions=[Mention(8, 17, "officials")]),
        Actor("hamas", "Hamas", "armed_group", "PSE", mentions=[Mention(42, 47, "Hamas")]),
    ]


def _analysis(article_id: str, outlet: str, genre: str, tone: float, words: int,
              techniques: list[Technique], stance: dict[str, float]) -> Analysis:
    return Analysis(
        id=article_id, url=None, outlet=outlet, title=None, author=None,
        published="2024-06-08", language="en", text=TEXT, genre=Genre(genre, 0.9),
        actors=_actors(),
        claims=[
            Claim("c1", "israel-government", "Israeli officials", "said", "asserts", 0, 41,
                  Span(23, 40, TEXT[23:40])),
            Claim("c2", "hamas", "Hamas", "said", "asserts", 42, 71, Span(53, 71, TEXT[53:71])),
        ],
        quotes=[Quote("q1", "israel-military", "Israeli", "said", 23, 40, TEXT[23:40])],
        framing=Framing(
            tone=tone, techniques=techniques, words=words,
            actor_stance=[
                ActorStance(actor, "negative" if s < -0.25 else "positive" if s > 0.25 else
                            "neutral", s, 0.0) for actor, s in stance.items()
            ],
        ),
    )


LOADED = Technique("loaded_language", 77, 83, "brutal")
QUOTED = Technique("loaded_language", 57, 66, "occupiers", speaker="hamas")
UNNAMED = Technique("loaded_language", 23, 31, "the raid")  # inside a claim, speaker not known


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "o.duckdb") as s:
        rows = [("w1", "Wire"), ("w2", "Wire"), ("c1", "Column")]
        s.add_articles([article_from_fields(TEXT, source="t", id=i, outlet=o) for i, o in rows])
        s.save_analyses([
            _analysis("w1", "Wire", "news", -2.0, 100, [UNNAMED, QUOTED], {"hamas": 0.0}),
            _analysis("w2", "Wire", "news", -4.0, 100, [], {"hamas": -0.1}),
            _analysis("c1", "Column", "opinion", -6.0, 50, [LOADED, QUOTED],
                      {"hamas": -0.8, "israel-military": 0.5}),
        ])
        yield s


def _by_outlet(found):
    return {p.outlet: p for p in found}


def test_a_profile_counts_genres_and_averages_tone(store):
    wire = _by_outlet(outlets.profiles(store))["Wire"]
    assert wire.articles == 2
    assert wire.genres == {"news": 2}
    assert wire.tone == pytest.approx(-3.0)


def test_techniques_in_quoted_speech_are_not_the_outlets(store):
    found = _by_outlet(outlets.profiles(store))
    assert found["Wire"].techniques == {}
    assert found["Wire"].quoted_techniques == 2
    assert found["Column"].techniques == {"loaded_language": 1}
    assert found["Column"].techniques_per_1000_words == pytest.approx(20.0)


def test_voices_are_grouped_by_the_speakers_country(store):
    wire = _by_outlet(outlets.profiles(store))["Wire"]
    voices = {v.party: v for v in wire.voices}
    assert voices["ISR"].quotes == 2 and voices["ISR"].claims == 2
    assert voices["PSE"].claims == 2
    assert sum(v.share for v in wire.voices) == pytest.approx(1.0)


def test_stance_toward_main_actors_is_the_mean_of_the_articles(store):
    column = _by_outlet(outlets.profiles(store))["Column"]
    stance = {s.actor: s for s in column.stance}
    assert stance["hamas"].stance == "negative"
    assert stance["israel-military"].stance == "positive"
    wire = _by_outlet(outlets.profiles(store))["Wire"]
    assert {s.actor: s.stance for s in wire.stance}["hamas"] == "neutral"


def test_a_story_comparison_covers_only_its_articles(store):
    story = Story("s1", "ASSAULT", "2024-06-08", None, actors=["israel-military"],
                  targets=["hamas"], articles=[StoryArticle("w1", "Wire", "e1"),
                                               StoryArticle("c1", "Column", "e1")])
    store.save_links([story], [("s1", "w1", "e1"), ("s1", "c1", "e1")])
    comparison = outlets.compare_story(store, "s1")
    assert comparison is not None
    found = _by_outlet(comparison.outlets)
    assert found["Wire"].articles == 1 and found["Column"].articles == 1
    assert comparison.actors[:2] == ["israel-military", "hamas"]
    assert outlets.compare_story(store, "no-such-story") is None


def test_an_empty_store_has_no_profiles(tmp_path):
    with Store(tmp_path / "empty.duckdb") as s:
        assert outlets.profiles(s) == []


def test_the_outlets_command_prints_profiles_as_data(store, tmp_path):
    path = store.path
    store.close()
    result = CliRunner().invoke(app, ["outlets", "--db", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {p["outlet"] for p in data} == {"Wire", "Column"}
    table = CliRunner().invoke(app, ["outlets", "--db", str(path)])
    assert table.exit_code == 0 and "Column" in table.stdout


def test_the_story_option_needs_linked_stories(store):
    path = store.path
    store.close()
    result = CliRunner().invoke(app, ["outlets", "--db", str(path), "--story", "s1"])
    assert result.exit_code == 1
