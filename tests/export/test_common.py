"""What every export reads the same way: the selection, the incident toll, a line's kind."""

from __future__ import annotations

from triangulate.export.common import (
    Selection,
    dated,
    figure_kind,
    in_range,
    incident_toll,
    select_events,
    select_stories,
)
from triangulate.model import FigureLine, FigureValue, Story


def value(v, party, published, low=None, high=None):
    return FigureValue(value=v, speaker=party.lower(), article=f"a-{party}-{published}",
                       figure="f1", outlet="Harbor Post", published=published, low=low,
                       high=high, party=party)


def story(*lines: FigureLine) -> Story:
    return Story(id="s1", type="ASSAULT", date="2024-03-02", place=None, figures=list(lines))


def kharkiv(store) -> Story:
    return next(s for s in select_stories(store, Selection()) if s.place and
                s.place.name == "Kharkiv")


def test_a_disputed_toll_is_read_as_its_most_conservative_figure(store):
    toll = incident_toll(kharkiv(store))
    # The governor's 7 was revised to 11; Russia's government says 2.
    assert (toll.best, toll.low, toll.high) == (2, 2, 11)
    assert toll.contested and sorted(toll.claimants) == ["RUS", "UKR"]


def test_a_toll_its_one_source_revises_is_its_latest_figure(store):
    izium = next(s for s in select_stories(store, Selection()) if s.place and
                 s.place.name == "Izium")
    toll = incident_toll(izium)
    assert (toll.best, toll.low, toll.high) == (5, 5, 5)
    assert figure_kind(toll.line) == "updated" and not toll.contested


def test_hedged_values_bound_the_toll_from_below_and_above():
    line = FigureLine("killed", "people", contested=True, values=[
        value(30, "UKR", "2024-03-03", low=30), value(50, "RUS", "2024-03-03", high=50)])
    toll = incident_toll(story(line))
    assert (toll.best, toll.low, toll.high) == (30, 30, 50)


def test_the_largest_victim_group_is_the_toll_never_a_sum_of_groups():
    people = FigureLine("killed", "people", contested=False, values=[value(12, "UKR", "2024-03-03")])
    children = FigureLine("killed", "children", contested=False,
                          values=[value(4, "UKR", "2024-03-03")])
    assert incident_toll(story(children, people)).best == 12


def test_a_partitive_count_and_the_wounded_are_never_the_death_toll():
    part = FigureLine("killed", "people (part)", contested=False,
                      values=[value(40, "UKR", "2024-03-03")])
    wounded = FigureLine("injured", "people", contested=False,
                         values=[value(90, "UKR", "2024-03-03")])
    assert incident_toll(story(part, wounded)) is None


def test_a_line_is_contested_updated_or_agreed():
    assert figure_kind(FigureLine("killed", "people", contested=True, updated=True)) == "contested"
    assert figure_kind(FigureLine("killed", "people", contested=False, updated=True)) == "updated"
    assert figure_kind(FigureLine("killed", "people", contested=False)) == "agreed"


def test_a_month_date_is_in_a_range_that_starts_inside_that_month():
    assert in_range("2024-03", "month", "2024-03-15", None)
    assert not in_range("2024-02-19", "day", "2024-03-01", "2024-03-31")
    assert not in_range(None, None, "2024-03-01", None)


def test_a_month_is_written_as_its_middle_day_and_an_undated_event_as_its_report_day():
    assert dated("2024-03", "month", None) == ("2024-03-16", ("2024-03-01", "2024-03-31"), "month")
    assert dated("2024-03-02", "day", None) == ("2024-03-02", ("2024-03-02", "2024-03-02"), "day")
    day, bounds, used = dated(None, None, "2024-03-07")
    assert day == "2024-03-07" and used == "undated" and bounds[1] == "2024-03-07"


def test_selections_narrow_by_actor_place_dates_and_outlet(store):
    every = select_stories(store, Selection())
    assert {s.type for s in every} == {"ASSAULT", "PROTEST", "REQUEST"}
    assert [s.place.name for s in select_stories(store, Selection(place="Izium"))] == ["Izium"]
    march = select_stories(store, Selection(start="2024-03-01", end="2024-03-31"))
    assert len(march) == len(every) - 1  # the 19 February clash is out
    assert all("ukraine-government" in s.actors or "ukraine-military" in s.actors
               for s in select_stories(store, Selection(actor="Ukraine")))
    eastgate = select_events(store, Selection(outlet="Eastgate Times"))
    assert eastgate and {r["outlet"] for r in eastgate} == {"Eastgate Times"}
    assert all(r["date"] >= "2024-03-05" for r in select_events(store, Selection(start="2024-03-05")))


def test_an_event_mention_carries_the_deaths_its_article_attached_to_it(store):
    rows = {r["article"]: r for r in select_events(store, Selection())}
    assert rows["nd-kharkiv-market"]["deaths"] == [2]
    assert rows["nd-lviv-protest"]["deaths"] == []
