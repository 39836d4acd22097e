"""Each contradiction kind, on short articles written for these tests and analysed by the
real pipeline (so these also say what the analysis stages must extract for linking)."""

from __future__ import annotations

import pytest


def article(id: str, outlet: str, published: str, text: str) -> dict:
    return {"id": id, "outlet": outlet, "published": published, "text": text}


@pytest.fixture(scope="module")
def linked(link_texts):
    return link_texts([
        # date: one outlet says Monday, the other Sunday (published on a Tuesday)
        article("date-a", "Harbor Post", "2024-05-07",
                "An Israeli air strike hit a crowded market in Rafah on Monday, killing 12 "
                "people, hospital officials said."),
        article("date-b", "Valley Courier", "2024-05-07",
                "An Israeli air strike hit a crowded market in Rafah on Sunday, killing 12 "
                "people, hospital officials said."),
        # place: two towns 120 km apart
        article("place-a", "Harbor Post", "2023-09-12",
                "Russian missiles struck a hospital in Kharkiv on Monday, killing three "
                "patients, regional officials said."),
        article("place-b", "Valley Courier", "2023-09-12",
                "Russian missiles struck a hospital in Izium on Monday, killing three patients, "
                "regional officials said."),
        # perpetrator: each side blames the other
        article("perp-a", "Harbor Post", "2023-02-04",
                "Russian forces fired a rocket at the bus station in Sloviansk on Friday, "
                "killing eight people, Ukrainian officials said."),
        article("perp-b", "Steppe Herald", "2023-02-04",
                "Ukrainian forces fired a rocket at the bus station in Sloviansk on Friday, "
                "killing eight people, the Russian defence ministry said."),
        # method: gunfire against an air strike
        article("mode-a", "Harbor Post", "2022-06-14",
                "Gunmen opened fire on a bus near Mopti on Sunday, killing 11 passengers, "
                "local officials said."),
        article("mode-b", "Valley Courier", "2022-06-14",
                "An air strike hit a bus near Mopti on Sunday, killing 11 passengers, residents "
                "said."),
        # figures: a ministry's 30 against the military's "fewer than 10"
        article("fig-a", "Harbor Post", "2024-07-03",
                "An Israeli air strike on a school in Khan Younis on Tuesday killed 30 people, "
                "the Gaza health ministry said."),
        article("fig-b", "Valley Courier", "2024-07-03",
                "The Israeli military said its air strike on a school in Khan Younis on "
                "Tuesday killed fewer than 10 people."),
        # a rising toll from one source, and a word-for-word copy in another outlet
        article("toll-1", "Harbor Post", "2023-01-14",
                "A Russian missile struck an apartment block in Dnipro on Saturday, killing at "
                "least 20 people, the regional governor said."),
        article("toll-2", "Harbor Post", "2023-01-15",
                "The death toll from Saturday's Russian missile strike on an apartment block in "
                "Dnipro rose to 35, the regional governor said."),
        article("toll-3", "Valley Courier", "2023-01-16",
                "The death toll from Saturday's Russian missile strike on an apartment block in "
                "Dnipro rose to 44, the regional governor said."),
        article("toll-copy", "Lakeside Daily", "2023-01-16",
                "The death toll from Saturday's Russian missile strike on an apartment block in "
                "Dnipro rose to 44, the regional governor said."),
    ])


def story(linked, *ids: str):
    stories = [s for s in linked.result.stories if set(ids) <= {a.id for a in s.articles}]
    assert stories, f"{ids} are not one story: " + str(
        [[a.id for a in s.articles] for s in linked.result.stories if s.articles])
    return stories[0]


def contradiction(s, field: str):
    found = [c for c in s.contradictions if c.field == field]
    assert found, f"no {field} contradiction in {[c.field for c in s.contradictions]}"
    return found[0]


def test_monday_against_sunday_is_a_date_contradiction(linked):
    c = contradiction(story(linked, "date-a", "date-b"), "date")
    assert c.values == ["2024-05-05", "2024-05-06"]
    assert all(s.evidence for s in c.sides)


def test_kharkiv_against_izium_is_a_place_contradiction(linked):
    c = contradiction(story(linked, "place-a", "place-b"), "place")
    assert {"Kharkiv", "Izium"} <= {str(v) for v in c.values}


def test_each_side_blaming_the_other_is_a_perpetrator_contradiction(linked):
    c = contradiction(story(linked, "perp-a", "perp-b"), "actor")
    assert set(c.values) == {"russia-military", "ukraine-military"}


def test_gunfire_against_an_air_strike_is_a_method_contradiction(linked):
    c = contradiction(story(linked, "mode-a", "mode-b"), "mode")
    assert set(c.values) == {"firearms", "aerial"}


def test_the_ministrys_30_against_fewer_than_10_is_contested(linked):
    s = story(linked, "fig-a", "fig-b")
    line = next(f for f in s.figures if f.what == "killed")
    assert line.contested
    assert {v.speaker for v in line.values} >= {"israel-military"}
    c = contradiction(s, "figures.killed")
    assert sorted(c.values) == [10, 30]


def test_a_rising_toll_is_an_update_and_the_copy_no_independent_source(linked):
    s = story(linked, "toll-1", "toll-2", "toll-3", "toll-copy")
    line = next(f for f in s.figures if f.what == "killed")
    assert line.updated and not line.contested
    assert not [c for c in s.contradictions if c.field.startswith("figures")]
    assert s.outlets == 3 and s.independent_outlets == 2


def test_the_six_events_stay_apart(linked):
    reported = [s for s in linked.result.stories if s.articles]
    prefixes = [{a.id.split("-")[0] for a in s.articles} for s in reported]
    assert all(len(p) == 1 for p in prefixes), prefixes
