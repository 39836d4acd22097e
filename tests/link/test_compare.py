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
    # one side per party and value, from the first article that gives it
    assert sorted((s.value, s.article) for s in c.sides) == [(4, "a"), (9, "a")]
    assert c.articles == ["a"] and c.story == story.id


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


# --------------------------------------------------------------------------- kinds and scope


def test_a_contest_is_between_current_values_and_a_replaced_value_is_earlier():
    # Israel's government says 50 on the day, its military 80 the next day; Hamas says 200.
    a, b = Article("a", "Wire", "2024-04-07"), Article("b", "Daily", "2024-04-08")
    a.add_event("The government said 50 fighters were killed.", actor="israel-military",
                target="hamas", place="rafah", date="2024-04-06", speaker="israel",
                figures=(killed(50, "fighters"),))
    b.add_event("The military said 80 fighters were killed.", actor="israel-military",
                target="hamas", place="rafah", date="2024-04-06", speaker="israel-military",
                figures=(killed(80, "fighters"),))
    b.add_event("Hamas said 200 of its fighters were killed.", actor="israel-military",
                target="hamas", place="rafah", date="2024-04-06", speaker="hamas",
                figures=(killed(200, "fighters"),))
    line = only_story(a, b).figures[0]
    assert line.kind == "contested" and line.contested and line.updated
    assert {v.value for v in line.values} == {80, 200}
    assert [v.value for v in line.earlier] == [50]


def test_compatible_hedges_from_different_speakers_are_agreed():
    a = Article("a", "Wire", "2024-03-06")
    a.add_event("The embassy said at least 20 people died.", actor="hamas", place="rafah",
                date="2024-03-06", speaker="un",
                figures=(killed(20, "people", "at least", low=20),))
    a.add_event("The command said 24 people were killed.", actor="hamas", place="rafah",
                date="2024-03-06", speaker="israel-military", figures=(killed(24, "people"),))
    line = only_story(a).figures[0]
    assert line.kind == "agreed" and not line.contested and line.scope == "incident"


def _scoped(article: Article, scopes: dict):
    """The article's analysis with each figure's scope (by value) and event set, as the
    scope stage gives them."""
    analysis = article.analysis()
    for e in analysis.events:
        for fid in e.figures:
            f = next(f for f in analysis.figures if f.id == fid)
            f.event, f.scope = e.id, scopes.get(f.value, "incident")
    return analysis


def test_a_cumulative_toll_never_stands_against_the_incident_toll():
    a, b = Article("a", "Wire", "2024-07-10"), Article("b", "Daily", "2024-07-10")
    for art, value in ((a, 40), (b, 10)):
        art.add_event("A strike on a school killed people; the war's toll is 38,000.",
                      actor="israel-military", place="khan-younis", date="2024-07-09",
                      speaker="hamas" if value == 40 else "israel-military",
                      figures=(killed(value, "people"), killed(38000, "people")))
    analyses = [_scoped(a, {38000: "cumulative"}), _scoped(b, {38000: "cumulative"})]
    (story,) = link(list(mentions_from_analyses(analyses))).stories
    (line,) = story.figures
    assert line.contested and {v.value for v in line.values} == {40, 10}


def test_the_toll_tracker_keeps_one_series_per_speaker_by_date():
    from triangulate.link.tolls import toll_points, toll_series

    arts = []
    for day, value, speaker in (("2024-03-01", 30000, "hamas"), ("2024-03-09", 31000, "hamas"),
                                ("2024-03-05", 12000, "israel-military")):
        art = Article(day + speaker, "Wire", day)
        art.add_event("The war has killed many.", actor="israel-military", place="rafah",
                      date=day, speaker=speaker, figures=(killed(value, "people"),))
        arts.append(_scoped(art, {value: "cumulative"}))
    series = toll_series(p for a in arts for p in toll_points(a))
    by_speaker = {t.speaker: [p.value for p in t.points] for t in series}
    assert by_speaker == {"hamas": [30000, 31000], "israel-military": [12000]}
    assert all(t.place == "PSE" and t.what == "killed" for t in series)


