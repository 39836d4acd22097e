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
    pytest.param("On April 2 the army entered the town. Several weeks later, it withdrew.",
                 "Several weeks later", {"value": None},
                 id="several weeks later does not say which week"),
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
])
def test_a_count_after_an_event_ends_with_the_event_noun_phrase(times, text, expression):
    expect(times, text, expression, {"type": "date"}, published=None)


def test_a_count_of_hours_after_an_event_without_a_date_keeps_its_event(times):
    expect(times, "Two hours after the blast, ambulances arrived.", "Two hours after the blast",
           {"value": None}, published=None)
