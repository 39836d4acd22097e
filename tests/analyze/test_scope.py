"""Figure scope: which event a figure counts, over what span, and whom (analyze/scope.py).

Each fixture is a short piece of invented news prose, run through the whole analysis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triangulate.analyze.pipeline import analyze_text
from triangulate.analyze.scope import victim_group


def figure(analysis, value):
    found = [f for f in analysis.figures if f.value == value]
    assert found, f"no figure {value}: {[(f.value, f.text) for f in analysis.figures]}"
    return found[0]


def event_of(analysis, fig):
    return next((e for e in analysis.events if e.id == fig.event), None)


def test_a_war_toll_since_the_war_began_is_cumulative_beside_the_incident_toll():
    a = analyze_text(
        "At least 18 people were killed on Tuesday when a strike hit a school in Deir "
        "al-Balah, the health ministry said. The ministry said 30,200 people have been "
        "killed in Gaza since the war began and that 71,000 have been wounded.",
        published="2024-03-05")
    assert figure(a, 18).scope == "incident"
    assert figure(a, 30200).scope == "cumulative"
    # the coordinated clause shares the running span of the one before it
    assert figure(a, 71000).scope == "cumulative"


def test_since_a_date_long_ago_gives_the_start_of_the_count():
    a = analyze_text("More than 200 soldiers have been killed in the region since the start "
                     "of 2024, a research group said.", published="2025-06-03")
    fig = figure(a, 200)
    assert fig.scope == "cumulative" and fig.since == "2024"


def test_since_a_named_start_without_a_date_is_a_running_count_but_since_an_act_is_not():
    a = analyze_text("The country has registered 52,000 deaths linked to the virus since the "
                     "outbreak began.", published="2021-05-03")
    assert figure(a, 52000).scope == "cumulative"
    b = analyze_text("Hundreds of families have fled the town since the attack, officials "
                     "said.", published="2025-05-22")
    assert figure(b, 200).scope == "incident"


def test_a_war_that_killed_is_a_running_count():
    a = analyze_text("The accord ended a war that lasted more than three years and killed "
                     "100,000 people.", published="2025-03-14")
    assert figure(a, 100000).scope == "cumulative"


def test_an_episodes_own_few_days_are_not_a_running_count():
    a = analyze_text("Hundreds of residents have fled villages around the mine since "
                     "Tuesday, officials said.", published="2025-05-22")
    assert figure(a, 200).scope == "incident"


def test_since_must_set_the_start_of_the_count_itself():
    a = analyze_text("Washington has been pushing for more aid since an air strike killed "
                     "seven aid workers last week.", published="2024-04-07")
    assert figure(a, 7).scope == "incident"
    b = analyze_text("Thousands of residents have escaped along the coast road over the past "
                     "two days, the first departures since the siege began.",
                     published="2022-03-16")
    assert figure(b, 2000).scope == "period"


def test_the_war_as_subject_makes_both_coordinated_counts_cumulative():
    a = analyze_text("The war has killed more than 600 people and forced more than 700,000 "
                     "to flee their homes within Sudan.", published="2023-05-12")
    assert figure(a, 600).scope == "cumulative"
    assert figure(a, 700000).scope == "cumulative"


def test_an_authoritys_toll_is_cumulative_but_the_toll_of_a_strike_is_not():
    a = analyze_text("The ministry's toll rose to 36,801 on Monday.", published="2024-06-11")
    assert figure(a, 36801).scope == "cumulative"
    b = analyze_text("The death toll from the strike on the station rose to 57 on Sunday.",
                     published="2022-04-10")
    assert figure(b, 57).scope == "incident"


def test_counts_over_a_window_are_period_counts():
    a = analyze_text("The ministry said 82 people had been killed in the past 24 hours.",
                     published="2024-06-11")
    assert figure(a, 82).scope == "period"
    b = analyze_text("Attacks by armed groups killed more than 900 civilians across the "
                     "country in the first four months of the year, a monitor said.",
                     published="2025-05-20")
    assert figure(b, 900).scope == "period"


def test_people_who_fled_on_a_day_are_an_incident_count_beside_those_displaced_since_the_war():
    a = analyze_text("About 3,000 people fled the town on Sunday after it was shelled, the UN "
                     "said. More than 8 million people have been displaced in Sudan since the "
                     "war began.", published="2024-04-15")
    assert figure(a, 3000).scope == "incident"
    assert figure(a, 8_000_000).scope == "cumulative"


def test_a_standing_count_over_a_territory_is_cumulative():
    a = analyze_text("Israel says about 130 hostages remain in Gaza.", published="2024-02-29")
    assert figure(a, 130).scope == "cumulative"


def test_hostages_taken_and_freed_in_the_incident_stay_incident_counts():
    a = analyze_text("Gunmen stormed a cement works near Kayes on Tuesday and took about 400 "
                     "workers hostage. Soldiers freed 104 workers later on Tuesday, the army "
                     "said.", published="2025-05-20")
    assert figure(a, 400).scope == "incident"
    assert figure(a, 104).scope == "incident"


def test_another_events_toll_told_as_background_counts_that_event():
    a = analyze_text(
        "Gunmen stormed a cement works near Kayes on Tuesday, killing six guards, the army "
        "said. In March, militants killed 12 soldiers in an ambush on a convoy near Nioro "
        "du Sahel.", published="2025-05-20")
    main, old = figure(a, 6), figure(a, 12)
    assert main.event != old.event
    assert old.event is None or (event_of(a, old).date or "").startswith("2025-03")


def test_a_quoted_historical_comparison_is_not_the_articles_toll():
    a = analyze_text(
        "The army said 21 hostages were killed at the plant on Thursday. Analysts said it "
        "was the deadliest hostage-taking in the region since the 2013 siege of a gas plant "
        "in Algeria, in which 40 workers were killed.", published="2025-05-22")
    main, old = figure(a, 21), figure(a, 40)
    assert old.event != main.event
    assert old.event is None or (event_of(a, old).date or "").startswith("2013")


def test_a_hypothetical_count_is_other_but_an_estimate_of_the_past_is_not():
    a = analyze_text("Aid agencies warned that the fighting could kill thousands of people.",
                     published="2024-05-01")
    assert figure(a, 2000).scope == "other"
    b = analyze_text("The air strike on the theatre may have killed close to 600 people, an "
                     "investigation found.", published="2022-05-05")
    assert figure(b, 600).scope == "incident"


def test_a_part_of_a_toll_is_no_toll_of_its_own():
    a = analyze_text("A volunteer group said 25 people were killed in the camp on Friday "
                     "alone.", published="2025-04-12")
    assert figure(a, 25).scope == "other"


def test_who_is_the_victim_group_and_who_text_the_words_as_written():
    a = analyze_text("Four troops and 30 Palestinians were killed in the raid, officials "
                     "said.", published="2024-04-07")
    troops, people = figure(a, 4), figure(a, 30)
    assert (troops.who, troops.who_text) == ("soldiers", "troops")
    assert (people.who, people.who_text) == ("people", "Palestinians")


@pytest.mark.parametrize(("who", "group"), [
    ("troops", "soldiers"), ("gunmen", "fighters"), ("Palestinian civilians", "civilians"),
    ("Palestinians", "people"), ("doctors", "health workers"), ("police officers", "police"),
    ("captives", "hostages"), ("fishermen", "fishermen"), (None, None),
])
def test_victim_groups(who, group):
    assert victim_group(who) == group


@given(st.text(max_size=40))
def test_a_victim_group_is_its_own_group(words):
    group = victim_group(words)
    assert victim_group(group) == group