# --------------------------------------------------------------------------- hedges, exactly


TOL = 0.15  # settings.LINK_FIGURE_APPROX_TOLERANCE, checked below


def test_each_hedge_stands_for_its_own_interval():
    from triangulate import settings

    assert settings.LINK_FIGURE_APPROX_TOLERANCE == TOL
    assert bounds(fv(100, "at least")) == (100, float("inf"))
    assert bounds(fv(400, "up to")) == (0, 400)
    assert bounds(fv(700, "nearly")) == (700 * (1 - TOL), 700)
    assert bounds(fv(300, "about")) == (300 * (1 - TOL), 300 * (1 + TOL))


def test_a_one_sided_range_is_open_on_its_other_side():
    assert bounds(fv(60, low=60)) == (60, float("inf"))
    assert bounds(fv(80, high=80)) == (0, 80)
    assert bounds(fv(12)) == (12, 12)


def test_a_figure_marked_approximate_without_a_known_hedge_is_about_that_number():
    from triangulate.model import FigureMention

    rough = FigureMention(figure="f1", value=200, approximate=True)
    assert bounds(rough) == (200 * (1 - TOL), 200 * (1 + TOL))


def test_a_partitive_count_gets_a_part_line_of_its_own():
    assert figure_key("killed", None, None, "Two of the dead were medics.") == \
        ("killed", "people (part)")


# --------------------------------------------------------------------------- lines in a story


def test_a_count_naming_no_group_joins_the_storys_most_reported_group():
    a, b = Article("a", "Wire", "2024-04-07"), Article("b", "Daily", "2024-04-07")
    for art in (a, b):
        art.add_event("Hamas said it killed nine soldiers.", actor="hamas",
                      target="israel-military", place="khan-younis", date="2024-04-06",
                      speaker="hamas", figures=(killed(9),))
    b.add_event("Nine were killed in the ambush.", actor="hamas", target="israel-military",
                place="khan-younis", date="2024-04-06", figures=(killed(9, who=None),))
    (line,) = only_story(a, b).figures
    assert (line.what, line.who) == ("killed", "soldiers")
    assert len(line.values) == 3


def test_an_unnamed_count_joins_people_when_two_groups_are_reported_as_often():
    a = Article("a", "Wire", "2024-04-07")
    a.add_event("Officials said 12 people were killed.", actor="israel-military",
                place="rafah", date="2024-04-06", speaker="un", figures=(killed(12, "people"),))
    a.add_event("Hamas said two fighters were killed.", actor="israel-military",
                place="rafah", date="2024-04-06", speaker="hamas",
                figures=(killed(2, "fighters"),))
    a.add_event("Twelve died in the strike.", actor="israel-military", place="rafah",
                date="2024-04-06", figures=(killed(12, who=None),))
    lines = {line.who: sorted(v.value for v in line.values) for line in only_story(a).figures}
    assert lines == {"people": [12, 12], "fighters": [2]}


def test_a_count_of_nothing_known_does_not_hide_the_counts_after_it():
    a = Article("a", "Wire", "2024-04-07")
    a.add_event("Hamas said it fired 40 rockets and killed nine soldiers.", actor="hamas",
                target="israel-military", place="khan-younis", date="2024-04-06",
                speaker="hamas", figures=((40, None, "rockets", None, None, None), killed(9)))
    (line,) = only_story(a).figures
    assert [v.value for v in line.values] == [9]


def test_a_part_of_the_dead_is_never_a_rival_to_the_toll():
    a = Article("a", "Wire", "2024-04-07")
    a.add_event("The ministry said 40 people were killed.", actor="israel-military",
                place="rafah", date="2024-04-06", speaker="hamas",
                figures=(killed(40, "people"),))
    a.add_event("Fifteen of them died in the market.", actor="israel-military",
                place="rafah", date="2024-04-06", figures=(killed(15, who=None),))
    story = only_story(a)
    lines = {line.who: [v.value for v in line.values] for line in story.figures}
    assert lines == {"people": [40], "people (part)": [15]}
    assert not any(line.contested or line.updated for line in story.figures)


