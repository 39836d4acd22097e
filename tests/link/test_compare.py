"""Figures lined up and contradictions found, on hand-made analyses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.link.factory import Article
from triangulate.link import link, mentions_from_analyses
from triangulate.link.compare import bounds, compatible, figure_key
from triangulate.model import FigureValue


def run(*articles: Article):
    return link(list(mentions_from_analyses(a.analysis() for a in articles)))


def only_story(*articles: Article):
    result = run(*articles)
    assert len(result.stories) == 1, [[a.id for a in s.articles] for s in result.stories]
    return result.stories[0]


def fv(value, hedge=None, low=None, high=None) -> FigureValue:
    return FigureValue(value=value, speaker=None, article="a", figure="f1", hedge=hedge,
                       low=low, high=high)


def killed(value, who="soldiers", hedge=None, low=None, high=None):
    return (value, "killed", who, hedge, low, high)


# --------------------------------------------------------------------------- figure values


def test_at_least_a_hundred_does_not_conflict_with_a_hundred_and_twenty():
    assert compatible(bounds(fv(100, "at least", low=100)), bounds(fv(120)))


def test_fewer_than_a_hundred_conflicts_with_two_hundred_and_seventy_four():
    assert not compatible(bounds(fv(100, "fewer than", high=100)), bounds(fv(274)))


def test_about_three_hundred_conflicts_with_close_to_six_hundred():
    assert not compatible(bounds(fv(300, "about")), bounds(fv(600, "close to", high=600)))


def test_overlapping_ranges_are_compatible():
    assert compatible(bounds(fv(60, low=60, high=80)), bounds(fv(75, low=70, high=90)))


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_a_lower_bound_is_compatible_with_every_value_at_or_above_it(n, extra):
    assert compatible(bounds(fv(n, "more than", low=n)), bounds(fv(n + extra)))


@given(st.integers(1, 10**6), st.sampled_from(["about", "nearly", "at least", "up to", None]))
def test_every_figure_is_compatible_with_itself(n, hedge):
    b = bounds(fv(n, hedge))
    assert b[0] <= b[1] and compatible(b, b)


def test_killed_and_dead_and_troops_and_soldiers_line_up():
    assert figure_key("dead", "troops", None) == figure_key("killed", "soldiers", None)
    assert figure_key("killed", None, None) == ("killed", "people")
    assert figure_key("killed", "children", None) != figure_key("killed", "people", None)


def test_a_nationality_is_everyone_where_it_lives_and_a_subgroup_elsewhere():
    from triangulate.link.lexicon import lexicon

    country = lexicon().demonyms.get("filipinos")
    assert country == "PHL", "the places stage's country table lost its demonyms"
    assert figure_key("killed", "Filipinos", country) == ("killed", "people")
    assert figure_key("killed", "Filipinos", "YEM") == ("killed", "filipinos")


# --------------------------------------------------------------------------- figure lines


def test_nine_claimed_by_hamas_and_four_admitted_by_israel_are_contested():
    a, b = Article("a", "Wire", "2024-04-07"), Article("b", "Daily", "2024-04-07")
    for art in (a, b):
        art.add_event("Hamas said it killed nine soldiers.", actor="hamas",
                      target="israel-military", place="khan-younis", date="2024-04-06",
                      speaker="hamas", figures=(killed(9),))
        art.add_event("The military said four soldiers were killed.", actor="hamas",
                      target="israel-military", place="khan-younis", date="2024-04-06",
                      speaker="israel-military", stance="admits", figures=(killed(4),))
    story = only_story(a, b)
    line = next(f for f in story.figures if f.what == "killed")
    assert line.contested and not line.updated
    assert {(v.value, v.speaker) for v in line.values} >= {(9, "hamas"), (4, "israel-military")}
    (c,) = [c for c in story.contradictions if c.field == "figures.killed"]
    assert sorted(c.values) == [4, 9]
    assert {s.speaker for s in c.sides} == {"hamas", "israel-military"}
    assert all(s.evidence is not None for s in c.sides)


def test_a_rising_toll_from_the_same_source_is_an_update_not_a_contradiction():
    days = ("2022-04-08", "2022-04-09", "2022-04-10")
    arts = []
    for k, (day, value) in enumerate(zip(days, (30, 50, 57), strict=True)):
        art = Article(f"t{k}", "Wire", day)
        art.add_event("A missile hit the station.", actor="russia-military", place="kharkiv",
                      date="2022-04-08", speaker="ukraine-government",
                      figures=(killed(value, "people"),))
        arts.append(art)
    story = only_story(*arts)
    line = next(f for f in story.figures if f.what == "killed")
    assert line.updated and not line.contested
    assert story.updated
    assert not [c for c in story.contradictions if c.field.startswith("figures")]


def test_an_outlets_own_running_toll_rising_is_an_update():
    a, b = Article("a", "Wire", "2022-04-08"), Article("b", "Wire", "2022-04-10")
    a.add_event("A missile hit the station.", actor="russia-military", place="kharkiv",
                date="2022-04-08", speaker="ukraine-government",
                figures=(killed(30, "people"),))
    b.add_event("The toll from the strike on the station rose.", actor="russia-military",
                place="kharkiv", date="2022-04-08", figures=(killed(57, "people"),))
    line = only_story(a, b).figures[0]
    assert line.updated and not line.contested


def test_an_outlets_own_toll_against_an_official_toll_the_same_day_is_contested():
    # Published the same day, a higher count in an outlet's own voice did not move on
    # from the ministry's: the two disagree.
    a, b = Article("a", "Wire", "2022-04-08"), Article("b", "Daily", "2022-04-08")
    a.add_event("A missile hit the station.", actor="russia-military", place="kharkiv",
                date="2022-04-08", speaker="ukraine-government",
                figures=(killed(30, "people"),))
    b.add_event("A missile hit the station.", actor="russia-military", place="kharkiv",
                date="2022-04-08", figures=(killed(57, "people"),))
    line = only_story(a, b).figures[0]
    assert line.contested and not line.updated


def test_at_least_two_and_three_from_different_parties_are_no_contest():
    a = Article("a", "Wire", "2024-03-06")
    a.add_event("The embassy said at least two sailors died.", actor="hamas", place="rafah",
                date="2024-03-06", speaker="un",
                figures=(killed(2, "sailors", "at least", low=2),))
    a.add_event("The command said three crew members were killed.", actor="hamas",
                place="rafah", date="2024-03-06", speaker="israel-military",
                figures=(killed(3, "crew members"),))
    line = only_story(a).figures[0]
    assert not line.contested
    assert sorted(v.value for v in line.values) == [2, 3]


def test_subgroups_are_not_lined_up_against_the_total():
    a = Article("a", "Wire", "2024-06-09")
    a.add_event("The ministry said 274 people were killed, 64 of them children.",
                actor="israel-military", place="rafah", date="2024-06-08", speaker="hamas",
                figures=(killed(274, "people"), killed(64, "children")))
    story = only_story(a)
    assert not any(f.contested for f in story.figures)
    assert len(story.figures) == 2


# --------------------------------------------------------------------------- contradictions


def test_one_outlet_placing_the_ambush_on_another_day_is_a_date_contradiction():
    a, b, c = (Article(x, f"Outlet {x}", "2024-04-08") for x in "abc")
    for art, day in ((a, "2024-04-06"), (b, "2024-04-06"), (c, "2024-04-07")):
        art.add_event("Hamas fighters ambushed Israeli troops.", actor="hamas",
                      target="israel-military", place="khan-younis", date=day)
    story = only_story(a, b, c)
    assert story.date == "2024-04-06"
    (con,) = [x for x in story.contradictions if x.field == "date"]
    assert con.values == ["2024-04-06", "2024-04-07"]
    assert {s.article for s in con.sides if s.value == "2024-04-07"} == {"c"}


def test_month_precision_and_day_precision_do_not_contradict():
    a, b = Article("a", "A", "2024-04-08"), Article("b", "B", "2024-05-08")
    a.add_event("Hamas fighters ambushed Israeli troops.", actor="hamas",
                target="israel-military", place="khan-younis", date="2024-04-06")
    b.add_event("Hamas fighters ambushed Israeli troops.", actor="hamas",
                target="israel-military", place="khan-younis", date="2024-04")
    assert not [x for x in only_story(a, b).contradictions if x.field == "date"]


def test_a_raid_put_in_another_town_is_a_place_contradiction():
    a, b = Article("a", "A", "2023-09-12"), Article("b", "B", "2023-09-12")
    a.add_event("Russian missiles struck a hospital.", actor="russia-military",
                place="kharkiv", date="2023-09-11")
    b.add_event("Russian missiles struck a hospital.", actor="russia-military",
                place="izium", date="2023-09-11")
    story = only_story(a, b)
    (con,) = [x for x in story.contradictions if x.field == "place"]
    assert set(con.values) == {"Kharkiv", "Izium"}


def test_a_neighbourhood_of_the_town_is_no_place_contradiction():
    a, b = Article("a", "A", "2024-04-07"), Article("b", "B", "2024-04-07")
    a.add_event("Hamas fighters ambushed Israeli troops.", actor="hamas",
                target="israel-military", place="zanna", date="2024-04-06")
    b.add_event("Hamas fighters ambushed Israeli troops.", actor="hamas",
                target="israel-military", place="khan-younis", date="2024-04-06")
    assert not [x for x in only_story(a, b).contradictions if x.field == "place"]


def test_each_side_blaming_the_other_is_a_perpetrator_contradiction():
    a, b = Article("a", "Wire", "2022-04-09"), Article("b", "State TV", "2022-04-09")
    a.add_event("Ukraine said a Russian missile hit the station.", actor="russia-military",
                place="kharkiv", date="2022-04-08", speaker="ukraine-government")
    b.add_event("Russia said a Ukrainian missile hit the station.", actor="ukraine-military",
                place="kharkiv", date="2022-04-08", speaker="russia-government")
    story = only_story(a, b)
    (con,) = [x for x in story.contradictions if x.field == "actor"]
    assert set(con.values) == {"russia-military", "ukraine-military"}
    assert {s.speaker for s in con.sides} == {"UKR", "RUS"}


def test_a_denial_of_what_another_voice_asserts_is_a_perpetrator_contradiction():
    a = Article("a", "Wire", "2022-04-09")
    a.add_event("Officials said Russian forces struck the station.", actor="russia-military",
                place="kharkiv", date="2022-04-08", speaker="ukraine-government")
    a.add_event("Russia denied striking the station.", actor="russia-military",
                place="kharkiv", date="2022-04-08", speaker="russia-government",
                stance="denies", negated=True)
    (con,) = [x for x in only_story(a).contradictions if x.field == "actor"]
    assert "not RUS" in con.values


def test_an_attack_and_the_return_fire_are_no_perpetrator_contradiction():
    a, b = Article("a", "A", "2024-04-07"), Article("b", "B", "2024-04-07")
    a.add_event("Hamas fighters ambushed Israeli troops.", actor="hamas",
                target="israel-military", place="khan-younis", date="2024-04-06")
    b.add_event("Israeli troops fired back at Hamas fighters.", actor="israel-military",
                target="hamas", place="khan-younis", date="2024-04-06")
    story = only_story(a, b)
    assert not [x for x in story.contradictions if x.field == "actor"]


def test_gunfire_against_an_air_strike_is_a_method_contradiction():
    a, b = Article("a", "A", "2022-06-14"), Article("b", "B", "2022-06-14")
    a.add_event("Gunmen opened fire on a bus.", place="kharkiv", date="2022-06-12",
                mode="firearms")
    b.add_event("An air strike hit a bus.", place="kharkiv", date="2022-06-12", mode="aerial")
    (con,) = [x for x in only_story(a, b).contradictions if x.field == "mode"]
    assert set(con.values) == {"firearms", "aerial"}


def test_a_bombing_and_an_air_strike_can_be_one_act():
    a, b = Article("a", "A", "2022-06-14"), Article("b", "B", "2022-06-14")
    a.add_event("A bombing hit the bus.", place="kharkiv", date="2022-06-12", mode="explosives")
    b.add_event("An air strike hit the bus.", place="kharkiv", date="2022-06-12", mode="aerial")
    assert not [x for x in only_story(a, b).contradictions if x.field == "mode"]
