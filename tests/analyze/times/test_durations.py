"""Durations and sets (analyze/times/durations.py)."""

from __future__ import annotations

import pytest

from tests.analyze.times import expect

CASES = [
    pytest.param("The town has been under siege for months.", "months",
                 {"value": "PXM", "type": "duration"}, id="for months is some months"),
    pytest.param("The past months were the deadliest of the war.", "The past months",
                 {"value": "PXM", "type": "duration"}, id="the past months is some months"),
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
