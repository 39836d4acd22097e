"""Clock times and parts of the day (analyze/times/clock.py). Published 9 May 2024."""

from __future__ import annotations

import pytest

from tests.analyze.times import expect

CASES = [
    pytest.param("The assault began at ten o'clock, witnesses said.", "ten o'clock",
                 {"value": "2024-05-09T10:00", "mod": None}, id="a count of o'clock is that hour"),
    pytest.param("Shelling started at 9 in the evening.", "9 in the evening", "2024-05-09T21:00",
                 id="nine in the evening is 21:00"),
    pytest.param("The siren sounded at 7 in the morning.", "7 in the morning",
                 "2024-05-09T07:00", id="seven in the morning is 07:00"),
    pytest.param("The ceasefire began at 0600 GMT.", "0600 GMT", "2024-05-09T06:00",
                 id="military time with a zone"),
    pytest.param("The curfew starts at 13 p.m. sharp.", "13 p.m.", None,
                 id="there is no 13 p.m."),
    pytest.param("The film High Noon was shown.", "Noon", None, id="High Noon is a title"),
    pytest.param("The siren sounded at 9 p.m. yesterday.", "9 p.m. yesterday",
                 "2024-05-08T21:00", id="a clock time yesterday"),
    pytest.param("The siren sounded at 9 p.m. on Friday.", "9 p.m. on Friday",
                 "2024-05-03T21:00", id="a clock time on a past weekday"),
    pytest.param("The raid began at dawn on Monday.", "dawn on Monday",
                 {"value": "2024-05-06TMO", "type": "time"}, id="dawn on a weekday is its morning"),
    pytest.param("He read John 3:16 at the funeral.", "3:16", None,
                 id="a chapter and verse after a name is no clock time"),
    pytest.param("Critics panned Midnight Express when it opened.", "Midnight", None,
                 id="a capitalised clock word inside a sentence is a title"),
    pytest.param("Shelling stopped briefly. Midnight brought new strikes.", "Midnight",
                 "2024-05-09T24:00", id="a capitalised clock word starting a sentence is a time"),
]


@pytest.mark.parametrize(("text", "expression", "expected"), CASES)
def test_clock_times(times, text, expression, expected):
    expect(times, text, expression, expected)


def test_a_clock_time_on_a_yearless_date_without_publication_has_no_value(times):
    expect(times, "The convoy was hit at 3 p.m. on April 6.", "3 p.m. on April 6",
           {"value": None, "type": "time"}, published=None)