def test_palestinians_killed_in_gaza_are_the_people_of_the_story():
    a, b = Article("a", "Wire", "2024-04-07"), Article("b", "Daily", "2024-04-07")
    a.add_event("A strike in Rafah killed 12 Palestinians.", actor="israel-military",
                place="rafah", date="2024-04-06", figures=(killed(12, "Palestinians"),))
    b.add_event("A strike in Rafah killed 12 people.", actor="israel-military",
                place="rafah", date="2024-04-06", figures=(killed(12, "people"),))
    (line,) = only_story(a, b).figures
    assert line.who == "people" and len(line.values) == 2


def test_contested_lines_come_before_agreed_ones_however_long():
    a, b = Article("a", "Wire", "2024-04-07"), Article("b", "Daily", "2024-04-07")
    for art in (a, b):
        art.add_event("Officials said 30 people were wounded.", actor="hamas",
                      target="israel-military", place="khan-younis", date="2024-04-06",
                      speaker="un", figures=((30, "wounded", "people", None, None, None),))
    a.add_event("Hamas said it killed nine soldiers.", actor="hamas",
                target="israel-military", place="khan-younis", date="2024-04-06",
                speaker="hamas", figures=(killed(9),))
    a.add_event("The military said four soldiers were killed.", actor="hamas",
                target="israel-military", place="khan-younis", date="2024-04-06",
                speaker="israel-military", figures=(killed(4),))
    figures = only_story(a, b).figures
    assert [(f.what, f.contested) for f in figures] == [("killed", True), ("injured", False)]


def test_the_contest_names_only_the_values_that_clash():
    # "At least 40" fits both 50 and 100; only 50 and 100 disagree.
    a = Article("a", "Wire", "2024-04-07")
    for value, speaker, hedge in ((40, "un", "at least"), (50, "israel-military", None),
                                  (100, "hamas", None)):
        a.add_event(f"They said {value} soldiers were killed.", actor="hamas",
                    target="israel-military", place="khan-younis", date="2024-04-06",
                    speaker=speaker, figures=(killed(value, hedge=hedge),))
    (c,) = [c for c in only_story(a).contradictions if c.field == "figures.killed"]
    assert sorted(c.values) == [50, 100]


def test_a_range_clashes_with_counts_on_either_side_of_it():
    for other in (100, 50):
        a = Article("a", "Wire", "2024-04-07")
        a.add_event("Medics said 60 to 80 soldiers were killed.", actor="hamas",
                    target="israel-military", place="khan-younis", date="2024-04-06",
                    speaker="un", figures=(killed(60, low=60, high=80),))
        a.add_event(f"Hamas said {other} soldiers were killed.", actor="hamas",
                    target="israel-military", place="khan-younis", date="2024-04-06",
                    speaker="hamas", figures=(killed(other),))
        (c,) = [c for c in only_story(a).contradictions if c.field == "figures.killed"]
        assert sorted(c.values) == sorted([60, other])


# --------------------------------------------------------------------------- other contradictions


def _ambush(art: Article, sentence: str = "Hamas fighters ambushed Israeli troops.", **kw):
    return art.add_event(sentence, actor="hamas", target="israel-military",
                         place="khan-younis", **kw)


def test_an_articles_day_for_the_event_is_the_one_it_gives_most_often():
    a, b = Article("a", "A", "2024-04-08"), Article("b", "B", "2024-04-08")
    _ambush(a, date="2024-04-06")
    _ambush(b, "Hamas denied ambushing troops a day later.", date="2024-04-07", negated=True)
    _ambush(b, "The ambush followed a raid.")
    _ambush(b, date="2024-04-06")
    _ambush(b, "Troops were ambushed at dawn.", date="2024-04-07")
    _ambush(b, "Fighters ambushed the troops near the camp.", date="2024-04-06")
    assert not [x for x in only_story(a, b).contradictions if x.field == "date"]


