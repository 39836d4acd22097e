"""Durations and sets (analyze/times/durations.py)."""

from __future__ import annotations

import pytest

from tests.analyze.times import expect

CASES = [
    pytest.param("The town has been under siege for months.", "months",
                 {"value": "PXM", "type": "duration"}, id="for months is some months"),
    pytest.param("The past months were the deadliest of the war.", "The past months",
                 {"value": "PXM", "type": "duration"}, id="the past months is some months"),
    pytest.param("Talks resumed after months of deadlock.", "months",
                 {"value": "PXM", "type": "duration"}, id="after months is some months"),
    pytest.param("Prices doubled over past few weeks.", "over past few weeks", "PAST_REF",
                 id="past few weeks is the recent past"),
    pytest.param("It was a second Hamas raid.", "a second", None,
                 id="a second before a name is an ordinal, not a duration"),
    pytest.param("The market opens every Monday.", "every Monday",
                 {"value": "XXXX-WXX-1", "type": "set"}, id="every Monday"),
    pytest.param("The river floods every winter.", "every winter",
                 {"value": "XXXX-WI", "type": "set"}, id="every winter"),
    pytest.param("Patrols pass every two weeks.", "every two weeks",
                 {"value": "P2W", "type": "set"}, id="every two weeks"),
    pytest.param("The blockade lasted half a day.", "half a day", "PT12H",
                 id="half a day is twelve hours"),
    pytest.param("Some 300 people fled per week.", "per week", {"value": "P1W", "type": "set"},
                 id="a count per week is a rate: once a week"),
    pytest.param("The ministry publishes quarterly reports.", "quarterly",
                 {"value": "P3M", "type": "set"}, id="quarterly is every three months"),
    pytest.param("The bulletin appears twice-monthly.", "twice-monthly",
                 {"value": "P1M", "type": "set"}, id="twice-monthly recurs each month"),
]


@pytest.mark.parametrize(("text", "expression", "expected"), CASES)
def test_durations_and_sets(times, text, expression, expected):
    expect(times, text, expression, expected)
