"""Expressions counted along the narrative (analyze/times/narrative.py). Published 9 May
2024."""

from __future__ import annotations

import pytest

from tests.analyze.times import expect

CASES = [
    pytest.param("On April 2 the army entered the town. The next day it shelled the market. "
                 "The next day it left.", "The next day",
                 {"value": "2024-04-04", "anchor": "narrative"},
                 id="each next day counts from the day before it"),
    pytest.param("The war began in 2019. The next week, refugees crossed.", "The next week",
                 {"value": None, "type": "date"},
                 id="the next week after a year the text named is not known"),
    pytest.param("Shelling began at 3 p.m. on April 2. Two days later, the town fell.",
                 "Two days later", "2024-04-04",
                 id="days later counted from a clock time land on a day"),
    pytest.param("The first blast hit at 9 a.m. on April 2. Twenty minutes later, a second "
                 "followed.", "Twenty minutes later", {"value": "2024-04-02", "type": "date"},
                 id="minutes later is the same day"),
    pytest.param("The invasion came in 2019. A week after the invasion, talks began.",
                 "A week after the invasion", {"value": None, "type": "date"},
                 id="a week after an event in a year the text named is not known"),
    pytest.param("On April 2 the army entered the town. Late that night, it shelled the port.",
                 "Late that night", {"value": "2024-04-02TNI", "type": "time", "mod": "END"},
                 id="late that night is the end of that day's night"),
    pytest.param("On April 2 the army entered the town. Several weeks later, it withdrew.",
                 "Several weeks later", {"value": None, "type": "date"},
                 id="several weeks later does not say which week"),
    pytest.param("On April 2 the army entered. A week later it left.", "A week later",
                 "2024-04-09", id="a week later counted from a day is a day"),
    pytest.param("In March 2023 the port closed. Trade fell that month.", "that month",
                 "2023-03", id="that month is the month the text gave"),
    pytest.param("A few years ago, the town was peaceful.", "A few years ago", "202X",
                 id="a few years ago is a year of this decade"),
    pytest.param("On April 3 the talks broke down. The prior Friday, envoys had met.",
                 "The prior Friday", {"value": "2024-03-29", "anchor": "narrative"},
                 id="the prior Friday is the one before the last date the text gave"),
    pytest.param("On April 3 the talks broke down. The preceding week, envoys had met.",
                 "The preceding week", {"value": "2024-W13", "anchor": "narrative"},
                 id="the preceding week is the one before the last date the text gave"),
]


@pytest.mark.parametrize(("text", "expression", "expected"), CASES)
def test_counted_along_the_text(times, text, expression, expected):
    expect(times, text, expression, expected)


@pytest.mark.parametrize(("text", "expression"), [
    ("A week after the blast that killed twelve people, the market reopened.",
     "A week after the blast"),
    ("Two days after the raid, the shelling resumed.", "Two days after the raid"),
    ("A week after Resolution 2334, settlements grew.", "A week after Resolution 2334"),
])
def test_a_count_after_an_event_ends_with_the_event_noun_phrase(times, text, expression):
    expect(times, text, expression, {"type": "date"}, published=None)


def test_a_count_of_hours_after_an_event_without_a_date_keeps_its_event(times):
    expect(times, "Two hours after the blast, ambulances arrived.", "Two hours after the blast",
           {"value": None}, published=None)


def test_a_count_before_a_holiday_is_a_duration_and_the_holiday_a_date(times):
    found = times("Two days after Christmas, the shelling resumed.")
    assert (found["Two days"].type, found["Two days"].value) == ("duration", "P2D")
    assert found["Christmas"].type == "date"


def test_without_publication_a_vague_count_back_has_no_value(times):
    expect(times, "A few years ago, the town was peaceful.", "A few years ago", {"value": None},
           published=None)