def test_a_date_contradiction_names_who_gave_each_date():
    a, b = Article("a", "A", "2024-04-08"), Article("b", "B", "2024-04-08")
    _ambush(a, "Hamas said its fighters ambushed Israeli troops.", date="2024-04-06",
            speaker="hamas")
    _ambush(b, "The military said troops were ambushed.", date="2024-04-07",
            speaker="israel-military")
    (con,) = [x for x in only_story(a, b).contradictions if x.field == "date"]
    assert [(s.value, s.speaker) for s in con.sides] == [("2024-04-06", "PSE"),
                                                         ("2024-04-07", "ISR")]


def test_a_place_contradiction_names_who_put_the_event_in_each_town():
    a, b = Article("a", "A", "2023-09-12"), Article("b", "B", "2023-09-12")
    a.add_event("Officials said Russian missiles struck a hospital.", actor="russia-military",
                place="kharkiv", date="2023-09-11", speaker="ukraine-government")
    b.add_event("Russian missiles struck a hospital.", actor="russia-military",
                place="izium", date="2023-09-11")
    (con,) = [x for x in only_story(a, b).contradictions if x.field == "place"]
    assert [(s.value, s.article, s.speaker) for s in con.sides] == [
        ("Kharkiv", "a", "UKR"), ("Izium", "b", None)]


def test_a_method_contradiction_leaves_out_an_article_compatible_with_both():
    arts = [Article(x, f"Outlet {x}", "2022-06-14") for x in "abc"]
    for art, mode in zip(arts, ("assassinate", "firearms", "aerial"), strict=True):
        art.add_event("The bus was hit.", place="kharkiv", date="2022-06-12", mode=mode,
                      speaker="ukraine-government")
    (con,) = [x for x in only_story(*arts).contradictions if x.field == "mode"]
    assert [(s.value, s.outlet, s.speaker) for s in con.sides] == [
        ("firearms", "Outlet b", "UKR"), ("aerial", "Outlet c", "UKR")]


def test_two_voices_blaming_the_same_side_agree():
    a, b = Article("a", "Wire", "2022-04-09"), Article("b", "Daily", "2022-04-09")
    a.add_event("Ukraine said a Russian missile hit the station.", actor="russia-military",
                place="kharkiv", date="2022-04-08", speaker="ukraine-government")
    b.add_event("A Russian missile hit the station.", actor="russia-military",
                place="kharkiv", date="2022-04-08")
    assert not [x for x in only_story(a, b).contradictions if x.field == "actor"]


def test_a_denial_of_the_outlets_own_account_names_the_outlet_as_a_side():
    a = Article("a", "Wire", "2022-04-09")
    a.add_event("Russian forces struck the station.", actor="russia-military",
                place="kharkiv", date="2022-04-08")
    a.add_event("Russia denied striking the station.", actor="russia-military",
                place="kharkiv", date="2022-04-08", speaker="russia-government",
                stance="denies", negated=True)
    (con,) = [x for x in only_story(a).contradictions if x.field == "actor"]
    assert [(s.value, s.speaker) for s in con.sides] == [
        ("russia-military", "outlet:Wire"), ("not RUS", "RUS")]
    assert all(s.evidence is not None for s in con.sides)


def test_an_accusation_is_a_side_of_the_blame_with_its_speaker_and_article():
    a, b = Article("a", "Wire", "2022-04-09"), Article("b", "State TV", "2022-04-09")
    a.add_event("Ukraine said a Russian missile hit the station.", actor="russia-military",
                place="kharkiv", date="2022-04-08", speaker="ukraine-government")
    b.add_event("Russia accused Ukraine of shelling the station.", actor="ukraine-military",
                place="kharkiv", date="2022-04-08", speaker="russia-government",
                stance="accuses")
    (con,) = [x for x in only_story(a, b).contradictions if x.field == "actor"]
    assert sorted((s.value, s.speaker, s.article, s.outlet) for s in con.sides) == [
        ("russia-military", "UKR", "a", "Wire"), ("ukraine-military", "RUS", "b", "State TV")]
