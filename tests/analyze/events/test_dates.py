"""When: the event's own clause first, then the narrative, then the dateline; never a time
that dates another event in the sentence; every date with the words that give it."""

from __future__ import annotations

from tests.analyze.events.conftest import event


def dated(e):
    return e.date, e.date_source, e.date_span.text if e.date_span else None


def test_each_clause_dates_its_own_event(read):
    a = read("Israeli jets struck Gaza on Monday and Hamas fired rockets at Ashkelon on "
             "Tuesday.", published="2024-04-11")
    assert dated(event(a, "ASSAULT", "struck")) == ("2024-04-08", "clause", "Monday")
    assert dated(event(a, "ASSAULT", "fired")) == ("2024-04-09", "clause", "Tuesday")


def test_a_time_in_a_clause_about_another_event_is_not_this_events(read):
    a = read("The army withdrew from the town hours after gunmen ambushed a patrol on Saturday.")
    assert event(a, "RETREAT").date is None
    assert dated(event(a, "ASSAULT")) == ("2024-04-06", "clause", "Saturday")


def test_an_interval_from_a_dated_event_dates_the_other(read):
    a = read("The army withdrew from Khan Younis on Sunday. The withdrawal came a day after "
             "four soldiers were killed in an ambush near the town.")
    assert dated(event(a, "ASSAULT")) == ("2024-04-06", "narrative", "a day after")


def test_an_interval_from_a_dated_clause_dates_the_event_inside_it(read):
    a = read("A Russian air strike destroyed the drama theatre in Mariupol in March. Ukrainian "
             "officials said on 25 March, nine days after the strike, that about 300 people "
             "had died.", published="2022-05-05")
    assert dated(event(a, "ASSAULT")) == ("2022-03-16", "narrative", "nine days after")


def test_a_later_mention_with_the_day_makes_a_weeks_date_precise(read):
    a = read("A Russian air strike hit the drama theatre in Mariupol last week, the council said. "
             "It gave a first toll for the March 16 strike on the building.",
             published="2022-03-25")
    e = event(a, "ASSAULT")
    assert (e.date, e.date_precision, e.date_source) == ("2022-03-16", "day", "narrative")


def test_the_dateline_dates_the_lead_and_nothing_else(read):
    a = read("MOSCOW, January 12 (Vostok Today) — Russia condemned the overnight strikes on "
             "Yemen.\n\nLater, the ministry accused Washington of escalation.",
             published="2024-01-12")
    assert dated(event(a, "ASSAULT")) == ("2024-01-12", "dateline", "January 12")
    assert event(a, "ACCUSE", "accused").date is None


def test_the_nearest_clause_up_the_event_dates_it_not_the_one_that_reports_it(read):
    a = read("The junta declared three days of national mourning on Wednesday after nine "
             "soldiers were killed when militants attacked an army post near the river, in the "
             "country's east, on Tuesday.", published="2024-04-11")
    assert dated(event(a, "ASSAULT"))[::2] == ("2024-04-09", "Tuesday")
