"""Expressions counted from publication (analyze/times/deictic.py): days, weekdays, this and
next week, the weekend, year-end, "now". Published Thursday 9 May 2024."""

from __future__ import annotations

import pytest

from tests.analyze.times import expect

CASES = [
    pytest.param("Shops stayed shut. Yesterday, the army withdrew from the town.", "Yesterday",
                 "2024-05-08", id="a capitalised day word at a sentence start is that day"),
    pytest.param("The people of tomorrow will judge us.", "tomorrow", None,
                 id="the people of tomorrow is the future in general"),
    pytest.param("He spent the last morning of the siege in the cellar.", "last morning", None,
                 id="the last morning of something is not this morning"),
    pytest.param("On April 3 the talks broke down. That Friday, envoys met again.",
                 "That Friday", {"value": "2024-04-05", "anchor": "narrative"},
                 id="that Friday is the Friday of the week the text is in"),
    pytest.param("The talks collapsed later this week.", "later this week",
                 {"value": "2024-W19", "mod": "END"}, id="later this week is its end"),
    pytest.param("They met tonight at the embassy.", "tonight",
                 {"value": "2024-05-09TNI", "type": "time"}, id="tonight is this night"),
    pytest.param("On Monday the convoy left.", "Monday", {"value": "2024-05-06", "type": "date"},
                 id="a weekday in the past tense is the one gone by"),
    pytest.param("The envoy arrives this Monday.", "this Monday", "2024-05-13",
                 id="this Monday, said on a Thursday, is the coming one"),
    pytest.param("On Monday the convoy left. The next day it returned.", "The next day",
                 "2024-05-07", id="a weekday is a day the text goes on from"),
    pytest.param("They met late Tuesday.", "late Tuesday", {"value": "2024-05-07", "mod": "END"},
                 id="late Tuesday is the end of that day"),
    pytest.param("The strike came on Fri. May 3, officials said.", "Fri.", "2024-05-03",
                 id="an abbreviated weekday with its period"),
    pytest.param("She hosted Saturday Night Live", "Saturday Night", None,
                 id="a weekday in a show's name is no date"),
    pytest.param("On April 3 the talks broke down. The previous Friday, envoys had met.",
                 "The previous Friday", {"value": "2024-03-29", "anchor": "narrative"},
                 id="the previous Friday counts back from the last date the text gave"),
    pytest.param("He was forced to resign on Monday.", "Monday", "2024-05-06",
                 id="what someone was made to do on a weekday is past"),
    pytest.param("The week-long siege ended.", "The week", None,
                 id="a week-long siege is no week"),
    pytest.param("On April 3 the talks broke down. The next Monday, they resumed.",
                 "The next Monday", {"value": "2024-04-08", "anchor": "narrative"},
                 id="the next Monday counts from the last date the text gave"),
    pytest.param("The opposition will boycott Tuesday's parliamentary vote.", "Tuesday",
                 "2024-05-14", id="a future boycott of a weekday's vote is the coming one"),
    pytest.param("The opposition will try to block Tuesday's vote.", "Tuesday", "2024-05-14",
                 id="trying to block a weekday's vote looks ahead too"),
    pytest.param("Officials say Friday's vote will be a formality.", "Friday", "2024-05-10",
                 id="a weekday's vote that will be held is the coming one"),
    pytest.param("The talks will resume this weekend.", "this weekend", "2024-W19-WE",
                 id="this weekend in a future clause is the coming one"),
    pytest.param("It was the year that the war began.", "the year", None,
                 id="the year that ... is a year the clause names, not this one"),
    pytest.param("Aid deliveries should resume by year-end.", "year-end",
                 {"value": "2024", "mod": "END"}, id="year-end is the end of this year"),
    pytest.param("Fuel prices are rising now, traders said.", "now",
                 {"value": "PRESENT_REF", "type": "date"}, id="now is the present"),
]


@pytest.mark.parametrize(("text", "expression", "expected"), CASES)
def test_counted_from_publication(times, text, expression, expected):
    expect(times, text, expression, expected)


def test_a_weekday_in_a_quotation_has_no_value_the_speaker_counts_from_another_day(times):
    expect(times, '"We will meet on Monday," the envoy said.', "Monday",
           {"value": None, "in_quote": True})


@pytest.mark.parametrize(("text", "expression"), [
    ("Talks resume on Monday.", "Monday"),
    ("Aid should arrive by year-end.", "year-end"),
])
def test_without_publication_a_deictic_date_has_no_value(times, text, expression):
    expect(times, text, expression, {"value": None, "type": "date"}, published=None)
