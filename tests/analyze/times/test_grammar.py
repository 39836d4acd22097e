"""Which way the verb a date hangs on points (analyze/times/grammar.py), seen through the
weekdays and months it resolves. Published Thursday 9 May 2024."""

from __future__ import annotations

import pytest

from tests.analyze.times import expect

CASES = [
    pytest.param("The crossing was closed until Friday, officials said.", "Friday", "2024-05-03",
                 id="closed until a weekday, in a past passive, is the one gone by"),
    pytest.param("The bridge is closed on Sunday for repairs.", "Sunday", "2024-05-12",
                 id="a present passive arrangement looks ahead"),
    pytest.param("The minister plans to visit on Monday.", "Monday", "2024-05-13",
                 id="what someone plans to do on a weekday lies ahead"),
    pytest.param("Troops won't have withdrawn on Friday, the ministry conceded.", "Friday",
                 "2024-05-10", id="won't have is still the future"),
    pytest.param("The council meets in April.", "April", "2024-04",
                 id="a plain present gives a month no direction: the nearest one"),
    pytest.param("Families of the hostages seized in October marched in the capital.",
                 "October", "2023-10", id="a month after a reduced past participle is past"),
    pytest.param("The border will stay closed until March.", "March", "2025-03",
                 id="closed until a month, in the future, is the coming one"),
    pytest.param("Peacekeepers will remain until March.", "March", "2025-03",
                 id="remaining until a month, in the future, is the coming one"),
]


@pytest.mark.parametrize(("text", "expression", "expected"), CASES)
def test_tense_sets_the_direction(times, text, expression, expected):
    expect(times, text, expression, expected)
